/** Work groups, cadres, pairings, coverage, visits (无事不扰), preferences and common issues (批处理). */
import { and, asc, count, desc, eq, gte, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { can } from '../../../domain/access.ts';
import { maskMobile } from '../../../domain/personal-data.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  assistanceCadres,
  assistanceCommonIssues,
  assistanceNoVisitReasons,
  assistancePairings,
  assistancePreferences,
  assistanceProblems,
  assistanceVisits,
  assistanceWorkGroups,
  enterprises,
  files,
  orgs,
} from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { formatMessage, type Locale } from '../../platform/messages.ts';
import { likePattern } from '../../platform/paging.ts';
import { assertOrgReference } from '../../platform/references.ts';
import { type Caller, enterpriseVisible, problemScope } from './access.ts';
import { type ActionInput, applyAction } from './problems.ts';
import { settingsFor } from './settings.ts';

const NIL = '00000000-0000-0000-0000-000000000000';

/** Region condition for admin-kind lists; cadres see their own group/cadre rows; others nothing. */
function regionScope(c: Caller, col: PgColumn): SQL {
  if (c.regionCodes.length) return inArray(col, [...c.regionCodes]);
  return sql`false`;
}

// ---------------------------------------------------------------- groups and cadres

export async function listGroups(ex: Executor, c: Caller, q: { region?: string[]; q?: string }) {
  const g = assistanceWorkGroups;
  const own =
    c.role === 'cadre' && c.cadreIds.length
      ? sql`${g.id} in (select ${assistanceCadres.workGroupId} from ${assistanceCadres} where ${inArray(assistanceCadres.id, c.cadreIds)})`
      : sql`false`;
  const where = and(
    or(regionScope(c, g.regionCode), own),
    q.region ? inArray(g.regionCode, q.region) : undefined,
    q.q ? sql`${g.name} ilike ${likePattern(q.q)}` : undefined,
  );
  const rows = await ex
    .select({
      g,
      cadres: sql<number>`(select count(*)::int from assistance_cadres c where c.work_group_id = assistance_work_groups.id)`,
      pairings: sql<number>`(select count(*)::int from assistance_pairings p join assistance_cadres c on c.id = p.cadre_id where c.work_group_id = assistance_work_groups.id)`,
    })
    .from(g)
    .where(where)
    .orderBy(asc(g.regionCode), asc(g.name))
    .limit(500);
  const [{ n } = { n: 0 }] = await ex.select({ n: count() }).from(g).where(where);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.g.id,
      regionCode: r.g.regionCode,
      name: r.g.name,
      leaderName: r.g.leaderName,
      cadres: Number(r.cadres),
      pairings: Number(r.pairings),
    })),
  };
}

export async function groupDetail(ex: Executor, c: Caller, id: string) {
  const g = assistanceWorkGroups;
  const own =
    c.cadreIds.length > 0
      ? sql`${g.id} in (select ${assistanceCadres.workGroupId} from ${assistanceCadres} where ${inArray(assistanceCadres.id, c.cadreIds)})`
      : sql`false`;
  const [row] = await ex
    .select()
    .from(g)
    .where(and(eq(g.id, id), or(regionScope(c, g.regionCode), own)));
  if (!row) throw new AppError('NOT_FOUND');
  const members = await ex
    .select({
      id: assistanceCadres.id,
      name: assistanceCadres.name,
      org: assistanceCadres.org,
      phoneMasked: assistanceCadres.phoneMasked,
      hasLogin: sql<boolean>`${assistanceCadres.userId} is not null`,
      pairings: sql<number>`(select count(*)::int from assistance_pairings p where p.cadre_id = assistance_cadres.id)`,
    })
    .from(assistanceCadres)
    .where(eq(assistanceCadres.workGroupId, id))
    .orderBy(asc(assistanceCadres.name))
    .limit(500);
  return {
    id: row.id,
    regionCode: row.regionCode,
    name: row.name,
    leaderName: row.leaderName,
    members: members.map((m) => ({ ...m, pairings: Number(m.pairings) })),
  };
}

