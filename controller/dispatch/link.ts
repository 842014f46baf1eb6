/**
 * The controller's one MQTT connection, to the embedded broker or an external one by URL.
 * This is the MQTT boundary: every message from devices is parsed here, once, into protocol
 * types; what does not parse is counted, logged and dropped, and never reaches the services.
 */
import mqtt, { type MqttClient } from 'mqtt';
import {
  TOPIC_QOS,
  deviceTopic,
  fleetTopic,
  parseAck,
  parseState,
  parseTelemetry,
  parseTopic,
  type Ack,
  type Command,
  type DeviceConfig,
  type DeviceState,
  type Telemetry,
} from '../../protocol/index.js';

export interface DeviceMessageHandlers {
  ack(deviceId: string, ack: Ack): void;
  state(deviceId: string, state: DeviceState): void;
  telemetry(deviceId: string, tele: Telemetry): void;
}

export interface LinkLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface LinkOptions {
  url: string;
  username: string | null;
  password: string | null;
  clientId?: string;
  ca?: Buffer;
  logger: LinkLogger;
}

export interface LinkStats {
  received: number;
  malformed: number;
  published: number;
}

export class MqttLink {
  readonly stats: LinkStats = { received: 0, malformed: 0, published: 0 };
  private client: MqttClient | null = null;
  private handlers: DeviceMessageHandlers | null = null;
  private malformedLogged = 0;
  private readonly handledListeners = new Set<(topic: string) => void>();

  constructor(private opts: LinkOptions) {}

  /** Sets where to connect, once known (the embedded broker picks its port first). */
  configure(o: Omit<LinkOptions, 'logger'>): void {
    this.opts = { ...this.opts, ...o };
  }

  /** Connects and subscribes; resolves once the subscriptions are granted. */
  async connect(handlers: DeviceMessageHandlers): Promise<void> {
    this.handlers = handlers;
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.clientId ?? `loa-controller-${process.pid}-${Date.now().toString(36)}`,
      username: this.opts.username ?? undefined,
      password: this.opts.password ?? undefined,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 1000,
      keepalive: 30,
      ca: this.opts.ca,
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      this.route(topic, payload);
      for (const fn of this.handledListeners) fn(topic);
    });
    client.on('error', (err) => this.opts.logger.warn({ err: err.message }, 'mqtt link error'));
    client.on('reconnect', () => this.opts.logger.warn({}, 'mqtt link reconnecting'));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    // Acks come to us at QoS 0: devices still publish them at QoS 1 to the broker, but on our own
    // clean session a broker-to-controller PUBACK adds nothing TCP does not already give (in-flight
    // messages die with the session either way; a lost ack is recovered by the same-id re-send),
    // and at 10,000 speakers it is 50,000 packets more per broadcast.
    const granted = await client.subscribeAsync({
      [fleetTopic('ack')]: { qos: 0 },
      [fleetTopic('state')]: { qos: 1 },
      [fleetTopic('tele')]: { qos: 0 },
    });
    const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
    if (refused.length) throw new Error(`the broker refused the controller's subscriptions: ${refused.join(', ')}`);
    this.opts.logger.info({ url: this.opts.url }, 'mqtt link up');
  }

  /** Called after each incoming message has been handled (or dropped); returns an unsubscribe. */
  onHandled(fn: (topic: string) => void): () => void {
    this.handledListeners.add(fn);
    return () => this.handledListeners.delete(fn);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** QoS 1, not retained; resolves when the broker has acknowledged it. */
  publishCommand(deviceId: string, cmd: Command): Promise<void> {
    return this.publish(deviceTopic(deviceId, 'cmd'), JSON.stringify(cmd), TOPIC_QOS.cmd);
  }

  /** QoS 1, retained: a device gets its configuration whenever it subscribes. */
  publishConfig(deviceId: string, config: DeviceConfig): Promise<void> {
    return this.publish(deviceTopic(deviceId, 'config'), JSON.stringify(config), TOPIC_QOS.config);
  }

  /** Clears a retained message (a removed device's config). */
  clearRetained(deviceId: string, kind: 'config' | 'state'): Promise<void> {
    return this.publish(deviceTopic(deviceId, kind), '', { qos: 1, retain: true });
  }

  private async publish(topic: string, payload: string, o: { qos: 0 | 1; retain: boolean }): Promise<void> {
    if (!this.client) throw new Error('mqtt link not connected');
    await this.client.publishAsync(topic, payload, { qos: o.qos, retain: o.retain });
    this.stats.published++;
  }

  private route(topic: string, payload: Buffer): void {
    this.stats.received++;
    const parsed = parseTopic(topic);
    if (!parsed || !this.handlers) return this.drop(topic, 'unknown topic');
    if (payload.length === 0) return; // a cleared retained message
    switch (parsed.kind) {
      case 'ack': {
        const r = parseAck(payload);
        return r.ok ? this.handlers.ack(parsed.deviceId, r.value) : this.drop(topic, r.reason);
      }
      case 'state': {
        const r = parseState(payload);
        return r.ok ? this.handlers.state(parsed.deviceId, r.value) : this.drop(topic, r.reason);
      }
      case 'tele': {
        const r = parseTelemetry(payload);
        return r.ok ? this.handlers.telemetry(parsed.deviceId, r.value) : this.drop(topic, r.reason);
      }
      default:
        return; // our own cmd/config are not subscribed to
    }
  }

  private drop(topic: string, reason: string): void {
    this.stats.malformed++;
    // Log the first few and then every thousandth, so a flood of garbage cannot flood the log.
    if (this.malformedLogged < 20 || this.stats.malformed % 1000 === 0) {
      this.malformedLogged++;
      this.opts.logger.warn({ topic, reason, malformedTotal: this.stats.malformed }, 'dropped malformed device message');
    }
  }

  async close(): Promise<void> {
    await this.client?.endAsync();
    this.client = null;
  }
}
