/** HTTP API of fleet health and alarms. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { ALARM_TYPES } from './rules.js';
import type { HealthService } from './service.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
const Ms = Type.Integer({ minimum: 0 });
const DevicesQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('offline'), Type.Literal('silent'), Type.Literal('faulty'), Type.Literal('ok'), Type.Literal('never_seen')])),
    zone: Type.Optional(Type.String({ maxLength: 128 })),
    commune: Type.Optional(Type.String({ maxLength: 128 })),
    missed: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const TelemetryQuery = Type.Object(
  {
    from: Type.Optional(Ms),
    to: Type.Optional(Ms),
    resolution: Type.Optional(Type.Union([Type.Literal('raw'), Type.Literal('5m')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
  },
  { additionalProperties: false },
);
const UptimeQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }, { additionalProperties: false });
const SummaryQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) }, { additionalProperties: false });
const AlarmsQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('cleared'), Type.Literal('all')])),
    from: Type.Optional(Ms),
    to: Type.Optional(Ms),
    device: Type.Optional(Type.String({ maxLength: 64 })),
    type: Type.Optional(Type.Union(ALARM_TYPES.map((t) => Type.Literal(t)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
const AckBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });

export function healthRoutes(health: HealthService) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['health'];
    const read = { permission: 'read' as const };
    r.get('/api/v1/health/devices', { config: read, schema: { tags, summary: 'Tình trạng từng loa / Health of each speaker', querystring: DevicesQuery } }, async (req) => ({
      items: health.list(req.actor!, req.query),
    }));
    r.get('/api/v1/health/devices/:id', { config: read, schema: { tags, params: IdParams } }, async (req) => health.get(req.actor!, req.params.id));
    r.get('/api/v1/health/devices/:id/telemetry', { config: read, schema: { tags, summary: 'Lịch sử đo đạc / Telemetry history (raw or 5-minute)', params: IdParams, querystring: TelemetryQuery } }, async (req) => {
      const q = req.query;
      return health.telemetry(req.actor!, req.params.id, { ...q, resolution: q.resolution ?? '5m', limit: q.limit ?? (q.resolution === 'raw' ? 5000 : 50_000) });
    });
    r.get('/api/v1/health/devices/:id/uptime', { config: read, schema: { tags, summary: 'Thời gian hoạt động theo ngày / Uptime per day', params: IdParams, querystring: UptimeQuery } }, async (req) =>
      health.uptime(req.actor!, req.params.id, req.query.days ?? 7),
    );
    r.get('/api/v1/health/summary', { config: read, schema: { tags, summary: 'Tổng quan hệ thống loa / Fleet summary', querystring: SummaryQuery } }, async (req) => health.summary(req.actor!, req.query.limit ?? 20));
    r.get('/api/v1/alarms', { config: read, schema: { tags, summary: 'Cảnh báo / Alarms', querystring: AlarmsQuery } }, async (req) => {
      const q = req.query;
      return { items: await health.alarms(req.actor!, { state: q.state ?? 'open', from: q.from, to: q.to, limit: q.limit ?? 1000, deviceId: q.device, type: q.type }) };
    });
    r.post('/api/v1/alarms/:id/ack', { config: { permission: 'devices.write' }, schema: { tags, summary: 'Xác nhận cảnh báo / Acknowledge an alarm', params: IdParams, body: AckBody } }, async (req) =>
      health.ack(req.actor!, req.params.id, req.body.note),
    );
  };
}
