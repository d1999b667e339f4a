/**
 * Every demo policy clause's example cases run through the real evaluator (issue #5 "Example cases";
 * rules.md §8.4 worked formulas as acceptance), from the seed data and from the seeded database rows.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policies, policyClauses } from '../src/server/db/schema/index.ts';
import { DEMO_POLICIES } from '../src/server/db/seed/policies.ts';
import { type ClauseLike, checkExample, runExamples } from '../src/server/modules/policies/examples.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

const asClause = (c: (typeof DEMO_POLICIES)[number]['clauses'][number], i: number): ClauseLike => ({
  id: `c${i}`,
  ordinal: i + 1,
  title: c.title,
  eligibility: c.eligibility,
  amountFormula: c.amountFormula,
  capYuan: c.capYuan ?? null,
  floorYuan: c.floorYuan ?? null,
  oncePerEnterprise: c.oncePerEnterprise ?? true,
  stackingGroup: c.stackingGroup ?? null,
});

describe('demo policy example cases (seed data)', () => {
  const cases = DEMO_POLICIES.flatMap((p) =>
    p.clauses.flatMap((c, i) => c.examples.map((ex) => ({ policy: p.code, clause: asClause(c, i), ex }))),
  );

  it('there are example cases for the rules.md §8.4 policies', () => {
    const codes = new Set(cases.map((c) => c.policy));
    for (const code of ['ZZ-RSJ-2025-WG', 'HJ-GOV-2025-XSG', 'ZZ-KJJ-2025-RD', 'ZZ-GXJ-2025-ZJTX', 'HJ-GOV-2025-RENT'])
      expect(codes.has(code), code).toBe(true);
    expect(cases.filter((c) => c.policy === 'ZZ-RSJ-2025-WG').length).toBeGreaterThanOrEqual(6);
  });

  it.each(cases.map((c) => [`${c.policy} · ${c.clause.title} · ${c.ex.name}`, c] as const))('%s', (_name, c) => {
    const r = checkExample(c.clause, c.ex);
    expect(r.mismatches).toEqual([]);
    expect(r.passed).toBe(true);
  });

  it('稳岗返还: SME 60%, large 30%, ≤30 insured with 15% layoffs eligible, over 5.5% or 10 months not, missing named', () => {
    const wg = DEMO_POLICIES.find((p) => p.code === 'ZZ-RSJ-2025-WG')!;
    const results = runExamples({ ...asClause(wg.clauses[0]!, 0), examples: wg.clauses[0]!.examples });
    expect(results.map((r) => [r.actual.eligible, r.actual.amount])).toEqual([
      [true, '51840.00'],
      [true, '360000.00'],
      [true, '8640.00'],
      [false, null],
      [false, null],
      [null, null],
    ]);
    expect(results[5]!.actual.missing).toContain('insured_avg');
  });

  it('a deliberately wrong example fails the checker, naming what differs', () => {
    const wg = DEMO_POLICIES.find((p) => p.code === 'ZZ-RSJ-2025-WG')!;
    const clause = asClause(wg.clauses[0]!, 0);
    const good = wg.clauses[0]!.examples[0]!;
    const wrongAmount = checkExample(clause, { ...good, expected: { eligible: true, amount: '86400.00' } });
    expect(wrongAmount.passed).toBe(false);
    expect(wrongAmount.mismatches[0]).toContain('amount: expected 86400.00, got 51840.00');
    const wrongVerdict = checkExample(clause, { ...good, expected: { eligible: false, amount: null } });
    expect(wrongVerdict.passed).toBe(false);
    const wrongMissing = checkExample(clause, {
      ...wg.clauses[0]!.examples[5]!,
      expected: { eligible: null, amount: null, missing: ['layoff_rate_typo'] },
    });
    expect(wrongMissing.passed).toBe(false);
  });
});

describe('demo policy example cases (database rows, through the API)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ jobs: false });
  });
  afterAll(async () => t.close());

  it('every clause with examples in the library passes, as the detail endpoint reports', async () => {
    const { db } = t.deps.database;
    const rows = await db
      .select({ policyId: policyClauses.policyId, code: policies.code })
      .from(policyClauses)
      .innerJoin(policies, eq(policies.id, policyClauses.policyId))
      .where(sql`jsonb_array_length(${policyClauses.examples}) > 0`);
    const ids = [...new Set(rows.map((r) => r.policyId))];
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const c = await t.login('city.admin');
    let checked = 0;
    for (const id of ids) {
      const d = (await c.get(`/api/v1/policies/${id}`)).json();
      for (const clause of d.clauses)
        for (const ex of clause.examples) {
          expect(ex.passed, `${d.code} · ${clause.title} · ${ex.name}: ${ex.mismatches.join('; ')}`).toBe(true);
          checked++;
        }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
  });
});
