/**
 * Finding and running ffmpeg: no shell, arguments as arrays, a hard time limit on every run,
 * and inputs restricted to local files and pipes (no http, concat or playlist tricks).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { audioErrors, withCause } from './errors.js';
import { ProcessExitError, ProcessTimeoutError, isMissingProgram, runProcess } from './process.js';

export interface FfmpegInfo {
  path: string;
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | 'PATH';
  version: string;
}

export interface RunOptions {
  timeoutMs: number;
  /** Fed to ffmpeg's stdin; name the input `pipe:0`. */
  input?: Readable | Buffer;
  /** Media time ffmpeg has written so far, from its progress line. */
  onProgress?: (outTimeMs: number) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
}

/** ffmpeg ran but failed; `stderr` is kept for classification and logs, never shown to officers. */
export class FfmpegExitError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`ffmpeg exited with ${exitCode}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
    this.name = 'FfmpegExitError';
  }
}

const VERSION_TIMEOUT_MS = 10_000;

type Candidate = [FfmpegInfo['source'], () => Promise<string | null>];

/** In order: FFMPEG_PATH, ffmpeg-static, @ffmpeg-installer/ffmpeg, PATH; the first binary that runs wins. */
export async function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegInfo | null> {
  const candidates: Candidate[] = [
    ['FFMPEG_PATH', async () => env.FFMPEG_PATH || null],
    ['ffmpeg-static', () => importDefault('ffmpeg-static', (m) => (typeof m === 'string' ? m : null))],
    ['@ffmpeg-installer/ffmpeg', () => importDefault('@ffmpeg-installer/ffmpeg', pathField)],
    ['PATH', async () => 'ffmpeg'],
  ];
  for (const [source, locate] of candidates) {
    const bin = await locate();
    const version = bin ? await versionOf(bin) : null;
    if (bin && version) return { path: bin, source, version };
  }
  return null;
}

async function importDefault(name: string, pick: (mod: unknown) => string | null): Promise<string | null> {
  try {
    // A variable specifier: ffmpeg-static is an optional dependency that may be absent.
    const mod = (await import(name)) as { default?: unknown };
    return pick(mod.default);
  } catch {
    return null;
  }
}

function pathField(m: unknown): string | null {
  const p = (m as { path?: unknown } | undefined)?.path;
  return typeof p === 'string' ? p : null;
}

async function versionOf(bin: string): Promise<string | null> {
  try {
    const { stdout } = await runProcess(bin, ['-hide_banner', '-version'], { timeoutMs: VERSION_TIMEOUT_MS });
    return /ffmpeg version (\S+)/.exec(stdout.toString())?.[1] ?? null;
  } catch {
    return null;
  }
}

/** `-i` for a local file: the `file:` prefix stops a name like `http:x` or `-y` being read as anything else. */
export function fileInput(filePath: string): string[] {
  return ['-i', `file:${filePath}`];
}

/**
 * Runs ffmpeg with `-hide_banner`, `-nostdin` (unless stdin carries the input) and
 * `-protocol_whitelist file,pipe` before every input. Killed at `timeoutMs` (LOA_AUDIO_TIMEOUT);
 * a missing binary is LOA_AUDIO_NO_FFMPEG; a non-zero exit is FfmpegExitError.
 */
export async function runFfmpeg(ff: FfmpegInfo, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const full = ['-hide_banner', ...(opts.input ? [] : ['-nostdin']), ...whitelistInputs(args)];
  try {
    return await runProcess(ff.path, full, { timeoutMs: opts.timeoutMs, input: opts.input, signal: opts.signal, onStderr: opts.onProgress && progressReader(opts.onProgress) });
  } catch (err) {
    if (err instanceof ProcessExitError) throw new FfmpegExitError(err.exitCode, err.stderr);
    if (err instanceof ProcessTimeoutError) throw withCause(audioErrors.LOA_AUDIO_TIMEOUT({ seconds: Math.round(opts.timeoutMs / 1000) }), err.message);
    if (isMissingProgram(err)) throw withCause(audioErrors.LOA_AUDIO_NO_FFMPEG(), err);
    throw err;
  }
}

/** Protocols a relay may read: a radio channel over HTTP(S), nothing local, no playlists of files. */
export const RELAY_PROTOCOLS = 'http,https,tcp,tls';

/**
 * A long-running ffmpeg (a live source, a relay) whose stdout streams out. No time limit: the
 * caller ends it. Inputs are whitelisted as in runFfmpeg, to `protocols` (default file,pipe).
 */
export function spawnFfmpeg(ff: FfmpegInfo, args: readonly string[], opts: { stdin: boolean; protocols?: string }): ChildProcess {
  const full = ['-hide_banner', '-loglevel', 'error', ...(opts.stdin ? [] : ['-nostdin']), ...whitelistInputs(args, opts.protocols)];
  return spawn(ff.path, full, { stdio: [opts.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' }, windowsHide: true });
}

function whitelistInputs(args: readonly string[], protocols = 'file,pipe'): string[] {
  // Placed last before each -i, so it wins over any earlier protocol_whitelist for that input.
  return args.flatMap((arg) => (arg === '-i' ? ['-protocol_whitelist', protocols, arg] : [arg]));
}

const PROGRESS = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g;

function progressReader(onProgress: (ms: number) => void): (chunk: string) => void {
  let carry = '';
  return (chunk) => {
    // A progress line may be split across chunks: look at the end of the previous one too.
    const last = [...(carry + chunk).matchAll(PROGRESS)].at(-1);
    carry = chunk.slice(-40);
    if (last) onProgress(Math.round((Number(last[1]) * 3600 + Number(last[2]) * 60 + Number(last[3])) * 1000));
  };
}
