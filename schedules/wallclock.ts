/**
 * Local wall-clock arithmetic. A "wall" value is a local date-time written as if it were UTC
 * milliseconds (06:00 local on 1 Feb 2026 → Date.UTC(2026, 1, 1, 6, 0)), so calendars are walked
 * with plain integer steps and only the last step — wall time to real instant — consults the zone.
 */
import { IANAZone } from 'luxon';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Memo of which names are zones: luxon's check builds an Intl formatter (about 0.1 ms) each time. */
const zoneValidity = new Map<string, boolean>();
const MAX_MEMO = 10_000;

export function zoneOf(name: string): IANAZone | undefined {
  let valid = zoneValidity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (zoneValidity.size < MAX_MEMO) zoneValidity.set(name, valid);
  }
  return valid ? IANAZone.create(name) : undefined;
}

/**
 * A zone's offset (ms) at a UTC midnight, memoised: an offset is a pure function of zone and
 * instant, and luxon's costs about 9 µs (an Intl formatToParts), so a month of programmes in one
 * zone asks Intl once a day instead of three times an occurrence.
 */
const midnightOffsets = new Map<string, Map<number, number>>();

function offsetAtMidnight(zone: IANAZone, midnight: number): number {
  let byDay = midnightOffsets.get(zone.name);
  if (!byDay) midnightOffsets.set(zone.name, (byDay = new Map()));
  let offset = byDay.get(midnight);
  if (offset === undefined) {
    offset = zone.offset(midnight) * MINUTE_MS;
    if (byDay.size >= MAX_MEMO) byDay.clear();
    byDay.set(midnight, offset);
  }
  return offset;
}

/** 'YYYY-MM-DD' → wall ms of its midnight; undefined unless it is a real calendar date. */
export function parseDate(s: string): number | undefined {
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wall = Date.UTC(y, mo - 1, d);
  const back = new Date(wall);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? wall : undefined;
}

/** 'HH:mm' → ms since local midnight. */
export function parseTime(s: string): number | undefined {
  const m = TIME_RE.exec(s);
  return m ? (Number(m[1]) * 60 + Number(m[2])) * MINUTE_MS : undefined;
}

/** 'YYYY-MM-DDTHH:mm' → wall ms. */
export function parseLocalDateTime(s: string): number | undefined {
  const [date, time, extra] = s.split('T');
  if (date === undefined || time === undefined || extra !== undefined) return undefined;
  const day = parseDate(date);
  const ms = parseTime(time);
  return day === undefined || ms === undefined ? undefined : day + ms;
}

/** Wall ms → 'YYYY-MM-DDTHH:mm'. */
export function formatWall(wall: number): string {
  return new Date(wall).toISOString().slice(0, 16);
}

export function startOfDay(wall: number): number {
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

/** The zone's wall clock at a real instant. */
export function wallAt(at: number, zone: IANAZone): number {
  return at + zone.offset(at) * MINUTE_MS;
}

/**
 * The real instant a wall time goes out, and the wall clock at that instant.
 * DST policy, the same for every recurrence kind:
 * - a wall time that happens twice (autumn fall-back, e.g. 02:30 on 25 Oct 2026 in Berlin) goes out
 *   once, at the first of the two instants (still on summer time);
 * - a wall time that does not exist (spring-forward gap, e.g. 02:30 on 29 Mar 2026 in Berlin) goes
 *   out at the first valid instant after it: the moment the clocks jump (03:00 summer time), not
 *   shifted by the gap's length (03:30), so a routine programme is as little late as it can be.
 * Assumes at most one offset change within a day or two either side, as every IANA zone has today.
 */
export function resolveWall(wall: number, zone: IANAZone): { at: number; wall: number } {
  const day = startOfDay(wall);
  const before = offsetAtMidnight(zone, day - DAY_MS);
  const after = offsetAtMidnight(zone, day + 2 * DAY_MS);
  if (before === after) return { at: wall - before, wall }; // no change of offset around this day
  const first = Math.min(wall - before, wall - after);
  const second = Math.max(wall - before, wall - after);
  if (wallAt(first, zone) === wall) return { at: first, wall };
  if (wallAt(second, zone) === wall) return { at: second, wall };
  const at = endOfGap(wall, zone, first, second);
  return { at, wall: wallAt(at, zone) };
}

/** Binary search for the first instant in (lo, hi] whose wall clock has jumped past `wall`. */
function endOfGap(wall: number, zone: IANAZone, lo: number, hi: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallAt(mid, zone) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
