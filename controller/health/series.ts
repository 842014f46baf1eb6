/**
 * Per-speaker time series in JSON lines, one file per speaker and UTC month
 * (`<dir>/<deviceId>/<YYYY-MM>.jsonl`), written in coalesced batches: a chart of one speaker reads
 * only that speaker's files, however large the fleet. Whole months are pruned.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DEVICE_ID_PATTERN } from '../../protocol/index.js';
import { WriteCoalescer } from '../store/coalescer.js';

const SAFE_ID = new RegExp(DEVICE_ID_PATTERN);
const MONTH_FILE = /^(\d{4})-(\d{2})\.jsonl$/;
/** Appends under way at once: one file per speaker, so a fleet's buckets are thousands of files. */
const WRITE_CONCURRENCY = 32;

const monthOf = (ts: number) => new Date(ts).toISOString().slice(0, 7);

function monthEnd(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

export class DeviceSeriesLog<T extends { ts: number; deviceId: string }> {
  private pending: T[] = [];
  private readonly coalescer: WriteCoalescer;
  /** Speaker directories known to exist. */
  private readonly dirs = new Set<string>();

  constructor(
    private readonly dir: string,
    flushMs: number,
    onError: (err: unknown) => void,
  ) {
    this.coalescer = new WriteCoalescer(() => this.writePending(), flushMs, onError);
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
  }

  append(entry: T): void {
    if (!SAFE_ID.test(entry.deviceId)) return;
    this.pending.push(entry);
    this.coalescer.mark();
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }

  /** Entries of one speaker with from <= ts < to, in file order. */
  async query(deviceId: string, from: number, to: number): Promise<T[]> {
    await this.flush();
    if (!SAFE_ID.test(deviceId)) return [];
    const files = await this.months(deviceId);
    const out: T[] = [];
    for (const f of files) {
      if (f.end <= from || f.start >= to) continue;
      const text = await fs.readFile(f.path, 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as T;
        if (e.ts >= from && e.ts < to) out.push(e);
      }
    }
    return out;
  }

  /** Deletes every month that ended at or before `before`; returns how many files went. */
  async prune(before: number): Promise<number> {
    await this.flush();
    let removed = 0;
    for (const deviceId of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (!SAFE_ID.test(deviceId)) continue;
      for (const f of await this.months(deviceId)) {
        if (f.end > before) continue;
        await fs.rm(f.path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  private async months(deviceId: string): Promise<Array<{ path: string; start: number; end: number }>> {
    const dir = path.join(this.dir, deviceId);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const out: Array<{ path: string; start: number; end: number }> = [];
    for (const name of names.sort()) {
      const m = MONTH_FILE.exec(name);
      if (!m) continue;
      const year = Number(m[1]);
      const month = Number(m[2]);
      out.push({ path: path.join(dir, name), start: Date.UTC(year, month - 1, 1), end: monthEnd(year, month) });
    }
    return out;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const byFile = new Map<string, { deviceId: string; lines: string[] }>();
    for (const e of batch) {
      const file = path.join(e.deviceId, `${monthOf(e.ts)}.jsonl`);
      const f = byFile.get(file) ?? { deviceId: e.deviceId, lines: [] };
      f.lines.push(JSON.stringify(e));
      byFile.set(file, f);
    }
    const written = new Set<string>();
    try {
      await eachLimited([...byFile], WRITE_CONCURRENCY, async ([file, f]) => {
        await this.ensureDir(f.deviceId);
        await fs.appendFile(path.join(this.dir, file), f.lines.join('\n') + '\n');
        written.add(file);
      });
    } catch (err) {
      this.pending = batch.filter((e) => !written.has(path.join(e.deviceId, `${monthOf(e.ts)}.jsonl`))).concat(this.pending);
      throw err;
    }
  }

  private async ensureDir(deviceId: string): Promise<void> {
    if (this.dirs.has(deviceId)) return;
    await fs.mkdir(path.join(this.dir, deviceId), { recursive: true });
    this.dirs.add(deviceId);
  }
}

/** Runs `fn` over the items, at most `limit` at a time; rejects with the first failure once all settled. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T).catch((err: unknown) => void (failure ??= err));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure;
}
