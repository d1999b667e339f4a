/** Park use cases: registry writes, stage, milestones, investment, reports, buildings/units, overdue notices. */
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  canMoveStage,
  DEFAULT_MILESTONES,
  investmentProgress,
  milestoneStatus,
  type ParkStage,
  reportDueOn,
  weekStart,
} from '../../../domain/parks.ts';
import type { Tx } from '../../db/client.ts';
import {
  orgs,
  parkBuildings,
  parkInvestmentPlans,
  parkMilestones,
  parkMonthlyInvestments,
  parkReports,
  parkStageHistory,
  parks,
  parkUnits,
} from '../../db/schema/index.ts';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { assertOrgReference } from '../../platform/references.ts';
import type { Scope } from '../../platform/scope.ts';
import { recipientsFor } from '../identity/service.ts';
import * as q from './queries.ts';

export interface ParkInput {
  code: string;
  name: string;
  regionCode: string;
  address?: string;
  lng?: number | null;
  lat?: number | null;
  category: q.ParkRow['category'];
  developmentMode: q.ParkRow['developmentMode'];
  operatorOrgId?: string | null;
  landAreaMu: number;
  floorAreaM2: number;
  plannedInvestmentWan: number;
  industryCodes?: string[];
  positioning?: string;
  recognitionLevel?: q.ParkRow['recognitionLevel'];
  recognitionBatch?: string | null;
  recognizedOn?: string | null;
  starLevel?: number | null;
  starYear?: number | null;
  monitoredFrom?: string | null;
  monitoredUntil?: string | null;
}

function assertRegionWritable(deps: AppDeps, scope: Scope, regionCode: string) {
  if (!deps.regions.get(regionCode))
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'regionCode', message: 'unknown region' }] });
  if (scope.kind === 'all') return;
  if (scope.kind !== 'region' || !scope.regionCodes.includes(regionCode)) throw new AppError('FORBIDDEN');
}

/** The operator named in a body: a park-operator org the caller may name for a park of `regionCode` (issue #16). */
async function assertOperator(
  tx: Tx,
  deps: AppDeps,
  scope: Scope,
  orgId: string | null | undefined,
  regionCode: string,
) {
  if (!orgId) return;
  await assertOrgReference(tx, deps, scope, orgId, 'operatorOrgId', regionCode);
  const [o] = await tx.select().from(orgs).where(eq(orgs.id, orgId));
  if (o?.kind !== 'park_operator')
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      { fields: [{ field: 'operatorOrgId', message: 'not a park operator' }] },
    );
}

export async function createPark(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, input: ParkInput, today: string) {
  assertRegionWritable(deps, scope, input.regionCode);
  await assertOperator(tx, deps, scope, input.operatorOrgId, input.regionCode);
  const [dupe] = await tx.select({ id: parks.id }).from(parks).where(eq(parks.code, input.code));
  if (dupe) throw new AppError('DUPLICATE', { field: 'code' });
  const [row] = await tx.insert(parks).values(input).returning();
  await tx.insert(parkStageHistory).values({ parkId: row!.id, stage: row!.stage, on: today });
  await tx
    .insert(parkMilestones)
    .values(DEFAULT_MILESTONES.map((m, i) => ({ parkId: row!.id, seq: i + 1, key: m.key, name: m.name })));
  await deps.audit.write(tx, actor, {
    action: 'park.create',
    entity: 'park',
    entityId: row!.id,
    regionCode: row!.regionCode,
    summary: { after: { code: row!.code, name: row!.name } },
  });
  return row!;
}

export async function updatePark(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  version: number,
  patch: Partial<ParkInput>,
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  if (scope.kind !== 'all' && scope.kind !== 'region') throw new AppError('FORBIDDEN');
  if (patch.regionCode) assertRegionWritable(deps, scope, patch.regionCode);
  await assertOperator(tx, deps, scope, patch.operatorOrgId, patch.regionCode ?? current.park.regionCode);
  const [row] = await tx
    .update(parks)
    .set({ ...patch, version: sql`${parks.version} + 1`, updatedAt: new Date() })
    .where(and(eq(parks.id, id), eq(parks.version, version)))
    .returning();
  if (!row) throw new AppError('CONFLICT', { reason: 'stale version' });
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const k of Object.keys(patch) as (keyof ParkInput)[]) {
    before[k] = current.park[k];
    after[k] = row[k];
  }
  await deps.audit.write(tx, actor, {
    action: 'park.update',
    entity: 'park',
    entityId: id,
    regionCode: row.regionCode,
    summary: { before, after },
  });
  return row;
}

