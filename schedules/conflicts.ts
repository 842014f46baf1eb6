/**
 * Which programmes would play over each other on the same speakers, and in what order colliding
 * occurrences play. Whether two target sets share a speaker is the caller's knowledge (zones and
 * devices live in the registry), so it is passed in.
 */
import type { Programme, Targets } from './model.js';
import { programmeOccurrences, type ProgrammeOccurrence } from './occurrences.js';

export interface Conflict {
  /** The candidate programme's occurrence. */
  candidate: ProgrammeOccurrence;
  /** The other programme's occurrence it overlaps. */
  other: ProgrammeOccurrence;
  /** The overlap window [overlapFrom, overlapTo), UTC ms. */
  overlapFrom: number;
  overlapTo: number;
}

export type OverlapsTargets = (a: Targets, b: Targets) => boolean;

/**
 * Every pair of occurrences, one of `candidate` and one of another programme with a shared
 * speaker, whose intervals [at, at + durationMs) overlap inside [from, to). Occurrences that
 * start before `from` but still play into it count. A programme with the candidate's id is its
 * stored previous version, not a rival, and is left out. Sorted by overlap start.
 */
export function findConflicts(
  candidate: Programme,
  others: readonly Programme[],
  from: number,
  to: number,
  overlapsTargets: OverlapsTargets,
): Conflict[] {
  const rivals = others.filter((o) => o.id !== candidate.id && !o.paused && overlapsTargets(candidate.targets, o.targets));
  if (candidate.paused || rivals.length === 0) return [];
  const lookback = Math.max(...[candidate, ...rivals].map(totalDurationMs));
  const mine = programmeOccurrences(candidate, from - lookback, to);
  const out: Conflict[] = [];
  for (const rival of rivals) {
    const theirs = programmeOccurrences(rival, from - lookback, to);
    for (const a of mine) for (const b of overlapping(theirs, a)) pushIfInWindow(out, a, b, from, to);
  }
  return out.sort((x, y) => x.overlapFrom - y.overlapFrom || x.other.programmeId.localeCompare(y.other.programmeId));
}

function totalDurationMs(p: Programme): number {
  return p.items.reduce((sum, item) => sum + item.durationMs, 0);
}

/**
 * The occurrences of one programme (sorted, all of one duration, so their ends are sorted too)
 * that overlap `a`: those starting before a ends and ending after a starts.
 */
function overlapping(sorted: readonly ProgrammeOccurrence[], a: ProgrammeOccurrence): ProgrammeOccurrence[] {
  const end = a.at + a.durationMs;
  const first = firstIndex(sorted, (o) => o.at + o.durationMs > a.at);
  const stop = firstIndex(sorted, (o) => o.at >= end);
  return sorted.slice(first, stop);
}

/** The first index whose element satisfies a predicate that is false, then true, along the array. */
function firstIndex<T>(sorted: readonly T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(sorted[mid] as T)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function pushIfInWindow(out: Conflict[], a: ProgrammeOccurrence, b: ProgrammeOccurrence, from: number, to: number): void {
  const overlapFrom = Math.max(a.at, b.at);
  const overlapTo = Math.min(a.at + a.durationMs, b.at + b.durationMs);
  if (overlapFrom < overlapTo && overlapTo > from && overlapFrom < to) out.push({ candidate: a, other: b, overlapFrom, overlapTo });
}

/** What `resolveOrder` needs of an occurrence. */
export interface Contender {
  programmeId: string;
  priority: number;
  at: number;
  durationMs: number;
}

export type Planned<T extends Contender> = T & {
  /** When it starts if each plays after the one before it ends: max(at, previous end). */
  plannedAt: number;
  /** How late that is against its own start. */
  delayMs: number;
};

/**
 * The order colliding occurrences play in, first to last, each starting when the one before ends.
 * Higher priority first (PROTOCOL: "higher priority first, then earlier startAt"). When priority
 * bulletins (2) collide, the officer's stored ranking decides, ranked before unranked; otherwise,
 * and among equals, the earlier start goes first, then the ranking, then the programme id.
 */
export function resolveOrder<T extends Contender>(contenders: readonly T[], order: readonly string[]): Planned<T>[] {
  const ranks = new Map(order.map((id, i) => [id, i] as const));
  const rank = (c: Contender) => ranks.get(c.programmeId) ?? order.length;
  const sorted = [...contenders].sort(
    (a, b) =>
      b.priority - a.priority ||
      (a.priority === PRIORITY_BULLETIN ? rank(a) - rank(b) : 0) ||
      a.at - b.at ||
      rank(a) - rank(b) ||
      a.programmeId.localeCompare(b.programmeId),
  );
  let free = -Infinity;
  return sorted.map((c) => {
    const plannedAt = Math.max(c.at, free);
    free = plannedAt + c.durationMs;
    return { ...c, plannedAt, delayMs: plannedAt - c.at };
  });
}

const PRIORITY_BULLETIN = 2;
