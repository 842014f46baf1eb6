/** Programmes for the schedule tests: a valid routine programme with what each test changes. */
import type { Programme, Targets } from '../../schedules/index.js';

export function programme(overrides: Partial<Programme> = {}): Programme {
  return {
    id: 'ban-tin-sang',
    title: 'Bản tin sáng',
    items: [{ kind: 'media', mediaId: 'm1', durationMs: 60_000 }],
    targets: { all: true },
    priority: 1,
    recurrence: { kind: 'daily', times: ['06:00'] },
    skipDates: [],
    timezone: 'Asia/Ho_Chi_Minh',
    paused: false,
    ...overrides,
  };
}

/** Instants as ISO UTC strings, the form every expectation is written in. */
export const iso = (xs: ReadonlyArray<{ at: number }>): string[] => xs.map((x) => new Date(x.at).toISOString());
export const ms = (isoUtc: string): number => Date.parse(isoUtc);

/** The caller's knowledge of speakers, as the registry would answer it: all, or a shared zone or device. */
export function sharesSpeakers(a: Targets, b: Targets): boolean {
  if ('all' in a || 'all' in b) return true;
  const shared = (x: string[] = [], y: string[] = []) => x.some((v) => y.includes(v));
  return shared(a.zones, b.zones) || shared(a.devices, b.devices);
}
