/**
 * bench/schedules-occurrences: how fast the engine computes a commune's month of programmes, beside
 * the cost floor of producing the same number of instants with a plain loop of fixed UTC offsets.
 *
 *   npx tsx bench/schedules-occurrences.ts [--programmes 1000] [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { occurrences, type Programme } from '../schedules/index.js';
import { programmeMix } from './lib/programme-mix.js';

const { values } = parseArgs({ options: { programmes: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '5' } } });
const N = Number(values.programmes);
const ROUNDS = Number(values.rounds);
const FROM = Date.parse('2026-03-01T00:00:00+07:00');
const TO = Date.parse('2026-04-01T00:00:00+07:00');
const DAY_MS = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function makeProgrammes(n: number): Programme[] {
  return programmeMix(n, { mediaId: 'm-bench', zones: 20, zoneId: (k) => `thon-${k}` });
}

function engine(programmes: Programme[]): number {
  let count = 0;
  for (const p of programmes) count += occurrences(p, FROM, TO).length;
  return count;
}

/** The cost floor: `count` instants made by adding a fixed UTC offset to each day, no zone, no calendar. */
function plainLoop(count: number): number {
  const out: number[] = [];
  const offsets = [-3_600_000, 36_000_000, 50_400_000];
  for (let day = FROM; out.length < count; day += DAY_MS) {
    if (day >= TO) day = FROM;
    for (const o of offsets) if (out.length < count) out.push(day + o);
  }
  return out.length;
}

function time(fn: () => number): { ms: number; count: number } {
  const t0 = performance.now();
  const count = fn();
  return { ms: performance.now() - t0, count };
}

const programmes = makeProgrammes(N);
const kinds = programmes.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.recurrence.kind]: (acc[p.recurrence.kind] ?? 0) + 1 }), {});
// The first full round also fills the engine's memos (parsed cron, offsets at midnights); report it apart.
const cold = time(() => engine(programmes));
const engineRuns = Array.from({ length: ROUNDS }, () => time(() => engine(programmes)));
const count = engineRuns[0]!.count;
plainLoop(count);
const floorRuns = Array.from({ length: ROUNDS }, () => time(() => plainLoop(count)));

const engineMs = median(engineRuns.map((r) => r.ms));
const floorMs = median(floorRuns.map((r) => r.ms));
const perSecond = (ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
console.log(`programmes: ${N} (${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')}), window: March 2026, Asia/Ho_Chi_Minh`);
console.log(`occurrences: ${count.toLocaleString('en-US')} (median of ${ROUNDS})`);
console.log(`engine:     ${engineMs.toFixed(1)} ms, ${perSecond(engineMs)} occurrences/s`);
console.log(`first round (cold memos, JIT): ${cold.ms.toFixed(1)} ms`);
console.log(`plain loop: ${floorMs.toFixed(2)} ms, ${perSecond(floorMs)} instants/s (fixed UTC offsets, the floor)`);
console.log(`ratio:      ${(engineMs / floorMs).toFixed(0)}× the floor`);
