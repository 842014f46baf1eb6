/**
 * bench/fanout: N simulated speakers and one broadcast to all, through the whole controller
 * (HTTP → dispatcher → store → embedded broker → speakers → acks → store), beside a bare
 * aedes + mqtt.js baseline doing the same publish/ack round trip in the same run.
 *
 *   npx tsx bench/fanout.ts [--devices 5000] [--rounds 3] [--download-ms 0]
 *
 * --download-ms: how long each speaker's media download takes (0: all at once, from a shared cache).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBaseline } from './lib/baseline.js';
import { Fleet } from '../device-sim/index.js';
import { loadConfig } from '../controller/config.js';
import { startController, type Controller } from '../controller/runtime.js';
import { createAudioProcessor } from '../controller/media/processor.js';
import type { Actor } from '../controller/auth/permissions.js';
import { Api } from '../test/helpers/api.js';
import { sineWav } from '../test/helpers/audio.js';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' }, 'download-ms': { type: 'string', default: '0' } } });
const DOWNLOAD_MS = Number(values['download-ms']);
const N = Number(values.devices);
const ROUNDS = Number(values.rounds);
const SYSTEM: Actor = { id: 'bench', username: 'bench', role: 'admin', commune: null };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function registerFleet(c: Controller): Promise<Array<{ id: string; secret: string }>> {
  await c.zones.create(SYSTEM, { id: 'bench', name: 'Bench', commune: 'bench' });
  const out: Array<{ id: string; secret: string }> = [];
  for (let i = 0; i < N; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ id: `sp-${String(i + k).padStart(5, '0')}`, zoneId: 'bench' }));
    out.push(...(await c.registry.registerMany(SYSTEM, batch)).map((r) => ({ id: r.device.id, secret: r.secret })));
  }
  return out;
}

/** One broadcast to all: ms from the POST until every speaker has acked `received`, and until all are `done`. */
async function round(c: Controller, api: Api, mediaId: string): Promise<{ receivedMs: number; doneMs: number }> {
  const reached = new Set<string>();
  let done = 0;
  let receivedAt = 0;
  let jobId = '';
  const t0 = performance.now();
  const finished = new Promise<void>((resolve) => {
    const off = c.bus.on('delivery', (e) => {
      if (jobId && e.jobId !== jobId) return;
      if (e.state !== 'pending') reached.add(e.deviceId);
      if (reached.size === N && !receivedAt) receivedAt = performance.now();
      if (e.state === 'done' && ++done === N) {
        off();
        resolve();
      }
    });
  });
  let firstAt = 0;
  const offFirst = c.bus.on('delivery', () => {
    if (!firstAt) firstAt = performance.now();
  });
  const res = await api.post('/api/v1/broadcasts', { title: 'Bench', mediaId, targets: { all: true }, priority: 1 });
  const answeredAt = performance.now();
  if (res.status !== 201) throw new Error(`broadcast: ${res.status} ${JSON.stringify(res.body)}`);
  jobId = res.body.id;
  await finished;
  offFirst();
  if (process.env.BENCH_VERBOSE) console.log(`  POST answered ${(answeredAt - t0).toFixed(0)} ms, first ack ${(firstAt - t0).toFixed(0)} ms, all received ${(receivedAt - t0).toFixed(0)} ms`);
  return { receivedMs: receivedAt - t0, doneMs: performance.now() - t0 };
}

async function main(): Promise<void> {
  console.log(`bench/fanout: ${N} speakers, ${ROUNDS} rounds, download ${DOWNLOAD_MS} ms, node ${process.version}, ${os.cpus().length} cores`);
  const baseline = await runBaseline({ clients: N, rounds: ROUNDS });
  console.log(`baseline (bare aedes + mqtt.js, publish → ack): median ${baseline.medianMs.toFixed(0)} ms (rounds ${baseline.rounds.map((r) => r.toFixed(0)).join(', ')})`);

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-'));
  const config = { ...loadConfig({}), dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-admin-pw', demo: false, deviceSecretHashN: 1024, logLevel: 'silent' };
  const c = await startController(config, { logger: false, processor: (await createAudioProcessor(config)).processor });
  const api = new Api(c.httpUrl);
  await api.login('admin', 'bench-admin-pw');
  const devices = await registerFleet(c);
  const upload = await api.upload('/api/v1/media', sineWav(1), 'bench.wav');

  global.gc?.();
  const before = process.memoryUsage();
  const fleet = new Fleet({ brokerUrl: c.mqttUrl, devices, speed: 1000, seed: 1, shareDownloads: true, connectConcurrency: 500, faults: DOWNLOAD_MS ? { downloadDelayMs: DOWNLOAD_MS } : {} });
  const tc = performance.now();
  await fleet.start();
  while (devices.some((d) => !c.presence.isOnline(d.id))) await new Promise((r) => setTimeout(r, 50));
  const connectMs = performance.now() - tc;
  global.gc?.();
  const after = process.memoryUsage();

  const rounds: Array<{ receivedMs: number; doneMs: number }> = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(c, api, upload.body.id));
  const received = median(rounds.map((r) => r.receivedMs));
  const done = median(rounds.map((r) => r.doneMs));
  const perSpeakerRss = (after.rss - before.rss) / N;
  const perSpeakerHeap = (after.heapUsed - before.heapUsed) / N;

  console.log(`loa: connect ${connectMs.toFixed(0)} ms; 100 % received median ${received.toFixed(0)} ms (rounds ${rounds.map((r) => r.receivedMs.toFixed(0)).join(', ')}); 100 % done median ${done.toFixed(0)} ms`);
  console.log(`ratio received / baseline: ${(received / baseline.medianMs).toFixed(2)}×  (aim ≤ 1.5×)`);
  console.log(`memory per connected speaker (controller + broker + simulated client, one process): RSS ${(perSpeakerRss / 1024).toFixed(1)} KB, heap ${(perSpeakerHeap / 1024).toFixed(1)} KB; baseline client + broker: RSS ${(baseline.rssPerClientBytes / 1024).toFixed(1)} KB, heap ${(baseline.heapPerClientBytes / 1024).toFixed(1)} KB`);
  console.log(`process RSS ${mb(process.memoryUsage().rss)} MB`);

  await fleet.stop();
  await c.close();
  await fs.rm(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
