/** One simulated loudspeaker receiver, following every device rule of the Loa protocol (docs/protocol.md). */
import { EventEmitter } from 'node:events';
import type { MqttClient } from 'mqtt';
import {
  DEFAULT_HEARTBEAT_S,
  deviceTopic,
  parseCommand,
  parseConfig,
  type Ack,
  type Command,
  type DeviceConfig,
  type OnlineState,
} from '../protocol/index.js';
import { skewedClock, type Clock } from './clock.js';
import { CommandRunner, commandIdOf } from './commands.js';
import type { DownloadCache } from './download.js';
import type { DeviceFaults } from './faults.js';
import { openLink } from './link.js';
import type { Player, PlayRecord } from './player.js';
import { hashSeed, seeded, type Random } from './random.js';
import { Heartbeat, telemetry } from './telemetry.js';

export interface SimDeviceOptions {
  id: string;
  secret: string;
  /** mqtt://host:port, mqtts://…, ws://host:port/mqtt */
  brokerUrl: string;
  model?: string;
  fw?: string;
  /** Playback speed factor: 1 real time, 100 → a 3-minute clip plays in 1.8 s. */
  speed?: number;
  /** Device clock = Date.now() + skew. */
  clockSkewMs?: number;
  /** Until a retained config says otherwise (default 30). */
  heartbeatS?: number;
  /** Last session number; the next connection uses session + 1. */
  session?: number;
  faults?: DeviceFaults;
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  downloadCache?: DownloadCache;
  keepaliveS?: number;
  /** First pause before reconnecting after a lost link (ms, default 1000); doubles on each failure. */
  reconnectMs?: number;
  /** How long a reboot keeps the device off the network (real ms, default 200). */
  rebootMs?: number;
  /** Most acks, plays and executions kept for observation (default 10,000 each). */
  historyLimit?: number;
  random?: Random;
}

export type SimAck = Ack;
const MAX_RECONNECT_MS = 30_000;
const OUTBOX_LIMIT = 1000;
const GOODBYE_MS = 2000;

/** Whether `p` settled within `ms` (its outcome is not needed, only that it ended). */
function withinMs(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([p.then(() => true, () => true), timeout]).finally(() => clearTimeout(timer));
}

export class SimDevice extends EventEmitter {
  readonly id: string;
  session: number;
  fw: string;
  volume = 70;
  muted = false;
  config: DeviceConfig | null = null;
  readonly clock: Clock;
  readonly executions = new Map<string, number>();
  readonly acks: Ack[] = [];
  readonly streamBytes = new Map<string, number>();

  private readonly runner: CommandRunner;
  private readonly random: Random;
  private client: MqttClient | null = null;
  private faults: DeviceFaults;
  private wanted = false;
  private readonly heartbeat = new Heartbeat();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private connecting: Promise<void> | null = null;
  private readonly outbox: Ack[] = [];
  private seq = 0;
  private bootedAt = Date.now();

  constructor(private readonly opts: SimDeviceOptions) {
    super();
    this.id = opts.id;
    this.session = opts.session ?? 0;
    this.fw = opts.fw ?? '1.4.2';
    this.faults = { ...opts.faults };
    this.clock = skewedClock(opts.clockSkewMs ?? 0);
    this.random = opts.random ?? seeded(hashSeed(opts.id));
    this.runner = new CommandRunner(this, {
      speed: opts.speed ?? 1,
      historyLimit: opts.historyLimit ?? 10_000,
      ...(opts.downloadCache ? { cache: opts.downloadCache } : {}),
    });
    this.setMaxListeners(100);
  }

  get plays(): PlayRecord[] {
    return this.runner.plays;
  }

  get online(): boolean {
    return this.client?.connected ?? false;
  }

  get playing(): string | null {
    return this.runner.playing;
  }

  /** The playback queue (read it; drive it through commands). */
  get player(): Player {
    return this.runner.player;
  }

  get currentFaults(): DeviceFaults {
    return this.faults;
  }

  setFaults(f: DeviceFaults): void {
    this.faults = { ...f };
  }

  /** Connects; resolves after CONNACK and the birth; rejects with an Error carrying the CONNACK `code` when refused. */
  async start(): Promise<void> {
    if (this.wanted && this.client?.connected) return;
    this.wanted = true;
    try {
      await this.connect();
    } catch (err) {
      this.wanted = false;
      throw err;
    }
  }

  /** Clean shutdown: PROTOCOL lifecycle, the device says `offline/shutdown` before it disconnects. */
  async stop(): Promise<void> {
    this.wanted = false;
    this.clearReconnect();
    this.runner.powerOff();
    await this.disconnect();
  }

  /** Abrupt loss: the socket is destroyed without DISCONNECT, so the broker publishes the will. */
  kill(opts: { reconnect?: boolean } = {}): void {
    if (opts.reconnect === false) this.wanted = false;
    this.client?.stream.destroy();
  }

  /** PROTOCOL device rule 1 lives in the runner; this is the wire edge. */
  private onMessage(topic: string, payload: Buffer): void {
    const receivedAt = this.clock.now();
    if (topic === deviceTopic(this.id, 'config')) return this.onConfig(payload);
    const parsed = parseCommand(payload);
    if (!parsed.ok) {
      const id = commandIdOf(payload);
      if (id) this.ack({ cmd: id, state: 'rejected', error: { code: 'invalid_command', message: parsed.reason } });
      return;
    }
    this.runner.receive(parsed.value, receivedAt);
  }

