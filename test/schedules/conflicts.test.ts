import { describe, expect, it } from 'vitest';
import { agenda, findConflicts, resolveOrder, type Contender } from '../../schedules/index.js';
import { iso, ms, programme, sharesSpeakers } from './fixtures.js';

// Asia/Ho_Chi_Minh, UTC+7: 06:00 local on 2 March 2026 is 2026-03-01T23:00Z.
const minutes = (n: number) => n * 60_000;
const morning = programme({
  id: 'sang',
  title: 'Bản tin sáng',
  items: [{ kind: 'media', mediaId: 'm1', durationMs: minutes(30) }],
  targets: { zones: ['thon-1', 'thon-2'] },
});
const campaign = programme({
  id: 'tiem-chung',
  title: 'Tuyên truyền tiêm chủng',
  priority: 2,
  items: [{ kind: 'media', mediaId: 'm2', durationMs: minutes(10) }],
  targets: { zones: ['thon-2'] },
  recurrence: { kind: 'daily', times: ['06:15'] },
});
const elsewhere = programme({ ...campaign, id: 'thon-3', targets: { zones: ['thon-3'] } });
const pausedRival = programme({ ...campaign, id: 'tam-dung', paused: true });
const previousVersion = programme({ ...morning, title: 'Bản tin sáng (bản cũ)' });
const window = { from: ms('2026-03-01T12:00:00Z'), to: ms('2026-03-03T12:00:00Z') };

describe('findConflicts', () => {
  it('finds each overlap on shared speakers with both programmes and the overlap window', () => {
    const got = findConflicts(morning, [campaign, elsewhere, pausedRival, previousVersion], window.from, window.to, sharesSpeakers);
    expect(got.map((c) => [c.candidate.programmeId, c.other.programmeId, new Date(c.overlapFrom).toISOString(), new Date(c.overlapTo).toISOString()])).toEqual([
      ['sang', 'tiem-chung', '2026-03-01T23:15:00.000Z', '2026-03-01T23:25:00.000Z'],
      ['sang', 'tiem-chung', '2026-03-02T23:15:00.000Z', '2026-03-02T23:25:00.000Z'],
    ]);
    expect(got[0]?.candidate).toMatchObject({ title: 'Bản tin sáng', priority: 1, at: ms('2026-03-01T23:00:00Z'), durationMs: minutes(30) });
    expect(got[0]?.other).toMatchObject({ title: 'Tuyên truyền tiêm chủng', priority: 2, at: ms('2026-03-01T23:15:00Z'), key: 'tiem-chung@2026-03-01T23:15:00.000Z' });
  });

  it('counts occurrences that began before the window and still play into it', () => {
    const got = findConflicts(morning, [campaign], ms('2026-03-01T23:20:00Z'), ms('2026-03-02T12:00:00Z'), sharesSpeakers);
    expect(got.map((c) => new Date(c.overlapFrom).toISOString())).toEqual(['2026-03-01T23:15:00.000Z']);
    const later = findConflicts(morning, [campaign], ms('2026-03-01T23:25:00Z'), ms('2026-03-02T12:00:00Z'), sharesSpeakers);
    expect(later).toEqual([]);
  });

  it('does not count back-to-back programmes, nor a paused candidate', () => {
    const after = programme({ ...campaign, id: 'sau', recurrence: { kind: 'daily', times: ['06:30'] } });
    expect(findConflicts(morning, [after], window.from, window.to, sharesSpeakers)).toEqual([]);
    expect(findConflicts({ ...morning, paused: true }, [campaign], window.from, window.to, sharesSpeakers)).toEqual([]);
  });

  it('finds conflicts between different recurrence kinds', () => {
    const relay = programme({
      id: 'vov',
      title: 'Tiếp sóng VOV',
      items: [{ kind: 'stream', url: 'http://vov.example/live', durationMs: minutes(60) }],
      targets: { all: true },
      recurrence: { kind: 'cron', expr: '30 5 * * 1' },
    });
    // Monday 2 March: relay 05:30–06:30 local overlaps the morning bulletin 06:00–06:30.
    const got = findConflicts(morning, [relay], window.from, window.to, sharesSpeakers);
    expect(got.map((c) => [new Date(c.overlapFrom).toISOString(), new Date(c.overlapTo).toISOString()])).toEqual([
      ['2026-03-01T23:00:00.000Z', '2026-03-01T23:30:00.000Z'],
    ]);
  });
});

