/**
 * espeak-ng, run as a separate program (it is GPL-3.0): offline Vietnamese voices for the north,
 * centre and south. Robotic, but always there, even without internet.
 */
import { audioErrors, withCause } from '../errors.js';
import { ProcessExitError, isMissingProgram, runProcess } from '../process.js';
import { clampRate, type SynthesizeOptions, type TtsProvider, type TtsVoice } from './provider.js';

export const ESPEAK_VOICES: readonly TtsVoice[] = [
  { id: 'vi', name: 'Giọng Bắc / Northern', language: 'vi' },
  { id: 'vi-vn-x-central', name: 'Giọng Trung / Central', language: 'vi' },
  { id: 'vi-vn-x-south', name: 'Giọng Nam / Southern', language: 'vi' },
];

export interface EspeakOptions {
  bin?: string;
  timeoutMs?: number;
  /** Words per minute at rate 1; announcements are read slower than espeak's 175. */
  wordsPerMinute?: number;
}

export class EspeakProvider implements TtsProvider {
  readonly id = 'espeak-ng';
  private readonly bin: string;
  private readonly timeoutMs: number;
  private readonly wordsPerMinute: number;

  constructor(opts: EspeakOptions = {}) {
    this.bin = opts.bin ?? 'espeak-ng';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.wordsPerMinute = opts.wordsPerMinute ?? 150;
  }

  /** The provider if the program runs here, else null (the caller says TTS is unavailable). */
  static async detect(opts: EspeakOptions = {}): Promise<EspeakProvider | null> {
    const provider = new EspeakProvider(opts);
    try {
      await runProcess(provider.bin, ['--version'], { timeoutMs: 10_000 });
      return provider;
    } catch {
      return null;
    }
  }

  /** The Vietnamese voices this installation really has. */
  async voices(): Promise<TtsVoice[]> {
    const { stdout } = await this.run(['--voices=vi']);
    const installed = new Set(stdout.toString().split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]?.toLowerCase()));
    return ESPEAK_VOICES.filter((v) => installed.has(v.id));
  }

  async synthesize(text: string, opts: SynthesizeOptions, outWavPath: string): Promise<void> {
    const voice = opts.voice ?? 'vi';
    if (!ESPEAK_VOICES.some((v) => v.id === voice)) {
      throw audioErrors.LOA_TTS_UNKNOWN_VOICE({ voice, voices: ESPEAK_VOICES.map((v) => v.id).join(', ') });
    }
    const wpm = Math.round(this.wordsPerMinute * clampRate(opts.rate));
    // The text goes in on stdin (-b 1: UTF-8): never parsed as options, no length limit of argv.
    await this.run(['-v', voice, '-s', String(wpm), '-b', '1', '-w', outWavPath, '--stdin'], Buffer.from(text, 'utf8'));
  }

  private async run(args: string[], input?: Buffer): Promise<{ stdout: Buffer }> {
    try {
      return await runProcess(this.bin, args, { timeoutMs: this.timeoutMs, input });
    } catch (err) {
      if (isMissingProgram(err)) throw withCause(audioErrors.LOA_TTS_UNAVAILABLE({ provider: this.id }), err);
      if (err instanceof ProcessExitError) throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), err.message);
      throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), err);
    }
  }
}
