/**
 * Tones made by ffmpeg from expressions (nothing downloaded): an attention chime before
 * announcements and a sweeping emergency siren, both in the device profile.
 */
import { encoderArgs, DEFAULT_PROFILE, type AudioProfile } from './profile.js';
import { runFfmpeg, type FfmpegInfo } from './ffmpeg.js';

export interface ToneOptions {
  profile?: AudioProfile;
  timeoutMs?: number;
}

/** Three falling notes, G5 E5 C5, each struck softly and ringing out like a bell. */
const CHIME_NOTES = [
  { hz: 784, atS: 0, decay: 3.2 },
  { hz: 659.25, atS: 0.42, decay: 3.2 },
  { hz: 523.25, atS: 0.84, decay: 2.4 },
];
export const CHIME_MS = 1900;
/** Silence between the chime and the speech that follows it. */
export const CHIME_GAP_MS = 300;
// About -16 LUFS, as loud as the speech it announces, so a file with a chime still measures on target.
const CHIME_AMPLITUDE = 0.45;
const FADE_S = 0.15;

function note({ hz, atS, decay }: (typeof CHIME_NOTES)[number]): string {
  const t = `(t-${atS})`;
  // A 5 ms attack avoids a click; an octave overtone at a third of the level gives it a bell's colour.
  const envelope = `gte(t,${atS})*(1-exp(-${t}*200))*exp(-${decay}*${t})`;
  return `${envelope}*(sin(2*PI*${hz}*${t})+0.3*sin(4*PI*${hz}*${t}))`;
}

/** A lavfi source (for `-f lavfi -i …`) that plays the chime at `sampleRate`, mono. */
export function chimeSource(sampleRate: number): string {
  const expr = `${CHIME_AMPLITUDE}*(${CHIME_NOTES.map(note).join('+')})`;
  return `aevalsrc=${escapeExpr(expr)}:s=${sampleRate}:c=mono:d=${CHIME_MS / 1000},afade=t=out:st=${CHIME_MS / 1000 - FADE_S}:d=${FADE_S}`;
}

export async function makeChime(ff: FfmpegInfo, outPath: string, opts: ToneOptions = {}): Promise<void> {
  const profile = opts.profile ?? DEFAULT_PROFILE;
  await runFfmpeg(ff, ['-y', '-f', 'lavfi', '-i', chimeSource(profile.sampleRate), ...encoderArgs(profile), `file:${outPath}`], { timeoutMs: opts.timeoutMs ?? 30_000 });
}

/** Wail: a tone sweeping 600–1300 Hz and back every 3 s, the sound people know as "danger". */
const SIREN = { lowHz: 600, highHz: 1300, periodS: 3, amplitude: 0.24 };

export function sirenSource(sampleRate: number, durationMs: number): string {
  const { lowHz, highHz, periodS, amplitude } = SIREN;
  const mid = (lowHz + highHz) / 2;
  const depth = (highHz - lowHz) / 2;
  // The phase is the integral of the frequency mid - depth·cos(2πt/T), so the sweep has no jumps.
  const phase = `2*PI*(${mid}*t-${depth}*${periodS}/(2*PI)*sin(2*PI*t/${periodS}))`;
  const d = durationMs / 1000;
  const fade = Math.min(0.2, d / 4);
  return `aevalsrc=${escapeExpr(`${amplitude}*sin(${phase})`)}:s=${sampleRate}:c=mono:d=${d},afade=t=in:d=${fade},afade=t=out:st=${d - fade}:d=${fade}`;
}

export async function makeSiren(ff: FfmpegInfo, outPath: string, durationMs: number, opts: ToneOptions = {}): Promise<void> {
  if (!(durationMs >= 500 && durationMs <= 600_000)) throw new RangeError('siren duration must be 0.5 s to 10 min');
  const profile = opts.profile ?? DEFAULT_PROFILE;
  await runFfmpeg(ff, ['-y', '-f', 'lavfi', '-i', sirenSource(profile.sampleRate, durationMs), ...encoderArgs(profile), `file:${outPath}`], {
    timeoutMs: opts.timeoutMs ?? 30_000 + durationMs,
  });
}

/** Commas separate filter options in a graph: inside an expression they must be escaped. */
function escapeExpr(expr: string): string {
  return expr.replace(/,/g, '\\,');
}
