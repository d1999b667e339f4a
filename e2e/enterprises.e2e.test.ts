/**
 * The enterprises pages (issue #4): search by pinyin initials, the detail page's size explanation, masked contacts
 * and an audited reveal, an enterprise user's own-firm scope, the Excel import job (a bad file writes nothing, a
 * good one adds its rows), English labels and the phone layout. Screenshots go to test-results/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgCodeCheckChar, usccCheckChar } from '../src/domain/uscc.ts';
import { launchBrowser, login, newPage, type PageErrors, screenshot, textOf } from './helpers/browser.ts';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
let browser: Browser;
const FIRM = '郑州惠科精密制造有限公司（演示）';
const HEADERS = [
  '统一社会信用代码',
  '企业名称',
  '所属区县(市)',
  '行业代码',
  '成立日期',
  '注册资本(万元)',
  '法定代表人',
  '地址',
];

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

/** A valid USCC (enterprise, 惠济区) with both check characters right. */
function uscc(seed: number): string {
  for (let n = seed; ; n++) {
    const body = `E2E${String(n).padStart(5, '0')}`;
    const org = orgCodeCheckChar(body);
    if (!org) continue;
    const first17 = `91410108${body}${org}`;
    const check = usccCheckChar(first17);
    if (check) return `${first17}${check}`;
  }
}

async function xlsx(rows: (string | number)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  const path = join(mkdtempSync(join(tmpdir(), 'miaopu-ent-')), `import-${rows.length}.xlsx`);
  await wb.xlsx.writeFile(path);
  return path;
}

const rowsOf = (page: Page) => page.locator('[data-testid="enterprises-table"] .ant-table-row');

async function totalOf(page: Page): Promise<number> {
  const text = await textOf(page.locator('.ant-pagination-total-text'));
  return Number(/[\d,]+/.exec(text)?.[0].replace(/,/g, ''));
}

async function openList(page: Page) {
  await page.goto(`${server.baseUrl}/enterprises`);
  await rowsOf(page).first().waitFor();
}

