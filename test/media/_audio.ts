/**
 * Test inputs made with ffmpeg (lavfi tones and noise → each format), and an independent meter:
 * the tests measure outputs with their own ffmpeg runs and parsers, not the engine's.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resolveFfmpeg, type FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';

const exec = promisify(execFile);

export async function ffmpegOrFail(): Promise<FfmpegInfo> {
  const ff = await resolveFfmpeg();
  if (!ff) throw new Error('no ffmpeg found: npm install should provide @ffmpeg-installer/ffmpeg');
  return ff;
}

export async function tempDir(prefix: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `loa-${prefix}-`));
}

export async function ffmpeg(ff: FfmpegInfo, args: string[]): Promise<string> {
  const { stderr } = await exec(ff.path, ['-hide_banner', '-nostdin', '-y', ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stderr;
}

/** A lavfi source rendered into `file` with the given output options (codec, rate, channels…). */
export async function make(ff: FfmpegInfo, file: string, source: string, output: string[]): Promise<string> {
  await ffmpeg(ff, ['-f', 'lavfi', '-i', source, ...output, file]);
  return file;
}

/** A 440 Hz tone at about -23 LUFS (mono 44.1 kHz unless the output options say otherwise). */
export function tone(seconds: number, amplitude = 0.1, hz = 440, rate = 44100): string {
  return `aevalsrc=${amplitude}*sin(2*PI*${hz}*t):s=${rate}:d=${seconds}`;
}

/** Speech-like: noise in the voice band, in syllable bursts and phrases. */
export function speechLike(seconds: number, amplitude = 1, rate = 44100): string {
  return `aevalsrc=${amplitude}*(random(0)*2-1)*pow(abs(sin(2*PI*2.2*t))\\,3)*(0.4+0.6*gt(sin(2*PI*0.35*t)\\,-0.4)):s=${rate}:d=${seconds},bandpass=f=1000:width_type=q:w=0.5`;
}

/** Speech with sharp plosive clicks: loud peaks, modest loudness (a peak-to-loudness ratio over 20 dB). */
export function peakySpeech(seconds: number, rate = 44100): string {
  return `aevalsrc=0.15*(random(0)*2-1)*pow(abs(sin(2*PI*2.2*t))\\,3)+0.9*lt(random(1)\\,0.0004)*(random(2)*2-1):s=${rate}:d=${seconds},lowpass=f=4000`;
}

export interface Measured {
  lufs: number;
  truePeak: number;
  samples: number;
  sampleRate: number;
  channels: string;
  codec: string;
  bitrateKbps: number | null;
  durationMs: number;
}

/** ebur128 (true peak) and astats over the decoded file, plus the stream line of the header. */
export async function measure(ff: FfmpegInfo, file: string): Promise<Measured> {
  const stderr = await ffmpeg(ff, ['-i', file, '-af', 'astats,ebur128=framelog=verbose:peak=true', '-f', 'null', '-']);
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const stream = /Stream #0:0[^:]*: Audio: (\w+)[^,]*, (\d+) Hz, (\w+), [^,]+(?:, (\d+) kb\/s)?/.exec(stderr);
  const samples = Number([...stderr.matchAll(/Number of samples: (\d+)/g)].at(-1)?.[1]);
  const sampleRate = Number(stream?.[2]);
  return {
    lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    truePeak: Number(/Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1]?.replace('-inf', '-Infinity')),
    samples,
    sampleRate,
    channels: stream?.[3] ?? '',
    codec: stream?.[1] ?? '',
    bitrateKbps: stream?.[4] ? Number(stream[4]) : null,
    durationMs: (samples / sampleRate) * 1000,
  };
}

/** RMS level (dBFS) of a narrow band around `hz`: is this tone in the file? */
export async function bandLevelDb(ff: FfmpegInfo, file: string, hz: number): Promise<number> {
  const stderr = await ffmpeg(ff, ['-i', file, '-af', `bandpass=f=${hz}:width_type=q:w=8,astats`, '-f', 'null', '-']);
  return Number([...stderr.matchAll(/RMS level dB: (-?[\d.]+|-inf)/g)].at(-1)?.[1]?.replace('-inf', '-Infinity'));
}

/** Decoded mono samples at `rate`, for tests that look at the signal itself. */
export async function decodePcm(ff: FfmpegInfo, file: string, rate: number): Promise<Float32Array> {
  const { stdout } = await exec(ff.path, ['-hide_banner', '-nostdin', '-i', file, '-ac', '1', '-ar', String(rate), '-f', 'f32le', 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return new Float32Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + stdout.length - (stdout.length % 4)));
}

/** Time from the start until the level first rises above `db` dBFS (absolute sample peak). */
export async function firstSoundMs(ff: FfmpegInfo, file: string, db = -40): Promise<number> {
  const pcm = await decodePcm(ff, file, 8000);
  const index = pcm.findIndex((v) => Math.abs(v) > 10 ** (db / 20));
  return index < 0 ? Infinity : (index / 8000) * 1000;
}

/** Bytes that look like nothing: a fixed pseudo-random sequence, the same on every run. */
export function noiseBytes(n: number, seed = 12345): Buffer {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).sort();
}
