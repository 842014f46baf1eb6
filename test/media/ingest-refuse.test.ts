import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoaError } from '../../controller/errors.js';
import type { FfmpegInfo } from '../../controller/media/audio/ffmpeg.js';
import { ingestAudio } from '../../controller/media/audio/ingest.js';
import { probeUpload } from '../../controller/media/audio/probe.js';
import { ffmpegOrFail, listDir, make, noiseBytes, tempDir, tone } from './_audio.js';

let ff: FfmpegInfo;
let inputs: string;
let work: string;

beforeAll(async () => {
  ff = await ffmpegOrFail();
  inputs = await tempDir('refuse-in');
  work = await tempDir('refuse-work');
});

afterAll(async () => {
  await fs.rm(inputs, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

async function write(name: string, bytes: Buffer | string): Promise<string> {
  const file = path.join(inputs, name);
  await fs.writeFile(file, bytes);
  return file;
}

async function truncated(name: string, output: string[], keep: number): Promise<string> {
  const whole = await make(ff, path.join(inputs, `whole-${name}`), tone(3), output);
  const bytes = await fs.readFile(whole);
  return write(name, bytes.subarray(0, Math.floor(bytes.length * keep)));
}

async function refusal(inputPath: string, extra: { maxDurationMs?: number; timeoutMs?: number; ff?: FfmpegInfo } = {}): Promise<LoaError> {
  const err = await ingestAudio({ ff: extra.ff ?? ff, inputPath, workDir: work, maxDurationMs: extra.maxDurationMs ?? 60_000, timeoutMs: extra.timeoutMs }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LoaError);
  // Whatever went wrong, nothing is left behind.
  expect(await listDir(work)).toEqual([]);
  return err as LoaError;
}

const refused: Array<{ what: string; input: () => Promise<string>; code: string; status: number }> = [
  { what: 'a PNG image', input: () => make(ff, path.join(inputs, 'photo.png'), 'color=red:s=32x32', ['-frames:v', '1']), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'a PNG image named .mp3', input: async () => write('photo.mp3', await fs.readFile(await make(ff, path.join(inputs, 'p2.png'), 'color=blue:s=32x32', ['-frames:v', '1']))), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'a PDF', input: () => write('notice.pdf', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'random bytes named .mp3', input: () => write('random.mp3', noiseBytes(40_000)), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'an HLS playlist pointing at a local file', input: () => write('list.m3u8', '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:/etc/passwd\n#EXT-X-ENDLIST\n'), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'an ffconcat list', input: () => write('list.txt', "ffconcat version 1.0\nfile '/etc/hostname'\n"), code: 'LOA_AUDIO_NOT_AUDIO', status: 415 },
  { what: 'an empty file', input: () => write('empty.m4a', Buffer.alloc(0)), code: 'LOA_AUDIO_EMPTY', status: 415 },
  { what: 'an m4a cut off before its index', input: () => truncated('cut.m4a', ['-c:a', 'aac'], 0.5), code: 'LOA_AUDIO_CORRUPT', status: 415 },
  { what: 'an mp3 cut in half', input: () => truncated('cut.mp3', ['-c:a', 'libmp3lame'], 0.5), code: 'LOA_AUDIO_CORRUPT', status: 415 },
  { what: 'a wav cut in half', input: () => truncated('cut.wav', ['-c:a', 'pcm_s16le'], 0.5), code: 'LOA_AUDIO_CORRUPT', status: 415 },
  { what: 'a video without sound', input: () => make(ff, path.join(inputs, 'mute.mp4'), 'testsrc=s=64x48:d=1:r=10', ['-c:v', 'libx264', '-pix_fmt', 'yuv420p']), code: 'LOA_AUDIO_VIDEO_ONLY', status: 415 },
  { what: 'a click in a silent room', input: () => make(ff, path.join(inputs, 'click.wav'), `aevalsrc=0.5*between(t\\,1\\,1.2)*sin(2*PI*800*t)+0.0003*(random(0)*2-1):s=44100:d=3`, ['-c:a', 'pcm_s16le']), code: 'LOA_AUDIO_TOO_SHORT', status: 422 },
  { what: 'a recording of silence', input: () => make(ff, path.join(inputs, 'silence.wav'), 'anullsrc=r=44100:cl=mono', ['-t', '2']), code: 'LOA_AUDIO_SILENT', status: 422 },
];

describe('refused uploads: coded, bilingual, nothing left in workDir', () => {
  it.each(refused)('$what → $code ($status)', async ({ input, code, status }) => {
    const err = await refusal(await input());
    expect({ code: err.code, status: err.status }).toEqual({ code, status });
    const body = err.toBody().error;
    expect(body.messageVi).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
    expect(body.messageEn).toMatch(/[a-z]/);
    expect(body.message).toBe(`${body.messageVi} / ${body.messageEn}`);
  });

  it('a recording longer than the limit → 413, before it is processed', async () => {
    const input = await make(ff, path.join(inputs, 'long.wav'), tone(3), ['-c:a', 'pcm_s16le']);
    const err = await refusal(input, { maxDurationMs: 2000 });
    expect({ code: err.code, status: err.status }).toEqual({ code: 'LOA_AUDIO_TOO_LONG', status: 413 });
  });

  it('a browser recording with no length in its header is caught while decoding → 413', async () => {
    // Piped through ffmpeg, a webm gets no duration in its header, like MediaRecorder's files.
    const input = path.join(inputs, 'stream.webm');
    await make(ff, input, tone(3), ['-c:a', 'libopus', '-live', '1', '-f', 'webm']);
    expect((await probeUpload(ff, input, 10_000)).durationMs).toBeNull();
    const err = await refusal(input, { maxDurationMs: 2000 });
    expect({ code: err.code, status: err.status }).toEqual({ code: 'LOA_AUDIO_TOO_LONG', status: 413 });
  });

  it('ffmpeg missing → 503', async () => {
    const input = await make(ff, path.join(inputs, 'ok.wav'), tone(1), ['-c:a', 'pcm_s16le']);
    const err = await refusal(input, { ff: { path: path.join(inputs, 'no-such-ffmpeg'), source: 'PATH', version: 'none' } });
    expect({ code: err.code, status: err.status }).toEqual({ code: 'LOA_AUDIO_NO_FFMPEG', status: 503 });
  });

  it('past its time limit, ffmpeg is stopped → 504', async () => {
    const input = await make(ff, path.join(inputs, 'slow.wav'), tone(3), ['-c:a', 'pcm_s16le']);
    const err = await refusal(input, { timeoutMs: 5 });
    expect({ code: err.code, status: err.status }).toEqual({ code: 'LOA_AUDIO_TIMEOUT', status: 504 });
  });
});
