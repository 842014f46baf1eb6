/** The dashboard's live activity feed: what happened since this tab signed in (individual deliveries only when they go wrong). */
import { onEvent } from './events.js';
import { createStore } from './store.js';
import type { LiveEvents } from './types.js';

export type Activity =
  | { kind: 'online'; at: number; deviceId: string }
  | { kind: 'offline'; at: number; deviceId: string; reason: string }
  | { kind: 'created'; at: number; id: string; title: string; priority: number; targeted: number }
  | { kind: 'finished'; at: number; id: string; jobKind: string; status: string }
  | { kind: 'problem'; at: number; jobId: string; deviceId: string; state: string; error: string | null };

const LIMIT = 40;
export const activity = createStore<Activity[]>([]);
let offs: Array<() => void> = [];

const PROBLEMS = new Set(['failed', 'rejected', 'expired']);

function push(a: Activity): void {
  activity.set([a, ...activity.get()].slice(0, LIMIT));
}

export function startActivity(): void {
  stopActivity();
  offs = [
    onEvent('device.online', (e) => push({ kind: 'online', at: e.at, deviceId: e.deviceId })),
    onEvent('device.offline', (e) => push({ kind: 'offline', at: e.at, deviceId: e.deviceId, reason: e.reason })),
    onEvent('broadcast.created', (e) => push({ kind: 'created', at: e.at, id: e.id, title: e.title, priority: e.priority, targeted: e.targeted })),
    onEvent('job.finished', (e) => push({ kind: 'finished', at: e.at, id: e.jobId, jobKind: e.kind, status: e.status })),
    onEvent('delivery', (e: LiveEvents['delivery']) => {
      if (PROBLEMS.has(e.state)) push({ kind: 'problem', at: e.at, jobId: e.jobId, deviceId: e.deviceId, state: e.state, error: e.error?.message ?? null });
    }),
  ];
}

export function stopActivity(): void {
  for (const off of offs) off();
  offs = [];
  activity.set([]);
}
