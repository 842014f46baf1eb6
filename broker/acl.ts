/**
 * The access rules of the Loa protocol, as pure decisions the broker hooks apply.
 * PROTOCOL access control: a device subscribes only to its own `cmd` and `config`, publishes only
 * to its own `ack`, `state` and `tele`; only the controller's identity publishes `cmd` and `config`.
 */
import { DEVICE_PUBLISH_KINDS, DEVICE_SUBSCRIBE_KINDS, MAX_PAYLOAD_BYTES, isDeviceId, parseTopic } from '../protocol/index.js';

/** A username that can never be a device id (':' is outside the device id alphabet). */
export const CONTROLLER_USERNAME = 'loa:controller';

export type Identity = { kind: 'controller' } | { kind: 'device'; deviceId: string };

export function devicePublishAllowed(deviceId: string, topic: string, payloadBytes: number): boolean {
  if (payloadBytes > MAX_PAYLOAD_BYTES) return false;
  const parsed = parseTopic(topic);
  return parsed !== null && parsed.deviceId === deviceId && DEVICE_PUBLISH_KINDS.has(parsed.kind);
}

/** Wildcards never match: parseTopic refuses '+' and '#' as a device id or kind. */
export function deviceSubscribeAllowed(deviceId: string, topic: string): boolean {
  const parsed = parseTopic(topic);
  return parsed !== null && parsed.deviceId === deviceId && DEVICE_SUBSCRIBE_KINDS.has(parsed.kind);
}

/** PROTOCOL transport: client id = username = device id. */
export function deviceIdentityValid(clientId: string, username: string | undefined): boolean {
  return username !== undefined && username === clientId && isDeviceId(username);
}
