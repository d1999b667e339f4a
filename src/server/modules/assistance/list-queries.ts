/**
 * Query schemas and scope rules shared by the assistance lists and their Excel exports (issue #18): an export at
 * `<list path>/export` takes the list's own querystring (without paging) and resolves it through the same functions,
 * so a filter or scope rule added to a list reaches its export too.
 */
import { z } from 'zod';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageQuery, sortParam } from '../../platform/paging.ts';
import type { Scope } from '../../platform/scope.ts';
import type { Caller } from './access.ts';
import { kpis, rankings } from './kpis.ts';
import type { ProblemFilter } from './problems.ts';
import { CATEGORY_CODES, settingsFor } from './settings.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)

export const pairingListQuery = pageQuery.extend({ cadreId: z.uuid().optional(), enterpriseId: z.uuid().optional() });

export const visitListQuery = pageQuery.extend({
  enterpriseId: z.uuid().optional(),
  from: day.optional(),
  to: day.optional(),
  kind: z.enum(['visit', 'symposium']).optional(),
});

export const problemListQuery = pageQuery.extend({
  status: z.enum(['collected', 'assigned', 'in_progress', 'resolved', 'rated', 'closed']).optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  enterpriseId: z.uuid().optional(),
  orgId: z.uuid().optional(),
  region: z.string().max(16).optional(),
  commonIssueId: z.uuid().optional(),
  sort: sortParam(['receivedAt', 'dueOn', 'priority', 'code']),
});

export const kpiQuery = z.object({
  region: z.string().max(16).optional(),
  from: day.optional(),
  to: day.optional(),
  orgId: z.uuid().optional(),
  cadreId: z.uuid().optional(),
});

export const rankingQuery = z.object({
  by: z.enum(['district', 'department']).default('district'),
  region: z.string().max(16).optional(),
  from: day.optional(),
  to: day.optional(),
  rankBy: z.enum(['resolutionRate', 'onTimeRate', 'satisfactionRate']).default('resolutionRate'),
});

/** The problem list's querystring as the filter of `listProblems`. */
export function problemFilterOf(
  deps: AppDeps,
  q: Omit<z.infer<typeof problemListQuery>, 'page' | 'pageSize'>,
): ProblemFilter {
  return {
    ...q,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    region: q.region ? deps.regions.subtree(q.region) : undefined,
  };
}

/** A region the caller administers (default: the root of their scope); anything else is NOT_FOUND. */
export function regionInScope(scope: Scope, code: string | undefined) {
  const root = code ?? scope.rootRegion ?? undefined;
  if (!root || scope.kind !== 'region' || !scope.regionCodes.includes(root)) throw new AppError('NOT_FOUND');
  return root;
}

/**
 * The KPI figures `GET /assistance/kpis` answers: a region user for a region it administers, a department its own
 * figures across the city of its org, a cadre the figures of its own paired firms; anyone else FORBIDDEN.
 */
export async function kpiReport(deps: AppDeps, c: Caller, q: z.infer<typeof kpiQuery>, today: string) {
  const { db } = deps.database;
  const auth = c.auth;
  let regionCodes: string[];
  let region: string;
  let orgId = q.orgId;
  let cadreId = q.cadreId;
  if (auth.scope.kind === 'region') {
    region = regionInScope(auth.scope, q.region);
    regionCodes = deps.regions.subtree(region);
  } else if (auth.user.role === 'department_handler' && auth.user.orgId) {
    // a department sees its own figures across the city of its org
    region = auth.scope.rootRegion ?? auth.user.scopeRegionCode ?? '410100';
    regionCodes = deps.regions.subtree(region);
    orgId = auth.user.orgId;
  } else if (auth.user.role === 'cadre' && auth.user.scopeRegionCode) {
    // a cadre sees the figures of its own paired firms
    region = auth.user.scopeRegionCode;
    regionCodes = deps.regions.subtree(deps.regions.ancestors(region)[1] ?? region);
    cadreId = c.cadreIds[0] ?? '00000000-0000-0000-0000-000000000000';
  } else {
    throw new AppError('FORBIDDEN');
  }
  const st = await settingsFor(db, deps.regions, region);
  const out = await kpis(db, { regionCodes, from: q.from ?? '2021-06-01', to: q.to ?? today, orgId, cadreId }, st);
  return { region, orgId: orgId ?? null, cadreId: cadreId ?? null, ...out };
}

/** The rankings `GET /assistance/rankings` answers (region users only; the default period is the year of `to`). */
export async function rankingReport(deps: AppDeps, scope: Scope, q: z.infer<typeof rankingQuery>, today: string) {
  const { db } = deps.database;
  const root = regionInScope(scope, q.region);
  const st = await settingsFor(db, deps.regions, root);
  const to = q.to ?? today;
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  const items = await rankings(
    db,
    deps.regions,
    { root, by: q.by, from, to, rankBy: q.rankBy },
    deps.regions.subtree(root),
    st,
  );
  return { region: root, by: q.by, rankBy: q.rankBy, from, to, minSample: st.minRankingSample, items };
}
