/** Live events for the UI as server-sent events: devices up and down, delivery progress, jobs. */
import type { FastifyInstance } from 'fastify';
import type {} from '../http/types.js';
import { inScope, type Actor } from '../auth/permissions.js';
import type { EventBus, EventMap } from './bus.js';

export interface EventScope {
  deviceVisible(actor: Actor, deviceId: string): boolean;
}

const HEARTBEAT_MS = 15_000;

export async function eventRoutes(app: FastifyInstance, opts: { bus: EventBus; scope: EventScope }) {
  app.get('/api/v1/events', { schema: { tags: ['events'], summary: 'Sự kiện trực tiếp (SSE) / Live events (server-sent events)' } }, (req, reply) => {
    const actor = req.actor!;
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(': connected\n\n');
    const send = (name: string, data: object) => raw.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const device = (e: { deviceId: string }) => opts.scope.deviceVisible(actor, e.deviceId);
    const everyone = () => true;
    const forward = <K extends keyof EventMap>(name: K, visible: (...a: EventMap[K]) => boolean) =>
      opts.bus.on(name, (...args) => {
        if (visible(...args)) send(name, args[0] as object);
      });
    const offs = [
      forward('device.online', device),
      forward('device.offline', device),
      forward('delivery', device),
      forward('job.finished', everyone),
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
