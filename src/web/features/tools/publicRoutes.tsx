import { lazy, Suspense } from 'react';
import type { RouteObject } from 'react-router-dom';
import { FullPageSpin } from '../../app/guards';

const PublicTools = lazy(() => import('./ToolsPage').then((m) => ({ default: m.PublicToolsPage })));

/** /p/tools: the calculators without login, mounted beside /login outside the authenticated shell (app/router.tsx). */
export const PUBLIC_TOOL_ROUTES: RouteObject[] = [
  {
    path: '/p/tools',
    element: (
      <Suspense fallback={<FullPageSpin />}>
        <PublicTools />
      </Suspense>
    ),
  },
];
