/** Media spoken from text: split at sentences, spoken, joined, normalised like any upload, the text kept beside it. */
import { synthesizeToMedia, type FfmpegInfo, type TtsProvider } from './audio/index.js';
import type { Actor } from '../auth/permissions.js';
import { defineErrors } from '../errors.js';
import type { MediaRecord } from '../store/records.js';
import type { MediaLibrary } from './library.js';

export const speechErrors = defineErrors({
  LOA_TTS_UNAVAILABLE: {
    status: 503,
    vi: 'Máy chủ chưa đọc được văn bản thành giọng nói (chưa cài espeak-ng hoặc dịch vụ TTS). Hãy dùng tệp âm thanh.',
    en: 'Text to speech is not available on this server (no espeak-ng or TTS service). Use an audio file.',
  },
});

export interface SpeakOptions {
  voice?: string;
  rate?: number;
  chime?: boolean;
  title?: string;
}

export class SpeechService {
  constructor(
    private readonly library: MediaLibrary,
    private readonly ff: FfmpegInfo | null,
    private readonly tts: TtsProvider | null,
    private readonly maxDurationMs: number,
  ) {}

  get available(): boolean {
    return this.ff !== null && this.tts !== null;
  }

  async voices() {
    return this.tts ? this.tts.voices() : [];
  }

  async speak(actor: Actor, text: string, opts: SpeakOptions = {}): Promise<MediaRecord> {
    if (!this.ff || !this.tts) throw speechErrors.LOA_TTS_UNAVAILABLE();
    const result = await synthesizeToMedia({ provider: this.tts, ff: this.ff, text, voice: opts.voice, rate: opts.rate, workDir: this.library.workDir, maxDurationMs: this.maxDurationMs, prependChime: opts.chime });
    return this.library.keepProcessed(actor, result, opts.title ?? text.slice(0, 80), text);
  }
}
