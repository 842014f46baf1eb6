/**
 * A fleet of simulated speakers in one process (up to 10,000): some never connect until told, some
 * drop their link abruptly now and then, with seeded clock skews and faults so a run can be repeated.
 */
import { SimDevice } from './device.js';
import { DownloadCache } from './download.js';
import type { DeviceFaults } from './faults.js';
import { hashSeed, seeded, type Random } from './random.js';

export interface FleetDevice {
  id: string;
  secret: string;
  session?: number;
}

export interface FleetOptions {
  brokerUrl: string;
  devices: FleetDevice[];
  speed?: number;
  /** Seed of every random choice (which devices are offline or flap, skews, ack loss). */
  seed?: number;
  /** Share (0..1) of devices that never connect until connectOffline(). */
  offlineShare?: number;
  /** Share (0..1) of devices whose link drops abruptly every ~flapIntervalMs, then reconnects. */
  flapShare?: number;
  flapIntervalMs?: number;
  ackLossRate?: number;
  /** Each device's clock is skewed uniformly within ±clockSkewMaxMs. */
  clockSkewMaxMs?: number;
  faults?: DeviceFaults;
  /** One download per (url, sha256) for the whole fleet. */
  shareDownloads?: boolean;
  connectConcurrency?: number;
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
  heartbeatS?: number;
  keepaliveS?: number;
  reconnectMs?: number;
}

export interface FleetStats {
  devices: number;
  online: number;
  playing: number;
  acks: number;
  plays: number;
}

/** Thrown by start() when some devices could not connect; the others stay connected. */
export class FleetStartError extends Error {
  declare readonly failures: Array<{ id: string; error: Error }>;

  constructor(failures: Array<{ id: string; error: Error }>) {
    super(`${failures.length} device(s) could not connect; first: ${failures[0]?.id}: ${failures[0]?.error.message}`);
    this.name = 'FleetStartError';
    // Not enumerable: a console dump of 10,000 stack traces helps nobody.
    Object.defineProperty(this, 'failures', { value: failures, enumerable: false });
  }
}

/** Attempts per device in start(): a CONNACK timeout under a connection storm is worth another try. */
const CONNECT_ATTEMPTS = 3;
const isRefusal = (err: unknown) => typeof (err as { code?: unknown }).code === 'number';

async function startWithRetry(d: SimDevice): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await d.start();
    } catch (err) {
      if (isRefusal(err) || attempt >= CONNECT_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

export class Fleet {
  readonly devices: SimDevice[];
  readonly offline: SimDevice[];
  readonly flapping: SimDevice[];
  readonly downloadCache: DownloadCache | undefined;
  private readonly byId = new Map<string, SimDevice>();
  private readonly flapTimers = new Set<NodeJS.Timeout>();
  private readonly random: Random;

  constructor(private readonly opts: FleetOptions) {
    const seed = opts.seed ?? 1;
    this.random = seeded(seed);
    this.downloadCache = opts.shareDownloads ? new DownloadCache() : undefined;
    this.devices = opts.devices.map((d) => this.makeDevice(d, seed));
    for (const d of this.devices) this.byId.set(d.id, d);
    const order = shuffle(this.devices, this.random);
    const offlineCount = Math.round(order.length * (opts.offlineShare ?? 0));
    const flapCount = Math.round(order.length * (opts.flapShare ?? 0));
    this.offline = order.slice(0, offlineCount);
    this.flapping = order.slice(offlineCount, offlineCount + flapCount);
  }

  get(id: string): SimDevice | undefined {
    return this.byId.get(id);
  }

  /** Connects all but the offline share, a bounded number at a time. */
  async start(): Promise<void> {
    const offline = new Set(this.offline);
    await this.connectAll(this.devices.filter((d) => !offline.has(d)));
    for (const d of this.flapping) this.scheduleFlap(d);
  }

  async connectOffline(): Promise<void> {
    await this.connectAll(this.offline);
  }

  /** Stops flapping and every device (each says offline/shutdown first). */
  async stop(): Promise<void> {
    for (const t of this.flapTimers) clearTimeout(t);
    this.flapTimers.clear();
    await eachLimited(this.devices, this.concurrency, (d) => d.stop());
  }

  stats(): FleetStats {
    let online = 0;
    let playing = 0;
    let acks = 0;
    let plays = 0;
    for (const d of this.devices) {
      if (d.online) online++;
      if (d.playing) playing++;
      acks += d.acks.length;
      plays += d.plays.length;
    }
    return { devices: this.devices.length, online, playing, acks, plays };
  }

  private get concurrency(): number {
    return this.opts.connectConcurrency ?? 200;
  }

  private makeDevice(d: FleetDevice, seed: number): SimDevice {
    const random = seeded(hashSeed(`${seed}:${d.id}`));
    const skewMax = this.opts.clockSkewMaxMs ?? 0;
    const faults: DeviceFaults = { ...this.opts.faults, ...(this.opts.ackLossRate !== undefined ? { ackLossRate: this.opts.ackLossRate } : {}) };
    const o = this.opts;
    return new SimDevice({
      id: d.id,
      secret: d.secret,
      brokerUrl: o.brokerUrl,
      random,
      faults,
      clockSkewMs: Math.round((random() * 2 - 1) * skewMax),
      ...(d.session !== undefined ? { session: d.session } : {}),
      ...(o.speed !== undefined ? { speed: o.speed } : {}),
      ...(o.tls ? { tls: o.tls } : {}),
      ...(o.heartbeatS !== undefined ? { heartbeatS: o.heartbeatS } : {}),
      ...(o.keepaliveS !== undefined ? { keepaliveS: o.keepaliveS } : {}),
      ...(o.reconnectMs !== undefined ? { reconnectMs: o.reconnectMs } : {}),
      ...(this.downloadCache ? { downloadCache: this.downloadCache } : {}),
    });
  }

  private async connectAll(devices: SimDevice[]): Promise<void> {
    const failures: Array<{ id: string; error: Error }> = [];
    await eachLimited(devices, this.concurrency, (d) =>
      startWithRetry(d).catch((err: unknown) => void failures.push({ id: d.id, error: err instanceof Error ? err : new Error(String(err)) })),
    );
    if (failures.length > 0) throw new FleetStartError(failures);
  }

  /** An abrupt drop (the broker sends the will), then the device reconnects by itself. */
  private scheduleFlap(d: SimDevice): void {
    const every = this.opts.flapIntervalMs ?? 10_000;
    const timer = setTimeout(() => {
      this.flapTimers.delete(timer);
      d.kill();
      this.scheduleFlap(d);
    }, every * (0.5 + this.random()));
    this.flapTimers.add(timer);
  }
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function shuffle<T>(items: T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
