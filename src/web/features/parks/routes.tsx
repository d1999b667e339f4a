import { BankOutlined, EnvironmentOutlined, FileDoneOutlined, FundOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const PARK_ROUTES: readonly AppRoute[] = [
  {
    path: '/parks',
    labelKey: 'parks.nav.list',
    icon: <BankOutlined />,
    permission: 'parks:read',
    component: lazy(() => import('./ParkListPage')),
    menu: true,
  },
  {
    path: '/parks/map',
    labelKey: 'parks.nav.map',
    icon: <EnvironmentOutlined />,
    permission: 'parks:read',
    component: lazy(() => import('./ParkMapPage')),
    menu: true,
  },
  {
    path: '/parks/reports',
    labelKey: 'parks.nav.reports',
    icon: <FileDoneOutlined />,
    permission: 'parks:read',
    component: lazy(() => import('./ReportSummaryPage')),
    menu: true,
  },
  {
    path: '/parks/investment',
    labelKey: 'parks.nav.investment',
    icon: <FundOutlined />,
    permission: 'parks:read',
    component: lazy(() => import('./InvestmentPage')),
    menu: true,
  },
  {
    path: '/parks/:id',
    labelKey: 'parks.nav.detail',
    permission: 'parks:read',
    component: lazy(() => import('./ParkDetailPage')),
    menu: false,
  },
];
