import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

let t: TestController;
let fleet: Fleet;
let devices: Array<{ id: string; secret: string; zoneId: string }>;
let tone: { id: string; durationMs: number };

const inZone = (zoneId: string) => devices.filter((d) => d.zoneId === zoneId).map((d) => d.id);
const sim = (id: string): SimDevice => fleet.get(id)!;
const executionsOf = (broadcastId: string) => fleet.devices.map((d) => [...d.executions].filter(([cmd]) => cmd.startsWith(`${broadcastId}~`)).reduce((n, [, count]) => n + count, 0));

beforeAll(async () => {
  t = await startTestController({ retryMs: 250, retryMaxMs: 2000 });
  devices = await provision(t.api, { 'thon-dong': 70, 'thon-tay': 70, 'thon-trung': 60 });
  tone = await uploadTone(t.api, 2);
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20, seed: 7 });
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
});
afterAll(async () => {
  await fleet?.stop();
  await t?.close();
});

describe('a broadcast reaches its speakers and every acknowledgement is tracked', () => {
  it('plays on all 200 speakers in 3 villages, each exactly once, with a right summary', async () => {
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Bản tin sáng', mediaId: tone.id, targets: { all: true }, priority: 1 });
    expect(res.status).toBe(201);
    expect(res.body.summary.targeted).toBe(200);
    const s = await whenSummary(t.c, res.body.id, (x) => x.done === 200);
    expect(s).toMatchObject({ targeted: 200, reached: 200, done: 200, failed: 0, noAnswer: 0, interrupted: 0 });
    expect(executionsOf(res.body.id)).toEqual(Array(200).fill(1));
    const deliveries = (await t.api.get(`/api/v1/broadcasts/${res.body.id}/deliveries`)).body.items as Array<{ state: string; at: Record<string, number> }>;
    expect(deliveries).toHaveLength(200);
    for (const d of deliveries) {
      expect(d.state).toBe('done');
      expect(d.at.received).toBeLessThanOrEqual(d.at.playing!);
      expect(d.at.playing).toBeLessThanOrEqual(d.at.done!);
    }
  });

  it('reaches only the targeted village', async () => {
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Họp thôn Tây', mediaId: tone.id, targets: { zones: ['thon-tay'] }, priority: 1 });
    expect(res.body.summary.targeted).toBe(70);
    await whenSummary(t.c, res.body.id, (x) => x.done === 70);
    const played = fleet.devices.filter((d) => d.plays.some((p) => p.broadcastId === res.body.id)).map((d) => d.id).sort();
    expect(played).toEqual(inZone('thon-tay').sort());
  });

  it('re-sends the same command id when acks are lost, and the speaker plays it once', async () => {
    const lossy = inZone('thon-trung').slice(0, 5);
    for (const id of lossy) sim(id).setFaults({ ackLossRate: 0.6 });
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Mất gói', mediaId: tone.id, targets: { devices: lossy }, priority: 1 });
    await whenSummary(t.c, res.body.id, (x) => x.done === 5, 30_000);
    for (const id of lossy) sim(id).setFaults({});
    const deliveries = (await t.api.get(`/api/v1/broadcasts/${res.body.id}/deliveries`)).body.items as Array<{ deviceId: string; attempts: number }>;
    expect(deliveries.some((d) => d.attempts > 1)).toBe(true);
    for (const id of lossy) {
      expect(sim(id).executions.get(`${res.body.id}~${id}`)).toBe(1);
      expect(sim(id).plays.filter((p) => p.broadcastId === res.body.id)).toHaveLength(1);
    }
  });

  it('a higher priority interrupts a lower one, and the lower one says so', async () => {
    const ids = inZone('thon-dong').slice(0, 10);
    const long = await uploadTone(t.api, 60, 'Nhạc nền');
    const low = await t.api.post('/api/v1/broadcasts', { title: 'Nhạc nền', mediaId: long.id, targets: { devices: ids }, priority: 0 });
    await whenSummary(t.c, low.body.id, (x) => x.playing === 10);
    const high = await t.api.post('/api/v1/broadcasts', { title: 'Thông báo ưu tiên', mediaId: tone.id, targets: { devices: ids }, priority: 2 });
    const lowSummary = await whenSummary(t.c, low.body.id, (x) => x.interrupted === 10);
    expect(lowSummary.playing).toBe(0);
    await whenSummary(t.c, high.body.id, (x) => x.done === 10);
    const view = await t.api.get(`/api/v1/broadcasts/${low.body.id}`);
    expect(view.body.summary.interrupted).toBe(10);
  });

  it('cancel stops a broadcast on every speaker', async () => {
    const ids = inZone('thon-trung').slice(10, 30);
    const long = await uploadTone(t.api, 60, 'Dài');
    const b = await t.api.post('/api/v1/broadcasts', { title: 'Huỷ', mediaId: long.id, targets: { devices: ids }, priority: 1 });
    await whenSummary(t.c, b.body.id, (x) => x.playing === 20);
    const cancelled = await t.api.post(`/api/v1/broadcasts/${b.body.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const s = await whenSummary(t.c, b.body.id, (x) => x.interrupted === 20);
    expect(s.playing).toBe(0);
    expect((await t.api.get(`/api/v1/broadcasts/${b.body.id}`)).body.status).toBe('cancelled');
  });
});

describe('offline speakers and presence', () => {
  it('an offline speaker gets its pending command when it connects, exactly once', async () => {
    const id = inZone('thon-dong')[20]!;
    await sim(id).stop();
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Chờ loa', mediaId: tone.id, targets: { devices: [id] }, priority: 1 });
    const before = await whenSummary(t.c, res.body.id, (x) => x.noAnswer === 1);
    expect(before.done).toBe(0);
    await sim(id).start();
    await whenSummary(t.c, res.body.id, (x) => x.done === 1);
    expect(sim(id).executions.get(`${res.body.id}~${id}`)).toBe(1);
  });

  it('one that comes back after notAfter has it expired, and never plays it', async () => {
    const id = inZone('thon-dong')[21]!;
    await sim(id).stop();
    const notAfter = Date.now() + 400;
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Hết hạn', mediaId: tone.id, targets: { devices: [id] }, priority: 1, notAfter });
    const s = await whenSummary(t.c, res.body.id, (x) => x.expired === 1, 60_000);
    expect(s.done).toBe(0);
    await sim(id).start();
    await whenOnline(t.c, [id]);
    expect(sim(id).plays.some((p) => p.broadcastId === res.body.id)).toBe(false);
  });

  it('a stale will arriving after a reconnect does not mark the speaker offline', async () => {
    const d = sim(inZone('thon-tay')[5]!);
    const old = d.session;
    d.kill();
    await new Promise<void>((resolve) => t.c.bus.on('device.online', (e) => e.deviceId === d.id && e.session > old && resolve()));
    // The dead connection's will, late: same device, older session, through the broker to the controller.
    const seen = new Promise<void>((resolve) => t.c.link.onHandled((topic) => topic === `loa/v1/d/${d.id}/state` && resolve()));
    await t.c.broker!.publish(`loa/v1/d/${d.id}/state`, JSON.stringify({ v: 1, online: false, reason: 'lost', session: old }), { qos: 1, retain: true });
    await seen;
    expect(t.c.presence.isOnline(d.id)).toBe(true);
    expect((await t.api.get(`/api/v1/devices/${d.id}`)).body.health.state).not.toBe('offline');
  });
});

