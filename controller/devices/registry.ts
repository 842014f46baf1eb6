/**
 * The device registry: registration (the secret is shown once and stored as a slow hash),
 * secret rotation, edits, disabling, and the broker's question "may this device connect?".
 */
import { deviceCommune, readableBy } from '../zones/commune.js';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DeviceConfig } from '../../protocol/index.js';
import { DEFAULT_HEARTBEAT_S } from '../../protocol/index.js';
import { hashSecret, newSecret, verifySecret } from '../auth/hash.js';
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import { commonErrors } from '../errors.js';
import type { DeviceRecord, Presence, Targets } from '../store/records.js';
import type { Store } from '../store/store.js';
import { assess, DEFAULT_BATTERY_LOW_PCT, type Assessment, type HealthSource } from './health.js';

export interface ConfigPublisher {
  publishConfig(deviceId: string, config: DeviceConfig): Promise<void>;
}

export interface DeviceInput {
  id: string;
  name?: string;
  zoneId?: string | null;
  lat?: number | null;
  lon?: number | null;
  model?: string | null;
}

export type DevicePatch = Partial<Omit<DeviceInput, 'id'>> &
  Partial<Pick<DeviceRecord, 'disabled' | 'volume' | 'heartbeatS' | 'quietHours'>>;

export type DeviceView = Omit<DeviceRecord, 'secretHash'> & { health: Assessment; presence: Omit<Presence, 'id'> | null };

export interface RegistryOptions {
  secretHashN: number;
  timezone: string;
  prerollMs: number;
}

export class DeviceRegistry {
  /** Proven secrets, as HMACs under a key that lives only in this process: a reconnect costs no scrypt. */
  private readonly verified = new Map<string, { secretHash: string; mac: Buffer }>();
  private readonly macKey = randomBytes(32);

  constructor(
    private readonly store: Store,
    private readonly publisher: ConfigPublisher,
    private readonly clock: Clock,
    private readonly opts: RegistryOptions,
  ) {}

  async verifyDevice(deviceId: string, secret: string): Promise<'ok' | 'bad_secret' | 'unknown' | 'disabled'> {
    const device = this.store.devices.get(deviceId);
    if (!device) return 'unknown';
    if (device.disabled) return 'disabled';
    const mac = createHmac('sha256', this.macKey).update(secret).digest();
    const cached = this.verified.get(deviceId);
    if (cached && cached.secretHash === device.secretHash) return timingSafeEqual(cached.mac, mac) ? 'ok' : 'bad_secret';
    if (!(await verifySecret(secret, device.secretHash))) return 'bad_secret';
    this.verified.set(deviceId, { secretHash: device.secretHash, mac });
    return 'ok';
  }

  async register(actor: Actor, input: DeviceInput): Promise<{ device: DeviceView; secret: string }> {
    const [one] = await this.registerMany(actor, [input]);
    return one!;
  }

  /**
   * Registers many devices with one write of the device document (a bulk import or a benchmark
   * fleet would otherwise rewrite it once per device). All or nothing: every input is checked first.
   */
  async registerMany(actor: Actor, inputs: DeviceInput[]): Promise<Array<{ device: DeviceView; secret: string }>> {
    const seen = new Set<string>();
    for (const input of inputs) {
      if (this.store.devices.get(input.id) || seen.has(input.id)) throw commonErrors.LOA_CONFLICT({ what: 'Loa / device', id: input.id });
      seen.add(input.id);
      this.checkZone(actor, input.zoneId ?? null);
    }
    const now = this.clock.now();
    const made = await Promise.all(
      inputs.map(async (input) => {
        const secret = newSecret();
        const device: DeviceRecord = {
          id: input.id,
          name: input.name ?? input.id,
          zoneId: input.zoneId ?? null,
          lat: input.lat ?? null,
          lon: input.lon ?? null,
          model: input.model ?? null,
          secretHash: await hashSecret(secret, this.opts.secretHashN),
          disabled: false,
          volume: 70,
          heartbeatS: DEFAULT_HEARTBEAT_S,
          quietHours: null,
          createdAt: now,
          secretRotatedAt: now,
        };
        return { device, secret };
      }),
    );
    for (const { device } of made) this.store.devices.put(device);
    await this.store.devices.flush();
    await Promise.all(made.map(({ device }) => this.publishConfig(device)));
    return made.map(({ device, secret }) => ({ device: this.view(device), secret }));
  }