export interface GroupInput {
  regionCode: string;
  name: string;
  leaderName: string;
  members: { name: string; org: string; phone?: string }[];
}

export async function createGroup(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, input: GroupInput) {
  if (!c.regionCodes.includes(input.regionCode)) throw new AppError('NOT_FOUND');
  const [g] = await tx
    .insert(assistanceWorkGroups)
    .values({ regionCode: input.regionCode, name: input.name, leaderName: input.leaderName })
    .returning();
  if (input.members.length) {
    await tx.insert(assistanceCadres).values(
      input.members.map((m) => ({
        name: m.name,
        org: m.org,
        regionCode: input.regionCode,
        workGroupId: g!.id,
        phoneEnc: m.phone ? deps.cipher.encrypt(m.phone) : null,
        phoneMasked: m.phone ? maskMobile(m.phone) : null,
      })),
    );
  }
  await deps.audit.write(tx, actor, {
    action: 'assistance.group.create',
    entity: 'assistance_group',
    entityId: g!.id,
    regionCode: input.regionCode,
    summary: { name: input.name, members: input.members.length },
  });
  return g!;
}

// ---------------------------------------------------------------- pairings

function pairingScope(c: Caller): SQL {
  const p = assistancePairings;
  if (c.role === 'cadre') return c.cadreIds.length ? inArray(p.cadreId, c.cadreIds) : sql`false`;
  if (c.role === 'enterprise') return c.enterpriseId ? eq(p.enterpriseId, c.enterpriseId) : sql`false`;
  return regionScope(c, p.regionCode);
}

export async function listPairings(
  ex: Executor,
  c: Caller,
  q: { cadreId?: string; enterpriseId?: string; q?: string; page: number; pageSize: number },
) {
  const p = assistancePairings;
  const where = and(
    pairingScope(c),
    q.cadreId ? eq(p.cadreId, q.cadreId) : undefined,
    q.enterpriseId ? eq(p.enterpriseId, q.enterpriseId) : undefined,
    q.q
      ? sql`(${p.firmName} ilike ${likePattern(q.q)} or ${assistanceCadres.name} ilike ${likePattern(q.q)} or ${p.firmUscc} = ${q.q.toUpperCase()})`
      : undefined,
  );
  const [rows, [{ n } = { n: 0 }]] = await Promise.all([
    ex
      .select({
        p,
        cadreName: assistanceCadres.name,
        cadreOrg: assistanceCadres.org,
        groupName: assistanceWorkGroups.name,
      })
      .from(p)
      .innerJoin(assistanceCadres, eq(assistanceCadres.id, p.cadreId))
      .leftJoin(assistanceWorkGroups, eq(assistanceWorkGroups.id, assistanceCadres.workGroupId))
      .where(where)
      .orderBy(desc(p.enterpriseId), asc(p.firmName))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ex.select({ n: count() }).from(p).innerJoin(assistanceCadres, eq(assistanceCadres.id, p.cadreId)).where(where),
  ]);
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: r.p.id,
      cadreId: r.p.cadreId,
      cadreName: r.cadreName,
      cadreOrg: r.cadreOrg,
      groupName: r.groupName,
      enterpriseId: r.p.enterpriseId,
      firmName: r.p.firmName,
      firmUscc: r.p.firmUscc,
      regionCode: r.p.regionCode,
      fromOn: r.p.fromOn,
      toOn: r.p.toOn,
    })),
  };
}

export async function cadreInScope(ex: Executor, c: Caller, cadreId: string) {
  const [cad] = await ex
    .select()
    .from(assistanceCadres)
    .where(and(eq(assistanceCadres.id, cadreId), regionScope(c, assistanceCadres.regionCode)));
  if (!cad) throw new AppError('NOT_FOUND');
  return cad;
}

