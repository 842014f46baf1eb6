import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Fleet, type SimDevice } from '../../device-sim/index.js';
import { createLiveFeature } from '../../controller/live/feature.js';
import { provision, startTestController, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { readEvents, type LiveEvent } from '../helpers/events.js';
import { browserRecording, pace, radioProgramme, radioStation, whenStreamed } from '../helpers/streams.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

let t: TestController;
let fleet: Fleet;

beforeAll(async () => {
  t = await startTestController({}, { features: [createLiveFeature({ waitMs: 10_000, stallMs: 2000, maxChannels: 4, maxHours: 1, relayHosts: ['127.0.0.1'] })] });
  cleanups.push(() => t.close());
  const devices = await provision(t.api, { 'thon-a': 6, 'thon-b': 4 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 20 });
  cleanups.push(() => fleet.stop());
  await fleet.start();
  await whenOnline(t.c, devices.map((d) => d.id));
}, 60_000);

const inZone = (zone: string) => fleet.devices.filter((d) => d.id.startsWith(zone));
const totals = (devices: SimDevice[], broadcastId: string) => devices.map((d) => d.streamBytes.get(broadcastId) ?? 0);
const finalCount = (s: { done: number; interrupted: number; failed: number; expired: number; noAnswer: number }) => s.done + s.interrupted + s.failed + s.expired + s.noAnswer;

function openIngest(path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${t.c.httpUrl.replace(/^http/, 'ws')}${path}`, { headers: { authorization: `Bearer ${t.api.token}` } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('going live', () => {
  it('plays a browser recording on the village’s speakers as it is spoken; stop ends it everywhere', async () => {
    const res = await t.api.post('/api/v1/live', { title: 'Trực tiếp: họp khẩn thôn A', targets: { zones: ['thon-a'] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'live', state: 'waiting', ingest: `/api/v1/live/${res.body.id}/ingest` });
    const { broadcastId } = res.body;

    const ws = await openIngest(res.body.ingest);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const stopSending = pace(await browserRecording(60), 6000, (chunk) => {
      if (ws.readyState !== WebSocket.OPEN) return false;
      ws.send(chunk);
      return true;
    });

    await whenStreamed(inZone('thon-a'), broadcastId, 4000);
    expect(totals(inZone('thon-b'), broadcastId)).toEqual([0, 0, 0, 0]);
    const onAir = (await t.api.get(`/api/v1/live/${res.body.id}`)).body;
    expect(onAir).toMatchObject({ state: 'on-air', listeners: 6 });
    expect(onAir.bytesIn).toBeGreaterThan(0);

    const stopped = await t.api.post(`/api/v1/live/${res.body.id}/stop`);
    expect(stopped.body).toMatchObject({ state: 'ended', listeners: 0 });
    const summary = await whenSummary(t.c, broadcastId, (s) => finalCount(s) === 6);
    expect(summary.playing).toBe(0);
    expect(await closed).toBe(1000);
    stopSending();
    const after = totals(inZone('thon-a'), broadcastId);
    expect(after.every((n) => n >= 4000)).toBe(true);
    expect(inZone('thon-a').map((d) => d.playing)).toEqual(Array(6).fill(null));
    // Nothing flows once it is stopped, and the stream URL is closed for latecomers.
    expect(totals(inZone('thon-a'), broadcastId)).toEqual(after);
    expect((await t.api.post(`/api/v1/live/${res.body.id}/stop`)).status).toBe(409);
  });

  it('ends the stream when its broadcast is cancelled from anywhere, and tells when speakers join', async () => {
    const listening = new Promise<number>((resolve) => {
      const off = t.c.bus.on('live.state', (v) => v.listeners === 4 && (off(), resolve(v.listeners)));
    });
    const res = await t.api.post('/api/v1/live', { title: 'Trực tiếp thôn B', targets: { zones: ['thon-b'] } });
    const ws = await openIngest(res.body.ingest);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const stopSending = pace(await browserRecording(60), 6000, (chunk) => ws.readyState === WebSocket.OPEN && (ws.send(chunk), true));
    expect(await listening).toBe(4);

    expect((await t.api.post(`/api/v1/broadcasts/${res.body.broadcastId}/cancel`)).status).toBe(200);
    expect(await closed).toBe(1000);
    stopSending();
    expect((await t.api.get(`/api/v1/live/${res.body.id}`)).body).toMatchObject({ state: 'ended', reason: 'broadcast_cancelled', listeners: 0 });
  });

  it('refuses an ingest socket without a login, and lets go of the connection', async () => {
    const ws = new WebSocket(`${t.c.httpUrl.replace(/^http/, 'ws')}/api/v1/live/live-nope/ingest`);
    const refused = await new Promise<{ status: number; closed: Promise<void> }>((resolve) =>
      ws.once('unexpected-response', (req, res) => resolve({ status: res.statusCode ?? 0, closed: new Promise((r) => req.socket!.once('close', () => r())) })),
    );
    expect(refused.status).toBe(401);
    await refused.closed;
  });
});

describe('relaying a radio channel', () => {
  it('brings a local test stream to every speaker through the controller, and reports the upstream dying', async () => {
    const station = await radioStation(await radioProgramme(120));
    cleanups.push(async () => station.kill());
    const { url } = station;

    let streaming!: () => void;
    const open = new Promise<void>((r) => (streaming = r));
    const failed = (evs: LiveEvent[]) => evs.some((e) => e.event === 'live.state' && e.data.state === 'failed');
    const events = readEvents(`${t.c.httpUrl}/api/v1/events`, t.api.token!, failed, streaming);
    await open;

    const res = await t.api.post('/api/v1/relays', { title: 'Tiếp sóng VOV1', url, targets: { all: true } });
    expect(res.status).toBe(201);
    await whenStreamed(fleet.devices, res.body.broadcastId, 4000);
    // Ten speakers, one connection to the radio: they pull from the controller.
    expect(station.connections.size).toBe(1);

    station.kill();

    const report = (await events).find((e) => e.event === 'live.state' && e.data.state === 'failed')!.data;
    expect(report).toMatchObject({ id: res.body.id, kind: 'relay', source: url });
    expect(report.reason).toMatch(/^(source_failed|stalled)/);
    const summary = await whenSummary(t.c, res.body.broadcastId, (s) => finalCount(s) === fleet.devices.length);
    expect(summary.playing).toBe(0);
  }, 40_000);

  it('reports an upstream that cannot be reached, and refuses addresses that are not http(s)', async () => {
    const url = 'http://127.0.0.1:9/none.mp3';
    const failed = new Promise<void>((resolve) => {
      const off = t.c.bus.on('live.state', (v) => v.source === url && v.state === 'failed' && (off(), resolve()));
    });
    const res = await t.api.post('/api/v1/relays', { title: 'Đài không tồn tại', url, targets: { zones: ['thon-b'] } });
    expect(res.status).toBe(201);
    await failed;
    expect((await t.api.get(`/api/v1/live/${res.body.id}`)).body).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^(source_failed|no_audio)/) });
    const bad = await t.api.post('/api/v1/relays', { title: 'Tệp nội bộ', url: 'file:///etc/passwd', targets: { all: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('LOA_BAD_REQUEST');
    // Only the configured stations (LOA_RELAY_HOSTS), and nothing is opened for another.
    const before = (await t.api.get('/api/v1/live')).body.items.length;
    const elsewhere = await t.api.post('/api/v1/relays', { title: 'Máy khác', url: 'http://localhost:9/x.mp3', targets: { all: true } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toMatchObject({ code: 'LOA_RELAY_HOST', messageVi: expect.stringContaining('localhost') });
    expect((await t.api.get('/api/v1/live')).body.items.length).toBe(before);
  });
});
