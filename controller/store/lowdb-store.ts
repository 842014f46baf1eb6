/**
 * The Store on lowdb: configuration in small JSON documents (one per collection), each job's
 * deliveries in a document of its own, and history in JSON-lines files rotated by day.
 * Writes are coalesced over `flushMs`; lowdb's JSONFile writes a temp file and renames it,
 * so a crash leaves the previous or the next version of a document, never half of one.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile, JSONFile } from 'lowdb/node';
import { WriteCoalescer } from './coalescer.js';
import { JsonLinesLog } from './history.js';
import type { Collection, DeliveryBook, Store } from './store.js';
import type { AuditEntry, Broadcast, CommandJob, Delivery, DeviceRecord, MediaRecord, Presence, Session, TelemetryRecord, User, Zone } from './records.js';

/** A day of a large fleet's heartbeats in this many files, so one speaker's history reads 1/32 of it. */
const TELEMETRY_SHARDS = 32;

export interface LowStoreOptions {
  dataDir: string;
  /** How long changes may wait before they are written (the crash window for acks). */
  flushMs: number;
  onError?: (err: unknown) => void;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

class LowCollection<T extends { id: string }> implements Collection<T> {
  private readonly coalescer: WriteCoalescer;

  constructor(
    private readonly db: Low<{ items: Record<string, T> }>,
    flushMs: number,
    onError: (err: unknown) => void,
  ) {
    this.coalescer = new WriteCoalescer(() => db.write(), flushMs, onError);
  }

  get(id: string): T | undefined {
    return Object.hasOwn(this.db.data.items, id) ? this.db.data.items[id] : undefined;
  }
  all(): T[] {
    return Object.values(this.db.data.items);
  }
  put(item: T): void {
    this.db.data.items[item.id] = item;
    this.coalescer.mark();
  }
  delete(id: string): boolean {
    if (!Object.hasOwn(this.db.data.items, id)) return false;
    delete this.db.data.items[id];
    this.coalescer.mark();
    return true;
  }
  flush(): Promise<void> {
    return this.coalescer.flush();
  }
}

interface LoadedJob {
  map: Map<string, Delivery>;
  file: DataFile<{ jobId: string; deliveries: Delivery[] }>;
  coalescer: WriteCoalescer;
}

/** A job's deliveries are rewritten whole: a large job waits one more flush interval per this many speakers. */
const SPEAKERS_PER_FLUSH = 1000;

/**
 * A job's deliveries, rewritten whole while acks arrive: compact JSON (a third smaller and faster
 * to write than lowdb's indented default at 10,000 speakers); the small config documents stay readable.
 */
function deliveriesFile<T>(file: string): DataFile<T> {
  return new DataFile<T>(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) });
}

class LowDeliveryBook implements DeliveryBook {
  private readonly jobs = new Map<string, LoadedJob>();

  constructor(
    private readonly dir: string,
    private readonly flushMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  private open(jobId: string, map: Map<string, Delivery>): LoadedJob {
    if (!SAFE_NAME.test(jobId)) throw new Error(`unsafe job id ${jobId}`);
    const file = deliveriesFile<{ jobId: string; deliveries: Delivery[] }>(path.join(this.dir, `${jobId}.json`));
    const coalescer = new WriteCoalescer(() => file.write({ jobId, deliveries: [...map.values()] }), this.flushMs * Math.max(1, Math.ceil(map.size / SPEAKERS_PER_FLUSH)), this.onError);
    const job = { map, file, coalescer };
    this.jobs.set(jobId, job);
    return job;
  }

  async create(jobId: string, deliveries: Delivery[]): Promise<void> {
    const job = this.open(jobId, new Map(deliveries.map((d) => [d.deviceId, d])));
    job.coalescer.mark();
    await job.coalescer.flush();
  }

  async load(jobId: string): Promise<Map<string, Delivery>> {
    const existing = this.jobs.get(jobId);
    if (existing) return existing.map;
    const job = this.open(jobId, new Map());
    const data = await job.file.read();
    for (const d of data?.deliveries ?? []) job.map.set(d.deviceId, d);
    return job.map;
  }

  async read(jobId: string): Promise<Delivery[]> {
    const live = this.jobs.get(jobId);
    if (live) return [...live.map.values()];
    if (!SAFE_NAME.test(jobId)) return [];
    const data = await deliveriesFile<{ deliveries: Delivery[] }>(path.join(this.dir, `${jobId}.json`)).read();
    return data?.deliveries ?? [];
  }

  loaded(jobId: string): Map<string, Delivery> | undefined {
    return this.jobs.get(jobId)?.map;
  }

  touch(jobId: string): void {
    this.jobs.get(jobId)?.coalescer.mark();
  }

  async unload(jobId: string): Promise<void> {
    const job = this.jobs.get(jobId);
    if (!job) return;
    await job.coalescer.flush();
    this.jobs.delete(jobId);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.coalescer.flush()));
  }
}

/**
 * Presence changes with every heartbeat of every speaker and is re-learnt from the broker after a
 * restart, so it is written less often than configuration.
 */
const VOLATILE_FLUSH_MS = 5000;

async function openCollection<T extends { id: string }>(dir: string, name: string, flushMs: number, onError: (err: unknown) => void): Promise<LowCollection<T>> {
  const db = new Low<{ items: Record<string, T> }>(new JSONFile(path.join(dir, `${name}.json`)), { items: {} });
  await db.read();
  db.data.items ??= {};
  return new LowCollection<T>(db, flushMs, onError);
}

export async function openLowStore(opts: LowStoreOptions): Promise<Store> {
  const onError = opts.onError ?? ((err: unknown) => console.error('store write failed', err));
  const configDir = path.join(opts.dataDir, 'config');
  const deliveriesDir = path.join(opts.dataDir, 'deliveries');
  for (const dir of [configDir, deliveriesDir, path.join(opts.dataDir, 'history')]) await fs.mkdir(dir, { recursive: true });
  const open = <T extends { id: string }>(name: string, flushMs = opts.flushMs) => openCollection<T>(configDir, name, flushMs, onError);

  const collections = {
    users: await open<User>('users'),
    sessions: await open<Session>('sessions'),
    zones: await open<Zone>('zones'),
    devices: await open<DeviceRecord>('devices'),
    presence: await open<Presence>('presence', Math.max(opts.flushMs, VOLATILE_FLUSH_MS)),
    media: await open<MediaRecord>('media'),
    broadcasts: await open<Broadcast>('broadcasts'),
    commandJobs: await open<CommandJob>('command-jobs'),
    settings: await open<{ id: string; value: string }>('settings'),
  };
  const deliveries = new LowDeliveryBook(deliveriesDir, opts.flushMs, onError);
  const historyDir = (name: string) => path.join(opts.dataDir, 'history', name);
  const audit = new JsonLinesLog<AuditEntry>(historyDir('audit'), opts.flushMs, onError);
  const telemetry = new JsonLinesLog<TelemetryRecord>(historyDir('telemetry'), opts.flushMs, onError, { count: TELEMETRY_SHARDS, keyOf: (e) => e.deviceId });
  await Promise.all([audit.init(), telemetry.init()]);

  const flush = async () => {
    await Promise.all([...Object.values(collections).map((c) => c.flush()), deliveries.flush(), audit.flush(), telemetry.flush()]);
  };
  return { ...collections, deliveries, audit, telemetry, dataDir: opts.dataDir, flush, close: flush };
}
