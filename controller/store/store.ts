/**
 * The store behind one interface, so a database server can take lowdb's place when a province
 * outgrows one machine. Reads are from memory; writes are coalesced; `flush()` makes them durable.
 */
import type {
  AuditEntry,
  Broadcast,
  CommandJob,
  Delivery,
  DeviceRecord,
  MediaRecord,
  Presence,
  Session,
  TelemetryRecord,
  User,
  Zone,
} from './records.js';

export interface Collection<T extends { id: string }> {
  get(id: string): T | undefined;
  all(): T[];
  /** Visible at once; durable after the next flush. */
  put(item: T): void;
  delete(id: string): boolean;
  /** Durable now. */
  flush(): Promise<void>;
}

/** Each job's deliveries in a document of its own, so no write grows with history. */
export interface DeliveryBook {
  /** Records a job's deliveries and returns once they are durable (PROTOCOL controller rule 1). */
  create(jobId: string, deliveries: Delivery[]): Promise<void>;
  /** Loads a job's deliveries into memory (once) and returns the live map. */
  load(jobId: string): Promise<Map<string, Delivery>>;
  /** A job's deliveries as they are now (from memory if loaded, else from disk, without loading). */
  read(jobId: string): Promise<Delivery[]>;
  /** The live map of a loaded job, if loaded. */
  loaded(jobId: string): Map<string, Delivery> | undefined;
  /** Marks a loaded job's deliveries changed: written by the next coalesced flush. */
  touch(jobId: string): void;
  /** Releases a finished job from memory after writing it. */
  unload(jobId: string): Promise<void>;
  flush(): Promise<void>;
}

export interface HistoryQuery {
  from?: number;
  to?: number;
  limit?: number;
  /** The key of a sharded log (telemetry: the device id): only its shard is read. Filter on it too. */
  key?: string;
}

/** Append-only history in JSON lines, rotated by day. */
export interface HistoryLog<T extends { ts: number }> {
  append(entry: T): void;
  query(q: HistoryQuery, filter?: (e: T) => boolean): Promise<T[]>;
  flush(): Promise<void>;
}

export interface Store {
  users: Collection<User>;
  sessions: Collection<Session>;
  zones: Collection<Zone>;
  devices: Collection<DeviceRecord>;
  presence: Collection<Presence>;
  media: Collection<MediaRecord>;
  broadcasts: Collection<Broadcast>;
  commandJobs: Collection<CommandJob>;
  /** Small key/value settings (e.g. signing keys), kept with the configuration. */
  settings: Collection<{ id: string; value: string }>;
  deliveries: DeliveryBook;
  audit: HistoryLog<AuditEntry>;
  telemetry: HistoryLog<TelemetryRecord>;
  /** Where files (media) live. */
  readonly dataDir: string;
  flush(): Promise<void>;
  close(): Promise<void>;
}
