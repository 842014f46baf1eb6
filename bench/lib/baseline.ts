/**
 * The bare fan-out baseline: aedes in-process and plain mqtt.js clients doing the controller's
 * publish → ack round trip (one QoS 1 command per client on its own topic, one QoS 1 ack back),
 * with nothing of Loa in between. Benchmarks report their times as ratios against this.
 * The broker and the controller's client always live in this process, where the time is measured;
 * the speakers live beside them or in a child process (bench/lib/baseline-clients.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Aedes, type AedesOptions } from 'aedes';
import type { MqttClient } from 'mqtt';
import { deviceTopic, fleetTopic } from '../../protocol/index.js';
import type { SpeakersMessage } from './baseline-clients.js';
import { benchErrors } from './errors.js';
import { assertDescriptors } from './fd-limit.js';
import { PLAY_ACK_STATES, playPayload } from './payloads.js';
import { mapLimited } from './pool.js';
import { processCpuMs } from './proc.js';
import { median } from './report.js';
import { connectClient, connectSpeaker, speakerId, type OnTrouble } from './speakers.js';

export interface BaselineOptions {
  clients: number;
  /** Default 3. */
  rounds?: number;
  /** Size of each command; default 400, like a play command with its signed URL. */
  payloadBytes?: number;
  /** Connections being opened at once; default 200. */
  connectConcurrency?: number;
  /** How long one round may wait for its acks; default 30 s + 5 ms per client. */
  roundTimeoutMs?: number;
  /** Broker tuning, to compare like with like (Loa's broker runs with concurrency 1000); default: aedes' own. */
  broker?: Pick<AedesOptions, 'concurrency' | 'queueLimit'>;
  /**
   * Where the speakers run: 'in-process' beside the broker (default; 2 descriptors per speaker here),
   * or 'child': a process of their own, as bench/alert runs Loa's simulated fleet (1 descriptor per
   * speaker on each side, so 10,000 fit under a 20,000 open-file limit).
   */
  speakers?: 'in-process' | 'child';
  /**
   * Acks each speaker sends per command: 1 (`received`, default) up to 5, the play sequence a Loa
   * speaker sends (received, downloading, ready, playing, done). The time is until every speaker's
   * first ack; a round ends once all acks are in.
   */
  acksPerCommand?: number;
}

export interface BaselineResult {
  clients: number;
  /** ms from the first publish until every speaker's first ack is in, per round. */
  rounds: number[];
  medianMs: number;
  speakers: 'in-process' | 'child';
  acksPerCommand: number;
  /** CPU time (user + system) this process (broker + controller, and the speakers when in-process) spent per round: less swayed than wall time by other load. */
  roundsCpuMs: number[];
  medianCpuMs: number;
  /** CPU time of the speakers' process over the same span, per round; null when in-process (or not Linux). */
  roundsSpeakersCpuMs: Array<number | null>;
  /** ms to connect and subscribe every client. */
  connectMs: number;
  /** RSS / heap growth per connected client: its broker side plus its own, in whichever process it runs. */
  rssPerClientBytes: number;
  heapPerClientBytes: number;
  payloadBytes: number;
  /** false: no `global.gc` (run node with --expose-gc), so the memory figures include uncollected garbage. */
  gcExposed: boolean;
}

/** What went wrong on connections after they were up, for the timeout message. */
interface Trouble {
  errors: number;
  closed: number;
  first?: string;
}

interface Round {
  wallMs: number;
  cpuMs: number;
  speakersCpuMs: number | null;
}

/** The speakers once connected: how long that took, and the memory they grew by outside this process. */
interface Connected {
  connectMs: number;
  rssBytes: number;
  heapBytes: number;
}

const CONTROLLER_ID = 'baseline-controller';
const CLIENTS_SCRIPT = fileURLToPath(new URL('./baseline-clients.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function runBaseline(opts: BaselineOptions): Promise<BaselineResult> {
  const { clients, rounds = 3, payloadBytes = 400, connectConcurrency = 200, speakers = 'in-process', acksPerCommand = 1 } = opts;
  checkOptions(clients, rounds, connectConcurrency, acksPerCommand);
  const payload = playPayload(payloadBytes);
  // + the controller's two ends and the listening socket (and the IPC channel to the child)
  if (speakers === 'child') assertDescriptors(clients, 4, 1);
  else assertDescriptors(clients, 3);
  const broker = await startBareBroker(opts.broker ?? {});
  const opened: MqttClient[] = [];
  const trouble: Trouble = { errors: 0, closed: 0 };
  const onTrouble: OnTrouble = (kind, what) => {
    trouble[kind]++;
    trouble.first ??= what;
  };
  const child = speakers === 'child' ? spawnSpeakers(broker.url, clients, acksPerCommand, connectConcurrency) : null;
  let ok = false;
  try {
    const before = memoryAfterGc();
    const connected = child ? await whenReady(child, onTrouble) : await connectInProcess(broker.url, clients, acksPerCommand, connectConcurrency, opened, onTrouble);
    const after = memoryAfterGc();
    const timeoutMs = opts.roundTimeoutMs ?? 30_000 + 5 * clients;
    const measured = await measureRounds(broker.url, { clients, rounds, payload, acks: acksPerCommand, timeoutMs, speakersPid: child?.pid }, opened, trouble, onTrouble);
    ok = true;
    return {
      clients,
      speakers,
      acksPerCommand,
      rounds: measured.map((r) => r.wallMs),
      medianMs: median(measured.map((r) => r.wallMs)),
      roundsCpuMs: measured.map((r) => r.cpuMs),
      medianCpuMs: median(measured.map((r) => r.cpuMs)),
      roundsSpeakersCpuMs: measured.map((r) => r.speakersCpuMs),
      connectMs: connected.connectMs,
      rssPerClientBytes: (after.rss - before.rss + connected.rssBytes) / clients,
      heapPerClientBytes: (after.heapUsed - before.heapUsed + connected.heapBytes) / clients,
      payloadBytes,
      gcExposed: typeof global.gc === 'function',
    };
  } finally {
    if (child) await stopChild(child);
    await Promise.all(opened.map((c) => c.endAsync(!ok)));
    await broker.close();
  }
}

function checkOptions(clients: number, rounds: number, concurrency: number, acks: number): void {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!positive(clients)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `clients = ${clients}` });
  if (!positive(rounds)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `rounds = ${rounds}` });
  if (!positive(concurrency)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `connectConcurrency = ${concurrency}` });
  if (!positive(acks) || acks > PLAY_ACK_STATES.length) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `acksPerCommand = ${acks}` });
}

