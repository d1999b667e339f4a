/** 三个一批 use cases: KPIs, list/detail, pipeline, investment, delay warnings. */
import { and, eq, sql } from 'drizzle-orm';
import {
  batchKpis,
  belowInclusionThreshold,
  canAdvance,
  DEFAULT_DELAY_LADDER,
  delayWarning,
  type KpiProject,
  type ProjectStage,
  percent,
  type StartRateBase,
  wanToYi,
} from '../../../domain/projects.ts';
import type { Tx } from '../../db/client.ts';
import { projectAnnualPlans, projectBatches, projectMonthlyInvestments, projects } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { assertOrgReference } from '../../platform/references.ts';
import type { Scope } from '../../platform/scope.ts';
import { recipientsFor } from '../identity/service.ts';
import * as q from './queries.ts';

export const PROJECT_SETTINGS = {
  delayLadder: DEFAULT_DELAY_LADDER,
  startRateBase: 'due' as StartRateBase,
  /** 履约 evidence checklist (rules.md §7.2: "configure the evidence list"). */
  performanceEvidence: ['company_registered', 'land_or_premises', 'capital_in_place', 'construction_begun'] as const,
};

/** Today's date in Asia/Shanghai (DESIGN.md §5). */
export function todayShanghai(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function endOfMonth(ym: number): string {
  const year = Math.floor(ym / 12);
  const month = (ym % 12) + 1;
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const yi = (wan: number) => Math.round(wanToYi(wan) * 10_000) / 10_000;

export async function kpis(
  deps: AppDeps,
  scope: Scope,
  params: {
    batch: number;
    level?: 'province' | 'city';
    region?: string;
    industryClass?: (typeof projects.industryClass.enumValues)[number];
    asOf?: string;
  },
) {
  const { db } = deps.database;
  const batch = await q.batchByNumber(db, params.batch, params.level ?? 'province');
  if (!batch) throw new AppError('NOT_FOUND');
  const year = Number(batch.heldOn.slice(0, 4));
  let asOf = params.asOf;
  if (!asOf) {
    // Default: the end of the latest month with reported investment in the batch's year ("截至5月底").
    const ym = await q.latestReportedMonth(db, batch.id, year);
    asOf = ym === null ? batch.heldOn : endOfMonth(ym);
  }
  const region = params.region ? deps.regions.subtree(params.region) : undefined;
  if (params.region && region!.length === 0) throw new AppError('NOT_FOUND');
  const rows = await q.kpiRows(db, scope, batch.id, region, params.industryClass, year, asOf);
  const toKpi = (r: (typeof rows)[number]): KpiProject => ({
    totalInvestmentWan: r.project.totalInvestmentWan,
    performedOn: r.project.performedOn,
    plannedStartOn: r.project.plannedStartOn,
    startedOn: r.project.startedOn,
    productionOn: r.project.productionOn,
    effectiveOn: r.project.effectiveOn,
    yearPlanWan: Number(r.plan),
    yearCompletedWan: Number(r.yearDone),
    cumulativeCompletedWan: Number(r.cumulative),
  });
  const k = batchKpis({
    signed: rows.filter((r) => r.kind === 'sign').map(toKpi),
    started: rows.filter((r) => r.kind === 'start').map(toKpi),
    producing: rows.filter((r) => r.kind === 'produce').map(toKpi),
    asOf,
    startRateBase: PROJECT_SETTINGS.startRateBase,
  });
  const pct = (r: number | null) => percent(r, 2);
  return {
    batch: { number: batch.number, level: batch.level, heldOn: batch.heldOn, title: batch.title },
    region: params.region ?? null,
    asOf,
    year,
    total: {
      count: k.signed.count + k.started.count + k.producing.count,
      investment: yi(k.signed.investmentWan + k.started.investmentWan + k.producing.investmentWan),
    },
    signed: {
      count: k.signed.count,
      investment: yi(k.signed.investmentWan),
      performedCount: k.signed.performedCount,
      performanceRate: pct(k.signed.performanceRate),
      startBase: k.signed.startBase,
      startBaseCount: k.signed.startBaseCount,
      startedCount: k.signed.startedCount,
      startRate: pct(k.signed.startRate),
    },
    started: {
      count: k.started.count,
      investment: yi(k.started.investmentWan),
      yearPlan: yi(k.started.yearPlanWan),
      yearInvestment: yi(k.started.yearInvestmentWan),
      yearCompletionRate: pct(k.started.yearCompletionRate),
      timeProgressGapPp:
        k.started.timeProgressGapPp === null ? null : Math.round(k.started.timeProgressGapPp * 100) / 100,
    },
    producing: {
      count: k.producing.count,
      investment: yi(k.producing.investmentWan),
      completedInvestment: yi(k.producing.completedInvestmentWan),
      completionRate: pct(k.producing.completionRate),
      inProductionCount: k.producing.inProductionCount,
      effectiveCount: k.producing.effectiveCount,
      effectiveRate: pct(k.producing.effectiveRate),
    },
  };
}

/** The number of the latest batch held on or before `asOf` (null before the first). */
export async function batchAsOf(deps: AppDeps, asOf: string, level: 'province' | 'city' = 'province') {
  const b = await q.batchHeldBy(deps.database.db, asOf, level);
  return b ? b.number : null;
}

// ---- writes ----------------------------------------------------------------------------------------------

export interface ProjectInput {
  code: string;
  name: string;
  ownerName: string;
  regionCode: string;
  industryClass: (typeof projects.industryClass.enumValues)[number];
  industryCode?: string | null;
  totalInvestmentWan: number;
  responsibleUnit: string;
  responsiblePerson?: string;
  responsibleOrgId?: string | null;
  signedOn?: string | null;
  plannedPerformanceOn?: string | null;
  plannedStartOn?: string | null;
  plannedProductionOn?: string | null;
  plannedEffectiveOn?: string | null;
}

function assertRegionInScope(deps: AppDeps, scope: Scope, regionCode: string) {
  const region = deps.regions.get(regionCode);
  if (!region)
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'regionCode', message: 'unknown region' }] });
  if (scope.kind === 'region' && !scope.regionCodes.includes(regionCode)) throw new AppError('FORBIDDEN');
  if (scope.kind !== 'region' && scope.kind !== 'all') throw new AppError('FORBIDDEN');
}

