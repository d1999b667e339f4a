import { FileTextOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** 报表中心 (issue #21): the archived 周报/月报 of the caller's regions, for city and district admins. */
export const REPORT_ROUTES: readonly AppRoute[] = [
  {
    path: '/reports',
    labelKey: 'reports.nav',
    icon: <FileTextOutlined />,
    permission: 'reports:read',
    component: lazy(() => import('./ReportsPage')),
    menu: true,
  },
];
