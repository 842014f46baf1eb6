import { afterAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone } from '../helpers/controller.js';
import { readEvents, type LiveEvent } from '../helpers/events.js';
import { whenSummary } from '../helpers/wait.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('live events for many jobs and for one', () => {
  it('gives a dashboard problems and a summary a second, and a job page every delivery of its job only', async () => {
    const t = await startTestController();
    cleanups.push(() => t.close());
    const devices = await provision(t.api, { 'thon-a': 6 });
    const tone = await uploadTone(t.api, 1);
    // Queued for speakers not yet online: the job's id is known before anything is delivered.
    const watched = (await t.api.post('/api/v1/broadcasts', { title: 'Theo dõi', mediaId: tone.id, targets: { all: true }, priority: 1 })).body;
    const other = (await t.api.post('/api/v1/broadcasts', { title: 'Khác', mediaId: tone.id, targets: { all: true }, priority: 0 })).body;

    const open = (query: string, enough: (evs: LiveEvent[]) => boolean) => {
      let ready!: () => void;
      const opened = new Promise<void>((r) => (ready = r));
      const events = readEvents(`${t.c.httpUrl}/api/v1/events?${query}`, t.api.token!, enough, ready);
      return { opened, events };
    };
    const finishedBoth = (evs: LiveEvent[]) => evs.filter((e) => e.event === 'job.finished').length === 2;
    const dashboard = open('deliveries=problems', finishedBoth);
    const page = open(`types=delivery,job.finished&job=${watched.id}`, (evs) => evs.some((e) => e.event === 'job.finished'));
    await Promise.all([dashboard.opened, page.opened]);

    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
    cleanups.push(() => fleet.stop());
    fleet.get(devices[0]!.id)!.setFaults({ downloadFail: true });
    await fleet.start();
    await whenSummary(t.c, watched.id, (s) => s.done + s.failed === 6);
    await whenSummary(t.c, other.id, (s) => s.done + s.failed + s.interrupted === 6);

    const forPage = await page.events;
    const pageDeliveries = forPage.filter((e) => e.event === 'delivery');
    expect(new Set(pageDeliveries.map((e) => e.data.jobId))).toEqual(new Set([watched.id]));
    expect(pageDeliveries.filter((e) => e.data.state === 'done')).toHaveLength(5);
    expect(forPage.some((e) => e.event === 'device.online' || e.event === 'job.progress')).toBe(false);

    const forDashboard = await dashboard.events;
    const problems = forDashboard.filter((e) => e.event === 'delivery');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((e) => e.data.deviceId === devices[0]!.id && e.data.state === 'failed')).toBe(true);
    const progress = forDashboard.filter((e) => e.event === 'job.progress' && e.data.jobId === watched.id);
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThan(pageDeliveries.length);
    expect(forDashboard.filter((e) => e.event === 'device.online')).toHaveLength(6);
  });
});
