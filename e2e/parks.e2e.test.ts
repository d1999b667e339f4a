/**
 * The parks pages (issue #3): the offline map board (districts with Chinese names, points coloured by stage, a click
 * opens the park), the park's timeline, the list's server-side filters and stats strip, the import dialog's row
 * errors, a district admin's scope, English labels and the phone layout. Screenshots go to test-results/.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, type PageErrors, screenshot, textOf } from './helpers/browser.ts';
import { REPO_ROOT, startServer, type TestServer } from './helpers/server.ts';

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

const ZHENGZHOU_DISTRICTS = ['中原区', '二七区', '管城回族区', '金水区', '惠济区', '巩义市', '登封市', '中牟县'];
const OPERATING = '#1f7a4d';

function clean(problems: PageErrors) {
  expect(problems.errors).toEqual([]);
  expect(problems.external).toEqual([]);
}

/** Waits for the map's SVG with its district labels drawn. */
async function waitForMap(page: Page): Promise<void> {
  await page.locator('[data-testid="park-map"] svg').waitFor();
  await page.locator('[data-testid="park-map"] svg text', { hasText: '惠济区' }).first().waitFor();
}

/** The texts ECharts drew into the map (district names, legend). */
function mapTexts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="park-map"] svg text').allTextContents();
}

/**
 * Screen positions of the park points of one stage colour (the legend icon is smaller and left out): ECharts
 * renders the map as SVG, so every point is a path whose box we can read, then hover and click like a user.
 */
async function pointCentres(page: Page, fill: string): Promise<{ x: number; y: number }[]> {
  return page.evaluate((colour) => {
    const svg = document.querySelector('[data-testid="park-map"] svg');
    if (!svg) return [];
    return [...svg.querySelectorAll(`path[fill="${colour}"]`)]
      .map((p) => p.getBoundingClientRect())
      .filter((r) => r.width >= 6 && r.width <= 10.5 && r.height >= 6)
      .map((r) => ({ x: r.x + r.width / 2, y: r.y + r.height / 2 }));
  }, fill);
}

