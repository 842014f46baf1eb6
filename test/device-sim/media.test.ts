import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet, SimDevice, type SimDeviceOptions } from '../../device-sim/index.js';
import { MediaServer, TestController, play, startBroker, uid, type TestBroker } from './harness.js';

let broker: TestBroker;
let media: MediaServer;
let ctl: TestController;
const devices: SimDevice[] = [];

async function device(opts: Partial<SimDeviceOptions> = {}): Promise<SimDevice> {
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

describe('device rule 6: media is verified and downloads resume', () => {
  it('fails checksum_mismatch when the bytes do not match sha256, and never plays', async () => {
    const d = await device();
    const clip = media.clip(`/${uid('x')}.mp3`);
    const cmd = play({ media: { ...clip, sha256: 'a'.repeat(64) } });
    await ctl.send(d.id, cmd);
    const failed = await ctl.ack(d.id, cmd.id, 'failed');
    expect(failed.error?.code).toBe('checksum_mismatch');
    expect(ctl.acks(d.id, cmd.id).map((a) => a.state)).toEqual(['received', 'downloading', 'failed']);
    expect(d.plays).toHaveLength(0);
  });

  it('the wrongChecksum and downloadFail faults fail with their codes', async () => {
    const d = await device({ faults: { wrongChecksum: true } });
    const a = play({ media: media.clip(`/${uid('a')}.mp3`) });
    await ctl.send(d.id, a);
    expect((await ctl.ack(d.id, a.id, 'failed')).error?.code).toBe('checksum_mismatch');
    d.setFaults({ downloadFail: true });
    const b = play({ media: media.clip(`/${uid('b')}.mp3`) });
    await ctl.send(d.id, b);
    expect((await ctl.ack(d.id, b.id, 'failed')).error?.code).toBe('download_failed');
  });

  it('resumes a broken transfer with an HTTP Range request and plays the verified file', async () => {
    const d = await device();
    const path = `/${uid('big')}.mp3`;
    const clip = media.clip(path, 500, 512 * 1024);
    media.breakOnce(path);
    const cmd = play({ media: clip });
    await ctl.send(d.id, cmd);
    await ctl.ack(d.id, cmd.id, 'done');
    const requests = media.requests.filter((r) => r.path === path);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(clip.bytes);
  });

  it('fails unsupported_format for a format the speaker cannot decode', async () => {
    const d = await device();
    const cmd = play({ media: { ...media.clip(`/${uid('f')}.flac`), format: 'flac' } });
    await ctl.send(d.id, cmd);
    expect((await ctl.ack(d.id, cmd.id, 'failed')).error?.code).toBe('unsupported_format');
  });

  it('a fleet sharing downloads fetches each (url, sha256) once', async () => {
    const fleet = new Fleet({ brokerUrl: broker.url, devices: Array.from({ length: 20 }, () => ({ id: uid('shr'), secret: 's' })), speed: 50, shareDownloads: true });
    await fleet.start();
    const path = `/${uid('shared')}.mp3`;
    const clip = media.clip(path, 500);
    const cmds = fleet.devices.map((d) => ({ d, cmd: play({ media: clip }) }));
    await Promise.all(cmds.map(({ d, cmd }) => ctl.send(d.id, cmd)));
    await Promise.all(cmds.map(({ d, cmd }) => ctl.ack(d.id, cmd.id, 'done')));
    expect(media.requests.filter((r) => r.path === path)).toHaveLength(1);
    await fleet.stop();
  });
});

describe('streams', () => {
  it('reads a live stream without downloading, counting bytes, until an emergency preempts it', async () => {
    const d = await device();
    const live = play({ priority: 0, media: { stream: media.url('/live') } });
    await ctl.send(d.id, live);
    await ctl.ack(d.id, live.id, 'playing');
    await new Promise<void>((resolve) => {
      const onStream = (broadcastId: string, total: number) => {
        if (broadcastId !== live.broadcastId || total < 8 * 1024) return;
        d.off('stream', onStream);
        resolve();
      };
      d.on('stream', onStream);
    });
    const alarm = play({ priority: 3, media: media.clip(`/${uid('e')}.mp3`, 500) });
    await ctl.send(d.id, alarm);
    await ctl.ack(d.id, live.id, 'interrupted');
    const bytesAtStop = d.streamBytes.get(live.broadcastId)!;
    await ctl.ack(d.id, alarm.id, 'done');
    expect(ctl.acks(d.id, live.id).map((a) => a.state)).toEqual(['received', 'playing', 'interrupted']);
    expect(d.streamBytes.get(live.broadcastId)).toBeLessThanOrEqual(bytesAtStop + 2048);
    expect(d.plays.map((p) => p.outcome)).toEqual(['interrupted', 'done']);
  });

  it('a stream that cannot be opened fails download_failed', async () => {
    const d = await device();
    const cmd = play({ media: { stream: media.url('/no-such-stream') } });
    await ctl.send(d.id, cmd);
    expect((await ctl.ack(d.id, cmd.id, 'failed')).error?.code).toBe('download_failed');
  });
});

describe('conformance', () => {
  it('every message the devices sent here passes the protocol schemas', () => {
    expect(ctl.seen.length).toBeGreaterThan(10);
    expect(ctl.invalid).toEqual([]);
  });
});