describe('resolveOrder', () => {
  const at = (t: string) => ms(t);
  const c = (programmeId: string, priority: number, start: string, durationMs = minutes(10)): Contender => ({
    programmeId,
    priority,
    at: at(start),
    durationMs,
  });

  it('lets the officer’s order decide between priority bulletins, ahead of routine ones', () => {
    const got = resolveOrder(
      [c('routine', 1, '2026-03-01T22:58:00Z'), c('x', 2, '2026-03-01T23:00:00Z'), c('y', 2, '2026-03-01T23:05:00Z')],
      ['y', 'x'],
    );
    expect(got.map((o) => o.programmeId)).toEqual(['y', 'x', 'routine']);
    expect(got.map((o) => new Date(o.plannedAt).toISOString())).toEqual([
      '2026-03-01T23:05:00.000Z',
      '2026-03-01T23:15:00.000Z',
      '2026-03-01T23:25:00.000Z',
    ]);
    expect(got.map((o) => o.delayMs)).toEqual([0, minutes(15), minutes(27)]);
  });

  it('plays the earlier priority bulletin first when the officer ranked neither, ranked before unranked', () => {
    expect(resolveOrder([c('b', 2, '2026-03-01T23:05:00Z'), c('a', 2, '2026-03-01T23:00:00Z')], []).map((o) => o.programmeId)).toEqual(['a', 'b']);
    expect(resolveOrder([c('a', 2, '2026-03-01T23:00:00Z'), c('b', 2, '2026-03-01T23:05:00Z')], ['b']).map((o) => o.programmeId)).toEqual(['b', 'a']);
  });

  it('orders routine programmes by start, whatever the ranking', () => {
    const got = resolveOrder([c('p', 1, '2026-03-01T23:10:00Z'), c('q', 1, '2026-03-01T23:00:00Z')], ['p', 'q']);
    expect(got.map((o) => o.programmeId)).toEqual(['q', 'p']);
    expect(got.map((o) => o.delayMs)).toEqual([0, 0]);
  });

  it('orders the two sides of a found conflict: priority first', () => {
    const [conflict] = findConflicts(morning, [campaign], window.from, window.to, sharesSpeakers);
    const got = resolveOrder([conflict!.candidate, conflict!.other], []);
    expect(got.map((o) => [o.programmeId, new Date(o.plannedAt).toISOString()])).toEqual([
      ['tiem-chung', '2026-03-01T23:15:00.000Z'],
      ['sang', '2026-03-01T23:25:00.000Z'],
    ]);
  });
});

describe('agenda', () => {
  it('merges many programmes into one calendar, sorted, priority first at the same instant', () => {
    const weekly = programme({ id: 'thu-hai', title: 'Thứ Hai', priority: 2, recurrence: { kind: 'weekly', weekdays: [1], times: ['06:00'] } });
    const evening = programme({ id: 'chieu', title: 'Bản tin chiều', recurrence: { kind: 'cron', expr: '0 17 * * *' } });
    const got = agenda([morning, evening, weekly, pausedRival], ms('2026-03-01T12:00:00Z'), ms('2026-03-02T12:00:00Z'));
    expect(got.map((o) => [o.programmeId, new Date(o.at).toISOString(), o.title])).toEqual([
      ['thu-hai', '2026-03-01T23:00:00.000Z', 'Thứ Hai'],
      ['sang', '2026-03-01T23:00:00.000Z', 'Bản tin sáng'],
      ['chieu', '2026-03-02T10:00:00.000Z', 'Bản tin chiều'],
    ]);
    expect(iso(agenda([], 0, ms('2026-03-02T12:00:00Z')))).toEqual([]);
  });
});
