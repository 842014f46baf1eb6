/** Append-only JSON-lines history, one file per UTC day, written in coalesced batches. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { WriteCoalescer } from './coalescer.js';
import type { HistoryLog, HistoryQuery } from './store.js';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export class JsonLinesLog<T extends { ts: number }> implements HistoryLog<T> {
  private pending: T[] = [];
  private readonly coalescer: WriteCoalescer;

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
    this.pending.push(entry);
    this.coalescer.mark();
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const byDay = new Map<string, string[]>();
    for (const e of batch) {
      const day = new Date(e.ts).toISOString().slice(0, 10);
      const lines = byDay.get(day) ?? [];
      lines.push(JSON.stringify(e));
      byDay.set(day, lines);
    }
    try {
      for (const [day, lines] of byDay) await fs.appendFile(path.join(this.dir, `${day}.jsonl`), lines.join('\n') + '\n');
    } catch (err) {
      this.pending = batch.concat(this.pending);
      throw err;
    }
  }

  async query(q: HistoryQuery, filter?: (e: T) => boolean): Promise<T[]> {
    await this.flush();
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const fromDay = new Date(from).toISOString().slice(0, 10);
    const toDay = q.to === undefined ? '9999-12-31' : new Date(q.to).toISOString().slice(0, 10);
    const days = (await fs.readdir(this.dir))
      .map((f) => DAY_FILE.exec(f)?.[1])
      .filter((d): d is string => d !== undefined && d >= fromDay && d <= toDay)
      .sort();
    const out: T[] = [];
    const limit = q.limit ?? 10_000;
    for (const day of days) {
      const text = await fs.readFile(path.join(this.dir, `${day}.jsonl`), 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as T;
        if (e.ts < from || e.ts >= to || (filter && !filter(e))) continue;
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }
}
