import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import { Type } from 'typebox';
import type {} from '../http/types.js';
import { TargetsSchema } from '../broadcasts/routes.js';
import { commonErrors } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { LiveService, SourceFormat } from './service.js';

const Priority = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)], { default: 2 });
const common = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  targets: TargetsSchema,
  priority: Priority,
  volume: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
};
const LiveBody = Type.Object(
  {
    ...common,
    /** auto: a container ffmpeg recognises (browser webm/ogg, wav, mp3); s16le: raw 16-bit mono PCM at sampleRate. */
    format: Type.Union([Type.Literal('auto'), Type.Literal('s16le')], { default: 'auto' }),
    sampleRate: Type.Union([Type.Literal(8000), Type.Literal(16000), Type.Literal(44100), Type.Literal(48000)], { default: 16000 }),
  },
  { additionalProperties: false },
);
const RelayBody = Type.Object({ ...common, url: Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$' }) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
/** One MediaRecorder chunk is a few KB a second; anything near this is not a microphone. */
const MAX_CHUNK_BYTES = 1024 * 1024;

export function liveRoutes(live: LiveService, bus: EventBus) {
  return async (app: FastifyInstance) => {
    await app.register(websocket, { options: { maxPayload: MAX_CHUNK_BYTES } });
    // A refused upgrade (no login, no right) is answered on a socket the HTTP server no longer
    // tracks: it would stay open (and hold a file descriptor) until the client let go.
    app.addHook('onResponse', async (req) => {
      if (req.headers.upgrade) req.raw.socket.destroy();
    });
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const tags = ['live'];
    const write = { permission: 'broadcasts.write' as const };

    r.post('/api/v1/live', { config: write, schema: { tags, summary: 'Phát trực tiếp: mở nguồn rồi gửi âm thanh qua WebSocket …/ingest / Go live', body: LiveBody } }, async (req, reply) => {
      const { format, sampleRate, ...input } = req.body;
      const source: SourceFormat = format === 's16le' ? { kind: 's16le', sampleRate } : { kind: 'auto' };
      const view = await live.openLive(req.actor!, input, source);
      reply.status(201);
      return { ...view, ingest: `/api/v1/live/${view.id}/ingest` };
    });
    r.post('/api/v1/relays', { config: write, schema: { tags, summary: 'Tiếp sóng đài qua bộ điều khiển / Relay a radio stream', body: RelayBody } }, async (req, reply) => {
      const view = await live.openRelay(req.actor!, req.body);
      reply.status(201);
      return view;
    });
    r.get('/api/v1/live', { schema: { tags } }, async (req) => ({ items: live.list(req.actor!) }));
    r.get('/api/v1/live/:id', { schema: { tags, params: IdParams } }, async (req) => live.get(req.actor!, req.params.id));
    r.post('/api/v1/live/:id/stop', { config: write, schema: { tags, summary: 'Dừng ở mọi loa / Stop everywhere', params: IdParams } }, async (req) => live.stop(req.actor!, req.params.id));

    // The officer's microphone: binary messages in, each one a chunk of the source.
    r.get('/api/v1/live/:id/ingest', { websocket: true, config: write, schema: { tags, params: IdParams }, preHandler: async (req) => void live.get(req.actor!, req.params.id) }, (socket, req) => {
      const actor = req.actor!;
      const { id } = req.params;
      const off = bus.on('live.state', (v) => v.id === id && !['waiting', 'on-air'].includes(v.state) && socket.close(1000, v.state));
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary && !live.feed(actor, id, data)) socket.close(1000, 'ended');
      });
      socket.on('close', () => {
        off();
        live.sourceClosed(actor, id);
      });
    });

    // Speakers pull the stream here, with the signed token of their play command.
    r.get(
      '/live/:file',
      { config: { public: true }, schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 80 }) }), querystring: Type.Object({ exp: Type.Integer(), sig: Type.String({ maxLength: 64 }) }) } },
      async (req, reply) => {
        reply.hijack();
        if (!live.serve(req.params.file, req.query.exp, req.query.sig, reply.raw)) {
          const body = commonErrors.LOA_FORBIDDEN().toBody();
          reply.raw.writeHead(403, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
        }
      },
    );
  };
}
