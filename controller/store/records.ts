/** What the store keeps. Features read and write these through the Store interface only. */
import type { AckState, Command, Priority } from '../../protocol/index.js';

export type Role = 'admin' | 'officer' | 'technician' | 'viewer';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  /** The commune this account belongs to; null: the whole district. */
  commune: string | null;
  displayName: string;
  disabled: boolean;
  createdAt: number;
}

export interface Session {
  /** sha256 of the bearer token: the token itself is never stored. */
  id: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface Zone {
  id: string;
  name: string;
  commune: string;
  kind: 'village' | 'residential_group' | 'area';
  createdAt: number;
}

export interface DeviceRecord {
  id: string;
  name: string;
  zoneId: string | null;
  lat: number | null;
  lon: number | null;
  model: string | null;
  secretHash: string;
  disabled: boolean;
  volume: number;
  heartbeatS: number;
  quietHours: { start: string; end: string } | null;
  createdAt: number;
  secretRotatedAt: number;
}

/** What the controller last heard from a device; written often, so kept apart from registration. */
export interface Presence {
  id: string;
  online: boolean;
  /** Latest birth's session number (PROTOCOL lifecycle: a will of an older session is stale). */
  session: number;
  since: number;
  lastSeen: number;
  reason: 'lost' | 'shutdown' | null;
  model: string | null;
  fw: string | null;
  clockOffsetMs: number | null;
  /** New sessions (reconnects) on `sessionsDay` (UTC date): a flaky link shows here. */
  sessionsToday: number;
  sessionsDay: string;
  /** The latest telemetry, as received. */
  lastTele: Record<string, unknown> | null;
}

export interface MediaRecord {
  id: string;
  sha256: string;
  bytes: number;
  durationMs: number;
  format: string;
  title: string;
  createdAt: number;
  createdBy: string;
  loudnessLufs: number | null;
  text: string | null;
}

export type Targets = { all: true } | { zones?: string[]; devices?: string[] };

/** A job is anything sent to devices and tracked per device: a broadcast or a batch of device commands. */
export interface JobBase {
  id: string;
  createdAt: number;
  createdBy: string;
  commune: string | null;
  notAfter: number;
  status: 'active' | 'completed' | 'cancelled';
  finishedAt: number | null;
  /**
   * The devices to send to, as given to the dispatcher; emptied once their deliveries are recorded
   * (the job's deliveries document is the list), so this record stays small however large the fleet.
   */
  deviceIds: string[];
  targeted: number;
}

export interface Broadcast extends JobBase {
  kind: 'broadcast';
  title: string;
  priority: Priority;
  targets: Targets;
  mediaId: string | null;
  streamUrl: string | null;
  startAt: number | null;
  repeat: number;
  volume: number | null;
  /** The play command every device gets, less its per-device id, ts and startAt. */
  template: Extract<Command, { type: 'play' }>;
  cancelledBy: string | null;
}

export interface CommandJob extends JobBase {
  kind: 'command';
  type: 'volume' | 'test' | 'stop' | 'reboot' | 'ota';
  params: Record<string, unknown>;
  /** The broadcast whose cancel this stop serves, if any. */
  forBroadcast: string | null;
}

export type Job = Broadcast | CommandJob;

/** 'pending' means recorded and sent, no answer yet (the summary's "no answer"). */
export type DeliveryState = 'pending' | AckState;

export interface Delivery {
  deviceId: string;
  cmdId: string;
  state: DeliveryState;
  /** When each state was reached. */
  at: Partial<Record<DeliveryState, number>>;
  attempts: number;
  lastSentAt: number | null;
  nextRetryAt: number | null;
  error: { code: string; message: string } | null;
  lateMs: number | null;
}

export interface AuditEntry {
  ts: number;
  userId: string | null;
  username: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details?: Record<string, unknown>;
}

export interface TelemetryRecord {
  ts: number;
  deviceId: string;
  data: Record<string, unknown>;
}
