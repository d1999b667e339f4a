import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const PROJECT_ROUTES: readonly AppRoute[] = [];
