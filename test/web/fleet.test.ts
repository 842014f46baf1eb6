/** Báo cáo and Thiết bị in the browser: airtime and results, the speaker map, telemetry charts, firmware rollouts by role. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Fleet } from '../../device-sim/index.js';
import { Api } from '../helpers/api.js';
import { ADMIN_PASSWORD, provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { PASSWORD, PHONE, createAccount, ensureWebBuilt, horizontalOverflow, launchBrowser, screenshot, signIn } from './harness.js';

let t: TestController;
let fleet: Fleet;
let browser: Browser;
let broadcastId: string;
let toneMs: number;
/** Never connects: on the map as "never connected", and a rollout to it waits for it. */
const ABSENT = 'thon-tay-0002';

const month = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);

function whenTelemetry(deviceId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = t.c.bus.on('device.telemetry', (e) => {
      if (e.deviceId !== deviceId) return;
      off();
      resolve();
    });
  });
}

beforeAll(async () => {
  await ensureWebBuilt();
  t = await startTestController({ retryMs: 250 });
  const devices = await provision(t.api, { 'thon-dong': 3, 'thon-tay': 3 });
  // Thôn Tây lies a little east of Thôn Đông.
  for (const [i, d] of devices.filter((x) => x.zoneId === 'thon-tay').entries()) await t.api.patch(`/api/v1/devices/${d.id}`, { lat: 21.004 + i / 1000, lon: 105.006 });
  await createAccount(t.api, 'ky-thuat', 'technician');
  await createAccount(t.api, 'nguoi-xem', 'viewer', null);
  const present = devices.filter((d) => d.id !== ABSENT);
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices: present, speed: 20, seed: 7 });
  [browser] = await Promise.all([launchBrowser(), fleet.start()]);
  await whenOnline(t.c, present.map((d) => d.id));
  const tone = await uploadTone(t.api, 2, 'Thông báo họp thôn');
  toneMs = tone.durationMs;
  broadcastId = (await t.api.post('/api/v1/broadcasts', { title: 'Thông báo họp thôn', mediaId: tone.id, targets: { all: true }, priority: 1 })).body.id;
  await whenSummary(t.c, broadcastId, (s) => s.done === 5);
  for (let i = 0; i < 2; i++) {
    const seen = whenTelemetry('thon-dong-0000');
    fleet.get('thon-dong-0000')!.sendTelemetry();
    await seen;
  }
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await t?.close();
});

