/** Follows one job (broadcast or command) live: a snapshot, then every delivery event, batched for rendering. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useEvent, useJobDeliveries } from './events.js';
import { fromEvent, mergeDelivery, summarize } from './progress.js';
import type { Delivery, JobStatus, Summary } from './types.js';

export interface JobSnapshot<J> {
  job: J;
  deliveries: Delivery[];
}

export interface JobProgress<J> {
  job: J | undefined;
  deliveries: Delivery[];
  summary: Summary;
  error: unknown;
  reload(): void;
}

const RENDER_EVERY_MS = 250;
const REFILL_EVERY_MS = 3000;

export function useJob<J extends { status: JobStatus; targeted?: number; summary: Summary }>(jobId: string, load: () => Promise<JobSnapshot<J>>): JobProgress<J> {
  const byDevice = useRef(new Map<string, Delivery>());
  const [job, setJob] = useState<J | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [, setVersion] = useState(0);
  const flushTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loader = useRef(load);
  loader.current = load;

  const render = useCallback(() => {
    if (flushTimer.current) return;
    flushTimer.current = setTimeout(() => {
      flushTimer.current = null;
      setVersion((v) => v + 1);
    }, RENDER_EVERY_MS);
  }, []);

  const merge = (d: Delivery) => byDevice.current.set(d.deviceId, mergeDelivery(byDevice.current.get(d.deviceId), d));

  const reload = useCallback(() => {
    loader.current().then(
      (snap) => {
        setJob(snap.job);
        for (const d of snap.deliveries) merge(d);
        setError(null);
        setVersion((v) => v + 1);
      },
      (e: unknown) => setError(e),
    );
  }, []);

  useEffect(() => {
    byDevice.current = new Map();
    setJob(undefined);
    reload();
    return () => void (flushTimer.current && clearTimeout(flushTimer.current));
  }, [jobId]);

  useJobDeliveries(
    jobId,
    (e) => {
      merge(fromEvent(e));
      render();
    },
    reload,
  );
  useEvent('job.finished', (e) => e.jobId === jobId && reload());
  useEvent('resync', reload);

  const targeted = job?.targeted ?? job?.summary.targeted ?? 0;
  const deliveries = [...byDevice.current.values()];
  // Deliveries are recorded just after the job: until all are listed, ask again now and then.
  const incomplete = job?.status === 'active' && deliveries.length < targeted;
  useEffect(() => {
    if (!incomplete) return;
    const t = setTimeout(reload, REFILL_EVERY_MS);
    return () => clearTimeout(t);
  }, [incomplete, deliveries.length]);

  return { job, deliveries, summary: summarize(deliveries, targeted), error, reload };
}
