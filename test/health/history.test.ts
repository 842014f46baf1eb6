/**
 * Telemetry history and uptime on a clock the test moves: 5-minute summaries keep the right
 * min/avg/max/count/last (worked out by hand), raw and summaries are pruned past their windows,
 * open buckets are rebuilt after a restart, and uptime per day is right over a day with outages.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDevice } from '../../device-sim/index.js';
import { startTestController, type TestController } from '../helpers/controller.js';
import { beat, DAY, healthHandle, healthRig, HOUR, MIN, manualClock, whenBack, whenOffline, type HealthRig } from './_helpers.js';

const T0 = Date.parse('2025-03-10T00:00:00+07:00'); // a local midnight, and a 5-minute boundary
const clock = manualClock(T0);
let rig: HealthRig;
let probe: SimDevice;
let flaky: SimDevice;

const series = (id: string, q: string) => rig.t.api.get(`/api/v1/health/devices/${id}/telemetry?${q}`).then((r) => r.body);

beforeAll(async () => {
  rig = await healthRig({ clock, communes: { 'xa-h': { 'thon-h': 2 } } });
  [probe, flaky] = rig.fleet.devices as [SimDevice, SimDevice];
});
afterAll(async () => {
  await rig?.close();
});

async function beatAt(t: number, faults: Parameters<SimDevice['setFaults']>[0]): Promise<void> {
  clock.set(t);
  probe.setFaults(faults);
  await beat(rig.t.c, probe);
}

describe('telemetry history', () => {
  it('5-minute summaries: min/avg/max of numbers, last of enums, sample count', async () => {
    await beatAt(T0 + 10_000, { power: 'battery', batteryPct: 80 });
    await beatAt(T0 + MIN, { power: 'battery', batteryPct: 60 });
    await beatAt(T0 + 5 * MIN - 1, { power: 'solar', batteryPct: 70 });
    await beatAt(T0 + 5 * MIN, {}); // mains: no battery reading at all
    await beatAt(T0 + 7 * MIN, {});
    await rig.health().monitor.tick();

    const body = await series(probe.id, `from=${T0}&to=${T0 + 10 * MIN}&resolution=5m`);
    expect(body.items).toHaveLength(2);
    const [first, second] = body.items;
    // by hand: 80, 60, 70 → min 60, avg 70, max 80; the last power reading was solar
    expect(first).toMatchObject({ ts: T0, count: 3, last: { power: 'solar', amp: 'ok', line: 'ok' } });
    expect(first.fields.batteryPct).toEqual({ min: 60, avg: 70, max: 80 });
    expect(first.fields.storageFreeMb).toEqual({ min: 900, avg: 900, max: 900 });
    expect(first.fields.seq).toBeUndefined();
    expect(first.partial).toBeUndefined();
    expect(second).toMatchObject({ ts: T0 + 5 * MIN, count: 2, partial: true, last: { power: 'mains' } });
    expect(second.fields.batteryPct).toBeUndefined();

    // The random readings agree with the raw heartbeats of the same bucket.
    const raw = await series(probe.id, `from=${T0}&to=${T0 + 5 * MIN}&resolution=raw`);
    const rssi = raw.items.map((e: any) => e.data.rssiDbm as number);
    expect(rssi).toHaveLength(3);
    const avg = Math.round(((rssi[0] + rssi[1] + rssi[2]) / 3) * 1000) / 1000;
    expect(first.fields.rssiDbm).toEqual({ min: Math.min(...rssi), avg, max: Math.max(...rssi) });
  });

  it('uptime per local day, over a day with outages', async () => {
    const uptime = (id: string, days: number) => rig.t.api.get(`/api/v1/health/devices/${id}/uptime?days=${days}`).then((r) => r.body);
    const at = async (hours: number, act: () => Promise<void> | void, event: (id: string) => Promise<void>) => {
      clock.set(T0 + hours * HOUR);
      const seen = event(flaky.id);
      await act();
      await seen;
    };
    // online from 00:00 (the fleet started at T0); lost 06:00–08:00; shut down 20:00; back at 03:00 next day
    await at(6, () => flaky.kill({ reconnect: false }), (id) => whenOffline(rig.t.c, id));
    await at(8, () => flaky.start(), (id) => whenBack(rig.t.c, id));
    await at(20, () => flaky.stop(), (id) => whenOffline(rig.t.c, id));
    clock.set(T0 + 27 * HOUR);
    await rig.health().monitor.tick(); // local midnight passed: every speaker's state is marked
    await at(27, () => flaky.start(), (id) => whenBack(rig.t.c, id));
    clock.set(T0 + 30 * HOUR);

    const body = await uptime(flaky.id, 3);
    expect(body.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(body.days).toEqual([
      { day: '2025-03-09', observedMs: 0, onlineMs: 0, share: null }, // before it was registered
      { day: '2025-03-10', observedMs: 24 * HOUR, onlineMs: 18 * HOUR, share: 0.75 }, // 6 h + 12 h
      { day: '2025-03-11', observedMs: 6 * HOUR, onlineMs: 3 * HOUR, share: 0.5 }, // 03:00–06:00 of 00:00–06:00
    ]);
    expect((await uptime(probe.id, 2)).days.map((x: any) => x.share)).toEqual([1, 1]);
  });

  it('prunes raw telemetry past a day and summaries past 90 days', async () => {
    const rawDir = path.join(rig.t.dataDir, 'history', 'telemetry');
    const seriesDir = path.join(rig.t.dataDir, 'health', 'telemetry-5m', probe.id);
    await rig.t.c.store.telemetry.flush();
    expect((await fs.readdir(rawDir)).filter((f) => f.startsWith('2025-03-09')).length).toBeGreaterThan(0);
    clock.set(T0 + 3 * DAY);
    const first = await rig.health().monitor.prune();
    expect(first.rawDays).toBeGreaterThanOrEqual(1);
    expect((await fs.readdir(rawDir)).filter((f) => f.startsWith('2025-03-09'))).toEqual([]);
    expect((await series(probe.id, `from=${T0}&to=${T0 + 10 * MIN}&resolution=raw`)).items).toEqual([]);
    expect((await series(probe.id, `from=${T0}&to=${T0 + 10 * MIN}&resolution=5m`)).items.map((b: any) => b.count)).toEqual([3, 2]);

    clock.set(T0 + 90 * DAY + HOUR); // past the window, though its month's file is still there
    expect((await series(probe.id, `from=${T0}&to=${T0 + 10 * MIN}`)).items).toEqual([]);
    expect(await fs.readdir(seriesDir)).toContain('2025-03.jsonl');
    clock.set(Date.parse('2025-04-01T00:00:00Z') + 90 * DAY);
    expect((await rig.health().monitor.prune()).summaryFiles).toBeGreaterThanOrEqual(1);
    expect(await fs.readdir(seriesDir)).not.toContain('2025-03.jsonl');
  });

  it('a restart rebuilds the open bucket from the raw log: no sample lost or counted twice', async () => {
    const start = Math.floor(clock.now() / (5 * MIN)) * 5 * MIN;
    await beatAt(start + MIN, {});
    await beatAt(start + 2 * MIN, {});
    await rig.fleet.stop();
    await rig.t.stop();
    const h = healthHandle();
    const restart = () => startTestController({ ...rig.t.config }, { clock, processor: null, features: [h.feature] });
    const buckets = async (t: TestController) =>
      (await t.api.get(`/api/v1/health/devices/${probe.id}/telemetry?from=${start}&to=${start + 5 * MIN}`)).body.items.map((b: any) => [b.count, b.partial ?? false]);
    let t = await restart();
    expect(await buckets(t)).toEqual([[2, true]]);
    clock.set(start + 5 * MIN);
    await h.running().monitor.tick();
    expect(await buckets(t)).toEqual([[2, false]]);
    await t.stop();
    t = await restart();
    try {
      await h.running().monitor.tick();
      expect(await buckets(t)).toEqual([[2, false]]);
    } finally {
      await t.stop();
    }
  });
});
