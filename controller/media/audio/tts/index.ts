export type { TtsProvider, TtsVoice, SynthesizeOptions } from './provider.js';
export { EspeakProvider, ESPEAK_VOICES, type EspeakOptions } from './espeak.js';
export { HttpTtsProvider, type HttpTtsOptions } from './http.js';
export { splitSentences } from './split.js';
export { synthesizeToMedia, TTS_DEFAULTS, type SynthesizeToMediaOptions } from './synthesize.js';
