/**
 * The speaker's playback: one item plays, the rest wait in a queue ordered by priority, then by
 * start time. PROTOCOL device rules 2 to 5: a higher priority interrupts, nothing starts past its
 * notAfter, and startAt is honoured on the device clock (a late start says how late).
 */
import type { PlayCommand } from '../protocol/index.js';
import type { Clock } from './clock.js';

export interface PlayRecord {
  cmdId: string;
  broadcastId: string;
  priority: number;
  /** Device clock. */
  startedAt: number;
  lateMs: number;
  /** The volume it played at (0 when muted or in quiet hours). */
  volume: number;
  endedAt?: number;
  outcome?: 'done' | 'interrupted' | 'failed';
}

/** Audio that started: it ends by itself (`ended`, a stream) or when its length runs out. */
export interface Playback {
  ended?: Promise<{ failed?: string }>;
  abort(): void;
}

export type PlayOutcome = 'playing' | 'done' | 'expired' | 'interrupted' | 'failed';

/** What the player asks of its device. */
export interface PlayerHost {
  clock: Clock;
  /** Playback length in real milliseconds (the speed factor applies here); Infinity for a stream. */
  playLengthMs(cmd: PlayCommand): number;
  effectiveVolume(cmd: PlayCommand): number;
  begin(cmd: PlayCommand): Playback | { failed: string };
  report(cmd: PlayCommand, state: PlayOutcome, extra?: { lateMs?: number; error?: { code: string; message: string } }): void;
}

interface Queued {
  cmd: PlayCommand;
  /** Device clock when it became ready to play. */
  readyAt: number;
}

interface Current {
  cmd: PlayCommand;
  record: PlayRecord;
  timer: NodeJS.Timeout | null;
  abort(): void;
}

/** setTimeout fires at once past 2^31-1 ms; a wake-up that far away is simply re-armed. */
const timerDelay = (ms: number) => Math.min(Math.max(0, ms), 2 ** 31 - 1);
const startOf = (q: Queued) => q.cmd.startAt ?? q.readyAt;
const byTurn = (a: Queued, b: Queued) => b.cmd.priority - a.cmd.priority || startOf(a) - startOf(b);

export class Player {
  readonly plays: PlayRecord[] = [];
  private queue: Queued[] = [];
  private current: Current | null = null;
  private wake: NodeJS.Timeout | null = null;

  constructor(private readonly host: PlayerHost) {}

  get playing(): string | null {
    return this.current?.cmd.id ?? null;
  }

  get queued(): number {
    return this.queue.length;
  }

  enqueue(cmd: PlayCommand): void {
    this.queue.push({ cmd, readyAt: this.host.clock.now() });
    this.schedule();
  }

  /** Stops that broadcast, playing or queued, or else whatever plays now. */
  stop(broadcastId?: string): void {
    if (broadcastId !== undefined) {
      for (const q of this.queue.filter((x) => x.cmd.broadcastId === broadcastId)) this.host.report(q.cmd, 'interrupted');
      this.queue = this.queue.filter((x) => x.cmd.broadcastId !== broadcastId);
    }
    if (this.current && (broadcastId === undefined || this.current.cmd.broadcastId === broadcastId)) this.end('interrupted');
    this.schedule();
  }

  /** Before a reboot: everything ends interrupted, and says so. */
  interruptAll(): void {
    for (const q of this.queue) this.host.report(q.cmd, 'interrupted');
    this.queue = [];
    this.end('interrupted');
    this.reset();
  }

  /** Power off: everything stops at once, nothing is reported. */
  reset(): void {
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.current?.abort();
    this.current = null;
    this.queue = [];
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
  }

  private schedule(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = null;
    const now = this.host.clock.now();
    this.expire(now);
    const next = this.queue.filter((q) => startOf(q) <= now).sort(byTurn)[0];
    // PROTOCOL device rule 2: a higher priority interrupts what plays; lower or equal waits its turn.
    if (next && this.current && next.cmd.priority > this.current.cmd.priority) this.end('interrupted');
    if (next && !this.current) {
      this.queue = this.queue.filter((q) => q !== next);
      this.start(next, now);
    }
    this.sleepUntilNextEvent(now);
  }

  /** PROTOCOL device rule 4: past notAfter when its turn comes, it ends expired. */
  private expire(now: number): void {
    const expired = this.queue.filter((x) => x.cmd.notAfter < now);
    if (expired.length === 0) return;
    this.queue = this.queue.filter((x) => x.cmd.notAfter >= now);
    for (const q of expired) this.host.report(q.cmd, 'expired');
  }

  private sleepUntilNextEvent(now: number): void {
    let soonest = Infinity;
    for (const q of this.queue) soonest = Math.min(soonest, startOf(q) > now ? startOf(q) : Infinity, q.cmd.notAfter + 1);
    if (Number.isFinite(soonest)) this.wake = setTimeout(() => this.schedule(), timerDelay(soonest - now));
  }

  private start(q: Queued, now: number): void {
    const begun = this.host.begin(q.cmd);
    if ('failed' in begun) {
      this.host.report(q.cmd, 'failed', { error: { code: begun.failed, message: `cannot play: ${begun.failed}` } });
      return this.schedule();
    }
    // PROTOCOL device rule 5: a late start says how late, by the device clock.
    const lateMs = q.cmd.startAt === undefined ? 0 : Math.max(0, now - q.cmd.startAt);
    const record: PlayRecord = { cmdId: q.cmd.id, broadcastId: q.cmd.broadcastId, priority: q.cmd.priority, startedAt: now, lateMs, volume: this.host.effectiveVolume(q.cmd) };
    this.plays.push(record);
    const lengthMs = this.host.playLengthMs(q.cmd);
    const timer = Number.isFinite(lengthMs) ? setTimeout(() => this.finish('done'), timerDelay(lengthMs)) : null;
    this.current = { cmd: q.cmd, record, timer, abort: begun.abort };
    this.host.report(q.cmd, 'playing', { lateMs });
    void begun.ended?.then((r) => this.current?.cmd === q.cmd && this.finish(r.failed ? 'failed' : 'done', r.failed));
  }

  private finish(outcome: 'done' | 'failed', code?: string): void {
    this.end(outcome, code);
    this.schedule();
  }

  private end(outcome: 'done' | 'interrupted' | 'failed', code?: string): void {
    const c = this.current;
    if (!c) return;
    this.current = null;
    if (c.timer) clearTimeout(c.timer);
    c.abort();
    c.record.endedAt = this.host.clock.now();
    c.record.outcome = outcome;
    this.host.report(c.cmd, outcome, code ? { error: { code, message: `playback failed: ${code}` } } : undefined);
  }
}
