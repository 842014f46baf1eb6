/**
 * The fleet summary: counts per state per village and commune match the device list, the worst
 * speakers come first, a commune account sees only its commune, and the health timer alone
 * (no event) turns a quiet speaker silent and raises its alarm.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDevice } from '../../device-sim/index.js';
import { Api } from '../helpers/api.js';
import { beat, healthRig, MIN, manualClock, whenAlarm, whenBack, whenOffline, type HealthRig } from './_helpers.js';

const HB = 10 * MIN;
const clock = manualClock(Date.parse('2025-06-02T09:00:00+07:00'));
let rig: HealthRig;
const ids = { neverSeen: 'thon-1-0003', faulty: 'thon-1-0001', offline: 'thon-2-0000', silent: 'thon-2-0001', flaky: 'thon-3-0000', disabled: 'thon-3-0001', faultyB: 'thon-3-0002' };
let sims: SimDevice[];

beforeAll(async () => {
  rig = await healthRig({
    clock,
    communes: { 'xa-dong': { 'thon-1': 4, 'thon-2': 3 }, 'xa-tay': { 'thon-3': 3 } },
    health: { tickMs: 50 },
    notStarted: (id) => id === ids.neverSeen,
  });
  sims = rig.fleet.devices.filter((d) => d.id !== ids.neverSeen);
});
afterAll(async () => {
  await rig?.close();
});

describe('fleet summary', () => {
  it('the health timer alone turns a quiet speaker silent and raises its alarm', async () => {
    await beat(rig.t.c, ...sims);
    const silent = sims.find((d) => d.id === ids.silent)!;
    clock.advance(2 * HB);
    await beat(rig.t.c, ...sims.filter((d) => d !== silent));
    const raised = whenAlarm(rig.health(), (e, a) => e === 'raised' && a.type === 'silent');
    clock.advance(HB + 1);
    expect(await raised).toMatchObject({ deviceId: ids.silent });
  });

  it('counts per state per village and commune match the device list; worst first', async () => {
    const sim = (id: string) => sims.find((d) => d.id === id)!;
    sim(ids.faulty).setFaults({ ampFault: true });
    sim(ids.faultyB).setFaults({ lineFault: 'short' });
    await beat(rig.t.c, sim(ids.faulty));
    clock.advance(MIN);
    await beat(rig.t.c, sim(ids.faultyB));
    for (let i = 0; i < 3; i++) {
      const back = whenBack(rig.t.c, ids.flaky);
      sim(ids.flaky).kill();
      await back;
    }
    clock.advance(MIN);
    const gone = whenOffline(rig.t.c, ids.offline);
    sim(ids.offline).kill({ reconnect: false });
    await gone;
    clock.advance(MIN);
    await rig.t.api.patch(`/api/v1/devices/${ids.disabled}`, { disabled: true });

    const list = (await rig.t.api.get('/api/v1/health/devices')).body.items as any[];
    const summary = (await rig.t.api.get('/api/v1/health/summary')).body;
    const byState = (items: any[]) => {
      const c: Record<string, number> = { offline: 0, silent: 0, faulty: 0, ok: 0, never_seen: 0, disabled: 0, total: items.length };
      for (const v of items) c[v.disabled ? 'disabled' : v.state]!++;
      return c;
    };
    expect(list.find((v) => v.id === ids.neverSeen).state).toBe('never_seen');
    expect(byState(list)).toEqual({ offline: 1, silent: 1, faulty: 2, ok: 4, never_seen: 1, disabled: 1, total: 10 });
    expect(summary.counts).toMatchObject(byState(list));
    for (const c of summary.communes) {
      expect(c.counts).toMatchObject(byState(list.filter((v) => v.commune === c.commune)));
      for (const v of c.villages) expect(v.counts).toMatchObject(byState(list.filter((x) => x.zoneId === v.zoneId)));
    }
    expect(summary.communes.map((c: any) => [c.commune, c.villages.map((v: any) => v.zoneId)])).toEqual([
      ['xa-dong', ['thon-1', 'thon-2']],
      ['xa-tay', ['thon-3']],
    ]);
    for (const state of ['offline', 'silent', 'faulty', 'ok', 'never_seen']) {
      const filtered = (await rig.t.api.get(`/api/v1/health/devices?state=${state}`)).body.items.map((v: any) => v.id);
      expect(filtered).toEqual(list.filter((v) => v.state === state).map((v) => v.id));
    }
    expect((await rig.t.api.get('/api/v1/health/devices?zone=thon-2')).body.items).toHaveLength(3);

    expect(summary.worst.map((w: any) => [w.why, w.id])).toEqual([
      ['offline', ids.offline],
      ['silent', ids.silent],
      ['faulty', ids.faulty], // faulty longest first
      ['faulty', ids.faultyB],
      ['flaky', ids.flaky],
    ]);
    expect(summary.worst[4].sessionsToday).toBe(4);
  });

  it('a commune account sees only its commune', async () => {
    const created = await rig.t.api.post('/api/v1/users', { username: 'kt-tay', password: 'mat-khau-dai-1', role: 'technician', commune: 'xa-tay' });
    expect(created.status).toBe(201);
    const tech = new Api(rig.t.c.httpUrl);
    await tech.login('kt-tay', 'mat-khau-dai-1');
    const summary = (await tech.get('/api/v1/health/summary')).body;
    expect(summary.counts.total).toBe(3);
    expect(summary.communes.map((c: any) => c.commune)).toEqual(['xa-tay']);
    expect((await tech.get('/api/v1/health/devices/thon-1-0000')).status).toBe(404);
    const alarms = (await tech.get('/api/v1/alarms?state=all')).body.items as any[];
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms.every((a) => a.deviceId.startsWith('thon-3-'))).toBe(true);
    const silentAlarm = (await rig.t.api.get('/api/v1/alarms?type=silent')).body.items[0];
    expect((await tech.post(`/api/v1/alarms/${silentAlarm.id}/ack`, { note: 'không phải xã tôi' })).status).toBe(404);
  });
});
