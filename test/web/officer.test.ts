/** An officer at work in the browser: upload, broadcast to one village, an emergency with confirmation, cancel. */
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
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 10, seed: 3 });
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

  it('sends an emergency only after a confirmation, sees 100 % confirmed, then cancels it', async () => {
    await page.getByRole('link', { name: 'Khẩn cấp' }).click();
    await page.getByLabel('Bản tin trong thư viện').selectOption(alarm.id);
    await page.getByLabel('Tiêu đề cảnh báo').fill('Lũ quét khẩn cấp');
    await page.getByRole('button', { name: 'Tiếp tục: kiểm tra trước khi phát' }).click();

    const count = page.locator('.confirm-count');
    expect(await count.getAttribute('data-speakers')).toBe('12');
    expect(await count.textContent()).toContain('12 loa sẽ phát ngay tại 2 thôn');
    expect(await page.locator('.confirm-villages li').allTextContents()).toEqual(['Thôn thon-dong', 'Thôn thon-tay']);
    const send = page.getByRole('button', { name: 'PHÁT CẢNH BÁO KHẨN CẤP' });
    expect(await send.isDisabled()).toBe(true);
    expect((await t.api.get('/api/v1/broadcasts')).body.items.filter((b: { priority: number }) => b.priority === 3)).toHaveLength(0);
    await screenshot(page, 'desktop-emergency-confirm');

    await page.getByLabel('Tôi xác nhận đây là tình huống khẩn cấp và muốn phát ngay.').check();
    await send.click();
    await page.waitForURL(/\/khan-cap\/.+/);
    await page.locator('[data-percent="100"]').waitFor();
    expect(await page.locator('.confirm-big').getAttribute('data-confirmed')).toBe('12');
    expect(await page.locator('[data-waiting]').getAttribute('data-waiting')).toBe('0');
    const id = (await page.locator('[data-job]').getAttribute('data-job'))!;
    const sent = (await t.api.get(`/api/v1/broadcasts/${id}`)).body;
    expect(sent).toMatchObject({ priority: 3, volume: 100, repeat: 2, targets: { all: true }, status: 'active' });
    expect(sent.summary.playing).toBe(12);
    await screenshot(page, 'desktop-emergency-confirmed');

    await page.getByRole('button', { name: 'Huỷ cảnh báo' }).click();
    await page.getByRole('button', { name: 'Bấm lần nữa để dừng ở mọi loa' }).click();
    await page.locator('[data-status="cancelled"]').waitFor();
    const s = await whenSummary(t.c, id, (x) => x.interrupted === 12);
    expect(s.playing).toBe(0);
    expect(await page.locator('.confirm-big').getAttribute('data-percent')).toBe('100');
    expect(fleet.devices.every((d) => d.plays.find((p) => p.broadcastId === id)?.outcome === 'interrupted')).toBe(true);
  });
});
