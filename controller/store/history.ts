/**
 * Append-only JSON-lines history, one file per UTC day, written in coalesced batches. A log of a
 * whole fleet (telemetry: thousands of speakers, a line a minute each) is split by key into shard
 * files per day, so one speaker's history reads a small part of it. Files are read line by line:
 * a day of a large fleet is far bigger than one string may be.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createHash } from 'node:crypto';
import { WriteCoalescer } from './coalescer.js';
import type { HistoryLog, HistoryQuery } from './store.js';

/** `2026-11-23.jsonl`, or with shards `2026-11-23.s07.jsonl`. */
export const DAY_FILE = /^(\d{4}-\d{2}-\d{2})(?:\.s(\d{2}))?\.jsonl$/;

export interface Sharding<T> {
  count: number;
  keyOf: (e: T) => string;
}

export class JsonLinesLog<T extends { ts: number }> implements HistoryLog<T> {
  private pending: T[] = [];
  private readonly coalescer: WriteCoalescer;

  constructor(
    private readonly dir: string,
    flushMs: number,
    onError: (err: unknown) => void,
    private readonly sharding: Sharding<T> | null = null,
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

  private fileOf(e: T): string {
    const day = new Date(e.ts).toISOString().slice(0, 10);
    return this.sharding ? `${day}.s${shardOf(this.sharding.keyOf(e), this.sharding.count)}.jsonl` : `${day}.jsonl`;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const byFile = new Map<string, string[]>();
    for (const e of batch) {
      const file = this.fileOf(e);
      const lines = byFile.get(file) ?? [];
      lines.push(JSON.stringify(e));
      byFile.set(file, lines);
    }
    try {
      for (const [file, lines] of byFile) await fs.appendFile(path.join(this.dir, file), lines.join('\n') + '\n');
    } catch (err) {
      this.pending = batch.concat(this.pending);
      throw err;
    }
  }

  /** Entries in [from, to), oldest day first; with `key` on a sharded log, only that key's shard is read. */
  async query(q: HistoryQuery, filter?: (e: T) => boolean): Promise<T[]> {
    await this.flush();
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    const limit = q.limit ?? 10_000;
    const out: T[] = [];
    for (const file of await this.filesFor(q)) {
      for await (const line of createInterface({ input: createReadStream(path.join(this.dir, file), 'utf8'), crlfDelay: Infinity })) {
        if (!line) continue;
        const e = JSON.parse(line) as T;
        if (e.ts < from || e.ts >= to || (filter && !filter(e))) continue;
        out.push(e);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  private async filesFor(q: HistoryQuery): Promise<string[]> {
    const fromDay = new Date(q.from ?? 0).toISOString().slice(0, 10);
    const toDay = q.to === undefined ? '9999-12-31' : new Date(q.to).toISOString().slice(0, 10);
    const shard = q.key !== undefined && this.sharding ? shardOf(q.key, this.sharding.count) : null;
    return (await fs.readdir(this.dir))
      .map((name) => ({ name, m: DAY_FILE.exec(name) }))
      .filter(({ m }) => m !== null && m[1]! >= fromDay && m[1]! <= toDay && (shard === null || m[2] === shard))
      .sort((a, b) => a.m![1]!.localeCompare(b.m![1]!) || a.name.localeCompare(b.name))
      .map(({ name }) => name);
  }
}

function shardOf(key: string, count: number): string {
  return String(createHash('sha1').update(key).digest().readUInt32BE(0) % count).padStart(2, '0');
}
