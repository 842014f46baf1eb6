/**
 * PROTOCOL controller rule 5: offline (its will or shutdown), silent (not offline, but nothing for
 * 3 heartbeat intervals), faulty (telemetry reports a fault: amp, line, power) or ok — each a
 * distinct state shown with the time it began. `since` is when the state began, carried from the
 * previous assessment (the health feature keeps them); running on battery (mains lost) is a power
 * fault as well as a low battery.
 */
import { SILENT_AFTER_HEARTBEATS } from '../../protocol/index.js';
import type { Presence } from '../store/records.js';

export type HealthState = 'never_seen' | 'offline' | 'silent' | 'faulty' | 'ok';
export const HEALTH_STATES: readonly HealthState[] = ['offline', 'silent', 'faulty', 'ok', 'never_seen'];

export type Fault = 'amp' | 'line_open' | 'line_short' | 'on_battery' | 'battery_low';

export interface Assessment {
  state: HealthState;
  since: number | null;
  faults: Fault[];
}

export function faultsOf(tele: Record<string, unknown> | null, batteryLowPct: number): Fault[] {
  if (!tele) return [];
  const faults: Fault[] = [];
  if (tele.amp === 'fault') faults.push('amp');
  if (tele.line === 'open' || tele.line === 'short') faults.push(`line_${tele.line}`);
  if (tele.power === 'battery') faults.push('on_battery');
  if (tele.power !== 'mains' && typeof tele.batteryPct === 'number' && tele.batteryPct < batteryLowPct) faults.push('battery_low');
  return faults;
}

export interface AssessInput {
  presence: Presence | undefined;
  heartbeatS: number;
  now: number;
  /** The previous assessment of this device, whose `since` carries over while the state holds. */
  prev: Assessment | undefined;
  batteryLowPct: number;
}

export function assess({ presence: p, heartbeatS, now, prev, batteryLowPct }: AssessInput): Assessment {
  if (!p || p.session < 0) return { state: 'never_seen', since: null, faults: [] };
  if (!p.online) return { state: 'offline', since: p.since, faults: [] };
  const silentAt = p.lastSeen + SILENT_AFTER_HEARTBEATS * heartbeatS * 1000;
  if (now > silentAt) return { state: 'silent', since: silentAt, faults: [] };
  const faults = faultsOf(p.lastTele, batteryLowPct);
  const state = faults.length > 0 ? 'faulty' : 'ok';
  return { state, since: sinceOf(state, p, prev), faults };
}

/** Kept while the state holds; on a change, the message that showed it arrived at lastSeen. */
function sinceOf(state: 'faulty' | 'ok', p: Presence, prev: Assessment | undefined): number {
  if (prev?.state === state && prev.since !== null) return Math.max(prev.since, p.since);
  if (!prev && state === 'ok') return p.since;
  return p.lastSeen;
}

export const DEFAULT_BATTERY_LOW_PCT = 15;

/** Who keeps assessments (the health feature), so that every view of a speaker tells the same state and time. */
export type HealthSource = (deviceId: string, heartbeatS: number, now: number) => Assessment;
