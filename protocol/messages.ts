/**
 * Every payload of the Loa device protocol v1, as one schema per message from which the
 * TypeScript type is derived, so a topic's type and its validation cannot drift apart.
 */
import { Type, type Static } from 'typebox';

export const PROTOCOL_VERSION = 1;
/** PROTOCOL: payloads are UTF-8 JSON objects of at most 16 KiB. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

const V = Type.Literal(PROTOCOL_VERSION);
const Millis = Type.Integer({ minimum: 0 });
const Id = Type.String({ minLength: 1, maxLength: 128 });
const Percent = Type.Integer({ minimum: 0, maximum: 100 });
const Sha256 = Type.String({ pattern: '^[a-f0-9]{64}$' });

/** 0 background music, 1 routine, 2 priority, 3 emergency. */
export const Priority = Type.Integer({ minimum: 0, maximum: 3 });
export type Priority = 0 | 1 | 2 | 3;
export const PRIORITY = { background: 0, routine: 1, priority: 2, emergency: 3 } as const;

export const FileMedia = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  sha256: Sha256,
  bytes: Type.Integer({ minimum: 0 }),
  durationMs: Type.Integer({ minimum: 0 }),
  format: Type.String({ minLength: 1, maxLength: 16 }),
});
export type FileMedia = Static<typeof FileMedia>;
export const StreamMedia = Type.Object({ stream: Type.String({ minLength: 1, maxLength: 2048 }) });
export type StreamMedia = Static<typeof StreamMedia>;
export const Media = Type.Union([FileMedia, StreamMedia]);
export type Media = Static<typeof Media>;

const commandBase = { v: V, id: Id, ts: Millis };

export const PlayCommand = Type.Object({
  ...commandBase,
  type: Type.Literal('play'),
  broadcastId: Id,
  priority: Priority,
  media: Media,
  startAt: Type.Optional(Millis),
  notAfter: Millis,
  repeat: Type.Integer({ minimum: 1, maximum: 100 }),
  volume: Type.Optional(Percent),
});
export const StopCommand = Type.Object({ ...commandBase, type: Type.Literal('stop'), broadcastId: Type.Optional(Id) });
export const VolumeCommand = Type.Object({
  ...commandBase,
  type: Type.Literal('volume'),
  volume: Percent,
  muted: Type.Optional(Type.Boolean()),
});
export const TestCommand = Type.Object({
  ...commandBase,
  type: Type.Literal('test'),
  durationMs: Type.Integer({ minimum: 100, maximum: 600_000 }),
});
export const RebootCommand = Type.Object({ ...commandBase, type: Type.Literal('reboot') });
export const OtaCommand = Type.Object({
  ...commandBase,
  type: Type.Literal('ota'),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  sha256: Sha256,
  version: Type.String({ minLength: 1, maxLength: 64 }),
});
export const TimeCommand = Type.Object({ ...commandBase, type: Type.Literal('time'), t0: Millis });

export const Command = Type.Union([
  PlayCommand,
  StopCommand,
  VolumeCommand,
  TestCommand,
  RebootCommand,
  OtaCommand,
  TimeCommand,
]);
export type PlayCommand = Static<typeof PlayCommand>;
export type StopCommand = Static<typeof StopCommand>;
export type VolumeCommand = Static<typeof VolumeCommand>;
export type TestCommand = Static<typeof TestCommand>;
export type RebootCommand = Static<typeof RebootCommand>;
export type OtaCommand = Static<typeof OtaCommand>;
export type TimeCommand = Static<typeof TimeCommand>;
export type Command = Static<typeof Command>;
export type CommandType = Command['type'];

