/**
 * Park registry forms (issue #18): a district admin creates a park through 新建园区 (two submissions refused by the
 * server, by its schema and for a duplicate code, each error on its field), finds it in the list, edits it, moves its stage and records its recognition
 * (认定); the dialogs in English; the list, dialog and detail at phone width (390 px); no 新建园区 for a park operator.
 * Screenshots go to test-results/ (park-forms-*.png).
 */
import type { Browser, Locator, Page } from 'playwright-core';
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

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const NAME = '惠济区苗圃表单测试园（演示）';
const RENAMED = '惠济区苗圃表单测试园二期（演示）';
const CODE = 'E2E-FORM-001';

/** Picks an option of an antd Select by its label. */
async function choose(page: Page, select: Locator, label: string) {
  await select.click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

/** The visible dialog. */
const dialog = (page: Page) => page.locator('.ant-modal-wrap:visible .ant-modal');

/** The error line of one form item (by its label). */
const fieldError = (scope: Locator, label: string) =>
  scope
    .locator('.ant-form-item', { has: scope.page().locator('label', { hasText: label }) })
    .locator('.ant-form-item-explain-error');

async function openList(page: Page) {
  await page.goto(`${server.baseUrl}/parks`);
  // first navigation after login: a fresh server runs its start-up jobs
  await page.locator('[data-testid="parks-table"] tr.ant-table-row').first().waitFor({ timeout: 90_000 });
}

async function searchList(page: Page, q: string) {
  await page.locator('form#parkFilters input#parkFilters_q').fill(q);
  await page.getByTestId('filter-submit').click();
}

describe('park forms', () => {
  it('a district admin creates, edits, moves the stage of and recognizes a park', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await openList(page);
      const existingCode = (
        await textOf(page.locator('[data-testid="parks-table"] tr.ant-table-row').first().locator('td').first())
      ).trim();
      expect(existingCode).not.toBe('');

      // 新建园区: an empty submission is stopped on the required fields
      await page.getByTestId('park-create').click();
      const form = dialog(page);
      await form.getByText('新建园区').waitFor();
      await page.getByTestId('park-form-submit').click();
      await fieldError(form, '园区名称').waitFor();
      await expect(textOf(fieldError(form, '园区编号'))).resolves.toContain('请填写此项');
      // the district admin's only district is chosen for them
      await expect(textOf(form.locator('.ant-form-item', { hasText: '所属区县' }))).resolves.toContain('惠济区');

      // a one-character name passes the form but not the server's schema (min 2): its message is on the name field
      await page.getByTestId('park-form-code').fill(existingCode);
      await page.getByTestId('park-form-name').fill('园');
      await choose(page, page.getByTestId('park-form-category'), '生产制造类');
      await choose(page, page.getByTestId('park-form-mode'), '政府主导');
      await page.getByTestId('park-form-land').fill('86.5');
      await page.getByTestId('park-form-floor').fill('120000');
      await page.getByTestId('park-form-investment').fill('35000');
      await page.getByTestId('park-form-submit').click();
      const nameError = fieldError(form, '园区名称');
      await nameError.waitFor();
      await expect(textOf(nameError)).resolves.toContain('长度或数值不能小于 2');
      await screenshot(page, 'park-forms-create-refused-name');

      // a code that exists already: the server refuses, and says so on the code field
      await page.getByTestId('park-form-name').fill(NAME);
      await expect.poll(() => nameError.count()).toBe(0);
      await page.getByTestId('park-form-submit').click();
      const codeError = fieldError(form, '园区编号');
      await codeError.waitFor();
      await expect(textOf(codeError)).resolves.toContain('该园区编号已被使用');
      await screenshot(page, 'park-forms-create-refused');

      // a new code: created, the dialog closes and the list finds it
      await page.getByTestId('park-form-code').fill(CODE);
      await expect.poll(() => codeError.count()).toBe(0);
      await page.getByTestId('park-form-submit').click();
      await page.getByText('园区已创建').waitFor();
      await form.waitFor({ state: 'hidden' });
      await searchList(page, '苗圃表单测试园');
      const row = page.locator('[data-testid="parks-table"] tr.ant-table-row', { hasText: NAME });
      await row.waitFor();
      await expect(textOf(row)).resolves.toContain(CODE);
      await expect(textOf(row)).resolves.toContain('谋划');
      await expect(textOf(row)).resolves.toContain('惠济区');
      await screenshot(page, 'park-forms-list');

      // 编辑: the form comes prefilled; a new name is saved with the record's version
      await row.getByTestId('park-link').click();
      await page.waitForURL((u) => /^\/parks\/[0-9a-f-]{36}$/.test(u.pathname));
      await expect(textOf(page.getByTestId('park-name'))).resolves.toBe(NAME);
      await page.getByTestId('park-edit').click();
      const edit = dialog(page);
      await edit.getByText('编辑园区信息').waitFor();
      await expect(page.getByTestId('park-form-code').inputValue()).resolves.toBe(CODE);
      await expect(page.getByTestId('park-form-land').inputValue()).resolves.toBe('86.50');
      await page.getByTestId('park-form-name').fill(RENAMED);
      await page.getByTestId('park-form-investment').fill('36000');
      await screenshot(page, 'park-forms-edit');
      await page.getByTestId('park-form-submit').click();
      await page.getByText('园区信息已保存').waitFor();
      await expect.poll(() => textOf(page.getByTestId('park-name'))).toBe(RENAMED);
      await expect.poll(() => textOf(page.getByTestId('park-facts'))).toContain('3.60 亿元');

      // 推进阶段: 谋划 → 建设中 (skipping steps), today
      await page.getByTestId('park-stage').click();
      const stage = dialog(page);
      await stage.getByText('推进园区阶段').waitFor();
      await expect(textOf(page.getByTestId('stage-current'))).resolves.toBe('谋划');
      await choose(page, page.getByTestId('stage-select'), '建设中');
      await screenshot(page, 'park-forms-stage');
      await page.getByTestId('stage-submit').click();
      await page.getByText('已推进到「建设中」').waitFor();
      await expect.poll(() => textOf(page.getByTestId('park-facts').getByTestId('stage-tag'))).toBe('建设中');
      // the dialog now offers only the stages after 建设中
      await page.getByTestId('park-stage').click();
      await page.getByTestId('stage-select').click();
      const offered = await page.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents();
      expect(offered).toEqual(['建成', '运营']);
      await page.keyboard.press('Escape');
      await dialog(page).locator('.ant-modal-close').click();
      await dialog(page).waitFor({ state: 'hidden' });

      // 认定: a level needs its date; then level, batch and date are shown in the facts
      await page.getByTestId('park-recognition').click();
      const rec = dialog(page);
      await rec.getByText('园区认定').waitFor();
      await choose(page, page.getByTestId('recognition-level'), '县级认定');
      await page.getByTestId('recognition-submit').click();
      await fieldError(rec, '认定日期').waitFor();
      await rec.getByPlaceholder('如 2023年第一批').fill('2026年第一批');
      await page.getByTestId('recognition-on').click();
      await page.keyboard.type(today());
      await page.keyboard.press('Enter');
      await expect.poll(() => fieldError(rec, '认定日期').count()).toBe(0);
      await screenshot(page, 'park-forms-recognition');
      await page.getByTestId('recognition-submit').click();
      await page.getByText('认定信息已保存').waitFor();
      await rec.waitFor({ state: 'hidden' });
      await expect.poll(() => textOf(page.getByTestId('park-facts'))).toContain('县级认定');
      await expect(textOf(page.getByTestId('park-facts'))).resolves.toContain('2026年第一批');
      await expect(textOf(page.getByTestId('park-facts'))).resolves.toContain(today());
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'park-forms-detail');

      // English: the buttons and a dialog
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('park-stage').getByText('Move stage').waitFor();
      await page.getByTestId('park-edit').click();
      await dialog(page).getByText('Edit park').waitFor();
      await expect(textOf(dialog(page))).resolves.toContain('Land (mu)');
      await screenshot(page, 'park-forms-edit-en');
      await dialog(page).locator('.ant-modal-close').click();
      await dialog(page).waitFor({ state: 'hidden' });
      await page.getByTestId('park-recognition').click();
      await dialog(page).getByText('Park recognition').waitFor();
      await screenshot(page, 'park-forms-recognition-en');
      await dialog(page).locator('.ant-modal-close').click();
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('park-stage').getByText('推进阶段').waitFor();
      clean(problems);
    } finally {
      await context.close();
    }
  }, 300_000);

  it('fits a 390 px phone (list, new-park dialog, detail)', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await openList(page);
      const width = () => page.evaluate(() => document.documentElement.scrollWidth);
      expect(await width()).toBeLessThanOrEqual(390);
      await page.getByTestId('park-create').click();
      await page.getByTestId('park-form-submit').waitFor();
      await page.getByTestId('park-form-submit').click();
      await fieldError(dialog(page), '园区名称').waitFor();
      expect(await width()).toBeLessThanOrEqual(390);
      await screenshot(page, 'park-forms-390-create');
      await dialog(page).locator('.ant-modal-close').click();
      await dialog(page).waitFor({ state: 'hidden' });

      await page.locator('[data-testid="parks-table"] tr.ant-table-row').first().getByTestId('park-link').click();
      await page.getByTestId('park-edit').waitFor();
      await page.getByTestId('park-facts').waitFor();
      expect(await width()).toBeLessThanOrEqual(390);
      await screenshot(page, 'park-forms-390-detail');
      await page.getByTestId('park-stage').click();
      await dialog(page).getByText('推进园区阶段').waitFor();
      expect(await width()).toBeLessThanOrEqual(390);
      await screenshot(page, 'park-forms-390-stage');
      clean(problems);
    } finally {
      await context.close();
    }
  }, 180_000);

  it('offers no 新建园区 or 编辑 to a park operator', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'park.operator');
      await openList(page);
      expect(await page.getByTestId('park-create').count()).toBe(0);
      await page.locator('[data-testid="parks-table"] tr.ant-table-row').first().getByTestId('park-link').click();
      await page.getByTestId('park-facts').waitFor();
      expect(await page.getByTestId('park-edit').count()).toBe(0);
      expect(await page.getByTestId('park-stage').count()).toBe(0);
    } finally {
      await context.close();
    }
  }, 180_000);
});
