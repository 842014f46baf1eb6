/** The shapes the console reads from the controller's API (see the route files and /docs/json). */

export type Role = 'admin' | 'officer' | 'technician' | 'viewer';
export type Permission = 'read' | 'users.manage' | 'audit.read' | 'zones.write' | 'devices.write' | 'devices.command' | 'media.write' | 'broadcasts.write';

export interface Actor {
  id: string;
  username: string;
  role: Role;
  commune: string | null;
}

export interface Me {
  user: Actor;
  permissions: Permission[];
}

export interface Zone {
  id: string;
  name: string;
  commune: string;
  kind: 'village' | 'residential_group' | 'area';
}

export type HealthState = 'never_seen' | 'offline' | 'silent' | 'faulty' | 'ok';
export const HEALTH_STATES: HealthState[] = ['ok', 'faulty', 'silent', 'offline', 'never_seen'];

export interface Presence {
  online: boolean;
  session: number;
  since: number;
  lastSeen: number;
  reason: 'lost' | 'shutdown' | null;
  model: string | null;
  fw: string | null;
  clockOffsetMs: number | null;
  sessionsToday: number;
  lastTele: Record<string, unknown> | null;
}

export interface Device {
  id: string;
  name: string;
  zoneId: string | null;
  lat: number | null;
  lon: number | null;
  model: string | null;
  disabled: boolean;
  volume: number;
  heartbeatS: number;
  health: { state: HealthState; since: number | null; faults: string[] };
  presence: Presence | null;
}

export interface Media {
  id: string;
  sha256: string;
  bytes: number;
  durationMs: number;
  format: string;
  title: string;
  createdAt: number;
  createdBy: string;
  /** What was read out, for media made from text (POST /api/v1/media/tts). */
  text?: string | null;
}

/** GET /api/v1/media/{id} `usedBy`: what plays an item; `pending` ones keep it from being deleted. */
export interface MediaUse {
  kind: 'broadcast' | 'programme' | 'alert';
  id: string;
  title: string;
  status: string;
  pending: boolean;
}

export interface MediaUsage {
  bytes: number;
  quotaBytes: number;
}

/** GET /api/v1/media/voices */
export interface Voice {
  id: string;
  name: string;
  language: string;
}

/** A live source (the officer's microphone) or a relayed radio channel (GET /api/v1/live). */
export interface LiveStream {
  id: string;
  kind: 'live' | 'relay';
  title: string;
  state: 'waiting' | 'on-air' | 'ended' | 'failed';
  reason: string | null;
  source: string | null;
  broadcastId: string;
  startedAt: number;
  endedAt: number | null;
  bytesIn: number;
  bytesOut: number;
  listeners: number;
  createdBy: string;
}

export type DeliveryState = 'pending' | 'received' | 'downloading' | 'ready' | 'playing' | 'done' | 'failed' | 'rejected' | 'expired' | 'interrupted';

export interface Delivery {
  deviceId: string;
  state: DeliveryState;
  at: Partial<Record<DeliveryState, number>>;
  attempts: number;
  error: { code: string; message: string } | null;
  lateMs: number | null;
}

export interface Summary {
  targeted: number;
  reached: number;
  received: number;
  playing: number;
  done: number;
  failed: number;
  rejected: number;
  expired: number;
  interrupted: number;
  noAnswer: number;
}

export type Targets = { all: true } | { zones?: string[]; devices?: string[] };
export type JobStatus = 'active' | 'completed' | 'cancelled';

export interface Broadcast {
  id: string;
  kind: 'broadcast';
  title: string;
  priority: 0 | 1 | 2 | 3;
  targets: Targets;
  mediaId: string | null;
  createdAt: number;
  createdBy: string;
  status: JobStatus;
  finishedAt: number | null;
  targeted: number;
  volume: number | null;
  repeat: number;
  summary: Summary;
}

export interface CommandJob {
  id: string;
  kind: 'command';
  type: 'volume' | 'test' | 'stop' | 'reboot' | 'ota';
  status: JobStatus;
  targeted: number;
  summary: Summary;
  deliveries: Delivery[];
}

export interface User {
  id: string;
  username: string;
  role: Role;
  commune: string | null;
  displayName: string;
  disabled: boolean;
  createdAt: number;
}

export interface AuditEntry {
  ts: number;
  username: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details?: { status?: number };
}

/** Live events (GET /api/v1/events, controller/events/bus.ts). */
export interface LiveEvents {
  'device.online': { deviceId: string; session: number; at: number };
  'device.offline': { deviceId: string; session: number; reason: 'lost' | 'shutdown'; at: number };
  delivery: { jobId: string; kind: 'broadcast' | 'command'; deviceId: string; state: DeliveryState; at: number; error: { code: string; message: string } | null };
  'job.finished': { jobId: string; kind: 'broadcast' | 'command'; status: 'completed' | 'cancelled'; at: number };
  'broadcast.created': { id: string; title: string; priority: number; targeted: number; at: number };
  'job.progress': { jobId: string; kind: 'broadcast' | 'command'; commune: string | null; summary: Summary; at: number };
  'live.state': LiveStream;
}

/** GET /api/v1/alerts/vocabulary (controller/alerts/hazards.ts: Decision 18/2021/QĐ-TTg). */
export interface Hazard {
  id: string;
  vi: string;
  en: string;
}

export interface RiskLevel {
  level: 1 | 2 | 3 | 4 | 5;
  colour: string;
  hex: string;
  vi: string;
  en: string;
}

export type AlertSignal = 'siren' | 'chime' | 'none';

/** GET /api/v1/alerts/:id: the alert with its current version and per-speaker proof. */
export interface Alert {
  id: string;
  kind: 'alert' | 'drill';
  state: 'active' | 'cancelled' | 'stored';
  hazard: string;
  hazardName: { vi: string; en: string };
  riskLevel: RiskLevel['level'];
  risk: RiskLevel;
  signal: AlertSignal;
  title: string;
  text: string | null;
  targeted: number;
  confirmed: number;
  followUpDue: boolean;
  repeats: number;
  intervalS: number;
  volume: number | null;
  notAfter: number;
  createdAt: number;
  createdBy: string;
  repetitions: Array<{ broadcastId: string; startAt: number | null; status: JobStatus; summary: Summary }>;
}
