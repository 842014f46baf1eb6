/** Read models of jobs: a broadcast or command job with its summary, and its per-device deliveries. */
import { inScope, type Actor } from '../auth/permissions.js';
import { summarize, type DeliverySummary } from '../dispatch/delivery-state.js';
import { commonErrors } from '../errors.js';
import type { Broadcast, CommandJob, Delivery } from '../store/records.js';
import type { Store } from '../store/store.js';
import { deviceCommune, readableBy } from '../zones/commune.js';

/**
 * `scope` 'own-speakers': a district-wide broadcast seen by a commune account, which sees it on its
 * own speakers only (their count, their summary, their deliveries) and may not cancel it.
 */
export type BroadcastView = Omit<Broadcast, 'template' | 'deviceIds'> & { summary: DeliverySummary; media: Broadcast['template']['media']; scope: 'all' | 'own-speakers' };

type DeviceFilter = ((deviceId: string) => boolean) | null;
export type CommandView = Omit<CommandJob, 'deviceIds'> & { summary: DeliverySummary; deliveries: Delivery[] };

export class JobViews {
  constructor(private readonly store: Store) {}

  getBroadcast(id: string, actor?: Actor): Broadcast {
    const b = this.store.broadcasts.get(id);
    if (!b || (actor && !inScope(actor, b.commune))) throw commonErrors.LOA_NOT_FOUND({ what: 'bản tin / broadcast', id });
    return b;
  }

  async broadcast(id: string, actor?: Actor): Promise<BroadcastView> {
    const b = this.store.broadcasts.get(id);
    const filter = b ? this.readable(b, actor) : undefined;
    if (!b || filter === undefined) throw commonErrors.LOA_NOT_FOUND({ what: 'bản tin / broadcast', id });
    const { template, deviceIds: _d, ...rest } = b;
    const deliveries = await this.deliveriesOf(id, filter);
    const targeted = filter ? deliveries.length : rest.targeted;
    return { ...rest, targeted, media: template.media, summary: summarize(deliveries), scope: filter ? 'own-speakers' : 'all' };
  }

  async broadcasts(actor: Actor, limit: number): Promise<BroadcastView[]> {
    const items = this.store.broadcasts
      .all()
      .filter((b) => this.readable(b, actor) !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
    return Promise.all(items.map((b) => this.broadcast(b.id, actor)));
  }

  async deliveries(id: string, actor: Actor): Promise<Delivery[]> {
    const b = this.store.broadcasts.get(id);
    const filter = b ? this.readable(b, actor) : undefined;
    if (filter === undefined) throw commonErrors.LOA_NOT_FOUND({ what: 'bản tin / broadcast', id });
    return this.deliveriesOf(id, filter);
  }

  /** null: every speaker's part; a filter: only those speakers'; undefined: not to be seen at all. */
  private readable(b: Broadcast, actor: Actor | undefined): DeviceFilter | undefined {
    if (!actor || inScope(actor, b.commune)) return null;
    // A job keeps its targets; its device list lives with its deliveries.
    if (!readableBy(this.store, actor, b.commune, b.targets)) return undefined;
    return (deviceId: string) => deviceCommune(this.store, deviceId) === actor.commune;
  }

  private async deliveriesOf(id: string, filter: DeviceFilter): Promise<Delivery[]> {
    const all = await this.store.deliveries.read(id);
    return filter ? all.filter((d) => filter(d.deviceId)) : all;
  }

  async command(id: string, actor?: Actor): Promise<CommandView> {
    const job = this.store.commandJobs.get(id);
    if (!job || (actor && !inScope(actor, job.commune))) throw commonErrors.LOA_NOT_FOUND({ what: 'lệnh / command', id });
    const { deviceIds: _d, ...rest } = job;
    const deliveries = await this.store.deliveries.read(id);
    return { ...rest, summary: summarize(deliveries), deliveries };
  }
}
