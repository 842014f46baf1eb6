import { describe, expect, it } from 'vitest';
import { LoaError } from '../../controller/errors.js';
import { occurrences } from '../../schedules/index.js';
import { iso, ms, programme } from './fixtures.js';

// Asia/Ho_Chi_Minh is UTC+7 all year: 06:00 local is 23:00 UTC the day before, 17:00 local is 10:00 UTC.
const twiceDaily = programme({ recurrence: { kind: 'daily', times: ['06:00', '17:00'] } });

describe('daily in Asia/Ho_Chi_Minh', () => {
  it('puts 06:00 and 17:00 local on the right UTC instants across midnight UTC and 31 Jan → 1 Feb', () => {
    const got = occurrences(twiceDaily, ms('2026-01-30T00:00:00Z'), ms('2026-02-02T00:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-01-30T10:00:00.000Z',
      '2026-01-30T23:00:00.000Z',
      '2026-01-31T10:00:00.000Z',
      '2026-01-31T23:00:00.000Z',
      '2026-02-01T10:00:00.000Z',
      '2026-02-01T23:00:00.000Z',
    ]);
    expect(got.map((o) => o.local)).toEqual([
      '2026-01-30T17:00',
      '2026-01-31T06:00',
      '2026-01-31T17:00',
      '2026-02-01T06:00',
      '2026-02-01T17:00',
      '2026-02-02T06:00',
    ]);
  });

  it('crosses the year end: 1 Jan 06:00 local is 31 Dec 23:00 UTC', () => {
    const got = occurrences(twiceDaily, ms('2026-12-31T00:00:00Z'), ms('2027-01-01T12:00:00Z'));
    expect(iso(got)).toEqual(['2026-12-31T10:00:00.000Z', '2026-12-31T23:00:00.000Z', '2027-01-01T10:00:00.000Z']);
    expect(got[1]?.local).toBe('2027-01-01T06:00');
  });

  it('plays on 29 Feb in a leap year and goes from 28 Feb to 1 Mar in a common one', () => {
    const leap = occurrences(programme(), ms('2028-02-28T00:00:00Z'), ms('2028-03-01T12:00:00Z'));
    expect(iso(leap)).toEqual(['2028-02-28T23:00:00.000Z', '2028-02-29T23:00:00.000Z']);
    expect(leap.map((o) => o.local)).toEqual(['2028-02-29T06:00', '2028-03-01T06:00']);
    const common = occurrences(programme(), ms('2026-02-27T00:00:00Z'), ms('2026-03-01T12:00:00Z'));
    expect(common.map((o) => o.local)).toEqual(['2026-02-28T06:00', '2026-03-01T06:00']);
  });

  it('includes the window start and excludes its end', () => {
    const got = occurrences(twiceDaily, ms('2026-01-30T23:00:00Z'), ms('2026-01-31T23:00:00Z'));
    expect(iso(got)).toEqual(['2026-01-30T23:00:00.000Z', '2026-01-31T10:00:00.000Z']);
  });

  it('sorts and de-duplicates the times, sums the item durations and keys each occurrence', () => {
    const p = programme({
      id: 'p1',
      recurrence: { kind: 'daily', times: ['17:00', '06:00', '06:00'] },
      items: [
        { kind: 'media', mediaId: 'jingle', durationMs: 60_000 },
        { kind: 'stream', url: 'http://vov.example/live', durationMs: 1_800_000 },
      ],
    });
    const got = occurrences(p, ms('2026-05-01T00:00:00Z'), ms('2026-05-02T00:00:00Z'));
    expect(got).toEqual([
      { programmeId: 'p1', at: ms('2026-05-01T10:00:00Z'), local: '2026-05-01T17:00', durationMs: 1_860_000, key: 'p1@2026-05-01T10:00:00.000Z' },
      { programmeId: 'p1', at: ms('2026-05-01T23:00:00Z'), local: '2026-05-02T06:00', durationMs: 1_860_000, key: 'p1@2026-05-01T23:00:00.000Z' },
    ]);
  });
});

