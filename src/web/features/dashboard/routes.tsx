import { AimOutlined, FundProjectionScreenOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** The cockpit's entries of the route table (the big screen sits outside the shell: app/router.tsx). */
export const DASHBOARD_ROUTES: readonly AppRoute[] = [
  {
    path: '/cockpit',
    labelKey: 'cockpit.nav.cockpit',
    icon: <FundProjectionScreenOutlined />,
    permission: 'dashboard:cockpit',
    component: lazy(() => import('./CockpitPage')),
    menu: true,
  },
];

/** 目标任务 (menu entry after the business modules). */
export const TARGET_ROUTES: readonly AppRoute[] = [
  {
    path: '/targets',
    labelKey: 'cockpit.nav.targets',
    icon: <AimOutlined />,
    permission: 'targets:read',
    component: lazy(() => import('./TargetsPage')),
    menu: true,
  },
];
