/**
 * Enterprise facts: one row per enterprise and year with everything rules match on, recomputed in the
 * transaction of any change to its inputs (indicators, qualifications, tenancy, registry).
 */
import { and, eq } from 'drizzle-orm';
import { aboveScale, classifySize, sizeGroupOf } from '../../../domain/enterprise-size.ts';
import { type DataIssue, dataIssuesOf, derivedTrust, type TrustLevel, trustOf } from '../../../domain/provenance.ts';
import type { FactContext } from '../../../domain/rules/types.ts';
import type { Executor } from '../../db/client.ts';
import {
  enterpriseDataIssues,
  enterpriseFacts,
  enterpriseIndicators,
  enterpriseQualifications,
  enterprises,
  tenancies,
} from '../../db/schema/index.ts';

/** Yearly indicator keys (money in 万元, energy in tce, electricity in kWh, land in 亩). */
export const YEARLY_INDICATORS = [
  'operating_revenue',
  'main_business_revenue',
  'tax_paid',
  'industrial_output',
  'value_added',
  'net_profit',
  'total_assets',
  'total_liabilities',
  'employees_year_end',
  'employees_average',
  'rd_expense',
  'rd_staff',
  'energy_tce',
  'electricity_kwh',
  'pollutant_emissions',
  'land_area_mu',
  'ip_class1_high_value',
  'ip_class1_self_developed',
  'ip_class1',
  'ip_class2',
  'equity_financing',
  // social insurance (人社局; rules.md §8.4 a 稳岗返还): months paid, 元 paid last year, insured staff, new claimants
  'ui_months_paid',
  'ui_paid_last_year',
  'insured_avg',
  'ui_new_claimants',
  // park rent (园区运营方): rented m², rent paid in 元
  'rent_area_m2',
  'rent_paid',
  // yes/no designations recorded as 1 / 0 (发改委 strategic emerging list, credit blacklist); facts hold booleans
  'strategic_emerging',
  'credit_blacklisted',
] as const;
export type YearlyIndicator = (typeof YEARLY_INDICATORS)[number];

/** Indicators recorded as 1 / 0 that rules read as booleans. */
export const FLAG_INDICATORS = [
  'strategic_emerging',
  'credit_blacklisted',
] as const satisfies readonly YearlyIndicator[];

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || b === 0 ? null : a / b;

/** Derived ratios: never typed in (issue #4). */
export function deriveRatios(
  cur: Partial<Record<YearlyIndicator, number>>,
  prev: Partial<Record<YearlyIndicator, number>>,
) {
  const rev = cur.operating_revenue;
  return {
    rd_intensity: ratio(cur.rd_expense, rev),
    debt_ratio: ratio(cur.total_liabilities, cur.total_assets),
    revenue_growth: rev === undefined || !prev.operating_revenue ? null : rev / prev.operating_revenue - 1,
    tax_per_mu: ratio(cur.tax_paid, cur.land_area_mu),
    output_per_mu: ratio(cur.industrial_output ?? rev, cur.land_area_mu),
    rd_staff_share: ratio(cur.rd_staff, cur.employees_year_end ?? cur.employees_average),
    // 裁员率 = 上年度新增领取失业保险金人数 / 上年度月均参保人数 (rules.md §8.4 a, per 江西 2024)
    layoff_rate: ratio(cur.ui_new_claimants, cur.insured_avg),
  };
}

/** The inputs of each derived fact (its trust is the lowest of theirs; decision 0018). */
function derivedInputs(cur: Partial<Record<YearlyIndicator, number>>): Record<string, string[]> {
  return {
    rd_intensity: ['rd_expense', 'operating_revenue'],
    debt_ratio: ['total_liabilities', 'total_assets'],
    revenue_growth: ['operating_revenue', 'prev:operating_revenue'],
    tax_per_mu: ['tax_paid', 'land_area_mu'],
    output_per_mu: [cur.industrial_output !== undefined ? 'industrial_output' : 'operating_revenue', 'land_area_mu'],
    rd_staff_share: ['rd_staff', cur.employees_year_end !== undefined ? 'employees_year_end' : 'employees_average'],
    layoff_rate: ['ui_new_claimants', 'insured_avg'],
  };
}

