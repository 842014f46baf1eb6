/**
 * A small commune for the alert tests: twelve speakers around (16.00 N, 108.10 E), the zones they
 * belong to, and the province's geocodes for those zones. Distances quoted in the tests are haversine
 * distances on the mean Earth radius (6,371,008.8 m).
 */
import { readFileSync } from 'node:fs';
import { selectInAreas } from '../../controller/alerts/area.js';
import type { CapIntent } from '../../controller/alerts/cap/map.js';
import { LoaError } from '../../controller/errors.js';

export const corpus = (name: string): Buffer => readFileSync(new URL(`./cap-corpus/${name}`, import.meta.url));

export interface Speaker {
  id: string;
  lat?: number;
  lon?: number;
  zone?: string;
}

export const SPEAKERS: Speaker[] = [
  { id: 'loa-01', lat: 16.005, lon: 108.105, zone: 'thon-1' },
  { id: 'loa-02', lat: 16.015, lon: 108.115, zone: 'thon-1' },
  { id: 'loa-03', lat: 16.025, lon: 108.105, zone: 'thon-2' },
  { id: 'loa-04', lat: 16.035, lon: 108.125, zone: 'thon-2' },
  { id: 'loa-05', lat: 15.995, lon: 108.095, zone: 'thon-3' },
  { id: 'loa-06', lat: 16.01, lon: 108.14, zone: 'thon-3' },
  { id: 'loa-07', lat: 16.05, lon: 108.1, zone: 'thon-4' },
  { id: 'loa-08', zone: 'thon-4' }, // not yet surveyed: no coordinates
  { id: 'loa-09', lat: 16.0, lon: 108.1, zone: 'thon-5' },
  { id: 'loa-10', lat: 16.0, lon: 108.11, zone: 'thon-5' },
  { id: 'loa-11', lat: 16.01, lon: 108.1512 }, // neighbouring commune, no zone here
  { id: 'loa-12', lat: 16.0262, lon: 108.14 },
];

export const GEOCODES: Record<string, string[]> = {
  'VN-XA:20308': ['thon-1', 'thon-2', 'thon-3', 'thon-4', 'thon-5'],
  'VN-THON:2030801': ['thon-1'],
  'VN-THON:2030804': ['thon-4'],
};

/** Speakers an intent reaches: inside any of its areas, or in any of its zones; sorted. */
export function speakersFor(intent: Pick<CapIntent, 'areas' | 'zones'>): string[] {
  const inAreas = selectInAreas(intent.areas, SPEAKERS);
  const inZones = SPEAKERS.filter((s) => s.zone && intent.zones.includes(s.zone)).map((s) => s.id);
  return [...new Set([...inAreas, ...inZones])].sort();
}

/** The LoaError thrown by fn (fails the test if fn does not throw one). */
export function refusal(fn: () => unknown): LoaError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LoaError) return e;
    throw e;
  }
  throw new Error('expected a LoaError, nothing was thrown');
}

/** The officer-facing message: "Vietnamese / English". */
export const messageOf = (e: LoaError): string => String(e.toBody().error.message);
