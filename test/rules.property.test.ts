/**
 * Issue #5 acceptance: the SQL back end (compileRule) and the TypeScript back end (evaluate, compileToPredicate)
 * agree — TRUE / FALSE / NULL — on random rules × random enterprise facts rows stored in the real
 * enterprise_facts table of the test database (PGlite by default, PostgreSQL when DATABASE_URL is set).
 * Rules use every operator, nest at least three levels, and rows have missing facts, JSON nulls, values of the
 * wrong type, zero denominators, size 'unknown', NULL above_scale and qualifications with dates.
 * NUM_RUNS × ROWS = 36 × 40 = 1,440 rule×row cases per run. Each case is also judged on the context bulk matching's
 * read builds (loadPopulation: only the rule's facts, read as a list of values), which must judge the same.
 */
import { getTableColumns, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPARISON_OPS,
  compileKernel,
  compileMissing,
  compileRule,
  compileToPredicate,
  evaluate,
  factDef,
  factsOf,
  parseRule,
  type Rule,
} from '../src/domain/rules/index.ts';
import type { Db } from '../src/server/db/client.ts';
import { enterpriseFacts, enterprises } from '../src/server/db/schema/index.ts';
import { syntheticUscc } from '../src/server/db/seed/enterprises.ts';
import { factContextOf } from '../src/server/modules/enterprises/facts.ts';
import { loadPopulation } from '../src/server/modules/policies/population.ts';
import { freshDatabase, type TestDatabase } from './helpers/db.ts';

const NUM_RUNS = 36;
const ROWS = 40;

let tdb: TestDatabase;
let db: Db;
let ids: string[] = [];

beforeAll(async () => {
  tdb = await freshDatabase();
  db = tdb.database.db;
  const rows = await db
    .insert(enterprises)
    .values(
      Array.from({ length: ROWS }, (_, i) => ({
        uscc: syntheticUscc('410108', 900_000 + i * 13),
        name: `规则性质测试企业${i}（演示）`,
        regionCode: '410108',
        industryCode: 'C3484',
      })),
    )
    .returning({ id: enterprises.id });
  ids = rows.map((r) => r.id);
});
afterAll(async () => tdb?.drop());

const NUMS = [
  0,
  1,
  3,
  6,
  10,
  11,
  12,
  12.5,
  30,
  100,
  2000,
  -5,
  1e6,
  0.055,
  0.2,
  0.1,
  0.3,
  0.30000000000000004,
  1 / 3,
  2 / 3,
];
const DATES = [
  '2000-01-01',
  '2016-06-30',
  '2020-02-29',
  '2021-02-28',
  '2021-03-01',
  '2024-02-29',
  '2025-12-31',
  '2026-06-30',
  '2026-07-01',
  '2030-01-01',
];
const AS_OF = ['2026-06-30', '2025-02-28', '2024-02-29', '2026-01-01'];
const NUM_KEYS = ['operating_revenue', 'rd_expense', 'insured_avg', 'layoff_rate', 'ui_months_paid', 'tax_paid'];
const BOOL_KEYS = ['strategic_emerging', 'credit_blacklisted'];
const PARKS = ['7d1f7f6e-0000-4000-8000-000000000001', '7d1f7f6e-0000-4000-8000-000000000002'];
const REGIONS = ['410108', '410122', '330111', '4101'];
const INDUSTRIES = ['C3484', 'C39', 'C3982', 'I6510', 'C', 'M7320'];
const QUALS = ['srdi_sme', 'high_tech', 'little_giant'];
const LEVELS = ['national', 'provincial', 'municipal'];

const num = fc.oneof(
  fc.constantFrom(...NUMS),
  fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1000),
);
const date = fc.constantFrom(...DATES);
const op = fc.constantFrom(...COMPARISON_OPS);