export async function createPairing(
  deps: AppDeps,
  tx: Tx,
  c: Caller,
  actor: Actor,
  input: { cadreId: string; enterpriseId: string; fromOn: string; toOn?: string | null },
) {
  const cad = await cadreInScope(tx, c, input.cadreId);
  const firm = await enterpriseVisible(tx, c, input.enterpriseId);
  if (!firm) throw new AppError('NOT_FOUND');
  const [e] = await tx.select({ uscc: enterprises.uscc }).from(enterprises).where(eq(enterprises.id, firm.id));
  const dup = await tx
    .select({ id: assistancePairings.id })
    .from(assistancePairings)
    .where(
      and(
        eq(assistancePairings.cadreId, cad.id),
        eq(assistancePairings.enterpriseId, firm.id),
        sql`(${assistancePairings.toOn} is null or ${assistancePairings.toOn} >= ${input.fromOn}::date)`,
      ),
    );
  if (dup.length) throw new AppError('DUPLICATE', { field: '干部+企业 / cadre+enterprise' });
  const [row] = await tx
    .insert(assistancePairings)
    .values({
      cadreId: cad.id,
      enterpriseId: firm.id,
      firmName: firm.name,
      firmUscc: e?.uscc ?? '',
      regionCode: firm.regionCode,
      fromOn: input.fromOn,
      toOn: input.toOn ?? null,
    })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'assistance.pairing.create',
    entity: 'assistance_pairing',
    entityId: row!.id,
    regionCode: firm.regionCode,
    summary: { cadre: cad.name, enterprise: firm.name },
  });
  return row!;
}

export async function deletePairing(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, id: string) {
  const [row] = await tx
    .select()
    .from(assistancePairings)
    .where(and(eq(assistancePairings.id, id), regionScope(c, assistancePairings.regionCode)));
  if (!row) throw new AppError('NOT_FOUND');
  await tx.delete(assistancePairings).where(eq(assistancePairings.id, id));
  await deps.audit.write(tx, actor, {
    action: 'assistance.pairing.delete',
    entity: 'assistance_pairing',
    entityId: id,
    regionCode: row.regionCode,
    summary: { firm: row.firmName, cadreId: row.cadreId },
  });
}

// ---------------------------------------------------------------- coverage