describe('enterprises as the city administrator', () => {
  it('finds a firm by pinyin initials, explains its size, and reveals a contact with a reason (audited)', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '企业名录' }).click();
      await page.waitForURL((u) => u.pathname === '/enterprises');
      await rowsOf(page).first().waitFor();
      expect(await totalOf(page)).toBeGreaterThan(300);

      // the export downloads the filtered list
      const exported = page.waitForEvent('download');
      await page.getByTestId('export').click();
      expect((await exported).suggestedFilename()).toMatch(/^企业名录-\d{4}-\d{2}-\d{2}\.xlsx$/);

      const request = page.waitForRequest((r) => /\/api\/v1\/enterprises\?.*q=zzhk/.test(r.url()));
      await page.getByTestId('search').fill('zzhk');
      await page.getByTestId('filter-submit').click();
      await request;
      await page.waitForURL((u) => u.searchParams.get('q') === 'zzhk');
      await expect.poll(() => page.getByTestId('enterprise-link').allTextContents()).toContain(FIRM);
      const row = rowsOf(page).filter({ hasText: FIRM });
      await expect(textOf(row)).resolves.toContain('惠济区');
      await expect(textOf(row)).resolves.toContain('C3484');
      await row.getByTestId('size-tag').waitFor();
      await screenshot(page, 'enterprises-list');

      await row.getByTestId('enterprise-link').click();
      await page.waitForURL((u) => /^\/enterprises\/[0-9a-f-]{36}$/.test(u.pathname));
      await expect(textOf(page.getByTestId('enterprise-name'))).resolves.toBe(FIRM);
      await expect(textOf(page.getByTestId('enterprise-uscc'))).resolves.toMatch(/^[0-9A-Z]{18}/);

      // the size card says which thresholds decided the class
      const size = page.getByTestId('size-card');
      await size.waitFor();
      const explained = await textOf(size);
      expect(explained).toContain('工业');
      expect(explained).toMatch(/从业人员 [\d,.]+ [≥<] [\d,]+/);
      expect(explained).toMatch(/营业收入 [\d,.]+ [≥<] [\d,]+/);
      expect(explained).toMatch(/→ 非大型/);
      expect(explained).toMatch(/规则 industry/);
      // indicators with their sources, the trend chart and derived ratios
      await page.getByTestId('indicator-trend').locator('svg').waitFor();
      await expect(textOf(page.getByTestId('indicators-tab'))).resolves.toMatch(/统计|税务|自报/);
      await expect(textOf(page.getByTestId('derived-ratios'))).resolves.toContain('系统计算');
      await screenshot(page, 'enterprises-detail', true);

      // qualifications on a timeline with their state; the yearly facts as a readable table
      await page.getByRole('tab', { name: '资质' }).click();
      await expect(textOf(page.getByTestId('qualification-timeline'))).resolves.toContain('高新技术企业');
      await page.getByTestId('qual-state').first().waitFor();
      await page.getByRole('tab', { name: '事实' }).click();
      await expect(textOf(page.getByTestId('facts-tab'))).resolves.toContain('资产负债率');
      await expect(textOf(page.getByTestId('facts-tab'))).resolves.toContain('当年有效资质');

      // contacts: masked until revealed with a reason
      await page.getByRole('tab', { name: '联系人' }).click();
      const mobile = page.getByTestId('contact-mobile').first();
      await mobile.waitFor();
      expect(await textOf(mobile)).toMatch(/^1\d{2}\*{4}\d{4}$/);
      await page.getByTestId('reveal-open').first().click();
      const dialog = page.locator('.ant-modal').filter({ hasText: '审计' });
      await dialog.waitFor();
      await page.locator('#reveal_reason').fill('核实');
      await page.getByTestId('reveal-submit').click();
      await dialog.getByText('事由至少 4 个字').waitFor();
      await page.locator('#reveal_reason').fill('核实申报材料中的联系电话');
      await page.getByTestId('reveal-submit').click();
      const full = page.getByTestId('revealed-mobile');
      await full.waitFor();
      expect(await textOf(full)).toMatch(/^1\d{10}$/);
      await screenshot(page, 'enterprises-reveal');
      await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
      await full.waitFor({ state: 'detached' });
      expect(await textOf(page.getByTestId('contact-mobile').first())).toMatch(/^1\d{2}\*{4}\d{4}$/);
      clean(problems);
    } finally {
      await context.close();
    }

    // the auditor finds exactly one reveal in the audit log
    const auditor = await newPage(browser, server.baseUrl);
    try {
      await login(auditor.page, server.baseUrl, 'auditor');
      const res = await auditor.page.request.get(`${server.baseUrl}/api/v1/audit?action=pii.reveal`);
      expect(res.status()).toBe(200);
      const body = (await res.json()) as { total: number; items: { action: string; actorUsername: string }[] };
      expect(body.total).toBe(1);
      expect(body.items[0]?.action).toBe('pii.reveal');
      expect(body.items[0]?.actorUsername).toBe('city.admin');
    } finally {
      await auditor.context.close();
    }
  });

  it('imports Excel as a job: a file with a bad row writes nothing, a good one adds its 3 rows', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await openList(page);
      const before = await totalOf(page);

      await page.getByTestId('import-open').click();
      const template = page.waitForEvent('download');
      await page.getByTestId('import-template').click();
      expect((await template).suggestedFilename()).toBe('企业导入模板.xlsx');

      const bad = await xlsx([
        [uscc(1), '郑州测试导入甲有限公司', '惠济区', 'C3484', '2020-01-01', 100, '张三', '郑州'],
        ['91410108E2E0000XXX', '郑州测试导入乙有限公司', '惠济区', 'C3484', '2020-01-01', 100, '李四', '郑州'],
      ]);
      await page.locator('.ant-modal input[type="file"]').setInputFiles(bad);
      await page.getByTestId('import-submit').click();
      const errors = page.getByTestId('import-errors');
      await errors.waitFor({ timeout: 30_000 });
      await expect(textOf(errors)).resolves.toContain('未写入任何数据');
      await expect(textOf(errors)).resolves.toContain('统一社会信用代码');
      const cells = await errors
        .locator('.ant-table-row')
        .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim())));
      expect(cells[0]?.slice(0, 2)).toEqual(['3', '统一社会信用代码']);
      await screenshot(page, 'enterprises-import-error');

      const good = await xlsx([
        [uscc(100), '郑州测试导入丙有限公司', '惠济区', 'C3484', '2020-01-01', 100, '王五', '郑州'],
        [uscc(200), '郑州测试导入丁有限公司', '金水区', 'I65', '2021-05-06', 50, '赵六', '郑州'],
        [uscc(300), '郑州测试导入戊有限公司', '中原区', 'F52', '', '', '', ''],
      ]);
      await page.locator('.ant-modal input[type="file"]').setInputFiles(good);
      await page.getByTestId('import-submit').click();
      await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
      await expect(textOf(page.getByTestId('import-done'))).resolves.toContain('新增 3 家企业');
      await page
        .locator('.ant-modal-footer')
        .getByRole('button', { name: /关\s*闭/ })
        .click();
      await expect.poll(() => totalOf(page), { timeout: 10_000 }).toBe(before + 3);

      // the bad file's good row was not written either
      await page.getByTestId('search').fill('测试导入甲');
      await page.getByTestId('filter-submit').click();
      await page.getByText('没有符合筛选条件的企业').waitFor();

      // 新增企业: the server's field errors show under the fields
      await page.getByTestId('create-open').click();
      await page.locator('#enterpriseCreate_uscc').fill('91410108MA0000118Y');
      await page.locator('#enterpriseCreate_name').fill('郑州测试新增有限公司');
      await page.locator('#enterpriseCreate_regionCode').click();
      await page.locator('.ant-select-item-option', { hasText: '惠济区' }).click();
      await page.locator('#enterpriseCreate_industryCode').fill('C3484');
      await page.locator('#enterprise-create-submit').click();
      await page
        .locator('#enterpriseCreate_uscc_help')
        .getByText(/校验位应为 X/)
        .waitFor();
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('enterprise user', () => {
  it('sees only its own firm and cannot reveal contacts', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'enterprise');
      await openList(page);
      expect(await page.getByTestId('enterprise-link').allTextContents()).toEqual([FIRM]);
      expect(await totalOf(page)).toBe(1);
      expect(await page.getByTestId('import-open').count()).toBe(0);
      expect(await page.getByTestId('create-open').count()).toBe(0);
      await page.getByTestId('enterprise-link').click();
      await page.getByTestId('size-card').waitFor();

      // it reports its own figures, self-reported only
      await page.getByTestId('indicator-record').click();
      await page.locator('#indicatorRecord_key').click();
      await page.locator('#indicatorRecord_key').fill('研发人员');
      await page.locator('.ant-select-item-option', { hasText: '研发人员（人）' }).click();
      await page.locator('#indicatorRecord_value').fill('12');
      await expect(textOf(page.locator('.ant-modal .ant-select-disabled'))).resolves.toContain('自报');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      // the indicator's own row (not the derived 研发人员占比 below)
      const reported = page
        .getByTestId('indicators-tab')
        .locator('.ant-table-row')
        .filter({ has: page.locator('td', { hasText: /^研发人员$/ }) })
        .first();
      await expect.poll(() => textOf(reported), { timeout: 10_000 }).toContain('12 人');
      await expect(textOf(reported)).resolves.toContain('自报');

      await page.getByRole('tab', { name: '联系人' }).click();
      await page.getByTestId('contacts-table').waitFor();
      expect(await textOf(page.getByTestId('contact-mobile').first())).toMatch(/^1\d{2}\*{4}\d{4}$/);
      expect(await page.getByTestId('reveal-open').count()).toBe(0);
      expect(await page.getByTestId('contact-add').count()).toBe(0);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('English and phone', () => {
  it('switches the enterprises pages to English', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await openList(page);
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: 'Enterprises' }).waitFor();
      await page.getByRole('columnheader', { name: 'Credit code (USCC)' }).waitFor();
      await page.getByRole('columnheader', { name: 'Legal representative' }).waitFor();
      const menu = (await page.locator('[data-testid="sider"] .ant-menu-item').allTextContents()).map((s) => s.trim());
      expect(menu).toContain('Enterprises');
      await page.getByTestId('search').fill('zzhk');
      await page.getByTestId('filter-submit').click();
      await expect.poll(() => page.getByTestId('enterprise-link').allTextContents()).toEqual([FIRM]);
      await page.getByTestId('enterprise-link').click();
      const size = page.getByTestId('size-card');
      await size.waitFor();
      await expect(textOf(size)).resolves.toContain('Size class');
      await expect(textOf(size)).resolves.toMatch(/Employees [\d,.]+ [≥<] [\d,]+/);
      await page.getByRole('tab', { name: 'Indicators' }).waitFor();
      await page.getByRole('tab', { name: 'Contacts' }).waitFor();
      await screenshot(page, 'enterprises-en', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('works at 375 px without sideways scrolling', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 375, height: 812 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await openList(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'enterprises-phone');
      await page.goto(`${server.baseUrl}/enterprises?q=zzhk`);
      await page.getByTestId('enterprise-link').first().click();
      await page.getByTestId('size-card').waitFor();
      await page.getByTestId('indicator-trend').locator('svg').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      await screenshot(page, 'enterprises-phone-detail', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});