/** Yoy factor for data-quality flags: set by the enterprises module from its provenance settings. */
let yoyFactorOf: (ex: Executor) => Promise<number> = async () => 5;
export function setYoyFactorSource(fn: typeof yoyFactorOf) {
  yoyFactorOf = fn;
}

/** The inputs of one firm's facts rows (what `recomputeFacts` reads from the database). */
export interface FactsInput {
  enterprise: Pick<typeof enterprises.$inferSelect, 'id' | 'regionCode' | 'industryCode' | 'foundedOn' | 'status'>;
  indicators: Pick<typeof enterpriseIndicators.$inferSelect, 'year' | 'key' | 'value' | 'source'>[];
  qualifications: Pick<typeof enterpriseQualifications.$inferSelect, 'type' | 'level' | 'issuedOn' | 'validUntil'>[];
  /** The park of the firm's active tenancy, if any. */
  parkId: string | null;
}

/**
 * The facts rows (one per year with indicators, and the current year) and the data-quality issues of one firm:
 * pure, so that `recomputeFacts` and bulk writers (the data generator, issue #19) build the same rows.
 */
export function buildFacts(
  input: FactsInput,
  today: string,
  yoyFactor: number,
): { facts: (typeof enterpriseFacts.$inferInsert)[]; issues: (typeof enterpriseDataIssues.$inferInsert)[] } {
  const e = input.enterprise;
  const quals = input.qualifications;
  const byYear = new Map<number, Partial<Record<YearlyIndicator, number>>>();
  // per year: the effective source of each indicator and its trust level (0 self, 1 official, 2 verified)
  const srcByYear = new Map<number, Record<string, string>>();
  const trustByYear = new Map<number, Record<string, TrustLevel>>();
  for (const r of input.indicators) {
    const y = byYear.get(r.year) ?? {};
    y[r.key as YearlyIndicator] = r.value;
    byYear.set(r.year, y);
    const s = srcByYear.get(r.year) ?? {};
    s[r.key] = r.source;
    srcByYear.set(r.year, s);
    const t = trustByYear.get(r.year) ?? {};
    t[r.key] = trustOf(r.source);
    trustByYear.set(r.year, t);
  }
  const years = new Set<number>([...byYear.keys(), Number(today.slice(0, 4))]);
  const out: (typeof enterpriseFacts.$inferInsert)[] = [];
  const derivedByYear = new Map<number, Record<string, number | null>>();
  const group = sizeGroupOf(e.industryCode);
  // above-scale per year first: first_above_scale_year and the consecutive count derive from the whole history
  const aboveByYear = new Map<number, boolean | null>();
  const aboveTrust = new Map<number, TrustLevel | undefined>();
  for (const year of years) {
    const cur = byYear.get(year) ?? {};
    aboveTrust.set(
      year,
      derivedTrust(trustByYear.get(year) ?? {}, [
        cur.main_business_revenue !== undefined ? 'main_business_revenue' : 'operating_revenue',
        'employees_year_end',
      ]),
    );
    aboveByYear.set(
      year,
      aboveScale(
        {
          industryCode: e.industryCode,
          revenueWan: cur.main_business_revenue ?? cur.operating_revenue ?? null,
          employees: cur.employees_year_end ?? null,
        },
        `${year}-12-31`,
      ).above,
    );
  }
  for (const year of years) {
    const cur = byYear.get(year) ?? {};
    const prev = byYear.get(year - 1) ?? {};
    const yearEnd = `${year}-12-31`;
    const size = classifySize(group, {
      employees: cur.employees_year_end ?? cur.employees_average ?? null,
      revenue:
        (group === 'industry' ? (cur.main_business_revenue ?? cur.operating_revenue) : cur.operating_revenue) ?? null,
      assets: cur.total_assets ?? null,
    });
    const scale = aboveScale(
      {
        industryCode: e.industryCode,
        revenueWan: cur.main_business_revenue ?? cur.operating_revenue ?? null,
        employees: cur.employees_year_end ?? null,
      },
      yearEnd,
    );
    const qualifications = quals
      .filter((q) => q.issuedOn <= yearEnd && (!q.validUntil || q.validUntil >= `${year}-01-01`))
      .map((q) => ({ type: q.type, level: q.level, issuedOn: q.issuedOn, validUntil: q.validUntil }));
    const founded = e.foundedOn ? Number(e.foundedOn.slice(0, 4)) : null;
    const aboveYears = [...aboveByYear].filter(([y, a]) => a === true && y <= year).map(([y]) => y);
    let consecutive = 0;
    while (aboveByYear.get(year - consecutive) === true) consecutive++;
    const flags: Record<string, boolean> = {};
    for (const k of FLAG_INDICATORS) if (cur[k] !== undefined) flags[k] = cur[k] !== 0;
    const derived = deriveRatios(cur, prev);
    derivedByYear.set(year, derived);
    // provenance of every indicator-based fact: the effective source (`_src`) and the trust level (`_trust`)
    const trust: Record<string, TrustLevel> = { ...(trustByYear.get(year) ?? {}) };
    const prevTrust = trustByYear.get(year - 1) ?? {};
    const withPrev: Record<string, TrustLevel | undefined> = { ...trust };
    for (const [k, v] of Object.entries(prevTrust)) withPrev[`prev:${k}`] = v;
    for (const [k, inputs] of Object.entries(derivedInputs(cur))) {
      const t = derivedTrust(withPrev, inputs);
      if (t !== undefined && derived[k as keyof typeof derived] !== null) trust[k] = t;
    }
    // the size rests on the indicators of its group's table (工业: employees and revenue; 建筑业: revenue and assets …)
    const sizeKeys = { employees: '', revenue: '', assets: 'total_assets' };
    sizeKeys.employees = cur.employees_year_end !== undefined ? 'employees_year_end' : 'employees_average';
    sizeKeys.revenue =
      group === 'industry' && cur.main_business_revenue !== undefined ? 'main_business_revenue' : 'operating_revenue';
    const sizeTrust = derivedTrust(trust, [...new Set(size.reasons.map((r) => sizeKeys[r.indicator]))]);
    if (sizeTrust !== undefined && size.size !== 'unknown') trust.size = sizeTrust;
    const at = aboveTrust.get(year);
    if (at !== undefined && scale.above !== null) {
      trust.above_scale = at;
      let ct: TrustLevel = at;
      for (let k = 0; k < consecutive; k++) ct = Math.min(ct, aboveTrust.get(year - k) ?? ct) as TrustLevel;
      trust.above_scale_years_consecutive = ct;
    }
    if (aboveYears.length) {
      const ft = aboveTrust.get(Math.min(...aboveYears));
      if (ft !== undefined) trust.first_above_scale_year = ft;
    }
    out.push({
      enterpriseId: e.id,
      year,
      regionCode: e.regionCode,
      industryCode: e.industryCode,
      parkId: input.parkId,
      size: size.size,
      aboveScale: scale.above,
      facts: {
        ...cur,
        ...derived,
        sizeGroup: group,
        sizeMissing: size.missing,
        aboveScaleRule: scale.rule?.id ?? null,
        qualifications,
        yearsSinceFounding: founded === null ? null : year - founded,
        status: e.status,
        // rule-language keys (src/domain/rules/catalogue.ts)
        ...flags,
        founded_on: e.foundedOn ?? null,
        years_since_founding: founded === null ? null : year - founded,
        first_above_scale_year: aboveYears.length ? Math.min(...aboveYears) : null,
        above_scale_years_consecutive: aboveByYear.get(year) === null ? null : consecutive,
        _src: srcByYear.get(year) ?? {},
        _trust: trust,
      },
    });
  }
  // data quality (bounds, shares, year-on-year jumps): recomputed with the facts
  const issues: DataIssue[] = dataIssuesOf(byYear, derivedByYear, yoyFactor);
  return {
    facts: out,
    issues: issues.map((i) => ({
      enterpriseId: e.id,
      year: i.year,
      key: i.key,
      kind: i.kind,
      regionCode: e.regionCode,
      detail: i.detail,
    })),
  };
}

