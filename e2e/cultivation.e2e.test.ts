/**
 * 梯度培育 (issue #20): a firm (user `enterprise`) fills the 专精特新 self-assessment and sees its score and what
 * it lacks, in Chinese and English; an official (`huiji.admin`) sees the KPIs of seed 001, the near-miss list and
 * adds a firm to the pool; the pages at phone width (390 px). Screenshots go to test-results/.
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

async function pick(page: Page, testId: string, label: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

async function fillSrdi(page: Page) {
  const nums: Record<string, number> = {
    revenue: 5000,
    mainBusinessRevenue: 4000,
    rdExpense: 105, // 2.1% < 3%
    rdExpensePrev: 90,
    mainBusinessGrowth2y: 12,
    nicheYears: 6,
    digitalLevel: 2,
    qualityItems: 2,
    netMargin: 8,
    debtRatio: 45,
    localScore: 8,
    rdStaffRatio: 12,
    equityFinancing2y: 0,
  };
  for (const [k, v] of Object.entries(nums)) await page.getByTestId(`fact-${k}`).fill(String(v));
}

describe('cultivation', () => {
  it('a firm fills the self-assessment and sees its score and what it lacks (zh-CN, en)', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'enterprise');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '梯度自评' }).click();
      await page.waitForURL((u) => u.pathname === '/cultivation/self-assessment');
      await fillSrdi(page);
      await pick(page, 'fact-productField', '工业六基');
      await pick(page, 'fact-ipClass', '自主研发Ⅰ类');
      await pick(page, 'fact-rdInstitution', '市级');
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/tools/tier-assessment'));
      await page.getByTestId('assess-submit').click();
      expect((await answered).status()).toBe(200);
      await page.getByTestId('tier-verdict').waitFor();
      // 5·0.8 → 3 (80% → 5? 4000/5000 = 80% → 5) + 10 + 3 + 3 + 3 + 5 + 8 + 5 + 8 + 8 + 6 + 3 + 4
      const score = await textOf(page.getByTestId('tier-score'));
      expect(score).toMatch(/评价得分 \d+ 分/);
      expect(await textOf(page.getByTestId('tier-verdict'))).toContain('暂不符合');
      const lacks = await textOf(page.getByTestId('tier-lacks'));
      expect(lacks).toContain('研发费用占比：2.1%，需 ≥ 3%');
      await screenshot(page, 'cultivation-self-zh', true);
      await page.getByTestId('lang-switch').click();
      await page.getByText('R&D intensity: 2.1%, needs ≥ 3%').waitFor();
      await screenshot(page, 'cultivation-self-en', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('an official sees the KPIs and the near-miss list and adds a firm to the pool', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '梯度培育' }).click();
      await page.waitForURL((u) => u.pathname === '/cultivation');
      await page.getByTestId('kpi-year').fill('2022');
      await page.getByTestId('kpi-year').press('Enter');
      await page.getByTestId('ladder-funnel').waitFor();
      await page.getByTestId('srdi-rate').getByText('187.5').waitFor();
      expect(await textOf(page.getByTestId('ladder-funnel'))).toContain('42');
      await screenshot(page, 'cultivation-overview-zh');
      await page.getByRole('tab', { name: '临门一脚' }).click();
      const table = page.getByTestId('near-miss-table');
      await table.locator('tbody tr.ant-table-row').first().waitFor();
      const firstName = await textOf(table.locator('tbody tr.ant-table-row').first().locator('td').first());
      const added = page.waitForResponse(
        (r) => r.url().endsWith('/api/v1/cultivation/pool') && r.request().method() === 'POST',
      );
      await table.getByTestId('add-to-pool').first().click();
      expect((await added).status()).toBe(201);
      await table.locator('tbody tr.ant-table-row').first().getByText('已在培育库').waitFor();
      await screenshot(page, 'cultivation-near-miss-zh');
      await page.getByRole('tab', { name: '培育库' }).click();
      await page.getByTestId('pool-table').getByText(firstName).waitFor();
      // the firm's tier card: each tier's verdict, what it lacks and the sources of its facts
      await page.getByRole('tab', { name: '临门一脚' }).click();
      await page.getByTestId('near-miss-table').getByRole('link', { name: firstName }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/cultivation/enterprises/'));
      const card = page.getByTestId('card-srdi_sme');
      await card.waitFor();
      expect(await textOf(card)).toContain('未达条件');
      expect(await textOf(card)).toContain('数据来源');
      await screenshot(page, 'cultivation-card-zh', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('phone width (390 px): the near-miss list and the self-assessment fit the screen', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/cultivation`);
      await page.getByTestId('ladder-funnel').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'cultivation-overview-phone', true);
      await page.getByRole('tab', { name: '自评测算' }).click();
      await page.getByTestId('assess-submit').waitFor();
      await page.getByTestId('assess-submit').click();
      await page.getByTestId('tier-missing').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'cultivation-self-phone', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});
