/**
 * Text to broadcast media: split, speak each part, join with sentence pauses, then ingest like any
 * upload, so spoken text is trimmed and normalised exactly as a recording would be.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { audioErrors } from '../errors.js';
import { runFfmpeg, type FfmpegInfo } from '../ffmpeg.js';
import { ingestAudio, type IngestResult } from '../ingest.js';
import type { AudioProfile, LoudnessTarget } from '../profile.js';
import type { TtsProvider } from './provider.js';
import { splitSentences } from './split.js';

export interface SynthesizeToMediaOptions {
  provider: TtsProvider;
  ff: FfmpegInfo;
  text: string;
  voice?: string;
  rate?: number;
  workDir: string;
  maxDurationMs: number;
  /** The longest text accepted (default 5000 characters). */
  maxTextChars?: number;
  /** The longest part sent to the engine at once (default 400 characters). */
  partChars?: number;
  prependChime?: boolean;
  profile?: AudioProfile;
  loudness?: LoudnessTarget;
  timeoutMs?: number;
  onProgress?: (pct: number) => void;
  signal?: AbortSignal;
}

export const TTS_DEFAULTS = { maxTextChars: 5000, partChars: 400 };
/** A sentence's pause between parts spoken separately. */
export const PART_GAP_MS = 350;
const JOIN_RATE = 24_000;

export async function synthesizeToMedia(opts: SynthesizeToMediaOptions): Promise<IngestResult> {
  const parts = checkedParts(opts);
  const id = randomBytes(8).toString('hex');
  const partFiles = parts.map((_, i) => path.join(opts.workDir, `tts-${id}-${i}.wav`));
  const joined = path.join(opts.workDir, `tts-${id}.wav`);
  try {
    for (const [i, part] of parts.entries()) {
      await opts.provider.synthesize(part, { voice: opts.voice, rate: opts.rate }, partFiles[i]!);
      opts.onProgress?.(Math.floor(((i + 1) / parts.length) * 20));
    }
    await joinParts(opts.ff, partFiles, joined, opts.timeoutMs ?? 60_000);
    return await ingestAudio({
      ff: opts.ff,
      inputPath: joined,
      workDir: opts.workDir,
      profile: opts.profile,
      loudness: opts.loudness,
      maxDurationMs: opts.maxDurationMs,
      timeoutMs: opts.timeoutMs,
      prependChime: opts.prependChime,
      signal: opts.signal,
      onProgress: opts.onProgress && ((pct) => opts.onProgress!(20 + Math.floor(pct * 0.8))),
    });
  } finally {
    await Promise.all([joined, ...partFiles].map((f) => fs.rm(f, { force: true })));
  }
}

function checkedParts(opts: SynthesizeToMediaOptions): string[] {
  const maxText = opts.maxTextChars ?? TTS_DEFAULTS.maxTextChars;
  const text = opts.text.normalize('NFC').trim();
  if (!text) throw audioErrors.LOA_TTS_EMPTY_TEXT();
  if (text.length > maxText) throw audioErrors.LOA_TTS_TEXT_TOO_LONG({ limit: maxText });
  return splitSentences(text, opts.partChars ?? TTS_DEFAULTS.partChars);
}

/** One WAV from the parts, each brought to one format and followed by a pause. */
async function joinParts(ff: FfmpegInfo, files: string[], out: string, timeoutMs: number): Promise<void> {
  const pad = Math.round((PART_GAP_MS / 1000) * JOIN_RATE);
  const format = `aformat=sample_fmts=s16:sample_rates=${JOIN_RATE}:channel_layouts=mono`;
  const chains = files.map((_, i) => `[${i}:a]${format}${i < files.length - 1 ? `,apad=pad_len=${pad}` : ''}[p${i}]`);
  const graph = `${chains.join(';')};${files.map((_, i) => `[p${i}]`).join('')}concat=n=${files.length}:v=0:a=1[out]`;
  const inputs = files.flatMap((f) => ['-i', `file:${f}`]);
  await runFfmpeg(ff, ['-y', ...inputs, '-filter_complex', graph, '-map', '[out]', '-c:a', 'pcm_s16le', '-f', 'wav', `file:${out}`], { timeoutMs });
}
