/**
 * "Missed the last broadcast": a speaker whose delivery of the most recent finished broadcast that
 * targeted it ended failed, expired or unanswered is flagged and alarmed; the next broadcast it
 * plays clears it. Real clock, real audio, simulated speakers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline } from '../helpers/wait.js';
import { healthHandle, webhookServer, whenAlarm, type Hook } from './_helpers.js';

let h: ReturnType<typeof healthHandle>;
let t: TestController;
let fleet: Fleet;
let hook: Hook;
let tone: { id: string };
const [OK, AMP, AWAY] = ['thon-m-0000', 'thon-m-0001', 'thon-m-0002'];

beforeAll(async () => {
  hook = await webhookServer();
  h = healthHandle({ webhookUrl: hook.url });
  t = await startTestController({ retryMs: 200, expiryGraceMs: 200 }, { features: [h.feature] });
  const devices = await provision(t.api, { 'thon-m': 3 });
  tone = await uploadTone(t.api, 1);
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
  await Promise.all([OK, AMP].map((id) => fleet.get(id)!.start()));
  await whenOnline(t.c, [OK, AMP]);
  fleet.get(AMP)!.setFaults({ ampFault: true });
});
afterAll(async () => {
  await fleet?.stop();
  await t?.close();
  await hook?.close();
});

const view = (id: string) => t.api.get(`/api/v1/health/devices/${id}`).then((r) => r.body);
const finished = (jobId: string) =>
  new Promise<void>((resolve) => {
    const off = t.c.bus.on('job.finished', (e) => {
      if (e.jobId !== jobId) return;
      off();
      resolve();
    });
  });

describe('missed the last broadcast', () => {
  it('flags and alarms the speakers that failed or never answered', async () => {
    const raised = Promise.all([AMP, AWAY].map((id) => whenAlarm(h.running(), (e, a) => e === 'raised' && a.type === 'missed_broadcast' && a.deviceId === id)));
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Lịch tiêm phòng', mediaId: tone.id, targets: { zones: ['thon-m'] }, priority: 1, notAfter: Date.now() + 2500 });
    expect(res.status).toBe(201);
    await raised;
    expect(await view(OK)).toMatchObject({ missedLastBroadcast: false, lastBroadcast: { broadcastId: res.body.id, state: 'done' } });
    expect(await view(AMP)).toMatchObject({ missedLastBroadcast: true, lastBroadcast: { state: 'failed', error: { code: 'amp_fault' } } });
    expect(await view(AWAY)).toMatchObject({ missedLastBroadcast: true, lastBroadcast: { state: 'expired' } });
    const missed = (await t.api.get('/api/v1/health/devices?missed=true')).body.items.map((v: any) => v.id);
    expect(missed.sort()).toEqual([AMP, AWAY]);
    expect((await t.api.get('/api/v1/health/summary')).body.counts.missedLastBroadcast).toBe(2);
    await h.running().notifier!.idle();
    const alarm = hook.bodies.find((b) => b.alarm.deviceId === AMP && b.alarm.type === 'missed_broadcast');
    expect(alarm.message.vi).toContain('Lịch tiêm phòng');
  });

  it('the next broadcast played clears the flag and the alarm', async () => {
    fleet.get(AMP)!.setFaults({});
    await fleet.get(AWAY)!.start();
    await whenOnline(t.c, [AWAY]);
    const cleared = Promise.all([AMP, AWAY].map((id) => whenAlarm(h.running(), (e, a) => e === 'cleared' && a.type === 'missed_broadcast' && a.deviceId === id)));
    const res = await t.api.post('/api/v1/broadcasts', { title: 'Thông báo họp', mediaId: tone.id, targets: { zones: ['thon-m'] }, priority: 1 });
    await Promise.all([finished(res.body.id), cleared]);
    for (const id of [OK, AMP, AWAY]) expect(await view(id)).toMatchObject({ missedLastBroadcast: false, lastBroadcast: { broadcastId: res.body.id, state: 'done' } });
    expect((await t.api.get('/api/v1/alarms?type=missed_broadcast&state=open')).body.items).toEqual([]);
  });
});
