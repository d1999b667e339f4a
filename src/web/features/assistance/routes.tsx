import {
  CarOutlined,
  ClusterOutlined,
  CustomerServiceOutlined,
  FormOutlined,
  LineChartOutlined,
  MessageOutlined,
  SettingOutlined,
  ShopOutlined,
  SolutionOutlined,
  UsergroupAddOutlined,
} from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

const GROUP = 'assistance.nav.group';

/**
 * 万人助万企 (issue #6). Officials see the group 助企成效 / 诉求办理 / 走访记录 / 工作组与包联 / 设置 by permission; an
 * enterprise sees 我的诉求; a cadre (who visits but does not manage) sees 我的包联企业 / 走访记录 / 代提诉求.
 */
export const ASSISTANCE_ROUTES: readonly AppRoute[] = [
  {
    path: '/assistance',
    labelKey: 'assistance.nav.dashboard',
    icon: <LineChartOutlined />,
    permission: 'assistance:handle',
    component: lazy(() => import('./DashboardPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/problems',
    labelKey: 'assistance.nav.problems',
    icon: <CustomerServiceOutlined />,
    permission: 'assistance:handle',
    component: lazy(() => import('./ProblemsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/common-issues',
    labelKey: 'assistance.nav.common',
    icon: <ClusterOutlined />,
    permission: 'assistance:handle',
    component: lazy(() => import('./CommonIssuesPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/common-issues/:id',
    labelKey: 'assistance.nav.common',
    permission: 'assistance:read',
    component: lazy(() => import('./CommonIssuesPage').then((m) => ({ default: m.CommonIssueDetailPage }))),
    menu: false,
  },
  {
    path: '/assistance/mine',
    labelKey: 'assistance.nav.mine',
    icon: <MessageOutlined />,
    permission: 'assistance:submit',
    component: lazy(() => import('./MyProblemsPage')),
    menu: true,
    menuGroup: GROUP,
    menuUnless: 'assistance:visit',
  },
  {
    path: '/assistance/paired',
    labelKey: 'assistance.nav.paired',
    icon: <ShopOutlined />,
    permission: 'assistance:visit',
    component: lazy(() => import('./PairedPage')),
    menu: true,
    menuGroup: GROUP,
    menuUnless: 'assistance:manage',
  },
  {
    path: '/assistance/visits',
    labelKey: 'assistance.nav.visits',
    icon: <CarOutlined />,
    permission: 'assistance:visit',
    component: lazy(() => import('./VisitsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/on-behalf',
    labelKey: 'assistance.nav.onBehalf',
    icon: <FormOutlined />,
    permission: 'assistance:visit',
    component: lazy(() => import('./MyProblemsPage')),
    menu: true,
    menuGroup: GROUP,
    menuUnless: 'assistance:manage',
  },
  {
    path: '/assistance/groups',
    labelKey: 'assistance.nav.groups',
    icon: <UsergroupAddOutlined />,
    permission: 'assistance:manage',
    component: lazy(() => import('./GroupsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/settings',
    labelKey: 'assistance.nav.settings',
    icon: <SettingOutlined />,
    permission: 'assistance:manage',
    component: lazy(() => import('./SettingsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/assistance/submit',
    labelKey: 'assistance.nav.submit',
    icon: <SolutionOutlined />,
    permission: 'assistance:submit',
    component: lazy(() => import('./SubmitPage')),
    menu: false,
  },
  {
    path: '/assistance/problems/:id',
    labelKey: 'assistance.nav.detail',
    permission: 'assistance:read',
    component: lazy(() => import('./ProblemDetailPage')),
    menu: false,
  },
];
