/**
 * Going live and relaying radio: each opens a channel the controller serves, and one broadcast
 * whose `play` carries the channel's signed stream URL, so speakers pull from the controller and
 * never each from the internet. When the channel ends (the officer stops, the source dies) the
 * broadcast is cancelled, which stops it on every speaker; a dead source is reported as such.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { inScope, type Actor } from '../auth/permissions.js';
import type { BroadcastService } from '../broadcasts/service.js';
import type { Clock } from '../clock.js';
import { commonErrors, defineErrors } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { newId } from '../ids.js';
import { DEFAULT_PROFILE, encoderArgs, RELAY_PROTOCOLS, spawnFfmpeg, type FfmpegInfo } from '../media/audio/index.js';
import { UrlSigner } from '../media/signing.js';
import type { Priority } from '../../protocol/index.js';
import type { Targets } from '../store/records.js';
import type { Store } from '../store/store.js';
import { LiveChannel, type ChannelState } from './channel.js';

export const liveErrors = defineErrors({
  LOA_LIVE_UNAVAILABLE: {
    status: 503,
    vi: 'Chưa phát trực tiếp được trên máy chủ này (thiếu ffmpeg). Báo kỹ thuật viên cài ffmpeg.',
    en: 'Live broadcasting is unavailable on this server (no ffmpeg). Ask a technician to install ffmpeg.',
  },
  LOA_LIVE_ENDED: {
    status: 409,
    vi: 'Buổi phát trực tiếp này đã kết thúc.',
    en: 'This live broadcast has already ended.',
  },
  LOA_RELAY_HOST: {
    status: 403,
    vi: 'Không được tiếp sóng từ máy chủ "{host}": chỉ các đài đã cấu hình ({allowed}).',
    en: 'Relaying from "{host}" is not allowed: only the configured stations ({allowed}).',
  },
  LOA_LIVE_LIMIT: {
    status: 429,
    vi: 'Đang có {count} buổi phát trực tiếp hoặc tiếp sóng; hãy dừng bớt trước khi mở thêm.',
    en: '{count} live or relayed streams are already running; stop one before opening another.',
  },
});

/** What a live source sends: a container ffmpeg recognises (webm, ogg, wav, mp3), or raw 16-bit PCM. */
export type SourceFormat = { kind: 'auto' } | { kind: 's16le'; sampleRate: number };

export interface StreamInput {
  title: string;
  targets: Targets;
  priority: Priority;
  volume?: number;
}

/** A relay; a programme's relay item also fixes the broadcast id, when it starts and for how long. */
export interface RelayInput extends StreamInput {
  url: string;
  id?: string;
  startAt?: number;
  notAfter?: number;
  durationMs?: number;
}

interface Source {
  kind: 'live' | 'relay';
  url: string | null;
  inputArgs: string[];
  stdin: boolean;
  protocols?: string;
}

export interface LiveView {
  id: string;
  kind: 'live' | 'relay';
  title: string;
  state: ChannelState;
  reason: string | null;
  source: string | null;
  broadcastId: string;
  startedAt: number;
  endedAt: number | null;
  bytesIn: number;
  bytesOut: number;
  listeners: number;
  createdBy: string;
  commune: string | null;
}

interface Session {
  id: string;
  kind: 'live' | 'relay';
  title: string;
  source: string | null;
  broadcastId: string;
  startedAt: number;
  actor: Actor;
  channel: LiveChannel;
}

export interface LiveDeps {
  ff: FfmpegInfo | null;
  broadcasts: BroadcastService;
  store: Store;
  bus: EventBus;
  clock: Clock;
  publicBase: () => string;
  /** How long a new source may take to send its first audio (an officer allowing the microphone). */
  waitMs: number;
  stallMs: number;
  maxChannels: number;
  /** How long a live broadcast may run before speakers' stream URLs expire. */
  maxHours: number;
  /** Hosts a relay may pull from (LOA_RELAY_HOSTS); empty: any. */
  relayHosts: string[];
}

const STREAM_FILE = /^([a-z0-9-]{1,64})\.mp3$/;
const LISTENER_EVENT_MS = 1000;
const KEEP_ENDED_MS = 24 * 3_600_000;

