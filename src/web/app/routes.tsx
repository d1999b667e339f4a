import {
  AppstoreOutlined,
  AuditOutlined,
  BellOutlined,
  ClusterOutlined,
  DashboardOutlined,
  InfoCircleOutlined,
  NotificationOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import { matchPath } from 'react-router-dom';
import type { Permission } from '../../domain/access.ts';
import { ASSISTANCE_ROUTES } from '../features/assistance/routes.tsx';
import { CULTIVATION_ROUTES } from '../features/cultivation/routes.tsx';
import { DASHBOARD_ROUTES, TARGET_ROUTES } from '../features/dashboard/routes.tsx';
import { ENTERPRISE_ROUTES } from '../features/enterprises/routes.tsx';
import { PARK_ROUTES } from '../features/parks/routes.tsx';
import { POLICY_ROUTES } from '../features/policies/routes.tsx';
import { PROJECT_ROUTES } from '../features/projects/routes.tsx';
import { REPORT_ROUTES } from '../features/reports/routes.tsx';
import { TOOL_ROUTES } from '../features/tools/routes.tsx';

export interface AppRoute {
  /** Absolute path. */
  path: string;
  /** i18n key of the menu label and page title. */
  labelKey: string;
  icon?: ReactNode;
  /** Permission key from src/domain/access.ts needed to see the menu item and open the page. */
  permission: Permission;
  component: LazyExoticComponent<ComponentType>;
  /** Shown in the side menu. */
  menu: boolean;
  /** Users lacking the permission are sent to their landing page instead of the 403 page. */
  redirectWhenForbidden?: boolean;
  /** i18n key of a menu group title: consecutive items of one group are shown under it. */
  menuGroup?: string;
  /** Left out of the menu (the page stays reachable) for users holding this permission, e.g. 我的诉求 for officials. */
  menuUnless?: Permission;
}

/** The one route table: the router and the side menu are both built from it. */
export const APP_ROUTES: readonly AppRoute[] = [
  ...DASHBOARD_ROUTES,
  {
    path: '/',
    labelKey: 'nav.dashboard',
    icon: <DashboardOutlined />,
    permission: 'dashboard:view',
    component: lazy(() => import('../features/dashboard/WorkbenchPage')),
    menu: true,
    redirectWhenForbidden: true,
  },
  ...PARK_ROUTES,
  ...PROJECT_ROUTES,
  ...ENTERPRISE_ROUTES,
  ...POLICY_ROUTES,
  ...ASSISTANCE_ROUTES,
  ...CULTIVATION_ROUTES,
  ...TARGET_ROUTES,
  ...TOOL_ROUTES,
  ...REPORT_ROUTES,
  {
    path: '/regions',
    labelKey: 'nav.regions',
    icon: <ClusterOutlined />,
    permission: 'regions:read',
    component: lazy(() => import('../features/regions/RegionsPage')),
    menu: true,
  },
  {
    path: '/orgs',
    labelKey: 'nav.orgs',
    icon: <AppstoreOutlined />,
    permission: 'orgs:read',
    component: lazy(() => import('../features/orgs/OrgsPage')),
    menu: true,
  },
  {
    path: '/users',
    labelKey: 'nav.users',
    icon: <TeamOutlined />,
    permission: 'users:read',
    component: lazy(() => import('../features/users/UsersPage')),
    menu: true,
  },
  {
    path: '/audit',
    labelKey: 'nav.audit',
    icon: <AuditOutlined />,
    permission: 'audit:read',
    component: lazy(() => import('../features/audit/AuditPage')),
    menu: true,
  },
  {
    path: '/security',
    labelKey: 'nav.security',
    icon: <SafetyCertificateOutlined />,
    permission: 'security:manage',
    component: lazy(() => import('../features/security/SecuritySettingsPage')),
    menu: true,
  },
  {
    path: '/jobs',
    labelKey: 'nav.jobs',
    icon: <ScheduleOutlined />,
    permission: 'jobs:read',
    component: lazy(() => import('../features/jobs/JobsPage')),
    menu: true,
  },
  {
    path: '/system',
    labelKey: 'nav.system',
    icon: <InfoCircleOutlined />,
    permission: 'system:manage',
    component: lazy(() => import('../features/system/SystemInfoPage')),
    menu: true,
  },
  {
    path: '/notifications',
    labelKey: 'nav.notifications',
    icon: <BellOutlined />,
    permission: 'notifications:read',
    component: lazy(() => import('../features/notifications/NotificationsPage')),
    menu: true,
  },
  {
    path: '/notification-channels',
    labelKey: 'channels.admin.nav',
    icon: <NotificationOutlined />,
    permission: 'notifications:deliveries',
    component: lazy(() => import('../features/notifications/ChannelsPage')),
    menu: true,
  },
  {
    path: '/profile/notifications',
    labelKey: 'channels.prefs.menu',
    permission: 'notifications:read',
    component: lazy(() => import('../features/notifications/PreferencesPage')),
    menu: false,
  },
  {
    path: '/profile/password',
    labelKey: 'nav.password',
    permission: 'profile:self',
    component: lazy(() => import('../features/auth/ChangePasswordPage')),
    menu: false,
  },
  {
    path: '/profile/totp',
    labelKey: 'identity.totp.menu',
    permission: 'profile:self',
    component: lazy(() => import('../features/security/TotpPage')),
    menu: false,
  },
];

/**
 * Where a user lands after login, in order of preference: the cockpit for city and district officials (issue #21);
 * the workbench for the other business roles; the audit log, the security settings or the user list for the three
 * administrative roles.
 */
const LANDING_ORDER = ['/cockpit', '/', '/audit', '/security', '/users'];

export function landingPath(permissions: readonly string[]): string {
  for (const path of LANDING_ORDER) {
    const route = APP_ROUTES.find((r) => r.path === path);
    if (route && permissions.includes(route.permission)) return path;
  }
  const first = APP_ROUTES.find((r) => r.menu && permissions.includes(r.permission));
  return first?.path ?? '/profile/password';
}

/** `next` after login: only a path of the route table (never an absolute or protocol-relative URL). */
export function isAllowedNext(next: string | null | undefined): next is string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return false;
  const path = next.split('?')[0]!;
  return APP_ROUTES.some((r) => matchPath({ path: r.path, end: true }, path) !== null);
}
