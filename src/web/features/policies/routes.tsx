import { AuditOutlined, BookOutlined, ExperimentOutlined, GiftOutlined, MoneyCollectOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

const GROUP = 'policies.nav.group';

/**
 * This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). Officials see the group
 * 政策库 / 政策沙盘 / 兑现管理 / 申报审核 by permission; an enterprise sees 我的政策 (the library stays reachable from it).
 */
export const POLICY_ROUTES: readonly AppRoute[] = [
  {
    path: '/policies',
    labelKey: 'policies.nav.library',
    icon: <BookOutlined />,
    permission: 'policies:read',
    component: lazy(() => import('./ListPage')),
    menu: true,
    menuGroup: GROUP,
    menuUnless: 'policies:apply',
  },
  {
    path: '/policies/sandbox',
    labelKey: 'policies.nav.sandbox',
    icon: <ExperimentOutlined />,
    permission: 'policies:manage',
    component: lazy(() => import('./SandboxPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/policies/payouts',
    labelKey: 'policies.nav.payouts',
    icon: <MoneyCollectOutlined />,
    permission: 'policies:payout',
    component: lazy(() => import('./PayoutsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/policies/applications',
    labelKey: 'policies.nav.applications',
    icon: <AuditOutlined />,
    permission: 'policies:review',
    component: lazy(() => import('./ApplicationsPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/my/policies',
    labelKey: 'policies.nav.my',
    icon: <GiftOutlined />,
    permission: 'policies:apply',
    component: lazy(() => import('./MyPoliciesPage')),
    menu: true,
    menuGroup: GROUP,
  },
  {
    path: '/policies/new',
    labelKey: 'policies.nav.new',
    permission: 'policies:manage',
    component: lazy(() => import('./EditorPage')),
    menu: false,
  },
  {
    path: '/policies/:id/edit',
    labelKey: 'policies.nav.edit',
    permission: 'policies:manage',
    component: lazy(() => import('./EditorPage')),
    menu: false,
  },
  {
    path: '/policies/payouts/batches/:id',
    labelKey: 'policies.nav.batch',
    permission: 'policies:payout',
    component: lazy(() => import('./PayoutBatchPage')),
    menu: false,
  },
  {
    path: '/policies/:id',
    labelKey: 'policies.nav.detail',
    permission: 'policies:read',
    component: lazy(() => import('./DetailPage')),
    menu: false,
  },
];
