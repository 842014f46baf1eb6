import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { fleetOpsFeature } from '../../controller/fleetops/feature.js';
import { Api } from '../helpers/api.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

let t: TestController;
let fleet: Fleet;
let devices: Array<{ id: string; secret: string; zoneId: string }>;
const inZone = (zoneId: string) => devices.filter((d) => d.zoneId === zoneId).map((d) => d.id);
const sim = (id: string): SimDevice => fleet.get(id)!;

beforeAll(async () => {
  t = await startTestController({}, { features: [fleetOpsFeature], processor: null });
  devices = await provision(t.api, { 'thon-dong': 6, 'thon-tay': 3 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 100 });
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
});
afterAll(async () => {
  await fleet?.stop();
  await t?.close();
});

describe('remote operations on a village or a list', () => {
  it('a village-wide test tone reports each speaker: the faulty amplifier failed amp_fault, the rest done', async () => {
    const village = inZone('thon-dong');
    const faulty = village[2]!;
    sim(faulty).setFaults({ ampFault: true });
    const res = await t.api.post('/api/v1/operations', { targets: { zones: ['thon-dong'] }, command: { type: 'test', durationMs: 1000 } });
    expect(res.status).toBe(202);
    expect(res.body.summary.targeted).toBe(6);
    await whenSummary(t.c, res.body.id, (s) => s.done + s.failed === 6);

    const op = await t.api.get(`/api/v1/operations/${res.body.id}`);
    expect(op.status).toBe(200);
    expect(op.body.counts).toMatchObject({ done: 5, failed: 1, no_answer: 0 });
    const byId = new Map<string, { result: string; error: { code: string } | null }>(op.body.results.map((r: { deviceId: string }) => [r.deviceId, r]));
    expect([...byId.keys()].sort()).toEqual([...village].sort());
    expect(byId.get(faulty)).toMatchObject({ result: 'failed', error: { code: 'amp_fault' } });
    for (const id of village.filter((x) => x !== faulty)) expect(byId.get(id)!.result).toBe('done');
    // Only the targeted village heard the tone.
    for (const id of inZone('thon-tay')) expect([...sim(id).executions.keys()].some((cmd) => cmd.startsWith(res.body.id))).toBe(false);
    sim(faulty).setFaults({});
  });

  it('sets the volume of a list; a speaker that is off shows as no answer until it comes back', async () => {
    const [on, off] = inZone('thon-tay') as [string, string];
    await sim(off).stop();
    const res = await t.api.post('/api/v1/operations', { targets: { devices: [on, off] }, command: { type: 'volume', volume: 35, muted: true } });
    expect(res.status).toBe(202);
    await whenSummary(t.c, res.body.id, (s) => s.done === 1);

    const op = (await t.api.get(`/api/v1/operations/${res.body.id}`)).body;
    expect(op.results.find((r: { deviceId: string }) => r.deviceId === on)).toMatchObject({ result: 'done', online: true });
    expect(op.results.find((r: { deviceId: string }) => r.deviceId === off)).toMatchObject({ result: 'no_answer', online: false, state: 'pending' });
    expect(sim(on).volume).toBe(35);
    expect(sim(on).muted).toBe(true);

    // PROTOCOL controller rule 2: a device that comes online gets its pending commands at once.
    await sim(off).start();
    await whenSummary(t.c, res.body.id, (s) => s.done === 2);
    expect(sim(off).volume).toBe(35);
  });

  it('refuses an empty target, an unknown village and a viewer account', async () => {
    const empty = await t.api.post('/api/v1/operations', { targets: { devices: [] }, command: { type: 'stop' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('LOA_NO_TARGETS');
    const unknown = await t.api.post('/api/v1/operations', { targets: { zones: ['thon-khong-co'] }, command: { type: 'reboot' } });
    expect(unknown.status).toBe(404);

    expect((await t.api.post('/api/v1/users', { username: 'xem', password: 'mat-khau-123', role: 'viewer', commune: null })).status).toBe(201);
    const viewer = new Api(t.c.httpUrl);
    await viewer.login('xem', 'mat-khau-123');
    expect((await viewer.post('/api/v1/operations', { targets: { all: true }, command: { type: 'reboot' } })).status).toBe(403);
  });
});
