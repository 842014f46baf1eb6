/**
 * Delivers jobs (broadcasts, device commands) to devices and tracks every acknowledgement,
 * to the controller rules of PROTOCOL.md.
 */
import type { Ack, Command } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events/bus.js';
import type { Delivery, Job } from '../store/records.js';
import type { Store } from '../store/store.js';
import { applyAck, conclude, isFinal, newDelivery, parseCommandId, summarize, type DeliverySummary } from './delivery-state.js';
import type { PresenceTracker } from './presence.js';

export interface CommandPublisher {
  publishCommand(deviceId: string, cmd: Command): Promise<void>;
}

export interface DispatcherOptions {
  retryMs: number;
  retryMaxMs: number;
  /** After notAfter, how long before unanswered deliveries are concluded expired. */
  expiryGraceMs: number;
  tickMs?: number;
}

export interface DispatcherLogger {
  warn(obj: object, msg?: string): void;
}

interface ActiveJob {
  job: Job;
  deliveries: Map<string, Delivery>;
  open: number;
  /** `job.progress` at once on a first ack, then at most once a second while more arrive. */
  progressTimer?: NodeJS.Timeout;
  progressDue?: boolean;
}

const PROGRESS_EVERY_MS = 1000;

const EMERGENCY = 3;

export class Dispatcher {
  private readonly active = new Map<string, ActiveJob>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly link: CommandPublisher,
    private readonly presence: PresenceTracker,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: DispatcherLogger,
    private readonly opts: DispatcherOptions,
  ) {}

  /** Resumes the jobs a previous process left active; their commands go out as devices are seen online. */
  async start(): Promise<void> {
    const jobs: Job[] = [...this.store.broadcasts.all(), ...this.store.commandJobs.all()].filter((j) => j.status !== 'completed' && j.finishedAt === null);
    for (const job of jobs) {
      const deliveries = await this.store.deliveries.load(job.id);
      const open = [...deliveries.values()].filter((d) => !isFinal(d.state)).length;
      this.active.set(job.id, { job, deliveries, open });
      // PROTOCOL controller rule 2: re-send to those online now; the rest get it when they come online.
      for (const d of deliveries.values()) if (!isFinal(d.state) && job.status === 'active' && this.presence.isOnline(d.deviceId)) this.send(job, d);
    }
    const tickMs = this.opts.tickMs ?? Math.min(1000, Math.max(20, Math.floor(this.opts.retryMs / 4)));
    this.timer = setInterval(() => this.tick(), tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const a of this.active.values()) if (a.progressTimer) clearTimeout(a.progressTimer);
    await this.store.flush();
  }

  /** Records the job and its deliveries durably, then publishes (PROTOCOL controller rule 1). */
  async dispatch(job: Job): Promise<void> {
    const deliveries = job.deviceIds.map((id) => newDelivery(job.id, id));
    job.targeted = deliveries.length;
    job.deviceIds = [];
    await this.store.deliveries.create(job.id, deliveries);
    this.saveJob(job);
    await this.jobCollection(job).flush();
    const map = this.store.deliveries.loaded(job.id) ?? new Map(deliveries.map((d) => [d.deviceId, d]));
    this.active.set(job.id, { job, deliveries: map, open: map.size });
    for (const d of map.values()) if (this.presence.isOnline(d.deviceId)) this.send(job, d);
    if (map.size === 0) this.finish(this.active.get(job.id)!);
  }

  onAck(deviceId: string, ack: Ack): void {
    const ref = parseCommandId(ack.cmd);
    if (!ref || ref.deviceId !== deviceId) return;
    const a = this.active.get(ref.jobId);
    const d = a?.deliveries.get(deviceId);
    if (!a || !d) return;
    const now = this.clock.now();
    const wasFinal = isFinal(d.state);
    if (!applyAck(d, ack, now)) return this.store.deliveries.touch(a.job.id);
    if (!isFinal(d.state)) d.nextRetryAt = this.progressDeadline(a.job, d, now);
    this.store.deliveries.touch(a.job.id);
    this.bus.emit('delivery', { jobId: a.job.id, kind: a.job.kind, deviceId, state: d.state, at: now, error: d.error });
    this.progressSoon(a);
    if (!wasFinal && isFinal(d.state) && --a.open === 0) this.finish(a);
  }

  /** PROTOCOL controller rule 2: a device that comes online gets its pending, unexpired commands at once. */
  onDeviceOnline(deviceId: string): void {
    const now = this.clock.now();
    const jobs = [...this.active.values()].filter((a) => a.job.status === 'active' && a.job.notAfter > now);
    jobs.sort((x, y) => priorityOf(y.job) - priorityOf(x.job));
    for (const a of jobs) {
      const d = a.deliveries.get(deviceId);
      if (d && !isFinal(d.state)) this.send(a.job, d);
    }
  }

  /**
   * Stops a job: deliveries not yet acknowledged end `interrupted` (cancelled) here; returns every
   * device that may hold it (anything sent, not finished), which needs a `stop` command — an
   * unanswered command may still have arrived, its ack lost.
   */
  cancel(jobId: string, by: string): string[] {
    const a = this.active.get(jobId);
    if (!a || a.job.status !== 'active') return [];
    const now = this.clock.now();
    a.job.status = 'cancelled';
    if (a.job.kind === 'broadcast') a.job.cancelledBy = by;
    this.saveJob(a.job);
    const mayHold: string[] = [];
    for (const d of a.deliveries.values()) {
      if (isFinal(d.state)) continue;
      if (d.attempts > 0) mayHold.push(d.deviceId);
      if (d.state !== 'pending') continue;
      conclude(d, 'interrupted', 'cancelled', 'Cancelled before the device acknowledged it', now);
      this.afterConclude(a, d, now);
    }
    this.store.deliveries.touch(jobId);
    if (a.open === 0) this.finish(a);
    return mayHold;
  }

  summary(jobId: string): DeliverySummary | null {
    const a = this.active.get(jobId);
    return a ? summarize(a.deliveries.values()) : null;
  }

  activeJobIds(): string[] {
    return [...this.active.keys()];
  }

  /** The live deliveries of an active job, or null when the job is finished (read the store then). */
  liveDeliveries(jobId: string): Map<string, Delivery> | null {
    return this.active.get(jobId)?.deliveries ?? null;
  }

  private send(job: Job, d: Delivery): void {
    const now = this.clock.now();
    const attempt = ++d.attempts;
    d.lastSentAt = now;
    // The back-off runs from the broker's acceptance, not from the queueing: a fan-out to thousands
    // takes seconds to leave, and retries counted from the queue would pile onto it.
    d.nextRetryAt = now + this.opts.retryMaxMs;
    this.store.deliveries.touch(job.id);
    const cmd = this.commandFor(job, d, now);
    const armRetry = () => {
      if (d.state !== 'pending' || d.attempts !== attempt) return;
      d.nextRetryAt = this.clock.now() + this.backoff(attempt, priorityOf(job));
      this.store.deliveries.touch(job.id);
    };
    this.link.publishCommand(d.deviceId, cmd).then(armRetry, (err: unknown) => {
      this.logger.warn({ err: String(err), cmd: d.cmdId }, 'publish failed; will retry');
      armRetry();
    });
  }

  /** When the next ack is overdue: a file plays for its length, a download may take minutes, a stream has no end. */
  private progressDeadline(job: Job, d: Delivery, now: number): number | null {
    const margin = this.opts.retryMs * 2;
    switch (d.state) {
      case 'playing':
        return job.kind === 'broadcast' && !('durationMs' in job.template.media) ? null : now + this.playLengthMs(job) + margin;
      case 'ready':
        return Math.max(now, job.kind === 'broadcast' ? (job.startAt ?? now) : now) + margin;
      default:
        return now + this.opts.retryMaxMs;
    }
  }

  private commandFor(job: Job, d: Delivery, now: number): Command {
    if (job.kind === 'command') return { v: 1, id: d.cmdId, ts: now, type: job.type, ...job.params } as Command;
    // Each device gets startAt and notAfter in its own clock (device = controller + offset).
    const offset = this.presence.get(d.deviceId)?.clockOffsetMs ?? 0;
    const cmd = { ...job.template, id: d.cmdId, ts: now, notAfter: job.template.notAfter + offset };
    return job.startAt === null ? cmd : { ...cmd, startAt: job.startAt + offset };
  }

  /** Exponential back-off with jitter; emergencies retry on a short leash. */
  private backoff(attempts: number, priority: number): number {
    const cap = priority >= EMERGENCY ? Math.min(this.opts.retryMaxMs, this.opts.retryMs * 2) : this.opts.retryMaxMs;
    const base = Math.min(cap, this.opts.retryMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private tick(): void {
    const now = this.clock.now();
    for (const a of [...this.active.values()]) {
      if (now > a.job.notAfter + this.opts.expiryGraceMs) this.expireUnanswered(a, now);
      if (a.job.status !== 'active' || now > a.job.notAfter) continue;
      for (const d of a.deliveries.values()) {
        // PROTOCOL controller rule 2: no `received` within the retry delay → the same command again.
        // Past its progress deadline, a started delivery gets it again too: the device answers with
        // its latest ack (device rule 1), which recovers an ack lost on the way (a lost `done`).
        if (!isFinal(d.state) && d.nextRetryAt !== null && d.nextRetryAt <= now && this.presence.isOnline(d.deviceId)) this.send(a.job, d);
      }
    }
  }

  /** Past notAfter, whatever never started playing will not: conclude it so the job can finish. */
  private expireUnanswered(a: ActiveJob, now: number): void {
    for (const d of a.deliveries.values()) {
      if (isFinal(d.state) || d.state === 'playing') continue;
      conclude(d, 'expired', d.state === 'pending' ? 'not_delivered' : 'not_started', 'notAfter passed before the device played it', now);
      this.afterConclude(a, d, now);
    }
    this.store.deliveries.touch(a.job.id);
    if (a.open === 0 || now > a.job.notAfter + this.playLengthMs(a.job) + this.opts.expiryGraceMs) this.finish(a);
  }

  private afterConclude(a: ActiveJob, d: Delivery, now: number): void {
    a.open--;
    this.bus.emit('delivery', { jobId: a.job.id, kind: a.job.kind, deviceId: d.deviceId, state: d.state, at: now, error: d.error });
  }

  private playLengthMs(job: Job): number {
    if (job.kind !== 'broadcast' || !('durationMs' in job.template.media)) return 0;
    return job.template.media.durationMs * job.repeat;
  }

  /** A summary of a job's progress for views of many jobs: they need not follow every delivery. */
  private progressSoon(a: ActiveJob): void {
    if (a.progressTimer) {
      a.progressDue = true;
      return;
    }
    this.emitProgress(a);
    const tick = () => {
      a.progressTimer = undefined;
      if (!a.progressDue) return;
      a.progressDue = false;
      this.emitProgress(a);
      a.progressTimer = setTimeout(tick, PROGRESS_EVERY_MS).unref();
    };
    a.progressTimer = setTimeout(tick, PROGRESS_EVERY_MS).unref();
  }

  private emitProgress(a: ActiveJob): void {
    this.bus.emit('job.progress', { jobId: a.job.id, kind: a.job.kind, commune: a.job.commune, summary: summarize(a.deliveries.values()), at: this.clock.now() });
  }

  private finish(a: ActiveJob): void {
    const now = this.clock.now();
    if (a.progressTimer) clearTimeout(a.progressTimer);
    this.active.delete(a.job.id);
    if (a.job.status === 'active') a.job.status = 'completed';
    a.job.finishedAt = now;
    this.saveJob(a.job);
    void this.store.deliveries.unload(a.job.id);
    this.bus.emit('job.finished', { jobId: a.job.id, kind: a.job.kind, status: a.job.status === 'cancelled' ? 'cancelled' : 'completed', at: now });
  }

  private jobCollection(job: Job) {
    return job.kind === 'broadcast' ? this.store.broadcasts : this.store.commandJobs;
  }

  private saveJob(job: Job): void {
    if (job.kind === 'broadcast') this.store.broadcasts.put(job);
    else this.store.commandJobs.put(job);
  }
}

function priorityOf(job: Job): number {
  return job.kind === 'broadcast' ? job.priority : 1;
}