export const ACK_STATES = [
  'received',
  'downloading',
  'ready',
  'playing',
  'done',
  'failed',
  'rejected',
  'expired',
  'interrupted',
] as const;
export type AckState = (typeof ACK_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<AckState> = new Set(['done', 'failed', 'rejected', 'expired', 'interrupted']);
export function isTerminal(state: AckState): boolean {
  return TERMINAL_STATES.has(state);
}

export const ERROR_CODES = [
  'download_failed',
  'checksum_mismatch',
  'unsupported_format',
  'decode_error',
  'amp_fault',
  'invalid_command',
  'busy',
] as const;

export const Ack = Type.Object({
  v: V,
  ts: Millis,
  cmd: Id,
  broadcastId: Type.Optional(Id),
  state: Type.Union([
    Type.Literal('received'),
    Type.Literal('downloading'),
    Type.Literal('ready'),
    Type.Literal('playing'),
    Type.Literal('done'),
    Type.Literal('failed'),
    Type.Literal('rejected'),
    Type.Literal('expired'),
    Type.Literal('interrupted'),
  ]),
  error: Type.Optional(
    Type.Object({
      code: Type.String({ maxLength: 64 }),
      message: Type.String({ maxLength: 1024 }),
    }),
  ),
  /** On `playing`: how far after `startAt` (device clock) playback began. */
  lateMs: Type.Optional(Type.Integer()),
  /** On the `done` of a `time` command: device clock at receipt and at reply. */
  t1: Type.Optional(Millis),
  t2: Type.Optional(Millis),
});
export type Ack = Static<typeof Ack>;

export const OnlineState = Type.Object({
  v: V,
  ts: Millis,
  online: Type.Literal(true),
  session: Type.Integer({ minimum: 0 }),
  model: Type.String({ maxLength: 64 }),
  fw: Type.String({ maxLength: 64 }),
  formats: Type.Array(Type.String({ maxLength: 16 }), { maxItems: 16 }),
  stream: Type.Boolean(),
});
export const OfflineState = Type.Object({
  v: V,
  ts: Type.Optional(Millis),
  online: Type.Literal(false),
  reason: Type.Union([Type.Literal('lost'), Type.Literal('shutdown')]),
  session: Type.Integer({ minimum: 0 }),
});
export const DeviceState = Type.Union([OnlineState, OfflineState]);
export type OnlineState = Static<typeof OnlineState>;
export type OfflineState = Static<typeof OfflineState>;
export type DeviceState = Static<typeof DeviceState>;

export const Telemetry = Type.Object({
  v: V,
  ts: Millis,
  seq: Type.Integer({ minimum: 0 }),
  uptimeS: Type.Number({ minimum: 0 }),
  volume: Type.Optional(Percent),
  muted: Type.Optional(Type.Boolean()),
  rssiDbm: Type.Optional(Type.Number({ minimum: -200, maximum: 0 })),
  tempC: Type.Optional(Type.Number({ minimum: -60, maximum: 200 })),
  power: Type.Optional(Type.Union([Type.Literal('mains'), Type.Literal('battery'), Type.Literal('solar')])),
  batteryPct: Type.Optional(Percent),
  amp: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('fault')])),
  line: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('open'), Type.Literal('short')])),
  playing: Type.Optional(Type.Union([Id, Type.Null()])),
  storageFreeMb: Type.Optional(Type.Number({ minimum: 0 })),
});
export type Telemetry = Static<typeof Telemetry>;

export const QuietHours = Type.Object({
  start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
});
export const DeviceConfig = Type.Object({
  v: V,
  heartbeatS: Type.Integer({ minimum: 1, maximum: 3600 }),
  volume: Percent,
  quietHours: Type.Union([QuietHours, Type.Null()]),
  tz: Type.String({ maxLength: 64 }),
  prerollMs: Type.Integer({ minimum: 0, maximum: 10_000 }),
});
export type DeviceConfig = Static<typeof DeviceConfig>;

export const DEFAULT_HEARTBEAT_S = 30;
/** PROTOCOL: a device that sent nothing for this many heartbeat intervals is silent. */
export const SILENT_AFTER_HEARTBEATS = 3;
