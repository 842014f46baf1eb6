/**
 * The bare fan-out baseline: aedes in-process and plain mqtt.js clients doing the controller's
 * publish → ack round trip (one QoS 1 command per client on its own topic, one QoS 1 ack back),
 * with nothing of Loa in between. Benchmarks report their times as ratios against this.
 */
import net from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, fleetTopic } from '../../protocol/index.js';
import { benchErrors } from './errors.js';
import { assertDescriptors } from './fd-limit.js';
import { playPayload, receivedAck } from './payloads.js';
import { mapLimited } from './pool.js';
import { median } from './report.js';

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
}

export interface BaselineResult {
  clients: number;
  /** ms from the first publish until all acks are in, per round. */
  rounds: number[];
  medianMs: number;
  /** CPU time (user + system) this process spent per round: less swayed than wall time by other load. */
  roundsCpuMs: number[];
  medianCpuMs: number;
  /** ms to connect and subscribe every client. */
  connectMs: number;
  /** RSS / heap growth per connected client, its broker side included (both live in this process). */
  rssPerClientBytes: number;
  heapPerClientBytes: number;
  payloadBytes: number;
  /** false: no `global.gc` (run node with --expose-gc), so the memory figures include uncollected garbage. */
  gcExposed: boolean;
}

interface Broker {
  url: string;
  close(): Promise<void>;
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
}

const CONTROLLER_ID = 'baseline-controller';
const speakerId = (i: number) => `bench-${i}`;

export async function runBaseline(opts: BaselineOptions): Promise<BaselineResult> {
  const { clients, rounds = 3, payloadBytes = 400, connectConcurrency = 200 } = opts;
  checkOptions(clients, rounds, connectConcurrency);
  const payload = playPayload(payloadBytes);
  assertDescriptors(clients, 3); // + the controller's two ends and the listening socket
  const broker = await startBareBroker(opts.broker ?? {});
  const opened: MqttClient[] = [];
  const trouble: Trouble = { errors: 0, closed: 0 };
  let ok = false;
  try {
    const before = memoryAfterGc();
    const t0 = performance.now();
    await mapLimited(range(clients), connectConcurrency, (i) => connectSpeaker(broker.url, speakerId(i), opened, trouble));
    const connectMs = performance.now() - t0;
    const after = memoryAfterGc();
    const timeoutMs = opts.roundTimeoutMs ?? 30_000 + 5 * clients;
    const measured = await measureRounds(broker.url, { clients, rounds, payload, timeoutMs }, opened, trouble);
    ok = true;
    return {
      clients,
      rounds: measured.map((r) => r.wallMs),
      medianMs: median(measured.map((r) => r.wallMs)),
      roundsCpuMs: measured.map((r) => r.cpuMs),
      medianCpuMs: median(measured.map((r) => r.cpuMs)),
      connectMs,
      rssPerClientBytes: (after.rss - before.rss) / clients,
      heapPerClientBytes: (after.heapUsed - before.heapUsed) / clients,
      payloadBytes,
      gcExposed: typeof global.gc === 'function',
    };
  } finally {
    await Promise.all(opened.map((c) => c.endAsync(!ok)));
    await broker.close();
  }
}

function checkOptions(clients: number, rounds: number, concurrency: number): void {
  const positive = (n: number) => Number.isInteger(n) && n > 0;
  if (!positive(clients)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `clients = ${clients}` });
  if (!positive(rounds)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `rounds = ${rounds}` });
  if (!positive(concurrency)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `connectConcurrency = ${concurrency}` });
}

async function startBareBroker(options: AedesOptions): Promise<Broker> {
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

/** Connected or rejected; tracked in `opened` from the start so a failed run can still close it. */
function connectClient(url: string, clientId: string, opened: MqttClient[], trouble: Trouble): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId, protocolVersion: 4, clean: true, reconnectPeriod: 0 });
  opened.push(client);
  return new Promise((resolve, reject) => {
    client.once('error', reject);
    client.once('connect', () => {
      client.off('error', reject);
      client.on('error', (err) => noteTrouble(trouble, 'errors', `${clientId}: ${err.message}`));
      client.once('close', () => noteTrouble(trouble, 'closed', `${clientId}: closed`));
      resolve(client);
    });
  });
}

function noteTrouble(trouble: Trouble, kind: 'errors' | 'closed', what: string): void {
  trouble[kind]++;
  trouble.first ??= what;
}

/** A speaker: its own `cmd` topic, answering every command with one `received` ack on its own `ack` topic. */
async function connectSpeaker(url: string, id: string, opened: MqttClient[], trouble: Trouble): Promise<void> {
  const client = await connectClient(url, id, opened, trouble);
  const ackTopic = deviceTopic(id, 'ack');
  const ack = receivedAck();
  client.on('message', () => client.publish(ackTopic, ack, { qos: 1 }));
  await client.subscribeAsync(deviceTopic(id, 'cmd'), { qos: 1 });
}

async function measureRounds(
  url: string,
  plan: { clients: number; rounds: number; payload: Buffer; timeoutMs: number },
  opened: MqttClient[],
  trouble: Trouble,
): Promise<Round[]> {
  const controller = await connectClient(url, CONTROLLER_ID, opened, trouble);
  await controller.subscribeAsync(fleetTopic('ack'), { qos: 1 });
  const cmdTopics = range(plan.clients).map((i) => deviceTopic(speakerId(i), 'cmd'));
  const out: Round[] = [];
  for (let round = 1; round <= plan.rounds; round++) {
    out.push(await runRound(controller, cmdTopics, plan.payload, { round, timeoutMs: plan.timeoutMs, trouble }));
  }
  return out;
}

/** One command to every speaker, as Loa's dispatcher sends them; done when every speaker's ack is in. */
function runRound(controller: MqttClient, cmdTopics: string[], payload: Buffer, ctx: { round: number; timeoutMs: number; trouble: Trouble }): Promise<Round> {
  const acked = new Set<string>();
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      clearTimeout(timer);
      controller.off('message', onAck);
      if (err) return reject(err);
      const cpu = process.cpuUsage(cpu0);
      resolve({ wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 });
    };
    const onAck = (topic: string) => {
      acked.add(topic); // a QoS 1 duplicate counts once
      if (acked.size === cmdTopics.length) finish();
    };
    const timer = setTimeout(() => {
      const { errors, closed, first } = ctx.trouble;
      finish(benchErrors.LOA_BENCH_ACK_TIMEOUT({ round: ctx.round, acks: acked.size, expected: cmdTopics.length, timeoutMs: ctx.timeoutMs, errors, closed, first }));
    }, ctx.timeoutMs);
    controller.on('message', onAck);
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (const topic of cmdTopics) controller.publish(topic, payload, { qos: 1 });
  });
}

function memoryAfterGc(): NodeJS.MemoryUsage {
  global.gc?.();
  return process.memoryUsage();
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
