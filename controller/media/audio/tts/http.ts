/**
 * A text-to-speech service over HTTP (a commercial Vietnamese neural voice, or one run in the
 * province's data centre): POST the text with a key header, receive audio bytes.
 */
import fs from 'node:fs/promises';
import { audioErrors, withCause } from '../errors.js';
import { FfmpegExitError, runFfmpeg, type FfmpegInfo } from '../ffmpeg.js';
import { UPLOAD_DEMUXERS } from '../probe.js';
import { clampRate, type SynthesizeOptions, type TtsProvider, type TtsVoice } from './provider.js';

export interface HttpTtsOptions {
  url: string;
  apiKey?: string;
  /** Header that carries the key, e.g. `x-api-key`, `token`, or `authorization` (then give "Bearer …" as the key). */
  keyHeader?: string;
  id?: string;
  voices: TtsVoice[];
  timeoutMs?: number;
  maxBytes?: number;
  /** Converts answers that are not WAV (MP3, OGG…); without it only WAV answers are accepted. */
  ff?: FfmpegInfo;
  /** The request body for a service's own format; default `{ text, voice, speed }`. */
  body?: (text: string, opts: { voice: string; rate: number }) => unknown;
}

export class HttpTtsProvider implements TtsProvider {
  readonly id: string;

  constructor(private readonly opts: HttpTtsOptions) {
    this.id = opts.id ?? 'http';
  }

  async voices(): Promise<TtsVoice[]> {
    return [...this.opts.voices];
  }

  async synthesize(text: string, opts: SynthesizeOptions, outWavPath: string): Promise<void> {
    const voice = opts.voice ?? this.opts.voices[0]?.id ?? 'default';
    if (this.opts.voices.length && !this.opts.voices.some((v) => v.id === voice)) {
      throw audioErrors.LOA_TTS_UNKNOWN_VOICE({ voice, voices: this.opts.voices.map((v) => v.id).join(', ') });
    }
    const rate = clampRate(opts.rate);
    const body = this.opts.body ? this.opts.body(text, { voice, rate }) : { text, voice, speed: rate };
    const audio = await this.fetchAudio(JSON.stringify(body));
    await this.writeWav(audio, outWavPath);
  }

  private async fetchAudio(body: string): Promise<Buffer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav, audio/*' };
    if (this.opts.apiKey) headers[(this.opts.keyHeader ?? 'x-api-key').toLowerCase()] = this.opts.apiKey;
    let res: Response;
    try {
      res = await fetch(this.opts.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000), redirect: 'error' });
    } catch (err) {
      throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), err);
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => '')).slice(0, 200);
      throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), `HTTP ${res.status}: ${detail}`);
    }
    return this.readLimited(res);
  }

  private async readLimited(res: Response): Promise<Buffer> {
    const limit = this.opts.maxBytes ?? 50 * 1024 * 1024;
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += chunk.length;
      if (total > limit) throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), `answer larger than ${limit} bytes`);
      chunks.push(Buffer.from(chunk));
    }
    if (total === 0) throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), 'empty answer');
    return Buffer.concat(chunks);
  }

  private async writeWav(audio: Buffer, outWavPath: string): Promise<void> {
    if (isWav(audio)) return fs.writeFile(outWavPath, audio);
    if (!this.opts.ff) throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), 'answer is not WAV and no ffmpeg was given to convert it');
    try {
      // The answer is as untrusted as an upload: same demuxer list, from a pipe only.
      const args = ['-y', '-format_whitelist', UPLOAD_DEMUXERS.join(','), '-i', 'pipe:0', '-c:a', 'pcm_s16le', '-f', 'wav', `file:${outWavPath}`];
      await runFfmpeg(this.opts.ff, args, { timeoutMs: this.opts.timeoutMs ?? 30_000, input: audio });
    } catch (err) {
      if (err instanceof FfmpegExitError) throw withCause(audioErrors.LOA_TTS_FAILED({ provider: this.id }), err.message);
      throw err;
    }
  }
}

function isWav(b: Buffer): boolean {
  return b.length > 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE';
}