describe('parks map board', () => {
  it('draws the city offline, colours points by stage, and a click opens the park on its timeline', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '挂图作战' }).click();
      await page.waitForURL((u) => u.pathname === '/parks/map');
      await waitForMap(page);

      const texts = await mapTexts(page);
      for (const d of ZHENGZHOU_DISTRICTS) expect(texts).toContain(d);
      // legend: stages present in the demo data, and the overdue ring
      expect(texts).toEqual(expect.arrayContaining(['运营', '备案', '节点逾期']));
      await expect(textOf(page.getByTestId('map-total'))).resolves.toBe('142');
      await expect(textOf(page.getByTestId('map-overdue'))).resolves.toContain('节点逾期园区（2）');
      await expect(textOf(page.getByTestId('map-overdue'))).resolves.toContain('惠济区粤浦科技智造谷');
      await expect(textOf(page.getByTestId('map-zones-note'))).resolves.toContain('郑州高新技术产业开发区');

      const points = await pointCentres(page, OPERATING);
      expect(points.length).toBe(140);
      await screenshot(page, 'parks-map-zh-CN');

      // Hover points until one shows its tooltip (a point may sit under another), then click it.
      const tooltip = page.locator('.park-map-tooltip');
      let name = '';
      let clicked: { x: number; y: number } | null = null;
      for (const p of points.slice(0, 40)) {
        await page.mouse.move(p.x, p.y);
        try {
          await tooltip.waitFor({ state: 'visible', timeout: 1500 });
        } catch {
          continue;
        }
        const text = (await textOf(tooltip)).trim();
        if (text.includes('运营')) {
          name = text.split('\n')[0].trim();
          clicked = p;
          break;
        }
      }
      expect(name).not.toBe('');
      await page.mouse.click(clicked!.x, clicked!.y);
      await page.waitForURL((u) => /^\/parks\/[0-9a-f-]{36}$/.test(u.pathname));
      await expect(textOf(page.getByTestId('park-name'))).resolves.toBe(name);

      // The timeline is the default tab and lists the park's life.
      await expect(textOf(page.locator('.ant-tabs-tab-active'))).resolves.toBe('时间轴');
      await page.getByTestId('park-timeline').waitFor();
      expect(await page.getByTestId('timeline-item').count()).toBeGreaterThan(0);
      await expect(textOf(page.getByTestId('park-timeline'))).resolves.toMatch(/进入阶段|（完成）|（计划）|周报/);
      await expect(textOf(page.getByTestId('park-facts'))).resolves.toContain('园区编号');
      await screenshot(page, 'parks-detail-timeline', true);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('opens an overdue park from the side panel and shows its red nodes', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/parks/map`);
      await waitForMap(page);
      await page.getByTestId('map-overdue').getByRole('link', { name: '惠济区粤浦科技智造谷' }).click();
      await page.waitForURL((u) => /^\/parks\/[0-9a-f-]{36}$/.test(u.pathname));
      await page.getByTestId('overdue-tag').first().waitFor();
      await expect(textOf(page.getByTestId('park-timeline'))).resolves.toContain('逾期未完成');
      await page.getByRole('tab', { name: '节点计划' }).click();
      await page.getByTestId('park-milestones').waitFor();
      await expect(textOf(page.getByTestId('park-milestones'))).resolves.toContain('土地摘牌');
      expect(page.url()).toContain('tab=milestones');
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('parks list', () => {
  it('shows the stats strip and filters overdue parks on the server', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: '小微企业园' }).click();
      await page.waitForURL((u) => u.pathname === '/parks');
      await page.getByTestId('stat-monitored').waitFor();
      await expect(textOf(page.getByTestId('stat-monitored'))).resolves.toContain('监测园区');
      await expect(textOf(page.getByTestId('stat-monitored'))).resolves.toContain('142');
      await expect(textOf(page.getByTestId('stat-land'))).resolves.toContain('万亩');
      await expect(textOf(page.getByTestId('stat-floor'))).resolves.toContain('万m²');
      await expect(textOf(page.getByTestId('stat-investment'))).resolves.toContain('亿元');
      await page.locator('[data-testid="parks-table"] .ant-table-row').first().waitFor();
      await expect(textOf(page.locator('.ant-pagination-total-text'))).resolves.toContain('142');
      await screenshot(page, 'parks-list');

      const request = page.waitForRequest((r) => /\/api\/v1\/parks\?.*overdue=true/.test(r.url()));
      await page.getByTestId('filter-overdue').click();
      await page.locator('.ant-select-item-option', { hasText: '有逾期节点' }).click();
      await page.getByTestId('filter-submit').click();
      await request;
      await page.waitForURL((u) => u.searchParams.get('overdue') === 'true');
      await expect
        .poll(async () => page.locator('[data-testid="parks-table"] .ant-table-row').count(), { timeout: 10_000 })
        .toBe(2);
      const rows = page.locator('[data-testid="parks-table"] .ant-table-row');
      for (let i = 0; i < (await rows.count()); i++) {
        await expect(textOf(rows.nth(i).getByTestId('overdue-tag'))).resolves.toBe('节点逾期');
      }

      // The filter lives in the URL: a reload keeps it.
      await page.reload();
      await page.locator('[data-testid="parks-table"] .ant-table-row').first().waitFor();
      expect(await page.locator('[data-testid="parks-table"] .ant-table-row').count()).toBe(2);
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('exports, offers the template, and refuses a file with bad rows row by row, writing nothing', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/parks`);
      await page.locator('[data-testid="parks-table"] .ant-table-row').first().waitFor();

      // the filtered list exports to Excel, the template downloads
      const exported = page.waitForEvent('download');
      await page.getByTestId('export').click();
      expect((await exported).suggestedFilename()).toMatch(/^小微企业园-\d{4}-\d{2}-\d{2}\.xlsx$/);
      await page.getByTestId('import-open').click();
      const template = page.waitForEvent('download');
      await page.getByTestId('import-template').click();
      expect((await template).suggestedFilename()).toBe('小微企业园导入模板.xlsx');

      // written by LibreOffice, not by our code: one good row, three bad ones (test/fixtures/README.md)
      await page
        .locator('.ant-modal input[type="file"]')
        .setInputFiles(join(REPO_ROOT, 'test', 'fixtures', 'parks-libreoffice-bad.xlsx'));
      await page.getByTestId('import-submit').click();
      const errors = page.getByTestId('import-errors');
      await errors.waitFor();
      await expect(textOf(errors)).resolves.toContain('文件中有 3 处错误');
      await expect(textOf(errors)).resolves.toContain('本次导入未写入任何数据');
      const cells = await errors
        .locator('.ant-table-row')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].slice(1, 3).map((td) => td.textContent?.trim())),
        );
      expect(cells).toEqual([
        ['3', '所属区县(市)'],
        ['4', '占地面积(亩)'],
        ['5', '建设阶段'],
      ]);
      await page.getByRole('button', { name: '关 闭' }).click();

      // nothing was written, not even the good row: the search finds nothing and says so
      await page.locator('#parkFilters_q').fill('LO-01');
      await page.getByTestId('filter-submit').click();
      await page.getByText('没有符合筛选条件的园区').waitFor();
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('district scope', () => {
  it("huiji.admin's list and map hold only 惠济区's parks", async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.goto(`${server.baseUrl}/parks`);
      await page.locator('[data-testid="parks-table"] .ant-table-row').first().waitFor();
      const regions = await page.getByTestId('park-region').allTextContents();
      expect(regions.length).toBe(7);
      expect(new Set(regions)).toEqual(new Set(['惠济区']));
      await expect(textOf(page.getByTestId('stat-monitored'))).resolves.toContain('7');

      await page.goto(`${server.baseUrl}/parks/map`);
      await waitForMap(page);
      await expect(textOf(page.getByTestId('map-total'))).resolves.toBe('7');
      // every point on the map is one of the district's parks
      const drawn = await page.evaluate(() => {
        const svg = document.querySelector('[data-testid="park-map"] svg');
        return [...(svg?.querySelectorAll('path[transform]') ?? [])].filter((p) => {
          const r = p.getBoundingClientRect();
          return r.width >= 6 && r.width <= 10.5 && p.getAttribute('fill')?.startsWith('#');
        }).length;
      });
      expect(drawn).toBe(7);
      // the keyboard-friendly list of every park on the map
      await page.getByRole('button', { name: '全部园区（7）' }).click();
      const listed = page.getByTestId('map-park-list').getByRole('link');
      await listed.first().waitFor();
      expect(await listed.count()).toBe(7);
      for (const name of await listed.allTextContents()) expect(name).toMatch(/^惠济/);
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('park operator', () => {
  it('records a milestone date (after confirming) and submits a weekly report for its park', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'park.operator');
      await page.goto(`${server.baseUrl}/parks`);
      await page.locator('[data-testid="parks-table"] .ant-table-row').first().waitFor();
      // only the parks its company operates (all in 惠济区), and no import (that needs parks:manage)
      expect(await page.getByTestId('park-link').allTextContents()).toContain('惠济区粤浦科技智造谷');
      expect(new Set(await page.getByTestId('park-region').allTextContents())).toEqual(new Set(['惠济区']));
      await expect(page.getByTestId('import-open').count()).resolves.toBe(0);
      await page.getByTestId('park-link').filter({ hasText: '惠济区粤浦科技智造谷' }).click();
      await page.getByTestId('park-timeline').waitFor();

      await page.getByRole('tab', { name: '节点计划' }).click();
      await page.getByTestId('milestones-edit').click();
      const actual = page.getByLabel('土地摘牌 实际完成');
      await actual.click();
      await actual.fill('2023-03-01');
      await actual.press('Enter');
      // an operator's edits go out as a change request; actual dates alone apply at once (decision 0020)
      await page.getByTestId('milestones-save').click();
      const confirm = page.locator('.ant-modal-confirm');
      await confirm.waitFor();
      await expect(textOf(confirm)).resolves.toContain('将修改 1 个节点');
      await confirm.locator('.ant-btn-primary').click();
      await page.getByTestId('milestones-edit').waitFor();
      const row = page.getByTestId('park-milestones').locator('.ant-table-row', { hasText: '土地摘牌' });
      await expect.poll(() => textOf(row), { timeout: 10_000 }).toContain('延期完成');
      await expect(textOf(row)).resolves.toContain('2023-03-01');

      await page.getByRole('tab', { name: '周报月报' }).click();
      await page.getByTestId('report-new').click();
      await page.locator('#parkReport_investmentWan').fill('88');
      await page.locator('#parkReport_progress').fill('土地摘牌已完成，规划许可办理中。');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      // the last week may already have a report: then the page asks before replacing it
      const submitted = page.getByText('已报送', { exact: true });
      const replace = page.locator('.ant-modal-confirm .ant-btn-primary');
      const failed = page.locator('.ant-modal .ant-alert-error');
      await Promise.race([submitted.waitFor(), replace.waitFor(), failed.waitFor()]);
      if (await replace.isVisible()) await replace.click();
      await Promise.race([submitted.waitFor(), failed.waitFor()]);
      if (await failed.isVisible()) expect(await textOf(failed)).toBe('');
      await expect
        .poll(() => textOf(page.getByTestId('park-reports')), { timeout: 20_000 })
        .toContain('土地摘牌已完成，规划许可办理中。');
      clean(problems);
    } finally {
      await context.close();
    }
  });
});

