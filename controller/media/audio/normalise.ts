/**
 * Two-pass EBU R128 normalisation that stays linear. loudnorm's `linear=true` applies one constant
 * gain only when the measured true peak leaves room for it; otherwise it silently switches to its
 * dynamic mode, which on speech (peak-to-loudness ratio ~18 dB) landed 2.1 LU under the target here.
 * So when the gain would push peaks past the ceiling, a peak limiter runs first and is measured
 * again; the final constant gain then fits. ffmpeg 4.1's loudnorm also ignores the measured values
 * for inputs under 3 s, so those get the same constant gain from `volume`.
 */
import { ebur128Filter, parseLoudness, dbToAmplitude, type Loudness } from './measure.js';
import { audioErrors, withCause } from './errors.js';
import { rawInputArgs, type AudioProfile, type LoudnessTarget } from './profile.js';
import type { PassRunner, Span } from './passes.js';

/**
 * MP3 at 64 kbps moves peaks: about +0.5 dB on speech here, up to +3 dB on densely limited noise.
 * Plans aim this far under the ceiling; verify.ts measures the encoded file and corrects the rest.
 */
export const CODEC_PEAK_MARGIN_DB = 1;
/** The limiter stops this far under the aim, leaving the final gain room to correct the loudness. */
const LIMITER_HEADROOM_DB = 0.5;
/** Secant steps on the limiter's input gain; each is one measuring pass. */
const MAX_LIMITER_STEPS = 4;
/** Short of the target by up to the headroom, the final gain closes the gap; a little over costs nothing. */
const CLOSE_ENOUGH_LU = { under: LIMITER_HEADROOM_DB, over: 1 };
/** Past this much extra drive the limiter would audibly squash speech; accept a quieter result. */
const MAX_EXTRA_DRIVE_DB = 9;
/** ffmpeg 4.1 loudnorm uses its own one-pass estimate below this length. */
const LOUDNORM_MIN_MS = 3000;

export interface GainPlan {
  /** How far under the ceiling this plan aims peaks (at least CODEC_PEAK_MARGIN_DB). */
  peakMarginDb: number;
  /** The span as it is, before any limiting. */
  plain: Loudness;
  /** Gain into the limiter, or null when no limiter is needed. */
  driveDb: number | null;
  /** Filters before the gain: empty, or a drive gain and a peak limiter. */
  pre: string;
  /** Loudness of the span after `pre`. */
  measured: Loudness;
  /** The constant gain that brings `measured` to the target without passing the peak aim. */
  gainDb: number;
}

function peakAim(target: LoudnessTarget, marginDb: number): number {
  return target.truePeakDbtp - marginDb;
}

function trim(span: Span): string {
  return `atrim=start_sample=${span.startSample}:end_sample=${span.endSample},asetpts=PTS-STARTPTS`;
}

function spanMs(span: Span, profile: AudioProfile): number {
  return ((span.endSample - span.startSample) / profile.sampleRate) * 1000;
}

/** Loudness of `span` after the `pre` filters: the first pass of the two. */
export async function measureSpan(run: PassRunner, raw: string, profile: AudioProfile, span: Span, pre = ''): Promise<Loudness> {
  const chain = [trim(span), pre, ebur128Filter(true)].filter(Boolean).join(',');
  const { stderr } = await run([...rawInputArgs(profile, raw), '-af', chain, '-f', 'null', '-'], 'measure', spanMs(span, profile));
  const loudness = parseLoudness(stderr);
  if (!loudness || loudness.truePeakDbtp === null) throw withCause(audioErrors.LOA_AUDIO_FAILED(), 'no ebur128 summary in a measuring pass');
  return loudness;
}

function fitGain(measured: Loudness, target: LoudnessTarget, marginDb: number): number {
  return Math.min(target.targetLufs - measured.integratedLufs, peakAim(target, marginDb) - (measured.truePeakDbtp ?? 0));
}

function limiter(driveDb: number, ceilingDbtp: number): string {
  // level=false: alimiter's default "auto level" would raise everything back up to the limit.
  return `volume=${driveDb.toFixed(2)}dB,alimiter=limit=${dbToAmplitude(ceilingDbtp).toFixed(4)}:attack=5:release=50:level=false`;
}

/** The span of the working copy being normalised, and how to run passes over it. */
export interface SpanSource {
  run: PassRunner;
  raw: string;
  profile: AudioProfile;
  span: Span;
}

export interface PlanOptions {
  /** Raised when an encoded result still came out over the ceiling. */
  peakMarginDb?: number;
  /** A plan being redone: its measurements and limiter drive are reused as a starting point. */
  previous?: GainPlan;
}

