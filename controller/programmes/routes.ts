import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LocalDate, Programme } from '../../schedules/index.js';
import type {} from '../http/types.js';
import type { ProgrammeService } from './service.js';

const Body = Type.Omit(Programme, ['id', 'effectiveFrom']);
const Clearable = ['startDate', 'endDate', 'volume'] as const;
/** Every field optional; null clears a date range's end (or start) and a volume. */
const Patch = Type.Partial(
  Type.Object(
    {
      ...Type.Omit(Body, Clearable).properties,
      startDate: Type.Union([LocalDate, Type.Null()]),
      endDate: Type.Union([LocalDate, Type.Null()]),
      volume: Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()]),
    },
    { additionalProperties: false },
  ),
);
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
const CheckQuery = Type.Object({ id: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false });
const Range = Type.Object({ from: Type.Integer({ minimum: 0 }), to: Type.Integer({ minimum: 0 }) });
const MAX_RANGE_MS = 92 * 86_400_000;

export function programmeRoutes(programmes: ProgrammeService) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['schedules'];
    const write = { permission: 'broadcasts.write' as const };
    const range = (q: { from: number; to: number }) => ({ from: q.from, to: Math.min(q.to, q.from + MAX_RANGE_MS) });
    r.get('/api/v1/schedules', { schema: { tags, summary: 'Chương trình phát / Programmes' } }, async (req) => ({ items: programmes.list(req.actor!), order: programmes.order }));
    r.post('/api/v1/schedules', { config: write, schema: { tags, summary: 'Tạo chương trình (trả về các chồng lấn) / Create (returns conflicts)', body: Body } }, async (req, reply) => {
      reply.status(201);
      return programmes.create(req.actor!, req.body);
    });
    r.post(
      '/api/v1/schedules/check',
      { config: write, schema: { tags, summary: 'Kiểm tra trước khi lưu, không lưu: lỗi và chồng lấn (?id= khi sửa) / Dry run, nothing saved: errors and conflicts (?id= for an edit)', body: Body, querystring: CheckQuery } },
      async (req) => ({ conflicts: programmes.preview(req.actor!, req.body, req.query.id) }),
    );
    r.get('/api/v1/schedules/agenda', { schema: { tags, summary: 'Lịch phát toàn xã / Agenda', querystring: Range } }, async (req) => {
      const { from, to } = range(req.query);
      return { items: programmes.agenda(req.actor!, from, to) };
    });
    r.put('/api/v1/schedules/order', { config: write, schema: { tags, summary: 'Thứ tự bản tin ưu tiên trùng giờ / Order of colliding priority bulletins', body: Type.Object({ order: Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 }) }) } }, async (req) => ({
      order: await programmes.setOrder(req.actor!, req.body.order),
    }));
    r.get('/api/v1/schedules/:id', { schema: { tags, params: IdParams } }, async (req) => {
      const p = programmes.get(req.actor!, req.params.id);
      return { programme: p, conflicts: programmes.conflicts(p) };
    });
    r.patch('/api/v1/schedules/:id', { config: write, schema: { tags, summary: 'Sửa (chỉ các lần phát sau) / Edit future occurrences', params: IdParams, body: Patch } }, async (req) => programmes.update(req.actor!, req.params.id, req.body));
    r.post('/api/v1/schedules/:id/pause', { config: write, schema: { tags, params: IdParams } }, async (req) => programmes.update(req.actor!, req.params.id, { paused: true }));
    r.post('/api/v1/schedules/:id/resume', { config: write, schema: { tags, params: IdParams } }, async (req) => programmes.update(req.actor!, req.params.id, { paused: false }));
    r.delete('/api/v1/schedules/:id', { config: write, schema: { tags, params: IdParams } }, async (req, reply) => {
      await programmes.remove(req.actor!, req.params.id);
      reply.status(204);
    });
    r.get('/api/v1/schedules/:id/occurrences', { schema: { tags, summary: 'Các lần phát / Occurrences', params: IdParams, querystring: Range } }, async (req) => {
      const { from, to } = range(req.query);
      return { items: programmes.occurrences(req.actor!, req.params.id, from, to) };
    });
  };
}
