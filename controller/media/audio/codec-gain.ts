/**
 * LAME in constant-bitrate mode comes out about 0.4 LU quieter than what goes in (measured here on
 * tones, pink noise and speech alike; VBR does not). Rather than trust a constant across LAME builds,
 * each ffmpeg and profile is measured once: pink noise in, MP3 out, both through ebur128.
 */
import { ebur128Filter, parseLoudness } from './measure.js';
import { runFfmpeg, type FfmpegInfo } from './ffmpeg.js';
import { encoderArgs, type AudioProfile } from './profile.js';

const cache = new Map<string, Promise<number>>();
/** A change larger than this is not the encoder's level: something else went wrong; do not "correct" it. */
const PLAUSIBLE_DB = 1.5;

/** The encoder's loudness change in dB (negative: quieter), 0 if it cannot be measured. */
export function codecGainDb(ff: FfmpegInfo, profile: AudioProfile, timeoutMs = 20_000): Promise<number> {
  const key = `${ff.path}|${profile.sampleRate}|${profile.bitrateKbps}`;
  let found = cache.get(key);
  if (!found) {
    found = measureCodecGain(ff, profile, timeoutMs).catch(() => {
      cache.delete(key);
      return 0;
    });
    cache.set(key, found);
  }
  return found;
}

async function measureCodecGain(ff: FfmpegInfo, profile: AudioProfile, timeoutMs: number): Promise<number> {
  const source = `anoisesrc=c=pink:r=${profile.sampleRate}:a=0.1:d=5:seed=7`;
  const graph = `[0:a]aformat=channel_layouts=mono,asplit=2[enc][meter];[meter]${ebur128Filter(false)},anullsink`;
  const encoded = await runFfmpeg(ff, ['-f', 'lavfi', '-i', source, '-filter_complex', graph, '-map', '[enc]', ...encoderArgs(profile), 'pipe:1'], { timeoutMs });
  const decoded = await runFfmpeg(ff, ['-f', 'mp3', '-i', 'pipe:0', '-af', ebur128Filter(false), '-f', 'null', '-'], { timeoutMs, input: encoded.stdout });
  const before = parseLoudness(encoded.stderr)?.integratedLufs;
  const after = parseLoudness(decoded.stderr)?.integratedLufs;
  if (before === undefined || after === undefined) return 0;
  const change = after - before;
  return Math.abs(change) <= PLAUSIBLE_DB ? change : 0;
}
