/**
 * 梯度培育 (issue #20, decision 0023): the engine (src/domain/cultivation) fed from the trusted enterprise facts, for
 * one firm and for the population; certifications (which feed enterprise_qualifications), the pool, targets and KPIs.
 */
import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { type Assessment, assessTier, shortfallsOf } from '../../../domain/cultivation/engine.ts';
import { TIERS, type Tier, type TierFacts } from '../../../domain/cultivation/facts.ts';
import { EXAMPLE_LOCAL_INDICATORS } from '../../../domain/cultivation/local-indicators.ts';
import type { Executor } from '../../db/client.ts';
import {
  cultivationAssessments,
  cultivationCertifications,
  cultivationTargets,
  enterpriseFacts,
  enterpriseQualifications,
  enterprises,
} from '../../db/schema/index.ts';
import { recomputeFacts } from '../enterprises/facts.ts';

export const LOCAL_INDICATORS = EXAMPLE_LOCAL_INDICATORS;

type FactsJson = Record<string, unknown> & { _src?: Record<string, string>; _trust?: Record<string, number> };
const n = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The engine's facts from the facts rows of the assessed year (上年度) and the two before it. Which enterprise fact
 * each tier fact rests on is returned too, so the verdict can name its sources and say whether it rests on a
 * self-reported figure (`_trust` 0).
 */
export function tierFactsOf(
  cur: FactsJson | undefined,
  prev: FactsJson | undefined,
  prev2: FactsJson | undefined,
  year: number,
): { facts: TierFacts; basis: Record<string, string[]>; src: Record<string, string>; trust: Record<string, number> } {
  const c = cur ?? {};
  const p = prev ?? {};
  const q = prev2 ?? {};
  const f: TierFacts = {};
  const basis: Record<string, string[]> = {};
  const set = <K extends keyof TierFacts>(k: K, v: TierFacts[K] | undefined, keys: string[]) => {
    if (v === undefined) return;
    f[k] = v;
    basis[k] = keys;
  };
  const rev = n(c.operating_revenue);
  set('revenue', rev, ['operating_revenue']);
  set('revenuePrev', n(p.operating_revenue), ['prev:operating_revenue']);
  set('mainBusinessRevenue', n(c.main_business_revenue), ['main_business_revenue']);
  set('rdExpense', n(c.rd_expense), ['rd_expense']);
  set('rdExpensePrev', n(p.rd_expense), ['prev:rd_expense']);
  const mb = n(c.main_business_revenue);
  const mbp = n(p.main_business_revenue);
  const mbq = n(q.main_business_revenue);
  if (mb !== undefined && mbp) set('mainBusinessGrowth', mb / mbp - 1, ['main_business_revenue']);
  if (mb !== undefined && mbp && mbq)
    set('mainBusinessGrowth2y', (mb / mbp - 1 + (mbp / mbq - 1)) / 2, ['main_business_revenue']);
  set('debtRatio', n(c.debt_ratio), ['debt_ratio']);
  const np = n(c.net_profit);
  if (np !== undefined && rev) set('netMargin', np / rev, ['net_profit', 'operating_revenue']);
  set('rdStaffRatio', n(c.rd_staff_share), ['rd_staff_share']);
  if (typeof c.strategic_emerging === 'boolean') set('strategicEmerging', c.strategic_emerging, ['strategic_emerging']);
  const hv = n(c.ip_class1_high_value);
  const sd = n(c.ip_class1_self_developed);
  const i1 = n(c.ip_class1);
  const i2 = n(c.ip_class2);
  if (hv !== undefined || sd !== undefined || i1 !== undefined || i2 !== undefined) {
    const ipKeys = ['ip_class1_high_value', 'ip_class1_self_developed', 'ip_class1', 'ip_class2'];
    set(
      'ipClass',
      (hv ?? 0) > 0
        ? 'high_value_i'
        : (sd ?? 0) > 0
          ? 'self_developed_i'
          : (i1 ?? 0) > 0
            ? 'i'
            : (i2 ?? 0) > 0
              ? 'ii'
              : 'none',
      ipKeys,
    );
    set('classIIpCount', (hv ?? 0) + (sd ?? 0) + (i1 ?? 0), ipKeys.slice(0, 3));
  }
  const eq0 = n(c.equity_financing);
  const eq1 = n(p.equity_financing);
  const eq2 = n(q.equity_financing);
  if (eq0 !== undefined || eq1 !== undefined) set('equityFinancing2y', (eq0 ?? 0) + (eq1 ?? 0), ['equity_financing']);
  if (eq0 !== undefined || eq1 !== undefined || eq2 !== undefined)
    set('equityFinancing3y', (eq0 ?? 0) + (eq1 ?? 0) + (eq2 ?? 0), ['equity_financing']);
  // 从事特定细分市场年限: the years since founding, to the end of the assessed year (the platform has no niche date)
  set('nicheYears', n(c.years_since_founding), ['founded_on']);
  const quals = Array.isArray(c.qualifications)
    ? (c.qualifications as { type: string; validUntil: string | null }[])
    : [];
  const yearEnd = `${year}-12-31`;
  if (quals.some((x) => x.type === 'high_tech' && (!x.validUntil || x.validUntil >= yearEnd)))
    set('validHonour', true, ['qualifications']);
  const src: Record<string, string> = { ...(c._src ?? {}) };
  for (const [k, v] of Object.entries(p._src ?? {})) src[`prev:${k}`] = v;
  const trust: Record<string, number> = { ...(c._trust ?? {}) };
  for (const [k, v] of Object.entries(p._trust ?? {})) trust[`prev:${k}`] = v as number;
  return { facts: f, basis, src, trust };
}

