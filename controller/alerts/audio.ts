/**
 * What an alert sounds like: the siren or chime, for a drill the drill announcement, then the
 * message — joined into one medium, normalised like any upload, so every speaker plays it whole.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ingestAudio, makeChime, makeSiren, runFfmpeg, type FfmpegInfo } from '../media/audio/index.js';
import { fileInput } from '../media/audio/ffmpeg.js';
import type { Actor } from '../auth/permissions.js';
import type { MediaLibrary } from '../media/library.js';
import type { SpeechService } from '../media/speech.js';
import type { AlertAudio } from './service.js';

const SIREN_MS = 6000;
export const DRILL_ANNOUNCEMENT = 'Đây là bản tin diễn tập, không phải tình huống thật.';

export function createAlertAudio(library: MediaLibrary, speech: SpeechService, ff: FfmpegInfo | null): AlertAudio {
  return {
    speak: (actor, text, voice) => speech.speak(actor, text, { voice, title: text.slice(0, 80) }),
    withPrefix: async (actor, media, { signal, drill }) => {
      if (!ff || (signal === 'none' && !drill)) return media;
      const work = library.workDir;
      const id = randomBytes(6).toString('hex');
      const parts: string[] = [];
      const temp: string[] = [];
      try {
        if (signal !== 'none') {
          const tone = path.join(work, `signal-${id}.mp3`);
          temp.push(tone);
          if (signal === 'siren') await makeSiren(ff, tone, SIREN_MS);
          else await makeChime(ff, tone);
          parts.push(tone);
        }
        if (drill && speech.available) parts.push(path.join(library.dir, `${(await speech.speak(actor, DRILL_ANNOUNCEMENT, { title: 'Diễn tập / Drill' })).sha256}.mp3`));
        parts.push(path.join(library.dir, `${media.sha256}.${media.format}`));
        const joined = path.join(work, `alert-${id}.wav`);
        temp.push(joined);
        await concat(ff, parts, joined);
        const out = await ingestAudio({ ff, inputPath: joined, workDir: work, maxDurationMs: 3_600_000, trimSilence: false });
        return library.keepProcessed(actor, out, `${signal !== 'none' ? `[${signal}] ` : ''}${drill ? '[diễn tập] ' : ''}${media.title}`, media.text);
      } finally {
        await Promise.all(temp.map((f) => fs.rm(f, { force: true })));
      }
    },
  };
}

async function concat(ff: FfmpegInfo, files: string[], out: string): Promise<void> {
  const inputs = files.flatMap((f) => fileInput(f));
  const graph = files.map((_, i) => `[${i}:a]aformat=sample_fmts=s16:sample_rates=44100:channel_layouts=mono[a${i}]`).join(';') + ';' + files.map((_, i) => `[a${i}]`).join('') + `concat=n=${files.length}:v=0:a=1[out]`;
  await runFfmpeg(ff, ['-y', ...inputs, '-filter_complex', graph, '-map', '[out]', `file:${out}`], { timeoutMs: 120_000 });
}