export async function moveStage(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  to: ParkStage,
  on: string,
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  if (!canMoveStage(current.park.stage, to))
    throw new AppError('CONFLICT', { reason: `${current.park.stage} → ${to}` });
  const [row] = await tx
    .update(parks)
    .set({ stage: to, version: sql`${parks.version} + 1`, updatedAt: new Date() })
    .where(eq(parks.id, id))
    .returning();
  await tx.insert(parkStageHistory).values({ parkId: id, stage: to, on });
  await deps.audit.write(tx, actor, {
    action: 'park.stage',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: { before: { stage: current.park.stage }, after: { stage: to, on } },
  });
  return row!;
}

export interface MilestoneInput {
  key: string;
  name: string;
  plannedOn: string | null;
  actualOn: string | null;
}

/** Replaces the park's milestone schedule (keys keep their notice state). */
export async function setMilestones(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  list: MilestoneInput[],
  today: string,
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const keys = new Set<string>();
  for (const m of list) {
    if (keys.has(m.key))
      throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'key', message: `duplicate ${m.key}` }] });
    keys.add(m.key);
    if (m.actualOn && m.actualOn > today)
      throw new AppError(
        'DATE_IN_FUTURE',
        {},
        { fields: [{ field: `body.milestones.${m.key}.actualOn`, node: m.name }] },
      );
  }
  const before = await tx.select().from(parkMilestones).where(eq(parkMilestones.parkId, id));
  await tx.delete(parkMilestones).where(eq(parkMilestones.parkId, id));
  if (list.length) {
    await tx.insert(parkMilestones).values(
      list.map((m, i) => {
        const prev = before.find((b) => b.key === m.key);
        return {
          parkId: id,
          seq: i + 1,
          ...m,
          overdueNotified: !!prev?.overdueNotified && prev.plannedOn === m.plannedOn && !m.actualOn,
        };
      }),
    );
  }
  await deps.audit.write(tx, actor, {
    action: 'park.milestones.set',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: {
      before: before.map((b) => ({ key: b.key, plannedOn: b.plannedOn, actualOn: b.actualOn })),
      after: list.map((b) => ({ key: b.key, plannedOn: b.plannedOn, actualOn: b.actualOn })),
    },
  });
}

export async function setMonthlyInvestment(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { year: number; month: number; amountWan: number; source: 'reported' | 'statistics' | 'verified' },
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  await tx
    .insert(parkMonthlyInvestments)
    .values({ parkId: id, ...v, enteredBy: actor.userId })
    .onConflictDoUpdate({
      target: [parkMonthlyInvestments.parkId, parkMonthlyInvestments.year, parkMonthlyInvestments.month],
      set: { amountWan: v.amountWan, source: v.source, enteredBy: actor.userId, enteredAt: new Date() },
    });
  await deps.audit.write(tx, actor, {
    action: 'park.investment.set',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: { after: v },
  });
}

export async function setInvestmentPlan(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { year: number; plannedWan: number },
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  await tx
    .insert(parkInvestmentPlans)
    .values({ parkId: id, ...v })
    .onConflictDoUpdate({
      target: [parkInvestmentPlans.parkId, parkInvestmentPlans.year],
      set: { plannedWan: v.plannedWan },
    });
  await deps.audit.write(tx, actor, {
    action: 'park.plan.set',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: { after: v },
  });
}

export interface ReportInput {
  period: 'week' | 'month';
  periodStart: string;
  investmentWan: number;
  progress: string;
  problems: string;
  photoFileIds: string[];
  /** Replace a report already submitted for the period (the UI asks first); without it that is 409. */
  replace?: boolean;
}

/**
 * Submits (or, with `replace`, corrects) a 周报/月报; the period start is normalised to a Monday / the 1st. A period
 * that already has a submitted report is refused unless the caller says it replaces it (issue #18).
 */