describe('reports and the fleet in the web console', () => {
  it('Báo cáo shows airtime per village with its CSV, and each broadcast’s results', async () => {
    const { page, context } = await signIn(browser, t.c.httpUrl, 'admin', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.getByRole('heading', { level: 1, name: 'Báo cáo' }).waitFor();
    const row = (name: string) => page.locator(`table.airtime tbody tr[data-village="${name}"] td`).allTextContents();
    await page.locator('table.airtime tbody tr').nth(1).waitFor();
    const airtime = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}`;
    expect(await row('Thôn thon-dong')).toEqual(['1', '3', '0', airtime(3 * toneMs)]);
    expect(await row('Thôn thon-tay')).toEqual(['1', '2', '1', airtime(2 * toneMs)]);
    expect(await page.locator('table.airtime tfoot td').allTextContents()).toEqual(['1', '5', '1', airtime(5 * toneMs)]);

    const link = page.getByRole('link', { name: `Tải tệp CSV tháng ${month()} (mở bằng Excel)` });
    const href = (await link.getAttribute('href'))!;
    const csv = await page.evaluate(async (u) => {
      const res = await fetch(u);
      return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/text\/csv/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(7);

    const result = page.locator(`table.results tr[data-broadcast="${broadcastId}"] td`);
    expect(await result.allTextContents()).toEqual([expect.any(String), 'Thông thường', '6', '5', '0', '0', 'Đang thực hiện']);
    await screenshot(page, 'desktop-bao-cao-so-lieu');
    await page.setViewportSize(PHONE);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-bao-cao-so-lieu');
    await context.close();
  });

  it('Thiết bị draws every speaker on a local map by health, and a speaker’s page charts its telemetry', async () => {
    const { page, context } = await signIn(browser, t.c.httpUrl, 'ky-thuat');
    await page.getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByLabel('Bản đồ').check();
    await page.locator('.device-map a').nth(5).waitFor();
    const marks = await page.locator('.device-map a').evaluateAll((els) => Object.fromEntries(els.map((el) => [el.getAttribute('data-device'), el.getAttribute('data-health')])));
    expect(marks).toEqual({ 'thon-dong-0000': 'ok', 'thon-dong-0001': 'ok', 'thon-dong-0002': 'ok', 'thon-tay-0000': 'ok', 'thon-tay-0001': 'ok', [ABSENT]: 'never_seen' });
    expect(await page.locator('.map-legend').textContent()).toContain('Hoạt động tốt: 5');
    // No tile or image from anywhere: the map is the page's own SVG.
    expect(await page.locator('.device-map image, .device-map img').count()).toBe(0);
    await screenshot(page, 'desktop-ban-do-loa');
    await page.setViewportSize(PHONE);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-ban-do-loa');

    // Keyboard: the marks are links in tab order.
    await page.locator('.device-map a[data-device="thon-dong-0000"]').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'thon-dong-0000' }).waitFor();
    const chart = page.locator('.chart[data-chart="tempC"]');
    await chart.waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(1);
    expect(await chart.locator('svg').getAttribute('aria-label')).toMatch(/^Nhiệt độ: gần nhất [\d.]+ °C/);
    await screenshot(page, 'phone-thiet-bi-do-thi');
    await context.close();
  });

  it('a technician pauses, resumes and aborts a firmware rollout; a viewer only sees it', async () => {
    // The commune's technician starts it (a district rollout is not in a commune account's list).
    const tech = new Api(t.c.httpUrl);
    await tech.login('ky-thuat', PASSWORD);
    const fw = await tech.upload('/api/v1/firmware', randomBytes(48 * 1024), 'firmware.bin', { version: '2.0.0', model: 'loa-sim' });
    expect(fw.status).toBe(201);
    const res = await tech.post('/api/v1/rollouts', { firmwareId: fw.body.id, targets: { devices: [ABSENT] }, groupSize: 1, successThreshold: 1, errorThreshold: 0.5, maxConcurrent: 1 });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const status = async () => (await t.api.get(`/api/v1/rollouts/${id}`)).body.status;

    const { page, context } = await signIn(browser, t.c.httpUrl, 'ky-thuat');
    await page.getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByRole('link', { name: 'Cập nhật phần mềm (firmware) →' }).click();
    const card = page.locator(`[data-rollout="${id}"]`);
    await card.waitFor();
    expect(await card.textContent()).toContain('0/1 loa đã cập nhật');
    await card.getByRole('button', { name: 'Tạm dừng' }).click();
    await page.locator(`[data-rollout="${id}"][data-status="paused"]`).waitFor();
    expect(await status()).toBe('paused');
    await screenshot(page, 'desktop-cap-nhat-phan-mem');
    await card.getByRole('button', { name: 'Tiếp tục' }).click();
    await page.locator(`[data-rollout="${id}"][data-status="running"]`).waitFor();
    expect(await status()).toBe('running');
    await card.getByRole('button', { name: 'Huỷ đợt cập nhật' }).click();
    await card.getByRole('button', { name: 'Bấm lần nữa để huỷ' }).click();
    await page.locator(`[data-rollout="${id}"][data-status="aborted"]`).waitFor();
    expect(await status()).toBe('aborted');
    await context.close();

    const viewer = await signIn(browser, t.c.httpUrl, 'nguoi-xem');
    await viewer.page.goto('/cap-nhat-phan-mem');
    await viewer.page.locator(`[data-rollout="${id}"]`).waitFor();
    expect(await viewer.page.locator('main button:visible').count()).toBe(0);
    await viewer.context.close();
  });
});
