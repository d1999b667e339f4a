/** The only code that touches the projects tables. Every query takes the caller's scope. */
import { and, asc, count, eq, gte, ilike, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  projectAnnualPlans,
  projectBatchEntries,
  projectBatches,
  projectMonthlyInvestments,
  projects,
  regions,
} from '../../db/schema/index.ts';
import { likePattern, orderBy } from '../../platform/paging.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';

export type ProjectRow = typeof projects.$inferSelect;
export type BatchRow = typeof projectBatches.$inferSelect;

export function projectScope(scope: Scope): SQL {
  return scopeWhere(scope, { region: projects.regionCode, org: [projects.responsibleOrgId, projects.ownerOrgId] });
}

/**
 * The delay warning in SQL, the same ladder as `delayWarning` in src/domain/projects.ts (calendar months;
 * PostgreSQL's date + interval clamps the day like addMonths). Months come from the ladder parameters.
 */
export function warningSql(asOf: string, ladder: { yellowMonths: number; orangeMonths: number; redMonths: number }) {
  const over = (m: number) =>
    sql`${asOf}::date > (${projects.plannedStartOn} + make_interval(months => ${m}::int))::date`;
  return sql<'none' | 'yellow' | 'orange' | 'red'>`case
    when ${projects.startedOn} is not null or ${projects.plannedStartOn} is null then 'none'
    when ${over(ladder.redMonths)} then 'red'
    when ${over(ladder.orangeMonths)} then 'orange'
    when ${over(ladder.yellowMonths)} then 'yellow'
    else 'none' end`;
}

export interface ProjectFilter {
  batch?: number;
  level?: 'province' | 'city';
  kind?: 'sign' | 'start' | 'produce';
  region?: string[];
  stage?: ProjectRow['stage'];
  industryClass?: ProjectRow['industryClass'];
  warning?: 'none' | 'yellow' | 'orange' | 'red' | 'any';
  q?: string;
}

export function filterWhere(scope: Scope, f: ProjectFilter, warning: SQL) {
  const batchCond =
    f.batch !== undefined
      ? sql`exists (select 1 from ${projectBatchEntries} e join ${projectBatches} b on b.id = e.batch_id
          where e.project_id = ${projects.id} and b.number = ${f.batch}${f.level ? sql` and b.level = ${f.level}` : sql``}${
            f.kind ? sql` and e.kind = ${f.kind}` : sql``
          })`
      : f.kind
        ? sql`exists (select 1 from ${projectBatchEntries} e where e.project_id = ${projects.id} and e.kind = ${f.kind})`
        : undefined;
  return and(
    projectScope(scope),
    batchCond,
    f.region ? inArray(projects.regionCode, f.region) : undefined,
    f.stage ? eq(projects.stage, f.stage) : undefined,
    f.industryClass ? eq(projects.industryClass, f.industryClass) : undefined,
    f.warning === 'any' ? sql`${warning} <> 'none'` : f.warning ? sql`${warning} = ${f.warning}` : undefined,
    f.q
      ? or(
          ilike(projects.name, likePattern(f.q)),
          ilike(projects.ownerName, likePattern(f.q)),
          ilike(projects.code, likePattern(f.q)),
        )
      : undefined,
  );
}

export const SORTS = {
  code: projects.code,
  name: projects.name,
  totalInvestment: projects.totalInvestmentWan,
  plannedStartOn: projects.plannedStartOn,
  regionCode: projects.regionCode,
  stage: projects.stage,
} as const;

