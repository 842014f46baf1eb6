/**
 * When a programme plays: every start instant in a window, computed from its recurrence in its own
 * time zone. Pure: the same programme and window always give the same occurrences and keys.
 */
import type { IANAZone } from 'luxon';
import { cronWallTimes } from './cron.js';
import type { Programme, Recurrence, ScheduledPriority } from './model.js';
import { assertValidProgramme } from './validate.js';
import { DAY_MS, formatWall, parseDate, parseLocalDateTime, parseTime, resolveWall, startOfDay, wallAt, zoneOf } from './wallclock.js';

export { validateProgramme, programmeIssues, assertValidProgramme } from './validate.js';

export interface Occurrence {
  programmeId: string;
  /** Start, UTC ms. */
  at: number;
  /** The programme zone's wall clock at `at`, 'YYYY-MM-DDTHH:mm'. */
  local: string;
  /** The sum of the items' durations. */
  durationMs: number;
  /** `${programmeId}@${ISO UTC of at}`: the idempotency key of this occurrence. */
  key: string;
}

/** An occurrence with what a calendar or a conflict report shows of its programme. */
export interface ProgrammeOccurrence extends Occurrence {
  title: string;
  priority: ScheduledPriority;
}

/**
 * Every start in [fromMs, toMs), ascending, one per instant. Paused programmes have none; with
 * `effectiveFrom`, none before it (those belong to the previous version of the programme).
 * Throws LOA_SCHEDULE_INVALID for a programme `validateProgramme` rejects.
 * DST: see `resolveWall` — a time in a spring-forward gap goes out at the first valid instant after
 * it (the moment the clocks jump); a time that happens twice in the fall-back goes out once, the first.
 */
export function occurrences(p: Programme, fromMs: number, toMs: number): Occurrence[] {
  assertValidProgramme(p);
  const lower = Math.max(fromMs, p.effectiveFrom ?? fromMs);
  if (p.paused || toMs <= lower) return [];
  const zone = zoneOf(p.timezone) as IANAZone;
  const window = wallWindow(p, zone, lower, toMs);
  if (window.to <= window.from) return [];
  const allowed = dayFilter(p);
  const durationMs = p.items.reduce((sum, item) => sum + item.durationMs, 0);
  const seen = new Set<number>();
  const out: Occurrence[] = [];
  for (const wall of wallTimes(p.recurrence, window.from, window.to)) {
    if (!allowed(startOfDay(wall))) continue;
    const resolved = resolveWall(wall, zone);
    if (resolved.at < lower || resolved.at >= toMs || seen.has(resolved.at)) continue;
    seen.add(resolved.at);
    out.push(occurrence(p.id, resolved.at, resolved.wall, durationMs));
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The same, with the programme's title and priority on each occurrence. */
export function programmeOccurrences(p: Programme, fromMs: number, toMs: number): ProgrammeOccurrence[] {
  return occurrences(p, fromMs, toMs).map((o) => ({ ...o, title: p.title, priority: p.priority }));
}

export function occurrenceKey(programmeId: string, at: number): string {
  return `${programmeId}@${new Date(at).toISOString()}`;
}

function occurrence(programmeId: string, at: number, wall: number, durationMs: number): Occurrence {
  return { programmeId, at, local: formatWall(wall), durationMs, key: occurrenceKey(programmeId, at) };
}

/**
 * The local days to walk: a day either side of the window's local dates (a gap can move a start
 * past midnight; offsets differ across the window), clipped to the programme's date range.
 */
function wallWindow(p: Programme, zone: IANAZone, fromMs: number, toMs: number): { from: number; to: number } {
  let from = startOfDay(wallAt(fromMs, zone)) - DAY_MS;
  let to = startOfDay(wallAt(toMs, zone)) + 2 * DAY_MS;
  const start = p.startDate === undefined ? undefined : parseDate(p.startDate);
  const end = p.endDate === undefined ? undefined : parseDate(p.endDate);
  if (start !== undefined) from = Math.max(from, start);
  if (end !== undefined) to = Math.min(to, end + DAY_MS);
  return { from, to };
}

/** Whether a local day may play: inside [startDate, endDate] (inclusive) and not skipped. */
function dayFilter(p: Programme): (day: number) => boolean {
  const start = p.startDate === undefined ? -Infinity : (parseDate(p.startDate) as number);
  const end = p.endDate === undefined ? Infinity : (parseDate(p.endDate) as number);
  const skipped = new Set(p.skipDates.map((d) => parseDate(d)));
  return (day) => day >= start && day <= end && !skipped.has(day);
}

/** Wall times in [from, to) the recurrence names, before any zone is applied. */
function wallTimes(r: Recurrence, from: number, to: number): number[] {
  switch (r.kind) {
    case 'once': {
      const wall = parseLocalDateTime(r.at) as number;
      return wall >= from && wall < to ? [wall] : [];
    }
    case 'daily':
      return timesOnDays(r.times, from, to, () => true);
    case 'weekly': {
      const weekdays = new Set(r.weekdays);
      return timesOnDays(r.times, from, to, (day) => weekdays.has(isoWeekday(day)));
    }
    case 'monthly': {
      // A day the month lacks (31 in April, 30 in February) never matches: skipped, not moved.
      const days = new Set(r.days);
      return timesOnDays(r.times, from, to, (day) => days.has(new Date(day).getUTCDate()));
    }
    case 'cron':
      return cronWallTimes(r.expr, from, to);
  }
}

function timesOnDays(times: readonly string[], from: number, to: number, matches: (day: number) => boolean): number[] {
  const offsets = [...new Set(times.map((t) => parseTime(t) as number))].sort((a, b) => a - b);
  const out: number[] = [];
  for (let day = startOfDay(from); day < to; day += DAY_MS) {
    if (!matches(day)) continue;
    for (const offset of offsets) if (day + offset >= from && day + offset < to) out.push(day + offset);
  }
  return out;
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(day: number): number {
  return ((new Date(day).getUTCDay() + 6) % 7) + 1;
}
