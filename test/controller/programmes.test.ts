import { afterEach, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { createProgrammesFeature } from '../../controller/programmes/feature.js';
import { occurrenceBroadcastId } from '../../controller/programmes/engine.js';
import { provision, startTestController, uploadTone, testConfig, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { startController } from '../../controller/runtime.js';
import { Api } from '../helpers/api.js';
import { freePort } from '../helpers/process.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** The controller's clock, shifted so that a local minute boundary (when programmes start) is `leadMs` away. */
function shiftedClock(leadMs: number) {
  const real = Date.now();
  const nextMinute = Math.ceil((real + leadMs) / 60_000) * 60_000;
  const clock = { shift: nextMinute - (real + leadMs), now: () => Date.now() + clock.shift };
  return { clock, occurrenceAt: nextMinute };
}

/** 'YYYY-MM-DDTHH:mm' in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
const localMinute = (utcMs: number) => new Date(utcMs + 7 * 3_600_000).toISOString().slice(0, 16);

async function startWith(leadMs: number, engine: { prefetchMs: number; graceMs: number }, overrides: { httpPort?: number } = {}) {
  const { clock, occurrenceAt } = shiftedClock(leadMs);
  const t = await startTestController(overrides, { clock, features: [createProgrammesFeature({ ...engine, tickMs: 100 })] });
  return { t, clock, occurrenceAt };
}

describe('programmes', () => {
  it('fire on time: 500 speakers with clocks off by up to ±3 s start together (p99 spread ≤ 100 ms)', { timeout: 90_000 }, async () => {
    const { t, clock, occurrenceAt } = await startWith(8000, { prefetchMs: 4000, graceMs: 60_000 });
    cleanups.push(() => t.close());
    const devices = await provision(t.api, { 'thon-a': 250, 'thon-b': 250 });
    const tone = await uploadTone(t.api, 2);
    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20, clockSkewMaxMs: 3000, shareDownloads: true, seed: 4 });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await whenOnline(t.c, devices.map((d) => d.id));
    await expect.poll(() => devices.every((d) => t.c.presence.get(d.id)?.clockOffsetMs !== null), { timeout: 10_000 }).toBe(true);

    const res = await t.api.post('/api/v1/schedules', { title: 'Bản tin sáng', items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { all: true }, priority: 1, recurrence: { kind: 'once', at: localMinute(occurrenceAt) } });
    expect(res.status).toBe(201);
    const broadcastId = occurrenceBroadcastId(`${res.body.programme.id}@${new Date(occurrenceAt).toISOString()}`, 0);
    await expect.poll(() => t.c.store.broadcasts.get(broadcastId) !== undefined, { timeout: 15_000 }).toBe(true);
    const s = await whenSummary(t.c, broadcastId, (x) => x.done === 500, 30_000);
    expect(s.done).toBe(500);

    const deliveries = (await t.api.get(`/api/v1/broadcasts/${broadcastId}/deliveries`)).body.items as Array<{ deviceId: string; at: Record<string, number> }>;
    // Every speaker had the file before the start.
    for (const d of deliveries) expect(d.at.ready!).toBeLessThanOrEqual(occurrenceAt);
    // Real start of each speaker = its device-clock start minus its skew; the target is the occurrence in real time.
    const target = occurrenceAt - clock.shift;
    const errors = fleet.devices.map((d) => {
      const play = d.plays.find((p) => p.broadcastId === broadcastId)!;
      return Math.abs(play.startedAt - (d.clock.now() - Date.now()) - target);
    });
    errors.sort((a, b) => a - b);
    const p99 = errors[Math.floor(errors.length * 0.99)]!;
    console.log(`programme start error across 500 speakers: p50 ${errors[250]} ms, p99 ${p99} ms, max ${errors.at(-1)} ms`);
    expect(p99).toBeLessThanOrEqual(100);
  });

  it('a restart one second before an occurrence neither loses nor duplicates it', { timeout: 60_000 }, async () => {
    const engine = { prefetchMs: 2500, graceMs: 60_000 };
    // The same HTTP port after the restart: the play command's media URL points there.
    const httpPort = await freePort();
    const first = await startWith(6000, engine, { httpPort });
    cleanups.push(() => first.t.close());
    const devices = await provision(first.t.api, { 'thon-a': 10 });
    const tone = await uploadTone(first.t.api, 1);
    const res = await first.t.api.post('/api/v1/schedules', { title: 'Tin trưa', items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { all: true }, priority: 1, recurrence: { kind: 'daily', times: [localMinute(first.occurrenceAt).slice(11)] } });
    const key = `${res.body.programme.id}@${new Date(first.occurrenceAt).toISOString()}`;
    const broadcastId = occurrenceBroadcastId(key, 0);
    // It goes out at prefetch (2.5 s before); the controller stops 1 s before the occurrence.
    await expect.poll(() => first.t.c.store.broadcasts.get(broadcastId) !== undefined, { timeout: 10_000 }).toBe(true);
    while (first.clock.now() < first.occurrenceAt - 1000) await new Promise((r) => setTimeout(r, 20));
    await first.t.stop();

    const config = await testConfig({ dataDir: first.t.dataDir, httpPort });
    const c = await startController(config, { logger: false, clock: first.clock, features: [createProgrammesFeature({ ...engine, tickMs: 100 })] });
    cleanups.push(() => c.close());
    const api = new Api(c.httpUrl);
    await api.login('admin', 'test-admin-password');
    const fleet = new Fleet({ brokerUrl: c.mqttUrl, devices, speed: 20 });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await whenOnline(c, devices.map((d) => d.id));
    await whenSummary(c, broadcastId, (x) => x.done === 10, 20_000);
    const occ = (await api.get(`/api/v1/schedules/${res.body.programme.id}/occurrences?from=${first.occurrenceAt - 1}&to=${first.occurrenceAt + 1}`)).body.items;
    expect(occ).toHaveLength(1);
    expect(occ[0].fired.broadcastIds).toEqual([broadcastId]);
    const fromThisProgramme = c.store.broadcasts.all().filter((b) => b.title === 'Tin trưa');
    expect(fromThisProgramme).toHaveLength(1);
    for (const d of fleet.devices) expect(d.plays.filter((p) => p.broadcastId === broadcastId)).toHaveLength(1);
  });

  it('downtime longer than the grace period records the occurrence as missed and sends nothing', { timeout: 60_000 }, async () => {
    const engine = { prefetchMs: 500, graceMs: 2000 };
    const first = await startWith(60_000, engine);
    cleanups.push(() => first.t.close());
    await provision(first.t.api, { 'thon-a': 3 });
    const tone = await uploadTone(first.t.api, 1);
    const res = await first.t.api.post('/api/v1/schedules', { title: 'Bị lỡ', items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { all: true }, priority: 1, recurrence: { kind: 'once', at: localMinute(first.occurrenceAt) } });
    await first.t.stop();
    // The controller is down across the occurrence and comes back 10 s after it.
    first.clock.shift += 70_000;
    const c = await startController(await testConfig({ dataDir: first.t.dataDir }), { logger: false, clock: first.clock, features: [createProgrammesFeature({ ...engine, tickMs: 100 })] });
    cleanups.push(() => c.close());
    const api = new Api(c.httpUrl);
    await api.login('admin', 'test-admin-password');
    await expect
      .poll(async () => (await api.get(`/api/v1/schedules/${res.body.programme.id}/occurrences?from=${first.occurrenceAt - 1}&to=${first.occurrenceAt + 1}`)).body.items[0]?.fired?.outcome, { timeout: 10_000 })
      .toBe('missed');
    expect(c.store.broadcasts.all().filter((b) => b.title === 'Bị lỡ')).toHaveLength(0);
  });

  it('reports conflicts on create, and follows the officer’s order for colliding priority bulletins', { timeout: 60_000 }, async () => {
    const { t, occurrenceAt } = await startWith(12_000, { prefetchMs: 4000, graceMs: 60_000 });
    cleanups.push(() => t.close());
    await provision(t.api, { 'thon-a': 3 });
    const tone = await uploadTone(t.api, 2);
    const at = localMinute(occurrenceAt);
    const body = (title: string) => ({ title, items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { zones: ['thon-a'] }, priority: 2, recurrence: { kind: 'once', at } });
    const a = await t.api.post('/api/v1/schedules', body('Bản tin ưu tiên A'));
    expect(a.body.conflicts).toEqual([]);
    const b = await t.api.post('/api/v1/schedules', body('Bản tin ưu tiên B'));
    expect(b.body.conflicts).toHaveLength(1);
    expect(b.body.conflicts[0].other).toMatchObject({ programmeId: a.body.programme.id, priority: 2 });
    // The officer puts B first.
    expect((await t.api.put('/api/v1/schedules/order', { order: [b.body.programme.id, a.body.programme.id] })).status).toBe(200);
    const occAt = occurrenceAt;
    const idOf = (p: { body: { programme: { id: string } } }) => occurrenceBroadcastId(`${p.body.programme.id}@${new Date(occAt).toISOString()}`, 0);
    await expect.poll(() => [idOf(a), idOf(b)].every((id) => t.c.store.broadcasts.get(id)), { timeout: 20_000, interval: 200 }).toBe(true);
    expect(t.c.store.broadcasts.get(idOf(b))!.startAt).toBe(occAt);
    expect(t.c.store.broadcasts.get(idOf(a))!.startAt).toBe(occAt + tone.durationMs);
    // Played second by the officer's order is on time, not late.
    const fired = (await t.api.get(`/api/v1/schedules/${a.body.programme.id}/occurrences?from=${occAt - 60_000}&to=${occAt + 60_000}`)).body.items[0].fired;
    expect(fired).toMatchObject({ outcome: 'sent', lateMs: 0, deferredMs: tone.durationMs });
  });
});
