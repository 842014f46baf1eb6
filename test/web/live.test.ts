/** Phát ngay beyond a ready recording: text read out, the microphone live, a radio relay; and the library's storage and uses. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Fleet } from '../../device-sim/index.js';
import { Api } from '../helpers/api.js';
import { sineWav } from '../helpers/audio.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { radioProgramme, radioStation, whenStreamed } from '../helpers/streams.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { DESKTOP, PASSWORD, PHONE, createAccount, ensureWebBuilt, horizontalOverflow, launchBrowser, screenshot, signIn } from './harness.js';

let t: TestController;
let fleet: Fleet;
let browser: Browser;
let page: Page;
let devices: Array<{ id: string; secret: string; zoneId: string }>;

const inZone = (zoneId: string) => fleet.devices.filter((d) => devices.find((x) => x.id === d.id)?.zoneId === zoneId);
const countOf = (key: string) => page.locator(`[data-count="${key}"] dd`).textContent();
const finished = (s: { done: number; interrupted: number; failed: number; expired: number; rejected: number }) => s.done + s.interrupted + s.failed + s.expired + s.rejected;

/** Desktop and phone pictures of the same state; the phone one must not scroll sideways. */
async function both(name: string): Promise<void> {
  await screenshot(page, `desktop-${name}`);
  await page.setViewportSize(PHONE);
  expect(await horizontalOverflow(page)).toBe(0);
  await screenshot(page, `phone-${name}`);
  await page.setViewportSize(DESKTOP);
}

async function openBroadcastNow(): Promise<void> {
  await page.getByRole('link', { name: 'Phát ngay' }).click();
  await page.getByRole('heading', { level: 1, name: 'Phát ngay' }).waitFor();
}

beforeAll(async () => {
  await ensureWebBuilt();
  // A small library (1 MB) so that a few minutes of audio overflow it.
  t = await startTestController({ retryMs: 250, mediaQuotaMb: 1 });
  devices = await provision(t.api, { 'thon-dong': 3, 'thon-tay': 3 });
  await createAccount(t.api, 'can-bo', 'officer');
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 4, seed: 7 });
  [browser] = await Promise.all([launchBrowser(), fleet.start()]);
  await whenOnline(t.c, devices.map((d) => d.id));
  ({ page } = await signIn(browser, t.c.httpUrl, 'can-bo'));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await t?.close();
});

