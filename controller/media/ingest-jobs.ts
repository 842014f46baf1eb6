/**
 * Uploads being processed. A short file is answered at once; a long one (a meeting recorded for
 * an hour) becomes a job the client follows by its percentage, over the API or the event stream.
 * Jobs live in memory: an upload cut short by a restart is simply uploaded again.
 */
import { inScope, type Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import { commonErrors, LoaError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { newId } from '../ids.js';
import type { MediaRecord } from '../store/records.js';
import type { MediaLibrary } from './library.js';

export interface IngestJobView {
  id: string;
  state: 'processing' | 'done' | 'failed';
  /** 0–100. */
  progress: number;
  title: string;
  mediaId: string | null;
  error: Record<string, unknown> | null;
  createdAt: number;
  createdBy: string;
  commune: string | null;
}

/** Finished jobs are kept this long for a client that comes back to ask. */
const KEEP_FINISHED_MS = 60 * 60_000;

export class IngestJobs {
  private readonly jobs = new Map<string, IngestJobView>();

  constructor(
    private readonly library: MediaLibrary,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  /** Starts processing an upload already in the library's work folder; `done` settles with the media or its refusal. */
  start(actor: Actor, uploadPath: string, title: string): { job: IngestJobView; done: Promise<MediaRecord> } {
    this.forgetOld();
    const job: IngestJobView = { id: newId('ing'), state: 'processing', progress: 0, title, mediaId: null, error: null, createdAt: this.clock.now(), createdBy: actor.username, commune: actor.commune };
    this.jobs.set(job.id, job);
    const done = this.library.add(actor, uploadPath, title, null, (pct) => this.progressed(job, pct));
    done.then(
      (media) => this.finish(job, { state: 'done', progress: 100, mediaId: media.id }),
      (err: unknown) => this.finish(job, { state: 'failed', error: errorBody(err) }),
    );
    return { job, done };
  }

  get(actor: Actor, id: string): IngestJobView {
    const job = this.jobs.get(id);
    if (!job || !inScope(actor, job.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'việc xử lý âm thanh / media job', id });
    return job;
  }

  private progressed(job: IngestJobView, pct: number): void {
    // Whole percents only: a long file would otherwise flood the event stream.
    const progress = Math.min(99, Math.floor(pct));
    if (progress <= job.progress || job.state !== 'processing') return;
    job.progress = progress;
    this.bus.emit('media.job', { ...job });
  }

  private finish(job: IngestJobView, change: Partial<IngestJobView>): void {
    Object.assign(job, change);
    this.bus.emit('media.job', { ...job });
  }

  private forgetOld(): void {
    const before = this.clock.now() - KEEP_FINISHED_MS;
    for (const [id, job] of this.jobs) if (job.state !== 'processing' && job.createdAt < before) this.jobs.delete(id);
  }
}

function errorBody(err: unknown): Record<string, unknown> {
  return (err instanceof LoaError ? err : commonErrors.LOA_INTERNAL()).toBody().error;
}