describe('English and phone', () => {
  it('switches the parks pages to English', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/parks/map`);
      await waitForMap(page);
      await page.getByTestId('lang-switch').click();
      await page.getByRole('heading', { name: 'Map board' }).waitFor();
      await page.getByText('Parks by stage').waitFor();
      await page.locator('[data-testid="park-map"] svg text', { hasText: 'Operating' }).first().waitFor();
      const texts = await mapTexts(page);
      expect(texts).toEqual(expect.arrayContaining(['Operating', 'Filed', 'Overdue milestone', '中原区']));
      const menu = (await page.locator('[data-testid="sider"] .ant-menu-item').allTextContents()).map((s) => s.trim());
      expect(menu).toEqual(expect.arrayContaining(['Parks', 'Map board', 'Progress reports', 'Park investment']));
      await screenshot(page, 'parks-map-en');

      await page.locator('[data-testid="sider"] .ant-menu-item', { hasText: 'Parks' }).first().click();
      await page.waitForURL((u) => u.pathname === '/parks');
      await expect(textOf(page.getByTestId('stat-monitored'))).resolves.toContain('Monitored parks');
      await page.getByRole('columnheader', { name: 'Plot ratio' }).waitFor();
      clean(problems);
    } finally {
      await context.close();
    }
  });

  it('works at 375 px: map, side panel and no sideways scrolling', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 375, height: 812 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/parks/map`);
      await waitForMap(page);
      await page.getByTestId('map-by-stage').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const box = await page.getByTestId('park-map').boundingBox();
      expect(box?.width).toBeLessThanOrEqual(375);
      expect(box?.height).toBeGreaterThan(300);
      await screenshot(page, 'parks-phone');
      clean(problems);
    } finally {
      await context.close();
    }
  });
});
