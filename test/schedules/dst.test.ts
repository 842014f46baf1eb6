/**
 * Europe/Berlin in 2026. On 29 March at 01:00 UTC the clocks jump from 02:00 CET (UTC+1) to 03:00 CEST
 * (UTC+2): local 02:00–02:59 does not exist. On 25 October at 01:00 UTC they fall back from 03:00 CEST
 * to 02:00 CET: local 02:00–02:59 happens twice (00:00–00:59 UTC and again 01:00–01:59 UTC).
 *
 * What we chose, and assert:
 * - a time in the gap goes out at the first valid instant after it, 03:00 CEST = 01:00 UTC
 *   (not shifted by the gap's length to 03:30, as luxon and cron-parser would do on their own);
 * - a time that happens twice goes out once, at the first instant (summer time);
 * - several times falling in the same gap become one occurrence.
 */
import { describe, expect, it } from 'vitest';
import { occurrences, type Recurrence } from '../../schedules/index.js';
import { iso, ms, programme } from './fixtures.js';

const berlin = (recurrence: Recurrence) => programme({ timezone: 'Europe/Berlin', recurrence });

describe('spring forward, 29 March 2026', () => {
  it('sends daily 02:30 at 03:00 CEST (01:00 UTC) on the day it does not exist', () => {
    const got = occurrences(berlin({ kind: 'daily', times: ['02:30'] }), ms('2026-03-27T00:00:00Z'), ms('2026-03-31T00:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(got.map((o) => o.local)).toEqual(['2026-03-27T02:30', '2026-03-28T02:30', '2026-03-29T03:00', '2026-03-30T02:30']);
  });

  it('moves a time that does exist by the new offset (12:00 is 11:00 UTC, then 10:00 UTC)', () => {
    const got = occurrences(berlin({ kind: 'daily', times: ['12:00'] }), ms('2026-03-28T00:00:00Z'), ms('2026-03-30T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-03-28T11:00:00.000Z', '2026-03-29T10:00:00.000Z']);
  });

  it('gives cron the same rule, and one occurrence for 02:00, 02:30 and 03:00', () => {
    const got = occurrences(berlin({ kind: 'cron', expr: '*/30 1-3 * * *' }), ms('2026-03-28T23:00:00Z'), ms('2026-03-29T03:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(got.map((o) => o.local)).toEqual(['2026-03-29T01:00', '2026-03-29T01:30', '2026-03-29T03:00', '2026-03-29T03:30']);
  });

  it('sends cron 30 2 * * * at 01:00 UTC too, not cron-parser’s own 01:30 UTC', () => {
    const got = occurrences(berlin({ kind: 'cron', expr: '30 2 * * *' }), ms('2026-03-29T00:00:00Z'), ms('2026-03-30T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-03-29T01:00:00.000Z']);
  });
});

describe('fall back, 25 October 2026', () => {
  it('sends daily 02:30 once, at the first 02:30 (CEST, 00:30 UTC)', () => {
    const got = occurrences(berlin({ kind: 'daily', times: ['02:30'] }), ms('2026-10-23T00:00:00Z'), ms('2026-10-27T00:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-10-23T00:30:00.000Z',
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(got.map((o) => o.local)).toEqual(['2026-10-23T02:30', '2026-10-24T02:30', '2026-10-25T02:30', '2026-10-26T02:30']);
  });

  it('never sends the repeated hour from cron (no 01:00 or 01:30 UTC)', () => {
    const got = occurrences(berlin({ kind: 'cron', expr: '*/30 1-3 * * *' }), ms('2026-10-24T22:00:00Z'), ms('2026-10-25T03:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-24T23:30:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
    expect(new Set(got.map((o) => o.key)).size).toBe(6);
  });

  it('sends a weekly Sunday 02:30 once on the Sunday of the change', () => {
    const got = occurrences(berlin({ kind: 'weekly', weekdays: [7], times: ['02:30'] }), ms('2026-10-20T00:00:00Z'), ms('2026-11-02T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-10-25T00:30:00.000Z', '2026-11-01T01:30:00.000Z']);
  });
});
