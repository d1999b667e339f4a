/**
 * 三个一批 (module `projects`) in the browser, against the real server and its demo data: the batch board's KPI
 * tiles for batch 4 (the seed figures), the English UI, Excel export and a rejected import, the list filtered to red
 * warnings, a project's Gantt timeline (an ECharts canvas with the overdue planned start drawn red), advancing a stage
 * and recording a month's investment, a district user's scope, and the phone layout.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, menuLabels, newPage, screenshot, textOf } from './helpers/browser.ts';
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

/** The text of a KPI tile with all white space removed ("37 个" → "37个"). */
async function kpi(page: Page, id: string): Promise<string> {
  return (await textOf(page.getByTestId(id))).replace(/\s+/g, '');
}

/** Picks an option of an antd Select by its visible label. */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

/** Waits for the list's loading mask to go away. */
async function tableSettled(page: Page): Promise<void> {
  await page.getByTestId('projects-table').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="projects-table"] .ant-spin-spinning'));
}

interface ApiPage<T> {
  items: T[];
  total: number;
}

describe('batch board', () => {
  it('shows batch 4 KPIs with the seed figures, in Chinese and then in English', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      const labels = await menuLabels(page);
      // The module's two menu items, one after the other, after the workbench.
      expect(labels.indexOf('三个一批')).toBeGreaterThan(labels.indexOf('工作台'));
      expect(labels.indexOf('项目清单')).toBe(labels.indexOf('三个一批') + 1);

      await page.getByTestId('side-menu').getByText('三个一批').click();
      await page.waitForURL((u) => u.pathname === '/projects');
      await page.getByTestId('kpi-signed-count').waitFor();

      // The latest batch is chosen by default (the demo's recent 第22期); the seed figures are batch 4's.
      await expect(textOf(page.getByTestId('batch-select'))).resolves.toContain('第22期');
      await page.goto(`${server.baseUrl}/projects?batch=4`);
      await page.getByTestId('kpi-signed-count').waitFor();
      await expect(textOf(page.getByTestId('batch-select'))).resolves.toContain('第4期');
      await expect(textOf(page.getByTestId('board-asof'))).resolves.toBe('数据截至 2022-05-31');

      // Seed 003 (Zhengzhou, 4th event), as the tiles format them.
      expect(await kpi(page, 'kpi-signed-count')).toBe('37个');
      expect(await kpi(page, 'kpi-started-count')).toBe('206个');
      expect(await kpi(page, 'kpi-producing-count')).toBe('160个');
      expect(await kpi(page, 'kpi-signed-investment')).toBe('434亿元');
      expect(await kpi(page, 'kpi-started-investment')).toBe('2,349亿元');
      expect(await kpi(page, 'kpi-producing-investment')).toBe('1,182.5亿元');
      expect(await kpi(page, 'kpi-signed-performanceRate')).toBe('100%');
      expect(await kpi(page, 'kpi-signed-startRate')).toBe('84%');
      expect(await kpi(page, 'kpi-started-yearInvestment')).toBe('406亿元');
      expect(await kpi(page, 'kpi-started-yearCompletionRate')).toBe('53.5%');
      expect(await kpi(page, 'kpi-producing-completedInvestment')).toBe('844亿元');
      expect(await kpi(page, 'kpi-producing-completionRate')).toBe('71.4%');
      expect(await kpi(page, 'kpi-producing-effectiveCount')).toBe('136个');
      expect(await kpi(page, 'kpi-producing-effectiveRate')).toBe('85%');

      // 53.5% at the end of May is ahead of time progress (5/12 = 41.7%): a green tag with the gap in pp.
      const gap = page.getByTestId('kpi-gap');
      await expect(gap.getAttribute('data-gap')).resolves.toBe('ahead');
      await expect(textOf(gap)).resolves.toBe('超时序进度 +11.8 个百分点');
      const gapColour = await gap.evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(gapColour).toMatch(/^rgb\(\s*82,\s*196,\s*26\)$/); // antd green-6

      // Three columns with their projects; each column's list is the batch's list of that kind.
      for (const kind of ['sign', 'start', 'produce']) {
        const column = page.getByTestId(`board-column-${kind}`);
        await column.getByTestId('board-project').first().waitFor();
        expect(await column.getByTestId('board-project').count()).toBe(8);
      }
      await expect(textOf(page.getByTestId('board-column-sign'))).resolves.toContain('签约一批');
      await expect(textOf(page.getByTestId('board-column-start'))).resolves.toContain('开工一批');
      await expect(textOf(page.getByTestId('board-column-produce'))).resolves.toContain('投产一批');
      await screenshot(page, 'projects-board-zh-CN', true);

      // The region selector reloads the KPIs: 惠济区 alone has fewer projects, and the tiles say so.
      const api = await page.request.get(`${server.baseUrl}/api/v1/projects/kpis?batch=4&region=410108`);
      expect(api.status()).toBe(200);
      const huiji = (await api.json()) as { signed: { count: number }; started: { count: number } };
      await choose(page, 'region-select', '惠济区');
      await page.waitForURL((u) => u.searchParams.get('region') === '410108');
      await expect.poll(() => kpi(page, 'kpi-started-count'), { timeout: 10_000 }).toBe(`${huiji.started.count}个`);
      expect(await kpi(page, 'kpi-signed-count')).toBe(`${huiji.signed.count}个`);
      expect(huiji.started.count).toBeLessThan(206);
      await page.getByTestId('region-select').locator('.ant-select-clear').click({ force: true });
      await expect.poll(() => kpi(page, 'kpi-started-count'), { timeout: 10_000 }).toBe('206个');

      // English.
      await page.getByTestId('lang-switch').click();
      await page.getByText('Major projects · batch board').waitFor();
      await expect(textOf(page.getByTestId('board-asof'))).resolves.toBe('Data as of 2022-05-31');
      await expect(textOf(page.getByTestId('board-column-sign'))).resolves.toContain('Signing list');
      await expect(textOf(page.getByTestId('board-column-sign'))).resolves.toContain('Performance rate');
      await expect(textOf(page.getByTestId('board-column-start'))).resolves.toContain('Annual completion rate');
      await expect(textOf(page.getByTestId('board-column-produce'))).resolves.toContain('Effect rate');
      expect(await kpi(page, 'kpi-started-yearCompletionRate')).toBe('53.5%');
      await expect(textOf(page.getByTestId('kpi-gap'))).resolves.toBe('+11.8 pp ahead of time progress');
      const english = await menuLabels(page);
      expect(english).toContain('Major projects');
      expect(english).toContain('Project list');
      await screenshot(page, 'projects-board-en', true);

      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('exports the batch to Excel and rejects a bad import with row errors, writing nothing', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/projects?batch=4`);
      await page.getByTestId('kpi-signed-count').waitFor();

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('projects-export').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^三个一批项目-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const bytes = await readFile((await download.path())!);
      expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container (.xlsx)

      const before = (await (
        await page.request.get(`${server.baseUrl}/api/v1/projects?pageSize=1`)
      ).json()) as ApiPage<unknown>;

      await page.getByTestId('projects-import').click();
      await page.locator('.ant-modal input[type="file"]').setInputFiles({
        name: 'projects.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: Buffer.from('not a spreadsheet'),
      });
      await page.getByTestId('import-submit').click();
      await page.getByTestId('import-error').waitFor();
      await expect(textOf(page.getByTestId('import-error'))).resolves.toContain('未写入任何数据');
      const errorRows = page.getByTestId('import-errors').locator('tbody tr.ant-table-row');
      await errorRows.first().waitFor();
      await expect(textOf(errorRows.first())).resolves.toContain('.xlsx');

      const after = (await (
        await page.request.get(`${server.baseUrl}/api/v1/projects?pageSize=1`)
      ).json()) as ApiPage<unknown>;
      expect(after.total).toBe(before.total);
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('project list and detail', () => {
  it('filters to red warnings, opens a project, draws its Gantt and advances its stage', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.getByTestId('side-menu').getByText('项目清单').click();
      await page.waitForURL((u) => u.pathname === '/projects/list');
      await tableSettled(page);
      await page.getByTestId('project-row').first().waitFor();

      const red = (await (
        await page.request.get(`${server.baseUrl}/api/v1/projects?warning=red&pageSize=100`)
      ).json()) as ApiPage<{ id: string; warning: string }>;
      expect(red.total).toBeGreaterThan(0);
      expect(red.total).toBeLessThanOrEqual(20);

      await choose(page, 'filter-warning', '红色预警');
      await page.getByTestId('filter-submit').click();
      await page.waitForURL((u) => u.searchParams.get('warning') === 'red');
      await tableSettled(page);
      const rows = page.getByTestId('project-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(red.total);
      for (let i = 0; i < red.total; i++) {
        const tag = rows.nth(i).getByTestId('warning-tag');
        await expect(tag.getAttribute('data-warning')).resolves.toBe('red');
        await expect(textOf(tag)).resolves.toBe('红色预警');
      }
      const redColour = await rows
        .first()
        .getByTestId('warning-tag')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(redColour).toMatch(/^rgb\(\s*245,\s*34,\s*45\)$/);
      await screenshot(page, 'projects-list');

      // An empty result shows the empty state.
      await page.getByTestId('filter-q').fill('不存在的项目名称');
      await page.getByTestId('filter-submit').click();
      await page.getByTestId('projects-empty').waitFor();
      await page.getByTestId('projects-empty').getByRole('button').click();
      await tableSettled(page);
      await expect.poll(() => rows.count()).toBe(20);

      // The detail of a red (not started, planned start long past) project.
      await page.goto(`${server.baseUrl}/projects/list?warning=red`);
      await tableSettled(page);
      const name = await textOf(rows.first().locator('a').first());
      await rows.first().locator('td').nth(0).click();
      await page.waitForURL((u) => /^\/projects\/[0-9a-f-]{36}$/.test(u.pathname));
      await expect(textOf(page.getByTestId('detail-name'))).resolves.toBe(name);
      await expect(textOf(page.getByTestId('detail-facts'))).resolves.toMatch(/万元（[\d.,]+ 亿元）/);
      await expect(textOf(page.getByTestId('detail-facts'))).resolves.toMatch(/第4期 签约一批/);

      const chart = page.getByTestId('gantt-chart');
      const canvas = chart.locator('canvas').first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(150);
      // The overdue planned start (履约→开工) is drawn in red: the canvas holds red pixels (#f5222d).
      await expect
        .poll(
          () =>
            canvas.evaluate((c: HTMLCanvasElement) => {
              const ctx = c.getContext('2d');
              if (!ctx) return 0;
              const { data } = ctx.getImageData(0, 0, c.width, c.height);
              let n = 0;
              for (let i = 0; i < data.length; i += 4) {
                if (data[i]! > 220 && data[i + 1]! < 80 && data[i + 2]! < 80) n++;
              }
              return n;
            }),
          { timeout: 10_000 },
        )
        .toBeGreaterThan(50);
      const phases = (await page.getByTestId('phase-label').allTextContents()).map((s) => s.trim());
      expect(phases).toEqual(['签约→履约', '履约→开工', '开工→投产', '投产→达效']);
      await expect(textOf(page.getByTestId('phase-table'))).resolves.toMatch(/已逾期 \d+ 天未完成/);
      await page.evaluate(() => window.scrollTo(0, 0)); // the sticky header stays on top of a full-page shot
      await screenshot(page, 'projects-detail-gantt', true);

      // Advance 已履约 → 已开工 (today), after the confirmation; the red warning goes away.
      await expect(textOf(page.getByTestId('stage-tag').first())).resolves.toBe('已履约');
      await page.getByTestId('advance-submit').click();
      await page.locator('.ant-modal-confirm').waitFor();
      await expect(textOf(page.locator('.ant-modal-confirm'))).resolves.toContain('已开工');
      await page.locator('.ant-modal-confirm .ant-btn-primary').click();
      await page.getByText('已推进到「已开工」').waitFor();
      await expect.poll(() => textOf(page.getByTestId('stage-tag').first())).toBe('已开工');
      await expect(
        page.getByTestId('detail-facts').getByTestId('warning-tag').getAttribute('data-warning'),
      ).resolves.toBe('none');

      // Record this month's investment; the annual table picks it up.
      await page
        .locator('input[data-testid="investment-amount"], [data-testid="investment-amount"] input')
        .first()
        .fill('1234.5');
      await page.getByTestId('investment-submit').click();
      await page.getByText('月度投资已保存').waitFor();
      const year = new Date().getFullYear();
      await expect
        .poll(() => textOf(page.getByTestId('annual-plans')))
        .toMatch(new RegExp(`${year}[\\s\\S]*1,234\\.5 万元`));

      // A project that went all the way (尊绅光电, seed 003): four actual bars, monthly investment drawn.
      await page.goto(`${server.baseUrl}/projects/list?q=${encodeURIComponent('尊绅光电')}`);
      await tableSettled(page);
      await expect.poll(() => rows.count()).toBe(1);
      await rows.first().locator('td').nth(0).click();
      await page.getByTestId('gantt-chart').locator('canvas').first().waitFor();
      await expect(textOf(page.getByTestId('detail-facts'))).resolves.toContain('已达效');
      await expect(textOf(page.getByTestId('phase-table'))).resolves.not.toContain('已逾期');
      const investment = page.getByTestId('investment-chart').locator('canvas').first();
      await investment.waitFor();
      expect((await investment.boundingBox())?.height ?? 0).toBeGreaterThan(150);
      await page.getByTestId('advance-done').waitFor();
      await screenshot(page, 'projects-detail-effective', true);

      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows a district admin only the district's projects", async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/projects/list`);
      await tableSettled(page);
      const rows = page.getByTestId('project-row');
      await rows.first().waitFor();
      const regions = (await page.getByTestId('project-region').allTextContents()).map((s) => s.trim());
      expect(regions.length).toBeGreaterThan(0);
      expect(new Set(regions)).toEqual(new Set(['惠济区']));
      const all = (await (await page.request.get(`${server.baseUrl}/api/v1/projects?pageSize=200`)).json()) as ApiPage<{
        regionName: string;
      }>;
      expect(all.total).toBeLessThan(403);
      expect(new Set(all.items.map((p) => p.regionName))).toEqual(new Set(['惠济区']));
      await expect(textOf(page.locator('.ant-pagination-total-text'))).resolves.toBe(`共 ${all.total} 条`);

      // The board has no district selector for a single district.
      await page.goto(`${server.baseUrl}/projects`);
      await page.getByTestId('kpi-signed-count').waitFor();
      expect(await page.getByTestId('region-select').count()).toBe(0);
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('phone width', () => {
  it('stacks the board columns at 375 px without horizontal scrolling', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 375, height: 812 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/projects?batch=4`);
      await page.getByTestId('kpi-producing-effectiveRate').waitFor();
      await page.getByTestId('board-column-produce').getByTestId('board-project').first().waitFor();
      const sign = await page.getByTestId('board-column-sign').boundingBox();
      const start = await page.getByTestId('board-column-start').boundingBox();
      expect(sign && start).toBeTruthy();
      expect(start!.y).toBeGreaterThan(sign!.y + sign!.height - 1);
      expect(sign!.width).toBeLessThanOrEqual(375);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'projects-phone');

      // The detail page too: the Gantt fits the screen.
      await page.getByTestId('board-column-sign').getByTestId('board-project').first().click();
      await page.getByTestId('gantt-chart').locator('canvas').first().waitFor();
      const chart = await page.getByTestId('gantt-chart').boundingBox();
      expect(chart!.width).toBeLessThanOrEqual(375);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'projects-phone-detail', true);

      // The list: the table scrolls inside its card, the page does not.
      await page.goto(`${server.baseUrl}/projects/list`);
      await tableSettled(page);
      await page.getByTestId('project-row').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
