/**
 * Running a helper program (ffmpeg, espeak-ng): no shell, a hard time limit, optional stdin, and a
 * promise that settles only once the child has exited, so none outlives the clean-up of its files.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface ProcessOptions {
  timeoutMs: number;
  input?: Readable | Buffer;
  signal?: AbortSignal;
  onStderr?: (chunk: string) => void;
}

export interface ProcessResult {
  stdout: Buffer;
  stderr: string;
}

export class ProcessExitError extends Error {
  constructor(
    readonly program: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${program} exited with ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'ProcessExitError';
  }
}

export class ProcessTimeoutError extends Error {
  constructor(
    readonly program: string,
    readonly timeoutMs: number,
  ) {
    super(`${program} was stopped after ${timeoutMs} ms`);
    this.name = 'ProcessTimeoutError';
  }
}

/** The program could not be started: not installed (ENOENT) or not executable (EACCES). */
export function isMissingProgram(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EACCES';
}

// Parsers need both the first events (leading silence) and the last (summaries); the middle may go.
const STDERR_HEAD = 256 * 1024;
const STDERR_TAIL = 1024 * 1024;

export function runProcess(bin: string, args: readonly string[], opts: ProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    // Only PATH is passed on: variables such as FFREPORT must not make a helper write files.
    const child = spawn(bin, args, { stdio: [opts.input ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' }, windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr = new BoundedText(STDERR_HEAD, STDERR_TAIL);
    let stopped: Error | null = null;
    const stop = (reason: Error) => {
      stopped ??= reason;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(new ProcessTimeoutError(bin, opts.timeoutMs)), opts.timeoutMs);
    const onAbort = () => stop(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    child.stdout!.on('data', (b: Buffer) => stdout.push(b));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderr.append(s);
      opts.onStderr?.(s);
    });
    child.once('error', (err) => finish(() => reject(err)));
    child.once('close', (code) => {
      finish(() => {
        if (stopped) reject(stopped);
        else if (code === 0) resolve({ stdout: Buffer.concat(stdout), stderr: stderr.text() });
        else reject(new ProcessExitError(bin, code, stderr.text()));
      });
    });
    if (opts.input) feedStdin(child.stdin!, opts.input);
  });
}

function feedStdin(stdin: Writable, input: Readable | Buffer): void {
  // The program may stop reading early (an error, or it has what it needs): EPIPE is not our failure.
  stdin.on('error', () => {});
  if (Buffer.isBuffer(input)) stdin.end(input);
  else input.pipe(stdin);
}

/** Keeps the first `head` and the last `tail` characters of a long output. */
class BoundedText {
  private headText = '';
  private tailText = '';
  private dropped = false;

  constructor(
    private readonly head: number,
    private readonly tail: number,
  ) {}

  append(s: string): void {
    if (this.headText.length < this.head) {
      const room = this.head - this.headText.length;
      this.headText += s.slice(0, room);
      s = s.slice(room);
    }
    if (!s) return;
    this.tailText += s;
    if (this.tailText.length > this.tail * 2) {
      this.tailText = this.tailText.slice(-this.tail);
      this.dropped = true;
    }
  }

  text(): string {
    const tail = this.tailText.slice(-this.tail);
    return this.headText + (this.dropped || tail.length < this.tailText.length ? '\n[…]\n' : '') + tail;
  }
}
