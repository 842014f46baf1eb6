import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { sineWav } from '../helpers/audio.js';
import { Api } from '../helpers/api.js';
import { readEvents, type LiveEvent } from '../helpers/events.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function controller(overrides: Parameters<typeof startTestController>[0] = {}): Promise<TestController> {
  const t = await startTestController(overrides);
  cleanups.push(() => t.close());
  return t;
}

const filesIn = async (dir: string) => (await fs.readdir(dir)).sort();

describe('long uploads are jobs with a percentage', () => {
  it('answers 202, reports rising percentages on the event stream, then the media', async () => {
    const t = await controller({ mediaSyncMs: 0 });
    let streaming!: () => void;
    const open = new Promise<void>((r) => (streaming = r));
    const finished = (evs: LiveEvent[]) => evs.some((e) => e.event === 'media.job' && e.data.state !== 'processing');
    const events = readEvents(`${t.c.httpUrl}/api/v1/events`, t.api.token!, finished, streaming);
    await open;

    const res = await t.api.upload('/api/v1/media', sineWav(120), 'cuoc-hop.wav', { title: 'Họp dân thôn Đông' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ state: 'processing', title: 'Họp dân thôn Đông', mediaId: null });

    const jobEvents = (await events).filter((e) => e.event === 'media.job' && e.data.id === res.body.id).map((e) => e.data);
    const percents = jobEvents.filter((j) => j.state === 'processing').map((j) => j.progress);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(percents).size).toBe(percents.length);
    const last = jobEvents.at(-1);
    expect(last).toMatchObject({ state: 'done', progress: 100 });

    const job = await t.api.get(`/api/v1/media/jobs/${res.body.id}`);
    expect(job.body).toMatchObject({ state: 'done', mediaId: last.mediaId });
    const media = await t.api.get(`/api/v1/media/${last.mediaId}`);
    expect(media.body).toMatchObject({ title: 'Họp dân thôn Đông' });
    expect(Math.abs(media.body.durationMs - 120_000)).toBeLessThan(100);
  });

  it('answers a short upload at once with 201, and a refused job says why and leaves nothing', async () => {
    const t = await controller();
    const short = await t.api.upload('/api/v1/media', sineWav(2), 'ngan.wav');
    expect(short.status).toBe(201);
    expect(short.body.id).toMatch(/^m-/);

    const refused = new Promise<void>((resolve) => {
      const off = t.c.bus.on('media.job', (j) => j.state === 'failed' && (off(), resolve()));
    });
    const bogus = await t.api.upload('/api/v1/media?async=true', randomBytes(64 * 1024), 'bogus.mp3');
    expect(bogus.status).toBe(202);
    await refused;
    const failed = (await t.api.get(`/api/v1/media/jobs/${bogus.body.id}`)).body;
    expect(failed.error.code).toMatch(/^LOA_AUDIO_/);
    expect(failed.error.messageVi).toBeTruthy();
    expect(failed.mediaId).toBeNull();
    expect(await filesIn(path.join(t.dataDir, 'tmp'))).toEqual([]);
    expect(await filesIn(path.join(t.dataDir, 'media'))).toEqual([`${short.body.sha256}.mp3`]);
  });

  it('hides another commune’s job', async () => {
    const t = await controller({ mediaSyncMs: 0 });
    const job = await t.api.upload('/api/v1/media', sineWav(3), 'a.wav');
    await t.api.post('/api/v1/users', { username: 'canbo-b', password: 'mat-khau-rat-dai-1', role: 'officer', commune: 'xa-b' });
    const other = new Api(t.c.httpUrl);
    await other.login('canbo-b', 'mat-khau-rat-dai-1');
    expect((await other.get(`/api/v1/media/jobs/${job.body.id}`)).status).toBe(404);
  });
});

describe('the storage quota', () => {
  it('refuses the upload that would pass it with a clear message, keeps nothing of it, and takes it once space is freed', async () => {
    // 64 kbps mono: about 0.5 MB a minute; the quota holds one minute and a bit.
    const t = await controller({ mediaQuotaMb: 1 });
    const first = await uploadTone(t.api, 70, 'Bản tin 1');
    const before = await filesIn(path.join(t.dataDir, 'media'));

    const refused = await t.api.upload('/api/v1/media', sineWav(70, 523), 'tone2.wav');
    expect(refused.status).toBe(507);
    expect(refused.body.error.code).toBe('LOA_MEDIA_QUOTA');
    expect(refused.body.error.messageVi).toContain('Thư viện âm thanh đã đầy');
    expect(await filesIn(path.join(t.dataDir, 'media'))).toEqual(before);
    expect(await filesIn(path.join(t.dataDir, 'tmp'))).toEqual([]);

    const list = (await t.api.get('/api/v1/media')).body;
    expect(list.usage).toEqual({ bytes: expect.any(Number), quotaBytes: 1024 * 1024 });
    expect(list.usage.bytes).toBeGreaterThan(500_000);

    expect((await t.api.delete(`/api/v1/media/${first.id}`)).status).toBe(204);
    expect((await t.api.upload('/api/v1/media', sineWav(70, 523), 'tone2.wav')).status).toBe(201);
  });
});

describe('where each media item is used', () => {
  it('lists programmes and broadcasts that play it; a programme still to play blocks deletion', async () => {
    const t = await controller();
    await provision(t.api, { 'thon-a': 1 });
    const media = await uploadTone(t.api, 2, 'Tin sáng');
    const programme = await t.api.post('/api/v1/schedules', {
      title: 'Bản tin sáng',
      items: [{ kind: 'media', mediaId: media.id, durationMs: media.durationMs }],
      targets: { zones: ['thon-a'] },
      priority: 1,
      recurrence: { kind: 'daily', times: ['06:00'] },
    });
    expect(programme.status).toBe(201);
    const broadcast = await t.api.post('/api/v1/broadcasts', { title: 'Phát lại', mediaId: media.id, targets: { zones: ['thon-a'] }, priority: 1 });
    expect(broadcast.status).toBe(201);
    await t.api.post(`/api/v1/broadcasts/${broadcast.body.id}/cancel`);

    const usedBy = (await t.api.get(`/api/v1/media/${media.id}`)).body.usedBy;
    expect(usedBy).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'programme', id: programme.body.programme.id, title: 'Bản tin sáng', pending: true }),
        expect.objectContaining({ kind: 'broadcast', id: broadcast.body.id, title: 'Phát lại', pending: false }),
      ]),
    );
    const refused = await t.api.delete(`/api/v1/media/${media.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.messageVi).toContain('đang được dùng bởi 1');

    // A commune officer does not see the district's programme, but is told why the item stays.
    await t.api.post('/api/v1/users', { username: 'canbo-a', password: 'mat-khau-rat-dai-1', role: 'officer', commune: 'xa-demo' });
    const officer = new Api(t.c.httpUrl);
    await officer.login('canbo-a', 'mat-khau-rat-dai-1');
    expect((await officer.get(`/api/v1/media/${media.id}`)).body).toMatchObject({ usedBy: [], pendingElsewhere: 1 });

    expect((await t.api.delete(`/api/v1/schedules/${programme.body.programme.id}`)).status).toBe(204);
    expect((await t.api.delete(`/api/v1/media/${media.id}`)).status).toBe(204);
  });
});
