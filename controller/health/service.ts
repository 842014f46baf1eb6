/** Fleet health as the API serves it, within the account's area (registry.list keeps the scope). */
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { PresenceTracker } from '../dispatch/presence.js';
import type { Store } from '../store/store.js';
import type { Alarm } from './alarm-model.js';
import type { AlarmBook, AlarmQuery } from './alarms.js';
import type { HealthState } from '../devices/health.js';
import { healthErrors } from './errors.js';
import type { TelemetryHistory } from './history.js';
import type { LastBroadcastWatch } from './last-broadcast.js';
import type { HealthMonitor } from './monitor.js';
import type { AlarmType } from './rules.js';
import type { DayUptime, UptimeTracker } from './uptime.js';
import { deviceView, fleetSummary, type DeviceHealthView, type FleetSummary } from './views.js';

export interface HealthServiceDeps {
  store: Store;
  registry: DeviceRegistry;
  presence: PresenceTracker;
  clock: Clock;
  monitor: HealthMonitor;
  alarms: AlarmBook;
  history: TelemetryHistory;
  uptime: UptimeTracker;
  lastBroadcast: LastBroadcastWatch;
  timezone: string;
  flakySessions: number;
}

export interface DeviceFilter {
  state?: HealthState;
  zone?: string;
  commune?: string;
  missed?: boolean;
}

export class HealthService {
  constructor(private readonly deps: HealthServiceDeps) {}

  list(actor: Actor, f: DeviceFilter = {}): DeviceHealthView[] {
    const now = this.deps.clock.now();
    const alarmsBy = this.openAlarmsByDevice();
    return this.deps.registry
      .list(actor)
      .map((d) => this.view(d.id, now, alarmsBy.get(d.id) ?? []))
      .filter((v) => (!f.state || v.state === f.state) && (!f.zone || v.zoneId === f.zone) && (!f.commune || v.commune === f.commune) && (f.missed === undefined || v.missedLastBroadcast === f.missed));
  }

  get(actor: Actor, id: string): DeviceHealthView {
    this.deps.registry.get(actor, id);
    return this.view(id, this.deps.clock.now(), this.deps.alarms.open().filter((a) => a.deviceId === id));
  }

  summary(actor: Actor, limit: number): FleetSummary {
    return fleetSummary(this.list(actor), new Map(this.deps.store.zones.all().map((z) => [z.id, z])), { now: this.deps.clock.now(), limit, flakySessions: this.deps.flakySessions });
  }

  async telemetry(actor: Actor, id: string, q: { from?: number; to?: number; resolution: 'raw' | '5m'; limit: number }) {
    this.deps.registry.get(actor, id);
    const now = this.deps.clock.now();
    const to = q.to ?? now + 1;
    const from = q.from ?? to - 86_400_000;
    if (from >= to) throw healthErrors.LOA_HEALTH_RANGE();
    const { history } = this.deps;
    if (q.resolution === 'raw') {
      const items = (await history.raw(id, from, to, q.limit)).map((e) => ({ ts: e.ts, data: e.data }));
      return { deviceId: id, resolution: 'raw' as const, from, to, retentionMs: history.opts.rawRetentionMs, items };
    }
    const items = (await history.summaries(id, from, to)).slice(-q.limit);
    return { deviceId: id, resolution: '5m' as const, bucketMs: history.opts.bucketMs, from, to, retentionMs: history.opts.summaryRetentionMs, items };
  }

  async uptime(actor: Actor, id: string, days: number): Promise<{ deviceId: string; timezone: string; days: DayUptime[] }> {
    const device = this.deps.registry.get(actor, id);
    return { deviceId: id, timezone: this.deps.timezone, days: await this.deps.uptime.uptime(id, days, device.createdAt, this.deps.clock.now()) };
  }

  alarms(actor: Actor, q: AlarmQuery & { deviceId?: string; type?: AlarmType }): Promise<Alarm[]> {
    return this.deps.alarms.history(q, (a) => this.alarmVisible(actor, a) && (!q.deviceId || a.deviceId === q.deviceId) && (!q.type || a.type === q.type));
  }

  ack(actor: Actor, id: string, note: string): Alarm {
    return this.deps.alarms.ack(id, actor.username, note, (a) => this.alarmVisible(actor, a));
  }

  private alarmVisible(actor: Actor, a: Alarm): boolean {
    if (actor.commune === null) return true;
    const device = this.deps.store.devices.get(a.deviceId);
    const commune = device ? (device.zoneId ? (this.deps.store.zones.get(device.zoneId)?.commune ?? null) : null) : a.commune;
    return inScope(actor, commune);
  }

  private openAlarmsByDevice(): Map<string, Alarm[]> {
    const by = new Map<string, Alarm[]>();
    for (const a of this.deps.alarms.open()) by.set(a.deviceId, [...(by.get(a.deviceId) ?? []), a]);
    return by;
  }

  private view(id: string, now: number, alarms: Alarm[]): DeviceHealthView {
    const device = this.deps.store.devices.get(id)!;
    return deviceView({
      device,
      zone: device.zoneId ? this.deps.store.zones.get(device.zoneId) : undefined,
      health: this.deps.monitor.current(device, now),
      presence: this.deps.presence.get(id),
      lastBroadcast: this.deps.lastBroadcast.get(id),
      alarms,
      now,
    });
  }
}
