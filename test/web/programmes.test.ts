/** Lịch phát in the browser: an officer plans weekday mornings, is warned of an overlap before saving, and sees the calendar. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Api } from '../helpers/api.js';
import { provision, startTestController, uploadTone, type TestController } from '../helpers/controller.js';
import { PASSWORD, PHONE, createAccount, ensureWebBuilt, horizontalOverflow, launchBrowser, screenshot, signIn } from './harness.js';

let t: TestController;
let browser: Browser;
let notice: { id: string; durationMs: number };
let morningId: string;

/** 'YYYY-MM-DD' in Vietnam (UTC+7), where programmes run. */
const vnDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

function nextWeekdays(): string[] {
  const now = Date.now();
  const weekday = new Date(Date.parse(`${vnDay(now)}T00:00:00Z`)).getUTCDay() || 7;
  const monday = Date.parse(`${vnDay(now)}T00:00:00Z`) + (8 - weekday) * DAY_MS;
  return [0, 1, 2, 3, 4].map((i) => new Date(monday + i * DAY_MS).toISOString().slice(0, 10));
}

beforeAll(async () => {
  await ensureWebBuilt();
  t = await startTestController();
  await provision(t.api, { 'thon-dong': 3, 'thon-tay': 3 });
  const morning = await uploadTone(t.api, 5, 'Bản tin sáng');
  notice = await uploadTone(t.api, 3, 'Thông báo tiêm phòng');
  await createAccount(t.api, 'can-bo', 'officer');
  await createAccount(t.api, 'nguoi-xem', 'viewer');
  // Made by another officer of the commune (a district programme is not in a commune's calendar).
  const colleague = new Api(t.c.httpUrl);
  await createAccount(t.api, 'can-bo-khac', 'officer');
  await colleague.login('can-bo-khac', PASSWORD);
  // Every day at 06:30 in Thôn Đông: another 06:30 programme there overlaps it.
  const res = await colleague.post('/api/v1/schedules', {
    title: 'Bản tin sáng',
    items: [{ kind: 'media', mediaId: morning.id, durationMs: morning.durationMs }],
    targets: { zones: ['thon-dong'] },
    priority: 1,
    recurrence: { kind: 'daily', times: ['06:30'] },
  });
  expect(res.status).toBe(201);
  morningId = res.body.programme.id;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('programmes in the web console', () => {
  it('an officer creates a weekday-morning programme, is warned of the overlap before saving, and sees it in the calendar', async () => {
    const { page, context } = await signIn(browser, t.c.httpUrl, 'can-bo');
    await page.getByRole('link', { name: 'Lịch phát' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lịch phát' }).waitFor();
    await page.getByRole('button', { name: 'Tạo chương trình mới' }).click();
    await page.getByLabel('Tên chương trình (mặc định: tên bản tin)').fill('Thông báo buổi sáng');
    await page.getByLabel('Bản tin trong thư viện').selectOption(notice.id);
    await page.getByLabel('Các ngày trong tuần').check();
    await page.getByRole('button', { name: 'Chọn Thứ Hai – Thứ Sáu' }).click();
    await page.getByLabel('Giờ 1').fill('06:30');
    await page.getByLabel('Thôn thon-dong').check();

    // The dry run answers before anything is saved.
    const warning = page.locator('.conflicts');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('Trùng giờ với «Bản tin sáng» trên cùng loa');
    expect(Number(await warning.getAttribute('data-conflicts'))).toBeGreaterThanOrEqual(20);
    expect((await t.api.get('/api/v1/schedules')).body.items).toHaveLength(1);
    await screenshot(page, 'desktop-lich-phat-tao');

    await page.getByRole('button', { name: 'Lưu dù trùng giờ' }).click();
    await page.getByText('Đã lưu «Thông báo buổi sáng»: Thứ Hai – Thứ Sáu lúc 06:30.').waitFor();
    const items = (await t.api.get('/api/v1/schedules')).body.items as Array<{ id: string; title: string }>;
    const created = items.find((p) => p.title === 'Thông báo buổi sáng')!;
    expect(created).toMatchObject({
      recurrence: { kind: 'weekly', weekdays: [1, 2, 3, 4, 5], times: ['06:30'] },
      targets: { zones: ['thon-dong'] },
      priority: 1,
      items: [{ kind: 'media', mediaId: notice.id, durationMs: notice.durationMs }],
      startDate: vnDay(Date.now()),
      createdBy: 'can-bo',
    });

    await page.getByRole('button', { name: 'Tuần sau ›' }).click();
    const days = nextWeekdays();
    await page.locator(`.cal-day[data-day="${days[0]}"] .occ[data-programme="${created.id}"]`).waitFor();
    const ours = page.locator(`.occ[data-programme="${created.id}"]`);
    expect(await ours.evaluateAll((els) => els.map((el) => [el.getAttribute('data-local'), el.getAttribute('data-clash')]))).toEqual(days.map((d) => [`${d}T06:30`, 'true']));
    expect(await page.locator(`.occ[data-programme="${morningId}"]`).count()).toBe(7);
    expect(await ours.first().textContent()).toContain('Trùng giờ');
    await screenshot(page, 'desktop-lich-phat-tuan');

    await page.getByLabel('Tháng').check();
    await page.locator('.cal-month').waitFor();
    await page.locator(`.cal-month td[data-day="${days[0]}"][data-count="2"]`).waitFor();
    await screenshot(page, 'desktop-lich-phat-thang');

    await page.setViewportSize(PHONE);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-lich-phat-thang');
    await page.getByLabel('Tuần', { exact: true }).check();
    await page.locator('.cal-week').waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'phone-lich-phat-tuan');
    await context.close();
  });

  it('a viewer sees the calendar but no way to change it', async () => {
    const { page, context } = await signIn(browser, t.c.httpUrl, 'nguoi-xem');
    await page.getByRole('link', { name: 'Lịch phát' }).click();
    await page.locator(`.programme-list li[data-programme="${morningId}"]`).waitFor();
    await page.locator(`.occ[data-programme="${morningId}"]`).first().waitFor();
    expect(await page.locator('main button:visible', { hasText: /Tạo|Sửa|Xoá|Tạm dừng/ }).count()).toBe(0);
    expect(await page.locator('.occ button').count()).toBe(0);
    await context.close();
  });
});
