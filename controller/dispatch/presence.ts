/**
 * Who is online, from births, wills and shutdowns (PROTOCOL lifecycle), and what each device
 * last said. A will or shutdown of an older session than the latest birth is stale and ignored.
 */
import type { DeviceState, Telemetry } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events/bus.js';
import type { Presence } from '../store/records.js';
import type { Store } from '../store/store.js';

export class PresenceTracker {
  constructor(
    private readonly store: Store,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  get(deviceId: string): Presence | undefined {
    return this.store.presence.get(deviceId);
  }

  isOnline(deviceId: string): boolean {
    return this.store.presence.get(deviceId)?.online ?? false;
  }

  onState(deviceId: string, msg: DeviceState): void {
    if (!this.store.devices.get(deviceId)) return;
    const now = this.clock.now();
    const p = this.store.presence.get(deviceId) ?? this.blank(deviceId, now);
    if (msg.online) return this.birth(p, msg.session, msg.model, msg.fw, now);
    // PROTOCOL lifecycle: a will or shutdown older than the latest birth arrives late from a dead connection.
    if (msg.session < p.session) return;
    if (!p.online && p.session === msg.session) return;
    this.store.presence.put({ ...p, online: false, reason: msg.reason, since: now, lastSeen: now });
    this.bus.emit('device.offline', { deviceId, session: msg.session, reason: msg.reason, at: now });
  }

  private birth(p: Presence, session: number, model: string, fw: string, now: number): void {
    if (session < p.session || (p.online && session === p.session)) return;
    const day = new Date(now).toISOString().slice(0, 10);
    const sessionsToday = (p.sessionsDay === day ? p.sessionsToday : 0) + 1;
    this.store.presence.put({ ...p, online: true, session, since: now, lastSeen: now, reason: null, model, fw, sessionsToday, sessionsDay: day });
    this.bus.emit('device.online', { deviceId: p.id, session, at: now });
  }

  onTelemetry(deviceId: string, tele: Telemetry): void {
    if (!this.store.devices.get(deviceId)) return;
    const now = this.clock.now();
    const p = this.store.presence.get(deviceId) ?? this.blank(deviceId, now);
    const { v: _v, ...data } = tele;
    this.store.presence.put({ ...p, lastSeen: now, lastTele: data });
    this.store.telemetry.append({ ts: now, deviceId, data });
    this.bus.emit('device.telemetry', { deviceId, at: now, data });
  }

  /** Any message from a device proves it is alive. */
  touch(deviceId: string): void {
    const p = this.store.presence.get(deviceId);
    if (p) p.lastSeen = this.clock.now();
  }

  setClockOffset(deviceId: string, offsetMs: number): void {
    const p = this.store.presence.get(deviceId);
    if (p) this.store.presence.put({ ...p, clockOffsetMs: offsetMs });
  }

  private blank(id: string, now: number): Presence {
    return {
      id,
      online: false,
      session: -1,
      since: now,
      lastSeen: 0,
      reason: null,
      model: null,
      fw: null,
      clockOffsetMs: null,
      sessionsToday: 0,
      sessionsDay: '',
      lastTele: null,
    };
  }
}