export async function coverage(ex: Executor, regionCodes: string[], from: string, to: string) {
  const rc = regionCodes.length ? regionCodes : ['-'];
  const overlaps = sql`${assistancePairings.fromOn} <= ${to}::date and (${assistancePairings.toOn} is null or ${assistancePairings.toOn} >= ${from}::date)`;
  const [[registry], [paired], [roster], [cadres], visitRows] = await Promise.all([
    // The population 万人助万企 pairs is the 四上 firms (seed 003: 包联服务"四上"企业12327家): registry firms that
    // are above scale in some year, or already paired. Small park tenants without figures are not in it.
    ex
      .select({ n: count() })
      .from(enterprises)
      .where(
        and(
          inArray(enterprises.regionCode, rc),
          eq(enterprises.status, 'active'),
          sql`(exists (select 1 from enterprise_facts f where f.enterprise_id = ${enterprises.id} and f.above_scale)
               or exists (select 1 from assistance_pairings ap where ap.enterprise_id = ${enterprises.id}))`,
        ),
      ),
    ex
      .select({
        n: sql<number>`count(distinct coalesce(${assistancePairings.enterpriseId}::text, ${assistancePairings.firmName}))::int`,
      })
      .from(assistancePairings)
      .where(and(inArray(assistancePairings.regionCode, rc), overlaps)),
    ex
      .select({ n: sql<number>`count(distinct ${assistancePairings.firmName})::int` })
      .from(assistancePairings)
      .where(and(inArray(assistancePairings.regionCode, rc), sql`${assistancePairings.enterpriseId} is null`)),
    ex.select({ n: count() }).from(assistanceCadres).where(inArray(assistanceCadres.regionCode, rc)),
    ex
      .select({ kind: assistanceVisits.kind, n: count() })
      .from(assistanceVisits)
      .where(
        and(
          inArray(assistanceVisits.regionCode, rc),
          gte(assistanceVisits.visitedOn, from),
          lte(assistanceVisits.visitedOn, to),
        ),
      )
      .groupBy(assistanceVisits.kind),
  ]);
  const without = await ex
    .select({
      cadreId: assistanceCadres.id,
      name: assistanceCadres.name,
      org: assistanceCadres.org,
      reason: sql<
        string | null
      >`(select r.reason from assistance_no_visit_reasons r where r.cadre_id = assistance_cadres.id and r.from_on <= ${to}::date and r.to_on >= ${from}::date order by r.created_at desc limit 1)`,
    })
    .from(assistanceCadres)
    .where(
      and(
        inArray(assistanceCadres.regionCode, rc),
        sql`assistance_cadres.id not in (select unnest(v.cadre_ids) from assistance_visits v where v.visited_on between ${from}::date and ${to}::date)`,
      ),
    )
    .orderBy(asc(assistanceCadres.name))
    .limit(200);
  const inScope = Number(registry?.n ?? 0) + Number(roster?.n ?? 0);
  const pairedN = Number(paired?.n ?? 0);
  return {
    from,
    to,
    enterprisesInScope: inScope,
    registryEnterprises: Number(registry?.n ?? 0),
    rosterOnlyEnterprises: Number(roster?.n ?? 0),
    paired: pairedN,
    coverageRate: inScope ? Math.floor((pairedN / inScope) * 10_000 + 1e-9) / 10_000 : null,
    cadres: Number(cadres?.n ?? 0),
    visits: Number(visitRows.find((v) => v.kind === 'visit')?.n ?? 0),
    symposia: Number(visitRows.find((v) => v.kind === 'symposium')?.n ?? 0),
    cadresWithoutVisit: without,
  };
}

export async function recordNoVisitReason(
  deps: AppDeps,
  tx: Tx,
  c: Caller,
  actor: Actor,
  cadreId: string,
  input: { from: string; to: string; reason: string },
) {
  const [cad] = await tx
    .select()
    .from(assistanceCadres)
    .where(
      and(
        eq(assistanceCadres.id, cadreId),
        or(
          regionScope(c, assistanceCadres.regionCode),
          inArray(assistanceCadres.id, c.cadreIds.length ? c.cadreIds : [NIL]),
        ),
      ),
    );
  if (!cad) throw new AppError('NOT_FOUND');
  const [row] = await tx
    .insert(assistanceNoVisitReasons)
    .values({ cadreId, fromOn: input.from, toOn: input.to, reason: input.reason, createdBy: c.userId })
    .returning();
  await deps.audit.write(tx, actor, {
    action: 'assistance.cadre.no_visit_reason',
    entity: 'assistance_cadre',
    entityId: cadreId,
    regionCode: cad.regionCode,
    summary: { from: input.from, to: input.to },
  });
  return row!;
}

// ---------------------------------------------------------------- visits

export interface VisitInput {
  kind: 'visit' | 'symposium';
  date: string;
  enterpriseIds: string[];
  participants: string[];
  notes: string;
  photoFileIds: string[];
  location?: { lat: number; lng: number; accuracy: number; consent: true };
  followUps: string[];
}

