/**
 * bench/ingest: one long recording through the whole audio engine (probe, decode, silence trim,
 * loudness passes, MP3 encode, re-measure), beside a plain single-pass `ffmpeg -i in -ac 1 -b:a 64k out.mp3`
 * on the same file in the same run. Prints speed as × real time and peak memory: the ffmpeg children's
 * (VmHWM sampled from /proc/<pid>/status) and the node process's.
 *
 *   npx tsx bench/ingest.ts [--minutes 10] [--source speech|noise]
 *
 * --source speech (default): Vietnamese announcements spoken by espeak-ng, looped, as a stereo 48 kHz
 * phone recording with room noise. --source noise: voice-band noise in syllables, harder for the MP3
 * encoder (its peaks overshoot after limiting, so ingest may render up to three times).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveFfmpeg, runFfmpeg, type FfmpegInfo } from '../controller/media/audio/ffmpeg.js';
import { ingestAudio } from '../controller/media/audio/ingest.js';
import { EspeakProvider } from '../controller/media/audio/tts/espeak.js';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '10' }, source: { type: 'string', default: 'speech' } } });
const MINUTES = Number(values.minutes);
const MEDIA_S = MINUTES * 60;

interface Child {
  label: string;
  firstSeen: number;
  lastSeen: number;
  hwmKb: number;
}

/** Samples this process's children every 20 ms: their peak RSS and how long each ran. */
class ChildSampler {
  readonly children = new Map<number, Child>();
  private readonly others = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    this.timer = setInterval(() => void this.sample(), 20);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async sample(): Promise<void> {
    for (const entry of await fs.readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (this.others.has(pid)) continue;
      const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== process.pid) continue;
      const hwmKb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const now = performance.now();
      const known = this.children.get(pid);
      if (known) {
        Object.assign(known, { lastSeen: now, hwmKb: Math.max(known.hwmKb, hwmKb) });
        continue;
      }
      const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      // Only ffmpeg: tsx keeps an esbuild child of its own.
      if (cmdline.split('\0')[0]?.endsWith('ffmpeg')) this.children.set(pid, { label: labelOf(cmdline), firstSeen: now, lastSeen: now, hwmKb });
      else this.others.add(pid);
    }
  }
}

/** Which pass a command line belongs to, from the filters it runs. */
function labelOf(cmdline: string): string {
  const args = cmdline.split('\0');
  const has = (s: string) => args.some((a) => a.includes(s));
  if (has('anoisesrc') || args.includes('pipe:0')) return 'codec calibration';
  if (has('format_whitelist') && has('anullsink')) return '1 decode + loudness';
  if (has('format_whitelist')) return '0 probe';
  if (has('silencedetect')) return '2 silence';
  if (has('alimiter') && has('-f') && args.includes('null')) return '3 measure (limited)';
  if (has('ebur128') && has('atrim')) return '3 measure';
  if (has('libmp3lame') && has('f32le')) return '4 render + encode';
  if (has('astats')) return '5 verify';
  return has('libmp3lame') ? 'baseline' : `other: ${args.slice(1, 8).join(' ')}`;
}

const ANNOUNCEMENT = [
  'Thông báo khẩn: bão số 3 sắp đổ bộ, đề nghị bà con chằng chống nhà cửa.',
  'Các hộ dân ở ven sông di chuyển người già và trẻ em đến nhà văn hóa thôn trước năm giờ chiều nay.',
  'Lực lượng dân quân sẽ hỗ trợ bà con. Mọi thông tin xin liên hệ Ủy ban nhân dân xã.',
  'Thông báo lịch tiêm chủng mở rộng: sáng thứ bảy, tại trạm y tế xã, mang theo sổ tiêm của trẻ.',
].join('\n');

