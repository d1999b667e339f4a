/**
 * 目标任务 (issue #21): targets per region, indicator and period. A target is set by the level above its region: a
 * city official sets the targets of the districts of the city (and deeper), never of the city itself; a district
 * official those of the regions below the district, never of the district. Reads are open within the scope.
 * Progress is not stored: the cockpit computes it from the tiles (src/server/modules/dashboard/summary.ts).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  periodBounds,
  periodOf,
  TARGET_PERIODS,
  type TargetIndicator,
  type TargetPeriod,
} from '../../../domain/targets.ts';
import type { Executor, Tx } from '../../db/client.ts';
import { regions, targets } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Scope } from '../../platform/scope.ts';

export type TargetRow = typeof targets.$inferSelect;

export interface TargetInput {
  regionCode: string;
  indicator: TargetIndicator;
  period: TargetPeriod;
  year: number;
  periodNo: number;
  value: number;
  basis?: string;
}

/** Regions whose targets the caller may read: the scope's subtree. */
function readable(scope: Scope) {
  if (scope.kind === 'all') return sql`true`;
  if (scope.kind !== 'region' || scope.regionCodes.length === 0) return sql`false`;
  return inArray(targets.regionCode, [...scope.regionCodes]);
}

/** The caller may set the region's targets: region officials for the regions strictly below their root. */
export function assertSettable(scope: Scope, regionCode: string) {
  if (scope.kind !== 'region' || !scope.rootRegion) throw new AppError('FORBIDDEN');
  if (!scope.regionCodes.includes(regionCode)) throw new AppError('REGION_OUT_OF_SCOPE', { region: regionCode });
  if (regionCode === scope.rootRegion) throw new AppError('TARGET_LEVEL_ABOVE', { region: regionCode });
}

export function validPeriodNo(period: TargetPeriod, no: number) {
  return period === 'year' ? no === 1 : period === 'half' ? no === 1 || no === 2 : no >= 1 && no <= 4;
}

export async function listTargets(
  ex: Executor,
  scope: Scope,
  f: { region?: string[]; year?: number; indicator?: string },
) {
  return ex
    .select({ target: targets, regionName: regions.name })
    .from(targets)
    .innerJoin(regions, eq(regions.code, targets.regionCode))
    .where(
      and(
        readable(scope),
        f.region ? inArray(targets.regionCode, f.region) : undefined,
        f.year ? eq(targets.year, f.year) : undefined,
        f.indicator ? eq(targets.indicator, f.indicator) : undefined,
      ),
    )
    .orderBy(
      asc(targets.year),
      asc(targets.regionCode),
      asc(targets.indicator),
      asc(targets.period),
      asc(targets.periodNo),
    );
}

export async function getTarget(ex: Executor, scope: Scope, id: string) {
  const [row] = await ex
    .select()
    .from(targets)
    .where(and(eq(targets.id, id), readable(scope)));
  return row;
}

/**
 * The targets of one region whose period contains `asOf`, one per indicator: the year's target when set, else the
 * half's, else the quarter's (leaders read the year first). Used by the cockpit and the reports.
 */
export async function targetsInForce(ex: Executor, regionCode: string, asOf: string) {
  const year = Number(asOf.slice(0, 4));
  const rows = await ex
    .select()
    .from(targets)
    .where(and(eq(targets.regionCode, regionCode), eq(targets.year, year)));
  const out = new Map<string, TargetRow>();
  for (const period of TARGET_PERIODS) {
    const no = periodOf(period, asOf).no;
    for (const r of rows)
      if (r.period === period && r.periodNo === no && !out.has(r.indicator)) out.set(r.indicator, r);
  }
  return out;
}

const auditSummary = (t: Pick<TargetRow, 'regionCode' | 'indicator' | 'period' | 'year' | 'periodNo' | 'value'>) => ({
  regionCode: t.regionCode,
  indicator: t.indicator,
  period: t.period,
  year: t.year,
  periodNo: t.periodNo,
  value: t.value,
});

export async function createTarget(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, input: TargetInput) {
  assertSettable(scope, input.regionCode);
  const [dup] = await tx
    .select({ id: targets.id })
    .from(targets)
    .where(
      and(
        eq(targets.regionCode, input.regionCode),
        eq(targets.indicator, input.indicator),
        eq(targets.period, input.period),
        eq(targets.year, input.year),
        eq(targets.periodNo, input.periodNo),
      ),
    );
  if (dup) throw new AppError('DUPLICATE', { field: 'regionCode + indicator + period' });
  const [row] = await tx
    .insert(targets)
    .values({
      ...input,
      basis: input.basis ?? '',
      setByRegion: scope.rootRegion,
      createdBy: actor.userId,
      updatedBy: actor.userId,
    })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'target.create',
    entity: 'target',
    entityId: row!.id,
    regionCode: row!.regionCode,
    summary: auditSummary(row!),
  });
  return row!;
}

export async function updateTarget(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  version: number,
  patch: { value?: number; basis?: string },
) {
  const current = await getTarget(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  assertSettable(scope, current.regionCode);
  const [row] = await tx
    .update(targets)
    .set({ ...patch, updatedBy: actor.userId, updatedAt: new Date(), version: sql`${targets.version} + 1` })
    .where(and(eq(targets.id, id), eq(targets.version, version)))
    .returning();
  if (!row) {
    const e = new AppError('VERSION_CONFLICT', { current: current.version });
    (e as { status: number }).status = 409; // as the assistance module answers a stale version
    throw e;
  }
  await deps.audit.write(tx, actor, {
    action: 'target.update',
    entity: 'target',
    entityId: id,
    regionCode: row.regionCode,
    summary: { ...auditSummary(row), before: current.value },
  });
  return row;
}

export async function deleteTarget(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, id: string) {
  const current = await getTarget(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  assertSettable(scope, current.regionCode);
  await tx.delete(targets).where(eq(targets.id, id));
  await deps.audit.write(tx, actor, {
    action: 'target.delete',
    entity: 'target',
    entityId: id,
    regionCode: current.regionCode,
    summary: auditSummary(current),
  });
}

/** Insert or replace (same region, indicator and period) — the Excel import's write. */
export async function upsertTargets(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, rows: TargetInput[]) {
  let created = 0;
  let updated = 0;
  for (const input of rows) {
    assertSettable(scope, input.regionCode);
    const [old] = await tx
      .select()
      .from(targets)
      .where(
        and(
          eq(targets.regionCode, input.regionCode),
          eq(targets.indicator, input.indicator),
          eq(targets.period, input.period),
          eq(targets.year, input.year),
          eq(targets.periodNo, input.periodNo),
        ),
      );
    if (old) {
      await tx
        .update(targets)
        .set({
          value: input.value,
          basis: input.basis ?? old.basis,
          updatedBy: actor.userId,
          updatedAt: new Date(),
          version: sql`${targets.version} + 1`,
        })
        .where(eq(targets.id, old.id));
      updated++;
    } else {
      await tx.insert(targets).values({
        ...input,
        basis: input.basis ?? '',
        setByRegion: scope.rootRegion,
        createdBy: actor.userId,
        updatedBy: actor.userId,
      });
      created++;
    }
  }
  await deps.audit.write(tx, actor, {
    action: 'target.import',
    entity: 'target',
    regionCode: scope.rootRegion,
    summary: { rows: rows.length, created, updated },
  });
  return { created, updated };
}

export { periodBounds };
