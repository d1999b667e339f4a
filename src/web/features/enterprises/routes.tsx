import { ShopOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const ENTERPRISE_ROUTES: readonly AppRoute[] = [
  {
    path: '/enterprises',
    labelKey: 'enterprises.nav.list',
    icon: <ShopOutlined />,
    permission: 'enterprises:read',
    component: lazy(() => import('./ListPage')),
    menu: true,
  },
  {
    path: '/enterprises/:id',
    labelKey: 'enterprises.nav.detail',
    permission: 'enterprises:read',
    component: lazy(() => import('./DetailPage')),
    menu: false,
  },
];
