/** Remote device commands (volume, test tone, stop, reboot), each tracked per device like any delivery. */
import type { Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { newId } from '../ids.js';
import type { CommandJob } from '../store/records.js';

export type DeviceCommand =
  | { type: 'volume'; volume: number; muted?: boolean }
  | { type: 'test'; durationMs: number }
  | { type: 'stop'; broadcastId?: string }
  | { type: 'reboot' };

/** Commands are worth sending for this long; a device offline longer gets none. */
const COMMAND_WINDOW_MS = 10 * 60_000;

export class CommandService {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
  ) {}

  async send(actor: Actor, deviceIds: string[], command: DeviceCommand, forBroadcast: string | null = null): Promise<CommandJob> {
    const { type, ...params } = command;
    const now = this.clock.now();
    const job: CommandJob = {
      kind: 'command',
      id: newId('c'),
      type,
      params,
      forBroadcast,
      deviceIds,
      targeted: deviceIds.length,
      createdAt: now,
      createdBy: actor.username,
      commune: actor.commune,
      notAfter: now + COMMAND_WINDOW_MS,
      status: 'active',
      finishedAt: null,
    };
    await this.dispatcher.dispatch(job);
    return job;
  }
}
