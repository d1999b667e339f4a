/**
 * Every demo user: logs in through the form, sees exactly the menu its role allows, lands on its own first page,
 * keeps no token in browser storage, and gets the 403 page for a path it may not open.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, logout, menuLabels, newPage, screenshot, textOf } from './helpers/browser.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const PARKS_MENU = ['小微企业园', '挂图作战', '周报月报', '园区投资'];
const PROJECTS_MENU = ['三个一批', '项目清单'];
const POLICIES_ADMIN_MENU = ['政策库', '政策沙盘', '兑现管理', '申报审核'];
const ASSISTANCE_ADMIN_MENU = ['助企成效', '诉求办理', '共性问题', '走访记录', '工作组与包联', '设置'];
const BUSINESS_ADMIN_MENU = [
  '驾驶舱',
  '工作台',
  ...PARKS_MENU,
  ...PROJECTS_MENU,
  '企业名录',
  '数据核实',
  '数据质量',
  ...POLICIES_ADMIN_MENU,
  ...ASSISTANCE_ADMIN_MENU,
  '梯度培育',
  '目标任务',
  '计算工具',
  '报表中心',
  '行政区划',
  '组织机构',
  '任务中心',
  '消息通知',
  '通知渠道',
];

interface Expectation {
  username: string;
  roleLabel: string;
  menu: string[];
  landing: string;
  /** A path this user may not open. */
  forbidden: string;
  /** Text the scope shows on the workbench (business users only). */
  scope?: string;
}

const USERS: Expectation[] = [
  {
    username: 'city.admin',
    roleLabel: '市级管理员',
    menu: BUSINESS_ADMIN_MENU,
    landing: '/cockpit',
    forbidden: '/users',
    scope: '郑州市',
  },
  {
    username: 'huiji.admin',
    roleLabel: '区县管理员',
    menu: BUSINESS_ADMIN_MENU,
    landing: '/cockpit',
    forbidden: '/audit',
    scope: '惠济区',
  },
  {
    username: 'erqi.admin',
    roleLabel: '区县管理员',
    menu: BUSINESS_ADMIN_MENU,
    landing: '/cockpit',
    forbidden: '/security',
    scope: '二七区',
  },
  {
    username: 'fuyang.admin',
    roleLabel: '区县管理员',
    menu: BUSINESS_ADMIN_MENU,
    landing: '/cockpit',
    forbidden: '/system',
    scope: '富阳区',
  },
  {
    username: 'dept.handler',
    roleLabel: '部门办理人',
    menu: [
      '工作台',
      ...PROJECTS_MENU,
      '政策库',
      '兑现管理',
      '申报审核',
      '助企成效',
      '诉求办理',
      '共性问题',
      '计算工具',
      '行政区划',
      '消息通知',
    ],
    landing: '/',
    forbidden: '/orgs',
  },
  {
    username: 'cadre',
    roleLabel: '助企干部',
    menu: ['工作台', '政策库', '我的包联企业', '走访记录', '代提诉求', '计算工具', '行政区划', '消息通知'],
    landing: '/',
    forbidden: '/jobs',
  },
  {
    username: 'park.operator',
    roleLabel: '园区运营方',
    menu: ['工作台', ...PARKS_MENU, '企业名录', '数据核实', '数据质量', '政策库', '计算工具', '行政区划', '消息通知'],
    landing: '/',
    forbidden: '/orgs',
  },
  {
    username: 'enterprise',
    roleLabel: '企业用户',
    menu: ['工作台', '企业名录', '我的政策', '我的诉求', '梯度自评', '计算工具', '行政区划', '消息通知'],
    landing: '/',
    forbidden: '/orgs',
  },
  {
    username: 'auditor',
    roleLabel: '审计管理员',
    menu: ['审计日志', '任务中心', '消息通知'],
    landing: '/audit',
    forbidden: '/orgs',
  },
  {
    username: 'security.admin',
    roleLabel: '安全管理员',
    menu: ['行政区划', '组织机构', '用户管理', '安全设置', '消息通知'],
    landing: '/security',
    forbidden: '/audit',
  },
  {
    username: 'system.admin',
    roleLabel: '系统管理员',
    menu: ['行政区划', '组织机构', '用户管理', '任务中心', '系统信息', '消息通知', '通知渠道'],
    landing: '/users',
    forbidden: '/audit',
  },
];

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

describe('demo users and their menus', () => {
  for (const u of USERS) {
    it(`${u.username}: menu, landing page, role, storage, 403`, async () => {
      const { context, page, problems } = await newPage(browser, server.baseUrl);
      try {
        await page.goto(`${server.baseUrl}/`);
        // Not signed in: the app sends us to the login page (without the "expired" notice).
        await page.waitForURL((url) => url.pathname === '/login');
        await expect(page.getByTestId('expired-notice').count()).resolves.toBe(0);

        await login(page, server.baseUrl, u.username);
        await page.waitForURL((url) => url.pathname === u.landing);
        expect(await menuLabels(page)).toEqual(u.menu);

        // Role (and for business users the scope) in the user menu and on the workbench.
        await page.getByTestId('user-menu').click();
        await expect(textOf(page.getByTestId('user-info'))).resolves.toContain(u.roleLabel);
        await page.keyboard.press('Escape');
        if (u.landing === '/cockpit') {
          // city and district officials land on the cockpit of their own region (issue #21); the workbench stays
          await page.getByTestId('tile-parks.monitored').waitFor();
          if (u.scope) await expect(textOf(page.getByTestId('cockpit-title'))).resolves.toContain(u.scope);
          await page.getByRole('menuitem', { name: '工作台' }).click();
          await page.waitForURL((url) => url.pathname === '/');
        }
        if (u.landing === '/' || u.landing === '/cockpit') {
          const welcome = page.getByTestId('welcome-card');
          await expect(textOf(welcome)).resolves.toContain(u.roleLabel);
          if (u.scope) await expect(textOf(page.getByTestId('scope'))).resolves.toContain(u.scope);
        }

        // No session token in browser storage; only the language choice may be stored.
        const cookies = await context.cookies();
        const sid = cookies.find((c) => c.name === 'miaopu_sid');
        expect(sid?.httpOnly).toBe(true);
        const storage = await page.evaluate(() => ({
          local: Object.entries(localStorage),
          session: Object.entries(sessionStorage),
          cookie: document.cookie,
        }));
        expect(storage.local.map(([k]) => k).filter((k) => k !== 'miaopu.lang')).toEqual([]);
        expect(storage.session).toEqual([]);
        const stored = JSON.stringify([...storage.local, ...storage.session]);
        expect(sid?.value).toBeTruthy();
        expect(stored).not.toContain(sid?.value ?? '<none>');
        expect(storage.cookie).not.toContain('miaopu_sid');

        // A path outside the role: the 403 page, and the menu still lacks it.
        await page.goto(`${server.baseUrl}${u.forbidden}`);
        await page.getByText('403', { exact: true }).waitFor();
        await page.getByText('抱歉，您没有权限访问此页面。').waitFor();
        expect(await menuLabels(page)).toEqual(u.menu);
        if (u.username === 'auditor') await screenshot(page, 'forbidden-zh-CN');

        await logout(page);
        await page.getByTestId('login-submit').waitFor();
        expect(problems.errors).toEqual([]);
        expect(problems.external).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
