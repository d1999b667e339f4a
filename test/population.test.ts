/**
 * classifyMany's compact results (decision 0015): the verdict byte carries the missing-facts set through a
 * per-clause palette; past 253 distinct sets the rest go to the overflow map. Both the kernel path and the closure
 * path (a rule the kernel refuses) must give every member `evaluate`'s verdict and missing facts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileKernel, evaluate, type FactContext, type Rule, toDenseFacts } from '../src/domain/rules/index.ts';
import {
  classifyMany,
  type Member,
  missingAt,
  prepareClause,
  resultOf,
  verdictAt,
} from '../src/server/modules/policies/population.ts';

const NUMBER_FACTS = [
  'operating_revenue',
  'main_business_revenue',
  'industrial_output',
  'value_added',
  'employees_year_end',
  'employees_average',
  'total_assets',
  'total_liabilities',
  'net_profit',
  'tax_paid',
  'equity_financing',
  'rd_expense',
  'rd_staff',
  'energy_tce',
  'electricity_kwh',
  'pollutant_emissions',
  'ip_class1',
  'ip_class2',
  'ui_months_paid',
  'ui_paid_last_year',
  'insured_avg',
  'ui_new_claimants',
  'land_area_mu',
  'rent_area_m2',
  'rent_paid',
  'tax_per_mu',
  'output_per_mu',
  'rd_intensity',
  'rd_staff_share',
  'layoff_rate',
  'debt_ratio',
  'revenue_growth',
];

const AS_OF = '2026-06-30';

function members(n: number, keys: string[], seed: number): Member[] {
  const [facts] = fc.sample(
    fc.array(
      fc.record(Object.fromEntries(keys.map((k) => [k, fc.option(fc.integer({ min: 0, max: 9 }), { freq: 3 })]))),
      { minLength: n, maxLength: n },
    ),
    { numRuns: 1, seed },
  );
  return facts!.map((f, i) => {
    const raw = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null));
    const ctx: FactContext = { facts: toDenseFacts(raw), asOf: AS_OF, qualifications: [] };
    return { enterpriseId: `e${i}`, regionCode: '410102', rows: [null, null], ctx: [ctx, ctx] };
  });
}

const clause = (rule: Rule) => ({
  eligibility: rule,
  amountFormula: null,
  capYuan: null,
  floorYuan: null,
  factsYear: 'current' as const,
});

describe('classifyMany', () => {
  it('names the missing facts of every unknown member, beyond the 253-set palette too (kernel path)', () => {
    const keys = NUMBER_FACTS.slice(0, 12);
    // every fact ≥ 1: a member is unknown when one of its facts is missing and none is 0
    const rule: Rule = { all: keys.map((k) => ({ fact: k, op: 'gte' as const, value: 1 })) };
    expect(compileKernel(rule)).not.toBeNull();
    const ms = members(3000, keys, 7);
    const prepared = prepareClause(clause(rule));
    const [r] = classifyMany([prepared], ms);
    let unknown = 0;
    ms.forEach((m, i) => {
      const ev = evaluate(rule, m.ctx[0]);
      const v = verdictAt(r!, prepared, m, i);
      expect({ i, result: v.result, missing: v.missing }).toEqual({
        i,
        result: ev.result === null ? 'unknown' : ev.result ? 'eligible' : 'ineligible',
        missing: ev.missing,
      });
      if (ev.result === null) unknown++;
    });
    expect(unknown).toBeGreaterThan(500);
    expect(r!.missingSets.length).toBe(253);
    expect(r!.missing.size).toBeGreaterThan(0); // the overflow was used
    expect(resultOf(255)).toBe('unknown');
  });

  it('a rule the kernel refuses (31 facts) is judged by the closures with the same results', () => {
    const keys = NUMBER_FACTS.slice(0, 31);
    const rule: Rule = { any: keys.map((k) => ({ fact: k, op: 'gte' as const, value: 9 })) };
    expect(compileKernel(rule)).toBeNull();
    const ms = members(400, keys, 11);
    const prepared = prepareClause(clause(rule));
    expect(prepared.kernel).toBeNull();
    const [r] = classifyMany([prepared], ms);
    const tally = { eligible: 0, unknown: 0, ineligible: 0 };
    ms.forEach((m, i) => {
      const ev = evaluate(rule, m.ctx[0]);
      expect(missingAt(r!, i)).toEqual(ev.missing);
      const res = resultOf(r!.verdicts[i]!);
      expect(res).toBe(ev.result === null ? 'unknown' : ev.result ? 'eligible' : 'ineligible');
      tally[res]++;
    });
    expect(tally.eligible).toBeGreaterThan(0);
    expect(tally.unknown).toBeGreaterThan(0);
  });
});
