/**
 * The feature's own small lowdb document (the core store has no collection for it): each speaker's
 * last assessment (so `since` survives a restart), its last broadcast, the open alarms, the last
 * online/offline change written to the uptime log, and how far telemetry has been summarised.
 * Writes are coalesced; `flush()` makes them durable.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { WriteCoalescer } from '../store/coalescer.js';
import type { Assessment } from '../devices/health.js';
import type { Alarm } from './alarm-model.js';
import type { LastBroadcast } from './rules.js';

export interface HealthData {
  assessments: Record<string, Assessment>;
  lastBroadcast: Record<string, LastBroadcast>;
  /** Open alarms by `${deviceId}:${type}`. */
  alarms: Record<string, Alarm>;
  /** The last change per speaker written to the uptime log. */
  presence: Record<string, { online: boolean; ts: number }>;
  /** Every 5-minute bucket that ends at or before this is written. */
  summarizedUntil: number;
  /** The local day whose start was last marked in the uptime log. */
  markedDay: string;
  /** Broadcasts finished up to here were read for "missed the last broadcast". */
  broadcastsSeenUntil: number;
}

export class HealthStateDoc {
  private readonly coalescer: WriteCoalescer;

  private constructor(
    private readonly db: Low<HealthData>,
    flushMs: number,
    onError: (err: unknown) => void,
  ) {
    this.coalescer = new WriteCoalescer(() => db.write(), flushMs, onError);
  }

  static async open(dir: string, flushMs: number, onError: (err: unknown) => void): Promise<HealthStateDoc> {
    await fs.mkdir(dir, { recursive: true });
    const blank: HealthData = { assessments: {}, lastBroadcast: {}, alarms: {}, presence: {}, summarizedUntil: 0, markedDay: '', broadcastsSeenUntil: 0 };
    const db = new Low<HealthData>(new JSONFile(path.join(dir, 'state.json')), blank);
    await db.read();
    db.data = { ...blank, ...db.data };
    return new HealthStateDoc(db, flushMs, onError);
  }

  get data(): HealthData {
    return this.db.data;
  }

  /** After any change to `data`: written by the next coalesced write. */
  changed(): void {
    this.coalescer.mark();
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }
}
