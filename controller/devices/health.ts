/**
 * PROTOCOL controller rule 5: offline (its will or shutdown), silent (not offline, but nothing for
 * 3 heartbeat intervals), faulty (telemetry reports a fault), or ok — each with when it began.
 */
import { SILENT_AFTER_HEARTBEATS } from '../../protocol/index.js';
import type { Presence } from '../store/records.js';

export type HealthState = 'never_seen' | 'offline' | 'silent' | 'faulty' | 'ok';

export interface Health {
  state: HealthState;
  since: number | null;
  faults: string[];
}

export function faultsOf(tele: Record<string, unknown> | null): string[] {
  if (!tele) return [];
  const faults: string[] = [];
  if (tele.amp === 'fault') faults.push('amp');
  if (tele.line === 'open' || tele.line === 'short') faults.push(`line_${tele.line}`);
  if (tele.power === 'battery' && typeof tele.batteryPct === 'number' && tele.batteryPct < 15) faults.push('battery_low');
  return faults;
}

export function healthOf(p: Presence | undefined, heartbeatS: number, now: number): Health {
  if (!p || p.session < 0) return { state: 'never_seen', since: null, faults: [] };
  if (!p.online) return { state: 'offline', since: p.since, faults: [] };
  const silentAfter = p.lastSeen + SILENT_AFTER_HEARTBEATS * heartbeatS * 1000;
  if (now > silentAfter) return { state: 'silent', since: silentAfter, faults: [] };
  const faults = faultsOf(p.lastTele);
  if (faults.length) return { state: 'faulty', since: p.lastSeen, faults };
  return { state: 'ok', since: p.since, faults: [] };
}