async function startBareBroker(options: AedesOptions): Promise<{ url: string; close(): Promise<void> }> {
  const aedes = await Aedes.createBroker(options);
  const server = net.createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function connectInProcess(url: string, clients: number, acks: number, concurrency: number, opened: MqttClient[], onTrouble: OnTrouble): Promise<Connected> {
  const t0 = performance.now();
  await mapLimited(range(clients), concurrency, (i) => connectSpeaker(url, speakerId(i), acks, opened, onTrouble));
  return { connectMs: performance.now() - t0, rssBytes: 0, heapBytes: 0 };
}

function spawnSpeakers(url: string, clients: number, acks: number, concurrency: number): ChildProcess {
  const args = [...(global.gc ? ['--expose-gc'] : []), '--import', 'tsx', CLIENTS_SCRIPT, '--url', url, '--clients', String(clients), '--acks', String(acks), '--concurrency', String(concurrency)];
  return spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Resolves on the child's `ready`; its later trouble, and its exit, are noted for the timeout message. */
function whenReady(child: ChildProcess, onTrouble: OnTrouble): Promise<Connected> {
  return new Promise((resolve, reject) => {
    let ready = false;
    child.on('message', (m: SpeakersMessage) => {
      if (m.type === 'trouble') return onTrouble(m.kind, m.what);
      ready = true;
      resolve({ connectMs: m.connectMs, rssBytes: m.rssBytes, heapBytes: m.heapBytes });
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const what = `speaker process exited (${signal ?? code})`;
      if (ready) onTrouble('closed', what);
      else reject(new Error(`${what} before its speakers were connected`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

async function measureRounds(
  url: string,
  plan: { clients: number; rounds: number; payload: Buffer; acks: number; timeoutMs: number; speakersPid: number | undefined },
  opened: MqttClient[],
  trouble: Trouble,
  onTrouble: OnTrouble,
): Promise<Round[]> {
  const controller = await connectClient(url, CONTROLLER_ID, opened, onTrouble);
  await controller.subscribeAsync(fleetTopic('ack'), { qos: 1 });
  const cmdTopics = range(plan.clients).map((i) => deviceTopic(speakerId(i), 'cmd'));
  const out: Round[] = [];
  for (let round = 1; round <= plan.rounds; round++) {
    out.push(await runRound(controller, cmdTopics, plan.payload, { round, acks: plan.acks, timeoutMs: plan.timeoutMs, trouble, speakersPid: plan.speakersPid }));
  }
  return out;
}

/**
 * One command to every speaker, as Loa's dispatcher sends them: timed until every speaker's first
 * ack is in, done once all its acks are (so none spill into the next round).
 */
function runRound(controller: MqttClient, cmdTopics: string[], payload: Buffer, ctx: { round: number; acks: number; timeoutMs: number; trouble: Trouble; speakersPid: number | undefined }): Promise<Round> {
  const acksBySpeaker = new Map<string, number>();
  let complete = 0;
  let measured: Round | null = null;
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      clearTimeout(timer);
      controller.off('message', onAck);
      if (err) return reject(err);
      resolve(measured!);
    };
    const onAck = (topic: string) => {
      const n = (acksBySpeaker.get(topic) ?? 0) + 1;
      acksBySpeaker.set(topic, n);
      if (!measured && acksBySpeaker.size === cmdTopics.length) {
        const cpu = process.cpuUsage(cpu0);
        const speakersCpu = processCpuMs(ctx.speakersPid);
        measured = { wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, speakersCpuMs: speakersCpu === null || speakersCpu0 === null ? null : speakersCpu - speakersCpu0 };
      }
      if (n === ctx.acks && ++complete === cmdTopics.length) finish();
    };
    const timer = setTimeout(() => {
      const { errors, closed, first } = ctx.trouble;
      finish(benchErrors.LOA_BENCH_ACK_TIMEOUT({ round: ctx.round, acks: acksBySpeaker.size, expected: cmdTopics.length, timeoutMs: ctx.timeoutMs, errors, closed, first }));
    }, ctx.timeoutMs);
    controller.on('message', onAck);
    const cpu0 = process.cpuUsage();
    const speakersCpu0 = ctx.speakersPid === undefined ? null : processCpuMs(ctx.speakersPid);
    const start = performance.now();
    for (const topic of cmdTopics) controller.publish(topic, payload, { qos: 1 });
  });
}

function memoryAfterGc(): NodeJS.MemoryUsage {
  global.gc?.();
  return process.memoryUsage();
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
