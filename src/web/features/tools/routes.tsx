import { CalculatorOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/**
 * This module's entry of the route table (spread into APP_ROUTES in app/routes.tsx). `dashboard:view` is the
 * permission every business role holds (officials, departments, cadres, park operators, enterprises) and the three
 * administrative roles lack. Without login the same page is /p/tools (publicRoutes.tsx).
 */
export const TOOL_ROUTES: readonly AppRoute[] = [
  {
    path: '/tools',
    labelKey: 'tools.nav',
    icon: <CalculatorOutlined />,
    permission: 'dashboard:view',
    component: lazy(() => import('./ToolsPage')),
    menu: true,
  },
];
