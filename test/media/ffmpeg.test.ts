import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoaError } from '../../controller/errors.js';
import { FfmpegExitError, resolveFfmpeg, runFfmpeg, type FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { ffmpegOrFail, make, tempDir, tone } from './_audio.js';

let ff: FfmpegInfo;
let dir: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  dir = await tempDir('ffmpeg');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function runningWith(marker: string): Promise<number> {
  let count = 0;
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) count++;
  }
  return count;
}

describe('resolveFfmpeg', () => {
  it('finds the npm-shipped ffmpeg when ffmpeg-static is absent, and reads its version', async () => {
    const found = await resolveFfmpeg({});
    expect(found?.source).toBe('@ffmpeg-installer/ffmpeg');
    expect(found?.version).toMatch(/\S/);
  });

  it('prefers FFMPEG_PATH when it runs', async () => {
    const found = await resolveFfmpeg({ FFMPEG_PATH: ff.path });
    expect(found).toEqual({ path: ff.path, source: 'FFMPEG_PATH', version: ff.version });
  });

  it('falls through when FFMPEG_PATH is missing or is not ffmpeg', async () => {
    expect((await resolveFfmpeg({ FFMPEG_PATH: path.join(dir, 'nope') }))?.source).toBe('@ffmpeg-installer/ffmpeg');
    expect((await resolveFfmpeg({ FFMPEG_PATH: process.execPath }))?.source).toBe('@ffmpeg-installer/ffmpeg');
  });
});

describe('runFfmpeg', () => {
  it('kills ffmpeg at its time limit with a coded error, and the process is gone', async () => {
    const marker = 'sine=f=1234.5';
    const started = Date.now();
    const err = await runFfmpeg(ff, ['-f', 'lavfi', '-i', marker, '-f', 'null', '-'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoaError);
    expect((err as LoaError).code).toBe('LOA_AUDIO_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await runningWith(marker)).toBe(0);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const run = runFfmpeg(ff, ['-f', 'lavfi', '-i', 'sine=f=987.6', '-f', 'null', '-'], { timeoutMs: 30_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('upload cancelled')), 100);
    await expect(run).rejects.toThrow('upload cancelled');
    expect(await runningWith('sine=f=987.6')).toBe(0);
  });

  it('refuses network and concat inputs: only local files and pipes are read', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const viaHttp = await runFfmpeg(ff, ['-i', `http://127.0.0.1:${port}/a.mp3`, '-f', 'null', '-'], { timeoutMs: 10_000 }).catch((e: unknown) => e);
      expect(viaHttp).toBeInstanceOf(FfmpegExitError);
      expect((viaHttp as FfmpegExitError).stderr).toMatch(/Protocol 'http' not on whitelist/);
      const wav = await make(ff, path.join(dir, 'a.wav'), tone(0.5), ['-c:a', 'pcm_s16le']);
      const viaConcat = await runFfmpeg(ff, ['-i', `concat:${wav}|${wav}`, '-f', 'null', '-'], { timeoutMs: 10_000 }).catch((e: unknown) => e);
      expect((viaConcat as FfmpegExitError).stderr).toMatch(/Protocol 'concat' not on whitelist/);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('reads its input from stdin when given bytes, and writes to stdout', async () => {
    const wav = await fs.readFile(await make(ff, path.join(dir, 'in.wav'), tone(1), ['-c:a', 'pcm_s16le']));
    const { stdout } = await runFfmpeg(ff, ['-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1'], { timeoutMs: 10_000, input: wav });
    expect(stdout.length).toBe(8000 * 2);
  });

  it('reads its input from a stream', async () => {
    const file = await make(ff, path.join(dir, 'stream.wav'), tone(0.5), ['-c:a', 'pcm_s16le']);
    const { stdout } = await runFfmpeg(ff, ['-i', 'pipe:0', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1'], { timeoutMs: 10_000, input: createReadStream(file) });
    expect(stdout.length).toBe(4000 * 2);
  });

  it('reports progress in media time', async () => {
    const seen: number[] = [];
    await runFfmpeg(ff, ['-f', 'lavfi', '-i', 'sine=d=30', '-f', 'null', '-'], { timeoutMs: 20_000, onProgress: (ms) => seen.push(ms) });
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.abs(seen.at(-1)! - 30_000)).toBeLessThan(100);
  });
});