describe('Phát ngay: text read out', () => {
  it('makes speech from Vietnamese text, shows a wait while it is made, and broadcasts it to one village until every speaker is done', async () => {
    const text = 'Thông báo: chiều nay lúc 3 giờ, họp dân tại nhà văn hoá thôn Tây. Đề nghị bà con đến đúng giờ.';
    const voices = (await t.api.get('/api/v1/media/voices')).body;
    expect(voices.available).toBe(true);

    await openBroadcastNow();
    await page.getByLabel('Đọc văn bản', { exact: true }).check();
    await page.getByLabel('Văn bản cần đọc').fill(text);
    await page.getByLabel('Tên bản tin (không bắt buộc)').fill('Thông báo họp dân');
    // Hold the request until the wait has been seen and pictured, so the picture is of the wait.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/api/v1/media/tts', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Tạo giọng đọc' }).click();
    await page.getByText('Đang tạo giọng đọc… (vài giây)').waitFor();
    expect(await page.getByRole('button', { name: 'Đang tạo…' }).isDisabled()).toBe(true);
    await both('tts-making');
    release();
    await page.getByText('Đã lưu «Thông báo họp dân» vào thư viện.', { exact: false }).waitFor();
    await page.unroute('**/api/v1/media/tts');
    await page.getByLabel('Nghe thử Thông báo họp dân').waitFor();
    const mediaId = (await page.locator('.made').getAttribute('data-media'))!;
    const media = (await t.api.get(`/api/v1/media/${mediaId}`)).body;
    expect(media).toMatchObject({ title: 'Thông báo họp dân', text, format: 'mp3', createdBy: 'can-bo' });
    expect(media.durationMs).toBeGreaterThan(3000);
    await both('tts-made');

    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-tay').check();
    await page.getByText('Sẽ phát «Thông báo họp dân» trên 3 loa.').waitFor();
    await page.getByRole('button', { name: 'Phát ngay' }).click();
    await page.waitForURL(/\/ban-tin\//);
    await page.locator('[data-finished="true"]').waitFor();
    expect(await countOf('done')).toBe('3');
    const id = (await page.locator('[data-job]').getAttribute('data-job'))!;
    const b = (await t.api.get(`/api/v1/broadcasts/${id}`)).body;
    expect(b).toMatchObject({ title: 'Thông báo họp dân', mediaId, targets: { zones: ['thon-tay'] } });
    expect(b.summary).toMatchObject({ targeted: 3, done: 3, failed: 0 });
    const played = fleet.devices.filter((d) => d.plays.some((p) => p.broadcastId === id && p.outcome === 'done')).map((d) => d.id);
    expect(played.sort()).toEqual(inZone('thon-tay').map((d) => d.id).sort());
  });
});

describe('Phát ngay: a recording made here', () => {
  it('records from the microphone, keeps it in the library and broadcasts it', async () => {
    await openBroadcastNow();
    await page.getByLabel('Ghi âm', { exact: true }).check();
    await page.getByRole('button', { name: 'Bắt đầu ghi âm' }).click();
    // Two seconds of the fake microphone's beep, read off the page's own clock.
    await page.locator('.record .elapsed', { hasText: '0:02' }).waitFor();
    await both('record-recording');
    await page.getByRole('button', { name: 'Dừng ghi âm' }).click();
    await page.getByLabel('Nghe lại bản ghi âm').waitFor();
    await page.getByLabel('Tên bản ghi âm').fill('Lời nhắn của trưởng thôn');
    await page.getByRole('button', { name: 'Lưu và dùng bản ghi này' }).click();
    await page.getByText('Đã lưu «Lời nhắn của trưởng thôn» vào thư viện.', { exact: false }).waitFor();
    const mediaId = (await page.locator('.made').getAttribute('data-media'))!;
    const media = (await t.api.get(`/api/v1/media/${mediaId}`)).body;
    expect(media).toMatchObject({ title: 'Lời nhắn của trưởng thôn', format: 'mp3', createdBy: 'can-bo' });
    expect(media.durationMs).toBeGreaterThanOrEqual(1500);

    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-dong').check();
    await page.getByRole('button', { name: 'Phát ngay' }).click();
    await page.waitForURL(/\/ban-tin\//);
    await page.locator('[data-finished="true"]').waitFor();
    const id = (await page.locator('[data-job]').getAttribute('data-job'))!;
    expect((await t.api.get(`/api/v1/broadcasts/${id}`)).body).toMatchObject({ mediaId, summary: { targeted: 3, done: 3 } });
  });
});

describe('Phát ngay: live from the microphone', () => {
  it('goes live to one village, whose speakers receive the stream, then stops it on every speaker', async () => {
    await openBroadcastNow();
    await page.getByLabel('Phát trực tiếp', { exact: true }).check();
    await page.getByLabel('Tiêu đề', { exact: true }).fill('Họp khẩn thôn Đông');
    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-dong').check();
    await page.getByText('Sẽ phát trực tiếp «Họp khẩn thôn Đông» trên 3 loa.').waitFor();
    await page.getByRole('button', { name: 'Bắt đầu phát trực tiếp' }).click();

    const panel = page.locator('.live-panel[data-state="on-air"]');
    await panel.waitFor();
    const liveId = (await panel.getAttribute('data-stream'))!;
    const opened = (await t.api.get(`/api/v1/live/${liveId}`)).body;
    expect(opened).toMatchObject({ kind: 'live', title: 'Họp khẩn thôn Đông', createdBy: 'can-bo' });
    const { broadcastId } = opened;
    expect((await t.api.get(`/api/v1/broadcasts/${broadcastId}`)).body).toMatchObject({ targets: { zones: ['thon-dong'] }, priority: 1 });

    // The fake microphone's sound reaches the village's speakers, and only theirs.
    await whenStreamed(inZone('thon-dong'), broadcastId, 2000);
    expect(inZone('thon-tay').map((d) => d.streamBytes.get(broadcastId) ?? 0)).toEqual([0, 0, 0]);
    await page.locator('[data-listeners="3"]').waitFor();
    await page.locator('.live-panel .deliveries li[data-state="playing"]').nth(2).waitFor();
    expect(await page.getByText('3 loa đang nghe').count()).toBe(1);
    expect(await page.locator('.live-panel .elapsed').textContent()).toMatch(/^\d+:\d\d$/);
    const onAir = (await t.api.get(`/api/v1/live/${liveId}`)).body;
    expect(onAir).toMatchObject({ state: 'on-air', listeners: 3 });
    expect(onAir.bytesIn).toBeGreaterThan(0);
    await both('live-on-air');

    await page.getByRole('button', { name: 'Dừng phát trực tiếp' }).click();
    await page.locator('.live-panel[data-state="ended"]').waitFor();
    await page.getByText('Đã kết thúc phát trực tiếp. Đã dừng bởi can-bo.').waitFor();
    const s = await whenSummary(t.c, broadcastId, (x) => finished(x) === 3);
    expect(s.playing).toBe(0);
    expect(inZone('thon-dong').map((d) => d.playing)).toEqual([null, null, null]);
    expect((await t.api.get(`/api/v1/live/${liveId}`)).body).toMatchObject({ state: 'ended', reason: 'stopped by can-bo', listeners: 0 });
    // Each speaker ends the stream (done as it closes, or interrupted by the stop): none still playing.
    await page.locator('.live-panel [data-finished="true"]').waitFor();
    expect(await page.locator('.live-panel .deliveries li').count()).toBe(3);
    expect(await page.locator('.live-panel .deliveries li[data-state="playing"]').count()).toBe(0);
    // The microphone is let go once it is over.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('.rec-dot'))).toBe(null);
    await both('live-ended');

    await page.getByRole('button', { name: 'Xong, về trang Phát ngay' }).click();
    const row = page.locator(`.streams li[data-stream="${liveId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('ended');
    expect(await row.getByRole('button', { name: 'Dừng' }).count()).toBe(0);
  });

  it('stops the microphone too when its broadcast is cancelled elsewhere', async () => {
    await openBroadcastNow();
    await page.getByLabel('Phát trực tiếp', { exact: true }).check();
    await page.getByLabel('Tiêu đề', { exact: true }).fill('Thông báo nhanh');
    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-tay').check();
    await page.getByRole('button', { name: 'Bắt đầu phát trực tiếp' }).click();
    const panel = page.locator('.live-panel[data-state="on-air"]');
    await panel.waitFor();
    const liveId = (await panel.getAttribute('data-stream'))!;
    const { broadcastId } = (await t.api.get(`/api/v1/live/${liveId}`)).body;
    await whenStreamed(inZone('thon-tay'), broadcastId, 1000);
    // Someone presses «Dừng phát» on the broadcast's own page.
    expect((await t.api.post(`/api/v1/broadcasts/${broadcastId}/cancel`)).status).toBe(200);
    await page.locator('.live-panel[data-state="ended"]').waitFor();
    // Whichever comes first: the server ends a stream whose broadcast is cancelled, the page stops its microphone.
    expect((await t.api.get(`/api/v1/live/${liveId}`)).body).toMatchObject({ state: 'ended', reason: expect.stringMatching(/^(broadcast_cancelled|stopped by can-bo)$/) });
    await page.getByRole('button', { name: 'Xong, về trang Phát ngay' }).click();
  });

  it('says plainly when the microphone is refused, and opens no live broadcast', async () => {
    const context = await browser.newContext({ viewport: PHONE, baseURL: t.c.httpUrl, locale: 'vi-VN' });
    // The officer pressed «Block» on the browser's question.
    await context.addInitScript(() => {
      const nav = (globalThis as unknown as { navigator: { mediaDevices: { getUserMedia: unknown } } }).navigator;
      nav.mediaDevices.getUserMedia = () => Promise.reject(Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' }));
    });
    const before = (await t.api.get('/api/v1/live')).body.items.length;
    const phone = await context.newPage();
    await phone.goto('/phat-ngay');
    await phone.getByLabel('Tên đăng nhập').fill('can-bo');
    await phone.getByLabel('Mật khẩu').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Đăng nhập' }).click();
    await phone.getByRole('heading', { level: 1, name: 'Phát ngay' }).waitFor();
    await phone.getByLabel('Phát trực tiếp', { exact: true }).check();
    await phone.getByLabel('Tất cả các thôn').check();
    await phone.getByRole('button', { name: 'Bắt đầu phát trực tiếp' }).click();
    await phone.getByRole('alert').filter({ hasText: 'Chưa được phép dùng micro.' }).waitFor();
    expect(await phone.getByRole('button', { name: 'Bắt đầu phát trực tiếp' }).isEnabled()).toBe(true);
    expect((await t.api.get('/api/v1/live')).body.items.length).toBe(before);
    await screenshot(phone, 'phone-live-mic-denied');
    await context.close();
  });
});

describe('Tiếp sóng', () => {
  it('relays a radio channel to one village, lists it with its listeners, and stops it', async () => {
    const station = await radioStation(await radioProgramme(60));
    try {
      await openBroadcastNow();
      await page.getByLabel('Tiếp sóng đài', { exact: true }).check();
      await page.getByLabel('Địa chỉ luồng phát của đài (http/https)').fill(station.url);
      await page.getByLabel('Tiêu đề', { exact: true }).fill('Tiếp sóng VOV1');
      await page.getByLabel('Chọn thôn').check();
      await page.getByLabel('Thôn thon-tay').check();
      await page.getByText('Sẽ tiếp sóng «Tiếp sóng VOV1» trên 3 loa.').waitFor();
      await page.getByRole('button', { name: 'Bắt đầu tiếp sóng' }).click();
      await page.getByText('Đã bắt đầu tiếp sóng «Tiếp sóng VOV1».', { exact: false }).waitFor();
      const relay = (await t.api.get('/api/v1/live')).body.items.find((s: { title: string }) => s.title === 'Tiếp sóng VOV1');
      expect(relay).toMatchObject({ kind: 'relay', source: station.url });
      expect((await t.api.get(`/api/v1/broadcasts/${relay.broadcastId}`)).body).toMatchObject({ targets: { zones: ['thon-tay'] } });
      await whenStreamed(inZone('thon-tay'), relay.broadcastId, 2000);
      expect(station.connections.size).toBe(1);
      const row = page.locator(`.streams li[data-stream="${relay.id}"]`);
      await page.locator(`.streams li[data-stream="${relay.id}"][data-state="on-air"]`).waitFor();
      await row.getByText('3 loa đang nghe', { exact: false }).waitFor();
      await both('relay-running');

      await row.getByRole('button', { name: 'Dừng' }).click();
      await row.getByRole('button', { name: 'Dừng ở mọi loa?' }).click();
      await page.locator(`.streams li[data-stream="${relay.id}"][data-state="ended"]`).waitFor();
      const s = await whenSummary(t.c, relay.broadcastId, (x) => finished(x) === 3);
      expect(s.playing).toBe(0);
      expect((await t.api.get(`/api/v1/live/${relay.id}`)).body).toMatchObject({ state: 'ended', reason: 'stopped by can-bo' });
    } finally {
      station.kill();
    }
  }, 40_000);
});

describe('Thư viện', () => {
  it('shows the storage used, the text of a spoken item, where an item is used, and refuses deleting one a programme still needs', async () => {
    const tone = await uploadTone(t.api, 20, 'Nhạc hiệu buổi sáng');
    const officer = new Api(t.c.httpUrl);
    await officer.login('can-bo', PASSWORD);
    const prog = await officer.post('/api/v1/schedules', { title: 'Bản tin sáng hằng ngày', items: [{ kind: 'media', mediaId: tone.id, durationMs: tone.durationMs }], targets: { all: true }, priority: 1, recurrence: { kind: 'daily', times: ['06:00'] } });
    expect(prog.status).toBe(201);
    const spoken = (await t.api.post('/api/v1/media/tts', { text: 'Loa phường xin thông báo: ngày mai cắt điện từ 7 giờ đến 11 giờ.', title: 'Lịch cắt điện' })).body;

    await page.getByRole('link', { name: 'Thư viện' }).click();
    const usage = (await t.api.get('/api/v1/media')).body.usage;
    const storage = page.locator('.storage');
    await storage.waitFor();
    expect(await storage.getAttribute('data-used')).toBe(String(usage.bytes));
    expect(usage.quotaBytes).toBe(1024 * 1024);
    expect(await storage.locator('.storage-line').textContent()).toMatch(/^Đã dùng \d+(,\d)? MB \/ 1 MB \(\d+%\)/);
    expect(await storage.getByRole('progressbar', { name: 'Dung lượng đã dùng' }).getAttribute('aria-valuenow')).toBe(String(usage.bytes));

    const spokenRow = page.locator(`[data-media="${spoken.id}"]`);
    await spokenRow.getByText('Văn bản được đọc').click();
    await spokenRow.getByText('Loa phường xin thông báo: ngày mai cắt điện từ 7 giờ đến 11 giờ.').waitFor();

    const row = page.locator(`[data-media="${tone.id}"]`);
    await row.getByRole('button', { name: 'Dùng ở đâu' }).click();
    const use = row.locator('.use-list li[data-use="programme"]');
    await use.waitFor();
    expect(await use.getAttribute('data-pending')).toBe('true');
    expect(await use.textContent()).toContain('Bản tin sáng hằng ngày');
    expect(await use.textContent()).toContain('Sắp phát');
    await row.getByText('Được dùng ở 1 nơi, 1 nơi sắp phát: chưa xoá được.').waitFor();

    await row.getByRole('button', { name: 'Xoá' }).click();
    await row.getByRole('button', { name: 'Xoá thật?' }).click();
    await row.getByRole('alert').filter({ hasText: 'Không thể xoá: tệp âm thanh đang được dùng bởi 1 bản tin hoặc chương trình.' }).waitFor();
    expect((await t.api.get(`/api/v1/media/${tone.id}`)).status).toBe(200);
    await both('library-uses');

    // An item used nowhere says so, and goes.
    await spokenRow.getByRole('button', { name: 'Dùng ở đâu' }).click();
    await spokenRow.getByText('Chưa được dùng ở đâu: có thể xoá.').waitFor();
    await spokenRow.getByRole('button', { name: 'Xoá' }).click();
    await spokenRow.getByRole('button', { name: 'Xoá thật?' }).click();
    await spokenRow.waitFor({ state: 'detached' });
    expect((await t.api.get(`/api/v1/media/${spoken.id}`)).status).toBe(404);
  });

  it('says plainly that the library is full when an upload does not fit', async () => {
    await page.getByLabel('Tệp âm thanh').setInputFiles({ name: 'hoi-nghi.wav', mimeType: 'audio/wav', buffer: sineWav(200) });
    await page.getByLabel('Tên bản tin (không bắt buộc)').fill('Hội nghị cả buổi');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    // The server converts the whole file before it knows its size: as long as that takes.
    await page.getByRole('alert').filter({ hasText: 'Thư viện âm thanh đã đầy' }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole('alert').filter({ hasText: 'Thư viện âm thanh đã đầy' }).textContent()).toMatch(/^Thư viện âm thanh đã đầy \(\d+\/1 MB\)\. Hãy xoá bớt tệp không dùng nữa rồi tải lên lại\.$/);
    expect((await t.api.get('/api/v1/media?q=Hội nghị')).body.items).toEqual([]);
    await both('library-full');
  }, 60_000);
});
