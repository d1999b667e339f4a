/**
 * Maker–checker in the browser (issue #16, decision 0020): huiji.admin drafts and submits a policy; the approve
 * button is disabled for it with the reason (zh-CN and en); huiji.reviewer approves and publishes.
 * Screenshots in test-results/: maker-checker-refused-zh, maker-checker-refused-en, maker-checker-published.
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

/** Calls the API from the page (session cookie + CSRF header), as the web app does. */
async function apiCall(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie.match(/miaopu_csrf=([^;]+)/)?.[1] ?? '';
      const res = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    { method, path, body },
  );
}

async function confirm(page: Page, text: string) {
  const dialog = page.locator('.ant-modal:visible').filter({ hasText: text });
  await dialog.waitFor();
  await dialog.locator('.ant-modal-footer .ant-btn-primary, .ant-modal-confirm-btns .ant-btn-primary').click();
}

describe('a policy needs a second official', () => {
  it('the author submits; approve is refused for the author with the reason; huiji.reviewer approves and publishes', async () => {
    let path = '';
    const first = await newPage(browser, server.baseUrl);
    try {
      const { page, problems } = first;
      await login(page, server.baseUrl, 'huiji.admin');
      const me = await apiCall(page, 'GET', '/auth/me');
      const created = await apiCall(page, 'POST', '/policies', {
        title: `惠济区小微企业稳岗奖励（双人审核 E2E ${Date.now().toString(36)}）`,
        docNo: '惠政〔2026〕77号',
        issuerOrgId: me.json.org.id,
        level: 'district',
        channel: 'ordinary',
        summary: '双人审核浏览器测试',
      });
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      path = `/policies/${created.json.id}`;
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByTestId('action-submit').click();
      await confirm(page, '提交');
      await expect.poll(() => textOf(page.getByTestId('policy-status'))).toBe('审核中');
      // the author: approve is disabled and the reason is shown
      await expect(page.getByTestId('action-approve').isDisabled()).resolves.toBe(true);
      await expect(textOf(page.getByTestId('refused-approve'))).resolves.toContain('审批人不能是提交人或起草人');
      await screenshot(page, 'maker-checker-refused-zh');
      // and in English
      await page.evaluate(() => window.localStorage.setItem('miaopu.lang', 'en'));
      await page.reload();
      await page.getByTestId('refused-approve').waitFor();
      await expect(textOf(page.getByTestId('refused-approve'))).resolves.toContain(
        'cannot be the submitter or the author',
      );
      await screenshot(page, 'maker-checker-refused-en');
      await page.evaluate(() => window.localStorage.setItem('miaopu.lang', 'zh-CN'));
      // the API refuses it too (not just the button)
      const direct = await apiCall(page, 'POST', `${path}/transition`, { action: 'approve' });
      expect(direct.status).toBe(403);
      expect(direct.json.error.code).toBe('SAME_PERSON_APPROVAL');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await first.context.close();
    }
    // a second 惠济区 official approves and publishes
    const second = await newPage(browser, server.baseUrl);
    const { page, problems } = second;
    try {
      await login(page, server.baseUrl, 'huiji.reviewer');
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByTestId('action-approve').waitFor();
      await expect(page.getByTestId('action-approve').isDisabled()).resolves.toBe(false);
      await expect(page.getByTestId('refused-approve').count()).resolves.toBe(0);
      await page.getByTestId('action-approve').click();
      await confirm(page, '审核通过');
      await expect.poll(() => textOf(page.getByTestId('policy-status'))).not.toBe('审核中');
      await page.getByTestId('action-publish').click();
      await confirm(page, '发布');
      await expect.poll(() => textOf(page.getByTestId('policy-status'))).toBe('已发布');
      await screenshot(page, 'maker-checker-published');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await second.context.close();
    }
  });
});
