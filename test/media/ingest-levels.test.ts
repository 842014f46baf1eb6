import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { ingestAudio } from '../../controller/media/audio/ingest.js';
import { TRIM_KEEP } from '../../controller/media/audio/passes.js';
import { CHIME_GAP_MS, CHIME_MS } from '../../controller/media/audio/tones.js';
import { ffmpeg, ffmpegOrFail, firstSoundMs, make, measure, peakySpeech, speechLike, tempDir, tone } from './_audio.js';

let ff: FfmpegInfo;
let inputs: string;
let work: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  inputs = await tempDir('levels-in');
  work = await tempDir('levels-work');
});

afterAll(async () => {
  await fs.rm(inputs, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

const MAX = 60_000;
const TARGET = -16;
const CEILING = -1.5;

describe('every village equally loud: two-pass EBU R128 to -16 LUFS, true peak ≤ -1.5 dBTP', () => {
  it('a very quiet recording (-40 LUFS) is brought up to the target', async () => {
    const base = await measure(ff, await make(ff, path.join(inputs, 'base.wav'), speechLike(4), ['-c:a', 'pcm_s16le']));
    const input = await make(ff, path.join(inputs, 'quiet.m4a'), speechLike(4), ['-af', `volume=${-40 - base.lufs}dB`, '-c:a', 'aac', '-b:a', '96k']);
    const before = await measure(ff, input);
    expect(before.lufs).toBeGreaterThan(-41.5);
    expect(before.lufs).toBeLessThan(-38.5);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const after = await measure(ff, result.path);
    expect(Math.abs(after.lufs - TARGET)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(CEILING);
    expect(Math.abs(result.loudnessLufs - after.lufs)).toBeLessThanOrEqual(0.2);
    expect(result.truePeakDbtp).toBeLessThanOrEqual(CEILING);
  });

  it('a clipping recording is brought down to the target, its peaks under the ceiling', async () => {
    const input = await make(ff, path.join(inputs, 'loud.wav'), speechLike(4), ['-af', 'volume=20dB', '-c:a', 'pcm_s16le']);
    const before = await measure(ff, input);
    expect(before.truePeak).toBeGreaterThanOrEqual(-0.1);
    expect(before.lufs).toBeGreaterThan(-10);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const after = await measure(ff, result.path);
    expect(Math.abs(after.lufs - TARGET)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(CEILING);
  });

  it('peaky speech that a plain gain would push over the ceiling is limited, not left quiet', async () => {
    const input = await make(ff, path.join(inputs, 'peaky.wav'), peakySpeech(5), ['-c:a', 'pcm_s16le']);
    const before = await measure(ff, input);
    // +6.6 dB to the target would put these peaks at about +7 dBTP.
    expect(before.truePeak - before.lufs).toBeGreaterThan(20);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const after = await measure(ff, result.path);
    expect(Math.abs(after.lufs - TARGET)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(CEILING);
  });

  it('a clip shorter than 3 s is normalised too', async () => {
    const input = await make(ff, path.join(inputs, 'short.wav'), speechLike(1.5, 0.1), ['-c:a', 'pcm_s16le']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const after = await measure(ff, result.path);
    expect(Math.abs(after.lufs - TARGET)).toBeLessThanOrEqual(1);
    expect(after.truePeak).toBeLessThanOrEqual(CEILING);
  });
});

describe('start with the first word', () => {
  // 1 s of a quiet room (-70 dBFS noise), 3 s of tone, 1.5 s of room again.
  const roomToneRoom = `aevalsrc=if(between(t\\,1\\,4)\\,0.1*sin(2*PI*440*t)\\,0)+0.0003*(random(0)*2-1):s=44100:d=5.5`;

  it('trims leading and trailing silence; the duration is right to 50 ms', async () => {
    const input = await make(ff, path.join(inputs, 'padded.wav'), roomToneRoom, ['-c:a', 'pcm_s16le']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const expected = 3000 + TRIM_KEEP.leadMs + TRIM_KEEP.tailMs;
    expect(Math.abs(result.durationMs - expected)).toBeLessThanOrEqual(50);
    expect(Math.abs((await measure(ff, result.path)).durationMs - expected)).toBeLessThanOrEqual(50);
    expect(await firstSoundMs(ff, result.path)).toBeLessThanOrEqual(TRIM_KEEP.leadMs + 30);
  });

  it('keeps the silence when asked not to trim', async () => {
    const input = await make(ff, path.join(inputs, 'padded2.wav'), roomToneRoom, ['-c:a', 'pcm_s16le']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX, trimSilence: false });
    expect(Math.abs(result.durationMs - 5500)).toBeLessThanOrEqual(50);
    expect(await firstSoundMs(ff, result.path)).toBeGreaterThan(900);
  });

  it('puts the attention chime before the speech, and the whole stays on target', async () => {
    const input = await make(ff, path.join(inputs, 'chimed.wav'), tone(2), ['-c:a', 'pcm_s16le']);
    const plain = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const chimed = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX, prependChime: true });
    expect(Math.abs(chimed.durationMs - (plain.durationMs + CHIME_MS + CHIME_GAP_MS))).toBeLessThanOrEqual(50);
    expect(await firstSoundMs(ff, chimed.path)).toBeLessThanOrEqual(20);
    // The speech starts after the chime and its pause: cut the chime off and the tone is there at once.
    const tail = path.join(work, 'tail.wav');
    await ffmpeg(ff, ['-i', chimed.path, '-ss', String((CHIME_MS + CHIME_GAP_MS) / 1000), tail]);
    expect(await firstSoundMs(ff, tail)).toBeLessThanOrEqual(TRIM_KEEP.leadMs + 30);
    // …and the pause between chime and speech is silent.
    const gap = path.join(work, 'gap.wav');
    await ffmpeg(ff, ['-i', chimed.path, '-ss', String((CHIME_MS + 30) / 1000), '-t', String((CHIME_GAP_MS - 60) / 1000), gap]);
    expect(await firstSoundMs(ff, gap)).toBe(Infinity);
    const m = await measure(ff, chimed.path);
    expect(Math.abs(m.lufs - TARGET)).toBeLessThanOrEqual(1);
    expect(m.truePeak).toBeLessThanOrEqual(CEILING);
  });

  it('reports progress from 0 to 100, never going back', async () => {
    const input = await make(ff, path.join(inputs, 'progress.flac'), speechLike(5), ['-c:a', 'flac']);
    const seen: number[] = [];
    await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX, onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toBe(100);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.every((p, i) => i === 0 || p > seen[i - 1]!)).toBe(true);
  });
});
