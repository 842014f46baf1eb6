/**
 * The embedded MQTT broker: aedes on TCP (or TLS) and WebSocket (`/mqtt`), authenticating every
 * device against the registry and enforcing the protocol's access rules in its hooks.
 * The controller talks to it only as an MQTT client, exactly as it would to Mosquitto or EMQX.
 */
import net from 'node:net';
import tls from 'node:tls';
import http from 'node:http';
import https from 'node:https';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Aedes, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { fastRetainedPersistence } from './persistence.js';
import { CONTROLLER_USERNAME, deviceIdentityValid, devicePublishAllowed, deviceSubscribeAllowed } from './acl.js';

/** How the broker asks the registry whether a device may connect. */
export interface DeviceAuthenticator {
  verifyDevice(deviceId: string, secret: string): Promise<'ok' | 'bad_secret' | 'unknown' | 'disabled'>;
}

export interface BrokerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface BrokerOptions {
  host?: string;
  port: number;
  /** null: no WebSocket listener. */
  wsPort: number | null;
  tls?: { cert: Buffer; key: Buffer } | null;
  controllerPassword: string;
  devices: DeviceAuthenticator;
  logger?: BrokerLogger;
}

export interface RunningBroker {
  readonly port: number;
  readonly wsPort: number | null;
  /** mqtt:// or mqtts:// URL of the TCP listener on the chosen host. */
  readonly url: string;
  readonly wsUrl: string | null;
  connectedClients(): number;
  /** Publishes as the broker itself (no client), through the same routing as any message. */
  publish(topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean }): Promise<void>;
  close(): Promise<void>;
}

// aedes' AuthErrorCode is an ambient const enum; its numbers are used instead (see ENGINEERING-NOTES).
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(returnCode: number, message: string): Error & { returnCode: number } {
  return Object.assign(new Error(message), { returnCode });
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

const isController = (client: Client | null): boolean =>
  client !== null && (client as Client & { loaController?: boolean }).loaController === true;

export async function startBroker(opts: BrokerOptions): Promise<RunningBroker> {
  const host = opts.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker({
    persistence: fastRetainedPersistence(),
    connectTimeout: 15_000,
    queueLimit: 200,
    concurrency: 1000,
    authenticate: (client, username, password, done) => {
      const secret = password?.toString('utf8') ?? '';
      if (username === CONTROLLER_USERNAME) {
        if (!sameSecret(secret, opts.controllerPassword)) return done(authError(BAD_USERNAME_OR_PASSWORD, 'bad controller password'), false);
        (client as Client & { loaController?: boolean }).loaController = true;
        return done(null, true);
      }
      // PROTOCOL transport: wrong or missing credentials, unknown or disabled device → refused at CONNACK.
      if (!deviceIdentityValid(client.id, username)) return done(authError(BAD_USERNAME_OR_PASSWORD, 'client id must equal username'), false);
      opts.devices.verifyDevice(username as string, secret).then(
        (verdict) => {
          if (verdict === 'ok') return done(null, true);
          opts.logger?.warn({ deviceId: username, verdict }, 'device refused');
          done(authError(verdict === 'disabled' ? NOT_AUTHORIZED : BAD_USERNAME_OR_PASSWORD, verdict), false);
        },
        (err: unknown) => done(authError(NOT_AUTHORIZED, String(err)), false),
      );
    },
    authorizePublish: (client, packet, cb) => {
      if (client === null || isController(client)) return cb(null);
      if (devicePublishAllowed(client.id, packet.topic, packet.payload.length)) return cb(null);
      opts.logger?.warn({ deviceId: client.id, topic: packet.topic }, 'device publish refused');
      cb(new Error('publish not allowed'));
    },
    authorizeSubscribe: (client, sub, cb) => {
      if (isController(client) || deviceSubscribeAllowed(client.id, sub.topic)) return cb(null, sub);
      opts.logger?.warn({ deviceId: client.id, topic: sub.topic }, 'device subscribe refused');
      cb(null, null); // SUBACK failure code 0x80
    },
  });

  const tcp = opts.tls ? tls.createServer({ cert: opts.tls.cert, key: opts.tls.key }, aedes.handle) : net.createServer(aedes.handle);
  const port = await listen(tcp, opts.port, host);
  const ws = opts.wsPort === null ? null : await startWebSocket(aedes, opts, host);
  const scheme = opts.tls ? 'mqtts' : 'mqtt';
  const wsScheme = opts.tls ? 'wss' : 'ws';
  return {
    port,
    wsPort: ws?.port ?? null,
    url: `${scheme}://${host}:${port}`,
    wsUrl: ws ? `${wsScheme}://${host}:${ws.port}/mqtt` : null,
    connectedClients: () => aedes.connectedClients,
    publish: (topic, payload, o) =>
      new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: o.qos, retain: o.retain, dup: false }, (err) => (err ? reject(err) : resolve())),
      ),
    close: async () => {
      await ws?.close();
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}

async function startWebSocket(aedes: Aedes, opts: BrokerOptions, host: string) {
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }) : http.createServer();
  const wss = new WebSocketServer({ server, path: '/mqtt' });
  wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket), req));
  const port = await listen(server, opts.wsPort ?? 0, host);
  return {
    port,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
