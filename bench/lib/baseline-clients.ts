/**
 * The baseline's speakers in a process of their own, spawned by bench/lib/baseline.ts with an IPC
 * channel: connects `--clients` speakers (bench-0 … bench-N-1) to `--url`, reports `ready`, then
 * answers every command with `--acks` acks until the parent disconnects or kills it. Their sockets
 * count against this process's open-file limit, not the broker's.
 *
 *   node --import tsx bench/lib/baseline-clients.ts --url mqtt://127.0.0.1:1883 --clients 10000 [--acks 1] [--concurrency 200]
 */
import { parseArgs } from 'node:util';
import type { MqttClient } from 'mqtt';
import { assertDescriptors } from './fd-limit.js';
import { mapLimited } from './pool.js';
import { connectSpeaker, speakerId } from './speakers.js';

export type SpeakersMessage =
  | { type: 'ready'; connectMs: number; rssBytes: number; heapBytes: number }
  | { type: 'trouble'; kind: 'errors' | 'closed'; what: string };

const { values } = parseArgs({ options: { url: { type: 'string' }, clients: { type: 'string' }, acks: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '200' } } });

const tell = (m: SpeakersMessage) => process.send?.(m);

async function main(): Promise<void> {
  if (!process.send) throw new Error('baseline-clients runs as a child of bench/lib/baseline.ts, with an IPC channel');
  const url = values.url ?? '';
  const clients = Number(values.clients);
  assertDescriptors(clients, 1, 1); // + the IPC channel
  process.on('disconnect', () => process.exit(0)); // the parent is done (or gone): no orphan left holding sockets
  const opened: MqttClient[] = [];
  global.gc?.();
  const before = process.memoryUsage();
  const t0 = performance.now();
  await mapLimited(Array.from({ length: clients }, (_, i) => i), Number(values.concurrency), (i) =>
    connectSpeaker(url, speakerId(i), Number(values.acks), opened, (kind, what) => tell({ type: 'trouble', kind, what })),
  );
  const connectMs = performance.now() - t0;
  global.gc?.();
  const after = process.memoryUsage();
  tell({ type: 'ready', connectMs, rssBytes: after.rss - before.rss, heapBytes: after.heapUsed - before.heapUsed });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