export async function recomputeFacts(ex: Executor, enterpriseId: string, today: string) {
  const [e] = await ex.select().from(enterprises).where(eq(enterprises.id, enterpriseId));
  if (!e) return;
  const rows = await ex.select().from(enterpriseIndicators).where(eq(enterpriseIndicators.enterpriseId, enterpriseId));
  const quals = await ex
    .select()
    .from(enterpriseQualifications)
    .where(eq(enterpriseQualifications.enterpriseId, enterpriseId));
  const [tenancy] = await ex
    .select({ parkId: tenancies.parkId })
    .from(tenancies)
    .where(and(eq(tenancies.enterpriseId, enterpriseId), eq(tenancies.status, 'active')))
    .limit(1);
  const built = buildFacts(
    { enterprise: e, indicators: rows, qualifications: quals, parkId: tenancy?.parkId ?? null },
    today,
    await yoyFactorOf(ex),
  );
  await ex.delete(enterpriseFacts).where(eq(enterpriseFacts.enterpriseId, enterpriseId));
  for (const f of built.facts) await ex.insert(enterpriseFacts).values(f);
  // data quality (bounds, shares, year-on-year jumps): recomputed with the facts
  await ex.delete(enterpriseDataIssues).where(eq(enterpriseDataIssues.enterpriseId, enterpriseId));
  if (built.issues.length) await ex.insert(enterpriseDataIssues).values(built.issues);
  if (factsListener) await factsListener(ex, enterpriseId, today);
  for (const fn of alsoOnFactsRecomputed) await fn(ex, enterpriseId, today); // more listeners (cultivation, 0023)
}