describe('weekly, monthly, once', () => {
  // 2 March 2026 is a Monday.
  it('plays on the ISO weekdays chosen (1 = Monday)', () => {
    const p = programme({ recurrence: { kind: 'weekly', weekdays: [1, 3, 5], times: ['06:30'] } });
    const got = occurrences(p, ms('2026-03-01T00:00:00Z'), ms('2026-03-08T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-03-01T23:30:00.000Z', '2026-03-03T23:30:00.000Z', '2026-03-05T23:30:00.000Z']);
    expect(got.map((o) => o.local)).toEqual(['2026-03-02T06:30', '2026-03-04T06:30', '2026-03-06T06:30']);
  });

  it('takes 7 as Sunday', () => {
    const p = programme({ recurrence: { kind: 'weekly', weekdays: [7], times: ['19:00'] } });
    const got = occurrences(p, ms('2026-03-01T00:00:00Z'), ms('2026-03-15T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-03-01T12:00:00.000Z', '2026-03-08T12:00:00.000Z']);
  });

  it('skips day 31 in months that lack it', () => {
    const p = programme({ recurrence: { kind: 'monthly', days: [31], times: ['08:00'] } });
    const got = occurrences(p, ms('2026-01-01T00:00:00Z'), ms('2026-08-01T00:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-01-31T01:00:00.000Z',
      '2026-03-31T01:00:00.000Z',
      '2026-05-31T01:00:00.000Z',
      '2026-07-31T01:00:00.000Z',
    ]);
  });

  it('plays day 29 of February only in a leap year', () => {
    const p = programme({ recurrence: { kind: 'monthly', days: [29], times: ['08:00'] } });
    expect(iso(occurrences(p, ms('2026-02-01T00:00:00Z'), ms('2026-03-01T00:00:00Z')))).toEqual([]);
    expect(iso(occurrences(p, ms('2028-02-01T00:00:00Z'), ms('2028-03-01T00:00:00Z')))).toEqual(['2028-02-29T01:00:00.000Z']);
  });

  it('plays a one-off once, at its local time', () => {
    const p = programme({ recurrence: { kind: 'once', at: '2026-09-02T07:00' } });
    expect(iso(occurrences(p, ms('2026-09-01T00:00:00Z'), ms('2026-09-03T00:00:00Z')))).toEqual(['2026-09-02T00:00:00.000Z']);
    expect(occurrences(p, ms('2026-09-02T00:00:01Z'), ms('2026-09-03T00:00:00Z'))).toEqual([]);
  });
});

describe('cron in the programme time zone', () => {
  it('0 6 * * 1-5: weekdays at 06:00 local', () => {
    const p = programme({ recurrence: { kind: 'cron', expr: '0 6 * * 1-5' } });
    const got = occurrences(p, ms('2026-03-01T00:00:00Z'), ms('2026-03-08T00:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-02T23:00:00.000Z',
      '2026-03-03T23:00:00.000Z',
      '2026-03-04T23:00:00.000Z',
      '2026-03-05T23:00:00.000Z',
    ]);
  });

  it('*/30 6-7 * * *: every half hour from 06:00 to 07:30 local', () => {
    const p = programme({ recurrence: { kind: 'cron', expr: '*/30 6-7 * * *' } });
    const got = occurrences(p, ms('2026-03-01T22:00:00Z'), ms('2026-03-02T02:00:00Z'));
    expect(iso(got)).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-01T23:30:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-02T00:30:00.000Z',
    ]);
    expect(got.map((o) => o.local)).toEqual(['2026-03-02T06:00', '2026-03-02T06:30', '2026-03-02T07:00', '2026-03-02T07:30']);
  });

  it('0 8 L * *: the last day of each month, as cron-parser reads L', () => {
    const p = programme({ recurrence: { kind: 'cron', expr: '0 8 L * *' } });
    const got = occurrences(p, ms('2026-01-01T00:00:00Z'), ms('2026-04-01T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-01-31T01:00:00.000Z', '2026-02-28T01:00:00.000Z', '2026-03-31T01:00:00.000Z']);
  });

  it('0 6 1 * 1: day of month OR day of week when both are restricted (1 March is a Sunday)', () => {
    const p = programme({ recurrence: { kind: 'cron', expr: '0 6 1 * 1' } });
    const got = occurrences(p, ms('2026-02-28T00:00:00Z'), ms('2026-03-20T00:00:00Z'));
    expect(got.map((o) => o.local)).toEqual(['2026-03-01T06:00', '2026-03-02T06:00', '2026-03-09T06:00', '2026-03-16T06:00']);
    expect(iso(got)[0]).toBe('2026-02-28T23:00:00.000Z');
  });

  it('obeys the date range and skipped dates too', () => {
    const p = programme({ recurrence: { kind: 'cron', expr: '0 6 * * *' }, startDate: '2026-03-02', endDate: '2026-03-04', skipDates: ['2026-03-03'] });
    const got = occurrences(p, ms('2026-02-25T00:00:00Z'), ms('2026-03-10T00:00:00Z'));
    expect(iso(got)).toEqual(['2026-03-01T23:00:00.000Z', '2026-03-03T23:00:00.000Z']);
  });
});

