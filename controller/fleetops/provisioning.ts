/**
 * Provisioning at scale: a CSV file registers every speaker or none. Secrets are shown once in the
 * answer and once more as a downloadable provisioning file for the field team, kept in memory only
 * (never written to disk) until fetched or expired.
 */
import { stringify } from 'csv-stringify/sync';
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { commonErrors, LoaError } from '../errors.js';
import { newId } from '../ids.js';
import type { Store } from '../store/store.js';
import { readDeviceCsv, villageResolver, type ImportRow, type RowError } from './csv-import.js';
import { fleetOpsErrors } from './errors.js';
import type { FleetOpsState, ImportRecord } from './state.js';

export interface ImportOptions {
  /** Registrations (each a scrypt hash) run concurrently this many at a time. */
  batchSize?: number;
  /** How long the one-time provisioning file waits to be fetched. */
  provisioningTtlMs?: number;
}

export interface ImportedDevice {
  id: string;
  name: string;
  zoneId: string;
  secret: string;
}

export interface ImportResult {
  id: string;
  count: number;
  devices: ImportedDevice[];
  /** Fetch once (then 410 Gone). */
  provisioningCsv: string;
  provisioningExpiresAt: number;
}

interface PendingFile {
  csv: string;
  byUserId: string;
  expiresAt: number;
}

const DEFAULT_BATCH = 64;
const DEFAULT_TTL_MS = 60 * 60_000;

export class ImportService {
  private readonly pending = new Map<string, PendingFile>();
  /** One import at a time: two files registering the same id at once would race past validation. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: { registry: DeviceRegistry; store: Store; state: FleetOpsState; clock: Clock },
    private readonly opts: ImportOptions = {},
  ) {}

  /** Validates the whole file first; registers only when every row is good. */
  import(actor: Actor, csvText: string): Promise<ImportResult> {
    const run = this.queue.then(() => this.run(actor, csvText));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The provisioning file, exactly once; afterwards (or after its expiry, or a restart) 410 Gone. */
  async provisioningFile(actor: Actor, id: string): Promise<string> {
    const record = Object.hasOwn(this.deps.state.data.imports, id) ? this.deps.state.data.imports[id] : undefined;
    if (!record) throw commonErrors.LOA_NOT_FOUND({ what: 'lần nhập / import', id });
    const file = this.pending.get(id);
    if (!file || file.expiresAt < this.deps.clock.now()) {
      this.pending.delete(id);
      throw fleetOpsErrors.LOA_PROVISIONING_GONE();
    }
    if (file.byUserId !== actor.id) throw commonErrors.LOA_FORBIDDEN();
    this.pending.delete(id);
    record.downloadedAt = this.deps.clock.now();
    this.deps.state.changed();
    await this.deps.state.flush();
    return file.csv;
  }

  private async run(actor: Actor, csvText: string): Promise<ImportResult> {
    this.sweep();
    const zones = this.deps.store.zones.all().filter((z) => inScope(actor, z.commune));
    const { rows, errors } = readDeviceCsv(csvText, { village: villageResolver(zones), registered: (id) => this.deps.store.devices.get(id) !== undefined });
    if (errors.length > 0) throw fleetOpsErrors.LOA_IMPORT_INVALID({ count: new Set(errors.map((e) => e.line)).size, errors });
    if (rows.length === 0) throw commonErrors.LOA_BAD_REQUEST({ reason: 'tệp không có dòng loa nào / the file has no speaker rows' });
    const devices = await this.registerAll(actor, rows);
    return this.remember(actor, rows, devices);
  }

  /** Registers in concurrent batches (scrypt runs on libuv's thread pool); on any failure, undoes them all. */
  private async registerAll(actor: Actor, rows: ImportRow[]): Promise<ImportedDevice[]> {
    const done: ImportedDevice[] = [];
    const batch = this.opts.batchSize ?? DEFAULT_BATCH;
    try {
      for (let i = 0; i < rows.length; i += batch) {
        const settled = await Promise.allSettled(rows.slice(i, i + batch).map((row) => this.registerOne(actor, row)));
        for (const s of settled) if (s.status === 'fulfilled') done.push(s.value);
        const failed = settled.findIndex((s) => s.status === 'rejected');
        if (failed >= 0) throw new RowFailure(rows[i + failed]!, (settled[failed] as PromiseRejectedResult).reason);
      }
      return done;
    } catch (err) {
      await this.undo(done.map((d) => d.id));
      const row = err instanceof RowFailure ? err.row : null;
      const cause = err instanceof RowFailure ? err.cause : err;
      throw fleetOpsErrors.LOA_IMPORT_ABORTED({ id: row?.id ?? '?', line: row?.line ?? null, reason: cause instanceof LoaError ? cause.code : String(cause) });
    }
  }

  private async registerOne(actor: Actor, row: ImportRow): Promise<ImportedDevice> {
    const { device, secret } = await this.deps.registry.register(actor, { id: row.id, name: row.name, zoneId: row.zoneId, lat: row.lat, lon: row.lon, model: row.model });
    return { id: device.id, name: device.name, zoneId: row.zoneId, secret };
  }

  /** All or nothing: the devices of a failed import are removed again (their secrets were never shown). */
  private async undo(ids: string[]): Promise<void> {
    for (const id of ids) this.deps.store.devices.delete(id);
    await this.deps.store.devices.flush();
  }

  private async remember(actor: Actor, rows: ImportRow[], devices: ImportedDevice[]): Promise<ImportResult> {
    const now = this.deps.clock.now();
    const record: ImportRecord = { id: newId('imp'), createdAt: now, createdBy: actor.username, createdById: actor.id, count: devices.length, downloadedAt: null };
    this.deps.state.data.imports[record.id] = record;
    this.deps.state.changed();
    await this.deps.state.flush();
    const expiresAt = now + (this.opts.provisioningTtlMs ?? DEFAULT_TTL_MS);
    this.pending.set(record.id, { csv: provisioningCsv(rows, devices), byUserId: actor.id, expiresAt });
    return { id: record.id, count: devices.length, devices, provisioningCsv: `/api/v1/devices/import/${record.id}/provisioning.csv`, provisioningExpiresAt: expiresAt };
  }

  private sweep(): void {
    const now = this.deps.clock.now();
    for (const [id, f] of this.pending) if (f.expiresAt < now) this.pending.delete(id);
  }
}

class RowFailure extends Error {
  constructor(
    readonly row: ImportRow,
    override readonly cause: unknown,
  ) {
    super(`row ${row.line} (${row.id}) failed`);
  }
}

/** With a UTF-8 BOM so a spreadsheet opens the Vietnamese names correctly. */
function provisioningCsv(rows: ImportRow[], devices: ImportedDevice[]): string {
  const secrets = new Map(devices.map((d) => [d.id, d.secret]));
  const records = rows.map((r) => [r.id, r.name, r.village, r.zoneId, r.lat ?? '', r.lon ?? '', r.model ?? '', secrets.get(r.id) ?? '']);
  return '\uFEFF' + stringify([['id', 'name', 'village', 'zone_id', 'latitude', 'longitude', 'model', 'secret'], ...records], { record_delimiter: '\r\n' });
}

export type { RowError };
