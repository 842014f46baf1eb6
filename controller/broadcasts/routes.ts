import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import type { JobViews } from '../jobs/views.js';
import type { BroadcastService } from './service.js';

export const TargetsSchema = Type.Union([
  Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
  Type.Object(
    {
      zones: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })),
      devices: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20_000 })),
    },
    { additionalProperties: false, minProperties: 1 },
  ),
]);

const BroadcastBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    mediaId: Type.Optional(Type.String({ maxLength: 128 })),
    streamUrl: Type.Optional(Type.String({ maxLength: 2048 })),
    targets: TargetsSchema,
    priority: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
    startAt: Type.Optional(Type.Integer({ minimum: 0 })),
    notAfter: Type.Optional(Type.Integer({ minimum: 0 })),
    repeat: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export async function broadcastRoutes(app: FastifyInstance, opts: { broadcasts: BroadcastService; jobs: JobViews }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['broadcasts'];
  const write = { permission: 'broadcasts.write' as const };
  r.post('/api/v1/broadcasts', { config: write, schema: { tags, summary: 'Phát bản tin / Start a broadcast', body: BroadcastBody } }, async (req, reply) => {
    const b = await opts.broadcasts.create(req.actor!, req.body);
    reply.status(201);
    return opts.jobs.broadcast(b.id);
  });
  r.get('/api/v1/broadcasts', { schema: { tags, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) } }, async (req) => ({
    items: await opts.jobs.broadcasts(req.actor!, req.query.limit ?? 50),
  }));
  r.get('/api/v1/broadcasts/:id', { schema: { tags, summary: 'Bản tin và kết quả / A broadcast with its summary', params: IdParams } }, async (req) => opts.jobs.broadcast(req.params.id, req.actor!));
  r.get('/api/v1/broadcasts/:id/deliveries', { schema: { tags, summary: 'Kết quả từng loa / Per speaker', params: IdParams } }, async (req) => ({
    items: await opts.jobs.deliveries(req.params.id, req.actor!),
  }));
  r.post('/api/v1/broadcasts/:id/cancel', { config: write, schema: { tags, summary: 'Dừng phát ở mọi loa / Stop it everywhere', params: IdParams } }, async (req) => {
    await opts.broadcasts.cancel(req.actor!, opts.jobs.getBroadcast(req.params.id, req.actor!));
    return opts.jobs.broadcast(req.params.id);
  });
}