export class LiveService {
  private readonly sessions = new Map<string, Session>();
  // Stream URLs live no longer than their channel, which dies with the process: a process key is enough.
  private readonly signer = new UrlSigner(randomBytes(32));
  private readonly listenerEvents = new Map<string, NodeJS.Timeout>();
  private readonly offJobs: () => void;

  constructor(private readonly deps: LiveDeps) {
    this.offJobs = deps.bus.on('job.finished', (e) => this.onJobFinished(e.jobId, e.status));
  }

  /** An officer goes live; audio arrives on the ingest socket. */
  openLive(actor: Actor, input: StreamInput, format: SourceFormat): Promise<LiveView> {
    const inputArgs = format.kind === 's16le' ? ['-f', 's16le', '-ar', String(format.sampleRate), '-ac', '1', '-i', 'pipe:0'] : ['-i', 'pipe:0'];
    return this.open(actor, input, { kind: 'live', url: null, inputArgs, stdin: true });
  }

  /** A radio channel relayed through the controller. */
  async openRelay(actor: Actor, input: RelayInput): Promise<LiveView> {
    this.checkRelayHost(input.url);
    // ffmpeg keeps a dropped HTTP stream going on its own; if it cannot, the channel fails.
    const inputArgs = ['-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5', '-rw_timeout', String(this.deps.stallMs * 1000), '-i', input.url];
    const view = await this.open(actor, input, { kind: 'relay', url: input.url, inputArgs, stdin: false, protocols: RELAY_PROTOCOLS });
    if (input.durationMs !== undefined) this.endAt(view.id, (input.startAt ?? this.deps.clock.now()) + input.durationMs);
    return view;
  }

  feed(actor: Actor, id: string, chunk: Buffer): boolean {
    return this.find(actor, id).channel.feed(chunk);
  }

  /** The officer's source closed: what is buffered plays out, then the broadcast ends. */
  sourceClosed(actor: Actor, id: string): void {
    this.find(actor, id).channel.finish();
  }

  async stop(actor: Actor, id: string): Promise<LiveView> {
    const s = this.find(actor, id);
    if (!s.channel.live) throw liveErrors.LOA_LIVE_ENDED();
    s.channel.end('ended', `stopped by ${actor.username}`);
    return this.view(s);
  }

  get(actor: Actor, id: string): LiveView {
    return this.view(this.find(actor, id));
  }

  list(actor: Actor): LiveView[] {
    return [...this.sessions.values()].filter((s) => inScope(actor, s.actor.commune)).map((s) => this.view(s));
  }

  /** A speaker's GET of a stream URL; false when the signature does not hold. */
  serve(file: string, exp: number, sig: string, res: ServerResponse): boolean {
    const id = STREAM_FILE.exec(file)?.[1];
    const s = id ? this.sessions.get(id) : undefined;
    if (!s || !this.signer.verify(file, exp, sig, this.deps.clock.now())) return false;
    s.channel.listen(res);
    return true;
  }

  stopAll(): void {
    this.offJobs();
    for (const timer of this.listenerEvents.values()) clearTimeout(timer);
    for (const s of this.sessions.values()) s.channel.end('ended', 'controller_stopped');
  }

  /** The controller pulls what an officer names: where configured, only from the stations allowed. */
  private checkRelayHost(url: string): void {
    const allowed = this.deps.relayHosts;
    const host = new URL(url).hostname.toLowerCase();
    if (allowed.length > 0 && !allowed.includes(host)) throw liveErrors.LOA_RELAY_HOST({ host, allowed: allowed.join(', ') });
  }

  private endAt(id: string, at: number): void {
    const timer = setTimeout(() => this.sessions.get(id)?.channel.end('ended', 'duration_reached'), Math.max(0, at - this.deps.clock.now()));
    timer.unref();
  }

