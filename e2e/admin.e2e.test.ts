/**
 * The pages behind the menu: regions and orgs (business roles), audit log and its chain verification job, jobs,
 * user management, security settings and system info (the three administrative roles).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function apiJson<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`${server.baseUrl}/api/v1${path}`);
  expect(res.status(), path).toBe(200);
  return (await res.json()) as T;
}

/** Picks an option of an antd Select (or TreeSelect) by its visible text. */
/** Picks an option of an antd Select; reopens the dropdown when it did not open (busy CI), as in the policies test. */
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
  await item.waitFor({ state: 'hidden' });
}

const rows = (page: Page, table: string) => page.locator(`[data-testid="${table}"] .ant-table-row`);

describe('business pages', () => {
  it('regions: the scope tree with codes, levels and kinds; search', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      const { items } = await apiJson<{ items: { code: string; inScope?: boolean }[] }>(page, '/regions');
      await page.goto(`${server.baseUrl}/regions`);
      await rows(page, 'regions-table').first().waitFor();
      const inScope = items.filter((r) => r.inScope !== false).length;
      await expect(textOf(page.getByTestId('regions-total'))).resolves.toContain(String(inScope));
      const zhengzhou = page.locator('[data-testid="regions-table"] tr[data-row-key="410100"]');
      await expect(textOf(zhengzhou)).resolves.toMatch(/郑州市\s+410100\s+市级\s+行政区划/);
      // Districts and development zones are listed below the city.
      await page.locator('[data-testid="regions-table"] tr[data-row-key="410108"]').waitFor();
      await expect(textOf(page.locator('[data-testid="regions-table"]'))).resolves.toContain('开发区');
      await screenshot(page, 'regions');

      await page.getByPlaceholder('按名称或代码查找').fill('惠济');
      await page.getByPlaceholder('按名称或代码查找').press('Enter');
      await page.locator('[data-testid="regions-table"] tr[data-row-key="410108"]').waitFor();
      await expect(page.locator('[data-testid="regions-table"] tr[data-row-key="410102"]').count()).resolves.toBe(0);
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('orgs: server-side paging, total, kind filter and sorting', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      const all = await apiJson<{ total: number }>(page, '/orgs?page=1&pageSize=1');
      expect(all.total).toBeGreaterThan(20);
      await page.goto(`${server.baseUrl}/orgs`);
      await rows(page, 'orgs-table').first().waitFor();
      await page.getByText(`共 ${all.total} 条`).waitFor();
      await expect.poll(() => rows(page, 'orgs-table').count()).toBe(20);

      // Page 2 comes from the server.
      const page2 = page.waitForRequest((r) => r.url().includes('/api/v1/orgs') && r.url().includes('page=2'));
      await page.locator('.ant-pagination-item-2').click();
      await page2;
      await expect.poll(() => rows(page, 'orgs-table').count()).toBe(Math.min(20, all.total - 20));

      // Kind filter.
      const districts = await apiJson<{ total: number }>(page, '/orgs?kind=district_government&pageSize=1');
      await pick(page, '#orgFilters_kind', '区县政府');
      const filtered = page.waitForResponse((r) => r.url().includes('kind=district_government'));
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await filtered;
      await page.getByText(`共 ${districts.total} 条`).waitFor();
      const kinds = await page.locator('[data-testid="orgs-table"] .ant-table-row td:nth-child(2)').allInnerTexts();
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toEqual(new Set(['区县政府']));

      // Sorting by name toggles to descending on the server.
      const sorted = page.waitForRequest((r) => r.url().includes('sort=name') && r.url().includes('order=desc'));
      await page.locator('[data-testid="orgs-table"] th', { hasText: '机构名称' }).click();
      await sorted;
      await screenshot(page, 'orgs');

      // Nothing found: the localized empty state.
      await page.locator('#orgFilters_q').fill('不存在的机构名称');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.locator('[data-testid="orgs-table"] .ant-empty-description', { hasText: '暂无数据' }).waitFor();
      await expect(rows(page, 'orgs-table').count()).resolves.toBe(0);

      // A district administrator sees only their district's orgs.
      await context.clearCookies();
      await page.goto(`${server.baseUrl}/login`);
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/orgs`);
      await rows(page, 'orgs-table').first().waitFor();
      const regions = await page.locator('[data-testid="orgs-table"] .ant-table-row td:nth-child(3)').allInnerTexts();
      expect(regions.length).toBeGreaterThan(0);
      for (const r of regions) expect(r).toMatch(/惠济区|新城街道|410108/);
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('auditor', () => {
  it('reads the audit log with filters and verifies the hash chain as a job with progress', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'auditor');
      await page.waitForURL((u) => u.pathname === '/audit');
      await rows(page, 'audit-table').first().waitFor();
      // Read-only: no edit or delete controls in the table.
      await expect(page.locator('[data-testid="audit-table"] button').count()).resolves.toBe(0);

      await page.locator('#auditFilters_action').fill('auth.login');
      const filtered = page.waitForResponse(
        (r) => r.url().includes('/api/v1/audit') && r.url().includes('action=auth.login'),
      );
      await page.getByRole('button', { name: /查\s*询/ }).click();
      expect((await filtered).status()).toBe(200);
      const actionCells = page.locator('[data-testid="audit-table"] .ant-table-row td:nth-child(3)');
      await expect
        .poll(async () => {
          const actions = await actionCells.allInnerTexts();
          return actions.length > 0 && actions.every((a) => a.includes('auth.login'));
        })
        .toBe(true);

      // Date range: today, in Asia/Shanghai.
      await page.locator('#auditFilters_range').click();
      await page.locator('.ant-picker-cell-today').first().click();
      await page.locator('.ant-picker-cell-today').first().click();
      const ranged = page.waitForResponse((r) => r.url().includes('/api/v1/audit') && r.url().includes('from='), {
        timeout: 90_000,
      });
      await page.getByRole('button', { name: /查\s*询/ }).click();
      expect((await ranged).status()).toBe(200);
      await rows(page, 'audit-table').first().waitFor();

      await page.getByTestId('audit-verify').click();
      const progress = page.getByTestId('audit-verify-progress');
      await progress.waitFor();
      await progress.locator('.ant-progress').waitFor();
      const outcome = page.getByTestId('audit-verify-outcome');
      await outcome.waitFor({ timeout: 60_000 });
      await expect(textOf(outcome)).resolves.toMatch(/审计链完整：已校验 \d+ 条记录/);
      await expect(textOf(page.getByTestId('audit-verify-status'))).resolves.toBe('已完成');
      await screenshot(page, 'audit');

      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '任务中心' }).click();
      await rows(page, 'jobs-table').first().waitFor();
      const first = rows(page, 'jobs-table').first();
      await expect(textOf(first)).resolves.toContain('审计链校验');
      await expect(textOf(first)).resolves.toContain('已完成');
      await expect(textOf(first)).resolves.toContain('auditor');
      await screenshot(page, 'jobs');
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('system administrator', () => {
  const username = `e2e.user.${Date.now().toString(36)}`;
  const changed = 'Changed#Passw0rd2026';

  it('creates a user (with validation) who activates it with the one-time code, then disables them', async () => {
    const admin = await newPage(browser, server.baseUrl);
    const user = await newPage(browser, server.baseUrl);
    try {
      const { page } = admin;
      await login(page, server.baseUrl, 'system.admin');
      await page.waitForURL((u) => u.pathname === '/users');
      await rows(page, 'users-table').first().waitFor();
      await expect(textOf(page.locator('[data-testid="users-table"]'))).resolves.toContain('city.admin');
      await screenshot(page, 'users');

      await page.getByTestId('create-user').click();
      const modal = page.locator('.ant-modal:visible');
      await modal.waitFor();
      // Required fields are checked before anything is sent.
      await modal.locator('.ant-btn-primary').click();
      await modal.getByText('请输入用户名').waitFor();
      // 三权分立 (issue #16): no role and no password here; the security admin grants the role.
      await expect(modal.locator('#createUser_role').count()).resolves.toBe(0);
      await expect(modal.locator('#createUser_password').count()).resolves.toBe(0);
      await page.locator('#createUser_username').fill(username);
      await page.locator('#createUser_displayName').fill('端到端测试用户');
      await screenshot(page, 'users-create');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
      await modal.locator('.ant-btn-primary').click();
      const createdRes = await created;
      expect(createdRes.status()).toBe(201);
      expect(createdRes.request().headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
      const code = (await textOf(page.getByTestId('activation-code'))).trim();
      await page.getByTestId('activation-close').click();
      await page.getByText('用户已创建').waitFor();

      await page.locator('#userFilters_q').fill(username);
      await page.getByRole('button', { name: /查\s*询/ }).click();
      const row = page.locator('[data-testid="users-table"] .ant-table-row', { hasText: username });
      await row.waitFor();
      await expect(textOf(row)).resolves.toContain('待授权');
      await expect(textOf(row)).resolves.toContain('正常');

      // The new user sets their own password with the activation code; no role yet, so the password page.
      await user.page.goto(`${server.baseUrl}/activate`);
      await user.page.locator('#username').fill(username);
      await user.page.locator('#activationCode').fill(code);
      await user.page.locator('#newPassword').fill(changed);
      await user.page.locator('#confirm').fill(changed);
      await user.page.getByTestId('activate-submit').click();
      await user.page.getByTestId('activate-to-login').click();
      await login(user.page, server.baseUrl, username, changed);
      await user.page.waitForURL((u) => u.pathname === '/profile/password');

      // Disable, with a confirmation dialog.
      await row.getByRole('button', { name: /停\s*用/ }).click();
      const confirm = page.locator('.ant-modal-confirm:visible');
      await confirm.waitFor();
      await expect(textOf(confirm)).resolves.toContain(username);
      await confirm.locator('.ant-btn-dangerous').click();
      await page.getByText('用户已停用').waitFor();
      await row.getByText('已停用').waitFor();

      // A disabled user cannot sign in; the server's message is shown.
      await user.context.clearCookies();
      await user.page.goto(`${server.baseUrl}/login`);
      await user.page.locator('#username').fill(username);
      await user.page.locator('#password').fill(changed);
      await user.page.getByTestId('login-submit').click();
      await user.page.getByTestId('login-error').waitFor();
      expect(new URL(user.page.url()).pathname).toBe('/login');

      // And enable again.
      await row.getByRole('button', { name: /启\s*用/ }).click();
      await page.locator('.ant-modal-confirm:visible .ant-btn-primary').click();
      await page.getByText('用户已启用').waitFor();
      await row.getByText('正常').waitFor();
      expect(admin.problems.errors).toEqual([]);
      expect(user.problems.errors).toEqual([]);
    } finally {
      await admin.context.close();
      await user.context.close();
    }
  });

  it('sees system info', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'system.admin');
      const info = await apiJson<{ version: string; database: string; node: string }>(page, '/system/info');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '系统信息' }).click();
      const box = page.getByTestId('system-info');
      await box.waitFor();
      const text = await textOf(box);
      expect(text).toContain(info.version);
      expect(text).toContain(info.node);
      expect(text).toContain(info.database === 'pglite' ? 'PGlite（内嵌）' : 'PostgreSQL');
      expect(info.database).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
      await screenshot(page, 'system');
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('security administrator', () => {
  it('edits the security settings (validated) and the change persists', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'security.admin');
      await page.waitForURL((u) => u.pathname === '/security');
      const before = await apiJson<Record<string, number>>(page, '/settings/security');
      const input = page.locator('#security_lockoutMinutes');
      await input.waitFor();
      await expect(input.inputValue()).resolves.toBe(String(before.lockoutMinutes));
      await expect(page.locator('#security_passwordMinLength').inputValue()).resolves.toBe(
        String(before.passwordMinLength),
      );
      await screenshot(page, 'security');

      const next = before.lockoutMinutes === 45 ? 46 : 45;
      await input.fill(String(next));
      const saved = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/settings/security') && r.request().method() === 'PUT',
      );
      await page.getByTestId('security-save').click();
      expect((await saved).status()).toBe(200);
      await page.getByText('已保存').waitFor();
      const after = await apiJson<Record<string, number>>(page, '/settings/security');
      expect(after).toEqual({ ...before, lockoutMinutes: next });

      await page.reload();
      await page.locator('#security_lockoutMinutes').waitFor();
      await expect(page.locator('#security_lockoutMinutes').inputValue()).resolves.toBe(String(next));
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
