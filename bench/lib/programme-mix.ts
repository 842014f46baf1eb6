/** The benches' commune calendar: daily, weekly, monthly and cron programmes at quarter hours, 05–19 h, each to one zone. */
import type { Programme, Recurrence } from '../../schedules/index.js';
import { rng } from './random.js';

export interface MixOptions {
  mediaId: string;
  zones: number;
  zoneId: (k: number) => string;
}

/** The same n programmes on every run (a fixed seed). */
export function programmeMix(n: number, o: MixOptions): Programme[] {
  const rand = rng(42);
  const pick = (k: number) => Math.floor(rand() * k);
  const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
  return Array.from({ length: n }, (_, i) => {
    const hours = [...new Set(Array.from({ length: 1 + pick(3) }, () => 5 + pick(15)))].sort((a, b) => a - b);
    const minute = [0, 15, 30, 45][pick(4)]!;
    const times = hours.map((h) => hhmm(h, minute));
    const recurrence = [
      { kind: 'daily', times },
      { kind: 'weekly', weekdays: [1, 3, 5].slice(0, 1 + pick(3)), times },
      { kind: 'monthly', days: [1, 10, 20, 31].slice(0, 1 + pick(4)), times },
      { kind: 'cron', expr: `${minute} ${hours.join(',')} * * ${['*', '1-5', '0,6'][pick(3)]}` },
    ][i % 4] as Recurrence;
    return {
      id: `p-${String(i).padStart(4, '0')}`,
      title: `Chương trình ${i}`,
      items: [{ kind: 'media', mediaId: o.mediaId, durationMs: 60_000 * (1 + pick(30)) }],
      targets: { zones: [o.zoneId(pick(o.zones))] },
      priority: (1 + pick(2)) as 1 | 2,
      recurrence,
      skipDates: [],
      timezone: 'Asia/Ho_Chi_Minh',
      paused: false,
    };
  });
}
