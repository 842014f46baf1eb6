/**
 * Remote operations on a village, a list of speakers or the whole area: one tracked command job,
 * read back per speaker as done / failed (with the device's code, e.g. amp_fault) / no answer.
 */
import type { Actor } from '../auth/permissions.js';
import type { CommandService, DeviceCommand } from '../commands/service.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { PresenceTracker } from '../dispatch/presence.js';
import type { CommandView, JobViews } from '../jobs/views.js';
import type { Delivery, Targets } from '../store/records.js';
import { fleetOpsErrors } from './errors.js';

export type OperationResult = 'done' | 'failed' | 'no_answer' | 'in_progress' | 'cancelled';

export interface SpeakerResult {
  deviceId: string;
  result: OperationResult;
  /** The delivery's own state, as the dispatcher keeps it. */
  state: Delivery['state'];
  error: Delivery['error'];
  attempts: number;
  online: boolean;
  at: number | null;
}

export type OperationView = Omit<CommandView, 'deliveries'> & {
  counts: Record<OperationResult, number>;
  results: SpeakerResult[];
};

const DEFAULT_TEST_MS = 3000;

export class OperationService {
  constructor(private readonly deps: { registry: DeviceRegistry; commands: CommandService; jobs: JobViews; presence: PresenceTracker }) {}

  async send(actor: Actor, targets: Targets, command: OperationCommand): Promise<OperationView> {
    const ids = this.deps.registry.resolveTargets(actor, targets);
    if (ids.length === 0) throw fleetOpsErrors.LOA_NO_TARGETS();
    const job = await this.deps.commands.send(actor, ids, toDeviceCommand(command));
    return this.get(actor, job.id);
  }

  async get(actor: Actor, id: string): Promise<OperationView> {
    const { deliveries, ...job } = await this.deps.jobs.command(id, actor);
    const results = deliveries.map((d) => this.result(d)).sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const counts: Record<OperationResult, number> = { done: 0, failed: 0, no_answer: 0, in_progress: 0, cancelled: 0 };
    for (const r of results) counts[r.result]++;
    return { ...job, counts, results };
  }

  private result(d: Delivery): SpeakerResult {
    const at = Object.values(d.at).reduce<number | null>((m, t) => (t !== undefined && (m === null || t > m) ? t : m), null);
    return { deviceId: d.deviceId, result: resultOf(d), state: d.state, error: d.error, attempts: d.attempts, online: this.deps.presence.isOnline(d.deviceId), at };
  }
}

export type OperationCommand =
  | { type: 'volume'; volume: number; muted?: boolean }
  | { type: 'test'; durationMs?: number }
  | { type: 'stop' }
  | { type: 'reboot' };

function toDeviceCommand(c: OperationCommand): DeviceCommand {
  return c.type === 'test' ? { type: 'test', durationMs: c.durationMs ?? DEFAULT_TEST_MS } : c;
}

/** PROTOCOL acknowledgements: other commands go received → done, or failed / rejected; none yet is "no answer". */
function resultOf(d: Delivery): OperationResult {
  switch (d.state) {
    case 'done':
      return 'done';
    case 'failed':
    case 'rejected':
      return 'failed';
    case 'pending':
    case 'expired':
      return 'no_answer';
    case 'interrupted':
      return 'cancelled';
    default:
      return 'in_progress';
  }
}
