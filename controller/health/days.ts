/** Local calendar days (the commune's, Asia/Ho_Chi_Minh by default) and pruning of day files. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DateTime } from 'luxon';
import { DAY_FILE } from '../store/history.js';

export class LocalDays {
  constructor(readonly zone: string) {}

  startOf(ts: number): number {
    return DateTime.fromMillis(ts, { zone: this.zone }).startOf('day').toMillis();
  }

  /** The local date, `YYYY-MM-DD`. */
  dayOf(ts: number): string {
    return DateTime.fromMillis(ts, { zone: this.zone }).toISODate()!;
  }

  /** The start of the day `n` days after the day starting at `dayStart` (n may be negative). */
  shift(dayStart: number, n: number): number {
    return DateTime.fromMillis(dayStart, { zone: this.zone }).plus({ days: n }).toMillis();
  }
}

const DAY_MS = 86_400_000;

/** Deletes the `YYYY-MM-DD.jsonl` files (UTC days) of a JSON-lines log that ended at or before `before`. */
export async function pruneDayFiles(dir: string, before: number): Promise<number> {
  let removed = 0;
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const day = DAY_FILE.exec(name)?.[1];
    if (!day || Date.parse(`${day}T00:00:00Z`) + DAY_MS > before) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
