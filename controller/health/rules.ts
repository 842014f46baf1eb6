/**
 * Which alarms a speaker should have open now: one per (speaker, type), decided from its health
 * assessment, its last telemetry and its last broadcast. Pure: the alarm book applies the answer.
 */
import type { Assessment } from '../devices/health.js';

export const ALARM_TYPES = ['offline', 'silent', 'amp_fault', 'line_fault', 'power', 'missed_broadcast'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];

export type AlarmDetail = Record<string, string | number | null>;
/** open with its detail; closed; or keep as it is (a fault cannot be judged without fresh telemetry). */
export type Verdict = { open: true; detail: AlarmDetail } | { open: false } | 'keep';

export interface LastBroadcast {
  broadcastId: string;
  title: string;
  state: string;
  finishedAt: number;
  error: { code: string; message: string } | null;
}

/** The delivery states that mean the speaker did not play it (pending at the end: no answer). */
const MISSED_STATES = new Set(['failed', 'expired', 'rejected', 'pending']);

export function missedBroadcast(last: LastBroadcast | undefined): boolean {
  return last !== undefined && MISSED_STATES.has(last.state);
}

export interface RuleInput {
  health: Assessment;
  tele: Record<string, unknown> | null;
  heartbeatS: number;
  now: number;
  /** Offline alarm only after this many heartbeat intervals offline: one lost packet raises nothing. */
  offlineHeartbeats: number;
  isOpen: (type: AlarmType) => boolean;
  lastBroadcast: LastBroadcast | undefined;
}

const CLOSED: Verdict = { open: false };

export function verdicts(i: RuleInput): Record<AlarmType, Verdict> {
  const fresh = i.health.state === 'ok' || i.health.state === 'faulty';
  return {
    offline: offlineVerdict(i),
    silent: i.health.state === 'silent' ? { open: true, detail: { since: i.health.since } } : CLOSED,
    amp_fault: fresh ? (i.health.faults.includes('amp') ? { open: true, detail: {} } : CLOSED) : 'keep',
    line_fault: fresh ? lineVerdict(i.tele) : 'keep',
    power: fresh ? powerVerdict(i.health, i.tele) : 'keep',
    missed_broadcast: missedVerdict(i.lastBroadcast),
  };
}

function offlineVerdict(i: RuleInput): Verdict {
  const h = i.health;
  if (h.state !== 'offline' || h.since === null) return CLOSED;
  const longEnough = i.now - h.since >= i.offlineHeartbeats * i.heartbeatS * 1000;
  // A silent speaker whose will finally arrives has been unheard for long already.
  if (longEnough || i.isOpen('offline') || i.isOpen('silent')) return { open: true, detail: { since: h.since } };
  return CLOSED;
}

function lineVerdict(tele: Record<string, unknown> | null): Verdict {
  const line = tele?.line;
  return line === 'open' || line === 'short' ? { open: true, detail: { line } } : CLOSED;
}

function powerVerdict(h: Assessment, tele: Record<string, unknown> | null): Verdict {
  const batteryPct = typeof tele?.batteryPct === 'number' ? tele.batteryPct : null;
  if (h.faults.includes('battery_low')) return { open: true, detail: { level: 'battery_low', batteryPct } };
  if (h.faults.includes('on_battery')) return { open: true, detail: { level: 'on_battery', batteryPct } };
  return CLOSED;
}

function missedVerdict(last: LastBroadcast | undefined): Verdict {
  if (!last || !missedBroadcast(last)) return CLOSED;
  return { open: true, detail: { broadcastId: last.broadcastId, title: last.title, state: last.state, code: last.error?.code ?? null } };
}

/** Whether a detail change is news (escalation or another broadcast missed), not a reading that moved. */
export function detailNews(type: AlarmType, before: AlarmDetail, after: AlarmDetail): boolean {
  switch (type) {
    case 'power':
      return before.level !== after.level;
    case 'line_fault':
      return before.line !== after.line;
    case 'missed_broadcast':
      return before.broadcastId !== after.broadcastId;
    default:
      return false;
  }
}
