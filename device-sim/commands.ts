/**
 * What a speaker does with each command, and the acks it sends on the way (PROTOCOL: commands,
 * acknowledgements, device rules 1 to 6).
 */
import type { Ack, Command, DeviceConfig, OtaCommand, PlayCommand } from '../protocol/index.js';
import type { Clock } from './clock.js';
import { DownloadError, type DownloadCache } from './download.js';
import type { DeviceFaults } from './faults.js';
import { download, playStream } from './media.js';
import { Player, type Playback, type PlayRecord } from './player.js';
import { effectiveVolume } from './volume.js';

/** What the runner needs of its device. */
export interface RunnerHost {
  readonly clock: Clock;
  readonly executions: Map<string, number>;
  readonly config: DeviceConfig | null;
  readonly currentFaults: DeviceFaults;
  volume: number;
  muted: boolean;
  fw: string;
  ack(a: Omit<Ack, 'v' | 'ts'>): void;
  publishAck(ack: Ack): void;
  commandReceived(cmd: Command): void;
  addStreamBytes(broadcastId: string, n: number): void;
  reboot(): Promise<void>;
}

export interface RunnerOptions {
  speed: number;
  historyLimit: number;
  cache?: DownloadCache;
}

/** PROTOCOL device rule 1 needs a memory of command ids; a bounded one is enough for retries. */
const REMEMBERED_COMMANDS = 1000;
/** Plays waiting (downloading or queued) beyond this are rejected `busy`. */
const MAX_WAITING_PLAYS = 100;
const SUPPORTED_FORMATS = new Set(['mp3', 'wav']);

type Extra = Partial<Omit<Ack, 'v' | 'ts' | 'cmd' | 'state'>>;

export class CommandRunner {
  readonly player: Player;
  /** Command id → its latest ack (null until the first one). */
  private readonly seen = new Map<string, Ack | null>();
  /** Plays still downloading, so a stop or a reboot can end them too. */
  private readonly preparing = new Map<string, PlayCommand>();
  private readonly tests = new Set<NodeJS.Timeout>();

  constructor(
    private readonly host: RunnerHost,
    private readonly opts: RunnerOptions,
  ) {
    this.player = new Player({
      clock: host.clock,
      playLengthMs: (cmd) => ('durationMs' in cmd.media ? (cmd.media.durationMs * cmd.repeat) / opts.speed : Infinity),
      effectiveVolume: (cmd) => effectiveVolume(cmd, { volume: host.volume, muted: host.muted, config: host.config, now: host.clock.now() }),
      begin: (cmd) => this.begin(cmd),
      report: (cmd, state, extra) => this.ack(cmd.id, state, { broadcastId: cmd.broadcastId, ...extra }),
    });
  }

  get plays(): PlayRecord[] {
    return this.player.plays;
  }

  get playing(): string | null {
    return this.player.playing;
  }

  receive(cmd: Command, receivedAt: number): void {
    // PROTOCOL device rule 1: a command id is carried out once; a repeat only re-publishes its latest ack.
    if (this.seen.has(cmd.id)) {
      const latest = this.seen.get(cmd.id);
      if (latest) this.host.publishAck(latest);
      return;
    }
    this.seen.set(cmd.id, null);
    if (this.seen.size > REMEMBERED_COMMANDS) this.seen.delete(this.seen.keys().next().value as string);
    this.countExecution(cmd.id);
    this.host.commandReceived(cmd);
    this.carryOut(cmd, receivedAt);
  }

  remember(ack: Ack): void {
    if (this.seen.has(ack.cmd)) this.seen.set(ack.cmd, ack);
  }

  /** Before a reboot: whatever plays, waits or downloads ends interrupted. */
  interruptAll(): void {
    for (const cmd of this.preparing.values()) this.ack(cmd.id, 'interrupted', { broadcastId: cmd.broadcastId });
    this.preparing.clear();
    this.player.interruptAll();
  }

  /** The simulator stops: everything ends silently. */
  powerOff(): void {
    this.preparing.clear();
    this.player.reset();
    for (const t of this.tests) clearTimeout(t);
    this.tests.clear();
  }

  private countExecution(id: string): void {
    const executions = this.host.executions;
    executions.set(id, (executions.get(id) ?? 0) + 1);
    if (executions.size > this.opts.historyLimit) executions.delete(executions.keys().next().value as string);
  }

  private carryOut(cmd: Command, receivedAt: number): void {
    switch (cmd.type) {
      case 'play':
        return void this.play(cmd);
      case 'stop':
        return this.simple(cmd.id, () => this.stop(cmd.broadcastId), cmd.broadcastId);
      case 'volume':
        return this.simple(cmd.id, () => {
          this.host.volume = cmd.volume;
          if (cmd.muted !== undefined) this.host.muted = cmd.muted;
        });
      case 'test':
        return this.testTone(cmd.id, cmd.durationMs);
      case 'reboot':
        this.simple(cmd.id, () => undefined);
        return void this.host.reboot();
      case 'ota':
        return void this.ota(cmd);
      case 'time':
        this.ack(cmd.id, 'received');
        return this.ack(cmd.id, 'done', { t1: receivedAt, t2: this.host.clock.now() });
    }
  }