export async function submitReport(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  input: ReportInput,
  today: string,
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const periodStart = input.period === 'week' ? weekStart(input.periodStart) : `${input.periodStart.slice(0, 7)}-01`;
  if (periodStart > today) throw new AppError('DATE_IN_FUTURE', {}, { fields: [{ field: 'body.periodStart' }] });
  const dueOn = reportDueOn(input.period, periodStart);
  const [existing] = await tx
    .select({ submittedOn: parkReports.submittedOn })
    .from(parkReports)
    .where(
      and(eq(parkReports.parkId, id), eq(parkReports.period, input.period), eq(parkReports.periodStart, periodStart)),
    );
  if (existing?.submittedOn && !input.replace) {
    throw new AppError(
      'REPORT_ALREADY_SUBMITTED',
      { periodStart, submittedOn: existing.submittedOn },
      { fields: [{ field: 'body.periodStart' }], submittedOn: existing.submittedOn },
    );
  }
  const { replace: _replace, ...report } = input;
  const values = { ...report, periodStart, dueOn, parkId: id, submittedOn: today, submittedBy: actor.userId };
  const [row] = await tx
    .insert(parkReports)
    .values(values)
    .onConflictDoUpdate({
      target: [parkReports.parkId, parkReports.period, parkReports.periodStart],
      set: {
        investmentWan: input.investmentWan,
        progress: input.progress,
        problems: input.problems,
        photoFileIds: input.photoFileIds,
        submittedBy: actor.userId,
        submittedOn: sql`coalesce(${parkReports.submittedOn}, ${today}::date)`,
      },
    })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'park.report.submit',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: {
      period: input.period,
      periodStart,
      dueOn,
      late: today > dueOn,
      replaced: Boolean(existing?.submittedOn),
    },
  });
  return row!;
}

export async function addBuilding(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { name: string; floors: number },
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const [dupe] = await tx
    .select()
    .from(parkBuildings)
    .where(and(eq(parkBuildings.parkId, id), eq(parkBuildings.name, v.name)));
  if (dupe) throw new AppError('DUPLICATE', { field: 'name' });
  const [row] = await tx
    .insert(parkBuildings)
    .values({ parkId: id, ...v })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'park.building.create',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: { after: v },
  });
  return row!;
}

export async function addUnit(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: {
    buildingId: string;
    floor: number;
    code: string;
    areaM2: number;
    use: (typeof parkUnits.use.enumValues)[number];
    leasable: boolean;
  },
) {
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const [b] = await tx
    .select()
    .from(parkBuildings)
    .where(and(eq(parkBuildings.id, v.buildingId), eq(parkBuildings.parkId, id)));
  if (!b) throw new AppError('NOT_FOUND');
  if (v.floor < 1 || v.floor > b.floors)
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'floor', message: `1–${b.floors}` }] });
  const [dupe] = await tx
    .select()
    .from(parkUnits)
    .where(and(eq(parkUnits.buildingId, v.buildingId), eq(parkUnits.code, v.code)));
  if (dupe) throw new AppError('DUPLICATE', { field: 'code' });
  const [row] = await tx
    .insert(parkUnits)
    .values({ parkId: id, ...v })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'park.unit.create',
    entity: 'park',
    entityId: id,
    regionCode: current.park.regionCode,
    summary: { after: v },
  });
  return row!;
}

/**
 * Notifies the operator and the district of newly overdue milestones, once per node: one notice per park
 * listing its nodes, in one transaction per park.
 */
export async function scanOverdue(deps: AppDeps, today: string) {
  const { db } = deps.database;
  const due = await db
    .select({ m: parkMilestones, park: parks })
    .from(parkMilestones)
    .innerJoin(parks, eq(parks.id, parkMilestones.parkId))
    .where(
      and(
        sql`${parkMilestones.actualOn} is null`,
        sql`${parkMilestones.plannedOn} < ${today}::date`,
        eq(parkMilestones.overdueNotified, false),
      ),
    );
  const byPark = new Map<string, { park: q.ParkRow; nodes: (typeof parkMilestones.$inferSelect)[] }>();
  for (const { m, park } of due) {
    if (milestoneStatus(m.plannedOn, m.actualOn, today) !== 'red') continue;
    const entry = byPark.get(park.id) ?? { park, nodes: [] };
    entry.nodes.push(m);
    byPark.set(park.id, entry);
  }
  for (const { park, nodes } of byPark.values()) {
    await db.transaction(async (tx) => {
      const recipients = await recipientsFor(tx, {
        orgIds: park.operatorOrgId ? [park.operatorOrgId] : [],
        regionAdminsOf: [park.regionCode],
      });
      const list = nodes.map((n) => `${n.name}（计划 ${n.plannedOn}）`).join('、');
      await deps.notifications.notify(
        tx,
        recipients.map((r) => r.id),
        {
          kind: 'park.milestone.overdue',
          title: `【节点逾期】${park.name}：${nodes.length} 个节点未按计划完成`,
          body: `${list}。请尽快完成并填报实际完成日期，或申请调整计划。`,
          link: `/parks/${park.id}`,
          entity: 'park',
          entityId: park.id,
        },
      );
      await tx
        .update(parkMilestones)
        .set({ overdueNotified: true })
        .where(
          inArray(
            parkMilestones.id,
            nodes.map((n) => n.id),
          ),
        );
      await deps.audit.write(tx, SYSTEM_ACTOR, {
        action: 'park.milestone.overdue.notify',
        entity: 'park',
        entityId: park.id,
        regionCode: park.regionCode,
        summary: { milestones: nodes.map((n) => n.key), recipients: recipients.length },
      });
    });
  }
  return { overdueNodes: due.length, parksNotified: byPark.size };
}

