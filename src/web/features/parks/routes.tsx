import type { AppRoute } from '../../app/routes.tsx';

/** This module's entries of the route table (spread into APP_ROUTES in app/routes.tsx). */
export const PARK_ROUTES: readonly AppRoute[] = [];
