import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { freePort } from '../helpers/process.js';
import { whenOnline } from '../helpers/wait.js';
import { fleetOpsHandle, uploadFirmware, watchUpdates, whenRollout } from './_rollout.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('a rollout survives a controller restart', () => {
  it('resumes from its own document: every speaker updated once, none twice', async () => {
    // The same ports again after the restart: the speakers reconnect to the same address.
    const ports = { httpPort: await freePort(), mqttPort: await freePort(), mqttWsPort: null };
    const first = fleetOpsHandle();
    let t: TestController = await startTestController(ports, { features: [first.feature], processor: null });
    const dataDir = t.dataDir;
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const devices = await provision(t.api, { 'thon-a': 12 });
    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 100, reconnectMs: 100 });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await whenOnline(t.c, devices.map((d) => d.id));
    const watch = watchUpdates(fleet);

    const fw = await uploadFirmware(t.api, '3.0.0');
    const res = await t.api.post('/api/v1/rollouts', { firmwareId: fw.id, targets: { zones: ['thon-a'] }, groupSize: 4, successThreshold: 1, errorThreshold: 0.5, maxConcurrent: 2 });
    expect(res.status).toBe(201);
    await whenRollout(first.running(), res.body.id, (r) => r.totals.updated >= 3);
    await t.stop();

    const second = fleetOpsHandle();
    t = await startTestController({ ...ports, dataDir }, { features: [second.feature], processor: null });
    cleanups.push(() => t.stop());
    const r = await whenRollout(second.running(), res.body.id, (x) => x.status !== 'running', 30_000);
    watch.stop();

    expect(r.status, JSON.stringify({ reason: r.reason, groups: r.groups })).toBe('completed');
    expect(r.totals).toMatchObject({ updated: 12, failed: 0 });
    expect(r.peakUpdating).toBeLessThanOrEqual(2);
    for (const d of fleet.devices) {
      expect(d.fw).toBe('3.0.0');
      const otaIds = [...(watch.otaIds.get(d.id) ?? [])];
      expect(otaIds).toHaveLength(1);
      expect(d.executions.get(otaIds[0]!)).toBe(1);
    }
    const api = (await t.api.get(`/api/v1/rollouts/${res.body.id}`)).body;
    expect(api.groups.map((g: { counts: { updated: number } }) => g.counts.updated)).toEqual([4, 4, 4]);
  }, 40_000);
});