// ---- figures shared by the endpoints and the cockpit (issue #21: one implementation) -------------------

/** A region's subtree for a `region` filter; an unknown code is a validation error of the field. */
export function regionFilter(deps: Pick<AppDeps, 'regions'>, code: string | undefined) {
  if (!code) return undefined;
  const sub = deps.regions.subtree(code);
  if (!sub.length) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
  return sub;
}

/** `GET /api/v1/parks/stats`: the parks under monitoring on asOf, their land, floor area, firms settled. */
export async function parkStats(deps: AppDeps, scope: Scope, p: { region?: string; asOf: string }) {
  const { db } = deps.database;
  const asOf = p.asOf;
  const s = await q.stats(db, scope, { region: regionFilter(deps, p.region), monitoredOn: asOf }, asOf, asOf);
  return {
    asOf,
    region: p.region ?? null,
    monitoredParks: s.totals.n,
    landAreaMu: Number(s.totals.land),
    floorAreaM2: Number(s.totals.floor),
    plannedInvestmentWan: Number(s.totals.investment),
    firms: Number(s.totals.firms),
    overdueParks: s.overdueParks,
    byStage: Object.fromEntries(s.byStage.map((b) => [b.stage, b.n])),
    byRegion: s.byRegion.map((r) => ({
      regionCode: r.regionCode,
      regionName: r.regionName,
      parks: r.n,
      landAreaMu: Number(r.land),
      floorAreaM2: Number(r.floor),
      firms: Number(r.firms),
    })),
  };
}

/** `GET /api/v1/parks/investment`: the year's industrial investment by district against targets. */
export async function parkInvestment(
  deps: AppDeps,
  scope: Scope,
  query: { year: number; asOf?: string; region?: string },
  todayIso: string,
) {
  const { db } = deps.database;
  const year = query.year;
  // default: today in the current year; for a past year the end of the last month with reported investment
  let asOf = query.asOf;
  if (!asOf) {
    if (String(year) === todayIso.slice(0, 4)) asOf = todayIso;
    else {
      const [m] = await db
        .select({ month: sql<number | null>`max(${parkMonthlyInvestments.month})` })
        .from(parkMonthlyInvestments)
        .where(eq(parkMonthlyInvestments.year, year));
      const month = m?.month ? Number(m.month) : 12;
      const end = new Date(Date.UTC(year, month, 0)).getUTCDate();
      asOf = `${year}-${String(month).padStart(2, '0')}-${end}`;
    }
  }
  if (!asOf.startsWith(String(year)))
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'asOf', message: 'year' }] });
  const month = Number(asOf.slice(5, 7));
  const rows = await q.investmentByRegion(db, scope, year, month, regionFilter(deps, query.region));
  const targets = new Map((await q.targets(db, year)).map((t) => [t.regionCode, t.targetWan]));
  const regions = rows.map((r) => {
    const completed = Number(r.done);
    const planned = Number(r.plan);
    const target = targets.get(r.regionCode) ?? planned;
    const p = investmentProgress(completed, target, asOf);
    return {
      regionCode: r.regionCode,
      regionName: deps.regions.get(r.regionCode)?.name ?? r.regionCode,
      parks: r.n,
      completedWan: completed,
      plannedWan: planned,
      targetWan: target,
      completionRate: p.completionRate === null ? null : Math.round(p.completionRate * 10_000) / 100,
      gapPp: p.gapPp === null ? null : Math.round(p.gapPp * 100) / 100,
    };
  });
  const completed = regions.reduce((a, r) => a + r.completedWan, 0);
  const root = query.region ?? scope.rootRegion ?? '';
  const target = targets.get(root) ?? regions.reduce((a, r) => a + r.targetWan, 0);
  const p = investmentProgress(completed, target, asOf);
  return {
    year,
    asOf,
    elapsedShare: Math.round(p.elapsedShare * 10_000) / 100,
    total: {
      completedWan: completed,
      targetWan: target,
      completionRate: p.completionRate === null ? null : Math.round(p.completionRate * 10_000) / 100,
      gapPp: p.gapPp === null ? null : Math.round(p.gapPp * 100) / 100,
    },
    regions,
  };
}
