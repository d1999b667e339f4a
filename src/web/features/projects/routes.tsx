import { FundProjectionScreenOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const PROJECT_ROUTES: readonly AppRoute[] = [
  {
    path: '/projects',
    labelKey: 'projects.nav.board',
    icon: <FundProjectionScreenOutlined />,
    permission: 'projects:read',
    component: lazy(() => import('./BoardPage')),
    menu: true,
  },
  {
    path: '/projects/list',
    labelKey: 'projects.nav.list',
    icon: <UnorderedListOutlined />,
    permission: 'projects:read',
    component: lazy(() => import('./ListPage')),
    menu: true,
  },
  {
    path: '/projects/:id',
    labelKey: 'projects.nav.detail',
    permission: 'projects:read',
    component: lazy(() => import('./DetailPage')),
    menu: false,
  },
];
