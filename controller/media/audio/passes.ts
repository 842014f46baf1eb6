/**
 * The ffmpeg passes of an ingest. Only the first reads the upload; it writes a raw float working copy
 * in the device's rate and channel count, so every later pass reads a file we made ourselves.
 */
import fs from 'node:fs/promises';
import { audioErrors, withCause } from './errors.js';
import { FfmpegExitError, type RunResult } from './ffmpeg.js';
import { dbToAmplitude, ebur128Filter, parseLoudness, parseSampleCount, parseSilences, type Loudness } from './measure.js';
import { normaliseChain, type GainPlan } from './normalise.js';
import { lastLines, uploadInput } from './probe.js';
import { RAW_BYTES_PER_SAMPLE, encoderArgs, rawInputArgs, toProfileFormat, type AudioProfile } from './profile.js';
import { CHIME_GAP_MS, chimeSource } from './tones.js';

/** Runs one pass within the ingest's time budget; `mediaMs` scales its progress. */
export type PassRunner = (args: string[], pass: PassName, mediaMs: number) => Promise<RunResult>;
export type PassName = 'decode' | 'silence' | 'measure' | 'render' | 'verify';

export interface Span {
  startSample: number;
  endSample: number;
}

export interface Decoded {
  samples: number;
  loudness: Loudness;
  /** The demuxer hit a damaged or cut-off packet: the file is truncated or corrupt. */
  readErrors: boolean;
}

const READ_ERROR = /corrupt input packet|\] Read error|^file:[^\n]*: (?:Input\/output error|Invalid data found when processing input)$/m;

/** Pass 1: decode the first audio stream, downmix, resample; stop just past the length limit. */
export async function decodeToRaw(run: PassRunner, input: string, raw: string, profile: AudioProfile, capMs: number, expectMs: number): Promise<Decoded> {
  const graph = `[0:a:0]${toProfileFormat(profile)},asplit=2[keep][meter];[meter]${ebur128Filter(false)},anullsink`;
  const args = ['-y', ...uploadInput(input), '-filter_complex', graph, '-map', '[keep]', '-t', (capMs / 1000).toFixed(3), '-c:a', 'pcm_f32le', '-f', 'f32le', `file:${raw}`];
  let stderr: string;
  try {
    stderr = (await run(args, 'decode', expectMs)).stderr;
  } catch (err) {
    if (err instanceof FfmpegExitError) throw withCause(audioErrors.LOA_AUDIO_CORRUPT(), lastLines(err.stderr));
    throw err;
  }
  const { size } = await fs.stat(raw);
  const loudness = parseLoudness(stderr);
  if (!loudness) throw withCause(audioErrors.LOA_AUDIO_FAILED(), 'no ebur128 summary in the decode pass');
  return { samples: Math.floor(size / RAW_BYTES_PER_SAMPLE), loudness, readErrors: READ_ERROR.test(stderr) };
}

/** Sound is whatever rises above this many dB under the recording's own loudness. */
const SILENCE_BELOW_LU = 30;
const SILENCE_FLOOR_DBFS = { min: -75, max: -35 };
const SILENCE_MIN_S = 0.1;
/** Kept around the speech: the soft start of a first word, the ring of the last. */
export const TRIM_KEEP = { leadMs: 20, tailMs: 50 };

/** Pass 2: where the sound starts and ends, with a threshold relative to the recording's loudness. */
export async function findSound(run: PassRunner, raw: string, profile: AudioProfile, decoded: Decoded): Promise<Span> {
  const thresholdDb = Math.min(SILENCE_FLOOR_DBFS.max, Math.max(SILENCE_FLOOR_DBFS.min, decoded.loudness.integratedLufs - SILENCE_BELOW_LU));
  const graph = `silencedetect=n=${dbToAmplitude(thresholdDb).toExponential(3)}:d=${SILENCE_MIN_S}`;
  const totalS = decoded.samples / profile.sampleRate;
  const { stderr } = await run([...rawInputArgs(profile, raw), '-af', graph, '-f', 'null', '-'], 'silence', totalS * 1000);
  const silences = parseSilences(stderr, totalS);
  const lead = silences[0] && silences[0].startS <= 0.001 ? silences[0].endS : 0;
  const last = silences.at(-1);
  const tail = last && last.endS >= totalS - 0.001 && last.startS > lead ? last.startS : totalS;
  const rate = profile.sampleRate;
  return {
    startSample: Math.max(0, Math.floor((lead - TRIM_KEEP.leadMs / 1000) * rate)),
    endSample: Math.min(decoded.samples, Math.ceil((tail + TRIM_KEEP.tailMs / 1000) * rate)),
  };
}

export interface RenderPlan {
  span: Span;
  gain: GainPlan;
  /** Correction found by checking an earlier render; 0 the first time. */
  extraGainDb: number;
  /** The encoder's own loudness change, undone before it (see codec-gain.ts). */
  codecGainDb: number;
  chime: boolean;
}

/** Pass 4, the second of the two: trim, normalise, optionally put the chime first, encode. */
export async function render(run: PassRunner, raw: string, out: string, profile: AudioProfile, plan: RenderPlan): Promise<void> {
  const speech = `[0:a]${normaliseChain(plan.span, profile, plan.gain, plan.extraGainDb)},${toProfileFormat(profile)}`;
  const gapSamples = Math.round((CHIME_GAP_MS / 1000) * profile.sampleRate);
  const compensate = `volume=${(-plan.codecGainDb).toFixed(2)}dB`;
  const graph = plan.chime
    ? `${speech}[speech];[1:a]${toProfileFormat(profile)},apad=pad_len=${gapSamples}[chime];[chime][speech]concat=n=2:v=0:a=1,${compensate}[out]`
    : `${speech},${compensate}[out]`;
  const inputs = [...rawInputArgs(profile, raw), ...(plan.chime ? ['-f', 'lavfi', '-i', chimeSource(profile.sampleRate)] : [])];
  const mediaMs = ((plan.span.endSample - plan.span.startSample) / profile.sampleRate) * 1000;
  await run(['-y', ...inputs, '-filter_complex', graph, '-map', '[out]', ...encoderArgs(profile), `file:${out}`], 'render', mediaMs);
}

export interface Verified {
  loudness: Loudness;
  samples: number;
}

/** Pass 5: decode what devices will play and measure it again. */
export async function verifyOutput(run: PassRunner, out: string, expectMs: number): Promise<Verified> {
  const { stderr } = await run(['-i', `file:${out}`, '-af', `astats,${ebur128Filter(true)}`, '-f', 'null', '-'], 'verify', expectMs);
  const loudness = parseLoudness(stderr);
  const samples = parseSampleCount(stderr);
  if (!loudness || samples === null) throw withCause(audioErrors.LOA_AUDIO_FAILED(), 'no measurement of the output');
  return { loudness, samples };
}
