/**
 * One live stream the controller serves to speakers: an ffmpeg process turns whatever comes in
 * (a browser's MediaRecorder chunks, a desk microphone's raw audio, a radio channel's URL) into the
 * device profile's MP3, and every listening speaker gets the same bytes from the moment it joins
 * (MP3 frames resynchronise, so joining mid-stream plays cleanly).
 */
import type { ChildProcess } from 'node:child_process';
import type { ServerResponse } from 'node:http';

export type ChannelState = 'waiting' | 'on-air' | 'ended' | 'failed';

export interface ChannelOptions {
  /** No first audio out within this long and the source counts as dead. */
  waitMs: number;
  /** No audio out for this long once on air and the source counts as dead. */
  stallMs: number;
  now: () => number;
  onChange: () => void;
  /** A speaker joined or left. */
  onListeners: () => void;
}

/** A speaker whose connection cannot keep up this far behind is let go (it reconnects on its own). */
const MAX_LISTENER_BACKLOG = 512 * 1024;
const STDERR_TAIL = 2000;

export class LiveChannel {
  state: ChannelState = 'waiting';
  reason: string | null = null;
  bytesIn = 0;
  bytesOut = 0;
  endedAt: number | null = null;
  private readonly listeners = new Set<ServerResponse>();
  private lastAudioAt: number;
  private stderr = '';
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    private readonly proc: ChildProcess,
    private readonly opts: ChannelOptions,
  ) {
    this.lastAudioAt = opts.now();
    proc.stdout!.on('data', (chunk: Buffer) => this.audio(chunk));
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (s: string) => (this.stderr = (this.stderr + s).slice(-STDERR_TAIL)));
    proc.stdin?.on('error', () => undefined);
    proc.once('close', (code) => this.closed(code));
    this.watchdog = setInterval(() => this.checkStall(), Math.min(1000, opts.stallMs / 4));
    this.watchdog.unref();
  }

  get live(): boolean {
    return this.state === 'waiting' || this.state === 'on-air';
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Source bytes (live sources only); false once the channel has ended. */
  feed(chunk: Buffer): boolean {
    if (!this.live || !this.proc.stdin) return false;
    this.bytesIn += chunk.byteLength;
    this.proc.stdin.write(chunk);
    return true;
  }

  listen(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'audio/mpeg', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    if (!this.live) return void res.end();
    this.listeners.add(res);
    this.opts.onListeners();
    res.once('close', () => {
      this.listeners.delete(res);
      this.opts.onListeners();
    });
  }

  /** The source has finished: what ffmpeg still holds is played out, then every speaker's stream ends. */
  finish(): void {
    if (!this.live) return;
    if (this.proc.stdin) this.proc.stdin.end();
    else this.end('ended', null);
  }

  /** Ends at once (an officer's stop, a dead source). */
  end(state: 'ended' | 'failed', reason: string | null): void {
    if (!this.live) return;
    this.state = state;
    this.reason = reason;
    this.endedAt = this.opts.now();
    clearInterval(this.watchdog);
    this.proc.kill('SIGKILL');
    for (const res of this.listeners) res.end();
    this.listeners.clear();
    this.opts.onChange();
  }

  private audio(chunk: Buffer): void {
    this.lastAudioAt = this.opts.now();
    this.bytesOut += chunk.byteLength;
    if (this.state === 'waiting') {
      this.state = 'on-air';
      this.opts.onChange();
    }
    for (const res of this.listeners) {
      if (res.writableLength > MAX_LISTENER_BACKLOG) res.destroy();
      else res.write(chunk);
    }
  }

  private checkStall(): void {
    const silentMs = this.opts.now() - this.lastAudioAt;
    if (this.state === 'waiting' && silentMs > this.opts.waitMs) this.end('failed', 'no_audio');
    if (this.state === 'on-air' && silentMs > this.opts.stallMs) this.end('failed', 'stalled');
  }

  private closed(code: number | null): void {
    if (!this.live) return;
    if (code === 0) this.end('ended', null);
    else this.end('failed', `source_failed: ${this.stderr.trim().split('\n').at(-1) ?? `exit ${code}`}`.slice(0, 300));
  }
}