const leaf: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({ fact: fc.constantFrom(...NUM_KEYS), op, value: num }),
  fc.record({
    fact: fc.constantFrom(...NUM_KEYS),
    op: fc.constant('in' as const),
    value: fc.array(num, { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    fact: fc.constantFrom(...NUM_KEYS),
    op: fc.constant('between' as const),
    value: fc.tuple(num, num).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]),
  }),
  fc.record({
    fact: fc.constantFrom('region_code', 'industry_code'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.constantFrom(...REGIONS, ...INDUSTRIES),
  }),
  fc.record({
    fact: fc.constantFrom('region_code', 'industry_code'),
    op: fc.constant('in' as const),
    value: fc.subarray([...REGIONS, ...INDUSTRIES], { minLength: 1 }),
  }),
  fc.record({
    fact: fc.constantFrom('region_code', 'industry_code'),
    op: fc.constant('prefix' as const),
    value: fc.constantFrom('C', 'C3', 'C39', 'I', '4101', '33', 'C3484'),
  }),
  fc.record({
    fact: fc.constant('park_id'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.constantFrom(...PARKS),
  }),
  fc.record({
    fact: fc.constant('size'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.constantFrom('large', 'medium', 'small', 'micro'),
  }),
  fc.record({
    fact: fc.constant('size'),
    op: fc.constant('in' as const),
    value: fc.subarray(['large', 'medium', 'small', 'micro'], { minLength: 1 }),
  }),
  fc.record({
    fact: fc.constant('status'),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.constantFrom('active', 'exited', 'deregistered'),
  }),
  fc.record({
    fact: fc.constantFrom('above_scale', ...BOOL_KEYS),
    op: fc.constantFrom('eq' as const, 'ne' as const),
    value: fc.boolean(),
  }),
  fc.record({
    fact: fc.constantFrom('above_scale', ...BOOL_KEYS),
    op: fc.constant('in' as const),
    value: fc.subarray([true, false], { minLength: 1 }),
  }),
  fc.record({ fact: fc.constant('founded_on'), op, value: date }),
  fc.record({ yearsSince: fc.constant('founded_on'), op, value: fc.integer({ min: -3, max: 12 }) }),
  fc.record({ ratio: fc.tuple(fc.constantFrom(...NUM_KEYS), fc.constantFrom(...NUM_KEYS)), op, value: num }),
  fc.record(
    { qualification: fc.constantFrom(...QUALS), level: fc.constantFrom(...LEVELS), on: date },
    { requiredKeys: ['qualification'] },
  ),
) as fc.Arbitrary<Rule>;

const { tree } = fc.letrec<{ tree: Rule }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 3, depthSize: 'small' },
    leaf,
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((all): Rule => ({ all })),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((any): Rule => ({ any })),
    tie('tree').map((r): Rule => ({ not: r })),
  ),
}));

/** Every rule nests at least three levels (group → group → group/leaf), then random subtrees. */
const ruleArb: fc.Arbitrary<Rule> = fc
  .tuple(tree, tree, tree, fc.integer({ min: 0, max: 2 }))
  .map(
    ([a, b, c, shape]): Rule =>
      shape === 0
        ? { all: [{ any: [{ not: a }, b] }, c] }
        : shape === 1
          ? { any: [{ all: [a, { not: b }] }, { not: c }] }
          : { not: { all: [{ any: [a, b] }, c] } },
  );

/** A jsonb value: absent, JSON null, the right type, or a wrong type. */
const slot = (good: fc.Arbitrary<unknown>, wrong: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 6, arbitrary: good },
    { weight: 1, arbitrary: wrong },
  );

const qualArb = fc.record(
  {
    type: fc.constantFrom(...QUALS),
    level: fc.oneof(fc.constantFrom(...LEVELS), fc.constant(null)),
    issuedOn: fc.oneof({ weight: 6, arbitrary: date }, { weight: 1, arbitrary: fc.constant(20200101) }),
    validUntil: fc.oneof(date, fc.constant(null)),
  },
  { requiredKeys: ['type', 'issuedOn'] },
);

