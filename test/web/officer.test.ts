/** An officer at work in the browser: upload, broadcast to one village, an emergency alert with confirmation, cancel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Fleet } from '../../device-sim/index.js';
import { sineWav } from '../helpers/audio.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { createAccount, ensureWebBuilt, launchBrowser, screenshot, signIn } from './harness.js';

let t: TestController;
let fleet: Fleet;
let browser: Browser;
let page: Page;
let devices: Array<{ id: string; secret: string; zoneId: string }>;
let alarm: { id: string };

const inZone = (zoneId: string) => devices.filter((d) => d.zoneId === zoneId).map((d) => d.id);
const countOf = (key: string) => page.locator(`[data-count="${key}"] dd`).textContent();

beforeAll(async () => {
  // The controller lists web/dist's files when it starts: build first.
  await ensureWebBuilt();
  t = await startTestController({ retryMs: 250 });
  devices = await provision(t.api, { 'thon-dong': 6, 'thon-tay': 6 });
  alarm = await uploadTone(t.api, 30, 'Cảnh báo lũ quét');
  await createAccount(t.api, 'can-bo', 'officer');
  // Speed 2: the 30-second alert is still playing when the officer cancels it.
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 2, seed: 3 });
  [browser] = await Promise.all([launchBrowser(), fleet.start()]);
  await whenOnline(t.c, devices.map((d) => d.id));
  ({ page } = await signIn(browser, t.c.httpUrl, 'can-bo'));
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await t?.close();
});

describe('an officer in the web console', () => {
  it('uploads audio, broadcasts to one village and watches every speaker reach done', async () => {
    await page.getByRole('link', { name: 'Phát ngay' }).click();
    await page.getByText('Hoặc tải lên tệp mới').click();
    await page.getByLabel('Tệp âm thanh').setInputFiles({ name: 'ban-tin-chieu.wav', mimeType: 'audio/wav', buffer: sineWav(2) });
    await page.getByLabel('Tên bản tin (không bắt buộc)').fill('Bản tin chiều');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await page.getByLabel('Nghe thử Bản tin chiều').waitFor();
    expect(await page.getByLabel('Nghe thử Bản tin chiều').getAttribute('src')).toMatch(/^\/media\/[0-9a-f]{64}\.mp3\?exp=\d+&sig=/);
    const uploaded = (await t.api.get('/api/v1/media?q=chiều')).body.items;
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0].durationMs).toBe(2000);

    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-tay').check();
    await page.getByText('Sẽ phát «Bản tin chiều» trên 6 loa.').waitFor();
    await page.getByRole('button', { name: 'Phát ngay' }).click();
    await page.waitForURL(/\/ban-tin\//);
    await page.locator('[data-finished="true"]').waitFor();
    await page.locator('.deliveries li[data-state="done"]').nth(5).waitFor();
    await screenshot(page, 'desktop-broadcast-progress');

    expect(await countOf('done')).toBe('6');
    expect(await countOf('total')).toBe('6');
    expect(await page.locator('.deliveries li').count()).toBe(6);
    const id = await page.locator('[data-job]').getAttribute('data-job');
    const api = (await t.api.get(`/api/v1/broadcasts/${id}`)).body;
    expect(api).toMatchObject({ title: 'Bản tin chiều', priority: 1, targets: { zones: ['thon-tay'] } });
    expect(api.summary).toMatchObject({ targeted: 6, done: 6, failed: 0 });
    const played = fleet.devices.filter((d) => d.plays.some((p) => p.broadcastId === id)).map((d) => d.id).sort();
    expect(played).toEqual(inZone('thon-tay').sort());
  });

  it('sends an alert through the alerts API only after a confirmation, sees 100 % confirmed, then cancels it', async () => {
    await page.getByRole('link', { name: 'Khẩn cấp' }).click();
    await page.getByLabel('Loại thiên tai, sự cố').selectOption('flash-flood');
    await page.getByLabel('Cấp 4 – rủi ro rất lớn').check();
    await page.getByLabel('Tiêu đề cảnh báo').fill('Lũ quét khẩn cấp');
    await page.getByLabel('Bản tin trong thư viện').selectOption(alarm.id);
    await page.getByLabel('Chuông báo').check();
    await page.getByRole('button', { name: 'Tiếp tục: kiểm tra trước khi phát' }).click();

    const count = page.locator('.confirm-count');
    expect(await count.getAttribute('data-speakers')).toBe('12');
    expect(await count.textContent()).toContain('12 loa sẽ phát ngay tại 2 thôn');
    expect(await page.locator('.confirm-villages li').allTextContents()).toEqual(['Thôn thon-dong', 'Thôn thon-tay']);
    const risk = page.locator('.confirm .risk-badge');
    expect(await risk.textContent()).toBe('Cấp 4 – rủi ro rất lớn');
    // The official colour of level 4 (red), with black text that keeps 5:1 contrast on it.
    expect(await risk.evaluate((el) => [el.getAttribute('style')])).toEqual(['background: rgb(229, 57, 53); color: rgb(0, 0, 0);']);
    const send = page.getByRole('button', { name: 'PHÁT CẢNH BÁO KHẨN CẤP' });
    expect(await send.isDisabled()).toBe(true);
    expect((await t.api.get('/api/v1/alerts')).body.items).toHaveLength(0);
    await screenshot(page, 'desktop-emergency-confirm');

    await page.getByLabel('Tôi xác nhận đây là tình huống khẩn cấp và muốn phát ngay.').check();
    await send.click();
    await page.waitForURL(/\/khan-cap\/.+/);
    await page.locator('[data-percent="100"]').waitFor();
    expect(await page.locator('.confirm-big').getAttribute('data-confirmed')).toBe('12');
    expect(await page.locator('[data-waiting]').getAttribute('data-waiting')).toBe('0');
    const alertId = (await page.locator('[data-job]').getAttribute('data-job'))!;
    const alert = (await t.api.get(`/api/v1/alerts/${alertId}`)).body;
    expect(alert).toMatchObject({ hazard: 'flash-flood', riskLevel: 4, signal: 'chime', title: 'Lũ quét khẩn cấp', state: 'active', targeted: 12, confirmed: 12, volume: 100, targets: { all: true } });
    const id = alert.repetitions[0].broadcastId as string;
    const sent = (await t.api.get(`/api/v1/broadcasts/${id}`)).body;
    expect(sent).toMatchObject({ priority: 3, volume: 100, status: 'active' });
    expect(sent.summary.playing).toBe(12);
    await screenshot(page, 'desktop-emergency-confirmed');

    await page.getByRole('button', { name: 'Huỷ cảnh báo' }).click();
    await page.getByRole('button', { name: 'Bấm lần nữa để dừng ở mọi loa' }).click();
    await page.locator('[data-status="cancelled"]').waitFor();
    const s = await whenSummary(t.c, id, (x) => x.interrupted === 12);
    expect(s.playing).toBe(0);
    expect((await t.api.get(`/api/v1/alerts/${alertId}`)).body.state).toBe('cancelled');
    expect(await page.locator('.confirm-big').getAttribute('data-percent')).toBe('100');
    expect(fleet.devices.every((d) => d.plays.find((p) => p.broadcastId === id)?.outcome === 'interrupted')).toBe(true);
  });

  it('sends a drill read out from text, marked as a drill from the confirmation to the speakers', async () => {
    await page.getByRole('link', { name: 'Khẩn cấp' }).click();
    await page.getByLabel('Loại thiên tai, sự cố').selectOption('landslide');
    await page.getByLabel('Cấp 2 – rủi ro trung bình').check();
    await page.getByLabel('Đọc văn bản (giọng máy)').check();
    await page.getByLabel('Văn bản sẽ được đọc trên loa').fill('Sạt lở đất ở thôn Tây, bà con tránh xa sườn đồi.');
    await page.getByLabel('Chọn thôn').check();
    await page.getByLabel('Thôn thon-tay').check();
    await page.getByLabel('Không có', { exact: true }).check();
    await page.getByLabel('Số lần phát (cách nhau 2 phút)').selectOption('2');
    await page.getByLabel('Đây là diễn tập (loa đọc thông báo diễn tập trước)').check();
    await page.getByRole('button', { name: 'Tiếp tục: kiểm tra trước khi phát' }).click();
    expect(await page.locator('.confirm .drill-tag').textContent()).toBe('DIỄN TẬP');
    expect(await page.locator('.confirm-count').getAttribute('data-speakers')).toBe('6');
    await page.getByLabel('Tôi xác nhận đây là tình huống khẩn cấp và muốn phát ngay.').check();
    await page.getByRole('button', { name: 'PHÁT CẢNH BÁO KHẨN CẤP' }).click();
    await page.waitForURL(/\/khan-cap\/.+/);
    await page.getByRole('heading', { level: 1, name: 'DIỄN TẬP Sạt lở đất, sụt lún đất' }).waitFor();
    await page.locator('[data-percent="100"]').waitFor();
    const alertId = (await page.locator('[data-job]').getAttribute('data-job'))!;
    const alert = (await t.api.get(`/api/v1/alerts/${alertId}`)).body;
    expect(alert).toMatchObject({ kind: 'drill', hazard: 'landslide', riskLevel: 2, signal: 'none', repeats: 2, text: 'Sạt lở đất ở thôn Tây, bà con tránh xa sườn đồi.', targeted: 6, confirmed: 6, targets: { zones: ['thon-tay'] } });
    // The second time is two minutes later: listed with its own progress.
    expect(alert.repetitions).toHaveLength(2);
    expect(await page.locator('.repetitions li').count()).toBe(2);
    const b = (await t.api.get(`/api/v1/broadcasts/${alert.repetitions[0].broadcastId}`)).body;
    expect(b.title).toMatch(/^\[DIỄN TẬP \/ DRILL\]/);
    await screenshot(page, 'desktop-emergency-drill');
    expect((await t.api.post(`/api/v1/alerts/${alertId}/cancel`)).status).toBe(200);
  });
});
