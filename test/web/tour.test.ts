/** Every page at a phone's width and on a desktop, with screenshots, and how fast the console loads. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Fleet } from '../../device-sim/index.js';
import { ADMIN_PASSWORD, provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { DESKTOP, PHONE, REPO, ensureWebBuilt, horizontalOverflow, launchBrowser, screenshot, signIn, type InBrowser } from './harness.js';

let t: TestController;
let fleet: Fleet;
let browser: Browser;
let broadcastId: string;
let emergencyId: string;

beforeAll(async () => {
  await ensureWebBuilt();
  t = await startTestController({ retryMs: 250 });
  const devices = await provision(t.api, { 'thon-dong': 3, 'thon-tay': 3 });
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 10, seed: 9 });
  [browser] = await Promise.all([launchBrowser(), fleet.start()]);
  await whenOnline(t.c, devices.map((d) => d.id));
  const tone = await uploadTone(t.api, 2, 'Bản tin sáng thứ hai');
  broadcastId = (await t.api.post('/api/v1/broadcasts', { title: 'Bản tin sáng thứ hai', mediaId: tone.id, targets: { zones: ['thon-dong'] }, priority: 1 })).body.id;
  const alert = (await t.api.post('/api/v1/alerts', { hazard: 'storm', riskLevel: 3, title: 'Bão số 3', message: { mediaId: tone.id }, targets: { all: true }, signal: 'none', volume: 100 })).body;
  emergencyId = alert.id;
  await Promise.all([whenSummary(t.c, broadcastId, (s) => s.targeted === s.done + s.interrupted), whenSummary(t.c, alert.repetitions[0].broadcastId, (s) => s.done === 6)]);
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await t?.close();
});

/** Form fields a screen reader could not name: each needs a <label> or an aria-label. */
function unlabelled(page: Page): Promise<string[]> {
  return page.locator('main input:visible, main select:visible, main textarea:visible').evaluateAll((els) =>
    els
      .map((el) => el as unknown as { id: string; name: string; type: string; labels: ArrayLike<unknown> | null; getAttribute(n: string): string | null })
      .filter((el) => !el.labels?.length && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
      .map((el) => `${el.type}#${el.id || el.name}`),
  );
}

/** Moves within the app as a click would (no reload), then waits for the page's heading and its data. */
async function open(page: Page, to: string, heading: string): Promise<void> {
  await page.evaluate((p) => {
    const w = globalThis as unknown as InBrowser;
    w.history.pushState(null, '', p);
    w.dispatchEvent(new w.PopStateEvent('popstate'));
  }, to);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByText('Đang tải…').first().waitFor({ state: 'detached' });
}

const PAGES: Array<[name: string, path: () => string, heading: string]> = [
  ['tong-quan', () => '/', 'Tổng quan'],
  ['phat-ngay', () => '/phat-ngay', 'Phát ngay'],
  ['ban-tin', () => `/ban-tin/${broadcastId}`, 'Bản tin sáng thứ hai'],
  ['khan-cap', () => '/khan-cap', 'Cảnh báo khẩn cấp'],
  ['khan-cap-tien-do', () => `/khan-cap/${emergencyId}`, 'Bão số 3'],
  ['thu-vien', () => '/thu-vien', 'Thư viện âm thanh'],
  ['thiet-bi', () => '/thiet-bi', 'Thiết bị (loa)'],
  ['thiet-bi-ban-do', () => '/thiet-bi?xem=ban-do', 'Thiết bị (loa)'],
  ['thiet-bi-mot-loa', () => '/thiet-bi/thon-tay-0001', 'thon-tay-0001'],
  ['cap-nhat-phan-mem', () => '/cap-nhat-phan-mem', 'Cập nhật phần mềm'],
  ['lich-phat', () => '/lich-phat', 'Lịch phát'],
  ['lich-phat-thang', () => '/lich-phat?xem=thang', 'Lịch phát'],
  ['bao-cao', () => '/bao-cao', 'Báo cáo'],
  ['quan-tri', () => '/quan-tri', 'Quản trị'],
];

describe('the console on a phone and on a desktop', () => {
  it('is served without a session: the page, its script and style, the icon, and client routes', async () => {
    const html = await fetch(`${t.c.httpUrl}/`);
    expect(html.status).toBe(200);
    const text = await html.text();
    const assets = [...text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) expect({ a, status: (await fetch(`${t.c.httpUrl}${a}`)).status }).toEqual({ a, status: 200 });
    // Every asset is local: nothing from another origin.
    expect(text).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const route = await fetch(`${t.c.httpUrl}/thiet-bi/thon-tay-0001`);
    expect([route.status, await route.text()]).toEqual([200, text]);
  });

  it('loads fast on loopback (first load and time to interactive)', async () => {
    const context = await browser.newContext({ viewport: PHONE, baseURL: t.c.httpUrl });
    const page = await context.newPage();
    expect((await page.goto('/'))?.status()).toBe(200);
    await page.getByLabel('Tên đăng nhập').waitFor();
    const timing = await page.evaluate(() => {
      const { performance } = globalThis as unknown as InBrowser;
      const nav = performance.getEntriesByType('navigation')[0]!;
      const ready = performance.getEntriesByName('loa-interactive')[0];
      const js = performance.getEntriesByType('resource').filter((r) => r.name.endsWith('.js'));
      return {
        responseEndMs: Math.round(nav.responseEnd),
        domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd),
        loadEventMs: Math.round(nav.loadEventEnd),
        interactiveMs: ready ? Math.round(ready.startTime) : null,
        jsTransferBytes: js.reduce((n, r) => n + r.encodedBodySize, 0),
      };
    });
    await fs.mkdir(path.join(REPO, 'test-output'), { recursive: true });
    await fs.writeFile(path.join(REPO, 'test-output', 'web-timing.json'), `${JSON.stringify(timing, null, 2)}\n`);
    expect(timing.interactiveMs).not.toBeNull();
    expect(timing.interactiveMs!).toBeGreaterThanOrEqual(timing.domContentLoadedMs - 1);
    expect(timing.interactiveMs!).toBeLessThan(3000);
    // Served precompressed: what the browser receives is the gzip the build wrote, not the bundle itself.
    const script = await page.evaluate(() => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document.querySelector('script[type=module]')?.getAttribute('src'));
    const res = await fetch(`${t.c.httpUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const raw = (await fs.stat(path.join(REPO, 'web', 'dist', script!.slice(1)))).size;
    expect(timing.jsTransferBytes).toBeLessThan(raw);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-dang-nhap');
    await context.close();
  });

  it('has no horizontal scroll at 390×844 on any page (nor on a desktop), labels every field, and has a menu that opens', async () => {
    const { page, context } = await signIn(browser, t.c.httpUrl, 'admin', ADMIN_PASSWORD, PHONE);
    for (const [name, to, heading] of PAGES) {
      await page.setViewportSize(PHONE);
      await open(page, to(), heading);
      expect({ name, overflow: await horizontalOverflow(page), unlabelled: await unlabelled(page) }).toEqual({ name, overflow: 0, unlabelled: [] });
      await screenshot(page, `phone-${name}`);
      await page.setViewportSize(DESKTOP);
      expect({ name, overflow: await horizontalOverflow(page) }).toEqual({ name, overflow: 0 });
      await screenshot(page, `desktop-${name}`);
    }
    await page.setViewportSize(PHONE);
    const menu = page.getByRole('button', { name: 'Danh mục' });
    expect(await page.locator('#main-nav').isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('link', { name: 'Thư viện' }).click();
    await page.getByRole('heading', { level: 1, name: 'Thư viện âm thanh' }).waitFor();
    expect(await page.locator('#main-nav').isVisible()).toBe(false);
    await context.close();
  });
});