const factsArb = fc
  .tuple(
    fc.tuple(...NUM_KEYS.map(() => slot(num, fc.constantFrom('12', true, '0.055')))),
    fc.tuple(...BOOL_KEYS.map(() => slot(fc.boolean(), fc.constantFrom(1, 'true', 0)))),
    slot(date, fc.constantFrom(20200101, 'not-a-date', '2020-1-1')),
    slot(fc.constantFrom('active', 'exited', 'deregistered'), fc.constantFrom('weird', 5)),
    fc.oneof(
      { weight: 6, arbitrary: fc.array(qualArb, { maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom(undefined, null, 'none') },
    ),
  )
  .map(([nums, bools, founded, status, qualifications]) => {
    const f: Record<string, unknown> = {};
    NUM_KEYS.forEach((k, i) => {
      if (nums[i] !== undefined) f[k] = nums[i];
    });
    BOOL_KEYS.forEach((k, i) => {
      if (bools[i] !== undefined) f[k] = bools[i];
    });
    if (founded !== undefined) f.founded_on = founded;
    if (status !== undefined) f.status = status;
    if (qualifications !== undefined) f.qualifications = qualifications;
    return f;
  });

const rowArb = fc.record({
  regionCode: fc.constantFrom(...REGIONS),
  industryCode: fc.constantFrom(...INDUSTRIES),
  parkId: fc.oneof(fc.constant(null), fc.constantFrom(...PARKS)),
  size: fc.constantFrom('large', 'medium', 'small', 'micro', 'unknown') as fc.Arbitrary<
    'large' | 'medium' | 'small' | 'micro' | 'unknown'
  >,
  aboveScale: fc.constantFrom(true, false, null),
  facts: factsArb,
});

const depth = (r: Rule): number =>
  'all' in r
    ? 1 + Math.max(...r.all.map(depth))
    : 'any' in r
      ? 1 + Math.max(...r.any.map(depth))
      : 'not' in r
        ? 1 + depth(r.not)
        : 0;

describe('rule back ends agree (SQL ≡ TypeScript)', () => {
  it(`on ${NUM_RUNS} random rules × ${ROWS} random facts rows`, async () => {
    let cases = 0;
    const tally = { true: 0, false: 0, null: 0 };
    await fc.assert(
      fc.asyncProperty(
        ruleArb,
        fc.array(rowArb, { minLength: ROWS, maxLength: ROWS }),
        fc.constantFrom(...AS_OF),
        async (rule, rows, asOf) => {
          parseRule(rule); // generated rules are valid rules
          expect(depth(rule)).toBeGreaterThanOrEqual(3);
          await db.delete(enterpriseFacts).where(inArray(enterpriseFacts.enterpriseId, ids));
          await db.insert(enterpriseFacts).values(rows.map((r, i) => ({ ...r, enterpriseId: ids[i]!, year: 2025 })));
          const got = await db
            .select({
              ...getTableColumns(enterpriseFacts),
              verdict: sql<boolean | null>`${compileRule(rule, { asOf, alias: 'enterprise_facts' })}`,
            })
            .from(enterpriseFacts)
            .where(inArray(enterpriseFacts.enterpriseId, ids));
          expect(got.length).toBe(ROWS);
          const pred = compileToPredicate(rule);
          const missingOf = compileMissing(rule);
          const kernel = compileKernel(rule);
          expect(kernel).not.toBeNull();
          // bulk matching's read (loadPopulation): only the facts the rule reads travel, as a list of values; the
          // context built from it must judge exactly as the one built from the whole row (asOf set to the case's)
          const pop = await loadPopulation(db, '2025-12-31', { regionCodes: ['410108'] }, [0], factsOf(rule));
          const bulk = new Map(pop.members.map((m) => [m.enterpriseId, m.ctx[0]]));
          // without a list of facts, the read brings every catalogue fact: the defined ones are factContextOf's
          // (JSON null and keys outside the catalogue left out) and the qualifications are the row's
          const whole = await loadPopulation(db, '2025-12-31', { regionCodes: ['410108'] }, [0]);
          const wholeById = new Map(whole.members.map((m) => [m.enterpriseId, m.ctx[0]]));
          for (const { verdict, ...row } of got) {
            const ctx = factContextOf(row, asOf);
            const ev = evaluate(rule, ctx);
            const ts = ev.result;
            expect({ sql: verdict, ts, rule, row }).toEqual({ sql: ts, ts, rule, row });
            expect(pred(ctx)).toBe(ts);
            // bulk matching's missing facts (no trace) are evaluate's
            expect(missingOf(ctx)).toEqual(ev.missing);
            // the generated kernel: one integer for verdict and missing facts
            const code = kernel!.run(ctx);
            expect(code === 0 ? true : code === -1 ? false : null).toBe(ts);
            expect(code > 0 ? kernel!.missingOf(code) : []).toEqual(ev.missing);
            const all = wholeById.get(row.enterpriseId)!;
            const defined = (f: Record<string, unknown>) =>
              Object.fromEntries(Object.entries(f).filter(([k, v]) => v !== undefined && v !== null && factDef(k)));
            expect(defined(all.facts)).toEqual(defined(ctx.facts));
            expect(all.qualifications).toEqual(ctx.qualifications);
            const read = bulk.get(row.enterpriseId);
            expect(read, row.enterpriseId).toBeDefined();
            const viaRead = evaluate(rule, { ...read!, asOf });
            expect({ result: viaRead.result, missing: viaRead.missing, row }).toEqual({
              result: ts,
              missing: ev.missing,
              row,
            });
            expect(kernel!.run({ ...read!, asOf })).toBe(code);
            tally[String(ts) as keyof typeof tally]++;
            cases++;
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
    expect(cases).toBeGreaterThanOrEqual(1000);
    // the generators reach all three verdicts in a meaningful share
    expect(tally.true).toBeGreaterThan(50);
    expect(tally.false).toBeGreaterThan(50);
    expect(tally.null).toBeGreaterThan(50);
  }, 240_000);
});
