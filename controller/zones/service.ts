/** Villages and residential groups (thôn, tổ dân phố) that group speakers, each in one commune. */
import type { Actor } from '../auth/permissions.js';
import { inScope } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import { commonErrors, defineErrors } from '../errors.js';
import { newId } from '../ids.js';
import type { Zone } from '../store/records.js';
import type { Store } from '../store/store.js';

export const zoneErrors = defineErrors({
  LOA_ZONE_IN_USE: {
    status: 409,
    vi: 'Thôn/khu "{id}" còn {count} loa; hãy chuyển loa sang thôn khác trước khi xoá.',
    en: 'Zone "{id}" still has {count} speakers; move them to another zone before deleting it.',
  },
});

export interface ZoneInput {
  id?: string;
  name: string;
  commune: string;
  kind?: Zone['kind'];
}

export class ZoneService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor): Zone[] {
    return this.store.zones.all().filter((z) => inScope(actor, z.commune));
  }

  get(actor: Actor, id: string): Zone {
    const zone = this.store.zones.get(id);
    if (!zone || !inScope(actor, zone.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'thôn/khu / zone', id });
    return zone;
  }

  async create(actor: Actor, input: ZoneInput): Promise<Zone> {
    if (!inScope(actor, input.commune)) throw commonErrors.LOA_FORBIDDEN();
    const id = input.id ?? newId('z');
    if (this.store.zones.get(id)) throw commonErrors.LOA_CONFLICT({ what: 'Thôn/khu / zone', id });
    const zone: Zone = { id, name: input.name, commune: input.commune, kind: input.kind ?? 'village', createdAt: this.clock.now() };
    this.store.zones.put(zone);
    await this.store.zones.flush();
    return zone;
  }

  async update(actor: Actor, id: string, patch: Partial<Omit<ZoneInput, 'id'>>): Promise<Zone> {
    const zone = this.get(actor, id);
    if (patch.commune !== undefined && !inScope(actor, patch.commune)) throw commonErrors.LOA_FORBIDDEN();
    const next = { ...zone, ...patch };
    this.store.zones.put(next);
    await this.store.zones.flush();
    return next;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.get(actor, id);
    const count = this.store.devices.all().filter((d) => d.zoneId === id).length;
    if (count > 0) throw zoneErrors.LOA_ZONE_IN_USE({ id, count });
    this.store.zones.delete(id);
    await this.store.zones.flush();
  }
}
