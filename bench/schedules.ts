/**
 * bench/schedules: a commune with 1,000 programmes over 500 speakers.
 *  (a) the occurrence engine computing a month (bench/schedules-occurrences.ts, run as it is, in its
 *      own process before anything else loads the machine);
 *  (b) dispatch: what the trigger engine (controller/programmes/engine.ts) costs to turn a day's
 *      occurrences into broadcasts that reach the speakers, beside the same broadcasts (same targets,
 *      startAt, notAfter, in the same order) created directly through the controller's
 *      BroadcastService. For each slot the engine's batch runs, then the baseline's, so both see the
 *      same controller and load; each batch starts once the one before it has settled (every
 *      speaker has the file).
 *
 *   npx tsx --expose-gc bench/schedules.ts [--programmes 1000] [--speakers 500] [--zones 20] [--rounds 3] [--slots 60]
 *
 * --slots: how many of a day's quarter-hour slots each round runs (all 60 by default).
 *
 * A real controller (embedded aedes broker, lowdb store, HTTP on ephemeral ports) and a real
 * simulated fleet run on the real clock. Only the engine's calendar clock is stepped, from slot to
 * slot through the days after tomorrow (one round = one day), so that a day passes in minutes: each
 * occurrence therefore starts days ahead of the speakers' clocks, and they receive and prepare it
 * without playing it. "Reached" = every targeted speaker has acknowledged (`received` or later).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { agenda } from '../schedules/index.js';
import { Fleet } from '../device-sim/index.js';
import { loadConfig } from '../controller/config.js';
import { startController, type Controller } from '../controller/runtime.js';
import { createAudioProcessor } from '../controller/media/processor.js';
import type { Actor } from '../controller/auth/permissions.js';
import type { BroadcastInput } from '../controller/broadcasts/service.js';
import { ScheduleEngine } from '../controller/programmes/engine.js';
import { engineOptionsFromEnv } from '../controller/programmes/feature.js';
import { ProgrammeRepository, type StoredProgramme } from '../controller/programmes/repository.js';
import { Api } from '../test/helpers/api.js';
import { sineWav } from '../test/helpers/audio.js';
import { formatMs, median, printTable, writeResult } from './lib/report.js';
import { programmeMix } from './lib/programme-mix.js';

const { values } = parseArgs({
  options: {
    programmes: { type: 'string', default: '1000' },
    speakers: { type: 'string', default: '500' },
    zones: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    slots: { type: 'string', default: '60' },
  },
});
const PROGRAMMES = Number(values.programmes);
const SPEAKERS = Number(values.speakers);
const ZONES = Number(values.zones);
const ROUNDS = Number(values.rounds);
/** Slots per round, from 05:00 (a day has 60 quarter hours from 05:00 to 19:45). */
const SLOTS = Number(values.slots);
const COMMUNE = 'bench';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Local midnight (UTC+7) of the first round's day; the day before it warms up. Ahead of the real clock, which the controller keeps. */
const FIRST_DAY = Math.floor((Date.now() + 7 * HOUR_MS) / DAY_MS) * DAY_MS - 7 * HOUR_MS + 2 * DAY_MS;
const REACH_TIMEOUT_MS = 120_000;
/** Slots of the day before the rounds, run and thrown away: JIT, memos, first downloads. */
const WARMUP_SLOTS = 4;
const ENGINE = engineOptionsFromEnv({});
const SCHEDULE_ACTOR: Actor = { id: 'schedule', username: 'lịch phát: bench', role: 'officer', commune: COMMUNE };
const ADMIN: Actor = { id: 'bench', username: 'bench', role: 'admin', commune: null };

interface Bench {
  c: Controller;
  fleet: Fleet;
  engine: ScheduleEngine;
  calendar: CalendarClock;
  programmes: StoredProgramme[];
  repo: ProgrammeRepository;
  failures: { count: number; late: number; first?: string };
  dataDir: string;
}

/** What one batch (the occurrences of one slot) cost, from its first call until every speaker had it. */
interface Batch {
  reachMs: number;
  /** Until the engine's tick (or the baseline's loop of creates) resolved: the controller's own work. */
  callMs: number;
  jobs: string[];
  deliveries: number;
}

