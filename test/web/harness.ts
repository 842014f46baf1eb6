/** Browser tests of the web console: a fresh build when needed, Debian's Chromium through playwright-core. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Api } from '../helpers/api.js';

const run = promisify(execFile);
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const WEB = path.join(REPO, 'web');
const DIST_INDEX = path.join(WEB, 'dist', 'index.html');
export const SCREENSHOTS = path.join(REPO, 'test-output', 'screenshots');
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
export const PASSWORD = 'mat-khau-thu-nghiem';

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name.startsWith('.dist-building-') || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSource(p) : (await fs.stat(p)).mtimeMs);
  }
  return newest;
}

async function isStale(): Promise<boolean> {
  const built = await fs.stat(DIST_INDEX).then((s) => s.mtimeMs, () => 0);
  return built === 0 || (await newestSource(WEB)) > built;
}

/** Test files run in parallel workers: one builds while the others wait on a lock directory. */
async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = path.join(os.tmpdir(), `loa-web-build-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      await fs.mkdir(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (await fs.stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > 120_000) await fs.rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another web build');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { recursive: true, force: true });
  }
}

/**
 * Builds web/dist when it is missing or older than its sources (a clean clone has none). The build goes to a
 * side directory and is then swapped in, so a controller starting in another test never lists half a build.
 */
export async function ensureWebBuilt(): Promise<void> {
  if (!(await isStale())) return;
  await withBuildLock(async () => {
    if (!(await isStale())) return;
    const side = `.dist-building-${process.pid}`;
    try {
      // vitest sets NODE_ENV=test, which would make Vite bundle Preact's debug tools: build as for production.
      await run('npm', ['run', 'build:web', '--', '--outDir', side], { cwd: REPO, env: { ...process.env, NODE_ENV: 'production' }, maxBuffer: 8 * 1024 * 1024 });
      await fs.rm(path.join(WEB, 'dist'), { recursive: true, force: true });
      await fs.rename(path.join(WEB, side), path.join(WEB, 'dist'));
    } finally {
      await fs.rm(path.join(WEB, side), { recursive: true, force: true });
    }
  });
}

export function launchBrowser(): Promise<Browser> {
  // launch() starts Chromium on a fresh temporary profile each time. A fake microphone (a beep), granted without a prompt,
  // lets the console record and go live; pages that never ask for it are unaffected.
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  });
}

export interface Session {
  context: BrowserContext;
  page: Page;
}

/** A new browser context (its own cookies) signed in through the login form. */
export async function signIn(browser: Browser, baseUrl: string, username: string, password = PASSWORD, viewport = DESKTOP): Promise<Session> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const res = await page.goto('/');
  if (res?.status() !== 200) throw new Error(`GET / answered ${res?.status()}: the console's files must be served without a session`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('heading', { level: 1, name: 'Tổng quan' }).waitFor();
  await page.locator('[data-live="live"]').waitFor();
  return { context, page };
}

export async function createAccount(api: Api, username: string, role: 'officer' | 'technician' | 'viewer', commune: string | null = 'xa-demo'): Promise<void> {
  const res = await api.post('/api/v1/users', { username, password: PASSWORD, role, commune });
  if (res.status !== 201) throw new Error(`user ${username}: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The few browser globals tests read inside page.evaluate: the test project has no DOM types. */
export interface InBrowser {
  document: { documentElement: { scrollWidth: number; clientWidth: number; lang: string } };
  history: { pushState(state: unknown, unused: string, url: string): void };
  dispatchEvent(event: unknown): boolean;
  PopStateEvent: new (type: string) => unknown;
  performance: {
    getEntriesByType(type: 'navigation'): Array<{ responseEnd: number; domContentLoadedEventEnd: number; loadEventEnd: number }>;
    getEntriesByType(type: 'resource'): Array<{ name: string; encodedBodySize: number }>;
    getEntriesByName(name: string): Array<{ startTime: number }>;
  };
}

/** How far the page is wider than its window: 0 means no horizontal scroll. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as InBrowser).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}
