/**
 * The audio engine as the controller uses it: ffmpeg (FFMPEG_PATH, ffmpeg-static, the binary inside
 * @ffmpeg-installer/ffmpeg, or ffmpeg on PATH — whichever is found first), the ingest pipeline for
 * uploads, and text to speech (espeak-ng where installed, or an HTTP service by configuration).
 */
import type { Config } from '../config.js';
import { EspeakProvider, HttpTtsProvider, ingestAudio, resolveFfmpeg, type FfmpegInfo, type TtsProvider } from './audio/index.js';
import type { AudioProcessor } from './library.js';

export interface AudioEngine {
  ff: FfmpegInfo | null;
  processor: AudioProcessor | null;
  tts: TtsProvider | null;
  description: string;
}

/** LOA_TTS_URL (+ LOA_TTS_KEY, LOA_TTS_KEY_HEADER): a cloud Vietnamese TTS service instead of espeak-ng. */
async function ttsProvider(ff: FfmpegInfo, env: NodeJS.ProcessEnv): Promise<TtsProvider | null> {
  if (env.LOA_TTS_URL) {
    return new HttpTtsProvider({ url: env.LOA_TTS_URL, apiKey: env.LOA_TTS_KEY, keyHeader: env.LOA_TTS_KEY_HEADER, ff, voices: [{ id: 'default', name: 'Giọng mặc định / default voice', language: 'vi' }] });
  }
  return EspeakProvider.detect();
}

export async function createAudioEngine(config: Pick<Config, 'mediaMaxMinutes'>, env: NodeJS.ProcessEnv = process.env): Promise<AudioEngine> {
  const ff = await resolveFfmpeg(env);
  if (!ff) return { ff: null, processor: null, tts: null, description: 'không có ffmpeg / none found (media endpoints answer 503)' };
  const processor: AudioProcessor = {
    process: (inputPath, workDir, onProgress) => ingestAudio({ ff, inputPath, workDir, maxDurationMs: config.mediaMaxMinutes * 60_000, onProgress }),
  };
  const tts = await ttsProvider(ff, env);
  return { ff, processor, tts, description: `${ff.path} (${ff.source}, ffmpeg ${ff.version}); TTS: ${tts?.id ?? 'không có / none'}` };
}

/** Kept for callers that need only the upload pipeline. */
export async function createAudioProcessor(config: Pick<Config, 'mediaMaxMinutes'>, env: NodeJS.ProcessEnv = process.env): Promise<{ processor: AudioProcessor | null; description: string }> {
  const engine = await createAudioEngine(config, env);
  return { processor: engine.processor, description: engine.description };
}