interface Day {
  day: string;
  slots: number;
  occurrences: number;
  deliveries: number;
  engine: { reachMs: number; callMs: number };
  baseline: { reachMs: number; callMs: number };
  idleTickMs: number;
}

/** The engine's calendar: runs with real time between steps, and is set forward to the next slot. */
class CalendarClock {
  private offset = 0;
  readonly now = () => Date.now() + this.offset;
  set(at: number): void {
    this.offset = at - Date.now();
  }
}

const localTime = (ms: number) => new Date(ms + 7 * HOUR_MS).toISOString().slice(0, 16).replace('T', ' ');
const perOccurrence = (ms: number, n: number) => (n === 0 ? '—' : `${(ms / n).toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function memoryAfterGc(): NodeJS.MemoryUsage {
  global.gc?.();
  return process.memoryUsage();
}

/** (a) bench/schedules-occurrences.ts as it is, in a child process; its output relayed, its two figures kept. */
function occurrenceFigures(): { engineMs: number | null; ratio: number | null } {
  const script = fileURLToPath(new URL('./schedules-occurrences.ts', import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--programmes', String(PROGRAMMES), '--rounds', String(Math.max(ROUNDS, 5))], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`schedules-occurrences failed: ${run.stderr}`);
  console.log(run.stdout.trimEnd().replace(/^/gm, '  '));
  const engineMs = /^engine:\s+([\d.]+) ms/m.exec(run.stdout)?.[1];
  const ratio = /^ratio:\s+([\d.]+)×/m.exec(run.stdout)?.[1];
  return { engineMs: engineMs ? Number(engineMs) : null, ratio: ratio ? Number(ratio) : null };
}

async function startBenchController(): Promise<{ c: Controller; api: Api; dataDir: string }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-schedules-'));
  const config = { ...loadConfig({}), dataDir, httpHost: '127.0.0.1', httpPort: 0, mqttHost: '127.0.0.1', mqttPort: 0, mqttWsPort: null, adminPassword: 'bench-admin-pw', demo: false, deviceSecretHashN: 1024, logLevel: 'silent' };
  const c = await startController(config, { logger: false, processor: (await createAudioProcessor(config)).processor, features: [] });
  const api = new Api(c.httpUrl);
  await api.login('admin', 'bench-admin-pw');
  return { c, api, dataDir };
}

const zoneId = (i: number) => `thon-${String(i).padStart(2, '0')}`;

/** SPEAKERS speakers spread evenly over ZONES zones. */
async function registerSpeakers(c: Controller): Promise<Array<{ id: string; secret: string }>> {
  for (let z = 0; z < ZONES; z++) await c.zones.create(ADMIN, { id: zoneId(z), name: `Thôn ${z}`, commune: COMMUNE });
  const inputs = Array.from({ length: SPEAKERS }, (_, i) => ({ id: `loa-${String(i).padStart(4, '0')}`, zoneId: zoneId(i % ZONES) }));
  return (await c.registry.registerMany(ADMIN, inputs)).map((r) => ({ id: r.device.id, secret: r.secret }));
}

async function connectFleet(c: Controller, devices: Array<{ id: string; secret: string }>): Promise<Fleet> {
  const fleet = new Fleet({ brokerUrl: c.mqttUrl, devices, seed: 7, shareDownloads: true, connectConcurrency: 250 });
  await fleet.start();
  // Commands wait for each speaker's clock offset, measured once it is online: wait for both.
  while (devices.some((d) => c.presence.get(d.id)?.clockOffsetMs == null)) await new Promise((r) => setTimeout(r, 50));
  return fleet;
}

/** The mix of bench/schedules-occurrences.ts, stored as the controller stores programmes. */
function makeProgrammes(mediaId: string, createdAt: number): StoredProgramme[] {
  return programmeMix(PROGRAMMES, { mediaId, zones: ZONES, zoneId }).map((p) => ({ ...p, createdAt, createdBy: 'bench', commune: COMMUNE, previous: [] }));
}

/** Per job, the speakers that have acknowledged it, and those that have its file (the speaker waits for its start). */
class Acks {
  readonly reached = new Map<string, Set<string>>();
  readonly settled = new Map<string, Set<string>>();

  /** How many of this job's speakers the ack adds to each set. */
  note(jobId: string, deviceId: string, state: string): { reached: number; settled: number } {
    const settles = state !== 'received' && state !== 'downloading';
    return { reached: addTo(this.reached, jobId, deviceId), settled: settles ? addTo(this.settled, jobId, deviceId) : 0 };
  }
}

function addTo(sets: Map<string, Set<string>>, key: string, item: string): number {
  const set = sets.get(key) ?? new Set<string>();
  sets.set(key, set);
  if (set.has(item)) return 0;
  set.add(item);
  return 1;
}

/**
 * Runs `call`; `reachMs` is when every speaker targeted by each broadcast created meanwhile has
 * acknowledged it, and the promise resolves once all of them also have the file, so that the next
 * batch starts on a quiet controller. Acks can overtake the `broadcast.created` event (it follows
 * the dispatch), so they are counted per job from the start and settled against its size later.
 */
function measureReach(c: Controller, call: () => Promise<unknown>): Promise<Batch> {
  const acks = new Acks();
  const created = new Map<string, number>();
  const open = { reach: 0, settle: 0 };
  let callMs = -1;
  let reachMs = -1;
  const t0 = performance.now();
  return new Promise<Batch>((resolve, reject) => {
    const finish = (err?: Error) => {
      offDelivery();
      offCreated();
      clearTimeout(timer);
      if (err) return reject(err);
      const jobs = [...created.keys()];
      resolve({ reachMs, callMs, jobs, deliveries: jobs.reduce((n, id) => n + created.get(id)!, 0) });
    };
    const check = () => {
      if (callMs < 0) return;
      if (reachMs < 0 && open.reach === 0) reachMs = performance.now() - t0;
      if (open.settle === 0) finish();
    };
    const offDelivery = c.bus.on('delivery', (e) => {
      if (e.state === 'pending') return;
      const added = acks.note(e.jobId, e.deviceId, e.state);
      if (!created.has(e.jobId)) return;
      open.reach -= added.reached;
      open.settle -= added.settled;
      check();
    });
    const offCreated = c.bus.on('broadcast.created', (e) => {
      created.set(e.id, e.targeted);
      open.reach += e.targeted - (acks.reached.get(e.id)?.size ?? 0);
      open.settle += e.targeted - (acks.settled.get(e.id)?.size ?? 0);
    });
    const timer = setTimeout(() => finish(new Error(`batch not settled within ${REACH_TIMEOUT_MS} ms: ${open.reach} not reached, ${open.settle} without the file`)), REACH_TIMEOUT_MS);
    call().then(
      () => {
        callMs = performance.now() - t0;
        check();
      },
      (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
    );
  });
}

/** The engine at the moment a slot enters its prefetch window: one tick sends every occurrence of it. */
function engineBatch(b: Bench, slot: number): Promise<Batch> {
  b.calendar.set(slot - ENGINE.prefetchMs + 1);
  return measureReach(b.c, () => b.engine.tick());
}

/** The same broadcasts as the engine made for that slot, created one after another as the engine does. */
function baselineBatch(b: Bench, engineJobs: string[]): Promise<Batch> {
  const inputs = engineJobs.map((id) => copyOf(b, id));
  return measureReach(b.c, async () => {
    for (const input of inputs) await b.c.broadcasts.create(SCHEDULE_ACTOR, input);
  });
}

function copyOf(b: Bench, jobId: string): BroadcastInput {
  const x = b.c.store.broadcasts.get(jobId)!;
  return { title: x.title, mediaId: x.mediaId!, targets: x.targets, priority: x.priority, startAt: x.startAt!, notAfter: x.notAfter };
}

/** A tick with nothing due, at 02:00 local (no programme plays before 05:00): the engine's idle cost per second. */
async function idleTickMs(b: Bench, day: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    b.calendar.set(day + 2 * HOUR_MS + i * 1000);
    const t0 = performance.now();
    await b.engine.tick();
    times.push(performance.now() - t0);
  }
  return median(times.slice(1)); // the first looks back over the hours since the last slot
}

/** Every slot of a local day: the engine's batch, then the same broadcasts again as the baseline. */
async function runDay(b: Bench, day: number, maxSlots = Infinity): Promise<Day> {
  const idle = await idleTickMs(b, day);
  const slots = [...new Set(agenda(b.programmes, day, day + DAY_MS).map((o) => o.at))].sort((x, y) => x - y).slice(0, maxSlots);
  const sum = { engine: { reachMs: 0, callMs: 0 }, baseline: { reachMs: 0, callMs: 0 }, occurrences: 0, deliveries: 0 };
  for (const slot of slots) {
    const eng = await engineBatch(b, slot);
    const base = await baselineBatch(b, eng.jobs);
    if (base.jobs.length !== eng.jobs.length) throw new Error(`slot ${localTime(slot)}: engine made ${eng.jobs.length} broadcasts, baseline ${base.jobs.length}`);
    add(sum.engine, eng);
    add(sum.baseline, base);
    sum.occurrences += eng.jobs.length;
    sum.deliveries += eng.deliveries;
  }
  return { day: localTime(day).slice(0, 10), slots: slots.length, idleTickMs: idle, ...sum };
}

function add(total: { reachMs: number; callMs: number }, batch: Batch): void {
  total.reachMs += batch.reachMs;
  total.callMs += batch.callMs;
}

/** Controller, speakers online, one media file, the programmes stored, and an engine on the calendar clock. */
async function startBench(): Promise<Bench & { programmesHeapBytes: number }> {
  const { c, api, dataDir } = await startBenchController();
  const devices = await registerSpeakers(c);
  const upload = await api.upload('/api/v1/media', sineWav(1), 'bench.wav', { title: 'Bench' });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  const fleet = await connectFleet(c, devices);
  const calendar = new CalendarClock();
  calendar.set(FIRST_DAY - DAY_MS);
  const repo = await ProgrammeRepository.open(dataDir, c.config.flushMs, calendar.now());
  const before = memoryAfterGc().heapUsed;
  const programmes = makeProgrammes(upload.body.id, calendar.now());
  await Promise.all(programmes.map((p) => repo.save(p)));
  const programmesHeapBytes = memoryAfterGc().heapUsed - before;
  const failures: Bench['failures'] = { count: 0, late: 0 };
  const engine = new ScheduleEngine(repo, c.broadcasts, c.registry, c.store, calendar, countingLogger(failures), ENGINE);
  return { c, fleet, engine, calendar, programmes, failures, dataDir, programmesHeapBytes, repo };
}

/** The engine logs a failed occurrence as a warning; so it does one started later than its time. */
function countingLogger(failures: Bench['failures']) {
  return {
    warn(obj: object, msg?: string) {
      if (msg === 'programme occurrence sent late') return void failures.late++;
      failures.count++;
      failures.first ??= `${msg} ${JSON.stringify(obj)}`;
    },
    info() {},
  };
}

async function stopBench(b: Bench): Promise<void> {
  await b.repo.flush();
  await b.fleet.stop();
  await b.c.close();
  await fs.rm(b.dataDir, { recursive: true, force: true });
}

function roundRow(d: Day): Record<string, string | number> {
  return {
    day: d.day,
    slots: d.slots,
    occurrences: d.occurrences,
    deliveries: d.deliveries,
    'engine reach': formatMs(d.engine.reachMs),
    'baseline reach': formatMs(d.baseline.reachMs),
    ratio: Number((d.engine.reachMs / d.baseline.reachMs).toFixed(2)),
    'engine/occ': perOccurrence(d.engine.reachMs, d.occurrences),
    'overhead/occ': perOccurrence(d.engine.reachMs - d.baseline.reachMs, d.occurrences),
    'tick/creates': Number((d.engine.callMs / d.baseline.callMs).toFixed(2)),
    'idle tick': formatMs(d.idleTickMs),
  };
}

function summary(days: Day[]) {
  const m = (f: (d: Day) => number) => median(days.map(f));
  return {
    reachRatio: m((d) => d.engine.reachMs / d.baseline.reachMs),
    callRatio: m((d) => d.engine.callMs / d.baseline.callMs),
    engineMsPerOccurrence: m((d) => d.engine.reachMs / d.occurrences),
    baselineMsPerOccurrence: m((d) => d.baseline.reachMs / d.occurrences),
    overheadMsPerOccurrence: m((d) => (d.engine.reachMs - d.baseline.reachMs) / d.occurrences),
    idleTickMs: m((d) => d.idleTickMs),
  };
}

function printSummary(s: ReturnType<typeof summary>, occ: ReturnType<typeof occurrenceFigures>, b: Bench, memory: { programmesHeapBytes: number }): void {
  console.log(`median of ${ROUNDS} rounds:`);
  console.log(`  (a) a month of occurrences: ${occ.engineMs ?? '?'} ms for ${PROGRAMMES} programmes, ${occ.ratio ?? '?'}× a plain loop of fixed offsets`);
  console.log(`  (b) engine → speakers: ${s.reachRatio.toFixed(2)}× the baseline; ${s.engineMsPerOccurrence.toFixed(2)} ms per occurrence (baseline ${s.baselineMsPerOccurrence.toFixed(2)} ms), overhead ${s.overheadMsPerOccurrence.toFixed(2)} ms per occurrence`);
  console.log(`      controller work alone (tick vs. loop of creates, until the call resolves): ${s.callRatio.toFixed(2)}×`);
  console.log(`      idle tick (nothing due, ${PROGRAMMES} programmes scanned): ${s.idleTickMs.toFixed(1)} ms, ${((s.idleTickMs / ENGINE.tickMs) * 100).toFixed(1)} % of a core at one tick per ${ENGINE.tickMs} ms`);
  console.log(`  occurrences not sent: ${b.failures.count}${b.failures.first ? ` (first: ${b.failures.first})` : ''}; recorded "late" (sent after their planned start): ${b.failures.late}`);
  console.log(`  memory: ${PROGRAMMES} programmes ${mb(memory.programmesHeapBytes)} heap; process RSS ${mb(process.memoryUsage().rss)}, heap ${mb(process.memoryUsage().heapUsed)} at the end`);
}

async function main(): Promise<void> {
  console.log(`bench/schedules: ${PROGRAMMES} programmes, ${SPEAKERS} speakers in ${ZONES} zones, ${ROUNDS} rounds; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`);
  if (typeof global.gc !== 'function') console.log('note: no global.gc (run `npx tsx --expose-gc bench/schedules.ts`): memory figures include uncollected garbage');
  console.log('(a) occurrences of a month (bench/schedules-occurrences.ts):');
  const occ = occurrenceFigures();
  console.log('(b) dispatch: engine tick → broadcasts → every targeted speaker acknowledged, beside the same broadcasts made directly');
  const b = await startBench();
  try {
    await runDay(b, FIRST_DAY - DAY_MS, WARMUP_SLOTS);
    const days: Day[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      days.push(await runDay(b, FIRST_DAY + r * DAY_MS, SLOTS));
      console.log(`  round ${r + 1}: ${days.at(-1)!.day}, ${days.at(-1)!.occurrences} occurrences, ratio ${(days.at(-1)!.engine.reachMs / days.at(-1)!.baseline.reachMs).toFixed(2)}×`);
    }
    printTable(days.map(roundRow));
    const s = summary(days);
    printSummary(s, occ, b, b);
    console.log(`written: ${await writeResult('schedules', { host: { node: process.version, cores: os.cpus().length, loadAvg1: os.loadavg()[0] }, programmes: PROGRAMMES, speakers: SPEAKERS, zones: ZONES, engine: ENGINE, occurrences: occ, days, summary: s, failures: b.failures })}`);
  } finally {
    await stopBench(b);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
