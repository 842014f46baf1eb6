/**
 * Render, then measure what devices will really play, and correct. The encoder moves peaks in ways
 * a plan cannot see: dense limited audio comes out up to ~3 dB hotter (measured on the bench's
 * speech-like noise), sharp clicks come out lower. So each render is measured, the next one adjusted,
 * and of the tries the best one that respects the ceiling is kept.
 */
import fs from 'node:fs/promises';
import { planGain } from './normalise.js';
import { render, verifyOutput, type PassRunner, type RenderPlan, type Verified } from './passes.js';
import type { AudioProfile, LoudnessTarget } from './profile.js';

/** Within this of the target loudness a render is kept as it is. */
const LOUDNESS_TOLERANCE_LU = 0.5;
/** The encoder's overshoot varies a little between renders: aim this much further under. */
const PEAK_SAFETY_DB = 0.3;
const MAX_RENDERS = 3;

interface Try {
  file: string;
  plan: RenderPlan;
  verified: Verified;
}

export interface RenderJob {
  run: PassRunner;
  raw: string;
  out: string;
  profile: AudioProfile;
  target: LoudnessTarget;
}

/** Leaves exactly one file, `job.out`, on success; none of its tries on failure. */
export async function renderVerified(job: RenderJob, first: RenderPlan): Promise<Verified> {
  const tries: Try[] = [];
  const files: string[] = [];
  try {
    let plan: RenderPlan | null = first;
    for (let attempt = 1; plan && attempt <= MAX_RENDERS; attempt++) {
      files.push(attempt === 1 ? job.out : job.out.replace(/\.mp3$/, `-try${attempt}.mp3`));
      tries.push(await renderOnce(job, plan, files.at(-1)!));
      plan = attempt < MAX_RENDERS ? await nextPlan(job, tries, attempt) : null;
    }
    const best = pickBest(tries, job.target);
    if (best.file !== job.out) await fs.rename(best.file, job.out);
    await Promise.all(files.filter((f) => f !== job.out).map((f) => fs.rm(f, { force: true })));
    return best.verified;
  } catch (err) {
    await Promise.all(files.map((f) => fs.rm(f, { force: true })));
    throw err;
  }
}

async function renderOnce(job: RenderJob, plan: RenderPlan, file: string): Promise<Try> {
  const mediaMs = ((plan.span.endSample - plan.span.startSample) / job.profile.sampleRate) * 1000;
  await render(job.run, job.raw, file, job.profile, plan);
  return { file, plan, verified: await verifyOutput(job.run, file, mediaMs) };
}

function misses(t: Try, target: LoudnessTarget): { miss: number; room: number } {
  return {
    miss: target.targetLufs - t.verified.loudness.integratedLufs,
    room: target.truePeakDbtp - (t.verified.loudness.truePeakDbtp ?? -Infinity),
  };
}

/**
 * The next plan, or null when a try is good enough. Second try: the gain that fixes the loudness as
 * far as the peaks allow (always under the ceiling). Third: limit harder so the full loudness fits,
 * which the encoder does not always reward (harder-limited audio overshoots more); the best try wins.
 */
async function nextPlan(job: RenderJob, tries: Try[], attempt: number): Promise<RenderPlan | null> {
  const best = pickBest(tries, job.target);
  if (isGood(best, job.target)) return null;
  const first = tries[0]!;
  const { miss, room } = misses(first, job.target);
  // How far the peaks stand in the way of correcting the loudness with a plain gain.
  const deficit = miss - (room - PEAK_SAFETY_DB);
  if (attempt === 1) return { ...first.plan, extraGainDb: first.plan.extraGainDb + Math.min(miss, room - PEAK_SAFETY_DB) };
  if (deficit <= 0) return null;
  const src = { run: job.run, raw: job.raw, profile: job.profile, span: first.plan.span };
  const gain = await planGain(src, job.target, { peakMarginDb: first.plan.gain.peakMarginDb + deficit, previous: first.plan.gain });
  return { ...first.plan, gain };
}

function isGood(t: Try, target: LoudnessTarget): boolean {
  const { miss, room } = misses(t, target);
  return Math.abs(miss) <= LOUDNESS_TOLERANCE_LU && room >= 0;
}

/** Of the tries under the ceiling, the closest to the target loudness; if none is, the lowest peak. */
function pickBest(tries: Try[], target: LoudnessTarget): Try {
  const under = tries.filter((t) => misses(t, target).room >= 0);
  if (under.length) return under.reduce((a, b) => (Math.abs(misses(b, target).miss) < Math.abs(misses(a, target).miss) ? b : a));
  return tries.reduce((a, b) => (misses(b, target).room > misses(a, target).room ? b : a));
}
