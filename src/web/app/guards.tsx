import { Button, Result, Spin } from 'antd';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import type { Permission } from '../../domain/access.ts';
import { ForbiddenResult } from '../components/ResultPages';
import { isApiError } from './api';
import { type AppRoute, landingPath } from './routes';
import { hasPermission, loginPath, type Me, markSessionEstablished, useMe, wasSessionLost } from './session';

const SessionContext = createContext<Me | null>(null);

/** The signed-in user (only inside the authenticated layout). */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside AuthGuard');
  return me;
}

export function useCan(): (permission: Permission) => boolean {
  const me = useSession();
  return (permission) => hasPermission(me, permission);
}

export function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

/** Renders its children only for a signed-in user; otherwise goes to the login page. */
export function AuthGuard({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();

  useEffect(() => {
    if (me.data) markSessionEstablished();
  }, [me.data]);

  if (me.data) {
    if (me.data.mustChangePassword && location.pathname !== '/profile/password') {
      return <Navigate to="/profile/password" replace />;
    }
    if (!me.data.mustChangePassword && me.data.mfaEnrolmentRequired && location.pathname !== '/profile/totp') {
      return <Navigate to="/profile/totp" replace />;
    }
    return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>;
  }
  if (me.isPending) return <FullPageSpin />;
  if (isApiError(me.error) && me.error.status === 401) {
    return (
      <Navigate
        to={loginPath({ expired: me.error.code === 'SESSION_EXPIRED' || wasSessionLost(), next: location.pathname })}
        replace
      />
    );
  }
  return (
    <Result
      status="error"
      title={t('errors.loadFailed')}
      subTitle={me.error?.message}
      extra={
        <Button type="primary" onClick={() => void me.refetch()}>
          {t('common.retry')}
        </Button>
      }
    />
  );
}

/** One route of the table: the page, or the 403 page (or the landing page) without the permission. */
export function RoutePage({ route }: { route: AppRoute }) {
  const me = useSession();
  if (!hasPermission(me, route.permission)) {
    if (route.redirectWhenForbidden) return <Navigate to={landingPath(me.permissions)} replace />;
    return <ForbiddenResult />;
  }
  const Page = route.component;
  return <Page />;
}
