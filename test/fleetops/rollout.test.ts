import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import type { RolloutView } from '../../controller/fleetops/rollout-view.js';
import { Api } from '../helpers/api.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { whenOnline } from '../helpers/wait.js';
import { fleetOpsHandle, uploadFirmware, watchUpdates, whenRollout } from './_rollout.js';

const handle = fleetOpsHandle();
let t: TestController;
let fleet: Fleet;
let ids: string[];
const sim = (id: string): SimDevice => fleet.get(id)!;
const speakers = (r: RolloutView) => r.groups.flatMap((g) => g.speakers);

beforeAll(async () => {
  t = await startTestController({ uploadMaxMb: 1 }, { features: [handle.feature], processor: null });
  const devices = await provision(t.api, { 'thon-a': 100, 'thon-b': 100, 'thon-c': 100 });
  ids = devices.map((d) => d.id).sort();
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 100 });
  await fleet.start();
  await whenOnline(t.c, ids);
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  await t?.close();
});

describe('firmware rollouts over 300 simulated speakers', () => {
  it('stores an image by its sha256, lists it, and serves it only with a valid signature', async () => {
    const fw = await uploadFirmware(t.api, '1.9.0');
    expect(fw.bytes).toBe(48 * 1024);
    expect((await t.api.get('/api/v1/firmware')).body.items.map((f: { id: string }) => f.id)).toContain(fw.id);
    const file = `${fw.sha256}.bin`;
    const res = await fetch(`${t.c.httpUrl}/firmware/${file}?exp=${Date.now() + 60_000}&sig=forged`);
    expect(res.status).toBe(403);
    const same = await t.api.upload('/api/v1/firmware', Buffer.from('other bytes'), 'x.bin', { version: '1.9.0', model: 'loa-sim' });
    expect(same.status).toBe(409);
    const big = await t.api.upload('/api/v1/firmware', Buffer.alloc(1536 * 1024, 7), '../../etc/passwd', { version: '1.9.1', model: 'loa-sim' });
    expect(big.status).toBe(413);
    const noVersion = await t.api.upload('/api/v1/firmware', Buffer.from('abc'), 'x.bin', { model: 'loa-sim' });
    expect(noVersion.status).toBe(400);
    // Only images named by their sha256 stay on disk: no user-given name, no leftover upload.
    expect(await fs.readdir(path.join(t.dataDir, 'firmware'))).toEqual([file]);
  });

  it('leaves out speakers of another model', async () => {
    const other = await uploadFirmware(t.api, '9.0.0', 'LS-200');
    const res = await t.api.post('/api/v1/rollouts', { firmwareId: other.id, targets: { zones: ['thon-a'] }, groupSize: 10, successThreshold: 1, errorThreshold: 0.5, maxConcurrent: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('LOA_NO_TARGETS');
  });

  it('with 20 % of the speakers failing on request, stops at the error threshold before the next group', async () => {
    const failing = new Set(ids.filter((_, i) => i % 5 === 0));
    for (const id of failing) sim(id).setFaults({ otaFail: true });
    const fw = await uploadFirmware(t.api, '2.0.0');
    const res = await t.api.post('/api/v1/rollouts', { firmwareId: fw.id, targets: { all: true }, groupSize: 50, successThreshold: 0.8, errorThreshold: 0.1, maxConcurrent: 10 });
    expect(res.status).toBe(201);
    expect(res.body.groupCount).toBe(6);

    const ops = handle.running();
    await whenRollout(ops, res.body.id, (r) => r.status === 'stopped');
    // Installs under way when it stopped are still followed to their end.
    const r = await whenRollout(ops, res.body.id, (x) => x.totals.updating === 0);
    expect(r.reason).toMatch(/^error_threshold: group 1/);
    expect(r.groups[0]!.counts.failed).toBeGreaterThanOrEqual(5);
    expect(r.groups.slice(1).every((g) => g.startedAt === null && g.counts.waiting === g.counts.size)).toBe(true);
    for (const s of speakers(r)) {
      if (s.state === 'failed') expect(failing.has(s.deviceId) && s.error?.code === 'install_failed').toBe(true);
      if (s.state === 'updated') expect(sim(s.deviceId).fw).toBe('2.0.0');
      if (s.state === 'waiting') expect(sim(s.deviceId).fw).toBe('1.4.2');
    }
    for (const id of failing) sim(id).setFaults({});
  });

  it('without failures completes group by group, never more than maxConcurrent updating at once', async () => {
    const fw = await uploadFirmware(t.api, '2.1.0');
    const watch = watchUpdates(fleet);
    const res = await t.api.post('/api/v1/rollouts', { firmwareId: fw.id, targets: { all: true }, groupSize: 60, successThreshold: 0.9, errorThreshold: 0.05, maxConcurrent: 30 });
    expect(res.status).toBe(201);
    const r = await whenRollout(handle.running(), res.body.id, (x) => x.status !== 'running');
    watch.stop();

    expect(r.status).toBe('completed');
    expect(r.totals).toMatchObject({ targeted: 300, updated: 300, failed: 0, waiting: 0, updating: 0 });
    // Counted at the speakers (ota received → back online) and by the controller (sent → confirmed).
    expect(watch.peak()).toBeLessThanOrEqual(30);
    expect(watch.peak()).toBeGreaterThan(1);
    expect(r.peakUpdating).toBeLessThanOrEqual(30);
    for (let g = 1; g < r.groups.length; g++) expect(r.groups[g]!.startedAt!).toBeGreaterThanOrEqual(r.groups[g - 1]!.thresholdMetAt!);
    for (const id of ids) {
      expect(sim(id).fw).toBe('2.1.0');
      expect(t.c.presence.get(id)?.fw).toBe('2.1.0');
      // One ota command per speaker, carried out once.
      expect(watch.otaIds.get(id)?.size).toBe(1);
    }
  });

  it('pauses, resumes and aborts; a finished rollout cannot be resumed', async () => {
    const fw = await uploadFirmware(t.api, '2.2.0');
    const res = await t.api.post('/api/v1/rollouts', { firmwareId: fw.id, targets: { zones: ['thon-a'] }, groupSize: 10, successThreshold: 1, errorThreshold: 0.5, maxConcurrent: 2 });
    const id = res.body.id as string;
    // The commune's technician follows the district's rollout on its speakers, but may not steer it.
    expect((await t.api.post('/api/v1/users', { username: 'ktv-xa', password: 'mat-khau-ky-thuat', role: 'technician', commune: 'xa-demo' })).status).toBe(201);
    const technician = new Api(t.c.httpUrl);
    await technician.login('ktv-xa', 'mat-khau-ky-thuat');
    expect((await technician.get('/api/v1/rollouts')).body.items.map((x: { id: string }) => x.id)).toContain(id);
    expect((await technician.get(`/api/v1/rollouts/${id}`)).status).toBe(200);
    expect((await technician.post(`/api/v1/rollouts/${id}/pause`)).status).toBe(404);
    expect((await t.api.post(`/api/v1/rollouts/${id}/pause`)).body.status).toBe('paused');
    const paused = await whenRollout(handle.running(), id, (x) => x.totals.updating === 0);
    const startedWhilePaused = paused.totals.updated + paused.totals.failed;
    expect((await t.api.post(`/api/v1/rollouts/${id}/resume`)).body.status).toBe('running');
    await whenRollout(handle.running(), id, (x) => x.totals.updated >= startedWhilePaused + 3);
    const aborted = await t.api.post(`/api/v1/rollouts/${id}/abort`);
    expect(aborted.body.status).toBe('aborted');
    const r = await whenRollout(handle.running(), id, (x) => x.totals.updating === 0);
    expect(r.totals.skipped).toBeGreaterThan(0);
    expect(r.totals.updated + r.totals.skipped + r.totals.failed).toBe(100);
    expect((await t.api.post(`/api/v1/rollouts/${id}/resume`)).status).toBe(409);
    for (const s of speakers(r).filter((x) => x.state === 'skipped')) expect(sim(s.deviceId).fw).toBe('2.1.0');
  });
});
