import { afterAll, describe, expect, it } from 'vitest';
import { Fleet } from '../../device-sim/index.js';
import { createLiveFeature } from '../../controller/live/feature.js';
import type { LiveView } from '../../controller/live/service.js';
import { createProgrammesFeature } from '../../controller/programmes/feature.js';
import { occurrenceBroadcastId } from '../../controller/programmes/engine.js';
import { provision, startTestController } from '../helpers/controller.js';
import { radioProgramme, radioStation, whenStreamed } from '../helpers/streams.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** 'YYYY-MM-DDTHH:mm' in Asia/Ho_Chi_Minh (UTC+7, no daylight saving). */
const localMinute = (utcMs: number) => new Date(utcMs + 7 * 3_600_000).toISOString().slice(0, 16);

describe('a programme’s relay item', () => {
  it('relays the channel through the controller at the programme’s time, for the item’s duration', async () => {
    // The slow part first: the station's programme is rendered before the clock starts counting.
    const station = await radioStation(await radioProgramme(60));
    cleanups.push(async () => station.kill());
    // The controller's clock is moved so that a local minute (when programmes start) is 8 s away.
    const real = Date.now();
    const occurrenceAt = Math.ceil((real + 8000) / 60_000) * 60_000;
    const clock = { now: () => Date.now() + (occurrenceAt - (real + 8000)) };
    const t = await startTestController({}, { clock, features: [createProgrammesFeature({ prefetchMs: 2000, graceMs: 60_000, tickMs: 100 }), createLiveFeature({ waitMs: 10_000, stallMs: 3000, maxChannels: 2, maxHours: 1 })] });
    cleanups.push(() => t.close());
    const devices = await provision(t.api, { 'thon-a': 5 });
    const fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
    cleanups.push(() => fleet.stop());
    await fleet.start();
    await whenOnline(t.c, devices.map((d) => d.id));

    const ended = new Promise<LiveView>((resolve) => t.c.bus.on('live.state', (v) => v.state !== 'waiting' && v.state !== 'on-air' && resolve(v)));
    const res = await t.api.post('/api/v1/schedules', { title: 'Tiếp sóng thời sự VOV1', items: [{ kind: 'stream', url: station.url, durationMs: 4000 }], targets: { all: true }, priority: 1, recurrence: { kind: 'once', at: localMinute(occurrenceAt) } });
    expect(res.status).toBe(201);
    const broadcastId = occurrenceBroadcastId(`${res.body.programme.id}@${new Date(occurrenceAt).toISOString()}`, 0);

    await whenStreamed(fleet.devices, broadcastId, 3000);
    const relay = (await t.api.get('/api/v1/live')).body.items.find((v: LiveView) => v.broadcastId === broadcastId);
    expect(relay).toMatchObject({ kind: 'relay', source: station.url, state: 'on-air' });
    expect(station.connections.size).toBe(1);
    const broadcast = t.c.store.broadcasts.get(broadcastId)!;
    expect(broadcast.startAt).toBe(occurrenceAt);
    expect(broadcast.streamUrl).toMatch(new RegExp(`^${t.c.httpUrl}/live/`));

    const end = await ended;
    expect(end).toMatchObject({ id: relay.id, state: 'ended', reason: 'duration_reached' });
    expect(Math.abs(end.endedAt! - (occurrenceAt + 4000))).toBeLessThan(500);
    const summary = await whenSummary(t.c, broadcastId, (s) => s.done + s.interrupted === devices.length);
    expect(summary.playing).toBe(0);
  }, 60_000);
});
