import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoaError } from '../../controller/errors.js';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { EspeakProvider } from '../../controller/media/audio/tts/espeak.js';
import { synthesizeToMedia } from '../../controller/media/audio/tts/synthesize.js';
import { ffmpegOrFail, listDir, measure, tempDir } from './_audio.js';

const BAO = 'Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa.';
const MORE = [
  BAO,
  'Các hộ dân ở ven sông Hồng di chuyển người già và trẻ em đến nhà văn hóa thôn trước năm giờ chiều nay.',
  'Lực lượng dân quân sẽ hỗ trợ bà con. Mọi thông tin xin liên hệ Ủy ban nhân dân xã.',
].join('\n');

let ff: FfmpegInfo;
let espeak: EspeakProvider;
let dir: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  // Not a skip: CI installs espeak-ng (.ci/ensure-system-deps); without it these tests must fail.
  const found = await EspeakProvider.detect();
  if (!found) throw new Error('espeak-ng is not installed: apt-get install -y espeak-ng');
  espeak = found;
  dir = await tempDir('tts');
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function sha(file: string): Promise<string> {
  return createHash('sha256').update(await fs.readFile(file)).digest('hex');
}

describe('EspeakProvider', () => {
  it('offers the northern, central and southern Vietnamese voices', async () => {
    expect((await espeak.voices()).map((v) => v.id)).toEqual(['vi', 'vi-vn-x-central', 'vi-vn-x-south']);
  });

  it('speaks Vietnamese with diacritics, differently in each voice, slower at a lower rate', async () => {
    const files: Record<string, string> = {};
    for (const voice of ['vi', 'vi-vn-x-central', 'vi-vn-x-south']) {
      files[voice] = path.join(dir, `${voice}.wav`);
      await espeak.synthesize(BAO, { voice }, files[voice]!);
    }
    const north = await measure(ff, files.vi!);
    expect(north.durationMs).toBeGreaterThan(2500);
    expect(north.lufs).toBeGreaterThan(-35);
    expect(new Set(await Promise.all(Object.values(files).map(sha))).size).toBe(3);
    // The tone marks reach the engine: without them the same words sound different.
    const folded = path.join(dir, 'folded.wav');
    await espeak.synthesize(BAO.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd'), { voice: 'vi' }, folded);
    expect(await sha(folded)).not.toBe(await sha(files.vi!));

    const slow = path.join(dir, 'slow.wav');
    await espeak.synthesize(BAO, { voice: 'vi', rate: 0.7 }, slow);
    expect((await measure(ff, slow)).durationMs).toBeGreaterThan(north.durationMs * 1.2);
  });

  it('refuses an unknown voice with 400', async () => {
    const err = await espeak.synthesize(BAO, { voice: 'en' }, path.join(dir, 'x.wav')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoaError);
    expect([(err as LoaError).code, (err as LoaError).status]).toEqual(['LOA_TTS_UNKNOWN_VOICE', 400]);
  });

  it('says 503 when the program is not installed', async () => {
    expect(await EspeakProvider.detect({ bin: path.join(dir, 'no-espeak') })).toBeNull();
    const missing = new EspeakProvider({ bin: path.join(dir, 'no-espeak') });
    const err = await missing.synthesize(BAO, {}, path.join(dir, 'x.wav')).catch((e: unknown) => e);
    expect([(err as LoaError).code, (err as LoaError).status]).toEqual(['LOA_TTS_UNAVAILABLE', 503]);
  });
});

describe('synthesizeToMedia', () => {
  it('turns the text into normalised broadcast media, leaving only that file', async () => {
    const work = await tempDir('tts-work');
    const result = await synthesizeToMedia({ provider: espeak, ff, text: BAO, voice: 'vi-vn-x-south', workDir: work, maxDurationMs: 60_000 });
    const m = await measure(ff, result.path);
    expect({ codec: m.codec, rate: m.sampleRate, channels: m.channels }).toEqual({ codec: 'mp3', rate: 44100, channels: 'mono' });
    expect(result.durationMs).toBeGreaterThan(2500);
    expect(Math.abs(m.lufs - -16)).toBeLessThanOrEqual(1);
    expect(m.truePeak).toBeLessThanOrEqual(-1.5);
    expect(await listDir(work)).toEqual([path.basename(result.path)]);
    await fs.rm(work, { recursive: true });
  });

  it('a longer text gives a longer broadcast; split into parts it is still one file', async () => {
    const short = await synthesizeToMedia({ provider: espeak, ff, text: BAO, workDir: dir, maxDurationMs: 120_000 });
    const long = await synthesizeToMedia({ provider: espeak, ff, text: MORE, workDir: dir, maxDurationMs: 120_000 });
    expect(long.durationMs).toBeGreaterThan(short.durationMs * 2.5);
    const parts = await synthesizeToMedia({ provider: espeak, ff, text: MORE, workDir: dir, maxDurationMs: 120_000, partChars: 60 });
    expect(Math.abs(parts.durationMs - long.durationMs)).toBeLessThan(long.durationMs * 0.25);
  });

  it('refuses empty and over-long text', async () => {
    const empty = await synthesizeToMedia({ provider: espeak, ff, text: ' \n ', workDir: dir, maxDurationMs: 60_000 }).catch((e: unknown) => e);
    expect([(empty as LoaError).code, (empty as LoaError).status]).toEqual(['LOA_TTS_EMPTY_TEXT', 400]);
    const long = await synthesizeToMedia({ provider: espeak, ff, text: 'a'.repeat(101), workDir: dir, maxDurationMs: 60_000, maxTextChars: 100 }).catch((e: unknown) => e);
    expect([(long as LoaError).code, (long as LoaError).status]).toEqual(['LOA_TTS_TEXT_TOO_LONG', 413]);
  });
});
