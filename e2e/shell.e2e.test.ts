/**
 * The application shell: login page (both languages, demo badge, server error messages, `next`), language switch
 * and its persistence, notification bell, expired sessions, 404, and the phone-width layout.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  launchBrowser,
  login,
  menuLabels,
  newPage,
  screenshot,
  settle,
  textOf,
} from './helpers/browser.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const CITY_MENU = [
  '驾驶舱',
  '工作台',
  '小微企业园',
  '挂图作战',
  '周报月报',
  '园区投资',
  '三个一批',
  '项目清单',
  '企业名录',
  '数据核实',
  '数据质量',
  '政策库',
  '政策沙盘',
  '兑现管理',
  '申报审核',
  '助企成效',
  '诉求办理',
  '共性问题',
  '走访记录',
  '工作组与包联',
  '设置',
  '梯度培育',
  '目标任务',
  '计算工具',
  '报表中心',
  '行政区划',
  '组织机构',
  '任务中心',
  '消息通知',
  '通知渠道',
];

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The server's own message for a failed login, in the given language. */
async function serverLoginFailure(lang: 'zh-CN' | 'en'): Promise<string> {
  const csrf = await fetch(`${server.baseUrl}/api/v1/auth/csrf`);
  const token = ((await csrf.json()) as { token: string }).token;
  const cookie = (csrf.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': lang, 'x-csrf-token': token, cookie },
    body: JSON.stringify({ username: 'no.such.user', password: 'wrong-password' }),
  });
  expect(res.status).toBe(401);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('AUTH_FAILED');
  return body.error.message;
}

async function csrfHeader(page: Page): Promise<Record<string, string>> {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'miaopu_csrf');
  return csrf ? { 'x-csrf-token': csrf.value } : {};
}

