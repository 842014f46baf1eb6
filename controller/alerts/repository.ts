/** The alerts document: small records (device lists live in the broadcasts' delivery documents too). */
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { WriteCoalescer } from '../store/coalescer.js';
import type { AlertRecord } from './model.js';

export class AlertRepository {
  private readonly coalescer: WriteCoalescer;

  private constructor(private readonly db: Low<{ items: Record<string, AlertRecord> }>, flushMs: number) {
    this.coalescer = new WriteCoalescer(() => db.write(), flushMs, (err) => console.error('alerts write failed', err));
  }

  static async open(dataDir: string, flushMs: number): Promise<AlertRepository> {
    const db = new Low<{ items: Record<string, AlertRecord> }>(new JSONFile(path.join(dataDir, 'config', 'alerts.json')), { items: {} });
    await db.read();
    return new AlertRepository(db, flushMs);
  }

  get(id: string): AlertRecord | undefined {
    return Object.hasOwn(this.db.data.items, id) ? this.db.data.items[id] : undefined;
  }

  all(): AlertRecord[] {
    return Object.values(this.db.data.items);
  }

  byCap(sender: string, identifier: string): AlertRecord | undefined {
    return this.all().find((a) => a.cap?.sender === sender && a.cap.identifier === identifier);
  }

  /** Durable when it resolves: an alert is never lost. */
  async save(a: AlertRecord): Promise<void> {
    this.db.data.items[a.id] = a;
    this.coalescer.mark();
    await this.coalescer.flush();
  }

  flush(): Promise<void> {
    return this.coalescer.flush();
  }
}
