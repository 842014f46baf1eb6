/**
 * Runs the calendar: wakes every second, sends each occurrence ahead of time (prefetch) with
 * `startAt`, so every speaker has the file and starts together (the dispatcher puts startAt in each
 * speaker's own clock). An occurrence is sent at most once: its broadcast id is derived from its
 * key, and a broadcast that exists is never created again. After downtime, occurrences missed by
 * less than the grace period go out late and say so; older ones are recorded as missed.
 */
import { createHash } from 'node:crypto';
import { findConflicts, occurrences, resolveOrder, type Occurrence, type Programme } from '../../schedules/index.js';
import type { Actor } from '../auth/permissions.js';
import type { BroadcastService } from '../broadcasts/service.js';
import type { Priority } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { Store } from '../store/store.js';
import type { Targets } from '../store/records.js';
import type { ProgrammeRepository, StoredProgramme } from './repository.js';

export interface EngineOptions {
  prefetchMs: number;
  graceMs: number;
  tickMs: number;
}

/** Relays a radio channel through the controller (the live feature), so speakers never each pull from the internet. */
export interface RelayOpener {
  openRelay(actor: Actor, input: { id: string; title: string; url: string; targets: Targets; priority: Priority; volume?: number; startAt: number; notAfter: number; durationMs: number }): Promise<unknown>;
}

export interface EngineLogger {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

export const occurrenceBroadcastId = (key: string, item: number) => `s-${createHash('sha256').update(key).digest('hex').slice(0, 24)}-${item}`;

const SCHEDULE_ACTOR: Actor = { id: 'schedule', username: 'schedule', role: 'admin', commune: null };

export class ScheduleEngine {
  private timer: NodeJS.Timeout | null = null;
  private targetSets: Map<string, Set<string>> | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly repo: ProgrammeRepository,
    private readonly broadcasts: BroadcastService,
    private readonly registry: DeviceRegistry,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly logger: EngineLogger,
    private readonly opts: EngineOptions,
    /** Looked up when an occurrence fires: the live feature starts after this one. */
    private readonly relays: () => RelayOpener | undefined = () => undefined,
  ) {}

  get prefetchMs(): number {
    return this.opts.prefetchMs;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.opts.tickMs);
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; passes never overlap. */
  tick(): Promise<void> {
    this.running ??= this.scan().finally(() => (this.running = null));
    return this.running;
  }

  private scan(): Promise<void> {
    // Devices do not change within one pass; their target sets are resolved once for it.
    return this.withTargetCache(() => this.scanAll());
  }

  private async scanAll(): Promise<void> {
    const now = this.clock.now();
    const from = Math.min(this.repo.scannedUntil, now - this.opts.graceMs);
    const to = now + this.opts.prefetchMs;
    for (const p of this.repo.all()) {
      for (const occ of this.due(p, from, to)) {
        if (this.repo.firedOf(occ.key)) continue;
        try {
          await this.fire(p, occ, now);
        } catch (err) {
          this.logger.warn({ programme: p.id, key: occ.key, err: String(err) }, 'programme occurrence not sent');
        }
      }
    }
    this.repo.setScannedUntil(Math.max(this.repo.scannedUntil, to));
  }

  /** Occurrences of the current version and, before its effectiveFrom, of the versions it replaced. */
  private due(p: StoredProgramme, from: number, to: number): Occurrence[] {
    const versions: Programme[] = [...p.previous, p];
    return versions.flatMap((v, i) => {
      const until = versions[i + 1]?.effectiveFrom ?? to;
      return occurrences(v, from, Math.min(to, until));
    });
  }

  private async fire(p: StoredProgramme, occ: Occurrence, now: number): Promise<void> {
    if (occ.at < now - this.opts.graceMs) return this.repo.recordFired({ ts: now, key: occ.key, programmeId: p.id, at: occ.at, outcome: 'missed', lateMs: now - occ.at, broadcastIds: [] });
    const plannedAt = this.plannedStart(p, occ);
    const startAt = Math.max(plannedAt, now);
    const actor: Actor = { id: 'schedule', username: `lịch phát: ${p.createdBy}`, role: 'officer', commune: p.commune };
    const ids: string[] = [];
    let offset = 0;
    for (const [i, item] of p.items.entries()) {
      const id = occurrenceBroadcastId(occ.key, i);
      ids.push(id);
      const itemStart = startAt + offset;
      offset += item.durationMs;
      if (this.store.broadcasts.get(id)) continue;
      const common = {
        id,
        title: p.title,
        targets: p.targets as Targets,
        priority: p.priority,
        startAt: itemStart,
        notAfter: itemStart + Math.max(item.durationMs, 60_000) + this.opts.graceMs,
        ...(p.volume !== undefined ? { volume: p.volume } : {}),
      };
      const relays = this.relays();
      if (item.kind === 'media') await this.broadcasts.create(actor, { ...common, mediaId: item.mediaId });
      else if (relays) await relays.openRelay(actor, { ...common, url: item.url, durationMs: item.durationMs });
      else await this.broadcasts.create(actor, { ...common, streamUrl: item.url });
    }
    // Placed after a colliding bulletin by the officer's order is on time; only downtime makes it late.
    const lateMs = Math.max(0, startAt - plannedAt);
    const deferredMs = plannedAt - occ.at;
    await this.repo.recordFired({ ts: now, key: occ.key, programmeId: p.id, at: occ.at, outcome: lateMs > 1000 ? 'late' : 'sent', lateMs, ...(deferredMs > 0 ? { deferredMs } : {}), broadcastIds: ids });
    if (lateMs > 1000) this.logger.warn({ programme: p.id, key: occ.key, lateMs }, 'programme occurrence sent late');
  }

  /** Colliding priority bulletins play one after another, in the order the officer set. */
  private plannedStart(p: StoredProgramme, occ: Occurrence): number {
    const others = this.repo.all().filter((o) => o.id !== p.id);
    const conflicts = findConflicts(p, others, occ.at, occ.at + occ.durationMs, (a, b) => this.overlaps(a as Targets, b as Targets));
    const mine = conflicts.filter((c) => c.candidate.key === occ.key);
    if (mine.length === 0) return occ.at;
    const contenders = [occ, ...mine.map((c) => c.other)].map((o) => ({ ...o, priority: this.repo.get(o.programmeId)?.priority ?? 1 }));
    return resolveOrder(contenders, this.repo.order).find((c) => c.key === occ.key)?.plannedAt ?? occ.at;
  }

  overlaps(a: Targets, b: Targets): boolean {
    const mine = this.deviceSet(a);
    for (const id of this.deviceSet(b)) if (mine.has(id)) return true;
    return false;
  }

  /**
   * Runs `fn` resolving each target set once: a conflict check compares one occurrence with every
   * other programme, and resolving targets walks the whole device list (1,000 programmes: ~0.2 s).
   */
  withTargetCache<T>(fn: () => T): T {
    if (this.targetSets) return fn();
    this.targetSets = new Map();
    const done = () => (this.targetSets = null);
    try {
      const out = fn();
      if (out instanceof Promise) return out.finally(done) as T;
      done();
      return out;
    } catch (err) {
      done();
      throw err;
    }
  }

  private deviceSet(targets: Targets): Set<string> {
    const key = JSON.stringify(targets);
    const known = this.targetSets?.get(key);
    if (known) return known;
    const set = new Set(this.registry.resolveTargets(SCHEDULE_ACTOR, targets));
    this.targetSets?.set(key, set);
    return set;
  }
}
