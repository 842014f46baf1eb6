/** Villages and speakers, shared by the pages that name them; asked again when older than a few seconds. */
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { useEvent } from './events.js';
import { useLoad, useThrottled, type Loaded } from './use-load.js';
import type { Device, LiveEvents, Zone } from './types.js';

const FRESH_MS = 5000;
/** A whole fleet list can be large: live events patch it at once, a full reload follows at most this often. */
const RELOAD_AFTER_EVENTS_MS = 5000;
const cache = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(path: string, pick: (body: { items: T }) => T, force: boolean): Promise<T> {
  const hit = cache.get(path);
  if (!force && hit && Date.now() - hit.at < FRESH_MS) return hit.value as Promise<T>;
  const value = api.get<{ items: T }>(path).then(pick);
  value.catch(() => cache.delete(path));
  cache.set(path, { at: Date.now(), value });
  return value;
}

export function fetchZones(force = false): Promise<Zone[]> {
  return cached<Zone[]>('/api/v1/zones', (b) => b.items, force);
}

export function fetchDevices(force = false): Promise<Device[]> {
  return cached<Device[]>('/api/v1/devices', (b) => b.items, force);
}

export function forgetDirectory(): void {
  cache.clear();
}

export function useZones(): Loaded<Zone[]> {
  return useLoad(() => fetchZones(), []);
}

type Presence = LiveEvents['device.online'] | LiveEvents['device.offline'];

/** What an online/offline event says about a speaker, until the next full list corrects the details. */
export function applyPresence(d: Device, e: Presence, online: boolean): Device {
  if (online) return { ...d, health: { state: 'ok', since: e.at, faults: [] }, presence: d.presence ? { ...d.presence, online, since: e.at, lastSeen: e.at } : d.presence };
  return { ...d, health: { state: 'offline', since: e.at, faults: [] }, presence: d.presence ? { ...d.presence, online, since: e.at } : d.presence };
}

/** The speaker list, kept live: each online/offline event patches it at once. */
export function useDevices(): Loaded<Device[]> {
  const list = useLoad(() => fetchDevices(true), []);
  const [patched, setPatched] = useState<{ base: Device[]; devices: Device[] } | null>(null);
  const reload = useThrottled(list.reload, RELOAD_AFTER_EVENTS_MS);
  const current = patched && patched.base === list.data ? patched.devices : list.data;
  const patch = (e: Presence, online: boolean) => {
    const base = list.data;
    if (!base) return;
    // Several events can arrive before the next render: each builds on the previous patch.
    setPatched((prev) => {
      const devices = prev && prev.base === base ? prev.devices : base;
      return { base, devices: devices.map((d) => (d.id === e.deviceId ? applyPresence(d, e, online) : d)) };
    });
    reload();
  };
  useEvent('device.online', (e) => patch(e, true));
  useEvent('device.offline', (e) => patch(e, false));
  useEvent('resync', reload);
  return { ...list, data: current };
}

export function zoneName(zones: Zone[] | undefined, id: string | null): string {
  if (!id) return '—';
  return zones?.find((z) => z.id === id)?.name ?? id;
}

/** Enabled speakers per village, for "how many will sound". */
export function countByZone(devices: Device[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of devices) if (!d.disabled && d.zoneId) counts.set(d.zoneId, (counts.get(d.zoneId) ?? 0) + 1);
  return counts;
}
