/**
 * 报表中心 (issue #21): a district admin opens the page from the menu (empty until a report exists), generates last
 * month's report with the dialog and watches its progress, downloads the PDF and the Excel file; the page in
 * English; the page at phone width (390 px). Screenshots go to test-results/ (reports-*.png).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodContaining, periodLabel } from '../src/domain/reports.ts';
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

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** Last month, the dialog's default period. */
const lastMonth = () => {
  const d = new Date(`${today().slice(0, 7)}-01T00:00:00Z`);
  d.setUTCDate(0);
  return periodContaining('monthly', d.toISOString().slice(0, 10));
};

async function downloadBytes(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { name: download.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

describe('报表中心', () => {
  it('a district admin generates last month’s report, sees its progress and downloads PDF and Excel', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '报表中心' }).click();
      await page.waitForURL((u) => u.pathname === '/reports');
      await page.evaluate(() => window.scrollTo(0, 0)); // the long menu scrolled the window to reach the item
      await page.getByText('周报、月报按区域').waitFor();
      // the browser tests' servers run with REPORTS_SCHEDULE=off (e2e/helpers/server.ts), so whatever the day a fresh
      // server has made no report yet: the empty state explains the schedule
      await page.getByTestId('report-empty').waitFor();
      await expect(textOf(page.getByTestId('report-table'))).resolves.toContain('每周一生成上周周报');
      await screenshot(page, 'reports-empty');

      await page.getByTestId('report-generate').click();
      const dialog = page.locator('.ant-modal:visible');
      await dialog.getByText('立即生成报表').waitFor();
      const period = lastMonth();
      await expect(textOf(dialog)).resolves.toContain(periodLabel(period));
      await expect(textOf(dialog)).resolves.toContain('惠济区');
      await screenshot(page, 'reports-generate-dialog');
      await page.getByTestId('report-generate-submit').click();
      await page.getByTestId('report-generate-progress').waitFor();
      await page.getByText('已生成，可在列表中下载。').waitFor({ timeout: 120_000 });
      const title = `惠济区工作月报（${periodLabel(period)}）`;
      await expect(textOf(page.getByTestId('report-generate-progress'))).resolves.toContain(title);
      await screenshot(page, 'reports-generate-done');
      await page.getByTestId('report-generate-close').click();

      const row = page.locator('[data-testid="report-table"] tr', { hasText: title });
      await row.waitFor();
      await expect(textOf(row)).resolves.toContain(`${period.start} – ${period.end}`);
      await expect(textOf(row)).resolves.toContain('huiji.admin 手动生成');
      await screenshot(page, 'reports-list');

      const id = (await row.getAttribute('data-row-key'))!;
      const pdf = await downloadBytes(page, `report-pdf-${id}`);
      expect(pdf.name).toBe(`${title}.pdf`);
      expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
      const xlsx = await downloadBytes(page, `report-xlsx-${id}`);
      expect(xlsx.name).toBe(`${title}.xlsx`);
      expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');

      // the filter by type keeps the monthly report and drops it for weekly
      await page.getByTestId('report-filter-type').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '周报' }).click();
      await expect.poll(() => page.locator('[data-testid="report-table"] tr', { hasText: title }).count()).toBe(0);
      await page.getByTestId('report-filter-type').click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '月报' }).click();
      await row.waitFor();

      // English: the page, its columns and a title composed from the period
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: 'Reports' }).waitFor();
      const en = page.locator('[data-testid="report-table"] tr', {
        hasText: `惠济区: Monthly report, ${periodLabel(period, 'en')}`,
      });
      await en.waitFor();
      await expect(textOf(page.getByTestId('report-table'))).resolves.toContain('On request by huiji.admin');
      await screenshot(page, 'reports-en');
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: '报表中心' }).waitFor();
      clean(problems);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('fits a 390 px phone (list and dialog)', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/reports`);
      await page.getByRole('heading', { name: '报表中心' }).waitFor();
      await page.locator('[data-testid="report-table"] tr', { hasText: '惠济区工作月报' }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'reports-390', true);
      await page.getByTestId('report-generate').click();
      await page.getByTestId('report-generate-submit').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(page, 'reports-390-dialog');
      clean(problems);
    } finally {
      await context.close();
    }
  }, 120_000);

  it('is not in the menu of a park operator, whose role has no reports', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'park.operator');
      await page.locator('[data-testid="sider"] .ant-menu-item').first().waitFor();
      expect(await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '报表中心' }).count()).toBe(0);
      await page.goto(`${server.baseUrl}/reports`);
      await page.getByText('403', { exact: true }).waitFor();
    } finally {
      await context.close();
    }
  }, 120_000);
});
