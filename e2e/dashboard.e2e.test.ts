/**
 * Cockpit (驾驶舱, issue #21) in the browser: city.admin lands on the cockpit of 郑州市; on 2022-06-09 the parks tiles
 * read 142 parks, 2.6万亩, 3,500万m² and 5,100 firms (seed 003); a tile's provenance shows as-of, source and how; a
 * tile drills down to its list; the map, rankings with n, alerts and target progress are there; English; a district
 * admin sees only their district; the big screen at 1920×1080 has no scrollbars and refreshes itself; 390 px works.
 * Screenshots in test-results/.
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

const value = (page: Page, key: string) => textOf(page.getByTestId(`value-${key}`));
const overflow = (page: Page) =>
  page.evaluate(() => ({
    w: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
    h: Math.max(document.documentElement.scrollHeight, document.body.scrollHeight),
    vw: window.innerWidth,
    vh: window.innerHeight,
  }));

describe('the cockpit', () => {
  it('city.admin: lands on it; 2022-06-09 reads 142 / 2.6万亩 / 3,500万m² / 5,100; provenance, drill-down, map, rankings', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 1440, height: 900 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.waitForURL((u) => u.pathname === '/cockpit');
      await expect(textOf(page.getByTestId('cockpit-title'))).resolves.toContain('郑州市');
      await page.getByTestId('tile-parks.monitored').waitFor();

      // look back to the day of seed 003 with the date picker
      await page.getByTestId('cockpit-asof').click();
      await page.locator('.ant-picker-input input').fill('2022-06-09');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.searchParams.get('asOf') === '2022-06-09');
      await page.waitForFunction(() =>
        document.querySelector('[data-testid="cockpit-asof-text"]')?.textContent?.includes('2022-06-09'),
      );
      await page.waitForFunction(
        () => document.querySelector('[data-testid="value-parks.monitored"]')?.textContent === '142',
      );
      await expect(value(page, 'parks.landMu')).resolves.toBe('2.6');
      await expect(textOf(page.getByTestId('tile-parks.landMu'))).resolves.toContain('万亩');
      await expect(value(page, 'parks.floorAreaM2')).resolves.toBe('3,500');
      await expect(textOf(page.getByTestId('tile-parks.floorAreaM2'))).resolves.toContain('万m²');
      await expect(value(page, 'parks.firms')).resolves.toBe('5,100');
      await expect(value(page, 'projects.total')).resolves.toBe('403');

      // the same figures as the parks endpoint (the browser's own session)
      const stats = await (
        await page.request.get(`${server.baseUrl}/api/v1/parks/stats?region=410100&asOf=2022-06-09`)
      ).json();
      expect(stats.firms).toBe(5100);

      // provenance: as-of, source, how
      await page.getByTestId('prov-parks.firms').hover();
      const pop = page.locator('.ant-popover:visible');
      await pop.waitFor();
      const prov = await textOf(pop);
      expect(prov).toContain('数据截至');
      expect(prov).toContain('2022-06-09');
      expect(prov).toContain('企业库');
      expect(prov).toContain('租约');
      await screenshot(page, 'cockpit-provenance-zh-CN');
      await page.mouse.move(5, 5);

      // target progress (≥110亿元 in 2022, seeds 000/003), alerts, rankings with n, the offline map
      await page.getByTestId('target-parks.investmentWan').first().waitFor();
      await expect(textOf(page.getByTestId('target-parks.investmentWan').first())).resolves.toContain('时序进度');
      await page.getByTestId('alert-overdueMilestones').waitFor();
      const ranking = page.getByTestId('ranking-parks.firms');
      await ranking.locator('tbody tr.ant-table-row').first().waitFor();
      await expect(textOf(ranking.locator('thead'))).resolves.toContain('样本 n');
      await page.locator('[data-testid="cockpit-map"] svg path').first().waitFor();
      expect(await page.locator('[data-testid="cockpit-map"] svg path').count()).toBeGreaterThan(12);
      await screenshot(page, 'cockpit-zh-CN', true);

      // a tile drills down to its list
      await page.getByTestId('tile-parks.overdue').getByRole('link').click();
      await page.waitForURL((u) => u.pathname === '/parks' && u.searchParams.get('overdue') === 'true');

      // English
      await page.goto(`${server.baseUrl}/cockpit?asOf=2022-06-09`);
      await page.getByTestId('lang-switch').click();
      await page.getByText('Firms in parks').first().waitFor();
      await expect(value(page, 'parks.firms')).resolves.toBe('5,100');
      await page.getByTestId('prov-parks.monitored').hover();
      await page.locator('.ant-popover:visible').getByText('Parks under key monitoring').waitFor();
      await page.mouse.move(5, 5);
      await screenshot(page, 'cockpit-en', true);
      await page.getByTestId('lang-switch').click();
      await page.getByText('入园企业').first().waitFor();
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('huiji.admin: only 惠济区, its 专精特新 target, and 403 for another region', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'huiji.admin');
      await page.waitForURL((u) => u.pathname === '/cockpit');
      await page.goto(`${server.baseUrl}/cockpit?asOf=2022-12-31`);
      await expect(textOf(page.getByTestId('cockpit-title'))).resolves.toContain('惠济区');
      await page.getByTestId('tile-parks.monitored').waitFor();
      const mine = await (
        await page.request.get(`${server.baseUrl}/api/v1/parks/stats?region=410108&asOf=2022-12-31`)
      ).json();
      await expect(value(page, 'parks.monitored')).resolves.toBe(String(mine.monitoredParks));
      // 8 new 专精特新 in 2022 (seed 001): 15 reached, 187.5%
      await expect(value(page, 'firms.srdiNew')).resolves.toBe('15');
      await expect(textOf(page.getByTestId('target-firms.srdiNew').first())).resolves.toContain('187.5%');
      // the region picker offers 惠济区 and the units below it, never another district
      await page.getByTestId('cockpit-region').click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await options.first().waitFor();
      const names = await options.allTextContents();
      expect(names[0]).toBe('惠济区');
      expect(names).not.toContain('二七区');
      expect(names).not.toContain('郑州市');
      await page.keyboard.press('Escape');
      const other = await page.request.get(`${server.baseUrl}/api/v1/dashboard/summary?region=410103`);
      expect(other.status()).toBe(403);
      expect((await other.json()).error.code).toBe('REGION_OUT_OF_SCOPE');
      await page.goto(`${server.baseUrl}/cockpit?region=410103`);
      await page.getByText('不在您的管辖范围内').first().waitFor();
      await page.goto(`${server.baseUrl}/cockpit?asOf=2022-12-31`);
      await page.getByTestId('tile-parks.monitored').waitFor();
      await screenshot(page, 'cockpit-district-zh-CN', true);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('targets page: the city sets a district target and sees its progress', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.goto(`${server.baseUrl}/targets`);
      await page.getByTestId('targets-table').locator('tbody tr').first().waitFor();
      await page.getByTestId('progress-410108-firms.srdiNew').waitFor();
      await expect(textOf(page.getByTestId('progress-410108-firms.srdiNew'))).resolves.toContain('187.5%');
      await screenshot(page, 'targets-zh-CN');
    } finally {
      await context.close();
    }
  });
});

describe('big screen (大屏) at 1920×1080', () => {
  it('fills the screen without scrollbars and refreshes itself', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 1920, height: 1080 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.waitForURL((u) => u.pathname === '/cockpit');
      await page.goto(`${server.baseUrl}/dashboard/screen?asOf=2022-06-09&refresh=10`);
      await page.getByTestId('big-screen').waitFor();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="value-parks.firms"]')?.textContent === '5,100',
      );
      await page.locator('[data-testid="cockpit-map"] svg path').first().waitFor();
      await page.getByTestId('screen-ranking').waitFor();
      const o = await overflow(page);
      expect(o.vw).toBe(1920);
      expect(o.vh).toBe(1080);
      expect(o.w).toBeLessThanOrEqual(1920);
      expect(o.h).toBeLessThanOrEqual(1080);
      // every panel's content fits: nothing is cut off at the bottom of the screen
      const bottom = await page.evaluate(() =>
        Math.max(
          ...[...document.querySelectorAll('[data-testid^="tile-"]')].map((e) => e.getBoundingClientRect().bottom),
        ),
      );
      expect(bottom).toBeLessThanOrEqual(1080);
      await screenshot(page, 'big-screen-1920x1080');
      // it refreshes itself: a new summary request without any user action
      const again = await page.waitForRequest((r) => r.url().includes('/api/v1/dashboard/summary'), {
        timeout: 30_000,
      });
      expect(again.url()).toContain('asOf=2022-06-09');
      expect(problems.errors).toEqual([]);
      expect(problems.external).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('phone width (390 px)', () => {
  it('the cockpit fits without horizontal scrolling', async () => {
    const { context, page, problems } = await newPage(browser, server.baseUrl, { width: 390, height: 844 });
    try {
      await login(page, server.baseUrl, 'city.admin');
      await page.waitForURL((u) => u.pathname === '/cockpit');
      await page.goto(`${server.baseUrl}/cockpit?asOf=2022-06-09`);
      await page.waitForFunction(
        () => document.querySelector('[data-testid="value-parks.firms"]')?.textContent === '5,100',
      );
      await page.locator('[data-testid="cockpit-map"] svg path').first().waitFor();
      const o = await overflow(page);
      expect(o.w).toBeLessThanOrEqual(390);
      // the provenance opens on tap
      await page.getByTestId('prov-parks.firms').click();
      await page.locator('.ant-popover:visible').getByText('数据截至').waitFor();
      await screenshot(page, 'cockpit-phone-390');
      await page.mouse.click(5, 5);
      await screenshot(page, 'cockpit-phone-390-full', true);
      expect(problems.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
