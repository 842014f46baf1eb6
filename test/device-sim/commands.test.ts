import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimDevice } from '../../device-sim/index.js';
import { MediaServer, TestController, play, startBroker, uid, type TestBroker } from './harness.js';

let broker: TestBroker;
let media: MediaServer;
let ctl: TestController;
const devices: SimDevice[] = [];

async function device(opts: Partial<ConstructorParameters<typeof SimDevice>[0]> = {}): Promise<SimDevice> {
  const d = new SimDevice({ id: uid('spk'), secret: 's', brokerUrl: broker.url, speed: 20, ...opts });
  devices.push(d);
  await d.start();
  return d;
}

beforeAll(async () => {
  broker = await startBroker();
  media = await MediaServer.start();
  ctl = await TestController.connect(broker.url);
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.stop()));
  await ctl.close();
  await media.close();
  await broker.close();
});

describe('device rule 1: a command id is carried out once', () => {
  it('runs a repeated play once and only re-publishes its latest ack', async () => {
    const d = await device();
    const cmd = play({ media: media.clip(`/${uid('clip')}.mp3`, 1000) });
    await ctl.send(d.id, cmd);
    await ctl.ack(d.id, cmd.id, 'done');
    await ctl.send(d.id, cmd);
    await ctl.ack(d.id, cmd.id, 'done', 2);
    expect(d.executions.get(cmd.id)).toBe(1);
    expect(d.plays.filter((p) => p.cmdId === cmd.id)).toHaveLength(1);
    expect(ctl.acks(d.id, cmd.id).map((a) => a.state)).toEqual(['received', 'downloading', 'ready', 'playing', 'done', 'done']);
  });

  it('acts even when its acks are lost, and a retry recovers the latest ack', async () => {
    const d = await device({ faults: { ackLossRate: 1 } });
    const cmd = { v: 1, id: uid('vol'), ts: Date.now(), type: 'volume', volume: 35, muted: true } as const;
    const carriedOut = new Promise((resolve) => d.once('command', resolve));
    await ctl.send(d.id, cmd);
    await carriedOut;
    expect([d.volume, d.muted]).toEqual([35, true]);
    await ctl.send(d.id, cmd); // the controller's retry, same id
    const recovered = await ctl.ack(d.id, cmd.id, 'done');
    // Acks of one connection arrive in order: the first received/done, had they been sent, came before.
    expect(ctl.acks(d.id, cmd.id)).toEqual([recovered]);
    expect(d.executions.get(cmd.id)).toBe(1);
  });

  it('rejects an invalid command that has an id, and drops one without', async () => {
    const d = await device();
    await ctl.send(d.id, { v: 1, id: 'bad-1', ts: Date.now(), type: 'play', priority: 9 });
    await ctl.send(d.id, { v: 1, type: 'volume' });
    const ack = await ctl.ack(d.id, 'bad-1', 'rejected');
    expect(ack.error?.code).toBe('invalid_command');
    expect(d.executions.size).toBe(0);
  });
});

describe('device rules 2 and 4: priorities, queue and expiry', () => {
  it('an emergency interrupts; the queue plays by priority, then start time', async () => {
    const d = await device();
    const long = play({ priority: 1, media: media.clip(`/${uid('a')}.mp3`, 60_000) });
    await ctl.send(d.id, long);
    await ctl.ack(d.id, long.id, 'playing');
    const music = play({ priority: 0, media: media.clip(`/${uid('m')}.mp3`, 1000) });
    const routine = play({ priority: 1, media: media.clip(`/${uid('r')}.mp3`, 1000) });
    await ctl.send(d.id, music);
    await ctl.ack(d.id, music.id, 'ready');
    await ctl.send(d.id, routine);
    await ctl.ack(d.id, routine.id, 'ready');
    const alarm = play({ priority: 3, media: media.clip(`/${uid('e')}.mp3`, 1000) });
    await ctl.send(d.id, alarm);
    await ctl.ack(d.id, music.id, 'done');
    expect(d.plays.map((p) => p.cmdId)).toEqual([long.id, alarm.id, routine.id, music.id]);
    expect(d.plays.map((p) => p.outcome)).toEqual(['interrupted', 'done', 'done', 'done']);
    expect(ctl.acks(d.id, long.id).at(-1)?.state).toBe('interrupted');
  });

  it('emergency plays at its volume when muted; others play silent (device rule 3)', async () => {
    const d = await device();
    d.muted = true;
    const routine = play({ priority: 1, volume: 60, media: media.clip(`/${uid('r')}.mp3`, 500) });
    const alarm = play({ priority: 3, volume: 90, media: media.clip(`/${uid('e')}.mp3`, 500) });
    await ctl.send(d.id, routine);
    await ctl.ack(d.id, routine.id, 'done');
    await ctl.send(d.id, alarm);
    await ctl.ack(d.id, alarm.id, 'done');
    expect(d.plays.map((p) => p.volume)).toEqual([0, 90]);
  });

  it('expires a play past notAfter on arrival, and one whose turn comes too late', async () => {
    const d = await device();
    const stale = play({ notAfter: Date.now() - 1000, media: media.clip(`/${uid('s')}.mp3`) });
    await ctl.send(d.id, stale);
    await ctl.ack(d.id, stale.id, 'expired');
    expect(ctl.acks(d.id, stale.id).map((a) => a.state)).toEqual(['expired']);

    const blocker = play({ priority: 2, media: media.clip(`/${uid('b')}.mp3`, 20_000) }); // 1 s at speed 20
    await ctl.send(d.id, blocker);
    await ctl.ack(d.id, blocker.id, 'playing');
    const waiting = play({ priority: 1, notAfter: Date.now() + 300, media: media.clip(`/${uid('w')}.mp3`) });
    await ctl.send(d.id, waiting);
    await ctl.ack(d.id, waiting.id, 'expired');
    expect(d.plays.map((p) => p.cmdId)).toEqual([blocker.id]);
    expect(ctl.acks(d.id, blocker.id).at(-1)?.state).toBe('playing');
  });

  it('stop ends the broadcast playing and its queued items as interrupted', async () => {
    const d = await device();
    const broadcastId = uid('b');
    const first = play({ broadcastId, media: media.clip(`/${uid('1')}.mp3`, 60_000) });
    const second = play({ broadcastId, media: media.clip(`/${uid('2')}.mp3`, 60_000) });
    await ctl.send(d.id, first);
    await ctl.ack(d.id, first.id, 'playing');
    await ctl.send(d.id, second);
    await ctl.ack(d.id, second.id, 'ready');
    const stop = { v: 1, id: uid('stop'), ts: Date.now(), type: 'stop', broadcastId } as const;
    await ctl.send(d.id, stop);
    await ctl.ack(d.id, stop.id, 'done');
    expect(ctl.acks(d.id, first.id).at(-1)?.state).toBe('interrupted');
    expect(ctl.acks(d.id, second.id).at(-1)?.state).toBe('interrupted');
    expect(d.playing).toBeNull();
  });
});

