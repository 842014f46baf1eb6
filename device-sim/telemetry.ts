/**
 * The heartbeat's content (PROTOCOL lifecycle: `tele`, QoS 0, `seq` counting within the session).
 * A simulator can "measure" everything, so every field is present; faults show here.
 */
import type { Telemetry } from '../protocol/index.js';
import type { DeviceFaults } from './faults.js';
import type { Random } from './random.js';

export interface TelemetryInput {
  now: number;
  seq: number;
  uptimeS: number;
  volume: number;
  muted: boolean;
  playing: string | null;
  faults: DeviceFaults;
  random: Random;
}

export function telemetry(i: TelemetryInput): Telemetry {
  const f = i.faults;
  return {
    v: 1,
    ts: i.now,
    seq: i.seq,
    uptimeS: i.uptimeS,
    volume: i.volume,
    muted: i.muted,
    rssiDbm: -60 - Math.round(i.random() * 30),
    tempC: 38 + Math.round(i.random() * 80) / 10,
    power: f.power ?? 'mains',
    ...(f.batteryPct !== undefined || f.power === 'battery' || f.power === 'solar' ? { batteryPct: f.batteryPct ?? 100 } : {}),
    amp: f.ampFault ? 'fault' : 'ok',
    line: f.lineFault ?? 'ok',
    playing: i.playing,
    storageFreeMb: 900,
  };
}

/** The heartbeat timer; unref'd so a forgotten device does not keep a process alive. */
export class Heartbeat {
  private timer: NodeJS.Timeout | null = null;

  start(periodMs: number, beat: () => void): void {
    this.stop();
    this.timer = setInterval(beat, periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
