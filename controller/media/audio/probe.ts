/**
 * Probing an upload with ffmpeg itself (no ffprobe ships in npm here): the container, its streams and
 * the duration its header declares, read from `ffmpeg -i` without decoding anything.
 */
import fs from 'node:fs/promises';
import { audioErrors, withCause } from './errors.js';
import { FfmpegExitError, fileInput, runFfmpeg, type FfmpegInfo } from './ffmpeg.js';

/**
 * Demuxers an upload may use: mp3, wav, mov (m4a/mp4/3gp), raw ADTS aac, ogg (opus/vorbis), flac,
 * matroska (webm), amr. Everything else (images, playlists, concat lists, subtitles) is refused
 * before a single byte is decoded.
 */
export const UPLOAD_DEMUXERS = ['mp3', 'wav', 'mov', 'aac', 'ogg', 'flac', 'matroska', 'amr'];

export function uploadInput(file: string): string[] {
  return ['-format_whitelist', UPLOAD_DEMUXERS.join(','), ...fileInput(file)];
}

export interface StreamInfo {
  index: number;
  kind: 'audio' | 'video' | 'other';
  codec: string;
  sampleRate: number | null;
  channels: string | null;
}

export interface ProbeInfo {
  /** First name of the demuxer, e.g. `mov`, `ogg`, `matroska`. */
  container: string;
  /** As declared by the header; null when absent (browser webm) or not read. */
  durationMs: number | null;
  /** ffmpeg guessed the duration from the bitrate (raw mp3/aac/amr): trust it less. */
  durationEstimated: boolean;
  audio: StreamInfo[];
  /** Real video; cover pictures attached to songs are not counted. */
  video: StreamInfo[];
}

/** Reads the header. Refuses empty files, non-media and unknown formats with coded errors. */
export async function probeUpload(ff: FfmpegInfo, file: string, timeoutMs: number): Promise<ProbeInfo> {
  const { size } = await fs.stat(file);
  if (size === 0) throw audioErrors.LOA_AUDIO_EMPTY();
  const stderr = await headerLog(ff, file, timeoutMs);
  const info = parseProbe(stderr);
  if (info) return info;
  const error = recognisedButBroken(stderr) ? audioErrors.LOA_AUDIO_CORRUPT() : audioErrors.LOA_AUDIO_NOT_AUDIO();
  throw withCause(error, lastLines(stderr));
}

/**
 * One of our demuxers took the file for its own and then failed (an MP4 whose index never arrived:
 * "moov atom not found"): a damaged or half-copied recording rather than something that is not audio.
 */
function recognisedButBroken(stderr: string): boolean {
  if (/misdetection possible|not on whitelist/.test(stderr)) return false;
  const demuxers = [...stderr.matchAll(/^\[([a-z0-9_,]+) @ 0x[0-9a-f]+\]/gm)].map((m) => m[1]!.split(','));
  return demuxers.some((names) => names.some((n) => UPLOAD_DEMUXERS.includes(n)));
}

/** `ffmpeg -i file` with no output prints the header and exits 1: that exit is expected. */
async function headerLog(ff: FfmpegInfo, file: string, timeoutMs: number): Promise<string> {
  try {
    return (await runFfmpeg(ff, uploadInput(file), { timeoutMs })).stderr;
  } catch (err) {
    if (err instanceof FfmpegExitError) return err.stderr;
    throw err;
  }
}

export function parseProbe(stderr: string): ProbeInfo | null {
  const input = /^Input #0, (.+?), from '/m.exec(stderr);
  if (!input?.[1]) return null;
  const streams = [...stderr.matchAll(/^\s*Stream #0:(\d+)[^:]*: (Audio|Video|Subtitle|Data|Attachment): ([^\s,]+)([^\n]*)$/gm)].map(toStream);
  return {
    container: input[1].split(',')[0]!,
    durationMs: parseDuration(stderr),
    durationEstimated: /Estimating duration from bitrate/.test(stderr),
    audio: streams.filter((s) => s.kind === 'audio'),
    video: streams.filter((s) => s.kind === 'video'),
  };
}

function toStream(m: RegExpMatchArray): StreamInfo {
  const rest = m[4] ?? '';
  const attachedPicture = /\(attached pic\)/.test(rest);
  const kind = m[2] === 'Audio' ? 'audio' : m[2] === 'Video' && !attachedPicture ? 'video' : 'other';
  return {
    index: Number(m[1]),
    kind,
    codec: m[3]!,
    sampleRate: Number(/, (\d+) Hz/.exec(rest)?.[1]) || null,
    channels: /Hz, ([^,]+)/.exec(rest)?.[1] ?? null,
  };
}

function parseDuration(stderr: string): number | null {
  const m = /Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  if (!m) return null;
  return Math.round((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
}

export function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
