/** Per-speaker progress of a job, merged from snapshots and live events in any order. */
import type { Delivery, DeliveryState, LiveEvents, Summary } from './types.js';

// Mirrors controller/dispatch/delivery-state.ts: a delivery only moves forward, so order does not matter.
const RANK: Record<DeliveryState, number> = { pending: 0, received: 1, downloading: 2, ready: 3, playing: 4, done: 5, failed: 5, rejected: 5, expired: 5, interrupted: 5 };

export function isFinal(s: DeliveryState): boolean {
  return RANK[s] === 5;
}

export function mergeDelivery(prev: Delivery | undefined, next: Delivery): Delivery {
  if (!prev) return next;
  const at = { ...prev.at, ...next.at };
  const forward = !isFinal(prev.state) && RANK[next.state] > RANK[prev.state];
  return forward ? { ...prev, ...next, at } : { ...prev, at, attempts: Math.max(prev.attempts, next.attempts) };
}

export function fromEvent(e: LiveEvents['delivery']): Delivery {
  return { deviceId: e.deviceId, state: e.state, at: { [e.state]: e.at }, attempts: 0, error: e.error, lateMs: null };
}

export function summarize(deliveries: Iterable<Delivery>, targeted: number): Summary {
  const s: Summary = { targeted, reached: 0, received: 0, playing: 0, done: 0, failed: 0, rejected: 0, expired: 0, interrupted: 0, noAnswer: 0 };
  let seen = 0;
  for (const d of deliveries) {
    seen++;
    if (d.at.received !== undefined || RANK[d.state] >= 1) s.reached++;
    if (d.state === 'pending') s.noAnswer++;
    else if (d.state === 'received' || d.state === 'downloading' || d.state === 'ready') s.received++;
    else s[d.state]++;
  }
  s.targeted = Math.max(targeted, seen);
  // Speakers not yet in the list have not answered either.
  s.noAnswer += s.targeted - seen;
  return s;
}

export function finishedCount(s: Summary): number {
  return s.done + s.failed + s.rejected + s.expired + s.interrupted;
}

/** Emergency proof: the speaker said it began playing (it may have finished or been stopped since). */
export function confirmed(d: Delivery): boolean {
  return d.at.playing !== undefined || d.state === 'playing' || d.state === 'done';
}
