/** Read models of jobs: a broadcast or command job with its summary, and its per-device deliveries. */
import { inScope, type Actor } from '../auth/permissions.js';
import { summarize, type DeliverySummary } from '../dispatch/delivery-state.js';
import { commonErrors } from '../errors.js';
import type { Broadcast, CommandJob, Delivery } from '../store/records.js';
import type { Store } from '../store/store.js';

export type BroadcastView = Omit<Broadcast, 'template' | 'deviceIds'> & { summary: DeliverySummary; media: Broadcast['template']['media'] };
export type CommandView = Omit<CommandJob, 'deviceIds'> & { summary: DeliverySummary; deliveries: Delivery[] };

export class JobViews {
  constructor(private readonly store: Store) {}

  getBroadcast(id: string, actor?: Actor): Broadcast {
    const b = this.store.broadcasts.get(id);
    if (!b || (actor && !inScope(actor, b.commune))) throw commonErrors.LOA_NOT_FOUND({ what: 'bản tin / broadcast', id });
    return b;
  }

  async broadcast(id: string, actor?: Actor): Promise<BroadcastView> {
    const { template, deviceIds: _d, ...rest } = this.getBroadcast(id, actor);
    return { ...rest, media: template.media, summary: summarize(await this.store.deliveries.read(id)) };
  }

  async broadcasts(actor: Actor, limit: number): Promise<BroadcastView[]> {
    const items = this.store.broadcasts
      .all()
      .filter((b) => inScope(actor, b.commune))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, limit);
    return Promise.all(items.map((b) => this.broadcast(b.id)));
  }

  async deliveries(id: string, actor: Actor): Promise<Delivery[]> {
    this.getBroadcast(id, actor);
    return this.store.deliveries.read(id);
  }

  async command(id: string, actor?: Actor): Promise<CommandView> {
    const job = this.store.commandJobs.get(id);
    if (!job || (actor && !inScope(actor, job.commune))) throw commonErrors.LOA_NOT_FOUND({ what: 'lệnh / command', id });
    const { deviceIds: _d, ...rest } = job;
    const deliveries = await this.store.deliveries.read(id);
    return { ...rest, summary: summarize(deliveries), deliveries };
  }
}