export async function listProjects(
  ex: Executor,
  scope: Scope,
  f: ProjectFilter,
  page: { page: number; pageSize: number; sort?: keyof typeof SORTS; order?: 'asc' | 'desc' },
  asOf: string,
  ladder: Parameters<typeof warningSql>[1],
) {
  const warning = warningSql(asOf, ladder);
  const where = filterWhere(scope, f, warning);
  const [items, [total]] = await Promise.all([
    ex
      .select({ project: projects, regionName: regions.name, warning })
      .from(projects)
      .innerJoin(regions, eq(regions.code, projects.regionCode))
      .where(where)
      .orderBy(orderBy(SORTS[page.sort ?? 'code'], page.order), projects.id)
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    ex.select({ n: count() }).from(projects).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getProject(ex: Executor, scope: Scope, id: string) {
  const [row] = await ex
    .select({ project: projects, regionName: regions.name })
    .from(projects)
    .innerJoin(regions, eq(regions.code, projects.regionCode))
    .where(and(eq(projects.id, id), projectScope(scope)));
  return row;
}

export async function entriesOf(ex: Executor, projectIds: string[]) {
  if (projectIds.length === 0) return [];
  return ex
    .select({
      projectId: projectBatchEntries.projectId,
      kind: projectBatchEntries.kind,
      batchNumber: projectBatches.number,
      batchLevel: projectBatches.level,
      heldOn: projectBatches.heldOn,
    })
    .from(projectBatchEntries)
    .innerJoin(projectBatches, eq(projectBatches.id, projectBatchEntries.batchId))
    .where(inArray(projectBatchEntries.projectId, projectIds))
    .orderBy(asc(projectBatches.heldOn));
}

export async function plansOf(ex: Executor, projectId: string) {
  return ex
    .select()
    .from(projectAnnualPlans)
    .where(eq(projectAnnualPlans.projectId, projectId))
    .orderBy(asc(projectAnnualPlans.year));
}

export async function monthlyOf(ex: Executor, projectId: string) {
  return ex
    .select()
    .from(projectMonthlyInvestments)
    .where(eq(projectMonthlyInvestments.projectId, projectId))
    .orderBy(asc(projectMonthlyInvestments.year), asc(projectMonthlyInvestments.month));
}

export async function batchByNumber(ex: Executor, number: number, level: 'province' | 'city') {
  const [b] = await ex
    .select()
    .from(projectBatches)
    .where(and(eq(projectBatches.number, number), eq(projectBatches.level, level)));
  return b;
}

/** The latest batch of a level held on or before `asOf` (the batch a report of that day speaks of). */
export async function batchHeldBy(ex: Executor, asOf: string, level: 'province' | 'city') {
  const [b] = await ex
    .select()
    .from(projectBatches)
    .where(and(eq(projectBatches.level, level), sql`${projectBatches.heldOn} <= ${asOf}::date`))
    .orderBy(sql`${projectBatches.heldOn} desc`)
    .limit(1);
  return b;
}

export async function listBatches(ex: Executor, scope: Scope) {
  const rows = await ex
    .select({
      batch: projectBatches,
      kind: projectBatchEntries.kind,
      n: sql<number>`count(${projects.id})::int`,
      investment: sql<string>`coalesce(sum(${projects.totalInvestmentWan}), 0)`,
    })
    .from(projectBatches)
    .leftJoin(projectBatchEntries, eq(projectBatchEntries.batchId, projectBatches.id))
    .leftJoin(projects, and(eq(projects.id, projectBatchEntries.projectId), projectScope(scope)))
    .groupBy(projectBatches.id, projectBatchEntries.kind)
    .orderBy(asc(projectBatches.heldOn));
  return rows;
}

/** Rows the KPI function needs for one batch (all kinds), within scope and region. */
export async function kpiRows(
  ex: Executor,
  scope: Scope,
  batchId: string,
  region: string[] | undefined,
  industryClass: ProjectRow['industryClass'] | undefined,
  year: number,
  asOf: string,
) {
  const [y, m] = [Number(asOf.slice(0, 4)), Number(asOf.slice(5, 7))];
  const yearDone = sql<string>`coalesce((select sum(mi.amount_wan) from ${projectMonthlyInvestments} mi
      where mi.project_id = ${projects.id} and mi.year = ${year} and (mi.year * 12 + mi.month) <= ${y * 12 + m}), 0)`;
  const cumulative = sql<string>`coalesce((select sum(mi.amount_wan) from ${projectMonthlyInvestments} mi
      where mi.project_id = ${projects.id} and (mi.year * 12 + mi.month) <= ${y * 12 + m}), 0)`;
  const plan = sql<string>`coalesce((select ap.planned_wan from ${projectAnnualPlans} ap
      where ap.project_id = ${projects.id} and ap.year = ${year}), 0)`;
  return ex
    .select({
      kind: projectBatchEntries.kind,
      project: projects,
      yearDone,
      cumulative,
      plan,
    })
    .from(projectBatchEntries)
    .innerJoin(projects, eq(projects.id, projectBatchEntries.projectId))
    .where(
      and(
        eq(projectBatchEntries.batchId, batchId),
        projectScope(scope),
        region ? inArray(projects.regionCode, region) : undefined,
        industryClass ? eq(projects.industryClass, industryClass) : undefined,
      ),
    );
}

/** The end of the latest month with reported investment in `year` for a batch's projects, or null. */
export async function latestReportedMonth(ex: Executor, batchId: string, year: number) {
  const [row] = await ex
    .select({
      ym: sql<number | null>`max(${projectMonthlyInvestments.year} * 12 + ${projectMonthlyInvestments.month} - 1)`,
    })
    .from(projectMonthlyInvestments)
    .innerJoin(projectBatchEntries, eq(projectBatchEntries.projectId, projectMonthlyInvestments.projectId))
    .where(
      and(
        eq(projectBatchEntries.batchId, batchId),
        eq(projectMonthlyInvestments.year, year),
        gte(projectMonthlyInvestments.month, 1),
        lte(projectMonthlyInvestments.month, 12),
      ),
    );
  return row?.ym === null || row?.ym === undefined ? null : Number(row.ym);
}