export function assessWithSources(tier: Tier, input: ReturnType<typeof tierFactsOf>) {
  const a = assessTier(tier, input.facts, { localIndicators: LOCAL_INDICATORS });
  const sources: Record<string, string> = {};
  let selfReported = false;
  for (const [fact, keys] of Object.entries(input.basis)) {
    for (const k of keys) {
      if (input.src[k]) sources[fact] = input.src[k]!;
      if (input.trust[k] === 0) selfReported = true;
    }
  }
  return { assessment: a, sources, selfReported };
}

async function factsRows(ex: Executor, enterpriseIds: string[] | null, year: number) {
  const rows = await ex
    .select({ enterpriseId: enterpriseFacts.enterpriseId, year: enterpriseFacts.year, facts: enterpriseFacts.facts })
    .from(enterpriseFacts)
    .where(
      and(
        gte(enterpriseFacts.year, year - 2),
        lte(enterpriseFacts.year, year),
        enterpriseIds ? inArray(enterpriseFacts.enterpriseId, enterpriseIds) : undefined,
      ),
    );
  const by = new Map<string, Map<number, FactsJson>>();
  for (const r of rows) {
    const m = by.get(r.enterpriseId) ?? new Map<number, FactsJson>();
    m.set(r.year, (r.facts ?? {}) as FactsJson);
    by.set(r.enterpriseId, m);
  }
  return by;
}

