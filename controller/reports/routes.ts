import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import type { Feature } from '../feature.js';
import { airtimeCsv, airtimeRows, monthRange, summarizeBy } from './airtime.js';

const Query = Type.Object({
  month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  /** villages: the per-village totals only (a fleet of thousands has a row per speaker and play). */
  detail: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('villages')])),
});

export const reportsFeature: Feature = {
  name: 'reports',
  start(ctx) {
    return {
      routes: async (app: FastifyInstance) => {
        app.withTypeProvider<TypeBoxTypeProvider>().get(
          '/api/v1/reports/airtime',
          { schema: { tags: ['reports'], summary: 'Báo cáo thời lượng phát theo tháng / Monthly airtime report', querystring: Query } },
          async (req, reply) => {
            const { from, to } = monthRange(req.query.month);
            const rows = await airtimeRows(ctx.store, req.actor!, from, to);
            if (req.query.format === 'csv') {
              reply.header('content-disposition', `attachment; filename="airtime-${req.query.month}.csv"`);
              return reply.type('text/csv; charset=utf-8').send(airtimeCsv(rows));
            }
            const byVillage = summarizeBy(rows, (r) => [r.zone || '—', r.zone || '—']);
            const { key: _k, name: _n, ...total } = summarizeBy(rows, () => ['', ''])[0] ?? { key: '', name: '', broadcasts: 0, played: 0, failed: 0, playedMs: 0 };
            const summary = { month: req.query.month, total, byVillage };
            if (req.query.detail === 'villages') return summary;
            return { ...summary, bySpeaker: summarizeBy(rows, (r) => [r.deviceId, r.deviceName]), rows };
          },
        );
      },
    };
  },
};
