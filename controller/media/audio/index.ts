/** The audio engine: what the media routes and the library use. */
export { resolveFfmpeg, runFfmpeg, spawnFfmpeg, RELAY_PROTOCOLS, fileInput, FfmpegExitError, type FfmpegInfo, type RunOptions, type RunResult } from './ffmpeg.js';
export { ingestAudio, type IngestOptions, type IngestResult } from './ingest.js';
export { audioErrors } from './errors.js';
export { DEFAULT_PROFILE, DEFAULT_LOUDNESS, encoderArgs, type AudioProfile, type LoudnessTarget } from './profile.js';
export { makeChime, makeSiren, CHIME_MS, CHIME_GAP_MS } from './tones.js';
export * from './tts/index.js';
