/** POST /api/v1/schedules/check: a dry run of create or edit — the same validation, the conflicts, nothing saved. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgrammesFeature } from '../../controller/programmes/feature.js';
import { Api } from '../helpers/api.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';

let t: TestController;
let tone: { id: string; durationMs: number };
let morning: string;

const programme = (over: Record<string, unknown> = {}) => ({
  title: 'Thông báo của xã',
  items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }],
  targets: { zones: ['thon-a'] },
  priority: 1,
  recurrence: { kind: 'weekly', weekdays: [1, 2, 3, 4, 5], times: ['06:30'] },
  ...over,
});

beforeAll(async () => {
  t = await startTestController({}, { features: [createProgrammesFeature({ prefetchMs: 60_000, graceMs: 60_000, tickMs: 1000 })] });
  await provision(t.api, { 'thon-a': 2, 'thon-b': 2 });
  tone = await uploadTone(t.api, 4, 'Bản tin sáng');
  const res = await t.api.post('/api/v1/schedules', programme({ title: 'Bản tin sáng', recurrence: { kind: 'daily', times: ['06:30'] } }));
  expect(res.status).toBe(201);
  morning = res.body.programme.id;
});
afterAll(async () => {
  await t?.close();
});

describe('checking a programme before saving it', () => {
  it('reports the conflicts the new programme would have, and saves nothing', async () => {
    const res = await t.api.post('/api/v1/schedules/check', programme());
    expect(res.status).toBe(200);
    // Five weekday mornings a week over the next 31 days, each playing over the daily 06:30 programme.
    expect(res.body.conflicts.length).toBeGreaterThanOrEqual(20);
    for (const c of res.body.conflicts) {
      expect(c.other).toMatchObject({ programmeId: morning, title: 'Bản tin sáng' });
      expect(c.candidate.local.slice(11)).toBe('06:30');
      expect(c.overlapTo - c.overlapFrom).toBe(tone.durationMs);
    }
    expect((await t.api.get('/api/v1/schedules')).body.items.map((p: { id: string }) => p.id)).toEqual([morning]);
  });

  it('finds none where no speaker is shared, nor for an edit of the programme against itself', async () => {
    expect((await t.api.post('/api/v1/schedules/check', programme({ targets: { zones: ['thon-b'] } }))).body).toEqual({ conflicts: [] });
    // The stored version plays at the very same time: it is the programme's past, not a rival.
    const self = await t.api.post(`/api/v1/schedules/check?id=${morning}`, programme({ title: 'Bản tin sáng (sửa)', recurrence: { kind: 'daily', times: ['06:30'] } }));
    expect(self.body).toEqual({ conflicts: [] });
    expect((await t.api.get(`/api/v1/schedules/${morning}`)).body.programme.title).toBe('Bản tin sáng');
  });

  it('refuses what create refuses, with the same codes', async () => {
    const badDates = await t.api.post('/api/v1/schedules/check', programme({ startDate: '2026-12-10', endDate: '2026-12-01' }));
    expect(badDates.status).toBe(400);
    expect(badDates.body.error.code).toMatch(/^LOA_SCHEDULE_/);
    expect((await t.api.post('/api/v1/schedules/check', programme({ recurrence: { kind: 'weekly', weekdays: [], times: ['06:30'] } }))).status).toBe(400);
    expect((await t.api.post('/api/v1/schedules/check', programme({ targets: { zones: ['thon-khong-co'] } }))).status).toBe(404);
    expect((await t.api.post('/api/v1/schedules/check?id=p-khong-co', programme())).status).toBe(404);
  });

  it('takes weekly and monthly recurrences whole (no branch of the union strips them) and refuses unknown fields', async () => {
    const weekly = { kind: 'weekly', weekdays: [1, 3, 5], times: ['17:00'] };
    const monthly = { kind: 'monthly', days: [1, 15], times: ['07:00', '19:00'] };
    expect((await t.api.post('/api/v1/schedules/check', programme({ targets: { zones: ['thon-b'] }, recurrence: monthly }))).body).toEqual({ conflicts: [] });
    const created = await t.api.post('/api/v1/schedules', programme({ targets: { zones: ['thon-b'] }, recurrence: weekly }));
    expect(created.status).toBe(201);
    expect(created.body.programme.recurrence).toEqual(weekly);
    await t.api.delete(`/api/v1/schedules/${created.body.programme.id}`);
    const extra = await t.api.post('/api/v1/schedules/check', programme({ recurrence: { ...weekly, days: [1] } }));
    expect(extra.status).toBe(400);
  });

  it('needs the permission that create needs', async () => {
    const created = await t.api.post('/api/v1/users', { username: 'nguoi-xem', password: 'mat-khau-nguoi-xem', role: 'viewer', commune: 'xa-demo' });
    expect(created.status).toBe(201);
    const viewer = new Api(t.c.httpUrl);
    await viewer.login('nguoi-xem', 'mat-khau-nguoi-xem');
    const res = await viewer.post('/api/v1/schedules/check', programme());
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('LOA_FORBIDDEN');
  });
});

describe('editing and sharing programmes', () => {
  it('clears an end date with null, and keeps it when the field is left out', async () => {
    const created = await t.api.post('/api/v1/schedules', programme({ targets: { zones: ['thon-b'] }, recurrence: { kind: 'daily', times: ['19:00'] }, endDate: '2027-01-31' }));
    const id = created.body.programme.id;
    expect((await t.api.patch(`/api/v1/schedules/${id}`, { title: 'Tin tối' })).body.programme.endDate).toBe('2027-01-31');
    const cleared = await t.api.patch(`/api/v1/schedules/${id}`, { endDate: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.programme).not.toHaveProperty('endDate');
    expect((await t.api.get(`/api/v1/schedules/${id}`)).body.programme).toMatchObject({ title: 'Tin tối', editable: true });
    await t.api.delete(`/api/v1/schedules/${id}`);
  });

  it('shows a district programme that plays in a commune to that commune, read-only', async () => {
    const created = await t.api.post('/api/v1/users', { username: 'canbo-xa', password: 'mat-khau-can-bo-xa', role: 'officer', commune: 'xa-demo' });
    expect(created.status).toBe(201);
    const officer = new Api(t.c.httpUrl);
    await officer.login('canbo-xa', 'mat-khau-can-bo-xa');
    const listed = (await officer.get('/api/v1/schedules')).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: morning, editable: false })]);
    const from = Date.now();
    expect((await officer.get(`/api/v1/schedules/agenda?from=${from}&to=${from + 3 * 86_400_000}`)).body.items.length).toBeGreaterThanOrEqual(2);
    expect((await officer.patch(`/api/v1/schedules/${morning}`, { title: 'Đổi tên' })).status).toBe(404);
    expect((await officer.delete(`/api/v1/schedules/${morning}`)).status).toBe(404);
  });
});
