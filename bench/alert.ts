/**
 * bench/alert: an emergency alert to N simulated speakers (default 10,000): time from the alert
 * request until 100 % `received` and 100 % `playing`, beside the bare aedes + mqtt.js baseline of
 * bench/fanout measured in the same run. The speakers run in a child process (`npm run sim`),
 * as they would on their own machines, so the controller's process holds only its own sockets; the
 * baseline's speakers run in a child process too, so both are measured the same way.
 *
 *   npx tsx bench/alert.ts [--devices 10000] [--rounds 3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runBaseline } from './lib/baseline.js';
import { processCpuMs } from './lib/proc.js';
import { RESULTS_DIR } from './lib/report.js';
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
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
const kb = (bytes: number | null) => (bytes === null ? '?' : `${(bytes / 1024).toFixed(1)} KB`);

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

interface RoundTimes {
  answeredMs: number;
  firstReceivedMs: number;
  receivedMs: number;
  /** CPU time of this process (controller + broker) until 100 % received: less swayed by other load than wall time. */
  receivedCpuMs: number;
  /** CPU time of the simulator's process over the same span (null: not Linux). */
  fleetCpuMs: number | null;
  playingMs: number;
}

/**
 * One alert to all. Events are kept per job because the speakers answer before the POST returns
 * the job's id, and late acks of the previous round's job must not count towards this one.
 */
