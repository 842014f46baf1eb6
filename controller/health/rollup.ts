/**
 * Down-sampling of telemetry: per speaker and bucket (5 minutes), min/avg/max of each numeric
 * field, the last value of every other field (enums, flags), and the number of samples.
 * Kept as sums so two partial summaries of one bucket merge exactly.
 */
export interface NumericAgg {
  min: number;
  max: number;
  sum: number;
  /** Samples that carried this field (a device leaves out what it cannot measure). */
  n: number;
}

export interface Rollup {
  /** The bucket's start. */
  ts: number;
  deviceId: string;
  count: number;
  num: Record<string, NumericAgg>;
  last: Record<string, unknown>;
  /** When the last sample arrived (orders `last` when merging). */
  lastAt: number;
}

export interface RollupView {
  ts: number;
  count: number;
  fields: Record<string, { min: number; avg: number; max: number }>;
  last: Record<string, unknown>;
  /** The bucket is still open: more samples may come. */
  partial?: true;
}

/** Counters and the device's own clock: no meaning as an average. */
const SKIPPED = new Set(['ts', 'seq']);

export function bucketOf(at: number, bucketMs: number): number {
  return Math.floor(at / bucketMs) * bucketMs;
}

export function emptyRollup(deviceId: string, ts: number): Rollup {
  return { ts, deviceId, count: 0, num: {}, last: {}, lastAt: 0 };
}

export function addSample(r: Rollup, at: number, data: Record<string, unknown>): void {
  r.count++;
  const newest = at >= r.lastAt;
  if (newest) r.lastAt = at;
  for (const [key, value] of Object.entries(data)) {
    if (SKIPPED.has(key)) continue;
    if (typeof value === 'number' && Number.isFinite(value)) addNumber(r.num, key, { min: value, max: value, sum: value, n: 1 });
    else if (newest || !(key in r.last)) r.last[key] = value;
  }
}

export function merge(a: Rollup, b: Rollup): Rollup {
  const [older, newer] = a.lastAt <= b.lastAt ? [a, b] : [b, a];
  const out: Rollup = { ts: a.ts, deviceId: a.deviceId, count: a.count + b.count, num: {}, last: { ...older.last, ...newer.last }, lastAt: newer.lastAt };
  for (const r of [a, b]) for (const [key, agg] of Object.entries(r.num)) addNumber(out.num, key, agg);
  return out;
}

function addNumber(num: Record<string, NumericAgg>, key: string, x: NumericAgg): void {
  const cur = num[key];
  if (!cur) num[key] = { ...x };
  else num[key] = { min: Math.min(cur.min, x.min), max: Math.max(cur.max, x.max), sum: cur.sum + x.sum, n: cur.n + x.n };
}

export function render(r: Rollup, partial = false): RollupView {
  const fields: RollupView['fields'] = {};
  for (const [key, a] of Object.entries(r.num)) fields[key] = { min: a.min, avg: round(a.sum / a.n), max: a.max };
  return { ts: r.ts, count: r.count, fields, last: r.last, ...(partial ? { partial: true as const } : {}) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * One rollup per bucket, in time order: summaries of one bucket written apart (a late sample) merge.
 * The same summary written twice (rebuilt from the raw log after a crash lost the note that it was
 * written) counts once.
 */
export function combine(rollups: Rollup[]): Rollup[] {
  const byTs = new Map<number, Rollup>();
  const seen = new Set<string>();
  for (const r of rollups) {
    const key = `${r.ts}:${r.count}:${r.lastAt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const cur = byTs.get(r.ts);
    byTs.set(r.ts, cur ? merge(cur, r) : r);
  }
  return [...byTs.values()].sort((x, y) => x.ts - y.ts);
}