describe('login page', () => {
  it('shows the product, the demo badge and the server message on failure, in Chinese by default', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await page.goto(`${server.baseUrl}/login`);
      await expect(textOf(page.getByTestId('product-name'))).resolves.toBe('苗圃');
      await page.getByText('小微企业园服务平台').first().waitFor();
      await page.getByTestId('demo-badge').waitFor();
      await expect(textOf(page.getByTestId('demo-badge'))).resolves.toContain('演示环境');
      await expect(page.title()).resolves.toBe('苗圃 · 小微企业园服务平台');
      await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('zh-CN');

      // Client-side validation before anything is sent.
      await page.getByTestId('login-submit').click();
      await page.getByText('请输入用户名').waitFor();

      const expected = await serverLoginFailure('zh-CN');
      await page.locator('#username').fill('no.such.user');
      await page.locator('#password').fill('wrong-password');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-error').waitFor();
      await expect(textOf(page.getByTestId('login-error'))).resolves.toContain(expected);
      await expect(page.url()).toContain('/login');
      await screenshot(page, 'login-zh-CN');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('switches to English, remembers it in localStorage miaopu.lang, and sends Accept-Language: en', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('lang-switch').click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await expect(textOf(page.getByTestId('product-name'))).resolves.toBe('Miaopu');
      await page.getByText('Username', { exact: true }).waitFor();
      await expect(textOf(page.getByTestId('demo-badge'))).resolves.toContain('Demo');
      await expect(page.evaluate(() => localStorage.getItem('miaopu.lang'))).resolves.toBe('en');
      await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en');

      // After a reload the choice holds.
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();

      // The server answers in English because the client asks for it.
      const expected = await serverLoginFailure('en');
      const request = page.waitForRequest((r) => r.url().endsWith('/api/v1/auth/login'));
      await page.locator('#username').fill('no.such.user');
      await page.locator('#password').fill('wrong-password');
      await page.getByTestId('login-submit').click();
      expect((await request).headers()['accept-language']).toBe('en');
      await page.getByTestId('login-error').waitFor();
      await expect(textOf(page.getByTestId('login-error'))).resolves.toContain(expected);
      await screenshot(page, 'login-en');

      // Signed in, the shell is in English too.
      await login(page, server.baseUrl, 'city.admin');
      expect(await menuLabels(page)).toEqual([
        'Cockpit',
        'Workbench',
        'Parks',
        'Map board',
        'Progress reports',
        'Park investment',
        'Major projects',
        'Project list',
        'Enterprises',
        'Data verification',
        'Data quality',
        'Policy library',
        'Policy sandbox',
        'Payouts',
        'Applications review',
        'Results',
        'Problem handling',
        'Common issues',
        'Visits',
        'Groups & pairings',
        'Settings',
        'SME ladder',
        'Targets',
        'Calculators',
        'Reports',
        'Regions',
        'Organizations',
        'Jobs',
        'Notifications',
        'Notification channels',
      ]);
      // the city admin lands on the cockpit (issue #21); the workbench is one menu item away
      await page.getByTestId('tile-parks.monitored').waitFor();
      await expect(textOf(page.getByTestId('group-parks'))).resolves.toContain('Parks monitored');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: 'Workbench' }).click();
      await page.getByText('Hello, ').first().waitFor();
      await page.getByText('City administrator').first().waitFor();
      await screenshot(page, 'shell-en');

      // Back to Chinese from the header; API calls follow.
      await page.getByTestId('lang-switch').click();
      await page.getByText('工作台').first().waitFor();
      expect(await menuLabels(page)).toEqual(CITY_MENU);
      await expect(page.evaluate(() => localStorage.getItem('miaopu.lang'))).resolves.toBe('zh-CN');
      const next = page.waitForRequest((r) => r.url().includes('/api/v1/orgs'));
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '组织机构' }).click();
      expect((await next).headers()['accept-language']).toBe('zh-CN');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('after login goes to an allow-listed `next` path only', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      // A protected page while signed out: to the login page, then back to that page.
      await page.goto(`${server.baseUrl}/orgs`);
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/orgs');
      await login(page, server.baseUrl, 'city.admin');
      await page.waitForURL((u) => u.pathname === '/orgs');
      await context.clearCookies();

      for (const evil of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
        await page.goto(`${server.baseUrl}/login?next=${encodeURIComponent(evil)}`);
        await login(page, server.baseUrl, 'city.admin');
        expect(new URL(page.url()).origin).toBe(server.baseUrl);
        expect(new URL(page.url()).pathname).toBe('/cockpit');
        await context.clearCookies();
      }
    } finally {
      await context.close();
    }
  });
});

