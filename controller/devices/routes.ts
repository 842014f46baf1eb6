import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DEVICE_ID_PATTERN } from '../../protocol/index.js';
import type {} from '../http/types.js';
import type { CommandService } from '../commands/service.js';
import type { Store } from '../store/store.js';
import type { DeviceRegistry } from './registry.js';
import type { JobViews } from '../jobs/views.js';

const Lat = Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]);
const Lon = Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]);
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const DeviceBody = Type.Object({
  id: Type.String({ pattern: DEVICE_ID_PATTERN }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  zoneId: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
  lat: Type.Optional(Lat),
  lon: Type.Optional(Lon),
  model: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
});
const DevicePatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  zoneId: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
  lat: Type.Optional(Lat),
  lon: Type.Optional(Lon),
  model: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  disabled: Type.Optional(Type.Boolean()),
  volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  heartbeatS: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
  quietHours: Type.Optional(Type.Union([Type.Object({ start: HHMM, end: HHMM }), Type.Null()])),
});
const CommandBody = Type.Union([
  Type.Object({ type: Type.Literal('volume'), volume: Type.Integer({ minimum: 0, maximum: 100 }), muted: Type.Optional(Type.Boolean()) }),
  Type.Object({ type: Type.Literal('test'), durationMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 60_000 })) }),
  Type.Object({ type: Type.Literal('stop'), broadcastId: Type.Optional(Type.String({ maxLength: 128 })) }),
  Type.Object({ type: Type.Literal('reboot') }),
]);
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
const Range = Type.Object({ from: Type.Optional(Type.Integer({ minimum: 0 })), to: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) });

export interface DeviceRouteDeps {
  registry: DeviceRegistry;
  commands: CommandService;
  jobs: JobViews;
  store: Store;
}

export async function deviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['devices'];
  const write = { permission: 'devices.write' as const };
  r.get('/api/v1/devices', { schema: { tags, summary: 'Loa và tình trạng / Speakers with live health', querystring: Type.Object({ zone: Type.Optional(Type.String()), state: Type.Optional(Type.String()) }) } }, async (req) => {
    const items = deps.registry.list(req.actor!).filter((d) => (!req.query.zone || d.zoneId === req.query.zone) && (!req.query.state || d.health.state === req.query.state));
    return { items };
  });
  r.post('/api/v1/devices', { config: write, schema: { tags, summary: 'Đăng ký loa (trả mật khẩu một lần) / Register a speaker (secret shown once)', body: DeviceBody } }, async (req, reply) => {
    reply.status(201);
    return deps.registry.register(req.actor!, req.body);
  });
  r.get('/api/v1/devices/:id', { schema: { tags, params: IdParams } }, async (req) => deps.registry.get(req.actor!, req.params.id));
  r.patch('/api/v1/devices/:id', { config: write, schema: { tags, params: IdParams, body: DevicePatch } }, async (req) => deps.registry.update(req.actor!, req.params.id, req.body));
  r.post('/api/v1/devices/:id/secret', { config: write, schema: { tags, summary: 'Đổi mật khẩu thiết bị / Rotate the secret', params: IdParams } }, async (req) => ({
    id: req.params.id,
    secret: await deps.registry.rotateSecret(req.actor!, req.params.id),
  }));
  r.post('/api/v1/devices/:id/commands', { config: { permission: 'devices.command' }, schema: { tags, summary: 'Lệnh điều khiển / Remote command', params: IdParams, body: CommandBody } }, async (req, reply) => {
    deps.registry.get(req.actor!, req.params.id);
    const body = req.body.type === 'test' ? { type: 'test' as const, durationMs: req.body.durationMs ?? 3000 } : req.body;
    const job = await deps.commands.send(req.actor!, [req.params.id], body);
    reply.status(202);
    return deps.jobs.command(job.id);
  });
  r.get('/api/v1/commands/:id', { schema: { tags, params: IdParams } }, async (req) => deps.jobs.command(req.params.id, req.actor!));
  r.get('/api/v1/devices/:id/telemetry', { schema: { tags, params: IdParams, querystring: Range } }, async (req) => {
    deps.registry.get(req.actor!, req.params.id);
    const items = await deps.store.telemetry.query({ from: req.query.from, to: req.query.to, limit: req.query.limit ?? 2000, key: req.params.id }, (e) => e.deviceId === req.params.id);
    return { items };
  });
}
