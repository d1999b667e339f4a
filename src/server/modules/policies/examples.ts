/**
 * Evaluating a policy's clauses on one set of facts (the evaluate endpoint, the public calculator) and
 * checking clause example cases (facts → expected eligibility and amount), as OpenFisca's YAML tests do
 * (lessons.md §3.2). Stacking (从高不重复, rules.md §8.3): within a stacking group only the highest eligible
 * amount pays; the others are kept with `stackedOut: true` and amount "0.00".
 */
import { applyStacking, clauseAmount, evaluate } from '../../../domain/rules/index.ts';
import type { FactContext, Rule, TraceNode, Verdict } from '../../../domain/rules/types.ts';
import type { ClauseExample } from '../../db/schema/index.ts';
import { deriveRatios } from '../enterprises/facts.ts';

export interface ClauseLike {
  id: string;
  ordinal: number;
  title: string;
  eligibility: Rule;
  amountFormula: string | null;
  capYuan: string | null;
  floorYuan: string | null;
  oncePerEnterprise: boolean;
  stackingGroup: string | null;
}

export interface ClauseOutcome {
  clauseId: string;
  title: string;
  eligible: Verdict;
  amount: string | null;
  missing: string[];
  stackedOut: boolean;
  trace: TraceNode;
}

/** Fills derived facts (ratios such as layoff_rate, rd_intensity) the caller did not give, from their inputs. */
export function withDerivedFacts(facts: Record<string, unknown>): Record<string, unknown> {
  const nums: Record<string, number> = {};
  for (const [k, v] of Object.entries(facts)) if (typeof v === 'number' && Number.isFinite(v)) nums[k] = v;
  const derived = deriveRatios(nums, {}) as Record<string, number | null>;
  const out = { ...facts };
  for (const [k, v] of Object.entries(derived)) if (out[k] === undefined && v !== null) out[k] = v;
  return out;
}

const fixed2 = (s: string) => Number(s).toFixed(2);

export function evaluateClause(c: ClauseLike, ctx: FactContext): ClauseOutcome {
  const ev = evaluate(c.eligibility, ctx);
  let amount: string | null = null;
  const missing = [...ev.missing];
  if (ev.result === true && c.amountFormula) {
    const a = clauseAmount(
      {
        eligibility: c.eligibility,
        amount: c.amountFormula,
        cap: c.capYuan === null ? null : Number(c.capYuan),
        floor: c.floorYuan === null ? null : Number(c.floorYuan),
        oncePerEnterprise: c.oncePerEnterprise,
        stackingGroup: c.stackingGroup,
      },
      ctx,
    );
    amount = a.amount;
    for (const m of a.missing) if (!missing.includes(m)) missing.push(m);
  }
  return {
    clauseId: c.id,
    title: c.title,
    eligible: ev.result,
    amount,
    missing,
    stackedOut: false,
    trace: ev.trace,
  };
}

/** Applies 从高不重复 across clauses (domain applyStacking): a clause that does not pay keeps its verdict, amount "0.00". */
export function evaluateClauses(clauses: ClauseLike[], ctx: FactContext): ClauseOutcome[] {
  const sorted = [...clauses].sort((a, b) => a.ordinal - b.ordinal);
  const outcomes = sorted.map((c) => evaluateClause(c, ctx));
  const stacked = applyStacking(
    outcomes.map((o, i) => ({
      clauseId: o.clauseId,
      stackingGroup: sorted[i]!.stackingGroup,
      amount: o.eligible === true ? o.amount : null,
    })),
  );
  return outcomes.map((o, i) =>
    o.eligible === true && o.amount !== null && !stacked.items[i]!.pays
      ? { ...o, amount: '0.00', stackedOut: true }
      : o,
  );
}

export function exampleContext(ex: ClauseExample): FactContext {
  return {
    facts: withDerivedFacts(ex.facts),
    asOf: ex.asOf,
    qualifications: (ex.qualifications ?? []).map((q) => ({
      type: q.type,
      level: q.level ?? null,
      issuedOn: q.issuedOn,
      validUntil: q.validUntil ?? null,
    })),
  };
}

export interface ExampleResult {
  name: string;
  passed: boolean;
  expected: ClauseExample['expected'];
  actual: { eligible: Verdict; amount: string | null; missing: string[] };
  /** What differs (empty when passed). */
  mismatches: string[];
}

/** Runs one example case through the real evaluator (clause level, before stacking). */
export function checkExample(c: ClauseLike, ex: ClauseExample): ExampleResult {
  const o = evaluateClause(c, exampleContext(ex));
  const mismatches: string[] = [];
  if (o.eligible !== ex.expected.eligible)
    mismatches.push(`eligible: expected ${String(ex.expected.eligible)}, got ${String(o.eligible)}`);
  const expAmount = ex.expected.amount === null ? null : fixed2(ex.expected.amount);
  const gotAmount = o.amount === null ? null : fixed2(o.amount);
  if (expAmount !== gotAmount) mismatches.push(`amount: expected ${String(expAmount)}, got ${String(gotAmount)}`);
  for (const m of ex.expected.missing ?? []) {
    if (!o.missing.includes(m)) mismatches.push(`missing: expected ${m} to be named, got [${o.missing.join(', ')}]`);
  }
  return {
    name: ex.name,
    passed: mismatches.length === 0,
    expected: ex.expected,
    actual: { eligible: o.eligible, amount: o.amount, missing: o.missing },
    mismatches,
  };
}

export function runExamples(c: ClauseLike & { examples: ClauseExample[] }): ExampleResult[] {
  return c.examples.map((ex) => checkExample(c, ex));
}
