import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { createAlertsFeature } from '../../controller/alerts/feature.js';
import { createProgrammesFeature } from '../../controller/programmes/feature.js';
import { createBulletinsFeature } from '../../controller/bulletins/feature.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { sineWav } from '../helpers/audio.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

const KEY = 'khoa-nguon-tinh';
let t: TestController;
let fleet: Fleet;

beforeAll(async () => {
  t = await startTestController({}, {
    features: [createAlertsFeature({}), createProgrammesFeature({ prefetchMs: 60_000, graceMs: 60_000, tickMs: 1000 }), createBulletinsFeature([{ source: 'so-vhtt-tinh', key: KEY, commune: null }])],
  });
  const devices = await provision(t.api, { 'thon-a': 8 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
});
afterAll(async () => {
  await fleet.stop();
  await t.close();
});

const push = (body: object, key = KEY) =>
  fetch(`${t.c.httpUrl}/api/v1/bulletins`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('bulletins from above', () => {
  it('puts a normal bulletin in the inbox once, however often it is pushed, and refuses unknown sources', async () => {
    const audio = sineWav(1).toString('base64');
    const first = await push({ id: 'BT-001', level: 'normal', title: 'Tuyên truyền tiêm chủng', audioBase64: audio });
    expect(first.status).toBe(201);
    expect(first.body.bulletin.state).toBe('inbox');
    const again = await push({ id: 'BT-001', level: 'normal', title: 'Tuyên truyền tiêm chủng', audioBase64: audio });
    expect(again.body).toMatchObject({ duplicate: true, bulletin: { id: first.body.bulletin.id } });
    const inbox = await t.api.get('/api/v1/bulletins');
    expect(inbox.body.items.filter((b: { sourceId: string }) => b.sourceId === 'BT-001')).toHaveLength(1);
    expect((await push({ id: 'X', level: 'normal', title: 'x' }, 'sai')).status).toBe(401);
  });

  it('the officer schedules an inbox bulletin as a programme', async () => {
    const inbox = await t.api.get('/api/v1/bulletins');
    const b = inbox.body.items.find((x: { sourceId: string }) => x.sourceId === 'BT-001');
    const at = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 11) + '06:00';
    const res = await t.api.post(`/api/v1/bulletins/${b.id}/schedule`, { at });
    expect(res.status).toBe(201);
    expect(res.body.bulletin.state).toBe('scheduled');
    expect(res.body.programme.recurrence).toEqual({ kind: 'once', at });
  });

  it('reads out a bulletin that came as text only when the officer schedules it', async () => {
    const text = 'Xã thông báo: từ ngày mai, tiêm chủng mở rộng tại trạm y tế xã.';
    expect((await push({ id: 'BT-002', level: 'normal', title: 'Tiêm chủng', text })).status).toBe(201);
    const b = (await t.api.get('/api/v1/bulletins')).body.items.find((x: { sourceId: string }) => x.sourceId === 'BT-002');
    expect(b.mediaId).toBeNull();
    const at = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 11) + '07:00';
    const res = await t.api.post(`/api/v1/bulletins/${b.id}/schedule`, { at });
    expect(res.status).toBe(201);
    const item = res.body.programme.items[0];
    const media = (await t.api.get(`/api/v1/media/${item.mediaId}`)).body;
    expect(media).toMatchObject({ title: 'Tiêm chủng', text });
    expect(media.durationMs).toBeGreaterThan(2000);
    expect(item.durationMs).toBe(media.durationMs);
    expect(res.body.bulletin.mediaId).toBe(media.id);
  });

  it('sends an emergency bulletin to every speaker at once through the alert path', async () => {
    const res = await push({ id: 'KC-9', level: 'emergency', title: 'Lũ về nhanh', audioBase64: sineWav(1).toString('base64') });
    expect(res.status).toBe(201);
    expect(res.body.bulletin.state).toBe('sent');
    const alert = await t.api.get(`/api/v1/alerts/${res.body.bulletin.alertId}`);
    expect(alert.body.targeted).toBe(8);
    await whenSummary(t.c, alert.body.repetitions[0].broadcastId, (s) => s.done === 8);
    const again = await push({ id: 'KC-9', level: 'emergency', title: 'Lũ về nhanh' });
    expect(again.body.duplicate).toBe(true);
    expect((await t.api.get('/api/v1/alerts')).body.items.filter((a: { id: string }) => a.id === res.body.bulletin.alertId)).toHaveLength(1);
  });
});
