/**
 * The rules of a rollout, as pure functions of its record: how speakers are grouped, when the next
 * group may start, when the rollout stops or completes, and who starts updating next.
 */
import type { Rollout, RolloutGroup, SpeakerProgress, SpeakerState } from './state.js';

export type GroupCounts = Record<SpeakerState, number> & { size: number };

/** A share compared with a threshold, forgiving float noise (0.8 × 50 is 40, not 40.000000001). */
const EPS = 1e-9;

export function planGroups(deviceIds: string[], groupSize: number): RolloutGroup[] {
  const groups: RolloutGroup[] = [];
  for (let i = 0; i < deviceIds.length; i += groupSize) {
    groups.push({ deviceIds: deviceIds.slice(i, i + groupSize), startedAt: null, thresholdMetAt: null, finishedAt: null });
  }
  return groups;
}

export function blankProgress(group: number): SpeakerProgress {
  return { group, state: 'waiting', jobId: null, startedAt: null, sentSession: null, doneSession: null, finishedAt: null, error: null };
}

export function countGroup(r: Rollout, group: RolloutGroup): GroupCounts {
  const c: GroupCounts = { size: group.deviceIds.length, waiting: 0, updating: 0, updated: 0, failed: 0, skipped: 0 };
  for (const id of group.deviceIds) c[r.speakers[id]!.state]++;
  return c;
}

export function countAll(r: Rollout): Record<SpeakerState, number> {
  const c: Record<SpeakerState, number> = { waiting: 0, updating: 0, updated: 0, failed: 0, skipped: 0 };
  for (const sp of Object.values(r.speakers)) c[sp.state]++;
  return c;
}

export function isLive(r: Rollout): boolean {
  return r.status === 'running' || r.status === 'paused';
}

/**
 * Brings a rollout's groups and status up to date after a speaker changed:
 * - a group whose updated share reaches `successThreshold` lets the next group start;
 * - a group whose failed share reaches `errorThreshold` stops the rollout at once;
 * - a group that ends without reaching the success threshold stops it too;
 * - when every group has met its threshold and ended, the rollout is completed.
 */
export function evaluate(r: Rollout, now: number): void {
  r.groups.forEach((group, index) => {
    const c = countGroup(r, group);
    if (group.thresholdMetAt === null && c.updated >= r.successThreshold * c.size - EPS) group.thresholdMetAt = now;
    if (group.finishedAt === null && group.startedAt !== null && c.waiting + c.updating === 0) group.finishedAt = now;
    if (!isLive(r)) return;
    if (c.failed > 0 && c.failed >= r.errorThreshold * c.size - EPS) end(r, 'stopped', `error_threshold: group ${index + 1}`, now);
    else if (group.finishedAt !== null && group.thresholdMetAt === null) end(r, 'stopped', `success_threshold_not_met: group ${index + 1}`, now);
  });
  if (isLive(r) && r.groups.every((g) => g.finishedAt !== null && g.thresholdMetAt !== null)) end(r, 'completed', null, now);
}

export function end(r: Rollout, status: 'stopped' | 'completed' | 'aborted', reason: string | null, now: number): void {
  r.status = status;
  r.reason = reason;
  r.finishedAt = now;
}

/**
 * Who starts updating now: waiting speakers of the groups allowed to run (every group up to the
 * first whose success threshold is not yet met), in group order, online ones first (an offline
 * speaker would hold a slot until it times out), no more than the free slots of `maxConcurrent`.
 */
export function nextToStart(r: Rollout, isOnline: (id: string) => boolean): string[] {
  if (r.status !== 'running') return [];
  const free = r.maxConcurrent - countAll(r).updating;
  if (free <= 0) return [];
  const candidates: string[] = [];
  for (const group of r.groups) {
    candidates.push(...group.deviceIds.filter((id) => r.speakers[id]!.state === 'waiting'));
    if (group.thresholdMetAt === null) break;
  }
  const online = candidates.filter(isOnline);
  const offline = candidates.filter((id) => !isOnline(id));
  return [...online, ...offline].slice(0, free);
}

/** Speakers of `ids` still waiting in a live rollout or updating in any: the first such rollout. */
export function overlapping(rollouts: Rollout[], ids: string[]): { rollout: string; count: number } | null {
  const wanted = new Set(ids);
  for (const r of rollouts) {
    const count = Object.entries(r.speakers).filter(([id, sp]) => wanted.has(id) && (sp.state === 'updating' || (sp.state === 'waiting' && isLive(r)))).length;
    if (count > 0) return { rollout: r.id, count };
  }
  return null;
}
