/** A technician finds offline speakers and tests one remotely; a viewer sees no actions and the API refuses them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Fleet } from '../../device-sim/index.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { whenOnline, whenSummary } from '../helpers/wait.js';
import { createAccount, ensureWebBuilt, launchBrowser, screenshot, signIn } from './harness.js';

let t: TestController;
let fleet: Fleet;
let browser: Browser;

function whenOffline(deviceId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = t.c.bus.on('device.offline', (e) => {
      if (e.deviceId !== deviceId) return;
      off();
      resolve();
    });
  });
}

async function drop(deviceId: string): Promise<void> {
  const offline = whenOffline(deviceId);
  fleet.get(deviceId)!.kill({ reconnect: false });
  await offline;
}

beforeAll(async () => {
  await ensureWebBuilt();
  t = await startTestController({ retryMs: 250 });
  const devices = await provision(t.api, { 'thon-bac': 4, 'thon-nam': 4 });
  await createAccount(t.api, 'ky-thuat', 'technician');
  // District-wide, like the admin who sends the broadcast below: a commune account does not see district broadcasts.
  await createAccount(t.api, 'nguoi-xem', 'viewer', null);
  fleet = new Fleet({ brokerUrl: t.c.mqttUrl, devices, speed: 10, seed: 5 });
  [browser] = await Promise.all([launchBrowser(), fleet.start()]);
  await whenOnline(t.c, devices.map((d) => d.id));
});

afterAll(async () => {
  await browser?.close();
  await fleet?.stop();
  await t?.close();
});

describe('a technician in the web console', () => {
  it('finds an offline speaker, sees another go offline live, and sends a test tone with its result', async () => {
    await drop('thon-bac-0002');
    const { page } = await signIn(browser, t.c.httpUrl, 'ky-thuat');
    await page.locator('[data-health="offline"] .count', { hasText: '1' }).waitFor();
    expect(await page.locator('[data-health="ok"] .count').textContent()).toBe('7');

    await page.getByRole('link', { name: 'Thiết bị' }).click();
    await page.getByLabel('Tình trạng').selectOption('offline');
    await page.locator('.device-list li').first().waitFor();
    expect(await page.locator('.device-list li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-device')))).toEqual(['thon-bac-0002']);
    expect(await page.locator('.device-list li').textContent()).toContain('Mất kết nối');

    await drop('thon-nam-0003');
    await page.locator('.device-list li[data-device="thon-nam-0003"]').waitFor();
    expect(await page.locator('.device-list li').count()).toBe(2);
    await screenshot(page, 'desktop-devices-offline');

    await page.getByLabel('Tình trạng').selectOption('');
    await page.getByRole('link', { name: 'thon-nam-0001' }).click();
    await page.getByRole('heading', { level: 1, name: 'thon-nam-0001' }).waitFor();
    await page.getByRole('button', { name: 'Phát âm thử' }).click();
    const result = page.locator('.command-result[data-state="done"]');
    await result.waitFor();
    expect(await result.textContent()).toContain('Đã phát xong');
    const jobId = (await result.getAttribute('data-command'))!;
    expect((await t.api.get(`/api/v1/commands/${jobId}`)).body).toMatchObject({ type: 'test', summary: { targeted: 1, done: 1 } });
    expect(fleet.get('thon-nam-0001')!.executions.get(`${jobId}~thon-nam-0001`)).toBe(1);
    await screenshot(page, 'desktop-device');
  });
});

describe('a viewer in the web console', () => {
  it('sees no action buttons anywhere, and the API answers 403 to an action anyway', async () => {
    const tone = await uploadTone(t.api, 1, 'Thông báo họp');
    const b = (await t.api.post('/api/v1/broadcasts', { title: 'Thông báo họp', mediaId: tone.id, targets: { zones: ['thon-bac'] }, priority: 1 })).body;
    await whenSummary(t.c, b.id, (s) => s.done === 3);
    const { page } = await signIn(browser, t.c.httpUrl, 'nguoi-xem');
    const navLinks = await page.locator('#main-nav a').allTextContents();
    expect(navLinks).toEqual(['Tổng quan', 'Lịch phát', 'Thư viện', 'Thiết bị', 'Báo cáo']);
    const mainButtons = () => page.locator('main button:visible').allTextContents();

    await page.getByRole('link', { name: 'Thư viện' }).click();
    await page.locator('[data-media]').first().waitFor();
    // Only what reads: listen, and where the recording is used; no upload, no delete.
    expect(await mainButtons()).toEqual(['Nghe', 'Dùng ở đâu']);
    expect(await page.getByLabel('Tệp âm thanh').count()).toBe(0);

    await page.goto('/thiet-bi/thon-nam-0000');
    await page.getByRole('heading', { level: 1, name: 'thon-nam-0000' }).waitFor();
    expect(await mainButtons()).toEqual([]);

    await page.goto(`/ban-tin/${b.id}`);
    // thon-bac-0002 was dropped above: three of four speakers have played, the fourth has no answer yet.
    await page.locator('[data-count="done"] dd', { hasText: '3' }).waitFor();
    expect(await page.locator('[data-status="active"]').count()).toBe(1);
    expect(await mainButtons()).toEqual([]);

    await page.goto('/phat-ngay');
    await page.getByRole('heading', { level: 1, name: 'Không có quyền' }).waitFor();

    const refused = await page.evaluate(async () => {
      const post = (path: string, body: unknown) => fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const command = await post('/api/v1/devices/thon-nam-0000/commands', { type: 'test' });
      const broadcast = await post('/api/v1/broadcasts', { title: 'x', mediaId: 'none', targets: { all: true }, priority: 1 });
      return { command: command.status, broadcast: broadcast.status, code: ((await command.json()) as { error: { code: string } }).error.code };
    });
    expect(refused).toEqual({ command: 403, broadcast: 403, code: 'LOA_FORBIDDEN' });
    expect(t.c.store.commandJobs.all().filter((j) => j.createdBy === 'nguoi-xem')).toEqual([]);
    expect(t.c.store.broadcasts.all().filter((j) => j.createdBy === 'nguoi-xem')).toEqual([]);
  });
});
