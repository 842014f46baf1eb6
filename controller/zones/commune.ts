import type { Store } from '../store/store.js';

/** The commune a speaker belongs to, through its zone (null: none known). */
export function deviceCommune(store: Store, deviceId: string): string | null {
  const zoneId = store.devices.get(deviceId)?.zoneId;
  return zoneId ? (store.zones.get(zoneId)?.commune ?? null) : null;
}
