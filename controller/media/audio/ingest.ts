/**
 * Ingest: any recording an officer brings becomes a file every speaker plays the same way:
 * MP3 mono 64 kbps, two-pass EBU R128 normalised, starting with the first word.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { LoaError } from '../../errors.js';
import { audioErrors, withCause } from './errors.js';
import { FfmpegExitError, runFfmpeg, type FfmpegInfo } from './ffmpeg.js';
import { codecGainDb } from './codec-gain.js';
import { planGain } from './normalise.js';
import { decodeToRaw, findSound, type Decoded, type PassName, type PassRunner, type RenderPlan, type Span } from './passes.js';
import { renderVerified } from './verify.js';
import { probeUpload, type ProbeInfo } from './probe.js';
import { DEFAULT_LOUDNESS, DEFAULT_PROFILE, type AudioProfile, type LoudnessTarget } from './profile.js';

export interface IngestOptions {
  ff: FfmpegInfo;
  inputPath: string;
  workDir: string;
  profile?: AudioProfile;
  loudness?: LoudnessTarget;
  maxDurationMs: number;
  /** For the whole ingest; default: as long as the longest allowed recording plays. */
  timeoutMs?: number;
  onProgress?: (pct: number) => void;
  trimSilence?: boolean;
  prependChime?: boolean;
  signal?: AbortSignal;
}

/**
 * PROTOCOL commands, `play`: media = {url, sha256, bytes, durationMs, format}; all but the url come
 * from here. PROTOCOL device rule 6: devices check the bytes against sha256 before playing.
 */
export interface IngestResult {
  path: string;
  sha256: string;
  bytes: number;
  durationMs: number;
  format: 'mp3';
  sampleRate: number;
  channels: number;
  bitrateKbps: number;
  /** Container and codec of the upload, e.g. `mov/aac`, `ogg/opus`. */
  inputFormat: string;
  loudnessLufs: number;
  truePeakDbtp: number;
}

const MIN_TIMEOUT_MS = 60_000;
const MIN_SOUND_MS = 500;
/** How far the header's length may exceed what decodes before we call the file truncated. */
const TRUNCATION = { ratio: 0.9, slackMs: 500 };
/** Share of the progress bar each pass takes (render encodes MP3 through loudnorm at 192 kHz). */
const PASS_WEIGHT: Record<PassName, number> = { decode: 0.2, silence: 0.05, measure: 0.15, render: 0.5, verify: 0.1 };

export async function ingestAudio(opts: IngestOptions): Promise<IngestResult> {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  const target = opts.loudness ?? DEFAULT_LOUDNESS;
  const timeoutMs = opts.timeoutMs ?? Math.max(MIN_TIMEOUT_MS, opts.maxDurationMs);
  const runner = passRunner(opts, timeoutMs);

  const probe = await probeUpload(opts.ff, opts.inputPath, timeoutMs);
  checkProbe(probe, opts.maxDurationMs);
  const id = randomBytes(12).toString('hex');
  const raw = path.join(opts.workDir, `ingest-${id}.f32`);
  const out = path.join(opts.workDir, `audio-${id}.mp3`);
  try {
    const expectMs = Math.min(probe.durationMs ?? opts.maxDurationMs, opts.maxDurationMs);
    const decoded = await decodeToRaw(runner.run, opts.inputPath, raw, profile, opts.maxDurationMs + 500, expectMs);
    checkDecoded(probe, decoded, profile, opts.maxDurationMs);
    const span: Span = opts.trimSilence === false ? { startSample: 0, endSample: decoded.samples } : await findSound(runner.run, raw, profile, decoded);
    // EBU R128 gates 400 ms blocks: anything shorter cannot be measured, let alone announced.
    if (span.endSample - span.startSample < (MIN_SOUND_MS / 1000) * profile.sampleRate) throw audioErrors.LOA_AUDIO_TOO_SHORT();
    const gain = await planGain({ run: runner.run, raw, profile, span }, target);
    const plan: RenderPlan = { span, gain, extraGainDb: 0, codecGainDb: await codecGainDb(opts.ff, profile), chime: opts.prependChime === true };
    const verified = await renderVerified({ run: runner.run, raw, out, profile, target }, plan);
    const { sha256, bytes } = await hashFile(out);
    runner.report(100);
    return {
      path: out,
      sha256,
      bytes,
      durationMs: Math.round((verified.samples / profile.sampleRate) * 1000),
      format: 'mp3',
      sampleRate: profile.sampleRate,
      channels: profile.channels,
      bitrateKbps: profile.bitrateKbps,
      inputFormat: `${probe.container}/${probe.audio[0]?.codec ?? 'unknown'}`,
      loudnessLufs: verified.loudness.integratedLufs,
      truePeakDbtp: verified.loudness.truePeakDbtp ?? -Infinity,
    };
  } catch (err) {
    await fs.rm(out, { force: true });
    throw err;
  } finally {
    await fs.rm(raw, { force: true });
  }
}

