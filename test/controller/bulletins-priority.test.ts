/**
 * A priority bulletin from above is offered for the commune's next programme slot (the next
 * occurrence on the calendar); once the officer accepts, it plays at that slot, and the routine
 * programme of the slot plays after it. Real HTTP, embedded broker and simulated speakers; the
 * controller's clock is shifted so that a slot is seconds away instead of hours.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { createProgrammesFeature } from '../../controller/programmes/feature.js';
import { occurrenceBroadcastId } from '../../controller/programmes/engine.js';
import { createBulletinsFeature } from '../../controller/bulletins/feature.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { sineWav } from '../helpers/audio.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

const KEY = 'khoa-nguon-tinh';
/** How far the slot lies ahead when the fleet connects: room to set up, push and accept before the prefetch. */
const LEAD_MS = 20_000;
const PREFETCH_MS = 4000;
/** How far a speaker's real start may lie from the slot on a loaded 2-core machine. */
const START_TOLERANCE_MS = 250;

type ShiftedClock = { shift: number; now(): number };
interface Office {
  t: TestController;
  clock: ShiftedClock;
  deviceIds: string[];
  devices: Array<{ id: string; secret: string }>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** 'YYYY-MM-DDTHH:mm' in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
const localMinute = (utcMs: number) => new Date(utcMs + 7 * 3_600_000).toISOString().slice(0, 16);
const occurrenceOf = (programmeId: string, at: number) => occurrenceBroadcastId(`${programmeId}@${new Date(at).toISOString()}`, 0);

/** A controller with programmes and bulletins and eight registered speakers (not connected). */
async function startOffice(): Promise<Office> {
  const clock: ShiftedClock = { shift: 0, now: () => Date.now() + clock.shift };
  const t = await startTestController({}, {
    clock,
    features: [createProgrammesFeature({ prefetchMs: PREFETCH_MS, graceMs: 60_000, tickMs: 100 }), createBulletinsFeature([{ source: 'so-vhtt-tinh', key: KEY, commune: null }])],
  });
  cleanups.push(() => t.close());
  const devices = await provision(t.api, { 'thon-a': 4, 'thon-b': 4 });
  return { t, clock, devices, deviceIds: devices.map((d) => d.id) };
}

/** Moves the clock so that the next local minute (a slot) is LEAD_MS away. */
function putNextMinuteAhead(clock: ShiftedClock): number {
  const real = Date.now();
  const minute = Math.ceil((real + LEAD_MS) / 60_000) * 60_000;
  clock.shift = minute - (real + LEAD_MS);
  return minute;
}

/** Connects the speakers; after the clock is set, since each speaker measures its offset from it once. */
async function connectFleet(o: Office): Promise<Fleet> {
  const fleet = new Fleet({ brokerUrl: o.t.c.mqttUrl, devices: o.devices, speed: 20 });
  cleanups.push(() => fleet.stop());
  await fleet.start();
  await whenOnline(o.t.c, o.deviceIds);
  await expect.poll(() => o.deviceIds.every((id) => o.t.c.presence.get(id)?.clockOffsetMs !== null), { timeout: 10_000 }).toBe(true);
  return fleet;
}

/** When the speaker really started playing that broadcast, in controller time (its own clock is skewed from ours). */
function realStartOf(d: SimDevice, broadcastId: string, clock: ShiftedClock): number | undefined {
  const play = d.plays.find((p) => p.broadcastId === broadcastId);
  return play && play.startedAt - (d.clock.now() - Date.now()) + clock.shift;
}

/** Routine daily programmes to all speakers, one per time given. */
async function routines(o: Office, slots: Record<string, number>): Promise<Record<string, string>> {
  const tone = await uploadTone(o.t.api, 2, 'Tin thường');
  const ids: Record<string, string> = {};
  for (const [title, at] of Object.entries(slots)) {
    const res = await o.t.api.post('/api/v1/schedules', { title, items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { all: true }, priority: 1, recurrence: { kind: 'daily', times: [localMinute(at).slice(11)] } });
    expect(res.status).toBe(201);
    ids[title] = res.body.programme.id;
  }
  return ids;
}

const pushPriority = (o: Office, id: string) =>
  fetch(`${o.t.c.httpUrl}/api/v1/bulletins`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, level: 'priority', title: `Phòng chống sốt xuất huyết ${id}`, audioBase64: sineWav(3).toString('base64') }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

/** Resolves once every listed broadcast exists (the engine makes them at the prefetch). */
function whenCreated(t: TestController, ids: string[]): Promise<void> {
  return new Promise((resolve) => {
    const done = () => ids.every((id) => t.c.store.broadcasts.get(id)) && (off(), resolve(), true);
    const off = t.c.bus.on('broadcast.created', done);
    done();
  });
}

const accept = (o: Office, bulletinId: string) => o.t.api.post(`/api/v1/bulletins/${bulletinId}/schedule`, {});

describe('a priority bulletin from above', () => {
  it('is offered for the next slot and, once accepted, plays in it ahead of the routine programme', { timeout: 90_000 }, async () => {
    const o = await startOffice();
    const slot = putNextMinuteAhead(o.clock);
    const fleet = await connectFleet(o);
    const ids = await routines(o, { 'Tin sáng': slot, 'Tin chiều': slot + 120_000 });

    const pushed = await pushPriority(o, 'UT-7');
    expect(pushed.status).toBe(201);
    expect(pushed.body.bulletin).toMatchObject({ state: 'offered', suggestedAt: slot });
    const accepted = await accept(o, pushed.body.bulletin.id);
    expect(accepted.status).toBe(201);
    expect(accepted.body.bulletin.state).toBe('scheduled');
    expect(accepted.body.programme).toMatchObject({ priority: 2, recurrence: { kind: 'once', at: localMinute(slot) } });
    const bulletinMs = accepted.body.programme.items[0].durationMs as number;
    expect(o.clock.now()).toBeLessThan(slot - PREFETCH_MS); // else the routine went out before the bulletin was accepted

    const bulletinId = occurrenceOf(accepted.body.programme.id, slot);
    const routineId = occurrenceOf(ids['Tin sáng']!, slot);
    await whenCreated(o.t, [bulletinId, routineId]);
    expect(o.t.c.store.broadcasts.get(bulletinId)).toMatchObject({ startAt: slot, priority: 2 });
    expect(o.t.c.store.broadcasts.get(routineId)).toMatchObject({ startAt: slot + bulletinMs, priority: 1 });

    await whenSummary(o.t.c, bulletinId, (s) => s.done === o.deviceIds.length, 30_000);
    const inbox = (await o.t.api.get('/api/v1/bulletins')).body.items;
    expect(inbox.find((b: { id: string }) => b.id === pushed.body.bulletin.id)).toMatchObject({ state: 'sent', broadcastId: bulletinId });
    await whenSummary(o.t.c, routineId, (s) => s.done === o.deviceIds.length, 30_000);
    const playedBulletin = fleet.devices.filter((d) => d.plays.some((p) => p.broadcastId === bulletinId && p.outcome === 'done'));
    expect(playedBulletin.map((d) => d.id).sort()).toEqual([...o.deviceIds].sort());
    for (const d of fleet.devices) {
      expect(d.plays.filter((p) => p.broadcastId === bulletinId)).toHaveLength(1);
      expect(Math.abs(realStartOf(d, bulletinId, o.clock)! - slot)).toBeLessThanOrEqual(START_TOLERANCE_MS);
      expect(Math.abs(realStartOf(d, routineId, o.clock)! - (slot + bulletinMs))).toBeLessThanOrEqual(START_TOLERANCE_MS);
      expect(d.plays.find((p) => p.broadcastId === routineId)!.outcome).toBe('done');
    }
  });

  it('is offered the following slot when the officer accepts after the offered one has passed', { timeout: 30_000 }, async () => {
    const o = await startOffice();
    const slot = putNextMinuteAhead(o.clock);
    await routines(o, { 'Tin sáng': slot, 'Tin chiều': slot + 120_000 });
    const pushed = await pushPriority(o, 'UT-8');
    expect(pushed.body.bulletin.suggestedAt).toBe(slot);

    o.clock.shift += slot - o.clock.now() + 1000;
    const late = await accept(o, pushed.body.bulletin.id);
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'LOA_BULLETIN_SLOT_PASSED', details: { offered: localMinute(slot), next: localMinute(slot + 120_000) } });
    const list = await o.t.api.get('/api/v1/bulletins');
    expect(list.body.items.find((b: { id: string }) => b.id === pushed.body.bulletin.id)).toMatchObject({ state: 'offered', suggestedAt: slot + 120_000 });

    const pastTime = await o.t.api.post(`/api/v1/bulletins/${pushed.body.bulletin.id}/schedule`, { at: localMinute(slot) });
    expect(pastTime.status).toBe(400);
    const again = await accept(o, pushed.body.bulletin.id);
    expect(again.status).toBe(201);
    expect(again.body.programme.recurrence).toEqual({ kind: 'once', at: localMinute(slot + 120_000) });
  });

  it('is not offered a slot whose play commands have already gone out', { timeout: 30_000 }, async () => {
    const o = await startOffice();
    const slot = putNextMinuteAhead(o.clock);
    await routines(o, { 'Tin sáng': slot, 'Tin chiều': slot + 120_000 });
    // Within the prefetch of the first slot: the speakers already hold the routine programme.
    o.clock.shift += slot - o.clock.now() - PREFETCH_MS / 2;
    const pushed = await pushPriority(o, 'UT-10');
    expect(pushed.body.bulletin.suggestedAt).toBe(slot + 120_000);
  });

  it('is put on the calendar once, however often the officer accepts it', { timeout: 30_000 }, async () => {
    const o = await startOffice();
    const slot = putNextMinuteAhead(o.clock);
    await routines(o, { 'Tin sáng': slot });
    const pushed = await pushPriority(o, 'UT-9');
    expect((await accept(o, pushed.body.bulletin.id)).status).toBe(201);
    const twice = await accept(o, pushed.body.bulletin.id);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('LOA_CONFLICT');
    const calendar = await o.t.api.get('/api/v1/schedules');
    expect(calendar.body.items.filter((p: { title: string }) => p.title === pushed.body.bulletin.title)).toHaveLength(1);
  });
});
