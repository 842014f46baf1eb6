/**
 * Health states and alarms with the simulator's fault knobs, on a clock the test moves: each state
 * and alarm at the right time, nothing for one lost heartbeat, the offline alarm only after N
 * heartbeat intervals, and an acknowledged alarm not notified again (webhook calls counted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDevice } from '../../device-sim/index.js';
import { beat, healthRig, MIN, manualClock, webhookServer, whenBack, whenOffline, type HealthRig, type Hook } from './_helpers.js';

const HB = 10 * MIN; // every speaker's heartbeat interval here (heartbeatS 600)
const T0 = Date.parse('2025-03-10T08:00:00+07:00');
const clock = manualClock(T0);
let rig: HealthRig;
let hook: Hook;
let d: SimDevice[];

const health = (id: string) => rig.t.api.get(`/api/v1/health/devices/${id}`).then((r) => r.body);
const openAlarms = () => rig.t.api.get('/api/v1/alarms?state=open').then((r) => r.body.items as any[]);
const beatAll = () => beat(rig.t.c, ...d.filter((s) => s.online));
/** Moves the clock, keeps every connected speaker beating, and runs the health timer once. */
async function pass(ms: number, opts: { except?: SimDevice[] } = {}): Promise<void> {
  clock.advance(ms);
  await beat(rig.t.c, ...d.filter((s) => s.online && !opts.except?.includes(s)));
  await rig.health().monitor.tick();
  await rig.health().notifier!.idle();
}
const notified = async () => {
  await rig.health().notifier!.idle();
  return hook.bodies.map((b) => `${b.event} ${b.alarm.type} ${b.alarm.deviceId}`);
};

beforeAll(async () => {
  hook = await webhookServer();
  rig = await healthRig({ clock, communes: { 'xa-a': { 'thon-a': 5 } }, health: { webhookUrl: hook.url, renotifyMs: 20 * MIN, webhook: { attempts: 3, timeoutMs: 2000, backoffMs: 20, maxQueue: 1000 } } });
  d = rig.fleet.devices;
});
afterAll(async () => {
  await rig?.close();
  await hook?.close();
});

