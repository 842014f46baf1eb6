/**
 * How an emergency is sent and followed. For now a priority-3 broadcast; when the alerts API
 * (/api/v1/alerts: hazards, risk levels, CAP) is wired in, only this sender changes.
 */
import { api } from './api.js';
import { cancelBroadcast, loadBroadcast } from './broadcast-job.js';
import type { JobSnapshot } from './use-job.js';
import type { Broadcast, Targets } from './types.js';

export interface EmergencyPlan {
  title: string;
  mediaId: string;
  targets: Targets;
  volume: number;
  repeat: number;
}

export interface EmergencySender {
  send(plan: EmergencyPlan): Promise<{ id: string }>;
  load(id: string): Promise<JobSnapshot<Broadcast>>;
  cancel(id: string): Promise<unknown>;
}

export const EMERGENCY_PRIORITY = 3;

export const broadcastEmergency: EmergencySender = {
  // PROTOCOL priorities: 3 is an emergency — it plays at once, before everything, even muted or in quiet hours.
  send: (plan) => api.post<Broadcast>('/api/v1/broadcasts', { ...plan, priority: EMERGENCY_PRIORITY }),
  load: loadBroadcast,
  cancel: cancelBroadcast,
};

export const emergencySender: EmergencySender = broadcastEmergency;