export function warningsFor(p: Pick<ProjectRow, 'industryClass' | 'totalInvestmentWan'>) {
  return belowInclusionThreshold(p.industryClass, p.totalInvestmentWan) ? ['below_inclusion_threshold'] : [];
}
type ProjectRow = typeof projects.$inferSelect;

export async function createProject(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, input: ProjectInput) {
  assertRegionInScope(deps, scope, input.regionCode);
  if (input.responsibleOrgId) {
    await assertOrgReference(tx, deps, scope, input.responsibleOrgId, 'responsibleOrgId', input.regionCode);
  }
  const [dupe] = await tx.select({ id: projects.id }).from(projects).where(eq(projects.code, input.code));
  if (dupe) throw new AppError('DUPLICATE', { field: 'code' });
  const [row] = await tx
    .insert(projects)
    .values({ ...input, stage: 'signed' })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'project.create',
    entity: 'project',
    entityId: row!.id,
    regionCode: row!.regionCode,
    summary: { after: { code: row!.code, name: row!.name, totalInvestmentWan: row!.totalInvestmentWan } },
  });
  return row!;
}

export async function updateProject(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  version: number,
  patch: Partial<ProjectInput>,
) {
  const current = await q.getProject(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  if (patch.regionCode) assertRegionInScope(deps, scope, patch.regionCode);
  if (patch.responsibleOrgId) {
    const region = patch.regionCode ?? current.project.regionCode;
    await assertOrgReference(tx, deps, scope, patch.responsibleOrgId, 'responsibleOrgId', region);
  }
  const [row] = await tx
    .update(projects)
    .set({ ...patch, version: sql`${projects.version} + 1`, updatedAt: new Date() })
    .where(and(eq(projects.id, id), eq(projects.version, version)))
    .returning();
  if (!row) throw new AppError('CONFLICT', { reason: 'stale version' });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of Object.keys(patch) as (keyof ProjectInput)[]) {
    before[k] = current.project[k as keyof ProjectRow];
    after[k] = row[k as keyof ProjectRow];
  }
  await deps.audit.write(tx, actor, {
    action: 'project.update',
    entity: 'project',
    entityId: id,
    regionCode: row.regionCode,
    summary: { before, after },
  });
  return row;
}

const STAGE_NAMES: Record<ProjectStage, string> = {
  signed: '已签约 signed',
  performed: '已履约 performed',
  started: '已开工 started',
  producing: '已投产 producing',
  effective: '已达效 effective',
};

const STAGE_DATE: Record<Exclude<ProjectStage, 'signed'>, keyof ProjectRow> = {
  performed: 'performedOn',
  started: 'startedOn',
  producing: 'productionOn',
  effective: 'effectiveOn',
};

