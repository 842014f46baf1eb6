/**
 * bench/baseline: the bare fan-out baseline alone (aedes in-process + plain mqtt.js clients, one
 * QoS 1 command to each client and one QoS 1 ack back per round), for checking it against
 * ENGINEERING-NOTES.md's fan-out table and the host's limits.
 *
 *   npx tsx --expose-gc bench/baseline.ts [--clients 5000] [--rounds 3] [--payload-bytes 400]
 *     [--concurrency 200] [--broker-concurrency N] [--speakers in-process|child] [--acks 1]
 *
 * --concurrency: connections opened at once; --broker-concurrency: aedes' `concurrency` (default
 * aedes' own, 100; Loa's broker runs with 1000); --speakers child: the clients in a child process,
 * so that 10,000 fit under a 20,000 open-file limit; --acks 5: each speaker answers with the whole
 * play sequence (received … done) as a Loa speaker does, timed still until every `received`.
 * --clients takes a comma list (1000,5000,10000) to run several sizes one after another.
 * Without --expose-gc the memory figures include garbage not yet collected.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runBaseline, type BaselineResult } from './lib/baseline.js';
import { benchErrors } from './lib/errors.js';
import { openFileLimit } from './lib/fd-limit.js';
import { formatKb, formatMs, printTable, writeResult } from './lib/report.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '3' },
    'payload-bytes': { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '200' },
    'broker-concurrency': { type: 'string' },
    speakers: { type: 'string', default: 'in-process' },
    acks: { type: 'string', default: '1' },
  },
});

function integers(name: string, text: string): number[] {
  const xs = text.split(',').map(Number);
  if (xs.some((x) => !Number.isInteger(x) || x <= 0)) throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `--${name} ${text}` });
  return xs;
}

function row(r: BaselineResult): Record<string, string | number> {
  return {
    clients: r.clients,
    'median': formatMs(r.medianMs),
    'rounds (ms)': r.rounds.map((x) => x.toFixed(0)).join(', '),
    'CPU median': formatMs(r.medianCpuMs),
    'connect': formatMs(r.connectMs),
    'RSS/client': formatKb(r.rssPerClientBytes),
    'heap/client': formatKb(r.heapPerClientBytes),
  };
}

async function main(): Promise<void> {
  const sizes = integers('clients', values.clients);
  const [rounds] = integers('rounds', values.rounds);
  const [payloadBytes] = integers('payload-bytes', values['payload-bytes']);
  const [connectConcurrency] = integers('concurrency', values.concurrency);
  const [acksPerCommand] = integers('acks', values.acks);
  const speakers = values.speakers;
  if (speakers !== 'in-process' && speakers !== 'child') throw benchErrors.LOA_BENCH_BAD_OPTION({ reason: `--speakers ${speakers}` });
  const broker = values['broker-concurrency'] ? { concurrency: integers('broker-concurrency', values['broker-concurrency'])[0] } : {};
  const host = { node: process.version, cores: os.cpus().length, loadAvg1: Number(os.loadavg()[0]!.toFixed(2)), openFileLimit: openFileLimit(), gcExposed: typeof global.gc === 'function' };
  console.log(`bench/baseline: aedes in-process + mqtt.js speakers ${speakers}, ${acksPerCommand} ack(s) per command (broker ${JSON.stringify(broker)}), ${rounds} rounds, ${payloadBytes} B commands; node ${host.node}, ${host.cores} cores, load ${host.loadAvg1}, open files ≤ ${host.openFileLimit ?? '?'}`);
  if (!host.gcExposed) console.log('note: no global.gc (run `npx tsx --expose-gc bench/baseline.ts`): memory figures include uncollected garbage');

  const results: BaselineResult[] = [];
  for (const clients of sizes) {
    results.push(await runBaseline({ clients, rounds, payloadBytes, connectConcurrency, broker, speakers, acksPerCommand }));
    console.log(`  ${clients} clients: median ${formatMs(results.at(-1)!.medianMs)}`);
  }
  printTable(results.map(row));
  console.log(`written: ${await writeResult('baseline', { host, broker, speakers, acksPerCommand, results })}`);
}

// No process.exit on success: the process ending by itself shows every socket and timer was closed.
main().catch((err: unknown) => {
  console.error(err instanceof Error && 'messageVi' in err ? `${err.messageVi}\n${err.message}` : err);
  process.exitCode = 1;
});
