/**
 * 计算工具 (issue #15): an enterprise user opens /tools from the menu, checks codes (a typo, full-width input, the
 * GB 11714 warning) and works out a size with 规上; the results switch to English with the UI; an official reaches
 * the same page; without login /p/tools works at phone width. Screenshots go to test-results/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, type PageErrors, screenshot, textOf } from './helpers/browser.ts';
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

async function checkUscc(page: Page, code: string) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/tools/uscc'));
  await page.getByTestId('uscc-input').fill(code);
  await page.getByTestId('uscc-submit').click();
  await answered;
  await page.getByTestId('uscc-result').waitFor();
}

async function pickGroup(page: Page, label: string) {
  await page.getByTestId('size-group-select').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

async function fillSize(page: Page, values: Partial<Record<string, number>>) {
  for (const [field, value] of Object.entries(values)) {
    await page.getByTestId(`size-${field}`).fill(String(value));
  }
}

async function calculate(page: Page) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/tools/enterprise-size'));
  await page.getByTestId('size-submit').click();
  return answered;
}

describe('calculators', () => {
  it('an enterprise user checks codes and a size from the menu, in Chinese and English', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'enterprise');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '计算工具' }).click();
      await page.waitForURL((u) => u.pathname === '/tools');

      // a typo in the last character: invalid, with the right check character named
      await checkUscc(page, '914403001922038217');
      await expect(textOf(page.getByTestId('uscc-verdict'))).resolves.toBe('无效');
      await expect(textOf(page.getByTestId('uscc-errors'))).resolves.toContain('应为「6」');

      // full-width and lower case are normalised; Tencent's X at position 17 is fine
      await checkUscc(page, '９１４４０３００７１５２６７２６ｘｇ');
      await expect(textOf(page.getByTestId('uscc-verdict'))).resolves.toBe('有效');
      await expect(textOf(page.getByTestId('uscc-normalized'))).resolves.toBe('9144030071526726XG');
      await page.getByTestId('uscc-ok').waitFor();

      // position 17 wrong: valid, with a warning
      await checkUscc(page, '914403001922038229');
      await expect(textOf(page.getByTestId('uscc-verdict'))).resolves.toBe('有效');
      await expect(textOf(page.getByTestId('uscc-warnings'))).resolves.toContain('组织机构代码校验位');

      // 工业 X = 1500, Y = 1000 万元 → 小型 (both bounds needed above small); 主营业务收入 2500 → 规上
      await pickGroup(page, '工业');
      await expect(textOf(page.getByTestId('size-card'))).resolves.toContain(
        '该行业按从业人员（人）、营业收入（万元）划型',
      );
      await fillSize(page, { employees: 1500, revenue: 1000, mainBusinessRevenue: 2500 });
      expect((await calculate(page)).status()).toBe(200);
      await expect(textOf(page.getByTestId('size-label'))).resolves.toBe('小型');
      const rule = await textOf(page.getByTestId('size-rule'));
      expect(rule).toContain('从业人员 1,500 ≥ 1,000');
      expect(rule).toContain('营业收入 1,000 < 40,000 → 不是大型');
      expect(rule).toContain('营业收入 1,000 < 2,000 → 不是中型');
      await expect(textOf(page.getByTestId('above-scale-tag'))).resolves.toBe('规上');
      await expect(textOf(page.getByTestId('above-scale'))).resolves.toContain('2,500 ≥ 2,000');
      await screenshot(page, 'tools-zh-CN', true);

      // English: the results are fetched again in the new language
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => textOf(page.getByTestId('size-label'))).toBe('Small');
      await expect.poll(() => textOf(page.getByTestId('uscc-warnings'))).toContain('Position 17');
      await expect.poll(() => textOf(page.getByTestId('size-rule'))).toContain('revenue 1,000 < 2,000 → not medium');
      await expect(textOf(page.getByTestId('above-scale-tag'))).resolves.toBe('Above scale');
      await screenshot(page, 'tools-en', true);

      // an unknown industry code: a clear message, no result
      await page.getByTestId('size-mode').getByText('Enter an industry code').click();
      await page.getByTestId('size-code-input').fill('X99');
      expect((await calculate(page)).status()).toBe(422);
      await expect(textOf(page.getByTestId('size-error'))).resolves.toContain('Unknown industry "X99"');
      await expect(page.getByTestId('size-result').count()).resolves.toBe(0);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('an official reaches the page too, and a missing indicator is named', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '计算工具' }).click();
      await page.waitForURL((u) => u.pathname === '/tools');
      await page.getByTestId('size-mode').getByText('填写行业代码').click();
      await page.getByTestId('size-code-input').fill('c3311');
      await fillSize(page, { employees: 500 });
      await calculate(page);
      await expect(textOf(page.getByTestId('size-label'))).resolves.toBe('无法判定');
      await expect(textOf(page.getByTestId('size-group'))).resolves.toContain('C3311 金属制品业 → 划型行业：工业');
      await expect(textOf(page.getByTestId('size-missing'))).resolves.toContain('未填写：营业收入（万元）');
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('works without login at /p/tools on a phone (390 px): the cards stack', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await page.goto(`${server.baseUrl}/p/tools`);
      await checkUscc(page, '91350100M000100Y43');
      await expect(textOf(page.getByTestId('uscc-verdict'))).resolves.toBe('有效');
      await pickGroup(page, '零售业');
      await fillSize(page, { employees: 9, revenue: 5000, mainBusinessRevenue: 5000 });
      await calculate(page);
      await expect(textOf(page.getByTestId('size-label'))).resolves.toBe('微型');
      await expect(textOf(page.getByTestId('above-scale-tag'))).resolves.toBe('规上');
      // stacked: the size card starts below the USCC card, and nothing is wider than the screen
      const uscc = await page.getByTestId('uscc-card').boundingBox();
      const size = await page.getByTestId('size-card').boundingBox();
      expect(size!.y).toBeGreaterThan(uscc!.y + uscc!.height - 1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'tools-phone', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});
