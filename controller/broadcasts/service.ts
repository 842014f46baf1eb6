/** Broadcasts: an officer's audio or stream, to all, villages or speakers, tracked per speaker. */
import type { Media, Priority } from '../../protocol/index.js';
import type { Actor } from '../auth/permissions.js';
import type { Clock } from '../clock.js';
import type { CommandService } from '../commands/service.js';
import type { DeviceRegistry } from '../devices/registry.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';
import { defineErrors } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { newId } from '../ids.js';
import type { MediaLibrary } from '../media/library.js';
import type { Broadcast, Targets } from '../store/records.js';

export const broadcastErrors = defineErrors({
  LOA_BROADCAST_SOURCE: {
    status: 400,
    vi: 'Hãy chọn đúng một nguồn phát: một tệp âm thanh (mediaId) hoặc một luồng trực tiếp (streamUrl).',
    en: 'Choose exactly one source: an audio file (mediaId) or a live stream (streamUrl).',
  },
  LOA_BROADCAST_NO_TARGETS: {
    status: 422,
    vi: 'Không có loa nào đang hoạt động trong phạm vi đã chọn.',
    en: 'No enabled speaker is in the chosen targets.',
  },
  LOA_BROADCAST_WINDOW: {
    status: 400,
    vi: 'Thời hạn phát (notAfter) phải sau thời điểm bắt đầu và sau hiện tại.',
    en: 'notAfter must be after the start time and after now.',
  },
  LOA_BROADCAST_STREAM_URL: {
    status: 400,
    vi: 'Địa chỉ luồng phát phải bắt đầu bằng http:// hoặc https://.',
    en: 'The stream address must start with http:// or https://.',
  },
});

export interface BroadcastInput {
  /** Set by a caller that must never create the same broadcast twice (programme occurrences). */
  id?: string;
  title: string;
  mediaId?: string;
  streamUrl?: string;
  targets: Targets;
  priority: Priority;
  startAt?: number;
  notAfter?: number;
  repeat?: number;
  volume?: number;
}

export interface BroadcastDeps {
  dispatcher: Dispatcher;
  registry: DeviceRegistry;
  library: MediaLibrary;
  commands: CommandService;
  bus: EventBus;
  clock: Clock;
  defaultWindowMs: number;
}

export class BroadcastService {
  constructor(private readonly deps: BroadcastDeps) {}

  async create(actor: Actor, input: BroadcastInput): Promise<Broadcast> {
    const { clock, registry } = this.deps;
    if ((input.mediaId === undefined) === (input.streamUrl === undefined)) throw broadcastErrors.LOA_BROADCAST_SOURCE();
    const now = clock.now();
    const notAfter = input.notAfter ?? (input.startAt ?? now) + this.deps.defaultWindowMs;
    if (notAfter <= now || (input.startAt !== undefined && notAfter <= input.startAt)) throw broadcastErrors.LOA_BROADCAST_WINDOW();
    const deviceIds = registry.resolveTargets(actor, input.targets);
    if (deviceIds.length === 0) throw broadcastErrors.LOA_BROADCAST_NO_TARGETS();
    const id = input.id ?? newId('b');
    const repeat = input.repeat ?? 1;
    const broadcast: Broadcast = {
      kind: 'broadcast',
      id,
      title: input.title,
      priority: input.priority,
      targets: input.targets,
      mediaId: input.mediaId ?? null,
      streamUrl: input.streamUrl ?? null,
      startAt: input.startAt ?? null,
      repeat,
      volume: input.volume ?? null,
      notAfter,
      deviceIds,
      targeted: deviceIds.length,
      createdAt: now,
      createdBy: actor.username,
      commune: actor.commune,
      status: 'active',
      finishedAt: null,
      cancelledBy: null,
      template: {
        v: 1,
        id: '',
        ts: 0,
        type: 'play',
        broadcastId: id,
        priority: input.priority,
        media: this.mediaFor(input, notAfter),
        notAfter,
        repeat,
        ...(input.volume !== undefined ? { volume: input.volume } : {}),
      },
    };
    await this.deps.dispatcher.dispatch(broadcast);
    this.deps.bus.emit('broadcast.created', { id, title: broadcast.title, priority: broadcast.priority, targeted: deviceIds.length, at: now });
    return broadcast;
  }

  /** Stops it everywhere: not-yet-received deliveries end here; devices holding it get a tracked `stop`. */
  async cancel(actor: Actor, broadcast: Broadcast): Promise<void> {
    const holding = this.deps.dispatcher.cancel(broadcast.id, actor.username);
    if (holding.length > 0) await this.deps.commands.send(actor, holding, { type: 'stop', broadcastId: broadcast.id }, broadcast.id);
  }

  private mediaFor(input: BroadcastInput, notAfter: number): Media {
    if (input.streamUrl !== undefined) {
      if (!/^https?:\/\//.test(input.streamUrl)) throw broadcastErrors.LOA_BROADCAST_STREAM_URL();
      return { stream: input.streamUrl };
    }
    const media = this.deps.library.get(input.mediaId!);
    // The signed URL must outlive the play window: devices resume downloads until notAfter.
    return this.deps.library.playable(media, notAfter + media.durationMs * (input.repeat ?? 1));
  }
}
