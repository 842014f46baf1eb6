/** Builds the web console into web/dist, which the controller serves at `/` (controller/web/plugin.ts). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import preact from '@preact/preset-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Writes .br and .gz beside each text asset, for a server that sends precompressed files (fastify-static `preCompressed`). */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'loa-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const texts = Object.keys(bundle).filter((f) => /\.(js|css|html|svg)$/.test(f));
      for (const file of texts) {
        const bytes = await fs.readFile(path.join(outDir, file));
        await fs.writeFile(path.join(outDir, `${file}.gz`), gzipSync(bytes, { level: 9 }));
        await fs.writeFile(path.join(outDir, `${file}.br`), brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [preact({ prerender: { enabled: false } }), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Every asset is served by the controller itself: nothing from a CDN, no web fonts.
    assetsInlineLimit: 4096,
  },
  server: {
    // `npx vite --config web/vite.config.ts` against a controller on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080', '/media': 'http://127.0.0.1:8080' },
  },
});
