/**
 * 周报 / 月报 (issue #21, decision 0025): builds a report from the cockpit's own figures (`dashboardSummary`, the
 * same function behind GET /api/v1/dashboard/summary), renders it as Excel and PDF, stores both files as
 * content-addressed blobs (FileStore, DATA_DIR/files) and archives one row per period type, period and region.
 * Regenerating a period replaces its row (the old blobs stay: they are content-addressed and may be shared).
 */
import { and, asc, count, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import {
  periodContaining,
  periodLabel,
  periodsDueOn,
  previousPeriod,
  type ReportPeriod,
  type ReportPeriodType,
} from '../../../domain/reports.ts';
import type { Db } from '../../db/client.ts';
import { reports } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { RegionRow } from '../../platform/region-index.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { type DashboardSummary, dashboardSummary } from '../dashboard/summary.ts';
import { buildReportXlsx } from './excel.ts';
import type { ReportData } from './model.ts';
import { buildReportPdf } from './pdf.ts';

export type ReportRow = typeof reports.$inferSelect;

export const PERIOD_NAMES: Record<ReportPeriodType, string> = { weekly: '周报', monthly: '月报' };

/** Regions that get reports: every city and every district-level region (districts, counties, zones). */
export function reportRegions(deps: AppDeps): RegionRow[] {
  return deps.regions
    .all()
    .filter((r) => r.level === 'city' || r.level === 'district')
    .sort((a, b) => a.code.localeCompare(b.code));
}

export function isReportRegion(region: RegionRow | undefined): region is RegionRow {
  return !!region && (region.level === 'city' || region.level === 'district');
}

/** The districts a city's report ranks (its district-level children). */
function districtsOf(deps: AppDeps, city: RegionRow): RegionRow[] {
  return deps.regions
    .all()
    .filter((r) => r.parentCode === city.code && r.level === 'district')
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** A region scope rooted at `code`, as the region's own admin would have it (the job reads on its behalf). */
function regionScope(deps: AppDeps, code: string): Scope {
  return {
    userId: '00000000-0000-0000-0000-000000000000',
    role: 'city_admin',
    kind: 'region',
    rootRegion: code,
    regionCodes: deps.regions.subtree(code),
    orgId: null,
  };
}

export function reportTitle(regionName: string, period: ReportPeriod): string {
  return `${regionName}工作${PERIOD_NAMES[period.type]}（${periodLabel(period)}）`;
}

/** Summaries computed during one job run, keyed by region and date (a city's report reuses its districts'). */
export type SummaryCache = Map<string, Promise<DashboardSummary>>;

function summaryOf(deps: AppDeps, cache: SummaryCache, scopeRoot: string, region: string, asOf: string) {
  const key = `${region}|${asOf}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = dashboardSummary(deps, { scope: regionScope(deps, scopeRoot) }, { regionCode: region, asOf });
    cache.set(key, hit);
  }
  return hit;
}

export async function buildReportData(
  deps: AppDeps,
  period: ReportPeriod,
  region: RegionRow,
  cache: SummaryCache = new Map(),
): Promise<ReportData> {
  const previous = previousPeriod(period);
  const current = await summaryOf(deps, cache, region.code, region.code, period.end);
  const before = await summaryOf(deps, cache, region.code, region.code, previous.end);
  const districts = [];
  if (region.level === 'city') {
    for (const d of districtsOf(deps, region)) {
      const s = await summaryOf(deps, cache, d.code, d.code, period.end);
      districts.push({ code: d.code, name: d.name, tiles: s.tiles });
    }
  }
  return {
    regionCode: region.code,
    regionName: region.name,
    regionLevel: region.level,
    period,
    previous,
    title: reportTitle(region.name, period),
    periodLabel: periodLabel(period),
    generatedAt: deps.clock.now().toISOString(),
    tiles: current.tiles,
    previousTiles: before.tiles,
    districts,
  };
}

/** Builds, stores and archives one report (replacing an earlier one of the same period and region). */
export async function generateReport(
  deps: AppDeps,
  input: { period: ReportPeriod; region: RegionRow; jobId: string | null; actor: Actor },
  cache: SummaryCache = new Map(),
): Promise<ReportRow> {
  const data = await buildReportData(deps, input.period, input.region, cache);
  const [xlsx, pdf] = [await buildReportXlsx(data), await buildReportPdf(data)];
  const xlsxBlob = await deps.files.put(xlsx);
  const pdfBlob = await deps.files.put(pdf);
  const values = {
    periodType: input.period.type,
    periodStart: input.period.start,
    periodEnd: input.period.end,
    regionCode: input.region.code,
    title: data.title,
    figures: {
      asOf: input.period.end,
      tiles: data.tiles,
      previous: { asOf: data.previous.end, tiles: data.previousTiles },
      districts: data.districts,
    } as Record<string, unknown>,
    pdfSha256: pdfBlob.sha256,
    pdfSize: pdfBlob.size,
    xlsxSha256: xlsxBlob.sha256,
    xlsxSize: xlsxBlob.size,
    jobId: input.jobId,
    generatedBy: input.actor.userId,
    generatedByUsername: input.actor.username,
    generatedAt: deps.clock.now(),
  };
  return deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reports)
      .values(values)
      .onConflictDoUpdate({ target: [reports.periodType, reports.periodStart, reports.regionCode], set: values })
      .returning();
    await deps.audit.write(tx, input.actor, {
      action: 'report.generate',
      entity: 'report',
      entityId: row!.id,
      regionCode: row!.regionCode,
      summary: {
        periodType: row!.periodType,
        periodStart: row!.periodStart,
        periodEnd: row!.periodEnd,
        pdf: { sha256: pdfBlob.sha256, size: pdfBlob.size },
        xlsx: { sha256: xlsxBlob.sha256, size: xlsxBlob.size },
        jobId: input.jobId,
      },
    });
    return row!;
  });
}

/**
 * The scheduled run (daily job `reports.scheduled`): on a Monday the week before, on the 1st the month before, for
 * every city and district; a report already archived for that period and region is kept (a re-run after a restart
 * does not redo it). Other days do nothing.
 */
export async function runScheduled(
  deps: AppDeps,
  day: string,
  jobId: string,
  actor: Actor,
  progress: (percent: number, message?: string) => Promise<void>,
): Promise<Record<string, unknown>> {
  const due = periodsDueOn(day);
  if (due.length === 0) return { day, due: [], generated: 0 };
  const regions = reportRegions(deps);
  const total = due.length * regions.length;
  let done = 0;
  let generated = 0;
  for (const period of due) {
    const cache: SummaryCache = new Map();
    // Districts first, so that each city's report reuses their summaries from the cache.
    const ordered = [...regions].sort((a, b) =>
      a.level === b.level ? a.code.localeCompare(b.code) : a.level === 'district' ? -1 : 1,
    );
    for (const region of ordered) {
      const [existing] = await deps.database.db
        .select({ id: reports.id })
        .from(reports)
        .where(
          and(
            eq(reports.periodType, period.type),
            eq(reports.periodStart, period.start),
            eq(reports.regionCode, region.code),
          ),
        );
      if (!existing) {
        await generateReport(deps, { period, region, jobId, actor }, cache);
        generated++;
      }
      done++;
      await progress((done / total) * 100, `${PERIOD_NAMES[period.type]} ${period.start} ${region.name}`);
    }
  }
  return { day, due: due.map((p) => ({ type: p.type, start: p.start, end: p.end })), generated };
}

export function periodFor(type: ReportPeriodType, date: string): ReportPeriod {
  return periodContaining(type, date);
}

export interface ReportFilter {
  periodType?: ReportPeriodType;
  regionCode?: string;
  from?: string;
  to?: string;
}

export async function listReports(
  db: Db,
  scope: Scope,
  f: ReportFilter,
  page: { page: number; pageSize: number; order?: 'asc' | 'desc' },
): Promise<{ items: ReportRow[]; total: number }> {
  const conds: SQL[] = [scopeWhere(scope, { region: reports.regionCode })];
  if (f.periodType) conds.push(eq(reports.periodType, f.periodType));
  if (f.regionCode) conds.push(eq(reports.regionCode, f.regionCode));
  if (f.from) conds.push(gte(reports.periodStart, f.from));
  if (f.to) conds.push(lte(reports.periodStart, f.to));
  const where = and(...conds);
  const [{ n }] = (await db.select({ n: count() }).from(reports).where(where)) as [{ n: number }];
  const dir = page.order === 'asc' ? asc : desc;
  const items = await db
    .select()
    .from(reports)
    .where(where)
    .orderBy(dir(reports.periodStart), asc(reports.periodType), asc(reports.regionCode), asc(reports.id))
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize);
  return { items, total: Number(n) };
}

/** One report in the caller's scope, or undefined (the route answers 404 either way). */
export async function findReport(db: Db, scope: Scope, id: string): Promise<ReportRow | undefined> {
  const [row] = await db
    .select()
    .from(reports)
    .where(and(eq(reports.id, id), scopeWhere(scope, { region: reports.regionCode })));
  return row;
}
