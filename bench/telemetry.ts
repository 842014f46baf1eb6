/**
 * bench/telemetry: the health feature's cost at fleet size, without MQTT in the way (births and
 * heartbeats are fed to the presence tracker as the MQTT link would): heartbeat intake with and
 * without the feature, one health tick (every speaker assessed, alarms, 5-minute buckets closed),
 * the summary and device-list API, a 90-day 5-minute chart of one speaker, and a raw query of one
 * speaker against the core's day file.
 *
 *   npx tsx bench/telemetry.ts [--devices 10000] [--rounds 10]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Actor } from '../controller/auth/permissions.js';
import { loadConfig } from '../controller/config.js';
import type { Feature } from '../controller/feature.js';
import { startHealth, type RunningHealth } from '../controller/health/feature.js';
import type { Rollup } from '../controller/health/rollup.js';
import { DeviceSeriesLog } from '../controller/health/series.js';
import { startController, type Controller } from '../controller/runtime.js';
import { Api } from '../test/helpers/api.js';
import { formatMs, formatTable, median, type Row } from './lib/report.js';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '10' } } });
const N = Number(values.devices);
const ROUNDS = Number(values.rounds);
const SYSTEM: Actor = { id: 'bench', username: 'bench', role: 'admin', commune: null };
const T0 = Date.parse('2025-03-10T00:00:00Z');
const HB_MS = 30_000;

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const t = performance.now();
  const out = await fn();
  return [performance.now() - t, out];
}

async function controller(withHealth: boolean) {
  let t = T0;
  const clock = { now: () => t };
  let health: RunningHealth | null = null;
  const feature: Feature = { name: 'health', start: async (ctx) => (health = await startHealth(ctx, { tickMs: 3_600_000 })) };
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-tele-'));
  const config = { ...loadConfig({}), dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-password', demo: false, deviceSecretHashN: 1024, logLevel: 'silent', sessionTtlMs: 400 * 86_400_000 };
  const c = await startController(config, { clock, logger: false, processor: null, features: withHealth ? [feature] : [] });
  await c.zones.create(SYSTEM, { id: 'bench', name: 'Bench', commune: 'bench' });
  const ids: string[] = [];
  for (let i = 0; i < N; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({ id: `sp-${String(i + k).padStart(5, '0')}`, zoneId: 'bench' }));
    ids.push(...(await c.registry.registerMany(SYSTEM, batch)).map((r) => r.device.id));
  }
  for (const id of ids) c.presence.onState(id, { v: 1, ts: t, online: true, session: 1, model: 'bench', fw: '1.0.0', formats: ['mp3'], stream: true });
  return { c, ids, dataDir, health: () => health!, advance: (ms: number) => (t += ms), close: async () => {
    await c.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  } };
}

function heartbeats(c: Controller, ids: string[], round: number): void {
  for (const id of ids) {
    c.presence.onTelemetry(id, { v: 1, ts: T0, seq: round, uptimeS: round * 30, volume: 70, muted: false, rssiDbm: -60 - (round % 30), tempC: 40 + (round % 10), power: 'mains', amp: 'ok', line: 'ok', playing: null, storageFreeMb: 900 });
  }
}

async function intake(withHealth: boolean): Promise<{ perBeatUs: number; rig: Awaited<ReturnType<typeof controller>> }> {
  const rig = await controller(withHealth);
  const times: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    rig.advance(HB_MS);
    times.push((await timed(() => heartbeats(rig.c, rig.ids, r)))[0]);
  }
  return { perBeatUs: (median(times) * 1000) / N, rig };
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const without = await intake(false);
  await without.rig.close();
  const { perBeatUs, rig } = await intake(true);
  rows.push({ what: `heartbeat intake, ${N} speakers`, core: `${without.perBeatUs.toFixed(1)} µs/beat`, 'with health': `${perBeatUs.toFixed(1)} µs/beat` });

  const h = rig.health();
  const ticks: number[] = [];
  for (let i = 0; i < 5; i++) ticks.push((await timed(() => h.monitor.tick()))[0]);
  rows.push({ what: 'health tick (no bucket to close)', 'with health': formatMs(median(ticks)) });
  const closing: number[] = [];
  for (let b = 0; b < 3; b++) {
    heartbeats(rig.c, rig.ids, 100 + b);
    rig.advance(5 * 60_000);
    closing.push((await timed(() => h.monitor.tick()))[0]);
  }
  rows.push({ what: `health tick closing ${N} 5-minute buckets (first, then median)`, 'with health': `${formatMs(closing[0]!)}, ${formatMs(median(closing.slice(1)))}` });

  const api = new Api(rig.c.httpUrl);
  await api.login('admin', 'bench-password');
  rows.push({ what: 'GET /api/v1/health/summary', 'with health': formatMs((await timed(() => api.get('/api/v1/health/summary')))[0]) });
  rows.push({ what: 'GET /api/v1/health/devices', 'with health': formatMs((await timed(() => api.get('/api/v1/health/devices')))[0]) });
  const [rawMs, raw] = await timed(() => api.get(`/api/v1/health/devices/${rig.ids[0]}/telemetry?resolution=raw`));
  const rawBytes = (await fs.readdir(path.join(rig.dataDir, 'history', 'telemetry'))).length;
  rows.push({ what: `raw query of one speaker (core day file: ${N * ROUNDS} lines in ${rawBytes} file(s))`, 'with health': `${formatMs(rawMs)}, ${raw.body.items.length} items` });
  await rig.close();

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-series-'));
  const series = new DeviceSeriesLog<Rollup>(dir, 200, () => undefined);
  await series.init();
  const buckets = 90 * 288;
  for (let i = 0; i < buckets; i++) series.append({ ts: T0 + i * 300_000, deviceId: 'sp-00000', count: 10, num: { rssiDbm: { min: -80, max: -60, sum: -700, n: 10 } }, last: { power: 'mains' }, lastAt: T0 + i * 300_000 + 299_000 });
  await series.flush();
  const queries: number[] = [];
  let got = 0;
  for (let i = 0; i < 3; i++) {
    const [ms, items] = await timed(() => series.query('sp-00000', T0, T0 + 90 * 86_400_000));
    queries.push(ms);
    got = items.length;
  }
  rows.push({ what: `90-day 5-minute series of one speaker (${got} buckets), median of 3`, 'with health': formatMs(median(queries)) });
  await fs.rm(dir, { recursive: true, force: true });

  console.log(formatTable(rows));
}

await main();
