import { inScope, type Actor } from '../auth/permissions.js';
import type { Targets } from '../store/records.js';
import type { Store } from '../store/store.js';

/** The commune a speaker belongs to, through its zone (null: none known). */
export function deviceCommune(store: Store, deviceId: string): string | null {
  const zoneId = store.devices.get(deviceId)?.zoneId;
  return zoneId ? (store.zones.get(zoneId)?.commune ?? null) : null;
}

/** Whether targets name any of a commune's speakers (all, one of its zones, or one of its speakers). */
export function targetsReach(store: Store, targets: Targets, commune: string): boolean {
  if ('all' in targets) return true;
  const zones = targets.zones ?? [];
  const devices = targets.devices ?? [];
  return zones.some((z) => store.zones.get(z)?.commune === commune) || devices.some((d) => deviceCommune(store, d) === commune);
}

/**
 * Who may read a job, programme or rollout owned by `owner` (a commune, or null: the district):
 * its own area, and a commune whose speakers a district one targets (to follow, not to steer).
 */
export function readableBy(store: Store, actor: Actor, owner: string | null, targets: Targets): boolean {
  return inScope(actor, owner) || (owner === null && targetsReach(store, targets, actor.commune!));
}
