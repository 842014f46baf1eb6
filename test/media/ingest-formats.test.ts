import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { ingestAudio, type IngestResult } from '../../controller/media/audio/ingest.js';
import { bandLevelDb, ffmpeg, ffmpegOrFail, listDir, make, measure, tempDir, tone } from './_audio.js';

let ff: FfmpegInfo;
let inputs: string;
let work: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  inputs = await tempDir('formats-in');
  work = await tempDir('formats-work');
});

afterAll(async () => {
  await fs.rm(inputs, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

const MAX = 60_000;

async function expectDeviceProfile(result: IngestResult, expectedMs: number): Promise<void> {
  const m = await measure(ff, result.path);
  expect(path.dirname(result.path)).toBe(work);
  expect({ codec: m.codec, rate: m.sampleRate, channels: m.channels, kbps: m.bitrateKbps }).toEqual({ codec: 'mp3', rate: 44100, channels: 'mono', kbps: 64 });
  expect({ format: result.format, rate: result.sampleRate, channels: result.channels, kbps: result.bitrateKbps }).toEqual({ format: 'mp3', rate: 44100, channels: 1, kbps: 64 });
  expect(Math.abs(m.durationMs - expectedMs)).toBeLessThanOrEqual(80);
  expect(Math.abs(result.durationMs - m.durationMs)).toBeLessThanOrEqual(1);
  expect(Math.abs(m.lufs - -16)).toBeLessThanOrEqual(1);
  expect(m.truePeak).toBeLessThanOrEqual(-1.5);
  const bytes = await fs.readFile(result.path);
  expect(result.bytes).toBe(bytes.length);
  expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
}

// Each format an officer's phone, chat app, recorder or browser produces; a 2.5 s tone in each.
const FORMATS: Array<{ name: string; file: string; output: string[]; container: string }> = [
  { name: 'mp3', file: 'a.mp3', output: ['-c:a', 'libmp3lame', '-b:a', '128k'], container: 'mp3/mp3' },
  { name: 'wav', file: 'a.wav', output: ['-c:a', 'pcm_s16le'], container: 'wav/pcm_s16le' },
  { name: 'm4a (aac, phone recorder)', file: 'a.m4a', output: ['-c:a', 'aac', '-b:a', '96k'], container: 'mov/aac' },
  { name: 'aac (raw ADTS)', file: 'a.aac', output: ['-c:a', 'aac', '-f', 'adts'], container: 'aac/aac' },
  { name: 'ogg/opus (chat voice note)', file: 'a.opus', output: ['-c:a', 'libopus', '-b:a', '24k', '-f', 'ogg'], container: 'ogg/opus' },
  { name: 'ogg/vorbis', file: 'a.ogg', output: ['-c:a', 'libvorbis'], container: 'ogg/vorbis' },
  { name: 'flac', file: 'a.flac', output: ['-c:a', 'flac'], container: 'flac/flac' },
  { name: 'webm/opus (browser recording)', file: 'a.webm', output: ['-c:a', 'libopus'], container: 'matroska/opus' },
  { name: 'amr (narrow-band voice note)', file: 'a.amr', output: ['-ar', '8000', '-c:a', 'libopencore_amrnb', '-b:a', '12.2k'], container: 'amr/amr_nb' },
];

describe('ingest: every accepted format becomes the device profile', () => {
  it.each(FORMATS)('$name', async ({ file, output, container }) => {
    const input = await make(ff, path.join(inputs, file), tone(2.5), output);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    expect(result.inputFormat).toBe(container);
    await expectDeviceProfile(result, 2500);
  });

  it('stereo 48 kHz becomes mono 44.1 kHz, both channels heard', async () => {
    // Left and right carry different tones: a downmix keeps both, a channel pick would lose one.
    const source = `aevalsrc=0.1*sin(2*PI*440*t)|0.1*sin(2*PI*660*t):s=48000:c=stereo:d=3`;
    const input = await make(ff, path.join(inputs, 'stereo.m4a'), source, ['-c:a', 'aac', '-b:a', '128k']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    await expectDeviceProfile(result, 3000);
    const [left, right, neither] = await Promise.all([bandLevelDb(ff, result.path, 440), bandLevelDb(ff, result.path, 660), bandLevelDb(ff, result.path, 1500)]);
    expect(Math.abs(left - right)).toBeLessThan(2);
    expect(left - neither).toBeGreaterThan(20);
  });

  it('a phone video with sound: the sound is used, the picture ignored', async () => {
    const input = path.join(inputs, 'clip.mp4');
    await ffmpeg(ff, ['-f', 'lavfi', '-i', 'testsrc=s=64x48:d=2.5:r=10', '-f', 'lavfi', '-i', tone(2.5), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', input]);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    expect(result.inputFormat).toBe('mov/aac');
    await expectDeviceProfile(result, 2500);
  });

  it('8-bit 8 kHz mono WAV (old recorders) comes out at 44.1 kHz', async () => {
    const input = await make(ff, path.join(inputs, 'u8.wav'), tone(3, 0.3, 440, 8000), ['-c:a', 'pcm_u8']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    expect(result.inputFormat).toBe('wav/pcm_u8');
    await expectDeviceProfile(result, 3000);
  });

  it('a 48 kHz profile gives 48 kHz output', async () => {
    const input = await make(ff, path.join(inputs, 'p48.wav'), tone(2), ['-c:a', 'pcm_s16le']);
    const result = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX, profile: { codec: 'mp3', bitrateKbps: 64, sampleRate: 48000, channels: 1 } });
    const m = await measure(ff, result.path);
    expect([result.sampleRate, m.sampleRate, m.bitrateKbps]).toEqual([48000, 48000, 64]);
  });

  it('the same recording gives the same bytes, so the library stores it once', async () => {
    const input = await make(ff, path.join(inputs, 'twice.ogg'), tone(2, 0.2, 523), ['-c:a', 'libopus']);
    const a = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    const b = await ingestAudio({ ff, inputPath: input, workDir: work, maxDurationMs: MAX });
    expect(a.path).not.toBe(b.path);
    expect(a.sha256).toBe(b.sha256);
  });

  it('takes any file name safely, names the output itself and leaves only the output behind', async () => {
    // A name that would be an option or a protocol to ffmpeg, and a shell expansion to a shell.
    const input = await make(ff, path.join(inputs, '-y http:$(x);.wav'), tone(2), ['-c:a', 'pcm_s16le']);
    const clean = await tempDir('formats-clean');
    const result = await ingestAudio({ ff, inputPath: input, workDir: clean, maxDurationMs: MAX });
    expect(await listDir(clean)).toEqual([path.basename(result.path)]);
    expect(path.basename(result.path)).toMatch(/^audio-[0-9a-f]{24}\.mp3$/);
    await fs.rm(clean, { recursive: true });
  });
});
