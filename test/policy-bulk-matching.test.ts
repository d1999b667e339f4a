/**
 * Bulk matching (decision 0015): the population read once and judged in process agrees with the SQL back end for
 * every clause of the demo library and every enterprise; a rematch writes only what changed; the nightly run
 * shares one population read across all published policies and stores the same results.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises, policies, policyClauses, policyMatches } from '../src/server/db/schema/index.ts';
import { recomputeFacts } from '../src/server/modules/enterprises/facts.ts';
import { classifyClause, matchAll, matchPolicy } from '../src/server/modules/policies/matching.ts';
import { classifyPopulation, clauseReads, loadPopulation } from '../src/server/modules/policies/population.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  // no job workers: a facts change below records a rematch job that must not run behind the later tests' backs
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('bulk matching', () => {
  it('agrees with the SQL back end on every demo clause × every enterprise (verdict, amount, missing, year)', async () => {
    const { db } = t.deps.database;
    const clauses = await db.select().from(policyClauses);
    expect(clauses.length).toBeGreaterThanOrEqual(7);
    for (const asOf of [today(), '2024-03-01']) {
      const pop = await loadPopulation(db, asOf);
      expect(pop.members.length).toBeGreaterThan(100);
      const verdicts = { eligible: 0, ineligible: 0, unknown: 0 };
      for (const c of clauses) {
        const bulk = classifyPopulation(c, pop);
        // the read matching does: only the facts this clause reads (rule and amount formula), as lists of values
        const projected = classifyPopulation(c, await loadPopulation(db, asOf, {}, [0, 1], clauseReads(c)));
        expect(projected.map((r) => [r.enterpriseId, r.result, r.amountYuan, r.missing, r.factsYear])).toEqual(
          bulk.map((r) => [r.enterpriseId, r.result, r.amountYuan, r.missing, r.factsYear]),
        );
        const viaSql = await classifyClause(db, c, asOf, {});
        expect(bulk.length, c.title).toBe(viaSql.length);
        const bySql = new Map(viaSql.map((r) => [r.enterpriseId, r]));
        for (const r of bulk) {
          const s = bySql.get(r.enterpriseId);
          expect(s, r.enterpriseId).toBeDefined();
          expect([r.result, r.amountYuan, r.missing, r.factsYear], `${c.title} ${r.enterpriseId}`).toEqual([
            s!.result,
            s!.amountYuan,
            s!.missing,
            s!.factsYear,
          ]);
          verdicts[r.result]++;
        }
      }
      // the comparison is not vacuous: all three verdicts occur
      expect(verdicts.eligible, asOf).toBeGreaterThan(0);
      expect(verdicts.ineligible, asOf).toBeGreaterThan(0);
      expect(verdicts.unknown, asOf).toBeGreaterThan(0);
    }
  });

  it('loads one region subtree or one enterprise only', async () => {
    const { db } = t.deps.database;
    const huiji = await loadPopulation(db, today(), { regionCode: '410108' });
    expect(huiji.members.length).toBeGreaterThan(0);
    expect(huiji.members.every((m) => m.regionCode.startsWith('410108'))).toBe(true);
    const all = await loadPopulation(db, today());
    expect(huiji.members.length).toBeLessThan(all.members.length);
    const one = await loadPopulation(db, today(), { enterpriseId: huiji.members[0]!.enterpriseId });
    expect(one.members.map((m) => m.enterpriseId)).toEqual([huiji.members[0]!.enterpriseId]);
  });

  it('a rematch writes only what changed; a removed clause loses its rows', async () => {
    const { db } = t.deps.database;
    const deps = t.deps;
    const [p] = await db
      .select()
      .from(policies)
      .where(
        and(
          eq(policies.status, 'published'),
          sql`exists (select 1 from policy_matches m where m.policy_id = ${policies.id})`,
        ),
      )
      .orderBy(policies.code)
      .limit(1);
    expect(p).toBeDefined();
    const first = await matchPolicy(deps, p!.id, today());
    const again = await matchPolicy(deps, p!.id, today());
    expect(again.written).toBe(0);
    expect([again.eligible, again.ineligible, again.unknown]).toEqual([
      first.eligible,
      first.ineligible,
      first.unknown,
    ]);

    // one enterprise's facts change: only its rows are rewritten
    const [m] = await db.select().from(policyMatches).where(eq(policyMatches.policyId, p!.id)).limit(1);
    const year = Number(today().slice(0, 4)) - 1;
    await db.execute(
      sql`update enterprise_facts set facts = facts || '{"operating_revenue": 987654, "employees_year_end": 999}'::jsonb
           where enterprise_id = ${m!.enterpriseId} and year = (select max(year) from enterprise_facts
                 where enterprise_id = ${m!.enterpriseId} and year <= ${year})`,
    );
    const before = await db.select().from(policyMatches).where(eq(policyMatches.policyId, p!.id));
    const after1 = await matchPolicy(deps, p!.id, today());
    const after = await db.select().from(policyMatches).where(eq(policyMatches.policyId, p!.id));
    const changed = after.filter((a) => {
      const b = before.find((x) => x.clauseId === a.clauseId && x.enterpriseId === a.enterpriseId)!;
      return b.result !== a.result || b.amountYuan !== a.amountYuan;
    });
    expect(after1.written).toBeLessThanOrEqual(after1.clauses);
    expect(after1.written).toBe(changed.length);
    expect(changed.every((c) => c.enterpriseId === m!.enterpriseId)).toBe(true);
    // rows not rewritten keep their matched_at
    const untouched = after.filter((a) => a.enterpriseId !== m!.enterpriseId);
    expect(
      untouched.every(
        (a) =>
          a.matchedAt.getTime() ===
          before.find((x) => x.clauseId === a.clauseId && x.enterpriseId === a.enterpriseId)!.matchedAt.getTime(),
      ),
    ).toBe(true);
    // restore the facts from the indicators (the facts row is derived)
    await db.transaction((tx) => recomputeFacts(tx, m!.enterpriseId, today()));

    // an enterprise that leaves the population (deregistered) loses its rows; a removed clause loses all of its rows
    await db.update(enterprises).set({ status: 'deregistered' }).where(eq(enterprises.id, m!.enterpriseId));
    const clauses = await db.select().from(policyClauses).where(eq(policyClauses.policyId, p!.id));
    const gone = await matchPolicy(deps, p!.id, today());
    expect(gone.written).toBeGreaterThanOrEqual(clauses.length);
    const left = await db
      .select()
      .from(policyMatches)
      .where(and(eq(policyMatches.policyId, p!.id), eq(policyMatches.enterpriseId, m!.enterpriseId)));
    expect(left).toEqual([]);
    await db.update(enterprises).set({ status: 'active' }).where(eq(enterprises.id, m!.enterpriseId));
    if (clauses.length > 1) {
      const last = clauses.sort((a, b) => b.ordinal - a.ordinal)[0]!;
      await db.delete(policyClauses).where(eq(policyClauses.id, last.id));
      await matchPolicy(deps, p!.id, today());
      const rows = await db.select().from(policyMatches).where(eq(policyMatches.clauseId, last.id));
      expect(rows).toEqual([]);
    }
  });

  it('the nightly run reads the population once for all policies and stores what per-policy matching stores', async () => {
    const { db } = t.deps.database;
    const snapshot = async () =>
      (
        await db
          .select({
            p: policyMatches.policyId,
            c: policyMatches.clauseId,
            e: policyMatches.enterpriseId,
            r: policyMatches.result,
            a: policyMatches.amountYuan,
          })
          .from(policyMatches)
      )
        .map((x) => `${x.p}|${x.c}|${x.e}|${x.r}|${x.a}`)
        .sort();
    const published = await db
      .select({ id: policies.id })
      .from(policies)
      .where(
        and(
          eq(policies.status, 'published'),
          sql`exists (select 1 from policy_clauses c where c.policy_id = ${policies.id})`,
        ),
      );
    expect(published.length).toBeGreaterThanOrEqual(5);
    for (const p of published) await matchPolicy(t.deps, p.id, today());
    const perPolicy = await snapshot();
    expect(perPolicy.length).toBeGreaterThan(1000);
    // wipe and rebuild with the nightly run
    await db.delete(policyMatches);
    const r = await matchAll(t.deps, today());
    expect(r.policies).toBe(published.length);
    expect(r.written).toBe(perPolicy.length);
    expect(await snapshot()).toEqual(perPolicy);
    // and a second nightly run with nothing changed writes nothing
    const r2 = await matchAll(t.deps, today());
    expect(r2.written).toBe(0);
  });
});