describe('shell', () => {
  it('shows the workbench, the notification bell, and marks notifications read', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      // a district official lands on the cockpit (issue #21); the workbench is the next menu item
      await page.getByTestId('tile-parks.monitored').waitFor();
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '工作台' }).click();
      await page.getByTestId('welcome-card').waitFor();
      await expect(textOf(page.getByTestId('welcome-card'))).resolves.toContain('惠济区管理员'.slice(0, 3));
      await page.getByTestId('demo-badge').waitFor();

      // Server truth: the unread count the bell must show.
      const { count } = (await (
        await page.request.get(`${server.baseUrl}/api/v1/notifications/unread-count`)
      ).json()) as {
        count: number;
      };
      expect(count).toBeGreaterThan(0);
      await page.locator('[data-testid="unread-count"] .ant-badge-count').waitFor();
      await expect(textOf(page.locator('[data-testid="unread-count"] .ant-badge-count'))).resolves.toBe(String(count));
      await expect(textOf(page.getByTestId('tile-unread'))).resolves.toContain(String(count));
      await screenshot(page, 'shell-zh-CN');

      // The minute-by-minute unread poll is marked as a background request (it must not keep the session alive).
      const poll = page.waitForRequest((r) => r.url().endsWith('/api/v1/notifications/unread-count'));
      await page.reload();
      expect((await poll).headers()['x-miaopu-poll']).toBe('1');
      await page.getByTestId('welcome-card').waitFor();

      await page.getByTestId('notification-bell').click();
      const popover = page.getByTestId('notification-popover');
      await popover.waitFor();
      await popover.locator('.ant-list-item').first().waitFor();
      await screenshot(page, 'notifications-popover');
      await popover.getByRole('button', { name: '全部标为已读' }).click();
      await page.locator('[data-testid="unread-count"] .ant-badge-count').waitFor({ state: 'detached' });
      const after = (await (await page.request.get(`${server.baseUrl}/api/v1/notifications/unread-count`)).json()) as {
        count: number;
      };
      expect(after.count).toBe(0);

      await popover.getByRole('link', { name: '查看全部消息' }).click();
      await page.waitForURL((u) => u.pathname === '/notifications');
      await page.getByTestId('notification-item').first().waitFor();
      await expect(textOf(page.locator('[data-testid="sider"] .ant-menu-item-selected'))).resolves.toBe('消息通知');
      // All read now: no "mark read" buttons left.
      await expect(page.getByRole('button', { name: '标为已读', exact: true }).count()).resolves.toBe(0);
      await screenshot(page, 'notifications');

      await page.goto(`${server.baseUrl}/no/such/page`);
      await page.getByText('抱歉，您访问的页面不存在。').waitFor();
      await screenshot(page, 'not-found');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an expired session (logout behind the page’s back) leads to the login page with a notice', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.getByTestId('tile-parks.monitored').waitFor();

      // The session ends on the server while the page stays open.
      const res = await page.request.post(`${server.baseUrl}/api/v1/auth/logout`, { headers: await csrfHeader(page) });
      expect(res.status()).toBe(200);

      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '组织机构' }).click();
      await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('expired') === '1');
      await page.getByTestId('expired-notice').waitFor();
      await expect(textOf(page.getByTestId('expired-notice'))).resolves.toContain('会话已过期，请重新登录');
      await screenshot(page, 'login-expired');

      // Signing in again returns to the page the user was opening.
      await login(page, server.baseUrl, 'city.admin');
      await page.waitForURL((u) => u.pathname === '/orgs');
    } finally {
      await context.close();
    }
  });

  it('a lost session cookie also leads to the login page with the expired notice', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'auditor');
      await page.waitForURL((u) => u.pathname === '/audit');
      await context.clearCookies();
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '任务中心' }).click();
      await page.getByTestId('expired-notice').waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      // Nothing of the previous user is left on screen or in the query cache: the shell is gone.
      await expect(page.getByTestId('user-menu').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('phone width (375 × 812)', () => {
  it('collapses the side menu into a drawer opened by the hamburger button, without horizontal scrolling', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 375, height: 812 });
    try {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId('login-submit').waitFor();
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      await screenshot(page, 'phone-login');

      await login(page, server.baseUrl, 'city.admin', DEMO_PASSWORD);
      // the cockpit (the city admin's landing page) fits the phone too
      await page.getByTestId('tile-parks.monitored').waitFor();
      await expect(page.getByTestId('menu-toggle').isVisible()).resolves.toBe(true);
      await expect(page.locator('[data-testid="sider"]').count()).resolves.toBe(0);
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      // Header controls fit in the viewport.
      for (const id of ['menu-toggle', 'notification-bell', 'lang-switch', 'user-menu']) {
        const box = await page.getByTestId(id).boundingBox();
        expect(box, id).not.toBeNull();
        expect((box?.x ?? 0) + (box?.width ?? 0), id).toBeLessThanOrEqual(375);
      }
      await screenshot(page, 'phone');

      await page.getByTestId('menu-toggle').click();
      const drawer = page.locator('.miaopu-menu-drawer .ant-menu');
      await drawer.waitFor();
      expect(await menuLabels(page, '.miaopu-menu-drawer')).toEqual([...CITY_MENU]);
      await settle(page); // the drawer's animation has finished
      await screenshot(page, 'phone-drawer');

      await drawer.locator('.ant-menu-item', { hasText: '组织机构' }).click();
      await page.waitForURL((u) => u.pathname === '/orgs');
      await drawer.waitFor({ state: 'hidden' });
      await page.locator('[data-testid="orgs-table"] .ant-table-row').first().waitFor();
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
      await screenshot(page, 'phone-orgs');
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
