/**
 * Notification channels (issue #21): a district admin opens 通知设置 from the user menu, sets an e-mail address
 * (shown masked afterwards), the e-mail mode of a category and a weekly digest, which survive a reload; the page in
 * English and at phone width (390 px); 通知渠道: a robot whose host is off the allow-list is refused with the
 * server's message, an allowed one is listed masked; the system admin sees the mail server settings and the
 * delivery log but no robots. Screenshots go to test-results/.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, menuLabels, newPage, type PageErrors, screenshot, textOf } from './helpers/browser.ts';
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

function clean(problems: PageErrors) {
  expect(problems.errors).toEqual([]);
  expect(problems.external).toEqual([]);
}

describe('notification settings', () => {
  it('a user sets e-mail, channels per category and a weekly digest; zh-CN, English, 390 px', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.getByTestId('user-menu').click();
      await page.locator('.ant-dropdown-menu-item', { hasText: '通知设置' }).click();
      // the first navigation after the server started may wait behind its start-up daily jobs
      await page.waitForURL((u) => u.pathname === '/profile/notifications', { timeout: 90_000 });
      await page.getByTestId('notification-preferences').waitFor();
      await expect(textOf(page.locator('main'))).resolves.toContain('尚未设置邮箱');

      // a wrong address is caught in the form
      await page.getByTestId('email-input').fill('not-an-address');
      await page.getByTestId('preferences-save').click();
      await page.getByText('请输入有效的邮箱地址').waitFor();

      await page.getByTestId('email-input').fill('huiji.admin@huiji.example.gov.cn');
      await page.getByTestId('mode-workflow').getByText('立即发送').click();
      await page.getByTestId('mode-system').getByText('并入摘要').click();
      await page.getByTestId('digest').getByText('每周').click();
      const saved = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/notifications/preferences') && r.request().method() === 'PUT',
      );
      await page.getByTestId('preferences-save').click();
      expect((await saved).status()).toBe(200);
      await page.getByText('通知设置已保存').waitFor();
      await expect(textOf(page.getByTestId('email-masked'))).resolves.toBe('当前邮箱：h***@huiji.example.gov.cn');

      // it survives a reload, and the full address is nowhere on the page
      await page.reload();
      await page.getByTestId('email-masked').waitFor();
      expect(await page.content()).not.toContain('huiji.admin@');
      const prefs = await (await page.request.get(`${server.baseUrl}/api/v1/notifications/preferences`)).json();
      expect(prefs).toMatchObject({
        digest: 'weekly',
        hasEmail: true,
        categories: { supervision: 'immediate', deadline: 'immediate', workflow: 'immediate', system: 'digest' },
      });
      await expect(
        textOf(page.getByTestId('mode-workflow').locator('.ant-radio-button-wrapper-checked')),
      ).resolves.toBe('立即发送');
      await screenshot(page, 'notification-settings-zh', true);

      // English
      await page.getByTestId('lang-switch').click();
      await page.getByText('Notification settings').first().waitFor();
      await expect(textOf(page.getByTestId('category-modes'))).resolves.toContain('Deadlines and overdue');
      await expect(textOf(page.getByTestId('email-masked'))).resolves.toBe(
        'Current address: h***@huiji.example.gov.cn',
      );
      await screenshot(page, 'notification-settings-en', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('the settings page fits a 390 px phone', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'erqi.admin');
      await page.goto(`${server.baseUrl}/profile/notifications`);
      await page.getByTestId('notification-preferences').waitFor();
      await page.getByTestId('mode-supervision').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'notification-settings-390', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('notification channels (admins)', () => {
  it('a district admin adds a group robot: a host off the allow-list is refused, an allowed one is listed masked', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      expect(await menuLabels(page)).toContain('通知渠道');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '通知渠道' }).click();
      await page.waitForURL((u) => u.pathname === '/notification-channels');
      await page.getByTestId('robot-add').click();
      await page.getByTestId('robot-org').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '惠济区人民政府' }).click();
      await page.getByTestId('robot-name').fill('惠济区督办群');
      await page.getByTestId('robot-url').fill('https://hooks.evil.example/robot/send?access_token=abc');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.getByTestId('robot-error').waitFor();
      await expect(textOf(page.getByTestId('robot-error'))).resolves.toContain('不在通知白名单内');
      await screenshot(page, 'notification-robot-refused-zh');

      await page.getByTestId('robot-url').fill('https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef');
      await page.getByTestId('robot-secret').fill('SEC0123456789abcdef');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.locator('[data-testid="robots-table"] tbody tr', { hasText: '惠济区督办群' }).waitFor();
      const row = await textOf(page.locator('[data-testid="robots-table"] tbody tr', { hasText: '惠济区督办群' }));
      expect(row).toContain('access_token=0123****');
      expect(row).toContain('加签');
      expect(await page.content()).not.toContain('0123456789abcdef');
      await screenshot(page, 'notification-robots-zh', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('the system admin sees the mail server and allow-list settings and the log, at 390 px too', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'system.admin');
      await page.goto(`${server.baseUrl}/notification-channels`);
      const tabs = page.getByTestId('channels-tabs').locator('.ant-tabs-tab');
      await tabs.first().waitFor();
      expect((await tabs.allInnerTexts()).map((s) => s.trim())).toEqual(['邮件服务器与白名单', '投递记录']);
      await expect(page.getByTestId('allow-list').inputValue()).resolves.toBe(
        'https://oapi.dingtalk.com\nhttps://qyapi.weixin.qq.com',
      );
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'notification-channel-settings-390', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('the running server delivers a robot test message to an allow-listed receiver, signed, and logs it as delivered', async () => {
    const hits: { query: URLSearchParams; body: Record<string, unknown> }[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({
          query: new URL(req.url ?? '/', 'http://x').searchParams,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const admin = await newPage(browser, server.baseUrl);
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      // the system admin allows the loopback receiver
      await login(admin.page, server.baseUrl, 'system.admin');
      await admin.page.goto(`${server.baseUrl}/notification-channels`);
      const allow = admin.page.getByTestId('allow-list');
      await allow.waitFor();
      await allow.fill(`https://oapi.dingtalk.com\nhttps://qyapi.weixin.qq.com\n${origin}`);
      await admin.page.getByTestId('channel-settings-save').click();
      await admin.page.getByText('通知渠道设置已保存').waitFor();
      clean(admin.problems);

      // huiji.admin points the robot at it (the secret is kept) and sends a test
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/notification-channels`);
      const row = page.locator('[data-testid="robots-table"] tbody tr', { hasText: '惠济区督办群' });
      await row.locator('button').first().click();
      await page.getByTestId('robot-url').fill(`${origin}/robot/send?access_token=loopback-token`);
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await row.getByText('发送测试').click();
      await page.getByText('测试消息已排队').waitFor();

      // the server's delivery worker sends it within seconds; the log shows it delivered
      await page.getByRole('tab', { name: '投递记录' }).click();
      await page.getByTestId('deliveries-table').waitFor();
      const delivered = page.locator('[data-testid="deliveries-table"] tbody tr', { hasText: '已送达' });
      for (let i = 0; i < 30 && (await delivered.count()) === 0; i++) {
        await page.waitForTimeout(1000);
        await page.getByRole('button', { name: '刷新' }).click();
      }
      await expect(textOf(delivered.first())).resolves.toContain(`${origin}/robot/send?access_token=loop****`);
      expect(hits.length).toBe(1);
      const ts = hits[0]!.query.get('timestamp')!;
      const secret = 'SEC0123456789abcdef';
      expect(hits[0]!.query.get('sign')).toBe(
        crypto.createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64'),
      );
      expect(hits[0]!.query.get('access_token')).toBe('loopback-token');
      expect(hits[0]!.body.msgtype).toBe('markdown');
      expect((hits[0]!.body.markdown as { title: string }).title).toBe('【苗圃】群机器人测试消息');
      await screenshot(page, 'notification-deliveries-zh');
      clean(problems);
    } finally {
      await context.close();
      await admin.context.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
