/**
 * 三权分立 and TOTP in the browser (issue #16): the system admin creates an account (no role, no password: a one-time
 * activation code is shown once); the new user activates it with their own password; the security admin grants a
 * role and scope; the user then works in that scope. TOTP enrolment on the profile page and a login with a code
 * computed here (RFC 6238 through the app's own helper). Screenshots in zh-CN and en go to test-results/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/server/modules/identity/totp.ts';
import { launchBrowser, login, newPage, screenshot, textOf } from './helpers/browser.ts';
import { startServer, type TestServer } from './helpers/server.ts';

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

const PASSWORD = 'Zijishe#Mima2026';

/** Picks an option of an antd Select by its visible text (reopens when a busy machine missed the click). */
async function pick(page: Page, inputSelector: string, optionText: string, search?: string): Promise<void> {
  const item = page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText })
    .first();
  for (let attempt = 0; ; attempt++) {
    await page.locator(inputSelector).click();
    if (search) await page.locator(inputSelector).fill(search);
    try {
      await item.waitFor({ timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await item.click();
}

/** Waits until the next 30 s TOTP step so that a new code is not a replay of the last one used. */
async function nextStep(page: Page) {
  const ms = 30_000 - (Date.now() % 30_000) + 500;
  await page.waitForTimeout(ms);
}

describe('separation of duties', () => {
  it('system admin creates, the user activates, the security admin grants, the user works in scope', async () => {
    const sys = await newPage(browser, server.baseUrl);
    const user = await newPage(browser, server.baseUrl);
    const sec = await newPage(browser, server.baseUrl);
    const username = `e2e.sep.${Date.now() % 100000}`;
    try {
      // 1. the system admin: username and name only; the activation code is shown once
      await login(sys.page, server.baseUrl, 'system.admin');
      await sys.page.waitForURL((u) => u.pathname === '/users');
      await sys.page.getByTestId('create-user').click();
      const modal = sys.page.locator('.ant-modal:visible');
      await modal.waitFor();
      await expect(textOf(modal)).resolves.toContain('不指定角色');
      await expect(modal.locator('#createUser_role').count()).resolves.toBe(0);
      await expect(modal.locator('#createUser_password').count()).resolves.toBe(0);
      await sys.page.locator('#createUser_username').fill(username);
      await sys.page.locator('#createUser_displayName').fill('分权测试用户');
      await screenshot(sys.page, 'separation-create-zh');
      await modal.locator('.ant-btn-primary').click();
      const codeEl = sys.page.getByTestId('activation-code');
      await codeEl.waitFor();
      const code = (await textOf(codeEl)).trim();
      expect(code).toMatch(/^[A-Z2-9]{5}(-[A-Z2-9]{5}){3}$/);
      await screenshot(sys.page, 'separation-activation-code-zh');
      await sys.page.getByTestId('activation-close').click();
      const row = sys.page.locator('[data-testid="users-table"] .ant-table-row', { hasText: username });
      await sys.page.locator('#userFilters_q').fill(username);
      await sys.page.getByRole('button', { name: /查\s*询/ }).click();
      await row.waitFor();
      await expect(textOf(row)).resolves.toContain('待授权');
      await expect(textOf(row)).resolves.toContain('待激活');
      // the system admin has no grant button
      await expect(row.getByRole('button', { name: /授\s*权/ }).count()).resolves.toBe(0);

      // 2. the user activates with the code and their own password
      await user.page.goto(`${server.baseUrl}/login`);
      await user.page.getByTestId('activate-link').click();
      await user.page.waitForURL((u) => u.pathname === '/activate');
      await user.page.locator('#username').fill(username);
      await user.page.locator('#activationCode').fill('WRONG-CODE0-00000-00000');
      await user.page.locator('#newPassword').fill(PASSWORD);
      await user.page.locator('#confirm').fill(PASSWORD);
      await user.page.getByTestId('activate-submit').click();
      await expect(textOf(user.page.getByTestId('activate-error'))).resolves.toContain('激活码无效');
      await user.page.locator('#activationCode').fill(code);
      await screenshot(user.page, 'separation-activate-zh');
      await user.page.getByTestId('activate-submit').click();
      await user.page.getByTestId('activate-to-login').click();
      await login(user.page, server.baseUrl, username, PASSWORD);
      // no role yet: no business menu
      await expect(user.page.locator('[data-testid="sider"] .ant-menu-item').count()).resolves.toBe(0);

      // 3. the security admin grants 区县管理员 over 惠济区
      await login(sec.page, server.baseUrl, 'security.admin');
      await sec.page.goto(`${server.baseUrl}/users`);
      await sec.page.locator('#userFilters_q').fill(username);
      await sec.page.getByRole('button', { name: /查\s*询/ }).click();
      const secRow = sec.page.locator('[data-testid="users-table"] .ant-table-row', { hasText: username });
      await secRow.waitFor();
      await expect(secRow.getByRole('button', { name: /停\s*用/ }).count()).resolves.toBe(0);
      await sec.page.getByTestId(`grant-${username}`).click();
      const grant = sec.page.locator('.ant-modal:visible');
      await grant.waitFor();
      await pick(sec.page, '#grant_role', '区县管理员');
      await sec.page.locator('#grant_scopeRegionCode').waitFor();
      // the region follows the org when none is picked (惠济区人民政府 → 410108)
      await pick(sec.page, '#grant_orgId', '惠济区人民政府', '惠济区人民');
      await screenshot(sec.page, 'separation-grant-zh');
      const saved = sec.page.waitForResponse((r) => r.url().endsWith('/grant') && r.request().method() === 'PUT');
      await sec.page.locator('#grant-save').click();
      expect((await saved).status()).toBe(200);
      await sec.page.getByText('授权已保存').waitFor();
      // the list refetches after the save: wait for the row itself (read at once, it raced the refetch under load)
      await expect.poll(() => textOf(secRow), { timeout: 30_000 }).toContain('区县管理员');
      // (granting oneself is refused by the server: test/admin-separation.test.ts › nobody changes their own role)

      // 4. the user signs in again (the grant ended the session) and sees 惠济区 only
      await user.context.clearCookies();
      await login(user.page, server.baseUrl, username, PASSWORD);
      const me = await (await user.page.request.get(`${server.baseUrl}/api/v1/auth/me`)).json();
      expect(me).toMatchObject({ role: 'district_admin', scope: { regionCode: '410108' } });
      await expect(user.page.locator('[data-testid="sider"] .ant-menu-item').count()).resolves.toBeGreaterThan(3);

      // 5. English
      await sec.page.getByTestId('lang-switch').click();
      await sec.page.getByRole('button', { name: 'Grant' }).first().waitFor();
      await screenshot(sec.page, 'separation-users-en');
      for (const p of [sys, user, sec]) expect(p.problems.errors).toEqual([]);
    } finally {
      await sys.context.close();
      await user.context.close();
      await sec.context.close();
    }
  });
});

describe('second factor', () => {
  it('enrols TOTP on the profile page, then signs in with a code computed here', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'erqi.admin');
      await page.getByTestId('user-menu').click();
      await page.getByText('双因素认证', { exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/profile/totp', { timeout: 90_000 });
      await page.getByTestId('totp-start').click();
      await page.getByTestId('totp-qr').locator('svg').waitFor();
      const secret = (await textOf(page.getByTestId('totp-secret'))).replace(/\s+/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await screenshot(page, 'totp-enrol-zh');
      await page.getByTestId('totp-code').fill('000000');
      await page.getByTestId('totp-confirm').click();
      await expect(textOf(page.getByTestId('totp-error'))).resolves.toContain('验证码错误');
      await page.getByTestId('totp-code').fill(totpCode(secret, new Date()));
      await page.getByTestId('totp-confirm').click();
      await page.getByText('已绑定身份验证器').waitFor();

      // sign out, sign in: the form asks for the code
      await context.clearCookies();
      await page.goto(`${server.baseUrl}/login`);
      await page.locator('#username').fill('erqi.admin');
      await page.locator('#password').fill('Miaopu#2026demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('login-totp').waitFor();
      await screenshot(page, 'totp-login-zh');
      await nextStep(page);
      await page.getByTestId('login-totp').fill(totpCode(secret, new Date()));
      await page.getByTestId('login-submit').click();
      await page.getByTestId('user-menu').waitFor();

      // step-up before an export: the modal asks for a fresh code, then the download goes through
      await page.goto(`${server.baseUrl}/enterprises`);
      await page.getByTestId('lang-switch').waitFor();
      const exportButton = page.getByRole('button', { name: /导\s*出/ }).first();
      await exportButton.waitFor();
      await exportButton.click();
      await page.getByTestId('stepup-code').waitFor();
      await screenshot(page, 'totp-stepup-zh');
      await nextStep(page);
      const download = page.waitForEvent('download');
      await page.getByTestId('stepup-code').fill(totpCode(secret, new Date()));
      await page.locator('.ant-modal:visible .ant-btn-primary').click();
      expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);

      await page.getByTestId('lang-switch').click();
      await page.goto(`${server.baseUrl}/profile/totp`);
      await page.getByText('Authenticator enrolled').waitFor();
      await screenshot(page, 'totp-enrolled-en');
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