describe('health states and alarms', () => {
  it('all ok after a heartbeat; one lost heartbeat and a brief link drop raise nothing', async () => {
    await beatAll();
    await rig.health().monitor.tick();
    for (const s of d) expect((await health(s.id)).state).toBe('ok');
    clock.advance(1.5 * HB); // one heartbeat lost on the way
    await rig.health().monitor.tick();
    for (const s of d) expect((await health(s.id)).state).toBe('ok');

    const back = whenBack(rig.t.c, d[4]!.id);
    const gone = whenOffline(rig.t.c, d[4]!.id);
    d[4]!.kill(); // abrupt drop: the broker sends the will, the speaker reconnects by itself
    await gone;
    expect((await health(d[4]!.id)).state).toBe('offline');
    await back;
    await pass(HB);
    expect(await openAlarms()).toEqual([]);
    expect(await notified()).toEqual([]);
    expect((await health(d[4]!.id)).sessionsToday).toBe(2);
  });

  it('amp, line and power faults: faulty since the report, alarms raised and cleared', async () => {
    d[0]!.setFaults({ ampFault: true });
    d[1]!.setFaults({ lineFault: 'open' });
    d[2]!.setFaults({ power: 'battery', batteryPct: 60 });
    const faultAt = clock.advance(MIN);
    await beat(rig.t.c, d[0]!, d[1]!, d[2]!);
    for (const [s, faults] of [[d[0]!, ['amp']], [d[1]!, ['line_open']], [d[2]!, ['on_battery']]] as const) {
      expect(await health(s.id)).toMatchObject({ state: 'faulty', since: faultAt, faults });
    }
    expect((await health(d[2]!.id)).batteryPct).toBe(60);
    const open = await openAlarms();
    expect(open.map((a) => `${a.type} ${a.deviceId}`).sort()).toEqual([`amp_fault ${d[0]!.id}`, `line_fault ${d[1]!.id}`, `power ${d[2]!.id}`]);
    expect(open.find((a) => a.type === 'power').detail).toMatchObject({ level: 'on_battery' });

    // Another heartbeat with the same faults: the state began when it began.
    await pass(MIN);
    expect((await health(d[1]!.id)).since).toBe(faultAt);

    d[2]!.setFaults({ power: 'battery', batteryPct: 9 });
    await beat(rig.t.c, d[2]!);
    expect((await health(d[2]!.id)).faults).toEqual(['on_battery', 'battery_low']);
    expect((await openAlarms()).find((a) => a.type === 'power').detail).toMatchObject({ level: 'battery_low', batteryPct: 9 });

    d[0]!.setFaults({});
    const fixedAt = clock.advance(MIN);
    await beat(rig.t.c, d[0]!);
    expect(await health(d[0]!.id)).toMatchObject({ state: 'ok', since: fixedAt, faults: [] });
    expect((await openAlarms()).some((a) => a.deviceId === d[0]!.id)).toBe(false);
    const cleared = (await rig.t.api.get(`/api/v1/alarms?state=cleared&device=${d[0]!.id}`)).body.items;
    expect(cleared).toMatchObject([{ type: 'amp_fault', state: 'cleared', raisedAt: faultAt, clearedAt: fixedAt }]);
    expect(await notified()).toEqual([
      `alarm.raised amp_fault ${d[0]!.id}`,
      `alarm.raised line_fault ${d[1]!.id}`,
      `alarm.raised power ${d[2]!.id}`,
      `alarm.updated power ${d[2]!.id}`,
      `alarm.cleared amp_fault ${d[0]!.id}`,
    ]);
    expect(hook.bodies[0].message.vi).toContain('khuếch đại');
    expect(hook.bodies[0].alarm).toMatchObject({ state: 'open', clearedAt: null }); // as it was when raised
  });

  it('silent after 3 heartbeat intervals with nothing heard, cleared by the next heartbeat', async () => {
    const quiet = d[3]!;
    const lastHeard = clock.now();
    await beat(rig.t.c, quiet);
    await pass(2 * HB, { except: [quiet] });
    expect((await health(quiet.id)).state).toBe('ok');
    await pass(HB + 1000, { except: [quiet] });
    expect(await health(quiet.id)).toMatchObject({ state: 'silent', since: lastHeard + 3 * HB });
    expect((await openAlarms()).filter((a) => a.deviceId === quiet.id).map((a) => a.type)).toEqual(['silent']);
    await beat(rig.t.c, quiet);
    expect(await health(quiet.id)).toMatchObject({ state: 'ok', since: clock.now() });
    expect((await openAlarms()).some((a) => a.deviceId === quiet.id)).toBe(false);
    expect((await notified()).slice(-2)).toEqual([`alarm.raised silent ${quiet.id}`, `alarm.cleared silent ${quiet.id}`]);
  });

  it('offline at once, but the offline alarm only after 3 heartbeat intervals; cleared when back', async () => {
    const lost = d[3]!;
    const gone = whenOffline(rig.t.c, lost.id);
    lost.kill({ reconnect: false });
    await gone;
    const offAt = clock.now();
    expect(await health(lost.id)).toMatchObject({ state: 'offline', since: offAt, online: false });
    await pass(2 * HB);
    await pass(HB - 1000);
    expect((await openAlarms()).some((a) => a.type === 'offline')).toBe(false);
    await pass(1000);
    const offline = (await openAlarms()).filter((a) => a.type === 'offline');
    expect(offline).toMatchObject([{ deviceId: lost.id, raisedAt: offAt + 3 * HB, detail: { since: offAt } }]);
    const back = whenBack(rig.t.c, lost.id);
    await lost.start();
    await back;
    expect((await openAlarms()).some((a) => a.type === 'offline')).toBe(false);
    expect((await notified()).slice(-2)).toEqual([`alarm.raised offline ${lost.id}`, `alarm.cleared offline ${lost.id}`]);
  });

  it('an unacknowledged alarm is notified again; an acknowledged one not until it clears and re-raises', async () => {
    const line = (await openAlarms()).find((a) => a.type === 'line_fault');
    const power = (await openAlarms()).find((a) => a.type === 'power');
    const calls = (id: string) => hook.bodies.filter((b) => b.alarm.id === id).map((b) => b.event);
    await pass(20 * MIN);
    const lineBefore = calls(line.id);
    expect(lineBefore[0]).toBe('alarm.raised');
    expect(lineBefore.slice(1).every((e) => e === 'alarm.reminder') && lineBefore.length >= 2).toBe(true);
    await pass(20 * MIN);
    expect(calls(line.id)).toEqual([...lineBefore, 'alarm.reminder']);

    const ack = await rig.t.api.post(`/api/v1/alarms/${line.id}/ack`, { note: 'Đã báo thợ, mai thay dây / technician booked' });
    expect(ack.status).toBe(200);
    expect(ack.body.ack).toMatchObject({ by: 'admin', at: clock.now(), note: 'Đã báo thợ, mai thay dây / technician booked' });
    expect((await rig.t.api.post(`/api/v1/alarms/${line.id}/ack`, { note: 'again' })).status).toBe(409);
    const acked = calls(line.id);
    const powerBefore = calls(power.id).length;
    await pass(20 * MIN);
    await pass(20 * MIN);
    d[1]!.setFaults({ lineFault: 'short' }); // a change of detail is news, but not for an acknowledged alarm
    await pass(MIN);
    expect((await openAlarms()).find((a) => a.id === line.id).detail).toEqual({ line: 'short' });
    expect(calls(line.id)).toEqual(acked);
    expect(calls(power.id).slice(powerBefore)).toEqual(['alarm.reminder', 'alarm.reminder']);

    d[1]!.setFaults({});
    await pass(MIN);
    expect(calls(line.id)).toEqual([...acked, 'alarm.cleared']);
    d[1]!.setFaults({ lineFault: 'open' });
    await pass(MIN);
    const again = (await openAlarms()).find((a) => a.type === 'line_fault');
    expect(again.id).not.toBe(line.id);
    await pass(20 * MIN);
    expect(calls(again.id)).toEqual(['alarm.raised', 'alarm.reminder']);

    const history = (await rig.t.api.get(`/api/v1/alarms?state=cleared&type=line_fault`)).body.items;
    expect(history).toMatchObject([{ id: line.id, ack: { by: 'admin' }, state: 'cleared' }]);
    const all = (await rig.t.api.get(`/api/v1/alarms?state=all&type=line_fault`)).body.items;
    expect(all.map((a: any) => a.id)).toEqual([again.id, line.id]);
    expect((await rig.t.api.post(`/api/v1/alarms/${line.id}/ack`, { note: 'late' })).status).toBe(404);
  });
});
