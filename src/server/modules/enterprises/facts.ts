/**
 * Enterprise facts: one row per enterprise and year with everything rules match on, recomputed in the
 * transaction of any change to its inputs (indicators, qualifications, tenancy, registry).
 */
import { and, eq, sql } from 'drizzle-orm';
import { aboveScale, classifySize, sizeGroupOf } from '../../../domain/enterprise-size.ts';
import type { Executor } from '../../db/client.ts';
import {
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
] as const;
export type YearlyIndicator = (typeof YEARLY_INDICATORS)[number];

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
  const byYear = new Map<number, Partial<Record<YearlyIndicator, number>>>();
  for (const r of rows) {
    const y = byYear.get(r.year) ?? {};
    y[r.key as YearlyIndicator] = r.value;
    byYear.set(r.year, y);
  }
  const years = new Set<number>([...byYear.keys(), Number(today.slice(0, 4))]);
  await ex.delete(enterpriseFacts).where(eq(enterpriseFacts.enterpriseId, enterpriseId));
  const group = sizeGroupOf(e.industryCode);
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
    await ex.insert(enterpriseFacts).values({
      enterpriseId,
      year,
      regionCode: e.regionCode,
      industryCode: e.industryCode,
      parkId: tenancy?.parkId ?? null,
      size: size.size,
      aboveScale: scale.above,
      facts: {
        ...cur,
        ...deriveRatios(cur, prev),
        sizeGroup: group,
        sizeMissing: size.missing,
        aboveScaleRule: scale.rule?.id ?? null,
        qualifications,
        yearsSinceFounding: founded === null ? null : year - founded,
        status: e.status,
      },
      updatedAt: sql`now()`,
    });
  }
}
