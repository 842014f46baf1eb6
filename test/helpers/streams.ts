/** Live audio for tests: recordings made with ffmpeg, sent at a live pace, and a local "radio station". */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { resolveFfmpeg } from '../../controller/media/audio/index.js';
import type { SimDevice } from '../../device-sim/index.js';

const exec = promisify(execFile);

async function render(source: string, output: string[]): Promise<Buffer> {
  const ff = await resolveFfmpeg();
  if (!ff) throw new Error('no ffmpeg: npm install provides @ffmpeg-installer/ffmpeg');
  const { stdout } = await exec(ff.path, ['-hide_banner', '-nostdin', '-f', 'lavfi', '-i', source, ...output, 'pipe:1'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** A recording made the way a browser makes one: Opus in WebM. */
export const browserRecording = (seconds: number) => render(`sine=frequency=330:duration=${seconds}`, ['-c:a', 'libopus', '-b:a', '32k', '-f', 'webm']);

/** A radio programme as a station streams it: MP3 at 64 kbps. */
export const radioProgramme = (seconds: number) => render(`sine=frequency=523:duration=${seconds}`, ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3']);

/** Sends `bytes` in slices at about `bytesPerSecond`, as a live source would, until `send` says no or it is stopped. */
export function pace(bytes: Buffer, bytesPerSecond: number, send: (chunk: Buffer) => boolean): () => void {
  const slice = Math.ceil(bytesPerSecond / 10);
  let offset = 0;
  const timer = setInterval(() => {
    if (offset >= bytes.length || !send(bytes.subarray(offset, offset + slice))) return clearInterval(timer);
    offset += slice;
  }, 100);
  return () => clearInterval(timer);
}

export interface RadioStation {
  url: string;
  /** Listeners connected now or before. */
  connections: Set<http.ServerResponse>;
  /** The station goes off the air: every listener cut, no new one accepted. */
  kill(): void;
}

/** A local station streaming `programme` at 64 kbps to each listener. */
export async function radioStation(programme: Buffer): Promise<RadioStation> {
  const connections = new Set<http.ServerResponse>();
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    connections.add(res);
    pace(programme, 8000, (chunk) => res.write(chunk) || !res.destroyed);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kill = () => {
    server.close();
    for (const res of connections) res.destroy();
    server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/vov1.mp3`, connections, kill };
}

/** Resolves once each device has had at least `min` bytes of the broadcast's stream. */
export function whenStreamed(devices: SimDevice[], broadcastId: string, min: number, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const waiting = new Set(devices.filter((d) => (d.streamBytes.get(broadcastId) ?? 0) < min));
    const offs: Array<() => void> = [];
    const finish = (err?: Error) => {
      clearTimeout(timer);
      offs.forEach((off) => off());
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`${waiting.size} speakers got under ${min} bytes`)), timeoutMs);
    for (const d of waiting) {
      const on = (id: string, total: number) => {
        if (id !== broadcastId || total < min) return;
        waiting.delete(d);
        if (waiting.size === 0) finish();
      };
      d.on('stream', on);
      offs.push(() => d.off('stream', on));
    }
    if (waiting.size === 0) finish();
  });
}