  private async open(actor: Actor, input: StreamInput & Pick<RelayInput, 'id' | 'startAt' | 'notAfter'>, source: Source): Promise<LiveView> {
    const ff = this.deps.ff;
    if (!ff) throw liveErrors.LOA_LIVE_UNAVAILABLE();
    this.forgetOld();
    const running = [...this.sessions.values()].filter((s) => s.channel.live).length;
    if (running >= this.deps.maxChannels) throw liveErrors.LOA_LIVE_LIMIT({ count: running });
    const id = newId(source.kind);
    const now = this.deps.clock.now();
    const notAfter = input.notAfter ?? now + this.deps.maxHours * 3_600_000;
    const urlExpires = Math.max(notAfter, now + this.deps.maxHours * 3_600_000);
    const file = `${id}.mp3`;
    const streamUrl = `${this.deps.publicBase()}/live/${file}?exp=${urlExpires}&sig=${this.signer.sign(file, urlExpires)}`;
    const broadcastId = input.id ?? newId('b');
    const args = [...QUICK_START, ...source.inputArgs, '-vn', '-af', LEVELLER, ...encoderArgs(DEFAULT_PROFILE), '-flush_packets', '1', 'pipe:1'];
    const proc = spawnFfmpeg(ff, args, { stdin: source.stdin, ...(source.protocols ? { protocols: source.protocols } : {}) });
    const channel = new LiveChannel(proc, {
      waitMs: this.deps.waitMs,
      stallMs: this.deps.stallMs,
      now: () => this.deps.clock.now(),
      // Called from later events only, once `session` exists.
      onChange: () => this.changed(session),
      onListeners: () => this.listenersChanged(session),
    });
    const session: Session = { id, kind: source.kind, title: input.title, source: source.url, broadcastId, startedAt: now, actor, channel };
    this.sessions.set(id, session);
    try {
      const { title, targets, priority, volume, startAt } = input;
      await this.deps.broadcasts.create(actor, { id: broadcastId, title, streamUrl, targets, priority, notAfter, ...(volume !== undefined ? { volume } : {}), ...(startAt !== undefined ? { startAt } : {}) });
    } catch (err) {
      session.channel.end('failed', 'broadcast_refused');
      this.sessions.delete(id);
      throw err;
    }
    return this.view(session);
  }

  private changed(s: Session): void {
    this.deps.bus.emit('live.state', this.view(s));
    if (!s.channel.live) void this.stopBroadcast(s);
  }

  /** At most one event a second per stream: a thousand speakers join within moments. */
  private listenersChanged(s: Session): void {
    if (this.listenerEvents.has(s.id) || !s.channel.live) return;
    const timer = setTimeout(() => {
      this.listenerEvents.delete(s.id);
      if (s.channel.live) this.deps.bus.emit('live.state', this.view(s));
    }, LISTENER_EVENT_MS);
    timer.unref();
    this.listenerEvents.set(s.id, timer);
  }

  /** A live broadcast cancelled from anywhere (its broadcast page, an API call) ends its stream. */
  private onJobFinished(jobId: string, status: string): void {
    if (status !== 'cancelled') return;
    for (const s of this.sessions.values()) if (s.broadcastId === jobId) s.channel.end('ended', 'broadcast_cancelled');
  }

  private async stopBroadcast(s: Session): Promise<void> {
    const broadcast = this.deps.store.broadcasts.get(s.broadcastId);
    if (broadcast?.status === 'active') await this.deps.broadcasts.cancel(s.actor, broadcast).catch(() => undefined);
  }

  private find(actor: Actor, id: string): Session {
    const s = this.sessions.get(id);
    if (!s || !inScope(actor, s.actor.commune)) throw commonErrors.LOA_NOT_FOUND({ what: 'buổi phát trực tiếp / live stream', id });
    return s;
  }

  private view(s: Session): LiveView {
    const c = s.channel;
    return {
      id: s.id,
      kind: s.kind,
      title: s.title,
      state: c.state,
      reason: c.reason,
      source: s.source,
      broadcastId: s.broadcastId,
      startedAt: s.startedAt,
      endedAt: c.endedAt,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      listeners: c.listenerCount,
      createdBy: s.actor.username,
      commune: s.actor.commune,
    };
  }

  private forgetOld(): void {
    const before = this.deps.clock.now() - KEEP_ENDED_MS;
    for (const [id, s] of this.sessions) if (!s.channel.live && (s.channel.endedAt ?? 0) < before) this.sessions.delete(id);
  }
}

/** Every village at one loudness, live too: a leveller with a short window (a few hundred ms of delay), then a limiter under full scale. */
const LEVELLER = 'dynaudnorm=f=100:g=5:p=0.7,alimiter=limit=0.84';
/** Start from the first kilobytes: by default ffmpeg reads seconds of a stream before it writes anything. */
const QUICK_START = ['-fflags', '+nobuffer', '-probesize', '32768', '-analyzeduration', '500000'];
