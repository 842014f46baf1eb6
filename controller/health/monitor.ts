/**
 * Keeps every speaker's health and alarms current: on each bus event for that speaker, and on a
 * timer for what time alone changes (silence, how long offline, reminders, closing 5-minute
 * buckets, local midnight, pruning).
 */
import { SILENT_AFTER_HEARTBEATS } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { PresenceTracker } from '../dispatch/presence.js';
import type { EventBus } from '../events/bus.js';
import type { DeviceRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { Alarm } from './alarm-model.js';
import type { AlarmBook, AlarmDevice } from './alarms.js';
import { assess, type Assessment } from '../devices/health.js';
import type { LastBroadcastWatch } from './last-broadcast.js';
import { verdicts, type AlarmType } from './rules.js';
import type { HealthStateDoc } from './state.js';
import type { UptimeTracker } from './uptime.js';

export interface MonitorOptions {
  offlineHeartbeats: number;
  batteryLowPct: number;
  tickMs: number;
  /** Every speaker is looked at this often; in between only those whose time has come. */
  sweepMs: number;
  pruneEveryMs: number;
}

export interface MonitorDeps {
  store: Store;
  presence: PresenceTracker;
  bus: EventBus;
  clock: Clock;
  logger: { error(obj: object, msg?: string): void };
  state: HealthStateDoc;
  alarms: AlarmBook;
  history: { onTelemetry(deviceId: string, at: number, data: Record<string, unknown>): void; closeEnded(now: number): Promise<void> };
  uptime: UptimeTracker;
  lastBroadcast: LastBroadcastWatch;
  prune: (now: number) => Promise<Record<string, number>>;
}

export class HealthMonitor {
  private readonly offs: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private lastPruneAt = 0;
  private lastSweepAt = 0;
  /** When each speaker's state or alarms may next change with time alone (silence, offline long enough). */
  private readonly due = new Map<string, number>();

  constructor(
    private readonly deps: MonitorDeps,
    readonly opts: MonitorOptions,
  ) {}

  start(): void {
    const { bus, history, uptime, lastBroadcast } = this.deps;
    this.offs.push(
      bus.on('device.telemetry', (e) => {
        history.onTelemetry(e.deviceId, e.at, e.data);
        this.evaluate(e.deviceId);
      }),
      bus.on('device.online', (e) => {
        uptime.record(e.deviceId, true, e.at);
        this.evaluate(e.deviceId);
      }),
      bus.on('device.offline', (e) => {
        uptime.record(e.deviceId, false, e.at);
        this.evaluate(e.deviceId);
      }),
      bus.on('job.finished', (e) => {
        if (e.kind !== 'broadcast') return;
        lastBroadcast
          .onFinished(e.jobId)
          .then((ids) => ids.forEach((id) => this.evaluate(id)))
          .catch((err: unknown) => this.deps.logger.error({ err, jobId: e.jobId }, 'health: reading a finished broadcast failed'));
      }),
    );
    this.evaluateAll();
    // A slow tick (a prune) is not queued behind by the timer.
    this.timer = setInterval(() => this.pending === 0 && void this.tick(), this.opts.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    for (const off of this.offs.splice(0)) off();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  /** What time alone changes; ticks run one after another. Tests call it after moving their clock. */
  tick(): Promise<void> {
    this.pending++;
    this.chain = this.chain
      .then(() => this.runTick())
      .catch((err: unknown) => this.deps.logger.error({ err }, 'health: tick failed'))
      .finally(() => void this.pending--);
    return this.chain;
  }

  private async runTick(): Promise<void> {
    const now = this.deps.clock.now();
    if (now - this.lastSweepAt >= this.opts.sweepMs || now < this.lastSweepAt) this.evaluateAll();
    else for (const [id, at] of [...this.due]) if (at <= now) this.evaluate(id);
    this.deps.alarms.remind(now, (a) => this.alarmDevice(a.deviceId, a));
    this.deps.uptime.markDay(now);
    await this.deps.history.closeEnded(now);
    if (now - this.lastPruneAt >= this.opts.pruneEveryMs) {
      this.lastPruneAt = now;
      await this.prune(now);
    }
  }

  /** Deletes history past its window (raw telemetry, summaries, presence changes, alarm history). */
  prune(now = this.deps.clock.now()): Promise<Record<string, number>> {
    return this.deps.prune(now);
  }

  /** The speaker's assessment at this moment (nothing recorded). */
  current(device: DeviceRecord, now = this.deps.clock.now()): Assessment {
    return this.assessmentOf(device.id, device.heartbeatS, now);
  }

  assessmentOf(deviceId: string, heartbeatS: number, now: number): Assessment {
    const prev = this.deps.state.data.assessments[deviceId];
    return assess({ presence: this.deps.presence.get(deviceId), heartbeatS, now, prev, batteryLowPct: this.opts.batteryLowPct });
  }

  /** Every speaker: catches what changes without an event (disabled, removed, a new heartbeat interval). */
  evaluateAll(): void {
    const { store, state } = this.deps;
    this.lastSweepAt = this.deps.clock.now();
    const known = new Set<string>();
    for (const d of store.devices.all()) {
      known.add(d.id);
      this.evaluate(d.id);
    }
    // Speakers removed from the registry: nothing left to watch.
    for (const a of this.deps.alarms.open()) if (!known.has(a.deviceId)) this.deps.alarms.clearAll(this.alarmDevice(a.deviceId, a), this.deps.clock.now());
    for (const id of Object.keys(state.data.assessments)) if (!known.has(id)) delete state.data.assessments[id];
    for (const id of this.due.keys()) if (!known.has(id)) this.due.delete(id);
  }

  evaluate(deviceId: string): void {
    const { store, state, alarms, clock, presence } = this.deps;
    const device = store.devices.get(deviceId);
    if (!device) return;
    const now = clock.now();
    const who = () => this.alarmDevice(deviceId);
    this.due.delete(deviceId);
    if (device.disabled) return alarms.clearAll(who(), now);
    const health = this.current(device, now);
    const prev = state.data.assessments[deviceId];
    if (!prev || prev.state !== health.state || prev.since !== health.since || prev.faults.join() !== health.faults.join()) {
      state.data.assessments[deviceId] = health;
      state.changed();
    }
    const input = {
      health,
      tele: presence.get(deviceId)?.lastTele ?? null,
      heartbeatS: device.heartbeatS,
      now,
      offlineHeartbeats: this.opts.offlineHeartbeats,
      isOpen: (type: AlarmType) => alarms.isOpen(deviceId, type),
      lastBroadcast: this.deps.lastBroadcast.get(deviceId),
    };
    alarms.apply(deviceId, who, verdicts(input), now);
    const dueAt = this.nextChange(device, health);
    if (dueAt !== null) this.due.set(deviceId, dueAt);
  }

  /** When time alone may next change this speaker's state or alarms (null: only an event can). */
  private nextChange(device: DeviceRecord, h: Assessment): number | null {
    const heartbeatMs = device.heartbeatS * 1000;
    if (h.state === 'ok' || h.state === 'faulty') {
      const lastSeen = this.deps.presence.get(device.id)?.lastSeen ?? 0;
      return lastSeen + SILENT_AFTER_HEARTBEATS * heartbeatMs + 1;
    }
    if (h.state === 'offline' && h.since !== null && !this.deps.alarms.isOpen(device.id, 'offline')) return h.since + this.opts.offlineHeartbeats * heartbeatMs;
    return null;
  }

  private alarmDevice(deviceId: string, fallback?: Alarm): AlarmDevice {
    const d = this.deps.store.devices.get(deviceId);
    if (!d) return { id: deviceId, name: deviceId, zoneId: fallback?.zoneId ?? null, commune: fallback?.commune ?? null };
    const zone = d.zoneId ? this.deps.store.zones.get(d.zoneId) : undefined;
    return { id: d.id, name: d.name, zoneId: d.zoneId, commune: zone?.commune ?? null };
  }
}