  async rotateSecret(actor: Actor, id: string): Promise<string> {
    const device = this.getRecord(actor, id);
    const secret = newSecret();
    this.store.devices.put({ ...device, secretHash: await hashSecret(secret, this.opts.secretHashN), secretRotatedAt: this.clock.now() });
    this.verified.delete(id);
    await this.store.devices.flush();
    return secret;
  }

  async update(actor: Actor, id: string, patch: DevicePatch): Promise<DeviceView> {
    const device = this.getRecord(actor, id);
    if (patch.zoneId !== undefined) this.checkZone(actor, patch.zoneId);
    const next: DeviceRecord = { ...device, ...patch };
    this.store.devices.put(next);
    if (next.disabled) this.verified.delete(id);
    await this.store.devices.flush();
    await this.publishConfig(next);
    return this.view(next);
  }

  get(actor: Actor, id: string): DeviceView {
    return this.view(this.getRecord(actor, id));
  }

  list(actor: Actor): DeviceView[] {
    return this.store.devices.all().filter((d) => this.visible(actor, d)).map((d) => this.view(d));
  }

  /** The enabled devices a target selects, within the actor's area. */
  /** See readableBy: an owner's own area, or a commune its district targets reach. */
  readableBy(actor: Actor, owner: string | null, targets: Targets): boolean {
    return readableBy(this.store, actor, owner, targets);
  }

  resolveTargets(actor: Actor, targets: Targets): string[] {
    const all = this.store.devices.all().filter((d) => !d.disabled && this.visible(actor, d));
    if ('all' in targets && targets.all) return all.map((d) => d.id);
    const t = targets as { zones?: string[]; devices?: string[] };
    const zones = new Set(t.zones ?? []);
    const devices = new Set(t.devices ?? []);
    for (const z of zones) {
      const zone = this.store.zones.get(z);
      if (!zone || !inScope(actor, zone.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'thôn/khu / zone', id: z });
    }
    const enabled = new Set(all.map((d) => d.id));
    for (const d of devices) if (!enabled.has(d)) throw commonErrors.LOA_NOT_FOUND({ what: 'loa / device', id: d });
    return all.filter((d) => devices.has(d.id) || (d.zoneId !== null && zones.has(d.zoneId))).map((d) => d.id);
  }

  /** Enabled devices in the actor's area with their coordinates, for area targeting. */
  located(actor: Actor): Array<{ id: string; lat: number | null; lon: number | null; zoneId: string | null }> {
    return this.store.devices
      .all()
      .filter((d) => !d.disabled && this.visible(actor, d))
      .map((d) => ({ id: d.id, lat: d.lat, lon: d.lon, zoneId: d.zoneId }));
  }

  /** Every device's retained config again (the embedded broker keeps retained messages in memory only). */
  async publishAllConfigs(): Promise<void> {
    await Promise.all(this.store.devices.all().map((d) => this.publishConfig(d)));
  }

  private publishConfig(d: DeviceRecord): Promise<void> {
    return this.publisher.publishConfig(d.id, {
      v: 1,
      heartbeatS: d.heartbeatS,
      volume: d.volume,
      quietHours: d.quietHours,
      tz: this.opts.timezone,
      prerollMs: this.opts.prerollMs,
    });
  }

  private getRecord(actor: Actor, id: string): DeviceRecord {
    const device = this.store.devices.get(id);
    if (!device || !this.visible(actor, device)) throw commonErrors.LOA_NOT_FOUND({ what: 'loa / device', id });
    return device;
  }

  private checkZone(actor: Actor, zoneId: string | null): void {
    if (zoneId === null) {
      if (actor.commune !== null) throw commonErrors.LOA_BAD_REQUEST({ reason: 'zoneId' });
      return;
    }
    const zone = this.store.zones.get(zoneId);
    if (!zone || !inScope(actor, zone.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'thôn/khu / zone', id: zoneId });
  }

  private visible(actor: Actor, d: DeviceRecord): boolean {
    return actor.commune === null || deviceCommune(this.store, d.id) === actor.commune;
  }

  /** The health feature's assessments replace the bare one (which cannot carry `since` over). */
  useHealth(source: HealthSource): void {
    this.health = source;
  }

  private health: HealthSource = (id, heartbeatS, now) => assess({ presence: this.store.presence.get(id), heartbeatS, now, prev: undefined, batteryLowPct: DEFAULT_BATTERY_LOW_PCT });

  private view(d: DeviceRecord): DeviceView {
    const { secretHash: _s, ...rest } = d;
    const p = this.store.presence.get(d.id);
    const presence = p ? (({ id: _id, ...x }) => x)(p) : null;
    return { ...rest, health: this.health(d.id, d.heartbeatS, this.clock.now()), presence };
  }
}