export async function createVisit(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, input: VisitInput, locale: Locale) {
  const firms = [];
  for (const id of new Set(input.enterpriseIds)) {
    const f = await enterpriseVisible(tx, c, id);
    if (!f) throw new AppError('NOT_FOUND');
    firms.push(f);
  }
  if (input.photoFileIds.length) {
    const mine = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, input.photoFileIds), eq(files.ownerId, c.userId)));
    if (mine.length !== new Set(input.photoFileIds).size) {
      throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.photoFileIds', message: 'file' }] });
    }
  }
  const regionCode = firms[0]?.regionCode ?? c.auth.user.scopeRegionCode ?? c.regionCodes[0];
  if (!regionCode) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.enterpriseIds' }] });
  const [org] = c.orgId ? await tx.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, c.orgId)) : [];
  // 无事不扰: visits of each firm in the same month across all departments, before this one
  const month = input.date.slice(0, 7);
  const warnings: { code: 'VISIT_CAP_EXCEEDED' | 'PREFERS_ONLINE'; enterpriseId: string; message: string }[] = [];
  for (const f of firms) {
    const st = await settingsFor(tx, deps.regions, f.regionCode);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(assistanceVisits)
      .where(
        and(
          sql`${f.id} = any(${assistanceVisits.enterpriseIds})`,
          sql`to_char(${assistanceVisits.visitedOn}, 'YYYY-MM') = ${month}`,
        ),
      );
    const after = Number(n) + 1;
    if (after > st.visitCapPerMonth) {
      warnings.push({
        code: 'VISIT_CAP_EXCEEDED',
        enterpriseId: f.id,
        message: formatMessage('VISIT_CAP_EXCEEDED', locale, {
          enterprise: f.name,
          count: after,
          cap: st.visitCapPerMonth,
        }),
      });
    }
    const [pref] = await tx.select().from(assistancePreferences).where(eq(assistancePreferences.enterpriseId, f.id));
    if (pref?.preferOnline) {
      warnings.push({
        code: 'PREFERS_ONLINE',
        enterpriseId: f.id,
        message: formatMessage('PREFERS_ONLINE', locale, { enterprise: f.name }),
      });
    }
  }
  const location = input.location?.consent
    ? { lat: input.location.lat, lng: input.location.lng, accuracy: input.location.accuracy }
    : null;
  const [v] = await tx
    .insert(assistanceVisits)
    .values({
      kind: input.kind,
      visitedOn: input.date,
      regionCode,
      orgId: c.orgId,
      orgName: org?.name ?? '',
      cadreIds: c.cadreIds,
      enterpriseIds: firms.map((f) => f.id),
      firmCount: Math.max(1, firms.length),
      participants: input.participants,
      notes: input.notes,
      photoFileIds: input.photoFileIds,
      location,
      followUps: input.followUps,
      createdBy: c.userId,
    })
    .returning();
  if (input.photoFileIds.length) {
    await tx
      .update(files)
      .set({ entity: 'assistance_visit', entityId: v!.id })
      .where(inArray(files.id, input.photoFileIds));
  }
  await deps.audit.write(tx, actor, {
    action: 'assistance.visit.create',
    entity: 'assistance_visit',
    entityId: v!.id,
    regionCode,
    summary: { kind: input.kind, date: input.date, enterprises: firms.length, warnings: warnings.map((w) => w.code) },
  });
  return { visit: presentVisit(v!), warnings };
}

export function presentVisit(v: typeof assistanceVisits.$inferSelect) {
  return {
    id: v.id,
    kind: v.kind,
    date: v.visitedOn,
    regionCode: v.regionCode,
    orgId: v.orgId,
    orgName: v.orgName,
    cadreIds: v.cadreIds,
    enterpriseIds: v.enterpriseIds,
    firmCount: v.firmCount,
    participants: v.participants,
    notes: v.notes,
    photoFileIds: v.photoFileIds,
    location: v.location,
    followUps: v.followUps,
    createdAt: v.createdAt.toISOString(),
  };
}

function visitScope(c: Caller): SQL {
  const v = assistanceVisits;
  if (c.role === 'cadre') {
    return or(
      sql`${v.cadreIds} && ${sql.raw(`'{${(c.cadreIds.length ? c.cadreIds : [NIL]).join(',')}}'::uuid[]`)}`,
      eq(v.createdBy, c.userId),
    )!;
  }
  if (c.role === 'enterprise') return c.enterpriseId ? sql`${c.enterpriseId} = any(${v.enterpriseIds})` : sql`false`;
  return regionScope(c, v.regionCode);
}