describe('date range, skipped dates, paused, effectiveFrom', () => {
  it('treats startDate and endDate as inclusive local dates', () => {
    const p = programme({ startDate: '2026-04-10', endDate: '2026-04-12' });
    const got = occurrences(p, ms('2026-04-01T00:00:00Z'), ms('2026-05-01T00:00:00Z'));
    // 10 Apr 06:00 local is 9 Apr 23:00 UTC: the local date decides, not the UTC one.
    expect(iso(got)).toEqual(['2026-04-09T23:00:00.000Z', '2026-04-10T23:00:00.000Z', '2026-04-11T23:00:00.000Z']);
  });

  it('allows a one-day range', () => {
    const p = programme({ startDate: '2026-04-10', endDate: '2026-04-10' });
    expect(iso(occurrences(p, ms('2026-04-01T00:00:00Z'), ms('2026-05-01T00:00:00Z')))).toEqual(['2026-04-09T23:00:00.000Z']);
  });

  it('leaves out skipped local dates (30 Apr and 1 May holidays)', () => {
    const p = programme({ skipDates: ['2026-04-30', '2026-05-01'] });
    const got = occurrences(p, ms('2026-04-29T12:00:00Z'), ms('2026-05-03T12:00:00Z'));
    expect(iso(got)).toEqual(['2026-05-01T23:00:00.000Z', '2026-05-02T23:00:00.000Z']);
    expect(got.map((o) => o.local)).toEqual(['2026-05-02T06:00', '2026-05-03T06:00']);
  });

  it('gives a paused programme no occurrences', () => {
    expect(occurrences(programme({ paused: true }), ms('2026-04-01T00:00:00Z'), ms('2026-05-01T00:00:00Z'))).toEqual([]);
  });

  it('gives none before effectiveFrom, and one exactly at it', () => {
    const at = occurrences({ ...twiceDaily, effectiveFrom: ms('2026-01-30T23:00:00Z') }, ms('2026-01-30T00:00:00Z'), ms('2026-02-01T00:00:00Z'));
    expect(iso(at)).toEqual(['2026-01-30T23:00:00.000Z', '2026-01-31T10:00:00.000Z', '2026-01-31T23:00:00.000Z']);
    const after = occurrences({ ...twiceDaily, effectiveFrom: ms('2026-01-30T23:00:00.001Z') }, ms('2026-01-30T00:00:00Z'), ms('2026-02-01T00:00:00Z'));
    expect(iso(after)).toEqual(['2026-01-31T10:00:00.000Z', '2026-01-31T23:00:00.000Z']);
  });

  it('refuses to compute an invalid programme, with a coded error', () => {
    const bad = programme({ timezone: 'Mars/Olympus_Mons' });
    expect(() => occurrences(bad, 0, ms('2026-01-01T00:00:00Z'))).toThrow(LoaError);
    try {
      occurrences(bad, 0, 1);
    } catch (err) {
      expect((err as LoaError).code).toBe('LOA_SCHEDULE_INVALID');
      expect((err as LoaError).messageVi).toBe('Lịch phát không hợp lệ: Múi giờ "Mars/Olympus_Mons" không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh).');
      expect((err as LoaError).details).toMatchObject({ programmeId: 'ban-tin-sang', codes: ['LOA_SCHEDULE_BAD_TIMEZONE'] });
    }
  });
});
