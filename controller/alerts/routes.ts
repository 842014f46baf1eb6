import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import type { AlertService } from './service.js';
import { current } from './service.js';
import { AlertBody, AlertUpdateBody } from './model.js';
import { HAZARDS, RISK_LEVELS } from './hazards.js';
import { renderCap } from './cap/render.js';
import type { ZoneService } from '../zones/service.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export function alertRoutes(alerts: AlertService, zones: ZoneService, capSender: string) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['alerts'];
    const write = { permission: 'broadcasts.write' as const };
    r.get('/api/v1/alerts/vocabulary', { schema: { tags, summary: 'Loại thiên tai và cấp độ rủi ro / Hazards and risk levels' } }, async () => ({ hazards: HAZARDS, riskLevels: RISK_LEVELS }));
    r.post('/api/v1/alerts', { config: write, schema: { tags, summary: 'Phát cảnh báo khẩn cấp / Send an emergency alert', body: AlertBody } }, async (req, reply) => {
      const a = await alerts.create(req.actor!, req.body);
      reply.status(201);
      return alerts.view(a);
    });
    r.get('/api/v1/alerts', { schema: { tags } }, async (req) => ({ items: await Promise.all(alerts.list(req.actor!).slice(0, 100).map((a) => alerts.view(a))) }));
    r.get('/api/v1/alerts/:id', { schema: { tags, summary: 'Tiến độ và xác nhận từng loa / Progress and proof', params: IdParams } }, async (req) => alerts.view(alerts.get(req.actor!, req.params.id)));
    r.post('/api/v1/alerts/:id/cancel', { config: write, schema: { tags, summary: 'Huỷ cảnh báo / Cancel', params: IdParams } }, async (req) => alerts.view(await alerts.cancel(req.actor!, alerts.get(req.actor!, req.params.id))));
    r.post('/api/v1/alerts/:id/update', { config: write, schema: { tags, summary: 'Cập nhật nội dung / Replace the message', params: IdParams, body: AlertUpdateBody } }, async (req) =>
      alerts.view(await alerts.update(req.actor!, alerts.get(req.actor!, req.params.id), req.body.title, req.body.message)),
    );
    r.get('/api/v1/alerts/:id/cap', { schema: { tags, summary: 'Cảnh báo dạng CAP 1.2 / The alert as CAP 1.2', params: IdParams } }, async (req, reply) => {
      const a = alerts.get(req.actor!, req.params.id);
      const v = current(a);
      const zoneList = 'zones' in a.targets ? (a.targets.zones ?? []) : [];
      const xml = renderCap({
        identifier: a.cap?.identifier ?? a.id,
        sender: a.cap?.sender ?? capSender,
        sent: a.createdAt,
        expires: a.notAfter,
        status: a.kind === 'drill' ? 'Exercise' : 'Actual',
        msgType: a.state === 'cancelled' ? 'Cancel' : a.versions.length > 1 ? 'Update' : 'Alert',
        hazard: a.hazard,
        riskLevel: a.riskLevel,
        title: v.title,
        text: v.text ?? v.title,
        areas: a.areas,
        zones: zoneList.map((id) => ({ id, name: zones.get(req.actor!, id).name })),
      });
      reply.type('application/cap+xml; charset=utf-8');
      return xml;
    });
  };
}
