import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { reportsFeature } from '../../controller/reports/routes.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

let t: TestController;
let fleet: Fleet;
let broadcastId: string;
let toneMs: number;

beforeAll(async () => {
  t = await startTestController({}, { features: [reportsFeature] });
  const devices = await provision(t.api, { 'thon-dong': 2, 'thon-tay': 2 });
  const tone = await uploadTone(t.api, 2, 'Tin "đặc biệt", số 1');
  toneMs = tone.durationMs;
  // One speaker of Thôn Tây never connects.
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices: devices.slice(0, 3), speed: 20 });
  await fleet.start();
  await whenOnline(t.c, devices.slice(0, 3).map((d) => d.id));
  const b = await t.api.post('/api/v1/broadcasts', { title: 'Tin "đặc biệt", số 1', mediaId: tone.id, targets: { all: true }, priority: 1 });
  broadcastId = b.body.id;
  await whenSummary(t.c, broadcastId, (s) => s.done === 3);
});
afterAll(async () => {
  await fleet.stop();
  await t.close();
});

const month = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);

describe('airtime report', () => {
  it('counts what played per village and speaker, with the full duration of each play', async () => {
    const res = await t.api.get(`/api/v1/reports/airtime?month=${month()}`);
    expect(res.status).toBe(200);
    const villages = Object.fromEntries(res.body.byVillage.map((v: { name: string }) => [v.name, v]));
    expect(villages['Thôn thon-dong']).toMatchObject({ broadcasts: 1, played: 2, failed: 0, playedMs: 2 * toneMs });
    expect(villages['Thôn thon-tay']).toMatchObject({ broadcasts: 1, played: 1, failed: 1, playedMs: toneMs });
    expect(res.body.rows).toHaveLength(4);
    expect(res.body.rows.filter((r: { result: string }) => r.result === 'no_answer')).toHaveLength(1);
    expect(res.body.total).toMatchObject({ broadcasts: 1, played: 3, failed: 1, playedMs: 3 * toneMs });
    const villagesOnly = (await t.api.get(`/api/v1/reports/airtime?month=${month()}&detail=villages`)).body;
    expect(villagesOnly).toEqual({ month: month(), total: res.body.total, byVillage: res.body.byVillage });
  });

  it('exports CSV in UTF-8 with a BOM, Vietnamese intact and quoting right', async () => {
    const res = await fetch(`${t.c.httpUrl}/api/v1/reports/airtime?month=${month()}&format=csv`, { headers: { authorization: `Bearer ${t.api.token}` } });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('Thời lượng (giây)');
    expect(lines[1]).toMatch(/^"Tin ""đặc biệt"", số 1",1,Thôn thon-/);
    expect(lines.some((l) => l.includes('Không phản hồi / no_answer'))).toBe(true);
  });

  it('refuses a malformed month', async () => {
    expect((await t.api.get('/api/v1/reports/airtime?month=2026-13')).status).toBe(400);
  });
});