export async function listVisits(
  ex: Executor,
  c: Caller,
  q: {
    enterpriseId?: string;
    from?: string;
    to?: string;
    kind?: 'visit' | 'symposium';
    page: number;
    pageSize: number;
  },
) {
  const v = assistanceVisits;
  const where = and(
    visitScope(c),
    q.enterpriseId ? sql`${q.enterpriseId} = any(${v.enterpriseIds})` : undefined,
    q.from ? gte(v.visitedOn, q.from) : undefined,
    q.to ? lte(v.visitedOn, q.to) : undefined,
    q.kind ? eq(v.kind, q.kind) : undefined,
  );
  const [rows, [{ n } = { n: 0 }]] = await Promise.all([
    ex
      .select()
      .from(v)
      .where(where)
      .orderBy(desc(v.visitedOn), desc(v.createdAt))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    ex.select({ n: count() }).from(v).where(where),
  ]);
  // one array parameter and a map: an export asks for tens of thousands of visits (issue #18)
  const entIds = [...new Set(rows.flatMap((r) => r.enterpriseIds))];
  const names = new Map(
    (entIds.length
      ? await ex
          .select({ id: enterprises.id, name: enterprises.name })
          .from(enterprises)
          .where(sql`${enterprises.id} = any(${`{${entIds.join(',')}}`}::uuid[])`)
      : []
    ).map((x) => [x.id, x.name]),
  );
  return {
    total: Number(n),
    items: rows.map((r) => ({
      ...presentVisit(r),
      enterprises: r.enterpriseIds.map((id) => ({ id, name: names.get(id) ?? '' })),
    })),
  };
}

/** 无事不扰: every visit to a firm across departments in a period (the firm sees its own calendar). */
export async function enterpriseCalendar(
  deps: AppDeps,
  ex: Executor,
  c: Caller,
  enterpriseId: string,
  from: string,
  to: string,
) {
  const firm = await enterpriseVisible(ex, c, enterpriseId);
  if (!firm) throw new AppError('NOT_FOUND');
  const rows = await ex
    .select()
    .from(assistanceVisits)
    .where(
      and(
        sql`${enterpriseId} = any(${assistanceVisits.enterpriseIds})`,
        gte(assistanceVisits.visitedOn, from),
        lte(assistanceVisits.visitedOn, to),
      ),
    )
    .orderBy(asc(assistanceVisits.visitedOn));
  const [pref] = await ex
    .select()
    .from(assistancePreferences)
    .where(eq(assistancePreferences.enterpriseId, enterpriseId));
  const st = await settingsFor(ex, deps.regions, firm.regionCode);
  const byMonth = new Map<string, number>();
  for (const r of rows) byMonth.set(r.visitedOn.slice(0, 7), (byMonth.get(r.visitedOn.slice(0, 7)) ?? 0) + 1);
  return {
    enterpriseId,
    enterpriseName: firm.name,
    preferOnline: pref?.preferOnline ?? false,
    visitCapPerMonth: st.visitCapPerMonth,
    months: [...byMonth.entries()].map(([month, visits]) => ({
      month,
      visits,
      overCap: visits > st.visitCapPerMonth,
    })),
    visits: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      date: r.visitedOn,
      orgName: r.orgName,
      participants: r.participants,
      notes: c.role === 'enterprise' ? '' : r.notes,
    })),
  };
}