  private onConfig(payload: Buffer): void {
    const c = parseConfig(payload);
    if (!c.ok) return;
    const heartbeatChanged = c.value.heartbeatS !== this.config?.heartbeatS;
    this.config = c.value;
    this.volume = c.value.volume;
    if (heartbeatChanged && this.online) this.startTelemetry();
  }

  /** Publishes a new ack, unless the ackLossRate fault swallows it (the device acts all the same). */
  ack(a: Omit<Ack, 'v' | 'ts'>): void {
    const ack: Ack = { v: 1, ts: this.clock.now(), ...a };
    this.runner.remember(ack);
    if (this.random() < (this.faults.ackLossRate ?? 0)) return;
    this.publishAck(ack);
  }

  /** Also the re-publication for a repeated command id: never lost, so one retry recovers a lost ack. */
  publishAck(ack: Ack): void {
    this.acks.push(ack);
    trim(this.acks, this.opts.historyLimit ?? 10_000);
    this.emit('ack', ack);
    if (this.client?.connected) return void this.client.publish(deviceTopic(this.id, 'ack'), JSON.stringify(ack), { qos: 1 });
    // Offline: kept and sent after the next birth, as a receiver's store-and-forward would.
    this.outbox.push(ack);
    trim(this.outbox, OUTBOX_LIMIT);
  }

  private flushOutbox(client: MqttClient): void {
    for (const ack of this.outbox.splice(0)) client.publish(deviceTopic(this.id, 'ack'), JSON.stringify(ack), { qos: 1 });
  }

  commandReceived(cmd: Command): void {
    this.emit('command', cmd);
  }

  addStreamBytes(broadcastId: string, n: number): void {
    const total = (this.streamBytes.get(broadcastId) ?? 0) + n;
    this.streamBytes.set(broadcastId, total);
    this.emit('stream', broadcastId, total);
  }

  /** reboot / ota: done is sent, the device goes away cleanly and comes back as a new session. */
  async reboot(): Promise<void> {
    this.runner.interruptAll();
    this.clearReconnect();
    await this.disconnect();
    await new Promise((r) => setTimeout(r, this.opts.rebootMs ?? 200));
    this.bootedAt = Date.now();
    if (!this.wanted) return;
    await this.connect().catch(() => this.scheduleReconnect());
  }

  /** One connection attempt at a time: start(), a reconnect and a reboot may race. */
  private connect(): Promise<void> {
    this.clearReconnect();
    this.connecting ??= this.openSession().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async openSession(): Promise<void> {
    // PROTOCOL lifecycle: each connection's session is one more than the last, and its will says so.
    const session = this.session + 1;
    const client = await openLink(this.opts, session);
    if (!this.wanted) {
      client.end(true);
      return;
    }
    this.session = session;
    this.client = client;
    this.seq = 0;
    this.failures = 0;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('close', () => this.onLost(client));
    // Subscribe before the birth: a controller sends pending commands on seeing the birth, and a
    // clean session would drop any that arrive before the subscription.
    await client.subscribeAsync({ [deviceTopic(this.id, 'cmd')]: { qos: 1 }, [deviceTopic(this.id, 'config')]: { qos: 1 } });
    await client.publishAsync(deviceTopic(this.id, 'state'), JSON.stringify(this.birth()), { qos: 1, retain: true });
    this.flushOutbox(client);
    this.startTelemetry();
    this.emit('online');
  }

  private birth(): OnlineState {
    return { v: 1, ts: this.clock.now(), online: true, session: this.session, model: this.opts.model ?? 'loa-sim', fw: this.fw, formats: ['mp3', 'wav'], stream: true };
  }

  private async disconnect(): Promise<void> {
    this.stopTelemetry();
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (client.connected) {
      const bye = { v: 1, ts: this.clock.now(), online: false, reason: 'shutdown', session: this.session };
      // A broker that went away mid-goodbye never acknowledges it: wait briefly, then let go.
      await withinMs(client.publishAsync(deviceTopic(this.id, 'state'), JSON.stringify(bye), { qos: 1, retain: true }), GOODBYE_MS);
    }
    // A graceful end waits for every unacknowledged QoS 1 message: forever on a dead link.
    if (!(await withinMs(client.endAsync(), GOODBYE_MS))) client.end(true);
    this.emit('offline');
  }

  private onLost(client: MqttClient): void {
    if (this.client !== client) return;
    this.client = null;
    this.stopTelemetry();
    client.end(true);
    this.emit('offline');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.wanted || this.reconnectTimer || this.client || this.connecting) return;
    const base = Math.min((this.opts.reconnectMs ?? 1000) * 2 ** this.failures, MAX_RECONNECT_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch(() => {
        this.failures++;
        this.scheduleReconnect();
      });
    }, base * (0.5 + this.random()));
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private startTelemetry(): void {
    this.heartbeat.start((this.config?.heartbeatS ?? this.opts.heartbeatS ?? DEFAULT_HEARTBEAT_S) * 1000, () => this.sendTelemetry());
  }

  private stopTelemetry(): void {
    this.heartbeat.stop();
  }

  /** PROTOCOL lifecycle: the heartbeat, `seq` counting up within the session. */
  sendTelemetry(): void {
    const tele = telemetry({
      now: this.clock.now(),
      seq: ++this.seq,
      uptimeS: Math.round((Date.now() - this.bootedAt) / 1000),
      volume: this.volume,
      muted: this.muted,
      playing: this.runner.playing,
      faults: this.faults,
      random: this.random,
    });
    this.client?.publish(deviceTopic(this.id, 'tele'), JSON.stringify(tele), { qos: 0 });
  }
}

export function trim<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}