describe('device rule 5: startAt on the device clock', () => {
  it('waits for startAt, by its own (skewed) clock', async () => {
    const d = await device({ clockSkewMs: 2000 });
    const startAt = Date.now() + 2400; // 400 ms away on the device's clock
    const cmd = play({ startAt, media: media.clip(`/${uid('t')}.mp3`, 500) });
    await ctl.send(d.id, cmd);
    const playing = await ctl.ack(d.id, cmd.id, 'playing');
    expect(playing.ts).toBeGreaterThanOrEqual(startAt);
    expect(d.plays[0]!.startedAt).toBeGreaterThanOrEqual(startAt);
    expect(playing.lateMs).toBeLessThan(300);
    expect(Date.now()).toBeLessThan(startAt - 1000); // it did not wait by the controller's clock
  });

  it('starts a late command at once and says how late', async () => {
    const d = await device();
    const cmd = play({ startAt: Date.now() - 1500, media: media.clip(`/${uid('l')}.mp3`, 500) });
    await ctl.send(d.id, cmd);
    const playing = await ctl.ack(d.id, cmd.id, 'playing');
    expect(playing.lateMs).toBeGreaterThanOrEqual(1500);
    expect(playing.lateMs).toBeLessThan(3000);
  });
});

describe('other commands', () => {
  it('answers time with t1 and t2 on its own clock', async () => {
    const d = await device({ clockSkewMs: -5000 });
    const t0 = Date.now();
    const cmd = { v: 1, id: uid('time'), ts: t0, type: 'time', t0 } as const;
    await ctl.send(d.id, cmd);
    const done = await ctl.ack(d.id, cmd.id, 'done');
    const t3 = Date.now();
    const offset = (done.t1! - t0 + (done.t2! - t3)) / 2;
    expect(Math.abs(offset - -5000)).toBeLessThan(250);
    expect(done.t2!).toBeGreaterThanOrEqual(done.t1!);
  });

  it('a test tone fails with amp_fault on a faulty amplifier, and so does a play', async () => {
    const d = await device({ faults: { ampFault: true } });
    const test = { v: 1, id: uid('test'), ts: Date.now(), type: 'test', durationMs: 1000 } as const;
    await ctl.send(d.id, test);
    expect((await ctl.ack(d.id, test.id, 'failed')).error?.code).toBe('amp_fault');
    const cmd = play({ media: media.clip(`/${uid('f')}.mp3`) });
    await ctl.send(d.id, cmd);
    expect((await ctl.ack(d.id, cmd.id, 'failed')).error?.code).toBe('amp_fault');
    d.setFaults({});
    const ok = { ...test, id: uid('test') };
    await ctl.send(d.id, ok);
    expect((await ctl.ack(d.id, ok.id, 'done')).state).toBe('done');
  });
});

describe('conformance', () => {
  it('every message the devices sent here passes the protocol schemas', () => {
    expect(ctl.seen.length).toBeGreaterThan(10);
    expect(ctl.invalid).toEqual([]);
  });
});
