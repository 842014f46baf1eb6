/** Text to speech: any engine that turns Vietnamese text into a WAV file. */

export interface TtsVoice {
  id: string;
  /** Shown to officers: Vietnamese first. */
  name: string;
  language: string;
}

export interface SynthesizeOptions {
  voice?: string;
  /** Speaking speed relative to the engine's normal: 1 normal, 0.8 slower, 1.2 faster. */
  rate?: number;
}

export interface TtsProvider {
  id: string;
  voices(): Promise<TtsVoice[]>;
  synthesize(text: string, opts: SynthesizeOptions, outWavPath: string): Promise<void>;
}

export const RATE_RANGE = { min: 0.5, max: 2 };

export function clampRate(rate: number | undefined): number {
  if (rate === undefined || !Number.isFinite(rate)) return 1;
  return Math.min(RATE_RANGE.max, Math.max(RATE_RANGE.min, rate));
}
