import { RiseOutlined } from '@ant-design/icons';
import { lazy } from 'react';
import type { AppRoute } from '../../app/routes.tsx';

/**
 * 梯度培育 (issue #20): officials (enterprises:manage — city and district admins) get the module page; firms
 * (policies:apply — the enterprise role only) get 梯度自评, the self-assessment.
 */
export const CULTIVATION_ROUTES: readonly AppRoute[] = [
  {
    path: '/cultivation',
    labelKey: 'cultivation.nav',
    icon: <RiseOutlined />,
    permission: 'enterprises:manage',
    component: lazy(() => import('./CultivationPage')),
    menu: true,
  },
  {
    path: '/cultivation/self-assessment',
    labelKey: 'cultivation.navSelf',
    icon: <RiseOutlined />,
    permission: 'policies:apply',
    component: lazy(() => import('./SelfAssessmentPage')),
    menu: true,
  },
  {
    path: '/cultivation/enterprises/:id',
    labelKey: 'cultivation.card.title',
    permission: 'enterprises:read',
    component: lazy(() => import('./TierCardPage')),
    menu: false,
  },
];
