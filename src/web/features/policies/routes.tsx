import { AuditOutlined, BookOutlined, ExperimentOutlined, GiftOutlined, MoneyCollectOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const POLICY_ROUTES: readonly AppRoute[] = [
  {
    path: '/policies',
    labelKey: 'policies.nav.library',
    icon: <BookOutlined />,
    permission: 'policies:read',
    component: lazy(() => import('./ListPage')),
    menu: true,
  },
  {
    path: '/policies/sandbox',
    labelKey: 'policies.nav.sandbox',
    icon: <ExperimentOutlined />,
    permission: 'policies:manage',
    component: lazy(() => import('./SandboxPage')),
    menu: true,
  },
  {
    path: '/policies/payouts',
    labelKey: 'policies.nav.payouts',
    icon: <MoneyCollectOutlined />,
    permission: 'policies:payout',
    component: lazy(() => import('./PayoutsPage')),
    menu: true,
  },
  {
    path: '/policies/applications',
    labelKey: 'policies.nav.applications',
    icon: <AuditOutlined />,
    permission: 'policies:review',
    component: lazy(() => import('./ApplicationsPage')),
    menu: true,
  },
  {
    path: '/my/policies',
    labelKey: 'policies.nav.my',
    icon: <GiftOutlined />,
    permission: 'policies:apply',
    component: lazy(() => import('./MyPoliciesPage')),
    menu: true,
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
    path: '/policies/payout-batches/:id',
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
