/**
 * Issue #5 demo data: the seeded enterprises carry the rule-language facts (rules.md §8.4 a/b), with the mix the
 * demo needs (missing data → UNKNOWN, large firms, ≤ 30 insured, layoffs over the limit, 10 months paid,
 * first-time 规上), and the demo login firm is eligible for 稳岗返还 and the R&D subsidy and "maybe" for the park
 * rent subsidy. Both back ends agree on the whole demo population.
 */
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseFactsYear,
  clauseAmount,
  compileRule,
  evaluate,
  factsYearSql,
  type Rule,
} from '../src/domain/rules/index.ts';
import type { Db } from '../src/server/db/client.ts';
import { enterpriseFacts, enterprises } from '../src/server/db/schema/index.ts';
import { factContextOf } from '../src/server/modules/enterprises/facts.ts';
import { freshDatabase, type TestDatabase } from './helpers/db.ts';

let tdb: TestDatabase;
let db: Db;
let asOf: string;
let factsYear: number;

beforeAll(async () => {
  tdb = await freshDatabase();
  db = tdb.database.db;
  const [{ maxYear }] = (await db
    .select({ maxYear: sql<number>`max(${enterpriseFacts.year})` })
    .from(enterpriseFacts)) as [{ maxYear: number }];
  asOf = `${maxYear}-06-30`;
  factsYear = chooseFactsYear([maxYear - 1, maxYear], asOf)!;
});
afterAll(async () => tdb?.drop());

const WENGANG: Rule = {
  all: [
    { fact: 'ui_months_paid', op: 'gte', value: 12 },
    {
      any: [
        {
          all: [
            { fact: 'insured_avg', op: 'lte', value: 30 },
            { fact: 'layoff_rate', op: 'lte', value: 0.2 },
          ],
        },
        {
          all: [
            { fact: 'insured_avg', op: 'gt', value: 30 },
            { fact: 'layoff_rate', op: 'lte', value: 0.055 },
          ],
        },
      ],
    },
  ],
};
const RD: Rule = {
  all: [
    { fact: 'rd_expense', op: 'gt', value: 0 },
    { fact: 'rd_intensity', op: 'gte', value: 0.03 },
  ],
};
const RENT: Rule = {
  all: [
    { fact: 'rent_area_m2', op: 'gt', value: 0 },
    { fact: 'size', op: 'in', value: ['small', 'micro'] },
  ],
};

async function rows() {
  return db
    .select({ ...getTableColumns(enterpriseFacts), name: enterprises.name })
    .from(enterpriseFacts)
    .innerJoin(enterprises, eq(enterprises.id, enterpriseFacts.enterpriseId))
    .where(eq(enterpriseFacts.year, factsYear));
}

describe('demo enterprises and the rule language', () => {
  it('the demo login firm is eligible for 稳岗返还 and the R&D subsidy, and "maybe" (rent data missing) for the rent subsidy', async () => {
    const all = await rows();
    const ent1 = all.find((r) => r.name === '郑州惠科精密制造有限公司（演示）')!;
    expect(ent1).toBeDefined();
    const ctx = factContextOf(ent1, asOf);
    const w = clauseAmount({ eligibility: WENGANG, amount: 'ui_paid_last_year * if(size == "large", 0.3, 0.6)' }, ctx);
    expect(w.eligible).toBe(true);
    expect(Number(w.amount)).toBeGreaterThan(1000);
    expect(evaluate(RD, ctx).result).toBe(true);
    const rent = evaluate(RENT, ctx);
    expect(rent.result).toBeNull();
    expect(rent.missing).toEqual(['rent_area_m2']);
    expect(ctx.facts.strategic_emerging).toBe(true);
  });

  it('the population has the mix the demo needs', async () => {
    const ctxs = (await rows()).map((r) => factContextOf(r, asOf));
    const count = (p: (f: Record<string, unknown>) => boolean) => ctxs.filter((c) => p(c.facts)).length;
    expect(ctxs.length).toBeGreaterThan(250);
    expect(count((f) => f.ui_months_paid === undefined)).toBeGreaterThan(10);
    expect(count((f) => f.size === 'large')).toBeGreaterThanOrEqual(3);
    expect(count((f) => typeof f.insured_avg === 'number' && f.insured_avg <= 30)).toBeGreaterThan(10);
    expect(
      count(
        (f) =>
          typeof f.layoff_rate === 'number' &&
          typeof f.insured_avg === 'number' &&
          f.layoff_rate > (f.insured_avg <= 30 ? 0.2 : 0.055),
      ),
    ).toBeGreaterThan(5);
    expect(count((f) => f.ui_months_paid === 10)).toBeGreaterThan(5);
    expect(count((f) => f.first_above_scale_year === factsYear)).toBeGreaterThanOrEqual(3);
    expect(
      count((f) => typeof f.above_scale_years_consecutive === 'number' && f.above_scale_years_consecutive >= 4),
    ).toBeGreaterThanOrEqual(2);
    expect(count((f) => f.credit_blacklisted === true)).toBeGreaterThan(0);
    expect(count((f) => typeof f.rent_paid === 'number')).toBeGreaterThanOrEqual(3);
    const verdicts = ctxs.map((c) => evaluate(WENGANG, c).result);
    for (const v of [true, false, null]) expect(verdicts.filter((x) => x === v).length).toBeGreaterThan(5);
  });

  it('SQL and TypeScript give the same verdict for every demo firm, on the facts year chosen in SQL', async () => {
    for (const rule of [WENGANG, RD, RENT]) {
      const got = await db
        .select({
          ...getTableColumns(enterpriseFacts),
          v: sql<boolean | null>`${compileRule(rule, { asOf, alias: 'enterprise_facts' })}`,
        })
        .from(enterpriseFacts)
        .where(and(factsYearSql(asOf, { alias: 'enterprise_facts' })));
      expect(got.length).toBeGreaterThan(250);
      for (const { v, ...row } of got) {
        expect(row.year).toBe(factsYear);
        expect(v).toBe(evaluate(rule, factContextOf(row, asOf)).result);
      }
    }
  });
});