export async function setPreferences(
  deps: AppDeps,
  tx: Tx,
  c: Caller,
  actor: Actor,
  enterpriseId: string,
  input: { preferOnline: boolean },
) {
  const firm = await enterpriseVisible(tx, c, enterpriseId);
  if (!firm) throw new AppError('NOT_FOUND');
  const itself = c.role === 'enterprise' && c.enterpriseId === enterpriseId;
  if (!itself && !can(c.role, 'assistance:manage')) throw new AppError('FORBIDDEN');
  await tx
    .insert(assistancePreferences)
    .values({ enterpriseId, preferOnline: input.preferOnline, updatedBy: c.userId })
    .onConflictDoUpdate({
      target: assistancePreferences.enterpriseId,
      set: { preferOnline: input.preferOnline, updatedBy: c.userId, updatedAt: deps.clock.now() },
    });
  await deps.audit.write(tx, actor, {
    action: 'assistance.preferences.update',
    entity: 'enterprise',
    entityId: enterpriseId,
    regionCode: firm.regionCode,
    summary: input,
  });
  return { enterpriseId, preferOnline: input.preferOnline };
}

// ---------------------------------------------------------------- common issues

function commonScope(c: Caller): SQL {
  const ci = assistanceCommonIssues;
  if (c.role === 'department_handler') return c.orgId ? eq(ci.ownerOrgId, c.orgId) : sql`false`;
  return regionScope(c, ci.regionCode);
}

export async function listCommonIssues(ex: Executor, c: Caller) {
  const ci = assistanceCommonIssues;
  const rows = await ex
    .select({
      ci,
      ownerOrgName: orgs.name,
      problems: sql<number>`(select count(*)::int from assistance_problems p where p.common_issue_id = assistance_common_issues.id)`,
      open: sql<number>`(select count(*)::int from assistance_problems p where p.common_issue_id = assistance_common_issues.id and p.status in ('collected','assigned','in_progress'))`,
    })
    .from(ci)
    .leftJoin(orgs, eq(orgs.id, ci.ownerOrgId))
    .where(commonScope(c))
    .orderBy(desc(ci.createdAt))
    .limit(200);
  return rows.map((r) => ({
    id: r.ci.id,
    title: r.ci.title,
    ownerOrgId: r.ci.ownerOrgId,
    ownerOrgName: r.ownerOrgName,
    regionCode: r.ci.regionCode,
    problems: Number(r.problems),
    open: Number(r.open),
    createdAt: r.ci.createdAt.toISOString(),
  }));
}

export async function commonIssueDetail(ex: Executor, c: Caller, id: string) {
  const ci = assistanceCommonIssues;
  const [row] = await ex
    .select({ ci, ownerOrgName: orgs.name })
    .from(ci)
    .leftJoin(orgs, eq(orgs.id, ci.ownerOrgId))
    .where(and(eq(ci.id, id), commonScope(c)));
  if (!row) throw new AppError('NOT_FOUND');
  const problems = await ex
    .select({
      id: assistanceProblems.id,
      code: assistanceProblems.code,
      title: assistanceProblems.title,
      enterpriseName: assistanceProblems.enterpriseName,
      status: assistanceProblems.status,
      version: assistanceProblems.version,
    })
    .from(assistanceProblems)
    .where(eq(assistanceProblems.commonIssueId, id))
    .orderBy(asc(assistanceProblems.code));
  const open = problems.filter((x) => ['collected', 'assigned', 'in_progress'].includes(x.status)).length;
  return {
    id: row.ci.id,
    title: row.ci.title,
    ownerOrgId: row.ci.ownerOrgId,
    ownerOrgName: row.ownerOrgName,
    regionCode: row.ci.regionCode,
    // 未办结 counts every member not yet resolved, routed or not (issue #18: it said 0 while all were open)
    total: problems.length,
    open,
    unrouted: problems.filter((x) => x.status === 'collected').length,
    problems,
  };
}

