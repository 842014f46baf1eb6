/**
 * What is wrong with a programme, in words an officer can act on. The TypeBox schema checks the
 * shape at the API; these checks cover what a pattern cannot (real dates, a valid zone and cron,
 * the date range) and repeat the format checks for programmes that come from storage or imports.
 */
import type { LoaError } from '../controller/errors.js';
import { parseCron } from './cron.js';
import { scheduleErrors as E } from './errors.js';
import type { Programme, Recurrence } from './model.js';
import { parseDate, parseLocalDateTime, parseTime, zoneOf } from './wallclock.js';

/** Reasons the programme cannot be scheduled, each "Vietnamese / English"; empty when it is valid. */
export function validateProgramme(p: Programme): string[] {
  return programmeIssues(p).map((e) => `${e.messageVi} / ${e.message}`);
}

/** The same reasons as coded errors. */
export function programmeIssues(p: Programme): LoaError[] {
  return [...timezoneIssues(p), ...recurrenceIssues(p.recurrence), ...dateIssues(p), ...contentIssues(p)];
}

/** Throws LOA_SCHEDULE_INVALID listing every reason, or returns quietly. */
export function assertValidProgramme(p: Programme): void {
  const issues = programmeIssues(p);
  if (issues.length === 0) return;
  throw E.LOA_SCHEDULE_INVALID({
    programmeId: p.id,
    codes: issues.map((e) => e.code),
    reasonsVi: issues.map((e) => e.messageVi).join('; '),
    reasonsEn: issues.map((e) => e.message).join('; '),
  });
}

function timezoneIssues(p: Programme): LoaError[] {
  return zoneOf(p.timezone) ? [] : [E.LOA_SCHEDULE_BAD_TIMEZONE({ value: p.timezone })];
}

function recurrenceIssues(r: Recurrence): LoaError[] {
  switch (r.kind) {
    case 'once':
      return parseLocalDateTime(r.at) === undefined ? [E.LOA_SCHEDULE_BAD_DATETIME({ value: r.at })] : [];
    case 'daily':
      return timeIssues(r.times);
    case 'weekly':
      return [...timeIssues(r.times), ...dayIssues(r.weekdays, 7, (value) => E.LOA_SCHEDULE_BAD_WEEKDAY({ value }))];
    case 'monthly':
      return [...timeIssues(r.times), ...dayIssues(r.days, 31, (value) => E.LOA_SCHEDULE_BAD_MONTHDAY({ value }))];
    case 'cron': {
      const parsed = parseCron(r.expr);
      return parsed.ok ? [] : [E.LOA_SCHEDULE_BAD_CRON({ value: r.expr, reason: parsed.reason })];
    }
  }
}

function timeIssues(times: readonly string[]): LoaError[] {
  if (times.length === 0) return [E.LOA_SCHEDULE_NO_TIMES()];
  return times.filter((t) => parseTime(t) === undefined).map((value) => E.LOA_SCHEDULE_BAD_TIME({ value }));
}

function dayIssues(days: readonly number[], max: number, bad: (value: number) => LoaError): LoaError[] {
  if (days.length === 0) return [E.LOA_SCHEDULE_NO_DAYS()];
  return days.filter((d) => !Number.isInteger(d) || d < 1 || d > max).map(bad);
}

function dateIssues(p: Programme): LoaError[] {
  const issues: LoaError[] = [];
  const check = (value: string | undefined, field: string): number | undefined => {
    if (value === undefined) return undefined;
    const wall = parseDate(value);
    if (wall === undefined) issues.push(E.LOA_SCHEDULE_BAD_DATE({ value, field }));
    return wall;
  };
  const start = check(p.startDate, 'startDate');
  const end = check(p.endDate, 'endDate');
  if (start !== undefined && end !== undefined && end < start) {
    issues.push(E.LOA_SCHEDULE_END_BEFORE_START({ startDate: p.startDate, endDate: p.endDate }));
  }
  for (const d of p.skipDates) check(d, 'skipDates');
  return issues;
}

function contentIssues(p: Programme): LoaError[] {
  const issues: LoaError[] = [];
  if (p.priority !== 1 && p.priority !== 2) issues.push(E.LOA_SCHEDULE_BAD_PRIORITY());
  if (p.items.length === 0) issues.push(E.LOA_SCHEDULE_NO_ITEMS());
  p.items.forEach((item, i) => {
    if (!Number.isInteger(item.durationMs) || item.durationMs <= 0) issues.push(E.LOA_SCHEDULE_BAD_DURATION({ index: i + 1 }));
  });
  return issues;
}
