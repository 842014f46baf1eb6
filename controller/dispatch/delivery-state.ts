/** How one delivery's state moves on an ack: forward only, every state's time kept. */
import { isTerminal, type Ack } from '../../protocol/index.js';
import type { Delivery, DeliveryState } from '../store/records.js';

const RANK: Record<DeliveryState, number> = {
  pending: 0,
  received: 1,
  downloading: 2,
  ready: 3,
  playing: 4,
  done: 5,
  failed: 5,
  rejected: 5,
  expired: 5,
  interrupted: 5,
};

export function isFinal(state: DeliveryState): boolean {
  return state !== 'pending' && isTerminal(state);
}

/** Applies an ack; returns true when the delivery's state changed. */
export function applyAck(d: Delivery, ack: Ack, now: number): boolean {
  d.at[ack.state] ??= now;
  if (isFinal(d.state) || RANK[ack.state] <= RANK[d.state]) return false;
  d.state = ack.state;
  d.nextRetryAt = null;
  if (ack.error) d.error = { code: ack.error.code, message: ack.error.message };
  if (ack.lateMs !== undefined) d.lateMs = ack.lateMs;
  return true;
}

/** A state the controller concludes itself (expiry without an answer, cancel before delivery). */
export function conclude(d: Delivery, state: 'expired' | 'interrupted', code: string, message: string, now: number): void {
  d.state = state;
  d.at[state] = now;
  d.nextRetryAt = null;
  d.error = { code, message };
}

export function newDelivery(jobId: string, deviceId: string): Delivery {
  return {
    deviceId,
    cmdId: commandId(jobId, deviceId),
    state: 'pending',
    at: {},
    attempts: 0,
    lastSentAt: null,
    nextRetryAt: null,
    error: null,
    lateMs: null,
  };
}

/** One command id per (job, device), stable across restarts so a re-send is the same command. */
export function commandId(jobId: string, deviceId: string): string {
  return `${jobId}~${deviceId}`;
}

export function parseCommandId(cmdId: string): { jobId: string; deviceId: string } | null {
  const i = cmdId.indexOf('~');
  if (i <= 0) return null;
  return { jobId: cmdId.slice(0, i), deviceId: cmdId.slice(i + 1) };
}

export interface DeliverySummary {
  targeted: number;
  /** Devices that acknowledged at least `received`, whatever they reached since. */
  reached: number;
  received: number;
  playing: number;
  done: number;
  failed: number;
  rejected: number;
  expired: number;
  interrupted: number;
  noAnswer: number;
}

export function summarize(deliveries: Iterable<Delivery>): DeliverySummary {
  const s: DeliverySummary = { targeted: 0, reached: 0, received: 0, playing: 0, done: 0, failed: 0, rejected: 0, expired: 0, interrupted: 0, noAnswer: 0 };
  for (const d of deliveries) {
    s.targeted++;
    if (d.at.received !== undefined || RANK[d.state] >= 1) s.reached++;
    switch (d.state) {
      case 'pending':
        s.noAnswer++;
        break;
      case 'received':
      case 'downloading':
      case 'ready':
        s.received++;
        break;
      default:
        s[d.state]++;
    }
  }
  return s;
}
