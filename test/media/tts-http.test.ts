import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoaError } from '../../controller/errors.js';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { HttpTtsProvider, type HttpTtsOptions } from '../../controller/media/audio/tts/http.js';
import { synthesizeToMedia } from '../../controller/media/audio/tts/synthesize.js';
import { ffmpegOrFail, make, measure, speechLike, tempDir } from './_audio.js';

const TEXT = 'Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa.';
const VOICES = [{ id: 'banmai', name: 'Ban Mai (nữ, Bắc)', language: 'vi' }];

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A stand-in TTS service on an ephemeral port: answers with whatever the test sets. */
let answer: (res: http.ServerResponse) => void;
const seen: Seen[] = [];
let server: http.Server;
let url: string;
let ff: FfmpegInfo;
let dir: string;
let wav: Buffer;
let mp3: Buffer;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  dir = await tempDir('tts-http');
  wav = await fs.readFile(await make(ff, path.join(dir, 'voice.wav'), speechLike(2, 1, 22050), ['-c:a', 'pcm_s16le']));
  mp3 = await fs.readFile(await make(ff, path.join(dir, 'voice.mp3'), speechLike(2), ['-c:a', 'libmp3lame']));
  server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/tts`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  answer = (res) => res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav);
});

function provider(extra: Partial<HttpTtsOptions> = {}): HttpTtsProvider {
  return new HttpTtsProvider({ url, apiKey: 'k-123', voices: VOICES, ff, timeoutMs: 2000, ...extra });
}

describe('HttpTtsProvider', () => {
  it('POSTs the text intact with the key header and saves the WAV it gets back', async () => {
    const out = path.join(dir, 'a.wav');
    await provider().synthesize(TEXT, { voice: 'banmai', rate: 0.9 }, out);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['x-api-key']).toBe('k-123');
    expect(seen[0]!.body).toEqual({ text: TEXT, voice: 'banmai', speed: 0.9 });
    expect(Buffer.compare(await fs.readFile(out), wav)).toBe(0);
  });

  it("uses the service's own header and body format when configured", async () => {
    const p = provider({ keyHeader: 'token', body: (text, o) => ({ input: text, speaker: o.voice, tts_return_option: 2 }) });
    await p.synthesize(TEXT, {}, path.join(dir, 'b.wav'));
    expect(seen[0]!.headers.token).toBe('k-123');
    expect(seen[0]!.body).toEqual({ input: TEXT, speaker: 'banmai', tts_return_option: 2 });
  });

  it('converts an MP3 answer to WAV', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(mp3);
    const out = path.join(dir, 'c.wav');
    await provider().synthesize(TEXT, {}, out);
    expect((await fs.readFile(out)).toString('latin1', 0, 4)).toBe('RIFF');
    expect(Math.abs((await measure(ff, out)).durationMs - 2000)).toBeLessThan(100);
  });

  it('a failing service → 502; a silent one is given up at its time limit', async () => {
    answer = (res) => res.writeHead(500).end('quota exceeded');
    const failed = await provider().synthesize(TEXT, {}, path.join(dir, 'd.wav')).catch((e: unknown) => e);
    expect([(failed as LoaError).code, (failed as LoaError).status]).toEqual(['LOA_TTS_FAILED', 502]);

    answer = () => {};
    const started = Date.now();
    const hung = await provider({ timeoutMs: 300 }).synthesize(TEXT, {}, path.join(dir, 'e.wav')).catch((e: unknown) => e);
    expect((hung as LoaError).code).toBe('LOA_TTS_FAILED');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses a voice the service does not have, without calling it', async () => {
    const err = await provider().synthesize(TEXT, { voice: 'nobody' }, path.join(dir, 'f.wav')).catch((e: unknown) => e);
    expect([(err as LoaError).code, (err as LoaError).status]).toEqual(['LOA_TTS_UNKNOWN_VOICE', 400]);
    expect(seen).toHaveLength(0);
  });

  it('feeds synthesizeToMedia: one request per part, one normalised file', async () => {
    const result = await synthesizeToMedia({ provider: provider(), ff, text: `${TEXT}\n${TEXT}`, workDir: dir, maxDurationMs: 60_000, partChars: 80 });
    expect(seen.map((s) => s.body.text)).toEqual([TEXT, TEXT]);
    const m = await measure(ff, result.path);
    expect(Math.abs(m.lufs - -16)).toBeLessThanOrEqual(1);
    expect(result.durationMs).toBeGreaterThan(3500);
  });
});
