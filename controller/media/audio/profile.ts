/** What every speaker receives: MP3, mono, constant 64 kbps, at a loudness every village shares. */

export interface AudioProfile {
  codec: 'mp3';
  bitrateKbps: 64;
  sampleRate: 44100 | 48000;
  channels: 1;
}

export interface LoudnessTarget {
  targetLufs: -16;
  truePeakDbtp: -1.5;
}

export const DEFAULT_PROFILE: AudioProfile = { codec: 'mp3', bitrateKbps: 64, sampleRate: 44100, channels: 1 };
export const DEFAULT_LOUDNESS: LoudnessTarget = { targetLufs: -16, truePeakDbtp: -1.5 };

/**
 * Encoder arguments for the device profile. Metadata is dropped and the muxer made bit-exact so the
 * same audio gives the same bytes, hence the same sha256 (the library stores by content).
 */
export function encoderArgs(profile: AudioProfile): string[] {
  return [
    '-c:a', 'libmp3lame', '-b:a', `${profile.bitrateKbps}k`, '-ar', String(profile.sampleRate), '-ac', String(profile.channels),
    '-map_metadata', '-1', '-id3v2_version', '0', '-fflags', '+bitexact', '-flags:a', '+bitexact', '-f', 'mp3',
  ];
}

/** The working copy between passes: raw 32-bit float mono, so clipped inputs keep their overs. */
export function rawInputArgs(profile: AudioProfile, file: string): string[] {
  return ['-f', 'f32le', '-ar', String(profile.sampleRate), '-channel_layout', 'mono', '-i', `file:${file}`];
}

export const RAW_BYTES_PER_SAMPLE = 4;

/** A format conversion to the profile's rate and mono, for the end of a filter chain. */
export function toProfileFormat(profile: AudioProfile, sampleFmt = 'flt'): string {
  return `aformat=sample_fmts=${sampleFmt}:sample_rates=${profile.sampleRate}:channel_layouts=mono`;
}
