/**
 * How one speaker's update moves: from its ota command's acks, its births and the clock.
 * Pure functions of its progress record and what presence says; each returns whether it changed.
 */
import type { Delivery, Presence } from '../store/records.js';
import type { Rollout, SpeakerProgress } from './state.js';

type Failure = { code: string; message: string };
type Seen = Pick<Presence, 'fw' | 'session'> | undefined;

export function conclude(sp: SpeakerProgress, state: 'updated' | 'failed' | 'skipped', error: Failure | null, now: number): void {
  sp.state = state;
  sp.error = error;
  sp.finishedAt = now;
}

/** The ota delivery reached `state` (PROTOCOL acknowledgements: other commands go received → done, or failed / rejected). */
export function onDelivery(r: Rollout, sp: SpeakerProgress, state: Delivery['state'], error: Failure | null, seen: Seen, now: number): boolean {
  switch (state) {
    case 'done':
      // PROTOCOL commands: ota = fetch, verify and install; the device then reboots into the new
      // version, so the proof is a birth of a later session carrying it. That birth may come first
      // when the done ack was lost and recovered by a re-send (device rule 1).
      if (seen?.fw === r.version && seen.session > (sp.sentSession ?? -1)) conclude(sp, 'updated', null, now);
      else sp.doneSession = seen?.session ?? -1;
      return true;
    case 'expired':
      conclude(sp, 'failed', { code: 'no_answer', message: error?.message ?? 'no answer before the deadline' }, now);
      return true;
    case 'interrupted':
      conclude(sp, 'skipped', { code: 'cancelled', message: 'cancelled before the speaker acknowledged it' }, now);
      return true;
    case 'failed':
    case 'rejected':
      conclude(sp, 'failed', error ?? { code: state, message: state }, now);
      return true;
    default:
      return false;
  }
}

/** A birth after the install: updated if it carries the new version. */
export function onBirth(r: Rollout, sp: SpeakerProgress, seen: Seen, now: number): boolean {
  if (sp.state !== 'updating' || sp.doneSession === null || !seen || seen.session <= sp.doneSession) return false;
  if (seen.fw === r.version) conclude(sp, 'updated', null, now);
  else conclude(sp, 'failed', { code: 'fw_mismatch', message: `came back with firmware ${seen.fw ?? '?'} instead of ${r.version}` }, now);
  return true;
}

/** Not back with the new firmware within the rollout's timeout: failed. */
export function onTimeout(r: Rollout, sp: SpeakerProgress, now: number): boolean {
  if (sp.state !== 'updating' || sp.startedAt === null || now < sp.startedAt + r.timeoutMs) return false;
  if (sp.doneSession === null) conclude(sp, 'failed', { code: 'timeout', message: 'the update did not finish in time' }, now);
  else conclude(sp, 'failed', { code: 'not_back', message: 'installed, but did not come back with the new firmware in time' }, now);
  return true;
}
