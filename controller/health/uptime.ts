/**
 * Uptime per speaker per local day: the share of the day it was online, from its online/offline
 * changes (bus events, and presence at start). The changes go to a JSON-lines log; at each local
 * midnight every speaker's state is marked, so a day's uptime reads only that day and the one before.
 * The controller's own downtime counts as offline: nobody saw the speakers then.
 */
import type { Presence } from '../store/records.js';
import type { HistoryLog } from '../store/store.js';
import type { LocalDays } from './days.js';
import type { HealthStateDoc } from './state.js';

export interface PresenceLine {
  ts: number;
  deviceId: string;
  online: boolean;
  /** change: a bus event; start/stop: the controller's own start or stop; mark: state at local midnight. */
  kind: 'change' | 'start' | 'stop' | 'mark';
}

export interface DayUptime {
  day: string;
  /** The part of the day the speaker existed and has passed. */
  observedMs: number;
  onlineMs: number;
  /** onlineMs / observedMs; null when nothing of the day was observed. */
  share: number | null;
}

const DAY_MS = 86_400_000;

/** Milliseconds online within [from, to), from changes sorted by time (the last one at or before `from` gives the state then). */
export function onlineWithin(changes: ReadonlyArray<{ ts: number; online: boolean }>, from: number, to: number): number {
  let online = false;
  let cursor = from;
  let total = 0;
  for (const c of changes) {
    if (c.ts >= to) break;
    if (c.ts > cursor) {
      if (online) total += c.ts - cursor;
      cursor = c.ts;
    }
    online = c.online;
  }
  if (online && to > cursor) total += to - cursor;
  return total;
}

export class UptimeTracker {
  constructor(
    private readonly log: HistoryLog<PresenceLine>,
    private readonly state: HealthStateDoc,
    private readonly days: LocalDays,
  ) {}

  record(deviceId: string, online: boolean, ts: number, kind: PresenceLine['kind'] = 'change'): void {
    const last = this.state.data.presence[deviceId];
    if (last && last.online === online) return;
    const at = Math.max(ts, last?.ts ?? ts);
    this.state.data.presence[deviceId] = { online, ts: at };
    this.state.changed();
    this.log.append({ ts: at, deviceId, online, kind });
  }

  /** At start: what presence knows now, where it differs from the log. */
  reconcile(presences: Presence[]): void {
    for (const p of presences) if (p.session >= 0) this.record(p.id, p.online, p.since, 'start');
  }

  /** At stop: from now on nobody watches, so every online speaker counts as offline. */
  stopped(now: number): void {
    for (const [id, last] of Object.entries(this.state.data.presence)) if (last.online) this.record(id, false, now, 'stop');
  }

  /** Once per local day: each speaker's state at the day's start. */
  markDay(now: number): void {
    const day = this.days.dayOf(now);
    if (this.state.data.markedDay === day) return;
    const start = this.days.startOf(now);
    for (const [deviceId, last] of Object.entries(this.state.data.presence)) {
      if (last.ts <= start) this.log.append({ ts: start, deviceId, online: last.online, kind: 'mark' });
    }
    this.state.data.markedDay = day;
    this.state.changed();
  }

  /** The last `days` local days, today last (today so far). */
  async uptime(deviceId: string, days: number, observedFrom: number, now: number): Promise<DayUptime[]> {
    const today = this.days.startOf(now);
    const windowStart = this.days.shift(today, -(days - 1));
    const changes = await this.changes(deviceId, windowStart, now);
    const out: DayUptime[] = [];
    for (let i = 0; i < days; i++) {
      const start = this.days.shift(windowStart, i);
      const from = Math.max(start, observedFrom);
      const to = Math.min(this.days.shift(start, 1), now);
      const observedMs = Math.max(0, to - from);
      const onlineMs = observedMs > 0 ? onlineWithin(changes, from, to) : 0;
      out.push({ day: this.days.dayOf(start), observedMs, onlineMs, share: observedMs > 0 ? Math.round((onlineMs / observedMs) * 10_000) / 10_000 : null });
    }
    return out;
  }

  private async changes(deviceId: string, from: number, now: number): Promise<PresenceLine[]> {
    const mine = (e: PresenceLine) => e.deviceId === deviceId;
    let lines = await this.log.query({ from: from - 2 * DAY_MS, to: now + 1, limit: 1_000_000 }, mine);
    // No mark or change before the window (the controller was down over midnight): look further back.
    if (!lines.some((l) => l.ts <= from)) lines = await this.log.query({ to: now + 1, limit: 1_000_000 }, mine);
    return lines.sort((a, b) => a.ts - b.ts);
  }
}
