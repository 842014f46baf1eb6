/**
 * Telemetry history: the raw heartbeats the core appends to `store.telemetry` (kept for
 * `rawRetentionMs`), and per-speaker 5-minute summaries built here from `device.telemetry` events
 * (kept for `summaryRetentionMs`). A bucket is written once it has ended; after a restart the open
 * buckets are rebuilt from the raw log, from where the summaries stopped.
 */
import type { Clock } from '../clock.js';
import type { TelemetryRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { addSample, bucketOf, combine, emptyRollup, merge, render, type Rollup, type RollupView } from './rollup.js';
import { pruneDayFiles } from './days.js';
import type { DeviceSeriesLog } from './series.js';
import type { HealthStateDoc } from './state.js';

export interface HistoryOptions {
  bucketMs: number;
  rawRetentionMs: number;
  summaryRetentionMs: number;
}

export interface HistoryDeps {
  store: Store;
  series: DeviceSeriesLog<Rollup>;
  state: HealthStateDoc;
  clock: Clock;
  /** Where the core keeps raw telemetry, one file per UTC day (pruned here). */
  rawDir: string;
}

export class TelemetryHistory {
  /** Open buckets: start → speaker → summary so far. */
  private readonly open = new Map<number, Map<string, Rollup>>();

  constructor(
    private readonly deps: HistoryDeps,
    readonly opts: HistoryOptions,
  ) {}

  onTelemetry(deviceId: string, at: number, data: Record<string, unknown>): void {
    const ts = bucketOf(at, this.opts.bucketMs);
    let bucket = this.open.get(ts);
    if (!bucket) this.open.set(ts, (bucket = new Map()));
    let r = bucket.get(deviceId);
    if (!r) bucket.set(deviceId, (r = emptyRollup(deviceId, ts)));
    addSample(r, at, data);
  }

  /** Writes every bucket that has ended; `summarizedUntil` moves only once they are on disk. */
  async closeEnded(now: number): Promise<void> {
    const ended = [...this.open.keys()].filter((ts) => ts + this.opts.bucketMs <= now);
    if (ended.length === 0) return;
    for (const ts of ended) {
      for (const r of this.open.get(ts)!.values()) this.deps.series.append(r);
      this.open.delete(ts);
    }
    await this.deps.series.flush();
    const until = Math.max(...ended) + this.opts.bucketMs;
    if (until > this.deps.state.data.summarizedUntil) {
      this.deps.state.data.summarizedUntil = until;
      this.deps.state.changed();
    }
  }

  /** Rebuilds the open buckets from the raw log after a restart. */
  async recover(now: number): Promise<number> {
    const from = Math.max(this.deps.state.data.summarizedUntil, now - this.opts.rawRetentionMs);
    const raw = await this.deps.store.telemetry.query({ from, to: now + 1, limit: 5_000_000 });
    for (const e of raw) this.onTelemetry(e.deviceId, e.ts, e.data);
    return raw.length;
  }

  /** Raw heartbeats within the raw window. */
  async raw(deviceId: string, from: number, to: number, limit: number): Promise<TelemetryRecord[]> {
    const start = Math.max(from, this.deps.clock.now() - this.opts.rawRetentionMs);
    if (start >= to) return [];
    return this.deps.store.telemetry.query({ from: start, to, limit, key: deviceId }, (e) => e.deviceId === deviceId);
  }

  /** 5-minute summaries within the summary window; a bucket still open is marked partial. */
  async summaries(deviceId: string, from: number, to: number): Promise<RollupView[]> {
    const start = Math.max(from, this.deps.clock.now() - this.opts.summaryRetentionMs);
    if (start >= to) return [];
    const closed = combine(await this.deps.series.query(deviceId, bucketOf(start, this.opts.bucketMs), to));
    const byTs = new Map<number, { r: Rollup; partial: boolean }>(closed.map((r) => [r.ts, { r, partial: false }]));
    for (const [ts, bucket] of this.open) {
      const r = bucket.get(deviceId);
      if (!r || ts + this.opts.bucketMs <= start || ts >= to) continue;
      const cur = byTs.get(ts);
      byTs.set(ts, { r: cur ? merge(cur.r, r) : r, partial: true });
    }
    return [...byTs.values()].sort((a, b) => a.r.ts - b.r.ts).map(({ r, partial }) => render(r, partial));
  }

  /** Deletes raw days past the raw window and summary months past the summary window. */
  async prune(now: number): Promise<{ rawDays: number; summaryFiles: number }> {
    await this.deps.store.telemetry.flush();
    const rawDays = await pruneDayFiles(this.deps.rawDir, now - this.opts.rawRetentionMs);
    const summaryFiles = await this.deps.series.prune(now - this.opts.summaryRetentionMs);
    return { rawDays, summaryFiles };
  }
}
