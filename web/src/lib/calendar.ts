/**
 * Calendar days as 'YYYY-MM-DD' in the commune's time. Programmes run in Asia/Ho_Chi_Minh, which is
 * UTC+7 all year (no daylight saving), so a day is plain arithmetic; names come from the browser's Intl.
 */
import { locale } from './i18n.js';

export type Day = string;
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

const utc = (day: Day) => Date.parse(`${day}T00:00:00Z`);
const dayOf = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);

export function today(now = Date.now()): Day {
  return dayOf(now + OFFSET_MS);
}

/** The instant the day begins in the commune (UTC ms). */
export function dayStart(day: Day): number {
  return utc(day) - OFFSET_MS;
}

export function addDays(day: Day, n: number): Day {
  return dayOf(utc(day) + n * DAY_MS);
}

/** 1 = Monday (Thứ Hai) … 7 = Sunday (Chủ Nhật), as the programmes' weekdays. */
export function isoWeekday(day: Day): number {
  return new Date(utc(day)).getUTCDay() || 7;
}

export function weekStart(day: Day): Day {
  return addDays(day, 1 - isoWeekday(day));
}

export function addMonths(day: Day, n: number): Day {
  const d = new Date(utc(day));
  return dayOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
}

export function daysFrom(first: Day, count: number): Day[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}

/** Whole weeks, Monday first, covering the month of `day`. */
export function monthGrid(day: Day): Day[] {
  const first = weekStart(addMonths(day, 0));
  const last = addDays(addMonths(day, 1), -1);
  return daysFrom(first, (utc(weekStart(last)) - utc(first)) / DAY_MS + 7);
}

function format(day: Day, opts: Intl.DateTimeFormatOptions): string {
  return new Date(utc(day)).toLocaleDateString(locale(), { ...opts, timeZone: 'UTC' });
}

export const dayLabel = (day: Day) => format(day, { weekday: 'long', day: 'numeric', month: 'numeric' });
export const longDate = (day: Day) => format(day, { weekday: 'long', day: 'numeric', month: 'numeric', year: 'numeric' });
export const monthLabel = (day: Day) => format(day, { month: 'long', year: 'numeric' });

/** A weekday's name; 2024-01-01 was a Monday. */
export function weekdayName(isoDay: number, width: 'long' | 'short' = 'long'): string {
  return format(addDays('2024-01-01', isoDay - 1), { weekday: width });
}
