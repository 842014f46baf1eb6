/** Topic map of the Loa device protocol v1 (docs/protocol.md). */

export const TOPIC_ROOT = 'loa/v1';
export const DEVICE_ID_PATTERN = '^[a-z0-9][a-z0-9_-]{0,63}$';
const DEVICE_ID_RE = new RegExp(DEVICE_ID_PATTERN);

/** Topics a device subscribes to (controller → device). */
export type InboundKind = 'cmd' | 'config';
/** Topics a device publishes on (device → controller). */
export type OutboundKind = 'ack' | 'state' | 'tele';
export type TopicKind = InboundKind | OutboundKind;

const KINDS: ReadonlySet<string> = new Set<TopicKind>(['cmd', 'config', 'ack', 'state', 'tele']);
export const DEVICE_PUBLISH_KINDS: ReadonlySet<string> = new Set<OutboundKind>(['ack', 'state', 'tele']);
export const DEVICE_SUBSCRIBE_KINDS: ReadonlySet<string> = new Set<InboundKind>(['cmd', 'config']);

export function isDeviceId(id: string): boolean {
  return DEVICE_ID_RE.test(id);
}

export function deviceTopic(deviceId: string, kind: TopicKind): string {
  return `${TOPIC_ROOT}/d/${deviceId}/${kind}`;
}

/** The wildcard the controller subscribes to for one outbound kind of every device. */
export function fleetTopic(kind: OutboundKind): string {
  return `${TOPIC_ROOT}/d/+/${kind}`;
}

export interface ParsedTopic {
  deviceId: string;
  kind: TopicKind;
}

export function parseTopic(topic: string): ParsedTopic | null {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT || parts[2] !== 'd') return null;
  const deviceId = parts[3] as string;
  const kind = parts[4] as string;
  if (!isDeviceId(deviceId) || !KINDS.has(kind)) return null;
  return { deviceId, kind: kind as TopicKind };
}

/** QoS and retain flag of each topic, as PROTOCOL.md's table fixes them. */
export const TOPIC_QOS: Record<TopicKind, { qos: 0 | 1; retain: boolean }> = {
  cmd: { qos: 1, retain: false },
  config: { qos: 1, retain: true },
  ack: { qos: 1, retain: false },
  state: { qos: 1, retain: true },
  tele: { qos: 0, retain: false },
};
