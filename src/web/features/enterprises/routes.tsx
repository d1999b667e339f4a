import { AlertOutlined, SafetyCertificateOutlined, ShopOutlined } from '@ant-design/icons';
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
    /** 数据核实: self-reported figures against the official ones (issue #15). */
    path: '/enterprises/verification',
    labelKey: 'enterprises.nav.verification',
    icon: <SafetyCertificateOutlined />,
    permission: 'enterprises:verify',
    component: lazy(() => import('./VerificationPage')),
    menu: true,
  },
  {
    /** 数据质量: plausibility problems of the yearly figures (an enterprise sees its own on the Indicators tab). */
    path: '/enterprises/data-quality',
    labelKey: 'enterprises.nav.dataQuality',
    icon: <AlertOutlined />,
    permission: 'enterprises:read',
    component: lazy(() => import('./DataQualityPage')),
    menu: true,
    menuUnless: 'policies:apply',
  },
  {
    path: '/enterprises/:id',
    labelKey: 'enterprises.nav.detail',
    permission: 'enterprises:read',
    component: lazy(() => import('./DetailPage')),
    menu: false,
  },
];
