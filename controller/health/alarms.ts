/**
 * The alarm book: at most one open alarm per (speaker, type), raised and cleared from the rules'
 * verdicts, acknowledged by a technician with a note. An unacknowledged open alarm is notified
 * again every `renotifyMs`; an acknowledged one is not notified again until it clears and re-raises
 * (its clear is still notified). Cleared alarms go to a JSON-lines history.
 */
import type { Clock } from '../clock.js';
import { newId } from '../ids.js';
import type { HistoryLog } from '../store/store.js';
import type { Alarm } from './alarm-model.js';
import { healthErrors } from './errors.js';
import { alarmText, eventText, type AlarmEvent } from './messages.js';
import { ALARM_TYPES, detailNews, type AlarmDetail, type AlarmType, type Verdict } from './rules.js';
import type { HealthStateDoc } from './state.js';

export type AlarmLine = Alarm & { ts: number };

export interface AlarmDevice {
  id: string;
  name: string;
  zoneId: string | null;
  commune: string | null;
}

export interface AlarmQuery {
  state: 'open' | 'cleared' | 'all';
  from?: number;
  to?: number;
  limit: number;
}

export type AlarmListener = (event: AlarmEvent, alarm: Alarm) => void;

export interface AlarmBookDeps {
  state: HealthStateDoc;
  log: HistoryLog<AlarmLine>;
  clock: Clock;
  /** Posts a notification (the webhook), or null when none is configured. */
  notify: ((body: object) => void) | null;
  /** 0: no reminders. */
  renotifyMs: number;
}

const keyOf = (deviceId: string, type: AlarmType) => `${deviceId}:${type}`;

function sameDetail(a: AlarmDetail, b: AlarmDetail): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

export class AlarmBook {
  private readonly listeners = new Set<AlarmListener>();

  constructor(private readonly deps: AlarmBookDeps) {}

  onChange(fn: AlarmListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  open(): Alarm[] {
    return Object.values(this.deps.state.data.alarms);
  }

  /** Whether the speaker has an open alarm of this type. */
  isOpen(deviceId: string, type: AlarmType): boolean {
    return Object.hasOwn(this.deps.state.data.alarms, keyOf(deviceId, type));
  }

  /** `who` is asked only when something changes: most evaluations change nothing. */
  apply(deviceId: string, who: () => AlarmDevice, verdicts: Record<AlarmType, Verdict>, now: number): void {
    for (const type of ALARM_TYPES) {
      const v = verdicts[type];
      if (v === 'keep') continue;
      const current = this.deps.state.data.alarms[keyOf(deviceId, type)];
      if (v.open && !current) this.raise(who(), type, v.detail, now);
      else if (v.open && current) this.update(who, current, v.detail, now);
      else if (!v.open && current) this.clear(who(), current, now);
    }
  }

  /** A disabled or removed speaker has nothing to fix: its alarms clear. */
  clearAll(device: AlarmDevice, now: number): void {
    for (const type of ALARM_TYPES) {
      const current = this.deps.state.data.alarms[keyOf(device.id, type)];
      if (current) this.clear(device, current, now);
    }
  }

  /** Notifies again every open, unacknowledged alarm last notified renotifyMs ago or more. */
  remind(now: number, deviceOf: (alarm: Alarm) => AlarmDevice): void {
    if (this.deps.renotifyMs <= 0) return;
    for (const a of this.open()) {
      if (a.ack || now - (a.lastNotifiedAt ?? a.raisedAt) < this.deps.renotifyMs) continue;
      this.emit('reminder', a, deviceOf(a), now);
    }
  }

  ack(id: string, by: string, note: string, visible: (a: Alarm) => boolean): Alarm {
    const a = this.open().find((x) => x.id === id);
    if (!a || !visible(a)) throw healthErrors.LOA_ALARM_NOT_OPEN({ id });
    if (a.ack) throw healthErrors.LOA_ALARM_ACKED({ id, by: a.ack.by });
    a.ack = { by, at: this.deps.clock.now(), note };
    this.deps.state.changed();
    for (const fn of this.listeners) fn('updated', a);
    return a;
  }

  /** Alarms overlapping [from, to), newest raise first. */
  async history(q: AlarmQuery, visible: (a: Alarm) => boolean): Promise<Alarm[]> {
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const overlaps = (a: Alarm) => a.raisedAt < to && (a.clearedAt ?? Number.MAX_SAFE_INTEGER) >= from && visible(a);
    const open = q.state === 'cleared' ? [] : this.open().filter(overlaps);
    const cleared = q.state === 'open' ? [] : (await this.deps.log.query({ from, limit: 100_000 }, overlaps)).map(({ ts: _ts, ...a }) => a);
    return [...open, ...cleared].sort((a, b) => b.raisedAt - a.raisedAt).slice(0, q.limit);
  }

  private raise(device: AlarmDevice, type: AlarmType, detail: AlarmDetail, now: number): void {
    const alarm: Alarm = {
      id: newId('alarm'),
      deviceId: device.id,
      type,
      state: 'open',
      raisedAt: now,
      clearedAt: null,
      detail,
      message: alarmText(type, device.name, detail),
      zoneId: device.zoneId,
      commune: device.commune,
      ack: null,
      lastNotifiedAt: null,
      notifications: 0,
    };
    this.deps.state.data.alarms[keyOf(device.id, type)] = alarm;
    this.emit('raised', alarm, device, now);
  }

  private update(who: () => AlarmDevice, a: Alarm, detail: AlarmDetail, now: number): void {
    if (sameDetail(a.detail, detail)) return;
    const device = who();
    const news = detailNews(a.type, a.detail, detail);
    a.detail = detail;
    a.message = alarmText(a.type, device.name, detail);
    this.deps.state.changed();
    if (news) this.emit('updated', a, device, now);
  }

  private clear(device: AlarmDevice, a: Alarm, now: number): void {
    delete this.deps.state.data.alarms[keyOf(a.deviceId, a.type)];
    a.state = 'cleared';
    a.clearedAt = now;
    this.emit('cleared', a, device, now);
    this.deps.log.append({ ...a, ts: now });
  }

  private emit(event: AlarmEvent, a: Alarm, device: AlarmDevice, now: number): void {
    const silenced = a.ack !== null && event !== 'cleared';
    if (!silenced) {
      a.lastNotifiedAt = now;
      if (this.deps.notify) {
        a.notifications++;
        this.deps.notify({ v: 1, event: `alarm.${event}`, at: now, message: eventText(event, a.message), alarm: a, device });
      }
    }
    this.deps.state.changed();
    for (const fn of this.listeners) fn(event, a);
  }
}
