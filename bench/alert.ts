/**
 * bench/alert: an emergency alert to N simulated speakers (default 10,000): time from the alert
 * request until 100 % `received` and 100 % `playing`, beside the bare aedes + mqtt.js baseline of
 * bench/fanout measured in the same run. The speakers run in a child process (`npm run sim`),
 * as they would on their own machines, so the controller's process holds only its own sockets.
 *
 *   npx tsx bench/alert.ts [--devices 10000] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBaseline } from './lib/baseline.js';
import { loadConfig } from '../controller/config.js';
import { startController, type Controller } from '../controller/runtime.js';
import { createAudioProcessor } from '../controller/media/processor.js';
import type { Actor } from '../controller/auth/permissions.js';
import { Api } from '../test/helpers/api.js';
import { sineWav } from '../test/helpers/audio.js';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' } } });
const N = Number(values.devices);
const ROUNDS = Number(values.rounds);
const SYSTEM: Actor = { id: 'bench', username: 'bench', role: 'admin', commune: null };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function registerFleet(c: Controller, file: string): Promise<string[]> {
  await c.zones.create(SYSTEM, { id: 'bench', name: 'Bench', commune: 'bench' });
  const all: Array<{ id: string; secret: string }> = [];
  for (let i = 0; i < N; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ id: `sp-${String(i + k).padStart(5, '0')}`, zoneId: 'bench' }));
    all.push(...(await c.registry.registerMany(SYSTEM, batch)).map((r) => ({ id: r.device.id, secret: r.secret })));
  }
  await fs.writeFile(file, JSON.stringify(all), { mode: 0o600 });
  return all.map((d) => d.id);
}

function startFleet(url: string, file: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'device-sim/cli.ts', '--url', url, '--devices', file, '--speed', '1000', '--concurrency', '500'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

async function whenAllOnline(c: Controller, ids: string[]): Promise<void> {
  const missing = new Set(ids.filter((id) => !c.presence.isOnline(id)));
  if (missing.size === 0) return;
  await new Promise<void>((resolve) => {
    const off = c.bus.on('device.online', (e) => {
      missing.delete(e.deviceId);
      if (missing.size === 0) {
        off();
        resolve();
      }
    });
  });
}

async function round(c: Controller, api: Api, mediaId: string): Promise<{ receivedMs: number; playingMs: number }> {
  const reached = new Set<string>();
  const playing = new Set<string>();
  let receivedAt = 0;
  const jobs = new Set<string>();
  const t0 = performance.now();
  const done = new Promise<number>((resolve) => {
    const off = c.bus.on('delivery', (e) => {
      if (jobs.size && !jobs.has(e.jobId)) return;
      if (e.state !== 'pending') reached.add(e.deviceId);
      if (!receivedAt && reached.size === N) receivedAt = performance.now();
      if (e.state === 'playing' || e.state === 'done') playing.add(e.deviceId);
      if (playing.size === N) {
        off();
        resolve(performance.now());
      }
    });
  });
  const res = await api.post('/api/v1/alerts', { hazard: 'storm', riskLevel: 4, title: 'Bench', message: { mediaId }, targets: { all: true }, signal: 'none' });
  if (res.status !== 201) throw new Error(`alert: ${res.status} ${JSON.stringify(res.body)}`);
  jobs.add(res.body.repetitions[0].broadcastId);
  const playingAt = await done;
  return { receivedMs: receivedAt - t0, playingMs: playingAt - t0 };
}

async function main(): Promise<void> {
  console.log(`bench/alert: ${N} speakers, ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} cores`);
  // BENCH_PROFILE=1 skips the baseline, to profile the controller alone.
  const baseline = process.env.BENCH_PROFILE ? { medianMs: NaN, rounds: [] as number[] } : await runBaseline({ clients: N, rounds: ROUNDS });
  console.log(`baseline (bare aedes + mqtt.js, publish → ack): median ${baseline.medianMs.toFixed(0)} ms (rounds ${baseline.rounds.map((r) => r.toFixed(0)).join(', ')})`);

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-alert-'));
  const config = { ...loadConfig({}), dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-admin-pw', demo: false, deviceSecretHashN: 1024, logLevel: 'silent' };
  const c = await startController(config, { logger: false, processor: (await createAudioProcessor(config)).processor });
  const api = new Api(c.httpUrl);
  await api.login('admin', 'bench-admin-pw');
  const file = path.join(dataDir, 'fleet.json');
  const ids = await registerFleet(c, file);
  const upload = await api.upload('/api/v1/media', sineWav(1), 'bench.wav');
  const tc = performance.now();
  const fleet = startFleet(c.mqttUrl, file);
  await whenAllOnline(c, ids);
  console.log(`fleet connected in ${(performance.now() - tc).toFixed(0)} ms`);

  const rounds: Array<{ receivedMs: number; playingMs: number }> = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(c, api, upload.body.id));
  const received = median(rounds.map((r) => r.receivedMs));
  const playing = median(rounds.map((r) => r.playingMs));
  console.log(`loa alert: 100 % received median ${received.toFixed(0)} ms (rounds ${rounds.map((r) => r.receivedMs.toFixed(0)).join(', ')}); 100 % playing median ${playing.toFixed(0)} ms (rounds ${rounds.map((r) => r.playingMs.toFixed(0)).join(', ')})`);
  console.log(`ratio received / baseline: ${(received / baseline.medianMs).toFixed(2)}×  (aim ≤ 1.5×); playing / baseline: ${(playing / baseline.medianMs).toFixed(2)}×`);

  fleet.kill('SIGINT');
  await new Promise((r) => fleet.once('exit', r));
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
