/**
 * Live events for the UI as server-sent events: devices up and down, delivery progress, jobs.
 * A view of many jobs takes `job.progress` (a summary a second) and `?deliveries=problems`; a view
 * of one job takes `?job=<id>`: at 10,000 speakers a broadcast is 50,000 delivery events.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { inScope, type Actor } from '../auth/permissions.js';
import type { DeliveryEvent, EventBus, EventMap } from './bus.js';

export interface EventScope {
  deviceVisible(actor: Actor, deviceId: string): boolean;
}

const HEARTBEAT_MS = 15_000;

export async function eventRoutes(app: FastifyInstance, opts: { bus: EventBus; scope: EventScope }) {
  const Query = Type.Object(
    {
      /** Comma-separated event names; default: all. */
      types: Type.Optional(Type.String({ maxLength: 300 })),
      /** Delivery events of this job only. */
      job: Type.Optional(Type.String({ maxLength: 128 })),
      /** all (default), problems (failed, rejected, expired) or none. */
      deliveries: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('problems'), Type.Literal('none')])),
    },
    { additionalProperties: false },
  );
  const summary = 'Sự kiện trực tiếp (SSE) / Live events (server-sent events)';
  app.withTypeProvider<TypeBoxTypeProvider>().get('/api/v1/events', { schema: { tags: ['events'], summary, querystring: Query } }, (req, reply) => {
    const actor = req.actor!;
    const wanted = req.query.types ? new Set(req.query.types.split(',')) : null;
    const deliveryWanted = deliveryFilter(req.query.deliveries ?? 'all', req.query.job);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': connected\n\n');
    const send = (name: string, data: object) => raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const device = (e: { deviceId: string }) => opts.scope.deviceVisible(actor, e.deviceId);
    const everyone = () => true;
    const forward = <K extends keyof EventMap>(name: K, visible: (...a: EventMap[K]) => boolean) =>
      wanted && !wanted.has(name)
        ? () => undefined
        : opts.bus.on(name, (...args) => {
            if (visible(...args)) send(name, args[0] as object);
          });
    const offs = [
      forward('device.online', device),
      forward('device.offline', device),
      forward('delivery', (e) => deliveryWanted(e) && device(e)),
      forward('job.finished', everyone),
      // A district job's counts cover other communes' speakers: a commune sees its own jobs' only.
      forward('job.progress', (e) => inScope(actor, e.commune)),
      forward('broadcast.created', everyone),
      forward('media.job', (e) => inScope(actor, e.commune)),
      forward('live.state', (e) => inScope(actor, e.commune)),
    ];
    const beat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.raw.on('close', () => {
      clearInterval(beat);
      for (const off of offs) off();
    });
  });
}

const PROBLEMS = new Set(['failed', 'rejected', 'expired']);

function deliveryFilter(which: 'all' | 'problems' | 'none', job: string | undefined): (e: DeliveryEvent) => boolean {
  return (e) => (job === undefined || e.jobId === job) && (which === 'all' || (which === 'problems' && PROBLEMS.has(e.state)));
}
