import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

// An alert to 1,000 speakers, 10 % offline and 5 % on flapping links, over a running programme.
let t: TestController;
let fleet: Fleet;
let devices: Array<{ id: string; secret: string; zoneId: string }>;
let longTone: { id: string };
const CONFIRM_BOUND_MS = 10_000;

beforeAll(async () => {
  t = await startTestController({ retryMs: 500 });
  devices = await provision(t.api, { 'thon-1': 250, 'thon-2': 250, 'thon-3': 250, 'thon-4': 250 });
  longTone = await uploadTone(t.api, 60, 'Chương trình buổi sáng');
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 5, seed: 11, shareDownloads: true, offlineShare: 0.1, flapShare: 0.05, flapIntervalMs: 4000, reconnectMs: 500, connectConcurrency: 250 });
  await fleet.start();
  const steady = fleet.devices.filter((d) => !fleet.offline.includes(d) && !fleet.flapping.includes(d));
  await whenOnline(t.c, steady.map((d) => d.id));
}, 120_000);
afterAll(async () => {
  // The controller first: a thousand speakers then stop without waiting on its answers.
  await t?.close();
  await fleet?.stop();
}, 120_000);

const playedAlert = (d: SimDevice, broadcastIds: string[]) => d.plays.some((p) => broadcastIds.includes(p.broadcastId));

describe('an emergency alert', () => {
  it('interrupts the programme, reaches every online speaker within the bound, the offline ones on reconnect; cancel stops all', { timeout: 120_000 }, async () => {
    const programme = await t.api.post('/api/v1/broadcasts', { title: 'Chương trình sáng', mediaId: longTone.id, targets: { all: true }, priority: 1 });
    await whenSummary(t.c, programme.body.id, (s) => s.playing >= 800, 60_000);

    const t0 = Date.now();
    const res = await t.api.post('/api/v1/alerts', {
      hazard: 'flash-flood',
      riskLevel: 4,
      title: 'Lũ quét sông Lô',
      message: { mediaId: longTone.id },
      targets: { all: true },
      signal: 'none',
      notAfter: Date.now() + 60_000,
    });
    expect(res.status).toBe(201);
    expect(res.body.targeted).toBe(1000);
    const alertBroadcast = res.body.repetitions[0].broadcastId as string;
    const online = fleet.devices.filter((d) => !fleet.offline.includes(d));
    await whenSummary(t.c, alertBroadcast, (s) => s.playing + s.done >= online.length, CONFIRM_BOUND_MS);
    const confirmMs = Date.now() - t0;
    console.log(`alert: ${online.length} online speakers playing within ${confirmMs} ms`);
    expect(confirmMs).toBeLessThan(CONFIRM_BOUND_MS);

    // Flapping speakers report the interruption when their link is back.
    const prog = await whenSummary(t.c, programme.body.id, (s) => s.interrupted >= 800 && s.playing === 0);
    expect(prog.interrupted).toBeGreaterThanOrEqual(800);

    // Half the offline speakers come back before notAfter and get it.
    const back = fleet.offline.slice(0, 50);
    await Promise.all(back.map((d) => d.start()));
    await whenSummary(t.c, alertBroadcast, (s) => s.playing + s.done >= online.length + back.length);
    for (const d of back) expect(playedAlert(d, [alertBroadcast])).toBe(true);

    const view = await t.api.get(`/api/v1/alerts/${res.body.id}`);
    expect(view.body.confirmed).toBeGreaterThanOrEqual(online.length + back.length);

    const cancelled = await t.api.post(`/api/v1/alerts/${res.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('cancelled');
    const s = await whenSummary(t.c, alertBroadcast, (x) => x.playing === 0 && x.noAnswer === 0);
    expect(s.interrupted).toBe(1000 - s.done);
    for (const d of fleet.devices) expect(d.player.playing === null || !d.player.playing.startsWith(alertBroadcast)).toBe(true);
  });

  it('reaches an offline speaker that returns after notAfter as expired, never played', { timeout: 60_000 }, async () => {
    const late = fleet.offline.slice(50, 60);
    const short = await uploadTone(t.api, 2, 'Cảnh báo ngắn');
    const res = await t.api.post('/api/v1/alerts', {
      hazard: 'storm',
      riskLevel: 3,
      title: 'Bão số 3',
      message: { mediaId: short.id },
      targets: { devices: late.map((d) => d.id) },
      signal: 'none',
      notAfter: Date.now() + 500,
    });
    const id = res.body.repetitions[0].broadcastId as string;
    await whenSummary(t.c, id, (x) => x.expired === late.length, 20_000);
    await Promise.all(late.map((d) => d.start()));
    await whenOnline(t.c, late.map((d) => d.id));
    for (const d of late) expect(playedAlert(d, [id])).toBe(false);
  });
});
