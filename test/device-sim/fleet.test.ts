import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { TestController, startBroker, uid, type TestBroker } from './harness.js';

let broker: TestBroker;
let ctl: TestController;

const devicesOf = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, secret: 's' }));

/** Resolves when `count` distinct devices matching the prefix have sent a state matching `match`. */
async function statesFrom(prefix: string, count: number, match: (s: { online: boolean }) => boolean, timeoutMs = 10_000): Promise<number> {
  const ids = new Set<string>();
  await ctl.waitFor((s) => s.kind === 'state' && s.deviceId.startsWith(`${prefix}-`) && match(s.msg) && ids.add(s.deviceId).size === count, timeoutMs);
  return ids.size;
}

beforeAll(async () => {
  broker = await startBroker();
  ctl = await TestController.connect(broker.url);
});

afterAll(async () => {
  await ctl.close();
  await broker.close();
});

describe('Fleet', () => {
  it('starts 500 speakers, all online, and stops them cleanly', async () => {
    const prefix = uid('f500');
    const fleet = new Fleet({ brokerUrl: broker.url, devices: devicesOf(500, prefix), seed: 1 });
    await fleet.start();
    expect(fleet.devices.every((d) => d.online)).toBe(true);
    expect(await statesFrom(prefix, 500, (s) => s.online)).toBe(500);
    expect(fleet.stats()).toMatchObject({ devices: 500, online: 500 });
    await fleet.stop();
    expect(fleet.devices.some((d) => d.online)).toBe(false);
    expect(await statesFrom(prefix, 500, (s) => !s.online)).toBe(500);
    const shutdowns = ctl.seen.filter((s) => s.kind === 'state' && s.deviceId.startsWith(`${prefix}-`) && !s.msg.online && 'reason' in s.msg && s.msg.reason === 'shutdown');
    expect(shutdowns).toHaveLength(500);
  });

  it('keeps the offline share away until told, deterministically by seed', async () => {
    const prefix = uid('off');
    const opts = { brokerUrl: broker.url, devices: devicesOf(100, prefix), offlineShare: 0.1, seed: 42 };
    const fleet = new Fleet(opts);
    expect(fleet.offline.map((d) => d.id)).toEqual(new Fleet(opts).offline.map((d) => d.id));
    await fleet.start();
    expect(fleet.offline).toHaveLength(10);
    expect(fleet.devices.filter((d) => d.online)).toHaveLength(90);
    expect(fleet.offline.every((d) => !d.online)).toBe(true);
    await fleet.connectOffline();
    expect(fleet.devices.every((d) => d.online)).toBe(true);
    await fleet.stop();
  });

  it('flapping speakers drop abruptly (will) and come back as a new session', async () => {
    const prefix = uid('flap');
    const fleet = new Fleet({ brokerUrl: broker.url, devices: devicesOf(20, prefix), flapShare: 0.25, flapIntervalMs: 200, reconnectMs: 50, seed: 3 });
    await fleet.start();
    expect(fleet.flapping).toHaveLength(5);
    const flapper = fleet.flapping[0]!;
    const will = await ctl.state(flapper.id, (s) => !s.online, 5000);
    expect(will).toMatchObject({ reason: 'lost', session: 1 });
    await ctl.state(flapper.id, (s) => s.online && s.session === 2, 5000);
    await fleet.stop();
    const steady = fleet.devices.filter((d) => !fleet.flapping.includes(d));
    expect(steady.every((d) => d.session === 1)).toBe(true);
  });

  it('skews clocks within ±clockSkewMaxMs', () => {
    const fleet = new Fleet({ brokerUrl: broker.url, devices: devicesOf(200, uid('skew')), clockSkewMaxMs: 1000, seed: 9 });
    const skews = fleet.devices.map((d) => d.clock.now() - Date.now());
    expect(Math.max(...skews)).toBeLessThanOrEqual(1001);
    expect(Math.min(...skews)).toBeGreaterThanOrEqual(-1001);
    expect(Math.max(...skews) - Math.min(...skews)).toBeGreaterThan(1000);
  });
});