export async function planGain(src: SpanSource, target: LoudnessTarget, opts: PlanOptions = {}): Promise<GainPlan> {
  const peakMarginDb = opts.peakMarginDb ?? CODEC_PEAK_MARGIN_DB;
  const plain = opts.previous?.plain ?? (await measureSpan(src.run, src.raw, src.profile, src.span));
  // Nothing above the -70 LUFS gate: a gain "to the target" would be a huge boost of noise.
  if (plain.integratedLufs <= -69.9) throw audioErrors.LOA_AUDIO_SILENT();
  const wanted = target.targetLufs - plain.integratedLufs;
  if ((plain.truePeakDbtp ?? 0) + wanted <= peakAim(target, peakMarginDb)) return { peakMarginDb, plain, driveDb: null, pre: '', measured: plain, gainDb: wanted };
  // Aiming peaks lower at the same loudness takes about that much more drive into the limiter.
  const startDrive = opts.previous?.driveDb != null ? opts.previous.driveDb + (peakMarginDb - opts.previous.peakMarginDb) : wanted;
  return planLimited(src, target, plain, peakMarginDb, startDrive);
}

/** Finds the drive into the limiter at which the limited span reaches the target loudness. */
async function planLimited(src: SpanSource, target: LoudnessTarget, plain: Loudness, peakMarginDb: number, startDrive: number): Promise<GainPlan> {
  const ceiling = peakAim(target, peakMarginDb) - LIMITER_HEADROOM_DB;
  const maxDrive = target.targetLufs - plain.integratedLufs + MAX_EXTRA_DRIVE_DB;
  // A virtual first point gives the first secant step a slope of 1.
  let points: Array<{ drive: number; lufs: number }> = [{ drive: startDrive - 100, lufs: plain.integratedLufs - 100 }];
  let drive = Math.min(maxDrive, startDrive);
  let best: GainPlan | null = null;
  for (let step = 0; step < MAX_LIMITER_STEPS; step++) {
    const pre = limiter(drive, ceiling);
    const measured = await measureSpan(src.run, src.raw, src.profile, src.span, pre);
    best = { peakMarginDb, plain, driveDb: drive, pre, measured, gainDb: fitGain(measured, target, peakMarginDb) };
    const miss = target.targetLufs - measured.integratedLufs;
    if ((miss <= CLOSE_ENOUGH_LU.under && -miss <= CLOSE_ENOUGH_LU.over) || drive >= maxDrive) break;
    points = [points.at(-1)!, { drive, lufs: measured.integratedLufs }];
    drive = Math.min(maxDrive, nextDrive(points, target.targetLufs));
  }
  return best!;
}

/** Secant step: limiting eats part of every extra dB of drive, so follow the measured slope. */
function nextDrive(points: Array<{ drive: number; lufs: number }>, targetLufs: number): number {
  const [a, b] = points as [{ drive: number; lufs: number }, { drive: number; lufs: number }];
  const slope = (b.lufs - a.lufs) / (b.drive - a.drive);
  const safeSlope = Number.isFinite(slope) && slope > 0.05 ? Math.min(1, slope) : 1;
  return b.drive + (targetLufs - b.lufs) / safeSlope;
}

/** The second pass's filters for the span: trim, `pre`, then the constant gain. */
export function normaliseChain(span: Span, profile: AudioProfile, plan: GainPlan, extraGainDb = 0): string {
  const gain = plan.gainDb + extraGainDb;
  const steps = [trim(span), plan.pre];
  if (spanMs(span, profile) >= LOUDNORM_MIN_MS) {
    // loudnorm's linear mode with the measured values: the gain is target − measured_I, so the target
    // is set to where that gain lands; its peak aim is the same one the plan respected.
    steps.push(loudnorm(plan.measured, plan.measured.integratedLufs + gain, admittedPeak(plan, gain)), `aresample=${profile.sampleRate}`);
  } else {
    steps.push(`volume=${gain.toFixed(2)}dB`);
  }
  return steps.filter(Boolean).join(',');
}

/** loudnorm's TP target, from -9 to 0: at least the peak the gain produces, so linear mode is admitted. */
function admittedPeak(plan: GainPlan, gain: number): number {
  return Math.min(0, Math.max(-9, (plan.measured.truePeakDbtp ?? -9) + gain + 0.01));
}

function loudnorm(measured: Loudness, targetLufs: number, tpDbtp: number): string {
  const f = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v)).toFixed(2);
  return [
    `loudnorm=I=${f(targetLufs, -70, -5)}`,
    `TP=${f(tpDbtp, -9, 0)}`,
    // The widest range loudnorm accepts: we match loudness, we do not compress speech here.
    'LRA=20',
    `measured_I=${f(measured.integratedLufs, -99, 0)}`,
    `measured_TP=${f(measured.truePeakDbtp ?? 99, -99, 99)}`,
    // loudnorm reads LRA 0 as "not measured", and an LRA over its target as a reason to compress;
    // either would send it into dynamic mode. A steady tone truly measures 0.
    `measured_LRA=${f(measured.lraLu, 0.1, 20)}`,
    `measured_thresh=${f(measured.thresholdLufs, -99, 0)}`,
    'linear=true',
  ].join(':');
}