async function round(c: Controller, api: Api, mediaId: string, fleetPid: number | undefined): Promise<RoundTimes> {
  const jobs = new Map<string, { reached: Set<string>; playing: Set<string>; firstReceivedAt: number; receivedAt: number; receivedCpuMs: number; fleetCpuMs: number | null }>();
  let jobId = '';
  let resolveDone: (at: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const check = (at: number) => {
    const j = jobs.get(jobId);
    if (j && j.playing.size === N) resolveDone(at);
  };
  const cpu0 = process.cpuUsage();
  const fleetCpu0 = processCpuMs(fleetPid);
  const t0 = performance.now();
  const off = c.bus.on('delivery', (e) => {
    const at = performance.now();
    let j = jobs.get(e.jobId);
    if (!j) jobs.set(e.jobId, (j = { reached: new Set(), playing: new Set(), firstReceivedAt: 0, receivedAt: 0, receivedCpuMs: 0, fleetCpuMs: null }));
    if (e.state !== 'pending') j.reached.add(e.deviceId);
    j.firstReceivedAt ||= at;
    if (!j.receivedAt && j.reached.size === N) {
      j.receivedAt = at;
      const cpu = process.cpuUsage(cpu0);
      j.receivedCpuMs = (cpu.user + cpu.system) / 1000;
      const fleetCpu = processCpuMs(fleetPid);
      j.fleetCpuMs = fleetCpu === null || fleetCpu0 === null ? null : fleetCpu - fleetCpu0;
    }
    if (e.state === 'playing' || e.state === 'done') j.playing.add(e.deviceId);
    if (jobId) check(at);
  });
  const res = await api.post('/api/v1/alerts', { hazard: 'storm', riskLevel: 4, title: 'Bench', message: { mediaId }, targets: { all: true }, signal: 'none' });
  const answeredMs = performance.now() - t0;
  if (res.status !== 201) throw new Error(`alert: ${res.status} ${JSON.stringify(res.body)}`);
  jobId = res.body.repetitions[0].broadcastId;
  check(performance.now());
  const playingAt = await done;
  off();
  const j = jobs.get(jobId)!;
  return { answeredMs, firstReceivedMs: j.firstReceivedAt - t0, receivedMs: j.receivedAt - t0, receivedCpuMs: j.receivedCpuMs, fleetCpuMs: j.fleetCpuMs, playingMs: playingAt - t0 };
}

/** Profiles this process until `stop`, which writes bench/results/alert-rounds-<time>.cpuprofile (open it in Chrome DevTools). */
async function startProfiler(): Promise<{ stop(): Promise<string> }> {
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      const file = path.join(RESULTS_DIR, `alert-rounds-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await fs.mkdir(RESULTS_DIR, { recursive: true });
      await fs.writeFile(file, JSON.stringify(profile));
      return file;
    },
  };
}

/** Resident memory of another process, from /proc (Linux); null elsewhere. */
async function rssOf(pid: number | undefined): Promise<number | null> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  return kb === undefined ? null : Number(kb) * 1024;
}

async function main(): Promise<void> {
  console.log(`bench/alert: ${N} speakers, ${ROUNDS} rounds, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);
  let baselineMs = NaN;
  let baselineCpuMs = NaN;
  // BENCH_PROFILE=1 skips the baseline and profiles the controller's process during the rounds only.
  if (!process.env.BENCH_PROFILE) {
    const b = await runBaseline({ clients: N, rounds: ROUNDS, speakers: 'child' });
    baselineMs = b.medianMs;
    baselineCpuMs = b.medianCpuMs;
    console.log(`baseline (bare aedes + mqtt.js speakers in a child process, publish → ack): median ${b.medianMs.toFixed(0)} ms (rounds ${list(b.rounds)}); CPU median: broker process ${b.medianCpuMs.toFixed(0)} ms, speakers' process (rounds ${b.roundsSpeakersCpuMs.map((x) => x?.toFixed(0) ?? '?').join(', ')}) ms; connect ${b.connectMs.toFixed(0)} ms; per speaker RSS ${kb(b.rssPerClientBytes)} (broker + client)`);
  }

  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-alert-'));
  const config = { ...loadConfig({}), dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-admin-pw', demo: false, deviceSecretHashN: 1024, logLevel: 'silent' };
  const c = await startController(config, { logger: false, processor: (await createAudioProcessor(config)).processor });
  const api = new Api(c.httpUrl);
  await api.login('admin', 'bench-admin-pw');
  const file = path.join(dataDir, 'fleet.json');
  const ids = await registerFleet(c, file);
  const upload = await api.upload('/api/v1/media', sineWav(1), 'bench.wav');
  const rssBefore = process.memoryUsage().rss;
  const tc = performance.now();
  const fleet = startFleet(c.mqttUrl, file);
  await whenAllOnline(c, ids);
  const controllerRss = (process.memoryUsage().rss - rssBefore) / N;
  const fleetRss = await rssOf(fleet.pid);
  console.log(`fleet connected in ${(performance.now() - tc).toFixed(0)} ms; per speaker RSS: controller + broker ${kb(controllerRss)}, simulator ${kb(fleetRss === null ? null : fleetRss / N)} (no gc: includes garbage)`);

  const profiler = process.env.BENCH_PROFILE ? await startProfiler() : null;
  const rounds: RoundTimes[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round(c, api, upload.body.id, fleet.pid));
  if (profiler) console.log(`CPU profile of the rounds (controller + broker): ${await profiler.stop()}`);
  const received = median(rounds.map((r) => r.receivedMs));
  const playing = median(rounds.map((r) => r.playingMs));
  console.log(`loa alert: POST answered (rounds ${list(rounds.map((r) => r.answeredMs))}) ms, first ack (rounds ${list(rounds.map((r) => r.firstReceivedMs))}) ms`);
  console.log(`loa alert: 100 % received median ${received.toFixed(0)} ms (rounds ${list(rounds.map((r) => r.receivedMs))}); 100 % playing median ${playing.toFixed(0)} ms (rounds ${list(rounds.map((r) => r.playingMs))})`);
  const receivedCpu = median(rounds.map((r) => r.receivedCpuMs));
  console.log(`loa alert: CPU until 100 % received: controller process median ${receivedCpu.toFixed(0)} ms (rounds ${list(rounds.map((r) => r.receivedCpuMs))}); simulator process (rounds ${rounds.map((r) => r.fleetCpuMs?.toFixed(0) ?? '?').join(', ')}) ms`);
  console.log(`ratio received / baseline: ${(received / baselineMs).toFixed(2)}×  (aim ≤ 1.5×); playing / baseline: ${(playing / baselineMs).toFixed(2)}×; CPU received / baseline CPU: ${(receivedCpu / baselineCpuMs).toFixed(2)}×`);
  console.log(`controller process RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);

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
