/** Programmes: recurring and one-off, edited for the future only, with conflicts shown on every change. */
import { agenda, assertValidProgramme, findConflicts, occurrences, type Conflict, type Programme } from '../../schedules/index.js';
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { commonErrors } from '../errors.js';
import { newId } from '../ids.js';
import type { MediaLibrary } from '../media/library.js';
import type { Targets } from '../store/records.js';
import type { ScheduleEngine } from './engine.js';
import type { ProgrammeRepository, StoredProgramme } from './repository.js';

export type ProgrammeInput = Omit<Programme, 'id' | 'effectiveFrom' | 'skipDates' | 'timezone' | 'paused'> & Partial<Pick<Programme, 'skipDates' | 'timezone' | 'paused'>>;

/** An edit: the fields it changes; null clears an optional one (a date range's end, a volume). */
export type ProgrammePatch = Omit<Partial<ProgrammeInput>, Clearable> & { [K in Clearable]?: ProgrammeInput[K] | null };
type Clearable = 'startDate' | 'endDate' | 'volume';

const CONFLICT_HORIZON_MS = 31 * 86_400_000;

export class ProgrammeService {
  constructor(
    private readonly repo: ProgrammeRepository,
    private readonly engine: ScheduleEngine,
    private readonly registry: DeviceRegistry,
    private readonly library: MediaLibrary,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: ProgrammeInput): Promise<{ programme: StoredProgramme; conflicts: Conflict[] }> {
    const programme = this.draft(actor, input);
    this.check(actor, programme);
    await this.repo.save(programme);
    return { programme, conflicts: this.conflicts(programme) };
  }

  /** The new version governs from now on; occurrences already sent or past belong to the old one. */
  async update(actor: Actor, id: string, patch: ProgrammePatch): Promise<{ programme: StoredProgramme; conflicts: Conflict[] }> {
    const next = this.nextVersion(actor, id, patch);
    this.check(actor, next);
    await this.repo.save(next);
    return { programme: next, conflicts: this.conflicts(next) };
  }

  /** A dry run of create (or, with `id`, of an edit): the same checks and the conflicts it would have; nothing is saved. */
  preview(actor: Actor, input: ProgrammeInput, id?: string): Conflict[] {
    const candidate = id === undefined ? this.draft(actor, input) : this.nextVersion(actor, id, input);
    this.check(actor, candidate);
    return this.conflicts(candidate);
  }

  private draft(actor: Actor, input: ProgrammeInput): StoredProgramme {
    return {
      ...input,
      id: newId('p'),
      skipDates: input.skipDates ?? [],
      timezone: input.timezone ?? 'Asia/Ho_Chi_Minh',
      paused: input.paused ?? false,
      createdAt: this.clock.now(),
      createdBy: actor.username,
      commune: actor.commune,
      previous: [],
    };
  }

  private nextVersion(actor: Actor, id: string, patch: ProgrammePatch): StoredProgramme {
    const old = this.owned(actor, id);
    const { previous, createdAt: _c, createdBy: _b, commune: _m, ...version } = old;
    const next: StoredProgramme = { ...old, ...(withoutNulls(patch) as Partial<ProgrammeInput>), effectiveFrom: this.clock.now(), previous: [...previous, version].slice(-10) };
    // null in a patch clears an optional field (an end date no longer wanted).
    for (const key of Object.keys(patch) as Array<keyof typeof patch>) if (patch[key] === null) delete next[key];
    return next;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.owned(actor, id);
    await this.repo.remove(id);
  }

  /** Readable: its own area's, or a district programme that plays on the commune's speakers. */
  get(actor: Actor, id: string): StoredProgramme & { editable: boolean } {
    const p = this.repo.get(id);
    if (!p || !this.readable(actor, p)) throw commonErrors.LOA_NOT_FOUND({ what: 'chương trình / programme', id });
    return { ...p, editable: inScope(actor, p.commune) };
  }

  list(actor: Actor): Array<StoredProgramme & { editable: boolean }> {
    return this.repo
      .all()
      .filter((p) => this.readable(actor, p))
      .map((p) => ({ ...p, editable: inScope(actor, p.commune) }));
  }

  private owned(actor: Actor, id: string): StoredProgramme {
    const p = this.repo.get(id);
    if (!p || !inScope(actor, p.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'chương trình / programme', id });
    return p;
  }

  private readable(actor: Actor, p: StoredProgramme): boolean {
    return this.registry.readableBy(actor, p.commune, p.targets as Targets);
  }

  /** Each occurrence in the range with what happened to it (sent, late, missed) once it has. */
  occurrences(actor: Actor, id: string, from: number, to: number) {
    const p = this.get(actor, id);
    return occurrences(p, from, to).map((o) => ({ ...o, fired: this.repo.firedOf(o.key) ?? null }));
  }

  agenda(actor: Actor, from: number, to: number) {
    return agenda(this.list(actor), from, to).map((o) => ({ ...o, fired: this.repo.firedOf(o.key) ?? null }));
  }

  conflicts(p: StoredProgramme): Conflict[] {
    const now = this.clock.now();
    return this.engine.withTargetCache(() => findConflicts(p, this.repo.all(), now, now + CONFLICT_HORIZON_MS, (a, b) => this.engine.overlaps(a as Targets, b as Targets)));
  }

  /** How early an occurrence's play commands go out. */
  get leadMs(): number {
    return this.engine.prefetchMs;
  }

  get order(): string[] {
    return this.repo.order;
  }

  async setOrder(actor: Actor, order: string[]): Promise<string[]> {
    for (const id of order) this.owned(actor, id);
    await this.repo.setOrder(order);
    return order;
  }

  private check(actor: Actor, p: StoredProgramme): void {
    assertValidProgramme(p);
    this.registry.resolveTargets(actor, p.targets as Targets);
    for (const item of p.items) if (item.kind === 'media') this.library.get(item.mediaId);
  }
}

function withoutNulls<T extends object>(patch: T): T {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null)) as T;
}