/** Moves the pipeline one step, with the actual date (never before the previous step's date). */
export async function advanceStage(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  to: Exclude<ProjectStage, 'signed'>,
  date: string,
  evidence?: Record<string, boolean>,
) {
  const current = await q.getProject(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const p = current.project;
  if (!canAdvance(p.stage, to))
    throw new AppError('STAGE_TRANSITION_INVALID', { from: STAGE_NAMES[p.stage], to: STAGE_NAMES[to] });
  const prevDate =
    p.stage === 'signed' ? p.signedOn : (p[STAGE_DATE[p.stage as Exclude<ProjectStage, 'signed'>]] as string | null);
  if (prevDate && date < prevDate) throw new AppError('DATE_BEFORE_PREVIOUS', { date, previous: prevDate });
  if (to === 'performed') {
    const ev = { ...p.performanceEvidence, ...(evidence ?? {}) };
    if (!PROJECT_SETTINGS.performanceEvidence.some((k) => ev[k])) {
      throw new AppError('EVIDENCE_REQUIRED');
    }
  }
  const [row] = await tx
    .update(projects)
    .set({
      stage: to,
      [STAGE_DATE[to]]: date,
      ...(evidence ? { performanceEvidence: { ...p.performanceEvidence, ...evidence } } : {}),
      version: sql`${projects.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(projects.id, id))
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'project.advance',
    entity: 'project',
    entityId: id,
    regionCode: p.regionCode,
    summary: { before: { stage: p.stage }, after: { stage: to, date } },
  });
  return row!;
}

export async function setMonthlyInvestment(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { year: number; month: number; amountWan: number; source: 'reported' | 'statistics' | 'verified' },
) {
  const current = await q.getProject(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const [before] = await tx
    .select()
    .from(projectMonthlyInvestments)
    .where(
      and(
        eq(projectMonthlyInvestments.projectId, id),
        eq(projectMonthlyInvestments.year, v.year),
        eq(projectMonthlyInvestments.month, v.month),
      ),
    );
  await tx
    .insert(projectMonthlyInvestments)
    .values({ projectId: id, ...v, enteredBy: actor.userId })
    .onConflictDoUpdate({
      target: [projectMonthlyInvestments.projectId, projectMonthlyInvestments.year, projectMonthlyInvestments.month],
      set: { amountWan: v.amountWan, source: v.source, enteredBy: actor.userId, enteredAt: new Date() },
    });
  await deps.audit.write(tx, actor, {
    action: 'project.investment.set',
    entity: 'project',
    entityId: id,
    regionCode: current.project.regionCode,
    summary: { before: before ? { amountWan: before.amountWan } : null, after: v },
  });
}

export async function setAnnualPlan(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { year: number; plannedWan: number },
) {
  const current = await q.getProject(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  await tx
    .insert(projectAnnualPlans)
    .values({ projectId: id, ...v })
    .onConflictDoUpdate({
      target: [projectAnnualPlans.projectId, projectAnnualPlans.year],
      set: { plannedWan: v.plannedWan },
    });
  await deps.audit.write(tx, actor, {
    action: 'project.plan.set',
    entity: 'project',
    entityId: id,
    regionCode: current.project.regionCode,
    summary: { after: v },
  });
}

export async function createBatch(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  v: { number: number; level: 'province' | 'city'; heldOn: string; title: string },
) {
  const [dupe] = await tx
    .select({ id: projectBatches.id })
    .from(projectBatches)
    .where(and(eq(projectBatches.number, v.number), eq(projectBatches.level, v.level)));
  if (dupe) throw new AppError('DUPLICATE', { field: 'number' });
  const [row] = await tx.insert(projectBatches).values(v).returning();
  await deps.audit.write(tx, actor, {
    action: 'project.batch.create',
    entity: 'project_batch',
    entityId: row!.id,
    summary: v,
  });
  return row!;
}

// ---- delay warnings ------------------------------------------------------------------------------------

const LEVEL_ORDER = ['none', 'yellow', 'orange', 'red'] as const;

/**
 * Finds projects whose delay warning rose since the last scan and notifies the responsible unit's users and
 * the admins of the project's region (in one transaction per project). Returns how many were notified.
 */
export async function scanDelays(deps: AppDeps, asOf: string) {
  const { db } = deps.database;
  const rows = await db
    .select()
    .from(projects)
    .where(sql`${projects.startedOn} is null and ${projects.plannedStartOn} is not null`);
  let raised = 0;
  for (const p of rows) {
    const level = delayWarning(p.plannedStartOn, p.startedOn, asOf, PROJECT_SETTINGS.delayLadder);
    if (LEVEL_ORDER.indexOf(level) <= LEVEL_ORDER.indexOf(p.notifiedWarning as (typeof LEVEL_ORDER)[number])) continue;
    const ancestors = [...deps.regions.ancestors(p.regionCode), p.regionCode];
    await db.transaction(async (tx) => {
      const recipients = await recipientsFor(tx, {
        orgIds: p.responsibleOrgId ? [p.responsibleOrgId] : [],
        regionAdminsOf: ancestors,
      });
      const label = { yellow: '黄色', orange: '橙色', red: '红色', none: '' }[level];
      await deps.notifications.notify(
        tx,
        recipients.map((r) => r.id),
        {
          kind: 'project.delay',
          title: `【${label}预警】${p.name} 计划开工日期 ${p.plannedStartOn} 已过，尚未开工`,
          body: `项目编号 ${p.code}；责任单位 ${p.responsibleUnit}。`,
          link: `/projects/${p.id}`,
          entity: 'project',
          entityId: p.id,
        },
      );
      await tx.update(projects).set({ notifiedWarning: level }).where(eq(projects.id, p.id));
      await deps.audit.write(
        tx,
        { userId: null, username: 'system', role: 'system', ip: null, requestId: null },
        {
          action: 'project.delay.notify',
          entity: 'project',
          entityId: p.id,
          regionCode: p.regionCode,
          summary: { level, recipients: recipients.length },
        },
      );
    });
    raised++;
  }
  return { scanned: rows.length, raised };
}

export function projectWarning(p: ProjectRow, asOf: string) {
  return delayWarning(p.plannedStartOn, p.startedOn, asOf, PROJECT_SETTINGS.delayLadder);
}
