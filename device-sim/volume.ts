/** What volume a play actually gets: PROTOCOL device rule 3 and the config's quiet hours. */
import type { DeviceConfig, PlayCommand } from '../protocol/index.js';
import { PRIORITY } from '../protocol/index.js';

export interface VolumeState {
  volume: number;
  muted: boolean;
  config: DeviceConfig | null;
  now: number;
}

export function effectiveVolume(cmd: PlayCommand, s: VolumeState): number {
  // PROTOCOL device rule 3: an emergency plays at its volume even when muted or in quiet hours.
  if (cmd.priority === PRIORITY.emergency) return cmd.volume ?? s.volume;
  if (s.muted || inQuietHours(s.config, s.now)) return 0;
  return cmd.volume ?? s.volume;
}

/** Quiet hours are local times in the config's time zone; a range may pass midnight (22:00–05:00). */
export function inQuietHours(config: DeviceConfig | null, now: number): boolean {
  const q = config?.quietHours;
  if (!q) return false;
  const local = localHHMM(now, config.tz);
  return q.start <= q.end ? local >= q.start && local < q.end : local >= q.start || local < q.end;
}

function localHHMM(now: number, tz: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  } catch {
    // An unknown zone: Vietnam's (UTC+7, no daylight saving) is the sensible default for Loa.
    return new Date(now + 7 * 3600_000).toISOString().slice(11, 16);
  }
}
