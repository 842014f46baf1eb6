import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { SLUG_PATTERN } from '../ids.js';
import type { ZoneService } from './service.js';

const Kind = Type.Union([Type.Literal('village'), Type.Literal('residential_group'), Type.Literal('area')]);
const ZoneBody = Type.Object({
  id: Type.Optional(Type.String({ pattern: SLUG_PATTERN })),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  commune: Type.String({ minLength: 1, maxLength: 64 }),
  kind: Type.Optional(Kind),
});
const ZonePatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  commune: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  kind: Type.Optional(Kind),
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export async function zoneRoutes(app: FastifyInstance, opts: { zones: ZoneService }) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['zones'];
  r.get('/api/v1/zones', { schema: { tags, summary: 'Thôn, tổ dân phố / Villages and areas' } }, async (req) => ({ items: opts.zones.list(req.actor!) }));
  r.get('/api/v1/zones/:id', { schema: { tags, params: IdParams } }, async (req) => opts.zones.get(req.actor!, req.params.id));
  r.post('/api/v1/zones', { config: { permission: 'zones.write' }, schema: { tags, body: ZoneBody } }, async (req, reply) => {
    reply.status(201);
    return opts.zones.create(req.actor!, req.body);
  });
  r.patch('/api/v1/zones/:id', { config: { permission: 'zones.write' }, schema: { tags, params: IdParams, body: ZonePatch } }, async (req) =>
    opts.zones.update(req.actor!, req.params.id, req.body),
  );
  r.delete('/api/v1/zones/:id', { config: { permission: 'zones.write' }, schema: { tags, params: IdParams } }, async (req, reply) => {
    await opts.zones.remove(req.actor!, req.params.id);
    reply.status(204);
  });
}
