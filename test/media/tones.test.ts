import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { CHIME_MS, makeChime, makeSiren } from '../../controller/media/audio/tones.js';
import { bandLevelDb, decodePcm, ffmpegOrFail, firstSoundMs, measure, tempDir } from './_audio.js';

let ff: FfmpegInfo;
let dir: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  dir = await tempDir('tones');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Frequency per window from zero crossings: enough to follow a single sweeping tone. */
function frequencies(pcm: Float32Array, rate: number, windowMs: number): number[] {
  const size = Math.round((rate * windowMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + size <= pcm.length; start += size) {
    let crossings = 0;
    for (let i = start + 1; i < start + size; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
    out.push((crossings / 2) * (1000 / windowMs));
  }
  return out;
}

describe('tones, made by ffmpeg in the device profile', () => {
  it('makeChime: three notes, about 1.9 s, starting at once and fading out, on the loudness target', async () => {
    const file = path.join(dir, 'chime.mp3');
    await makeChime(ff, file);
    const m = await measure(ff, file);
    expect({ codec: m.codec, rate: m.sampleRate, channels: m.channels, kbps: m.bitrateKbps }).toEqual({ codec: 'mp3', rate: 44100, channels: 'mono', kbps: 64 });
    expect(Math.abs(m.durationMs - CHIME_MS)).toBeLessThanOrEqual(30);
    expect(Math.abs(m.lufs - -16)).toBeLessThanOrEqual(1.5);
    expect(m.truePeak).toBeLessThanOrEqual(-1.5);
    expect(await firstSoundMs(ff, file)).toBeLessThan(20);
    const pcm = await decodePcm(ff, file, 44100);
    const peak = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // Faded out, not cut off: the last 30 ms are at least 30 dB under the chime's peak.
    expect(peak(pcm.subarray(pcm.length - 1323))).toBeLessThan(peak(pcm) * 0.03);
    const none = await bandLevelDb(ff, file, 3000);
    for (const hz of [784, 659, 523]) expect((await bandLevelDb(ff, file, hz)) - none).toBeGreaterThan(20);
  });

  it('makeSiren: sweeps between about 600 and 1300 Hz for the asked duration', async () => {
    const file = path.join(dir, 'siren.mp3');
    await makeSiren(ff, file, 6000);
    const m = await measure(ff, file);
    expect(Math.abs(m.durationMs - 6000)).toBeLessThanOrEqual(30);
    expect(Math.abs(m.lufs - -16)).toBeLessThanOrEqual(1.5);
    expect(m.truePeak).toBeLessThanOrEqual(-1.5);
    const hz = frequencies(await decodePcm(ff, file, 16000), 16000, 100).slice(3, -3);
    expect(Math.min(...hz)).toBeGreaterThan(550);
    expect(Math.min(...hz)).toBeLessThan(700);
    expect(Math.max(...hz)).toBeGreaterThan(1200);
    expect(Math.max(...hz)).toBeLessThan(1350);
  });

  it('makeSiren refuses a duration it cannot mean', async () => {
    await expect(makeSiren(ff, path.join(dir, 'x.mp3'), 0)).rejects.toThrow(RangeError);
  });
});
