/** Real parts for the simulator's tests: an aedes broker, a plain MQTT controller client, a media server. */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Aedes, type AedesOptions } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { deviceTopic, fleetTopic, parseAck, parseState, parseTelemetry, parseTopic, type Ack, type Command, type DeviceState, type PlayCommand, type Telemetry } from '../../protocol/index.js';
import { sha256 } from '../../device-sim/index.js';

export interface TestBroker {
  url: string;
  broker: Aedes;
  close(): Promise<void>;
}

export async function startBroker(opts: Partial<AedesOptions> = {}): Promise<TestBroker> {
  const broker = await Aedes.createBroker(opts);
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    broker,
    close: async () => {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Seen =
  | { kind: 'ack'; deviceId: string; msg: Ack }
  | { kind: 'state'; deviceId: string; msg: DeviceState; retained: boolean }
  | { kind: 'tele'; deviceId: string; msg: Telemetry };

/** A bare MQTT client in the controller's role: publishes commands, records what devices send. */
const PARSERS = { ack: parseAck, state: parseState, tele: parseTelemetry } as const;

export class TestController extends EventEmitter {
  readonly seen: Seen[] = [];
  /** Device messages that failed the protocol's own schemas (must stay empty). */
  readonly invalid: Array<{ topic: string; reason: string }> = [];

  private constructor(readonly client: MqttClient) {
    super();
    this.setMaxListeners(1000);
    client.on('message', (topic, payload, packet) => {
      const t = parseTopic(topic);
      if (!t || payload.length === 0) return;
      const parsed = PARSERS[t.kind as keyof typeof PARSERS]?.(payload);
      if (parsed && !parsed.ok) this.invalid.push({ topic, reason: parsed.reason });
      const msg = JSON.parse(payload.toString()) as never;
      const s = { kind: t.kind, deviceId: t.deviceId, msg, retained: packet.retain } as Seen;
      this.seen.push(s);
      this.emit('seen', s);
    });
  }

  static async connect(url: string, password = 'good'): Promise<TestController> {
    const clientId = `controller-${Math.random().toString(36).slice(2)}`;
    const client = await mqtt.connectAsync(url, { clientId, username: clientId, password, protocolVersion: 4 });
    const c = new TestController(client);
    await client.subscribeAsync({ [fleetTopic('ack')]: { qos: 1 }, [fleetTopic('state')]: { qos: 1 }, [fleetTopic('tele')]: { qos: 0 } });
    return c;
  }

  async send(deviceId: string, cmd: Command | Record<string, unknown>): Promise<void> {
    await this.client.publishAsync(deviceTopic(deviceId, 'cmd'), JSON.stringify(cmd), { qos: 1 });
  }

  acks(deviceId: string, cmdId?: string): Ack[] {
    return this.seen.filter((s): s is Extract<Seen, { kind: 'ack' }> => s.kind === 'ack' && s.deviceId === deviceId && (cmdId === undefined || s.msg.cmd === cmdId)).map((s) => s.msg);
  }

  states(deviceId: string): DeviceState[] {
    return this.seen.filter((s) => s.kind === 'state' && s.deviceId === deviceId).map((s) => s.msg as DeviceState);
  }

  /** Resolves with the first message (already seen or still to come) that matches. */
  waitFor<T extends Seen>(match: (s: Seen) => s is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (s: Seen) => boolean, timeoutMs?: number): Promise<Seen>;
  waitFor(match: (s: Seen) => boolean, timeoutMs = 5000): Promise<Seen> {
    const hit = this.seen.find(match);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const onSeen = (s: Seen) => {
        if (!match(s)) return;
        clearTimeout(timer);
        this.off('seen', onSeen);
        resolve(s);
      };
      const timer = setTimeout(() => {
        this.off('seen', onSeen);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('seen', onSeen);
    });
  }

  /** Waits for the n-th ack of `state` for a command. */
  async ack(deviceId: string, cmdId: string, state: Ack['state'], nth = 1, timeoutMs = 5000): Promise<Ack> {
    let count = 0;
    const s = await this.waitFor((x) => x.kind === 'ack' && x.deviceId === deviceId && x.msg.cmd === cmdId && x.msg.state === state && ++count === nth, timeoutMs);
    return s.msg as Ack;
  }

  state(deviceId: string, match: (s: DeviceState) => boolean, timeoutMs = 5000): Promise<DeviceState> {
    return this.waitFor((x) => x.kind === 'state' && x.deviceId === deviceId && match(x.msg as DeviceState), timeoutMs).then((s) => s.msg as DeviceState);
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

/** Serves media with Range support; a path can be told to break its next transfer half-way. */
export class MediaServer {
  readonly requests: Array<{ path: string; range: string | undefined }> = [];
  private readonly files = new Map<string, Buffer>();
  private readonly breakNext = new Set<string>();
  private server!: http.Server;
  private base = '';

  static async start(): Promise<MediaServer> {
    const m = new MediaServer();
    m.server = http.createServer((req, res) => m.handle(req, res));
    await new Promise<void>((resolve) => m.server.listen(0, '127.0.0.1', resolve));
    m.base = `http://127.0.0.1:${(m.server.address() as AddressInfo).port}`;
    return m;
  }

  /** A random clip at `path`; returns the play command's `media`. */
  clip(path: string, durationMs = 2000, size = 64 * 1024): { url: string; sha256: string; bytes: number; durationMs: number; format: string } {
    const bytes = randomBytes(size);
    this.files.set(path, bytes);
    return { url: this.url(path), sha256: sha256(bytes), bytes: size, durationMs, format: 'mp3' };
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  breakOnce(path: string): void {
    this.breakNext.add(path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = req.url ?? '/';
    this.requests.push({ path, range: req.headers.range });
    if (path === '/live') return this.live(res);
    const file = this.files.get(path);
    if (!file) return void res.writeHead(404).end();
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const body = file.subarray(from);
    res.writeHead(from > 0 ? 206 : 200, { 'content-length': body.length, ...(from > 0 ? { 'content-range': `bytes ${from}-${file.length - 1}/${file.length}` } : {}) });
    if (!this.breakNext.delete(path)) return void res.end(body);
    // A broken link: half the bytes arrive, then the connection dies.
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => req.socket.destroy());
  }

  /** An endless live stream: 1 KiB every 10 ms until the listener goes away. */
  private live(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    const timer = setInterval(() => res.write(Buffer.alloc(1024)), 10);
    res.on('close', () => clearInterval(timer));
  }
}

let counter = 0;
export const uid = (prefix: string) => `${prefix}-${++counter}-${Date.now().toString(36)}`;

export function play(p: Partial<PlayCommand> & Pick<PlayCommand, 'media'>): PlayCommand {
  const now = Date.now();
  return { v: 1, id: uid('c'), ts: now, type: 'play', broadcastId: uid('b'), priority: 1, notAfter: now + 60_000, repeat: 1, ...p };
}