/** Assesses the given firms (all active ones with facts when null) in every tier and writes the results. */
export async function assessPopulation(ex: Executor, today: string, enterpriseIds: string[] | null = null) {
  const year = Number(today.slice(0, 4)) - 1;
  const firms = await ex
    .select({ id: enterprises.id, regionCode: enterprises.regionCode })
    .from(enterprises)
    .where(and(eq(enterprises.status, 'active'), enterpriseIds ? inArray(enterprises.id, enterpriseIds) : undefined));
  const facts = await factsRows(ex, enterpriseIds, year);
  let written = 0;
  const rows: (typeof cultivationAssessments.$inferInsert)[] = [];
  for (const e of firms) {
    const m = facts.get(e.id);
    // the population run leaves out firms with no facts in the three years (registry rows only, e.g. the demo's
    // 5,100 park tenants): every criterion would be "missing" and the row would say nothing (issue #21, 0024)
    if (!m && !enterpriseIds) continue;
    const input = tierFactsOf(m?.get(year), m?.get(year - 1), m?.get(year - 2), year);
    for (const tier of TIERS) {
      const { assessment: a, sources, selfReported } = assessWithSources(tier, input);
      const s = shortfallsOf(a);
      rows.push({
        enterpriseId: e.id,
        tier,
        regionCode: e.regionCode,
        year,
        eligible: a.eligible,
        route: a.route,
        score: a.score,
        missing: a.missing,
        shortfalls: s ? s.shortfalls : null,
        gap: s ? s.gap : null,
        selfReported,
        sources,
        result: a as unknown as Record<string, unknown>,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 300) {
    const chunk = rows.slice(i, i + 300);
    await ex
      .insert(cultivationAssessments)
      .values(chunk)
      .onConflictDoUpdate({
        target: [cultivationAssessments.enterpriseId, cultivationAssessments.tier],
        set: {
          regionCode: sql`excluded.region_code`,
          year: sql`excluded.year`,
          eligible: sql`excluded.eligible`,
          route: sql`excluded.route`,
          score: sql`excluded.score`,
          missing: sql`excluded.missing`,
          shortfalls: sql`excluded.shortfalls`,
          gap: sql`excluded.gap`,
          selfReported: sql`excluded.self_reported`,
          sources: sql`excluded.sources`,
          result: sql`excluded.result`,
          assessedAt: sql`now()`,
        },
      });
    written += chunk.length;
  }
  return { firms: firms.length, written };
}

/** One firm, live: the assessment of each tier with its sources. */
export async function assessFirm(ex: Executor, enterpriseId: string, today: string) {
  const year = Number(today.slice(0, 4)) - 1;
  const m = (await factsRows(ex, [enterpriseId], year)).get(enterpriseId);
  const input = tierFactsOf(m?.get(year), m?.get(year - 1), m?.get(year - 2), year);
  return {
    year,
    facts: input.facts,
    tiers: TIERS.map((tier) => {
      const r = assessWithSources(tier, input);
      return {
        ...r.assessment,
        sources: r.sources,
        selfReported: r.selfReported,
        shortfalls: shortfallsOf(r.assessment),
      };
    }),
  };
}

// ---- certifications ----------------------------------------------------------------------------------------

export function addYears(d: string, years: number) {
  return `${Number(d.slice(0, 4)) + years}${d.slice(4)}`.replace(/-02-29$/, '-02-28');
}
export function minusDays(d: string, days: number) {
  return new Date(Date.parse(`${d}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export async function createCertification(
  ex: Executor,
  input: {
    enterpriseId: string;
    regionCode: string;
    tier: Tier;
    level: 'national' | 'provincial' | 'municipal';
    batchNo: string;
    authority: string;
    recognisedOn: string;
  },
  today: string,
) {
  const validUntil = minusDays(addYears(input.recognisedOn, 3), 1);
  const [q] = await ex
    .insert(enterpriseQualifications)
    .values({
      enterpriseId: input.enterpriseId,
      type: input.tier,
      level: input.level,
      certificateNo: input.batchNo,
      issuedOn: input.recognisedOn,
      validUntil,
    })
    .returning({ id: enterpriseQualifications.id });
  const [row] = await ex
    .insert(cultivationCertifications)
    .values({ ...input, validUntil, reviewDueOn: minusDays(validUntil, 90), qualificationId: q!.id })
    .returning();
  if (today) await recomputeFacts(ex, input.enterpriseId, today);
  return row!;
}

export async function revokeCertification(ex: Executor, id: string, on: string, reason: string, today: string) {
  const [row] = await ex
    .update(cultivationCertifications)
    .set({ revokedOn: on, revokeReason: reason })
    .where(and(eq(cultivationCertifications.id, id), isNull(cultivationCertifications.revokedOn)))
    .returning();
  if (!row) return null;
  if (row.qualificationId)
    await ex
      .update(enterpriseQualifications)
      .set({ validUntil: minusDays(on, 1) })
      .where(eq(enterpriseQualifications.id, row.qualificationId));
  await recomputeFacts(ex, row.enterpriseId, today);
  return row;
}

// ---- KPIs --------------------------------------------------------------------------------------------------

export async function kpis(ex: Executor, regionCodes: string[], region: string, year: number) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const certs = await ex
    .select({
      tier: cultivationCertifications.tier,
      level: cultivationCertifications.level,
      enterpriseId: cultivationCertifications.enterpriseId,
      recognisedOn: cultivationCertifications.recognisedOn,
    })
    .from(cultivationCertifications)
    .where(
      and(
        inArray(cultivationCertifications.regionCode, regionCodes),
        lte(cultivationCertifications.recognisedOn, end),
        gte(cultivationCertifications.validUntil, end),
        or(isNull(cultivationCertifications.revokedOn), sql`${cultivationCertifications.revokedOn} > ${end}::date`),
      ),
    );
  const count = (tier: Tier, level?: string) => {
    const rows = certs.filter((c) => c.tier === tier && (!level || c.level === level));
    return {
      total: new Set(rows.map((r) => r.enterpriseId)).size,
      new: new Set(rows.filter((r) => r.recognisedOn >= start).map((r) => r.enterpriseId)).size,
    };
  };
  const targets = await ex
    .select()
    .from(cultivationTargets)
    .where(and(eq(cultivationTargets.regionCode, region), eq(cultivationTargets.year, year)));
  const target = (m: string) => targets.find((t) => t.metric === m)?.target ?? null;
  // percent with one decimal, as the other KPI endpoints (15 of 8 → 187.5)
  const rate = (v: number, t: number | null) => (t ? Math.round((v / t) * 1000) / 10 : null);
  const municipal = count('srdi_sme', 'municipal');
  const provincial = count('srdi_sme', 'provincial');
  const srdiNew = municipal.new + provincial.new;
  const scaleRows = await ex
    .select({ c: sql<number>`count(*)::int` })
    .from(enterpriseFacts)
    .where(
      and(
        inArray(enterpriseFacts.regionCode, regionCodes),
        eq(enterpriseFacts.year, year),
        sql`(${enterpriseFacts.facts}->>'first_above_scale_year')::int = ${year}`,
      ),
    );
  const scaleNew = scaleRows[0]?.c ?? 0;
  return {
    region,
    year,
    innovativeSme: count('innovative_sme'),
    srdi: {
      municipal,
      provincial,
      new: srdiNew,
      target: target('srdi_new'),
      completionRate: rate(srdiNew, target('srdi_new')),
    },
    littleGiant: count('little_giant'),
    scaleUp: { new: scaleNew, target: target('scale_up_new'), completionRate: rate(scaleNew, target('scale_up_new')) },
  };
}

export async function latestCertifications(ex: Executor, regionCodes: string[]) {
  return ex
    .select({ c: cultivationCertifications, name: enterprises.name })
    .from(cultivationCertifications)
    .innerJoin(enterprises, eq(enterprises.id, cultivationCertifications.enterpriseId))
    .where(inArray(cultivationCertifications.regionCode, regionCodes))
    .orderBy(desc(cultivationCertifications.recognisedOn))
    .limit(500);
}

export type { Assessment };
