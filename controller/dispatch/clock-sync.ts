/**
 * PROTOCOL controller rule 4: estimate each device's clock offset from `time` exchanges
 * (NTP-style: offset = ((t1 - t0) + (t2 - t3)) / 2, device clock minus controller clock).
 */
import type { Ack, TimeCommand } from '../../protocol/index.js';
import type { Clock } from '../clock.js';

const PREFIX = 'time~';

export class ClockSync {
  private readonly sent = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly publish: (deviceId: string, cmd: TimeCommand) => Promise<void>,
    private readonly record: (deviceId: string, offsetMs: number) => void,
  ) {}

  static owns(cmdId: string): boolean {
    return cmdId.startsWith(PREFIX);
  }

  private readonly waiting = new Map<string, () => void>();

  /**
   * Sends a `time` command; resolves when its answer has set the offset, or after `timeoutMs`,
   * whichever comes first (a device's timed commands should carry its offset when they can).
   */
  probe(deviceId: string, timeoutMs = 1000): Promise<void> {
    const t0 = this.clock.now();
    const id = `${PREFIX}${deviceId}~${(++this.seq).toString(36)}`;
    this.sent.set(id, t0);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiting.delete(id);
        resolve();
      }
      this.waiting.set(id, done);
      this.publish(deviceId, { v: 1, id, ts: t0, type: 'time', t0 }).catch(done);
    });
  }

  onAck(deviceId: string, ack: Ack): void {
    const t0 = this.sent.get(ack.cmd);
    if (t0 === undefined || ack.state !== 'done' || ack.t1 === undefined || ack.t2 === undefined) return;
    if (!ack.cmd.startsWith(`${PREFIX}${deviceId}~`)) return;
    this.sent.delete(ack.cmd);
    const t3 = this.clock.now();
    this.record(deviceId, Math.round((ack.t1 - t0 + (ack.t2 - t3)) / 2));
    this.waiting.get(ack.cmd)?.();
  }
}