/** Stereo 48 kHz AAC, as a phone records it: left and right slightly different, a quiet room behind. */
async function makeRecording(ff: FfmpegInfo, file: string, dir: string): Promise<string> {
  const espeak = values.source === 'speech' ? await EspeakProvider.detect() : null;
  const room = `anoisesrc=c=pink:r=48000:a=0.003:d=${MEDIA_S}`;
  if (espeak) {
    const speech = path.join(dir, 'speech.wav');
    await espeak.synthesize(ANNOUNCEMENT, { voice: 'vi' }, speech);
    const graph = `[0:a]aresample=48000,pan=stereo|c0=c0|c1=0.9*c0[v];[1:a]pan=stereo|c0=c0|c1=c0[r];[v][r]amix=inputs=2:duration=first`;
    await runFfmpeg(ff, ['-y', '-stream_loop', '-1', '-i', `file:${speech}`, '-f', 'lavfi', '-i', room, '-filter_complex', graph, '-t', String(MEDIA_S), '-c:a', 'aac', '-b:a', '128k', `file:${file}`], { timeoutMs: 600_000 });
    return 'Vietnamese speech (espeak-ng, looped)';
  }
  const voice = (seed: number) =>
    `(random(${seed})*2-1)*pow(abs(sin(2*PI*2.3*t))\\,3)*(0.35+0.65*gt(sin(2*PI*0.23*t+${seed})\\,-0.3))*gt(sin(2*PI*0.05*t)\\,-0.9)`;
  const source = `aevalsrc=0.5*${voice(0)}|0.45*${voice(1)}:s=48000:c=stereo:d=${MEDIA_S},bandpass=f=900:width_type=q:w=0.4`;
  await runFfmpeg(ff, ['-y', '-f', 'lavfi', '-i', source, '-c:a', 'aac', '-b:a', '128k', `file:${file}`], { timeoutMs: 600_000 });
  return values.source === 'speech' ? 'speech-like noise (espeak-ng not installed)' : 'speech-like noise';
}

async function timed<T>(sampler: ChildSampler, fn: () => Promise<T>): Promise<{ ms: number; value: T; children: Child[] }> {
  sampler.children.clear();
  sampler.start();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  sampler.stop();
  return { ms, value, children: [...sampler.children.values()] };
}

function byPass(children: Child[]): string {
  const groups = new Map<string, { ms: number; hwmKb: number; runs: number }>();
  for (const c of children) {
    const g = groups.get(c.label) ?? { ms: 0, hwmKb: 0, runs: 0 };
    groups.set(c.label, { ms: g.ms + (c.lastSeen - c.firstSeen), hwmKb: Math.max(g.hwmKb, c.hwmKb), runs: g.runs + 1 });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, g]) => `    ${label.padEnd(22)} ${String(g.runs).padStart(2)}× ${(g.ms / 1000).toFixed(1).padStart(6)} s  ${(g.hwmKb / 1024).toFixed(0).padStart(4)} MB`)
    .join('\n');
}

async function main(): Promise<void> {
  const ff = await resolveFfmpeg();
  if (!ff) throw new Error('no ffmpeg found');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'loa-bench-ingest-'));
  const input = path.join(dir, 'recording.m4a');
  const sampler = new ChildSampler();
  try {
    console.log(`ffmpeg ${ff.version} (${ff.source}); ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    const made = await timed(sampler, () => makeRecording(ff, input, dir));
    console.log(`input: ${MINUTES} min stereo 48 kHz AAC of ${made.value}, ${((await fs.stat(input)).size / 1e6).toFixed(1)} MB (made in ${(made.ms / 1000).toFixed(1)} s)\n`);

    const ingest = await timed(sampler, () => ingestAudio({ ff, inputPath: input, workDir: dir, maxDurationMs: (MEDIA_S + 60) * 1000, timeoutMs: 1_800_000 }));
    const baseline = await timed(sampler, () => runFfmpeg(ff, ['-y', '-i', `file:${input}`, '-ac', '1', '-b:a', '64k', `file:${path.join(dir, 'baseline.mp3')}`], { timeoutMs: 1_800_000 }));

    const peak = (cs: Child[]) => Math.max(...cs.map((c) => c.hwmKb)) / 1024;
    const r = ingest.value;
    console.log(`ingest:   ${(ingest.ms / 1000).toFixed(1)} s = ${(MEDIA_S / (ingest.ms / 1000)).toFixed(1)}× real time; ffmpeg peak RSS ${peak(ingest.children).toFixed(0)} MB`);
    console.log(`          → ${(r.durationMs / 1000).toFixed(1)} s, ${r.loudnessLufs} LUFS, ${r.truePeakDbtp} dBTP, ${(r.bytes / 1e6).toFixed(1)} MB`);
    console.log(byPass(ingest.children));
    console.log(`baseline: ${(baseline.ms / 1000).toFixed(1)} s = ${(MEDIA_S / (baseline.ms / 1000)).toFixed(1)}× real time; ffmpeg peak RSS ${peak(baseline.children).toFixed(0)} MB`);
    console.log(`ratio:    ingest takes ${(ingest.ms / baseline.ms).toFixed(2)}× the baseline's time`);
    console.log(`node:     peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

await main();
