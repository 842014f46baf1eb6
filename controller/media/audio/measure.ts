/** Readings from ffmpeg's own meters (ebur128, silencedetect, astats), parsed from its log. */

export interface Loudness {
  /** Integrated loudness (EBU R128 / ITU-R BS.1770), gated; -70 means nothing above the gate. */
  integratedLufs: number;
  /** Relative gate of the integrated measurement (loudnorm's `measured_thresh`). */
  thresholdLufs: number;
  lraLu: number;
  /** Only when measured with `peak=true`; -Infinity for digital silence. */
  truePeakDbtp: number | null;
}

export interface SilenceSpan {
  startS: number;
  endS: number;
}

/** ebur128 without the per-frame log (10 lines a second would flood the log on long files). */
export function ebur128Filter(truePeak: boolean): string {
  return `ebur128=framelog=verbose${truePeak ? ':peak=true' : ''}`;
}

const NUM = String.raw`(-?(?:inf|\d+(?:\.\d+)?))`;

function num(s: string): number {
  return s === '-inf' ? -Infinity : s === 'inf' ? Infinity : Number(s);
}

/** The last ebur128 summary in `stderr`, or null if there is none. */
export function parseLoudness(stderr: string): Loudness | null {
  const at = stderr.lastIndexOf('Summary:');
  if (at < 0) return null;
  const summary = stderr.slice(at);
  const integrated = new RegExp(String.raw`Integrated loudness:\s*I:\s*${NUM} LUFS\s*Threshold:\s*${NUM} LUFS`).exec(summary);
  const range = new RegExp(String.raw`Loudness range:\s*LRA:\s*${NUM} LU`).exec(summary);
  const peak = new RegExp(String.raw`True peak:\s*Peak:\s*${NUM} dBFS`).exec(summary);
  if (!integrated?.[1] || !integrated[2] || !range?.[1]) return null;
  return {
    integratedLufs: num(integrated[1]),
    thresholdLufs: num(integrated[2]),
    lraLu: num(range[1]),
    truePeakDbtp: peak?.[1] ? num(peak[1]) : null,
  };
}

/** silencedetect's periods; one still open at the end of the stream ends at `totalS`. */
export function parseSilences(stderr: string, totalS: number): SilenceSpan[] {
  const spans: SilenceSpan[] = [];
  for (const m of stderr.matchAll(/silence_(start|end): (-?\d+(?:\.\d+)?)/g)) {
    const t = Number(m[2]);
    if (m[1] === 'start') spans.push({ startS: Math.max(0, t), endS: totalS });
    else if (spans.length) spans[spans.length - 1]!.endS = t;
  }
  return spans;
}

/** astats' overall sample count (per channel), the exact decoded length. */
export function parseSampleCount(stderr: string): number | null {
  const all = [...stderr.matchAll(/Number of samples: (\d+)/g)];
  const last = all.at(-1)?.[1];
  return last ? Number(last) : null;
}

export function dbToAmplitude(db: number): number {
  return 10 ** (db / 20);
}
