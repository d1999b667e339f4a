import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';
import { FullPageSpin } from '../../app/guards';

const PublicList = lazy(() => import('./PublicPages').then((m) => ({ default: m.PublicListPage })));
const PublicDetail = lazy(() => import('./PublicPages').then((m) => ({ default: m.PublicDetailPage })));

/** The public, no-login policy pages: mounted beside /login, outside the authenticated shell (app/router.tsx). */
export const PUBLIC_POLICY_ROUTES: RouteObject[] = [
  {
    path: '/p/policies',
    element: (
      <Suspense fallback={<FullPageSpin />}>
        <PublicList />
      </Suspense>
    ),
  },
  {
    path: '/p/policies/:id',
    element: (
      <Suspense fallback={<FullPageSpin />}>
        <PublicDetail />
      </Suspense>
    ),
  },
];
