import { createBrowserRouter } from 'react-router-dom';
import { NotFoundResult } from '../components/ResultPages';
import ActivatePage from '../features/auth/ActivatePage';
import LoginPage from '../features/auth/LoginPage';
import { BIG_SCREEN_ROUTE } from '../features/dashboard/screenRoute';
import { PUBLIC_POLICY_ROUTES } from '../features/policies/publicRoutes';
import { PUBLIC_TOOL_ROUTES } from '../features/tools/publicRoutes';
import { AuthGuard, RoutePage } from './guards';
import { AppLayout } from './layout/AppLayout';
import { APP_ROUTES } from './routes';

export function createAppRouter() {
  return createBrowserRouter([
    { path: '/login', element: <LoginPage /> },
    { path: '/activate', element: <ActivatePage /> },
    // public, no-login pages (outside the authenticated shell)
    ...PUBLIC_POLICY_ROUTES,
    ...PUBLIC_TOOL_ROUTES,
    // the cockpit's big screen (大屏): signed in, outside the shell (no menu, no header)
    BIG_SCREEN_ROUTE,
    {
      element: (
        <AuthGuard>
          <AppLayout />
        </AuthGuard>
      ),
      children: [
        ...APP_ROUTES.map((route) => ({ path: route.path, element: <RoutePage route={route} /> })),
        { path: '*', element: <NotFoundResult /> },
      ],
    },
  ]);
}

export type AppRouter = ReturnType<typeof createAppRouter>;
