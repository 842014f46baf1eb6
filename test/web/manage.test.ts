/** The library, the admin page and the English switch at work in the browser. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { sineWav } from '../helpers/audio.js';
import { ADMIN_PASSWORD, provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { DESKTOP, PHONE, ensureWebBuilt, launchBrowser, signIn, type InBrowser, type Session } from './harness.js';

let t: TestController;
let browser: Browser;
let admin: Session;

beforeAll(async () => {
  await ensureWebBuilt();
  t = await startTestController();
  await provision(t.api, { 'thon-dong': 1 });
  await uploadTone(t.api, 1, 'Nhạc hiệu');
  browser = await launchBrowser();
  admin = await signIn(browser, t.c.httpUrl, 'admin', ADMIN_PASSWORD, DESKTOP);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('library, admin and language', () => {
  it('uploads with a progress bar, then lists, plays and deletes the recording', async () => {
    const { page } = admin;
    await page.setViewportSize(PHONE);
    await page.getByRole('button', { name: 'Danh mục' }).click();
    await page.getByRole('link', { name: 'Thư viện' }).click();
    await page.getByLabel('Tệp âm thanh').setInputFiles({ name: 'hop-dan.wav', mimeType: 'audio/wav', buffer: sineWav(8) });
    await page.getByLabel('Tên bản tin (không bắt buộc)').fill('Họp dân thôn Tây');
    await page.getByRole('button', { name: 'Tải lên' }).click();
    // After the last byte the server still converts the audio; the bar says so.
    await page.locator('progress').waitFor();
    await page.getByText('Đã thêm «Họp dân thôn Tây» (0:08).').waitFor();
    const row = page.locator('[data-media]', { hasText: 'Họp dân thôn Tây' });
    await row.getByRole('button', { name: 'Nghe' }).click();
    const src = await row.locator('audio').getAttribute('src');
    expect(src).toMatch(/^\/media\/[0-9a-f]{64}\.mp3\?/);
    const audio = await page.evaluate(async (u) => {
      const res = await fetch(u!);
      return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
    }, src);
    expect(audio).toMatchObject({ status: 200, type: 'audio/mpeg' });
    expect(audio.bytes).toBeGreaterThan(10_000);

    await page.getByLabel('Tìm theo tên').fill('thôn tây');
    await page.locator('[data-media]').nth(1).waitFor({ state: 'detached' });
    expect(await page.locator('[data-media]').count()).toBe(1);
    await row.getByRole('button', { name: 'Xoá' }).click();
    await row.getByRole('button', { name: 'Xoá thật?' }).click();
    await page.getByText('Không có bản tin nào.').waitFor();
    expect((await t.api.get('/api/v1/media?q=Họp dân')).body.items).toEqual([]);
    await page.setViewportSize(DESKTOP);
  });

  it('creates an account in Quản trị, which shows in the list and the audit log, and signs in', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Quản trị' }).click();
    await page.getByLabel('Tên đăng nhập').fill('can-bo-moi');
    await page.getByLabel('Họ tên').fill('Nguyễn Thị Lan');
    await page.getByLabel('Mật khẩu (ít nhất 8 ký tự)').fill('mat-khau-moi-123');
    await page.getByLabel('Vai trò').selectOption('officer');
    await page.getByLabel('Xã').selectOption('xa-demo');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.getByText('Đã tạo tài khoản can-bo-moi.').waitFor();
    expect(await page.locator('tr[data-user="can-bo-moi"]').textContent()).toContain('Cán bộ phát thanh');
    const users = (await t.api.get('/api/v1/users')).body.items as Array<{ username: string; role: string; commune: string | null }>;
    expect(users.find((u) => u.username === 'can-bo-moi')).toMatchObject({ role: 'officer', commune: 'xa-demo' });
    await page.getByRole('button', { name: 'Tải lại' }).click();
    await page.locator('.audit td', { hasText: 'POST /api/v1/users' }).first().waitFor();

    const officer = await signIn(browser, t.c.httpUrl, 'can-bo-moi', 'mat-khau-moi-123');
    expect(await officer.page.locator('#main-nav a').allTextContents()).toEqual(['Tổng quan', 'Phát ngay', 'Khẩn cấp', 'Lịch phát', 'Thư viện', 'Thiết bị', 'Báo cáo']);
    await officer.context.close();
  });

  it('switches to English and remembers it', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Tổng quan' }).click();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as InBrowser).document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('#main-nav a').allTextContents()).toEqual(['Overview', 'Broadcast now', 'Emergency', 'Programmes', 'Library', 'Speakers', 'Reports', 'Admin']);
    await page.getByRole('link', { name: 'Programmes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Programmes' }).waitFor();
    await page.getByRole('button', { name: 'New programme' }).click();
    expect(await page.getByRole('group', { name: 'Repeat' }).textContent()).toBe('RepeatEvery dayOn chosen weekdaysEvery monthOnce');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password (at least 8 characters)').fill('another-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('already exists.');
  });
});