  /** Other commands: received → done. */
  private simple(id: string, act: () => void, broadcastId?: string): void {
    const extra = broadcastId === undefined ? {} : { broadcastId };
    this.ack(id, 'received', extra);
    act();
    this.ack(id, 'done', extra);
  }

  private stop(broadcastId?: string): void {
    if (broadcastId !== undefined) {
      for (const cmd of [...this.preparing.values()].filter((c) => c.broadcastId === broadcastId)) {
        this.preparing.delete(cmd.id);
        this.ack(cmd.id, 'interrupted', { broadcastId });
      }
    }
    this.player.stop(broadcastId);
  }

  private testTone(id: string, durationMs: number): void {
    this.ack(id, 'received');
    if (this.host.currentFaults.ampFault) return this.ack(id, 'failed', { error: { code: 'amp_fault', message: 'amplifier fault / lỗi bộ khuếch đại' } });
    const timer = setTimeout(() => {
      this.tests.delete(timer);
      this.ack(id, 'done');
    }, durationMs / this.opts.speed);
    this.tests.add(timer);
  }

  /** play: received → downloading → ready → (queue) → playing → done; a stream skips the download. */
  private async play(cmd: PlayCommand): Promise<void> {
    const extra = { broadcastId: cmd.broadcastId };
    // PROTOCOL device rule 4: past notAfter on arrival, it ends expired.
    if (cmd.notAfter < this.host.clock.now()) return this.ack(cmd.id, 'expired', extra);
    if (this.preparing.size + this.player.queued >= MAX_WAITING_PLAYS) return this.ack(cmd.id, 'rejected', { ...extra, error: { code: 'busy', message: 'too many plays waiting' } });
    this.ack(cmd.id, 'received', extra);
    if ('stream' in cmd.media) return this.player.enqueue(cmd);
    if (!SUPPORTED_FORMATS.has(cmd.media.format)) return this.ack(cmd.id, 'failed', { ...extra, error: { code: 'unsupported_format', message: cmd.media.format } });
    this.preparing.set(cmd.id, cmd);
    this.ack(cmd.id, 'downloading', extra);
    // PROTOCOL device rule 5: with startAt, download at once; the player waits for the clock.
    const failure = await this.fetchMedia(cmd.media.url, cmd.media.sha256, () => this.host.clock.now() > cmd.notAfter);
    // Stopped or rebooted while downloading: already acked interrupted.
    if (!this.preparing.delete(cmd.id)) return;
    if (failure) return this.ack(cmd.id, 'failed', { ...extra, error: failure });
    this.ack(cmd.id, 'ready', extra);
    this.player.enqueue(cmd);
  }

  private async fetchMedia(url: string, sha: string, giveUp?: () => boolean): Promise<{ code: string; message: string } | null> {
    try {
      await download({ faults: () => this.host.currentFaults, ...(this.opts.cache ? { cache: this.opts.cache } : {}) }, url, sha, giveUp);
      return null;
    } catch (err) {
      return { code: err instanceof DownloadError ? err.code : 'download_failed', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private begin(cmd: PlayCommand): Playback | { failed: string } {
    if (this.host.currentFaults.ampFault) return { failed: 'amp_fault' };
    if (!('stream' in cmd.media)) return { abort: () => undefined };
    return playStream(cmd.media.stream, (n) => this.host.addStreamBytes(cmd.broadcastId, n));
  }

  /** ota: received → done after the firmware is fetched and verified, then a reboot into `version`. */
  private async ota(cmd: OtaCommand): Promise<void> {
    this.ack(cmd.id, 'received');
    const failure = this.host.currentFaults.otaFail
      ? { code: 'install_failed', message: 'simulated firmware install failure' }
      : await this.fetchMedia(cmd.url, cmd.sha256);
    if (failure) return this.ack(cmd.id, 'failed', { error: failure });
    this.ack(cmd.id, 'done');
    this.host.fw = cmd.version;
    await this.host.reboot();
  }

  private ack(cmd: string, state: Ack['state'], extra: Extra = {}): void {
    this.host.ack({ cmd, state, ...extra });
  }
}

/** An invalid command is still answered when it carries an id (PROTOCOL: rejected/invalid_command). */
export function commandIdOf(payload: Buffer): string | null {
  try {
    const id = (JSON.parse(payload.toString()) as { id?: unknown }).id;
    return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : null;
  } catch {
    return null;
  }
}
