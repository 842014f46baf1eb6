/** Loading and cancelling a broadcast, shared by the progress and emergency views. */
import { api } from './api.js';
import type { JobSnapshot } from './use-job.js';
import type { Broadcast, Delivery } from './types.js';

export async function loadBroadcast(id: string): Promise<JobSnapshot<Broadcast>> {
  const path = `/api/v1/broadcasts/${encodeURIComponent(id)}`;
  const [job, deliveries] = await Promise.all([api.get<Broadcast>(path), api.get<{ items: Delivery[] }>(`${path}/deliveries`)]);
  return { job, deliveries: deliveries.items };
}

export function cancelBroadcast(id: string): Promise<Broadcast> {
  return api.post<Broadcast>(`/api/v1/broadcasts/${encodeURIComponent(id)}/cancel`);
}
