/**
 * One MQTT connection of a speaker. PROTOCOL transport and lifecycle: MQTT 3.1.1, clean session,
 * client id = username = device id, password = secret, and a will that names this connection's
 * session so a late will from a dead connection can be told apart from the current one.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { deviceTopic } from '../protocol/index.js';

export interface LinkOptions {
  id: string;
  secret: string;
  brokerUrl: string;
  keepaliveS?: number;
  connectTimeoutMs?: number;
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean };
}

/** A refused or failed connection; `code` is the CONNACK return code when the broker refused it. */
export interface LinkError extends Error {
  code?: number | string;
}

export function willFor(session: number): { online: false; reason: 'lost'; session: number; v: 1 } {
  return { v: 1, online: false, reason: 'lost', session };
}

function clientOptions(o: LinkOptions, session: number): IClientOptions {
  return {
    clientId: o.id,
    username: o.id,
    password: o.secret,
    protocolVersion: 4,
    clean: true,
    // Reconnects are the device's own (SimDevice): each one is a new session with a new will.
    reconnectPeriod: 0,
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    keepalive: o.keepaliveS ?? 60,
    ...(o.tls?.ca !== undefined ? { ca: o.tls.ca } : {}),
    ...(o.tls?.rejectUnauthorized !== undefined ? { rejectUnauthorized: o.tls.rejectUnauthorized } : {}),
    // PROTOCOL lifecycle: will = retained QoS 1 `state` carrying this connection's session.
    will: { topic: deviceTopic(o.id, 'state'), payload: Buffer.from(JSON.stringify(willFor(session))), qos: 1, retain: true },
  };
}

/** Resolves with a client after CONNACK; rejects (and releases the client) if the connection fails. */
export function openLink(o: LinkOptions, session: number): Promise<MqttClient> {
  const client = mqtt.connect(o.brokerUrl, clientOptions(o, session));
  return new Promise((resolve, reject) => {
    const fail = (err: LinkError) => {
      cleanup();
      client.on('error', () => undefined);
      client.end(true);
      reject(err);
    };
    const onError = (err: Error) => fail(err);
    const onClose = () => fail(new Error(`connection to ${o.brokerUrl} closed before CONNACK`));
    const onConnect = () => {
      cleanup();
      // Errors after CONNACK surface as 'close'; the device handles that.
      client.on('error', () => undefined);
      resolve(client);
    };
    const cleanup = () => {
      client.off('error', onError);
      client.off('close', onClose);
      client.off('connect', onConnect);
    };
    client.on('error', onError);
    client.on('close', onClose);
    client.on('connect', onConnect);
  });
}
