/** Waiting on outcomes by events, not sleeps. */
import type { DeliverySummary } from '../../controller/dispatch/delivery-state.js';
import type { Controller } from '../../controller/runtime.js';

/** Resolves with a job's summary once `pred` holds, re-checking on every delivery event of that job. */
export function whenSummary(c: Controller, jobId: string, pred: (s: DeliverySummary) => boolean, timeoutMs = 30_000): Promise<DeliverySummary> {
  return new Promise((resolve, reject) => {
    let done = false;
    const offs: Array<() => void> = [];
    const finish = (err: Error | null, s?: DeliverySummary) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const off of offs) off();
      if (err) reject(err);
      else resolve(s!);
    };
    const stored = (): Promise<DeliverySummary> =>
      c.jobs.broadcast(jobId).then(
        (b) => b.summary,
        () => c.jobs.command(jobId).then((x) => x.summary),
      );
    const check = async (): Promise<DeliverySummary> => {
      const s = c.dispatcher.summary(jobId) ?? (await stored());
      if (pred(s)) finish(null, s);
      return s;
    };
    const timer = setTimeout(() => {
      void check().then((s) => finish(new Error(`timed out waiting on ${jobId}: ${JSON.stringify(s)}`)));
    }, timeoutMs);
    offs.push(c.bus.on('delivery', (e) => e.jobId === jobId && void check()));
    offs.push(c.bus.on('job.finished', (e) => e.jobId === jobId && void check()));
    void check();
  });
}

/** Resolves once every listed device is online at the controller. */
export function whenOnline(c: Controller, ids: string[], timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const missing = new Set(ids.filter((id) => !c.presence.isOnline(id)));
    if (missing.size === 0) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out: ${missing.size} devices not online`));
    }, timeoutMs);
    const off = c.bus.on('device.online', (e) => {
      missing.delete(e.deviceId);
      if (missing.size === 0) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}
