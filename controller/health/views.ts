/** What a technician sees: each speaker's health with its readings, and the fleet at a glance. */
import type { DeviceRecord, Presence, Zone } from '../store/records.js';
import type { Alarm } from './alarm-model.js';
import { HEALTH_STATES, type Assessment, type HealthState } from '../devices/health.js';
import { missedBroadcast, type AlarmType, type LastBroadcast } from './rules.js';

export interface DeviceHealthView {
  id: string;
  name: string;
  zoneId: string | null;
  commune: string | null;
  disabled: boolean;
  state: HealthState;
  since: number | null;
  faults: string[];
  missedLastBroadcast: boolean;
  lastBroadcast: LastBroadcast | null;
  online: boolean;
  lastSeen: number | null;
  sessionsToday: number;
  rssiDbm: number | null;
  tempC: number | null;
  power: string | null;
  batteryPct: number | null;
  amp: string | null;
  line: string | null;
  storageFreeMb: number | null;
  fw: string | null;
  model: string | null;
  clockOffsetMs: number | null;
  alarms: Array<{ id: string; type: AlarmType; raisedAt: number; acknowledged: boolean }>;
}

export interface ViewInput {
  device: DeviceRecord;
  zone: Zone | undefined;
  health: Assessment;
  presence: Presence | undefined;
  lastBroadcast: LastBroadcast | undefined;
  alarms: Alarm[];
  now: number;
}

const num = (v: unknown) => (typeof v === 'number' ? v : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** The core counts sessions per UTC day (presence.sessionsDay). */
export function sessionsToday(p: Presence | undefined, now: number): number {
  return p && p.sessionsDay === new Date(now).toISOString().slice(0, 10) ? p.sessionsToday : 0;
}

export function deviceView(i: ViewInput): DeviceHealthView {
  const p = i.presence;
  const t = p?.lastTele ?? {};
  return {
    id: i.device.id,
    name: i.device.name,
    zoneId: i.device.zoneId,
    commune: i.zone?.commune ?? null,
    disabled: i.device.disabled,
    state: i.health.state,
    since: i.health.since,
    faults: i.health.faults,
    missedLastBroadcast: missedBroadcast(i.lastBroadcast),
    lastBroadcast: i.lastBroadcast ?? null,
    online: p?.online ?? false,
    lastSeen: p && p.session >= 0 ? p.lastSeen : null,
    sessionsToday: sessionsToday(p, i.now),
    rssiDbm: num(t.rssiDbm),
    tempC: num(t.tempC),
    power: str(t.power),
    batteryPct: num(t.batteryPct),
    amp: str(t.amp),
    line: str(t.line),
    storageFreeMb: num(t.storageFreeMb),
    fw: p?.fw ?? null,
    model: p?.model ?? i.device.model,
    clockOffsetMs: p?.clockOffsetMs ?? null,
    alarms: i.alarms.map((a) => ({ id: a.id, type: a.type, raisedAt: a.raisedAt, acknowledged: a.ack !== null })),
  };
}

export type Counts = Record<HealthState, number> & { total: number; disabled: number; missedLastBroadcast: number };

export interface WorstItem {
  id: string;
  name: string;
  zoneId: string | null;
  commune: string | null;
  why: 'offline' | 'silent' | 'faulty' | 'flaky';
  state: HealthState;
  since: number | null;
  faults: string[];
  sessionsToday: number;
}

export interface FleetSummary {
  at: number;
  counts: Counts;
  communes: Array<{ commune: string | null; counts: Counts; villages: Array<{ zoneId: string | null; name: string | null; counts: Counts }> }>;
  worst: WorstItem[];
}

function blank(): Counts {
  const c = { total: 0, disabled: 0, missedLastBroadcast: 0 } as Counts;
  for (const s of HEALTH_STATES) c[s] = 0;
  return c;
}

/** Disabled speakers are counted apart: they are out of service on purpose, not broken. */
function count(c: Counts, v: DeviceHealthView): void {
  c.total++;
  if (v.disabled) return void c.disabled++;
  c[v.state]++;
  if (v.missedLastBroadcast) c.missedLastBroadcast++;
}

export function fleetSummary(views: DeviceHealthView[], zones: Map<string, Zone>, opts: { now: number; limit: number; flakySessions: number }): FleetSummary {
  const counts = blank();
  const communes = new Map<string | null, { counts: Counts; villages: Map<string | null, Counts> }>();
  for (const v of views) {
    count(counts, v);
    let c = communes.get(v.commune);
    if (!c) communes.set(v.commune, (c = { counts: blank(), villages: new Map() }));
    count(c.counts, v);
    let village = c.villages.get(v.zoneId);
    if (!village) c.villages.set(v.zoneId, (village = blank()));
    count(village, v);
  }
  return {
    at: opts.now,
    counts,
    communes: [...communes].map(([commune, c]) => ({
      commune,
      counts: c.counts,
      villages: [...c.villages].map(([zoneId, vc]) => ({ zoneId, name: zoneId ? (zones.get(zoneId)?.name ?? null) : null, counts: vc })),
    })),
    worst: worst(views, opts.flakySessions).slice(0, opts.limit),
  };
}

const RANK = { offline: 0, silent: 1, faulty: 2, flaky: 3 } as const;

/** Offline longest first, then silent, then faulty (each longest first), then flaky: most sessions today. */
export function worst(views: DeviceHealthView[], flakySessions: number): WorstItem[] {
  const items: WorstItem[] = [];
  for (const v of views) {
    if (v.disabled) continue;
    const why = v.state === 'offline' || v.state === 'silent' || v.state === 'faulty' ? v.state : v.sessionsToday >= flakySessions ? 'flaky' : null;
    if (why) items.push({ id: v.id, name: v.name, zoneId: v.zoneId, commune: v.commune, why, state: v.state, since: v.since, faults: v.faults, sessionsToday: v.sessionsToday });
  }
  return items.sort((a, b) => RANK[a.why] - RANK[b.why] || (a.why === 'flaky' ? b.sessionsToday - a.sessionsToday : (a.since ?? 0) - (b.since ?? 0)) || a.id.localeCompare(b.id));
}
