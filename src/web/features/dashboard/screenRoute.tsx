import { lazy, Suspense } from 'react';
import { AuthGuard } from '../../app/guards';

const BigScreenPage = lazy(() => import('./BigScreenPage'));

/** /dashboard/screen: the 1920×1080 big screen, signed in, without the app shell. */
export const BIG_SCREEN_ROUTE = {
  path: '/dashboard/screen',
  element: (
    <AuthGuard>
      <Suspense fallback={null}>
        <BigScreenPage />
      </Suspense>
    </AuthGuard>
  ),
};
