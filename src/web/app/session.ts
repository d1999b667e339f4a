import { type QueryClient, useQuery } from '@tanstack/react-query';
import type { OrgKind, Permission, Role, ScopeKind } from '../../domain/access.ts';
import { api, setUnauthorizedHandler } from './api';
import { isAllowedNext } from './routes';

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel?: string;
  org: { id: string; name: string; kind: OrgKind } | null;
  scope: { kind: ScopeKind; regionCode: string | null; regionName: string | null };
  permissions: string[];
  mustChangePassword: boolean;
  /** Second factor (issue #16). */
  totpEnabled: boolean;
  totpRequired: boolean;
  mfaEnrolmentRequired: boolean;
  demo: boolean;
}

export interface PublicInfo {
  demo: boolean;
  name: string;
  version: string;
}

export const meQueryKey = ['auth', 'me'] as const;
export const publicInfoQueryKey = ['system', 'public-info'] as const;

export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => api.get<Me>('/auth/me', undefined, signal),
    staleTime: 60_000,
    retry: false,
  });
}

export function usePublicInfo() {
  return useQuery({
    queryKey: publicInfoQueryKey,
    queryFn: ({ signal }) => api.get<PublicInfo>('/system/public-info', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: 1,
  });
}

export function hasPermission(me: Pick<Me, 'permissions'> | null | undefined, permission: Permission): boolean {
  return !!me && me.permissions.includes(permission);
}

/** Whether this page has seen a signed-in user since it loaded (decides "expired" vs "not signed in yet"). */
let sessionEstablished = false;
/** Set when a signed-in page lost its session (401); any redirect to login then shows the expired notice. */
let sessionLost = false;

export function markSessionEstablished(): void {
  sessionEstablished = true;
  sessionLost = false;
}

export function wasSessionLost(): boolean {
  return sessionLost;
}

export function markSessionEnded(): void {
  sessionEstablished = false;
}

export function loginPath(options: { expired?: boolean; next?: string } = {}): string {
  const params = new URLSearchParams();
  if (options.expired) params.set('expired', '1');
  if (options.next && options.next !== '/' && isAllowedNext(options.next)) params.set('next', options.next);
  const qs = params.toString();
  return qs ? `/login?${qs}` : '/login';
}

interface NavigatingRouter {
  state: { location: { pathname: string } };
  navigate: (to: string, options?: { replace?: boolean }) => Promise<void> | void;
}

/**
 * On 401 (UNAUTHENTICATED / SESSION_EXPIRED) from any call but login, once this page has seen a signed-in user:
 * forget everything cached and go to the login page with the "session expired" notice.
 */
export function installUnauthorizedRedirect(router: NavigatingRouter, queryClient: QueryClient): void {
  let redirecting = false;
  setUnauthorizedHandler(() => {
    const { pathname } = router.state.location;
    // Before the first successful /auth/me (or after logout) the AuthGuard decides where to go.
    if (redirecting || !sessionEstablished || pathname === '/login') return;
    redirecting = true;
    sessionLost = true;
    markSessionEnded();
    void Promise.resolve(router.navigate(loginPath({ expired: true, next: pathname }), { replace: true })).finally(
      () => {
        void queryClient.cancelQueries();
        queryClient.clear();
        redirecting = false;
      },
    );
  });
}
