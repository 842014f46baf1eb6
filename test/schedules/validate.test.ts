import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { Programme, programmeIssues, validateProgramme, type Recurrence } from '../../schedules/index.js';
import { programme } from './fixtures.js';

const codes = (p: Programme) => programmeIssues(p).map((e) => e.code);
const withRecurrence = (recurrence: Recurrence) => programme({ recurrence });

describe('validateProgramme', () => {
  it('finds nothing wrong with a valid programme of each kind', () => {
    for (const r of [
      { kind: 'once', at: '2026-09-02T07:00' },
      { kind: 'daily', times: ['06:00', '17:00'] },
      { kind: 'weekly', weekdays: [1, 7], times: ['06:00'] },
      { kind: 'monthly', days: [1, 31], times: ['06:00'] },
      { kind: 'cron', expr: '0 6 * * 1-5' },
    ] satisfies Recurrence[]) {
      expect(validateProgramme(withRecurrence(r))).toEqual([]);
    }
  });

  it('rejects cron expressions that are broken or not 5 fields', () => {
    for (const expr of ['61 * * * *', '0 6 * *', '0 0 6 * * *', 'every morning', '0 0 31 2 *']) {
      expect(codes(withRecurrence({ kind: 'cron', expr }))).toEqual(['LOA_SCHEDULE_BAD_CRON']);
    }
  });

  it('writes each reason in Vietnamese first, English after', () => {
    const [reason] = validateProgramme(withRecurrence({ kind: 'cron', expr: '0 6 * *' }));
    expect(reason).toMatch(/^Biểu thức cron "0 6 \* \*" không hợp lệ .* \/ Cron expression "0 6 \* \*" is not valid/);
  });

  it('rejects an unknown time zone', () => {
    const reasons = validateProgramme(programme({ timezone: 'Asia/Ha_Noi' }));
    expect(reasons).toEqual([
      'Múi giờ "Asia/Ha_Noi" không hợp lệ (ví dụ đúng: Asia/Ho_Chi_Minh). / Time zone "Asia/Ha_Noi" is not valid (use an IANA name such as Asia/Ho_Chi_Minh).',
    ]);
  });

  it('rejects an end date before the start date, but not the same day', () => {
    expect(codes(programme({ startDate: '2026-05-10', endDate: '2026-05-09' }))).toEqual(['LOA_SCHEDULE_END_BEFORE_START']);
    expect(codes(programme({ startDate: '2026-05-10', endDate: '2026-05-10' }))).toEqual([]);
  });

  it('rejects times that are not HH:mm, naming each', () => {
    const reasons = validateProgramme(withRecurrence({ kind: 'daily', times: ['6:00', '24:00', '06:00', '17:60'] }));
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toContain('Giờ phát "6:00" không đúng dạng HH:mm');
    expect(reasons[1]).toContain('"24:00"');
    expect(reasons[2]).toContain('"17:60"');
  });

  it('rejects dates that do not exist and a bad one-off time', () => {
    expect(codes(programme({ startDate: '2026-02-29', skipDates: ['2026-13-01'] }))).toEqual(['LOA_SCHEDULE_BAD_DATE', 'LOA_SCHEDULE_BAD_DATE']);
    expect(codes(withRecurrence({ kind: 'once', at: '2026-09-02 07:00' }))).toEqual(['LOA_SCHEDULE_BAD_DATETIME']);
  });

  it('rejects weekdays outside 1..7, month days outside 1..31 and empty lists', () => {
    expect(codes(withRecurrence({ kind: 'weekly', weekdays: [0, 8], times: ['06:00'] }))).toEqual([
      'LOA_SCHEDULE_BAD_WEEKDAY',
      'LOA_SCHEDULE_BAD_WEEKDAY',
    ]);
    expect(codes(withRecurrence({ kind: 'monthly', days: [32], times: [] }))).toEqual(['LOA_SCHEDULE_NO_TIMES', 'LOA_SCHEDULE_BAD_MONTHDAY']);
    expect(codes(withRecurrence({ kind: 'weekly', weekdays: [], times: ['06:00'] }))).toEqual(['LOA_SCHEDULE_NO_DAYS']);
  });

  it('rejects emergency priority, empty content and a zero duration', () => {
    const p = programme({ priority: 3 as unknown as 1, items: [] });
    expect(codes(p)).toEqual(['LOA_SCHEDULE_BAD_PRIORITY', 'LOA_SCHEDULE_NO_ITEMS']);
    expect(codes(programme({ items: [{ kind: 'media', mediaId: 'm', durationMs: 0 }] }))).toEqual(['LOA_SCHEDULE_BAD_DURATION']);
  });
});

describe('the TypeBox schema, as the API validates with it', () => {
  const ajv = new Ajv({ strict: false, useDefaults: true, allErrors: true });
  const check = ajv.compile(Programme);

  it('accepts a programme and fills the defaults (time zone, no skipped dates, not paused)', () => {
    const body: Record<string, unknown> = {
      id: 'p',
      title: 'Tiếp sóng VOV',
      items: [{ kind: 'stream', url: 'http://vov.example/live', durationMs: 1_800_000 }],
      targets: { zones: ['thon-1'] },
      priority: 2,
      recurrence: { kind: 'weekly', weekdays: [1, 3], times: ['17:00'] },
    };
    expect(check(body)).toBe(true);
    expect(body).toMatchObject({ timezone: 'Asia/Ho_Chi_Minh', skipDates: [], paused: false });
  });

  it('rejects priority 3, a bad time, empty targets and unknown recurrence kinds', () => {
    const base = { ...programme() } as Record<string, unknown>;
    expect(check({ ...base, priority: 3 })).toBe(false);
    expect(check({ ...base, recurrence: { kind: 'daily', times: ['6:00'] } })).toBe(false);
    expect(check({ ...base, targets: {} })).toBe(false);
    expect(check({ ...base, recurrence: { kind: 'yearly', times: ['06:00'] } })).toBe(false);
    expect(check({ ...base })).toBe(true);
  });
});
