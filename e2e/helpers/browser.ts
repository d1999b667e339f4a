import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { REPO_ROOT } from './server.ts';

export const DEMO_PASSWORD = 'Miaopu#2026demo';
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PageErrors {
  /** Uncaught exceptions and console errors other than the expected HTTP failures. */
  errors: string[];
  /** Requests that left the server under test (there must be none: intranet deployment). */
  external: string[];
}

/** A fresh context and page; collects script errors and any request to another origin. */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1366, height: 800 },
): Promise<{ context: BrowserContext; page: Page; problems: PageErrors }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: PageErrors = { errors: [], external: [] };
  const origin = new URL(baseUrl).origin;
  page.on('pageerror', (e) => problems.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed HTTP answers (401 before login, 403 pages) are logged by the browser as console errors: not bugs.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.errors.push(m.text());
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.external.push(url);
  });
  return { context, page, problems };
}

/**
 * Waits until fonts are loaded and every finite CSS animation or transition (antd's drawers, modals, menus) has
 * finished: the condition itself, not a fixed sleep. Endless ones (spinners) are left alone.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await document.fonts.ready;
    for (let round = 0; round < 5; round++) {
      const running = document
        .getAnimations()
        .filter(
          (a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Number.POSITIVE_INFINITY,
        );
      if (running.length === 0) return;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    }
  });
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await settle(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** Logs in through the login form (whatever the UI language) and waits for the application shell. */
export async function login(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  if (!new URL(page.url(), baseUrl).pathname.startsWith('/login')) await page.goto(`${baseUrl}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.getByTestId('user-menu').waitFor();
}

/** The labels of the side menu (desktop sider or phone drawer), in order. */
export async function menuLabels(page: Page, scope = '[data-testid="sider"]'): Promise<string[]> {
  const items = page.locator(`${scope} .ant-menu-item`);
  await items.first().waitFor();
  return (await items.allTextContents()).map((s) => s.trim());
}

/** Logs out through the user menu. */
export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.locator('.ant-dropdown-menu-item-danger').click();
  await page.waitForURL((u) => u.pathname === '/login');
}

/** The rendered text of an element (as the user reads it; unlike textContent, hidden parts are left out). */
export function textOf(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM property.
  return locator.innerText();
}