export async function createCommonIssue(
  deps: AppDeps,
  tx: Tx,
  c: Caller,
  actor: Actor,
  input: { title: string; ownerOrgId: string; problemIds: string[]; regionCode?: string },
) {
  const visible = await tx
    .select({ id: assistanceProblems.id, regionCode: assistanceProblems.regionCode })
    .from(assistanceProblems)
    .where(and(inArray(assistanceProblems.id, input.problemIds), problemScope(c)));
  if (visible.length !== new Set(input.problemIds).size) throw new AppError('NOT_FOUND');
  const regionCode =
    input.regionCode ?? (c.auth.scope.rootRegion && c.regionCodes.length ? c.auth.scope.rootRegion : null);
  if (!regionCode || !c.regionCodes.includes(regionCode)) throw new AppError('NOT_FOUND');
  const [o] = await tx.select().from(orgs).where(eq(orgs.id, input.ownerOrgId));
  if (!o) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.ownerOrgId', message: 'org' }] });
  // the owner must be an org the caller may name: its district's, or a level above (issue #16)
  await assertOrgReference(tx, deps, c.auth.scope, input.ownerOrgId, 'ownerOrgId', regionCode);
  const [row] = await tx
    .insert(assistanceCommonIssues)
    .values({ title: input.title, ownerOrgId: input.ownerOrgId, regionCode, createdBy: c.userId })
    .returning();
  await tx
    .update(assistanceProblems)
    .set({ commonIssueId: row!.id, version: sql`${assistanceProblems.version} + 1` })
    .where(inArray(assistanceProblems.id, input.problemIds));
  // Members not yet routed go to the issue's owner (issue #18: merging did not route them), through the normal
  // 交办 action (its rules, timeline and notices); routed members keep their department.
  const unrouted = await tx
    .select({ id: assistanceProblems.id, version: assistanceProblems.version })
    .from(assistanceProblems)
    .where(and(inArray(assistanceProblems.id, input.problemIds), eq(assistanceProblems.status, 'collected')));
  for (const p of unrouted)
    await applyAction(deps, tx, c, actor, p.id, { action: 'assign', version: p.version, orgId: input.ownerOrgId });
  await deps.audit.write(tx, actor, {
    action: 'assistance.common_issue.create',
    entity: 'assistance_common_issue',
    entityId: row!.id,
    regionCode,
    summary: { title: input.title, problems: input.problemIds.length, routed: unrouted.length },
  });
  return { ...row!, routed: unrouted.length };
}

/** 批处理: one action on every open problem of the issue, all in the caller's transaction (all or nothing). */
export async function batchCommonIssue(
  deps: AppDeps,
  tx: Tx,
  c: Caller,
  actor: Actor,
  id: string,
  input:
    | {
        action: 'resolve';
        answer: string;
        closureCode: 'resolved' | 'partly_resolved' | 'explained_policy_limit' | 'explained_not_our_remit';
      }
    | { action: 'feedback'; note: string },
) {
  await commonIssueDetail(tx, c, id);
  const targets = await tx
    .select()
    .from(assistanceProblems)
    .where(
      and(
        eq(assistanceProblems.commonIssueId, id),
        inArray(assistanceProblems.status, input.action === 'resolve' ? ['in_progress'] : ['assigned', 'in_progress']),
      ),
    );
  if (targets.length === 0) {
    // nothing can take the action: say why instead of answering { applied: 0 } (issue #18)
    const members = await tx
      .select({ status: assistanceProblems.status, n: count() })
      .from(assistanceProblems)
      .where(eq(assistanceProblems.commonIssueId, id))
      .groupBy(assistanceProblems.status);
    const n = (st: string) => Number(members.find((m) => m.status === st)?.n ?? 0);
    throw new AppError('COMMON_ISSUE_NOTHING_TO_DO', {
      unrouted: n('collected'),
      assigned: n('assigned'),
      done: n('resolved') + n('rated') + n('closed'),
    });
  }
  const done: string[] = [];
  for (const p of targets) {
    const action: ActionInput =
      input.action === 'resolve'
        ? { action: 'resolve', version: p.version, answer: input.answer, closureCode: input.closureCode }
        : { action: 'feedback', version: p.version, note: input.note };
    await applyAction(deps, tx, c, actor, p.id, action);
    done.push(p.id);
  }
  return { applied: done.length, problemIds: done };
}
