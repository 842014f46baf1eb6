/** Serves the built web console (web/dist) from the controller itself: every asset local, no CDN. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type {} from '../http/types.js';
import { commonErrors } from '../errors.js';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

const NOT_BUILT = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>Loa</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Loa</h1><p>Giao diện web chưa được build. Chạy <code>npm run build:web</code> rồi tải lại trang.</p>
<p lang="en">The web console is not built yet. Run <code>npm run build:web</code> and reload.</p>
<p><a href="/docs">API</a></p></body></html>`;

export async function webConsole(app: FastifyInstance, opts: { dist?: string }) {
  const dist = opts.dist ?? WEB_DIST;
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    return;
  }
  // The console's own files are public: the sign-in page must load before anyone has a session.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), public: true };
  });
  // The build writes .br and .gz beside each text asset: a phone on 4G gets a third of the bytes.
  await app.register(fastifyStatic, { root: dist, prefix: '/', decorateReply: false, wildcard: false, index: ['index.html'], preCompressed: true });
  const html = fs.readFileSync(index);
  // Client-side routes (/thiet-bi, /lich-phat…) all load the single page.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/media/')) throw commonErrors.LOA_NOT_FOUND({ what: 'đường dẫn / path', id: req.url.split('?')[0] });
    return reply.type('text/html; charset=utf-8').send(html);
  });
}
