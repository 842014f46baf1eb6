/**
 * Each speaker's delivery of the most recent finished broadcast that targeted it: the source of
 * "missed the last broadcast" (PROTOCOL controller rule 3 keeps each delivery's latest state).
 */
import type { Store } from '../store/store.js';
import type { LastBroadcast } from './rules.js';
import type { HealthStateDoc } from './state.js';

/** After a long stop, only the latest broadcasts matter; older ones are superseded anyway. */
const CATCH_UP_LIMIT = 200;

export class LastBroadcastWatch {
  constructor(
    private readonly store: Store,
    private readonly state: HealthStateDoc,
  ) {}

  get(deviceId: string): LastBroadcast | undefined {
    return this.state.data.lastBroadcast[deviceId];
  }

  /** Records a finished broadcast's outcome per speaker; returns the speakers it concerned. */
  async onFinished(jobId: string): Promise<string[]> {
    const b = this.store.broadcasts.get(jobId);
    if (!b || b.finishedAt === null) return [];
    const finishedAt = b.finishedAt;
    const deliveries = await this.store.deliveries.read(jobId);
    const touched: string[] = [];
    for (const d of deliveries) {
      const cur = this.state.data.lastBroadcast[d.deviceId];
      if (cur && cur.finishedAt > finishedAt) continue;
      this.state.data.lastBroadcast[d.deviceId] = { broadcastId: b.id, title: b.title, state: d.state, finishedAt, error: d.error };
      touched.push(d.deviceId);
    }
    this.state.data.broadcastsSeenUntil = Math.max(this.state.data.broadcastsSeenUntil, finishedAt);
    this.state.changed();
    return touched;
  }

  /** Broadcasts that finished while this feature was not running. */
  async catchUp(): Promise<string[]> {
    const seen = this.state.data.broadcastsSeenUntil;
    const missed = this.store.broadcasts
      .all()
      .filter((b) => b.finishedAt !== null && b.finishedAt > seen)
      .sort((a, b) => a.finishedAt! - b.finishedAt!)
      .slice(-CATCH_UP_LIMIT);
    const touched = new Set<string>();
    for (const b of missed) for (const id of await this.onFinished(b.id)) touched.add(id);
    return [...touched];
  }
}