function checkProbe(probe: ProbeInfo, maxDurationMs: number): void {
  if (probe.audio.length === 0) throw probe.video.length > 0 ? audioErrors.LOA_AUDIO_VIDEO_ONLY() : audioErrors.LOA_AUDIO_NOT_AUDIO();
  // A header that declares far too long a recording is refused before decoding it; pass 1 has the final word.
  const declared = probe.durationMs ?? 0;
  if (declared > maxDurationMs * (probe.durationEstimated ? 1.1 : 1) + 1000) throw tooLong(maxDurationMs);
}

function checkDecoded(probe: ProbeInfo, decoded: Decoded, profile: AudioProfile, maxDurationMs: number): void {
  const decodedMs = (decoded.samples / profile.sampleRate) * 1000;
  if (decoded.samples === 0 || decoded.readErrors) throw audioErrors.LOA_AUDIO_CORRUPT();
  if (decodedMs > maxDurationMs) throw tooLong(maxDurationMs);
  const declared = probe.durationEstimated ? null : probe.durationMs;
  if (declared !== null && decodedMs < declared * TRUNCATION.ratio - TRUNCATION.slackMs) {
    throw withCause(audioErrors.LOA_AUDIO_CORRUPT(), `header says ${declared} ms, decoded ${Math.round(decodedMs)} ms`);
  }
  // -70 LUFS is the absolute gate: nothing in the file is louder than that.
  if (decoded.loudness.integratedLufs <= -69.9) throw audioErrors.LOA_AUDIO_SILENT();
}

function tooLong(maxDurationMs: number): LoaError {
  return audioErrors.LOA_AUDIO_TOO_LONG({ limitMinutes: +(maxDurationMs / 60_000).toFixed(1) });
}

interface Runner {
  run: PassRunner;
  report(pct: number): void;
}

/** Gives each pass what is left of the time budget, and turns its media time into overall progress. */
function passRunner(opts: IngestOptions, timeoutMs: number): Runner {
  const deadline = performance.now() + timeoutMs;
  const passes = Object.keys(PASS_WEIGHT) as PassName[];
  let reported = -1;
  const report = (pct: number) => {
    const rounded = Math.floor(Math.min(100, pct));
    if (rounded > reported) {
      reported = rounded;
      opts.onProgress?.(rounded);
    }
  };
  const run: PassRunner = async (args, pass, mediaMs) => {
    const before = passes.slice(0, passes.indexOf(pass)).reduce((sum, p) => sum + PASS_WEIGHT[p], 0);
    const left = deadline - performance.now();
    if (left <= 0) throw audioErrors.LOA_AUDIO_TIMEOUT({ seconds: Math.round(timeoutMs / 1000) });
    try {
      return await runFfmpeg(opts.ff, args, {
        timeoutMs: left,
        signal: opts.signal,
        onProgress: (outMs) => report((before + PASS_WEIGHT[pass] * Math.min(1, outMs / Math.max(1, mediaMs))) * 100),
      });
    } catch (err) {
      throw normalizeRunError(err, pass, timeoutMs);
    }
  };
  return { run, report };
}

function normalizeRunError(err: unknown, pass: PassName, timeoutMs: number): unknown {
  if (err instanceof LoaError && err.code === 'LOA_AUDIO_TIMEOUT') return audioErrors.LOA_AUDIO_TIMEOUT({ seconds: Math.round(timeoutMs / 1000) });
  // After the decode pass ffmpeg reads only our own working copy: a failure there is ours, not the officer's.
  if (err instanceof FfmpegExitError && pass !== 'decode') return withCause(audioErrors.LOA_AUDIO_FAILED(), err.message);
  return err;
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
