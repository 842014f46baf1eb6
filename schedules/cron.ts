/**
 * Cron recurrences, evaluated by cron-parser against the programme's local wall clock.
 *
 * Why on the wall-clock timeline (cron-parser's tz 'UTC' over wall values) and not with
 * cron-parser's own `tz`: the fields are matched in the programme's zone either way, but
 * cron-parser 5 moves a time inside a spring-forward gap by the gap's length (02:30 → 03:30) and
 * is not our fall-back rule; walking wall time and converting with `resolveWall` gives cron the
 * same DST policy as the daily, weekly and monthly kinds.
 *
 * Why day by day with `includesDate` and not `next()`: each `next()` costs about 50 µs, a day check
 * about 5 µs. Minutes and hours match independently of the day, so a day that matches at its first
 * (hour, minute) matches at all of them; cron-parser alone decides which days match (day-of-month
 * or day-of-week, month, L and #).
 */
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import { DAY_MS, MINUTE_MS, startOfDay } from './wallclock.js';

const FIELDS = 5;
const MAX_MEMO = 1000;

type Parsed = { ok: true; cron: CronExpression; times: number[] } | { ok: false; reason: string };
const memo = new Map<string, Parsed>();

/** Parses a 5-field expression; returns the reason it is not valid instead of throwing. */
export function parseCron(expr: string): { ok: true } | { ok: false; reason: string } {
  const parsed = parse(expr);
  return parsed.ok ? { ok: true } : parsed;
}

/** Every wall time in [fromWall, toWall) the expression matches, ascending. */
export function cronWallTimes(expr: string, fromWall: number, toWall: number): number[] {
  const parsed = parse(expr);
  if (!parsed.ok) throw new Error(parsed.reason);
  const [first] = parsed.times;
  const out: number[] = [];
  if (first === undefined) return out;
  for (let day = startOfDay(fromWall); day < toWall; day += DAY_MS) {
    if (!parsed.cron.includesDate(new Date(day + first))) continue;
    for (const t of parsed.times) if (day + t >= fromWall && day + t < toWall) out.push(day + t);
  }
  return out;
}

function parse(expr: string): Parsed {
  let parsed = memo.get(expr);
  if (!parsed) {
    parsed = parseUncached(expr);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(expr, parsed);
  }
  return parsed;
}

function parseUncached(expr: string): Parsed {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== FIELDS) return { ok: false, reason: `${fields.length} fields` };
  try {
    const cron = CronExpressionParser.parse(fields.join(' '), { tz: 'UTC' });
    const { hour, minute } = cron.fields;
    const times = hour.values.flatMap((h) => minute.values.map((m) => (h * 60 + m) * MINUTE_MS));
    return { ok: true, cron, times: times.sort((a, b) => a - b) };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