/** Called in the transaction of every facts recomputation (the policies module re-matches the enterprise). */
let factsListener: ((ex: Executor, enterpriseId: string, today: string) => Promise<void>) | null = null;
/** Further listeners beside the single slot above (the cultivation module re-assesses the firm). */
export const alsoOnFactsRecomputed: ((ex: Executor, enterpriseId: string, today: string) => Promise<void>)[] = [];
export function onFactsRecomputed(fn: typeof factsListener) {
  factsListener = fn;
}

/**
 * Flatten one facts row into the rule evaluator's context (catalogue keys), so the TypeScript back end reads
 * exactly what the SQL back end reads from the same row (compile-sql.ts `factSql`). Which year's row to use is
 * the caller's choice: `chooseFactsYear` (default the previous calendar year, 上年度).
 */
export function factContextOf(row: typeof enterpriseFacts.$inferSelect, asOf: string): FactContext {
  // the column-backed keys are left out of the copy rather than deleted from it: `delete` turns the object into a
  // dictionary, and bulk matching reads these objects 20 million times (decision 0015)
  const {
    qualifications,
    region_code: _r,
    industry_code: _i,
    park_id: _p,
    size: _s,
    above_scale: _a,
    _src,
    _trust: _t,
    ...rest
  } = row.facts ?? {};
  const facts: Record<string, unknown> = { ...rest, region_code: row.regionCode, industry_code: row.industryCode };
  if (row.parkId) facts.park_id = row.parkId;
  if (row.size && row.size !== 'unknown') facts.size = row.size;
  if (row.aboveScale !== null && row.aboveScale !== undefined) facts.above_scale = row.aboveScale;
  return {
    facts,
    asOf,
    qualifications: Array.isArray(qualifications) ? (qualifications as FactContext['qualifications']) : [],
  };
}

/**
 * Called after a bulk import job has succeeded (its enterprises and facts rows are visible from then on): the
 * policies module queues a rematch (decision 0015). One slot, like `onFactsRecomputed`.
 */
let importListener: ((importJobId: string) => Promise<void>) | null = null;
export function onEnterprisesImported(fn: typeof importListener) {
  importListener = fn;
}
export async function enterprisesImported(importJobId: string) {
  if (importListener) await importListener(importJobId);
}
