/**
 * Programmes in a small document; every fired or missed occurrence in an append-only log, the
 * idempotency record: an occurrence key written there is never sent again, across restarts.
 */
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { Programme } from '../../schedules/index.js';
import { WriteCoalescer } from '../store/coalescer.js';
import { JsonLinesLog } from '../store/history.js';

export interface StoredProgramme extends Programme {
  createdAt: number;
  createdBy: string;
  commune: string | null;
  /** Earlier versions, each governing occurrences before the next one's effectiveFrom. */
  previous: Programme[];
}

export interface FiredOccurrence {
  ts: number;
  key: string;
  programmeId: string;
  at: number;
  outcome: 'sent' | 'late' | 'missed';
  lateMs: number;
  /** How far the officer's order for colliding priority bulletins moved it. */
  deferredMs?: number;
  broadcastIds: string[];
}

interface Doc {
  items: Record<string, StoredProgramme>;
  /** The officer's ranking of colliding priority bulletins (programme ids, first plays first). */
  order: string[];
  /** Until when occurrences have been looked at: after downtime, what lies between is late or missed. */
  scannedUntil: number;
}

export class ProgrammeRepository {
  private readonly coalescer: WriteCoalescer;
  private readonly fired = new Map<string, FiredOccurrence>();

  private constructor(
    private readonly db: Low<Doc>,
    private readonly log: JsonLinesLog<FiredOccurrence>,
    flushMs: number,
  ) {
    this.coalescer = new WriteCoalescer(() => db.write(), flushMs, (err) => console.error('programmes write failed', err));
  }

  static async open(dataDir: string, flushMs: number, now: number): Promise<ProgrammeRepository> {
    const db = new Low<Doc>(new JSONFile(path.join(dataDir, 'config', 'programmes.json')), { items: {}, order: [], scannedUntil: now });
    await db.read();
    const log = new JsonLinesLog<FiredOccurrence>(path.join(dataDir, 'history', 'occurrences'), flushMs, (err) => console.error('occurrence log failed', err));
    await log.init();
    const repo = new ProgrammeRepository(db, log, flushMs);
    // Keys of the recent past are all an engine can meet again (it looks back a grace period at most).
    for (const f of await log.query({ from: now - 7 * 86_400_000 })) repo.fired.set(f.key, f);
    return repo;
  }

  get(id: string): StoredProgramme | undefined {
    return Object.hasOwn(this.db.data.items, id) ? this.db.data.items[id] : undefined;
  }
  all(): StoredProgramme[] {
    return Object.values(this.db.data.items);
  }
  async save(p: StoredProgramme): Promise<void> {
    this.db.data.items[p.id] = p;
    this.coalescer.mark();
    await this.coalescer.flush();
  }
  async remove(id: string): Promise<void> {
    delete this.db.data.items[id];
    this.coalescer.mark();
    await this.coalescer.flush();
  }

  get order(): string[] {
    return this.db.data.order;
  }
  async setOrder(order: string[]): Promise<void> {
    this.db.data.order = order;
    this.coalescer.mark();
    await this.coalescer.flush();
  }

  get scannedUntil(): number {
    return this.db.data.scannedUntil;
  }
  setScannedUntil(t: number): void {
    this.db.data.scannedUntil = t;
    this.coalescer.mark();
  }

  firedOf(key: string): FiredOccurrence | undefined {
    return this.fired.get(key);
  }

  /** Durable before it resolves: the occurrence is never sent twice. */
  async recordFired(f: FiredOccurrence): Promise<void> {
    this.fired.set(f.key, f);
    this.log.append(f);
    await this.log.flush();
  }

  history(from: number, to: number): Promise<FiredOccurrence[]> {
    return this.log.query({ from, to });
  }

  async flush(): Promise<void> {
    await Promise.all([this.coalescer.flush(), this.log.flush()]);
  }
}
