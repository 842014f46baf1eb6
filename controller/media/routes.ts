import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type {} from '@fastify/multipart';
import type {} from '@fastify/static';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';
import type { IngestJobs } from './ingest-jobs.js';
import type { MediaLibrary } from './library.js';
import type { SpeechService } from './speech.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });

export interface MediaRouteOptions {
  library: MediaLibrary;
  speech: SpeechService;
  jobs: IngestJobs;
  uploadMaxMb: number;
  /** An upload still processing after this long is answered 202 with its job. */
  syncMs: number;
}

export async function mediaRoutes(app: FastifyInstance, opts: MediaRouteOptions) {
  const { library } = opts;
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['media'];

  const upload = {
    tags,
    summary: 'Tải lên âm thanh (multipart, trường "file", tuỳ chọn "title") / Upload audio',
    description: 'Ngắn: 201 với tệp đã xử lý. Dài hoặc `?async=true`: 202 với việc xử lý và phần trăm (GET /api/v1/media/jobs/{id}, sự kiện media.job). / Short: 201 with the media. Long or `?async=true`: 202 with a job and its percentage.',
    querystring: Type.Object({ async: Type.Optional(Type.Boolean()) }),
  };
  r.post('/api/v1/media', { config: { permission: 'media.write' }, schema: upload }, async (req, reply) => {
    const upload = await req.file({ limits: { fileSize: opts.uploadMaxMb * 1024 * 1024, files: 1, fields: 5 } });
    if (!upload) throw commonErrors.LOA_BAD_REQUEST({ reason: 'thiếu tệp "file" / missing file field "file"' });
    // The user's file name is only ever a title: the bytes go to a name we make.
    const tmp = path.join(library.workDir, `upload-${randomBytes(8).toString('hex')}`);
    await pipeline(upload.file, fs.createWriteStream(tmp));
    if (upload.file.truncated) {
      await fs.promises.rm(tmp, { force: true });
      throw commonErrors.LOA_PAYLOAD_TOO_LARGE({ limit: `${opts.uploadMaxMb} MB` });
    }
    const titleField = upload.fields.title;
    const title = titleField && 'value' in titleField && typeof titleField.value === 'string' && titleField.value ? titleField.value.slice(0, 200) : upload.filename.slice(0, 200);
    const { job, done } = opts.jobs.start(req.actor!, tmp, title);
    if (req.query.async || !(await settlesWithin(done, opts.syncMs))) {
      reply.status(202).header('location', `/api/v1/media/jobs/${job.id}`);
      return job;
    }
    reply.status(201);
    return done;
  });
  r.get('/api/v1/media/jobs/:id', { schema: { tags, summary: 'Tiến độ xử lý tệp tải lên / An upload being processed', params: IdParams } }, async (req) => opts.jobs.get(req.actor!, req.params.id));
  r.post(
    '/api/v1/media/tts',
    {
      config: { permission: 'media.write' },
      schema: {
        tags,
        summary: 'Đọc văn bản thành âm thanh / Media spoken from text',
        body: Type.Object(
          {
            text: Type.String({ minLength: 1, maxLength: 5000 }),
            voice: Type.Optional(Type.String({ maxLength: 64 })),
            rate: Type.Optional(Type.Number({ minimum: 0.5, maximum: 2 })),
            chime: Type.Optional(Type.Boolean()),
            title: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const media = await opts.speech.speak(req.actor!, req.body.text, req.body);
      reply.status(201);
      return media;
    },
  );
  r.get('/api/v1/media/voices', { schema: { tags, summary: 'Giọng đọc / Voices' } }, async () => ({ available: opts.speech.available, voices: await opts.speech.voices() }));
  r.get('/api/v1/media', { schema: { tags, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }) } }, async (req) => ({ items: library.list(req.query.q), available: library.available, usage: library.usage() }));
  r.get('/api/v1/media/:id', { schema: { tags, params: IdParams } }, async (req) => ({ ...library.get(req.params.id), ...library.usedBy(req.actor!, req.params.id) }));
  r.delete('/api/v1/media/:id', { config: { permission: 'media.write' }, schema: { tags, params: IdParams } }, async (req, reply) => {
    await library.remove(req.actor!, req.params.id);
    reply.status(204);
  });
  // Listening in the web UI: signed-in users get a short-lived signed URL.
  r.get('/api/v1/media/:id/url', { schema: { tags, params: IdParams } }, async (req) => ({ url: library.playable(library.get(req.params.id), Date.now() + 3_600_000).url }));

  // Devices fetch media here with the signed token from their play command; Range requests resume downloads.
  r.get(
    '/media/:file',
    {
      config: { public: true },
      schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 80 }) }), querystring: Type.Object({ exp: Type.Integer(), sig: Type.String({ maxLength: 64 }) }) },
    },
    async (req, reply) => {
      if (!library.canServe(req.params.file, req.query.exp, req.query.sig)) throw commonErrors.LOA_FORBIDDEN();
      return reply.sendFile(req.params.file, library.dir, { cacheControl: false });
    },
  );
}

/** Whether `p` settles (either way) within `ms`. */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = p.then(() => true as const, () => true as const);
  return Promise.race([settled, timeout]).finally(() => clearTimeout(timer));
}
