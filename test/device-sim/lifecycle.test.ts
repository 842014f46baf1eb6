import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfflineState, OnlineState } from '../../protocol/index.js';
import { SimDevice, sha256, type SimDeviceOptions } from '../../device-sim/index.js';
import { MediaServer, TestController, play, startBroker, uid, type TestBroker } from './harness.js';

let broker: TestBroker;
let media: MediaServer;
let ctl: TestController;
const devices: SimDevice[] = [];

function device(opts: Partial<SimDeviceOptions> = {}): SimDevice {
  const d = new SimDevice({ id: uid('spk'), secret: 'good', brokerUrl: broker.url, speed: 20, reconnectMs: 50, rebootMs: 20, ...opts });
  devices.push(d);
  return d;
}

const online = (session: number) => (s: { online: boolean; session: number }) => s.online && s.session === session;

beforeAll(async () => {
  // PROTOCOL: wrong credentials are refused in the CONNACK (4: bad user name or password).
  broker = await startBroker({
    authenticate: (_client, username, password, done) => {
      if (password?.toString() === 'good' && username) return done(null, true);
      done(Object.assign(new Error('bad credentials'), { returnCode: 4 }), false);
    },
  });
  media = await MediaServer.start();
  ctl = await TestController.connect(broker.url);
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.stop()));
  await ctl.close();
  await media.close();
  await broker.close();
});

describe('lifecycle', () => {
  it('publishes a retained birth with session + 1, and a shutdown state when stopped', async () => {
    const d = device({ session: 41, fw: '2.0.0', model: 'loa-x' });
    await d.start();
    const birth = (await ctl.state(d.id, online(42))) as OnlineState;
    expect(birth).toMatchObject({ v: 1, online: true, session: 42, fw: '2.0.0', model: 'loa-x', stream: true });
    expect(birth.formats).toContain('mp3');
    await d.stop();
    const bye = (await ctl.state(d.id, (s) => !s.online)) as OfflineState;
    expect(bye).toMatchObject({ online: false, reason: 'shutdown', session: 42 });
  });

  it('on an abrupt loss the broker publishes the will; each reconnect is a new session with a new will', async () => {
    const d = device({ session: 5 });
    await d.start();
    await ctl.state(d.id, online(6));
    d.kill();
    expect(await ctl.state(d.id, (s) => !s.online)).toMatchObject({ online: false, reason: 'lost', session: 6 });
    await ctl.state(d.id, online(7));
    d.kill();
    expect(await ctl.state(d.id, (s) => !s.online && s.session === 7)).toMatchObject({ reason: 'lost' });
    await ctl.state(d.id, online(8));
    expect(ctl.states(d.id).map((s) => `${s.online ? 'on' : 'off'}:${s.session}`)).toEqual(['on:6', 'off:6', 'on:7', 'off:7', 'on:8']);
    expect(d.session).toBe(8);
  });

  it('connects over WebSocket (ws://host:port/mqtt) just the same, will included', async () => {
    const server = http.createServer();
    const wss = new WebSocketServer({ server, path: '/mqtt' });
    wss.on('connection', (ws) => broker.broker.handle(createWebSocketStream(ws) as never));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const d = device({ brokerUrl: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/mqtt` });
    await d.start();
    await ctl.state(d.id, online(1));
    d.kill({ reconnect: false });
    expect(await ctl.state(d.id, (s) => !s.online)).toMatchObject({ reason: 'lost', session: 1 });
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('an ack reached while the link is down is sent after the next birth', async () => {
    const d = device({ reconnectMs: 400 });
    await d.start();
    const cmd = play({ media: media.clip(`/${uid('o')}.mp3`, 2000) }); // 100 ms at speed 20
    await ctl.send(d.id, cmd);
    await ctl.ack(d.id, cmd.id, 'playing');
    d.kill();
    const done = await ctl.ack(d.id, cmd.id, 'done');
    const birth = await ctl.state(d.id, online(2));
    expect(done.ts).toBeLessThan(birth.ts!);
    const label = (s: (typeof ctl.seen)[number]) => (s.kind === 'ack' ? s.msg.state : s.kind === 'state' ? `${s.msg.online ? 'on' : 'off'}:${s.msg.session}` : 'tele');
    const order = ctl.seen.filter((s) => s.deviceId === d.id && s.kind !== 'tele').map(label);
    expect(order.slice(-4)).toEqual(['playing', 'off:1', 'on:2', 'done']);
  });

  it('start() rejects with the CONNACK code when refused', async () => {
    const d = device({ secret: 'wrong' });
    await expect(d.start()).rejects.toMatchObject({ code: 4 });
    expect(d.online).toBe(false);
  });

  it('sends telemetry at the retained config heartbeat, with seq and faults', async () => {
    const d = device({ faults: { ampFault: true, lineFault: 'open', power: 'battery', batteryPct: 40 } });
    const config = { v: 1, heartbeatS: 1, volume: 55, quietHours: null, tz: 'Asia/Ho_Chi_Minh', prerollMs: 500 };
    await ctl.client.publishAsync(`loa/v1/d/${d.id}/config`, JSON.stringify(config), { qos: 1, retain: true });
    await d.start();
    const tele = await ctl.waitFor((s) => s.kind === 'tele' && s.deviceId === d.id, 3000);
    expect(tele.msg).toMatchObject({ v: 1, seq: 1, volume: 55, amp: 'fault', line: 'open', power: 'battery', batteryPct: 40, playing: null });
  });

  it('reboot: done, then back as a new session', async () => {
    const d = device({ session: 10 });
    await d.start();
    const cmd = { v: 1, id: uid('reboot'), ts: Date.now(), type: 'reboot' } as const;
    await ctl.send(d.id, cmd);
    await ctl.ack(d.id, cmd.id, 'done');
    await ctl.state(d.id, online(12));
    expect(ctl.states(d.id).map((s) => `${s.online ? 'on' : 'off'}:${s.session}`)).toEqual(['on:11', 'off:11', 'on:12']);
  });

  it('ota: fetches and verifies firmware, then reboots into the new version; otaFail ends failed', async () => {
    const d = device({ fw: '1.4.2' });
    await d.start();
    const clip = media.clip(`/${uid('fw')}.bin`);
    const ota = { v: 1, id: uid('ota'), ts: Date.now(), type: 'ota', url: clip.url, sha256: clip.sha256, version: '1.5.0' } as const;
    await ctl.send(d.id, ota);
    await ctl.ack(d.id, ota.id, 'done');
    expect(((await ctl.state(d.id, (s) => s.online && s.session === 2)) as OnlineState).fw).toBe('1.5.0');
    const bad = { ...ota, id: uid('ota'), sha256: sha256(randomBytes(8)), version: '9.9.9' };
    await ctl.send(d.id, bad);
    expect((await ctl.ack(d.id, bad.id, 'failed')).error?.code).toBe('checksum_mismatch');
    d.setFaults({ otaFail: true });
    const failing = { ...ota, id: uid('ota'), version: '1.6.0' };
    await ctl.send(d.id, failing);
    await ctl.ack(d.id, failing.id, 'failed');
    expect(d.fw).toBe('1.5.0');
  });
});

describe('conformance', () => {
  it('every message the devices sent here passes the protocol schemas', () => {
    expect(ctl.seen.length).toBeGreaterThan(10);
    expect(ctl.invalid).toEqual([]);
  });
});
