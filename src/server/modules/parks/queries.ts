/** Queries over the parks tables; every one takes the caller's scope. */
import { and, asc, count, eq, ilike, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import {
  parkBuildings,
  parkInvestmentPlans,
  parkMilestones,
  parkMonthlyInvestments,
  parkReports,
  parkStageHistory,
  parks,
  parkUnits,
  regionInvestmentTargets,
  regions,
  tenancies,
} from '../../db/schema/index.ts';
import { likePattern, orderBy } from '../../platform/paging.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';

export type ParkRow = typeof parks.$inferSelect;

export function parkScope(scope: Scope): SQL {
  return scopeWhere(scope, { region: parks.regionCode, org: parks.operatorOrgId });
}

/** Parks with a milestone overdue (planned date passed, not done) on `today`. */
export function hasOverdueSql(today: string) {
  return sql<boolean>`exists (select 1 from ${parkMilestones} m where m.park_id = ${parks.id}
    and m.actual_on is null and m.planned_on < ${today}::date)`;
}

export interface ParkFilter {
  region?: string[];
  stage?: ParkRow['stage'];
  category?: ParkRow['category'];
  recognitionLevel?: NonNullable<ParkRow['recognitionLevel']> | 'none';
  starLevel?: number;
  industry?: string;
  overdue?: boolean;
  monitoredOn?: string;
  q?: string;
}

export function parkWhere(scope: Scope, f: ParkFilter, today: string) {
  return and(
    parkScope(scope),
    f.region ? inArray(parks.regionCode, f.region) : undefined,
    f.stage ? eq(parks.stage, f.stage) : undefined,
    f.category ? eq(parks.category, f.category) : undefined,
    f.recognitionLevel === 'none'
      ? sql`${parks.recognitionLevel} is null`
      : f.recognitionLevel
        ? eq(parks.recognitionLevel, f.recognitionLevel)
        : undefined,
    f.starLevel !== undefined ? eq(parks.starLevel, f.starLevel) : undefined,
    f.industry
      ? sql`exists (select 1 from jsonb_array_elements_text(${parks.industryCodes}) c where c like ${`${f.industry.replace(/[\\%_]/g, '')}%`})`
      : undefined,
    f.overdue === true ? hasOverdueSql(today) : f.overdue === false ? sql`not ${hasOverdueSql(today)}` : undefined,
    f.monitoredOn
      ? and(
          lte(parks.monitoredFrom, f.monitoredOn),
          or(sql`${parks.monitoredUntil} is null`, sql`${parks.monitoredUntil} > ${f.monitoredOn}::date`),
        )
      : undefined,
    f.q ? or(ilike(parks.name, likePattern(f.q)), ilike(parks.code, likePattern(f.q))) : undefined,
  );
}

export const PARK_SORTS = {
  code: parks.code,
  name: parks.name,
  landAreaMu: parks.landAreaMu,
  floorAreaM2: parks.floorAreaM2,
  plannedInvestment: parks.plannedInvestmentWan,
  stage: parks.stage,
  regionCode: parks.regionCode,
  starLevel: parks.starLevel,
} as const;

export async function listParks(
  ex: Executor,
  scope: Scope,
  f: ParkFilter,
  page: { page: number; pageSize: number; sort?: keyof typeof PARK_SORTS; order?: 'asc' | 'desc' },
  today: string,
) {
  const where = parkWhere(scope, f, today);
  const overdue = hasOverdueSql(today);
  const [items, [total]] = await Promise.all([
    ex
      .select({ park: parks, regionName: regions.name, overdue })
      .from(parks)
      .innerJoin(regions, eq(regions.code, parks.regionCode))
      .where(where)
      .orderBy(orderBy(PARK_SORTS[page.sort ?? 'code'], page.order), parks.id)
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    ex.select({ n: count() }).from(parks).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Firms settled in the park on `asOf`: distinct enterprises with a tenancy running that day (start ≤ asOf < end). */
export function firmsOnSql(asOf: string) {
  return sql<number>`(select count(distinct t.enterprise_id)::int from ${tenancies} t where t.park_id = ${parks.id}
    and t.start_on <= ${asOf}::date and (t.end_on is null or t.end_on > ${asOf}::date))`;
}

export async function stats(ex: Executor, scope: Scope, f: ParkFilter, today: string, asOf: string = today) {
  const where = parkWhere(scope, f, today);
  const firms = firmsOnSql(asOf);
  const [totals] = await ex
    .select({
      n: sql<number>`count(*)::int`,
      firms: sql<number>`coalesce(sum(${firms}), 0)::int`,
      land: sql<string>`coalesce(sum(${parks.landAreaMu}), 0)`,
      floor: sql<string>`coalesce(sum(${parks.floorAreaM2}), 0)`,
      investment: sql<string>`coalesce(sum(${parks.plannedInvestmentWan}), 0)`,
    })
    .from(parks)
    .where(where);
  const byStage = await ex
    .select({ stage: parks.stage, n: sql<number>`count(*)::int` })
    .from(parks)
    .where(where)
    .groupBy(parks.stage);
  const byRegion = await ex
    .select({
      regionCode: parks.regionCode,
      regionName: regions.name,
      n: sql<number>`count(*)::int`,
      land: sql<string>`coalesce(sum(${parks.landAreaMu}), 0)`,
      floor: sql<string>`coalesce(sum(${parks.floorAreaM2}), 0)`,
      firms: sql<number>`coalesce(sum(${firms}), 0)::int`,
    })
    .from(parks)
    .innerJoin(regions, eq(regions.code, parks.regionCode))
    .where(where)
    .groupBy(parks.regionCode, regions.name)
    .orderBy(asc(parks.regionCode));
  const [overdue] = await ex
    .select({ n: sql<number>`count(*)::int` })
    .from(parks)
    .where(and(where, hasOverdueSql(today)));
  return { totals: totals!, byStage, byRegion, overdueParks: overdue?.n ?? 0 };
}

export async function getPark(ex: Executor, scope: Scope, id: string) {
  const [row] = await ex
    .select({ park: parks, regionName: regions.name })
    .from(parks)
    .innerJoin(regions, eq(regions.code, parks.regionCode))
    .where(and(eq(parks.id, id), parkScope(scope)));
  return row;
}

export async function detailParts(ex: Executor, parkId: string) {
  const [milestones, history, plans, monthly, reports, buildings, units] = await Promise.all([
    ex.select().from(parkMilestones).where(eq(parkMilestones.parkId, parkId)).orderBy(asc(parkMilestones.seq)),
    ex.select().from(parkStageHistory).where(eq(parkStageHistory.parkId, parkId)).orderBy(asc(parkStageHistory.on)),
    ex
      .select()
      .from(parkInvestmentPlans)
      .where(eq(parkInvestmentPlans.parkId, parkId))
      .orderBy(asc(parkInvestmentPlans.year)),
    ex
      .select()
      .from(parkMonthlyInvestments)
      .where(eq(parkMonthlyInvestments.parkId, parkId))
      .orderBy(asc(parkMonthlyInvestments.year), asc(parkMonthlyInvestments.month)),
    ex.select().from(parkReports).where(eq(parkReports.parkId, parkId)).orderBy(asc(parkReports.periodStart)),
    ex.select().from(parkBuildings).where(eq(parkBuildings.parkId, parkId)).orderBy(asc(parkBuildings.name)),
    ex.select().from(parkUnits).where(eq(parkUnits.parkId, parkId)).orderBy(asc(parkUnits.code)),
  ]);
  return { milestones, history, plans, monthly, reports, buildings, units };
}

/** Completed investment per region in `year` up to month `month`, and the year's plans, within scope. */
export async function investmentByRegion(ex: Executor, scope: Scope, year: number, month: number, region?: string[]) {
  const done = sql<string>`coalesce((select sum(mi.amount_wan) from ${parkMonthlyInvestments} mi
    where mi.park_id = ${parks.id} and mi.year = ${year} and mi.month <= ${month}), 0)`;
  const plan = sql<string>`coalesce((select ip.planned_wan from ${parkInvestmentPlans} ip
    where ip.park_id = ${parks.id} and ip.year = ${year}), 0)`;
  return ex
    .select({
      regionCode: parks.regionCode,
      done: sql<string>`sum(${done})`,
      plan: sql<string>`sum(${plan})`,
      n: sql<number>`count(*)::int`,
    })
    .from(parks)
    .where(and(parkScope(scope), region ? inArray(parks.regionCode, region) : undefined))
    .groupBy(parks.regionCode);
}

export async function targets(ex: Executor, year: number) {
  return ex.select().from(regionInvestmentTargets).where(eq(regionInvestmentTargets.year, year));
}

export async function reportsFor(ex: Executor, scope: Scope, period: 'week' | 'month', periodStart: string) {
  return (
    ex
      .select({ park: parks, regionName: regions.name, report: parkReports })
      .from(parks)
      .innerJoin(regions, eq(regions.code, parks.regionCode))
      .leftJoin(
        parkReports,
        and(eq(parkReports.parkId, parks.id), eq(parkReports.period, period), eq(parkReports.periodStart, periodStart)),
      )
      // reports are expected from the parks under key monitoring in that period
      .where(
        and(
          parkScope(scope),
          lte(parks.monitoredFrom, periodStart),
          or(sql`${parks.monitoredUntil} is null`, sql`${parks.monitoredUntil} > ${periodStart}::date`),
        ),
      )
      .orderBy(asc(parks.regionCode), asc(parks.code))
  );
}
