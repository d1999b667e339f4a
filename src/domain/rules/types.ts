/**
 * The one rule language (../shared/DESIGN.md §3 "One rule language"; issue #5). This file is the contract
 * between the rule back ends (TypeScript evaluator with trace, SQL compiler), the policies module and the
 * visual rule editor. Keep it stable: other modules and the web app import these types.
 *
 * A rule is JSON over *enterprise facts*. Facts are named by their key in the facts catalogue
 * (`catalogue.ts`), e.g. `operating_revenue` (万元), `employees_year_end`, `size`, `above_scale`,
 * `industry_code`, `region_code`, `rd_intensity`, `ui_months_paid`, `layoff_rate`.
 *
 * Logic is three-valued (Kleene, as SQL's AND/OR/NOT): a condition on a missing fact is UNKNOWN (`null`),
 * never false; `all` is false if any child is false, else unknown if any is unknown, else true; `any` the dual;
 * `not` keeps unknown.
 */

export type Scalar = number | string | boolean;

export type ComparisonOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  /** Compare a fact with a constant. Numbers compare numerically, strings exactly, booleans with eq/ne only. */
  | { fact: string; op: ComparisonOp; value: Scalar }
  /** Fact is one of the listed values. */
  | { fact: string; op: 'in'; value: Scalar[] }
  /** Inclusive numeric range [min, max]. */
  | { fact: string; op: 'between'; value: [number, number] }
  /** String fact starts with the code, e.g. industry_code prefix 'C' (manufacturing) or '39'. */
  | { fact: string; op: 'prefix'; value: string }
  /**
   * The enterprise holds qualification `type` (catalogue QUALIFICATION_TYPES, e.g. 'srdi_sme' 专精特新, 'little_giant', 'innovative_sme',
   * 'high_tech') — optionally of `level` — valid on `on` (an ISO date; omitted = the evaluation date).
   * Never unknown: the qualification list is always known (empty when none).
   */
  | { qualification: string; level?: string; on?: string }
  /** Whole years elapsed from a date-valued fact (e.g. `founded_on`) to the evaluation date, compared. */
  | { yearsSince: string; op: ComparisonOp; value: number }
  /** A ratio of two numeric facts, compared (unknown when either is missing or the denominator is 0). */
  | { ratio: [string, string]; op: ComparisonOp; value: number };

export type Verdict = true | false | null;

/** One line of an explanation: what was compared, what the firm has, and how far it is from passing. */
export interface TraceNode {
  /** Path of the node in the rule, e.g. "all[1].any[0]". */
  path: string;
  kind: 'all' | 'any' | 'not' | 'compare' | 'qualification' | 'yearsSince' | 'ratio';
  /** Fact keys this node reads. */
  facts: string[];
  op?: string;
  expected?: unknown;
  actual?: unknown;
  result: Verdict;
  /** For a failed numeric comparison: how much is missing (e.g. 50 万元 of revenue), in the fact's unit. */
  shortfall?: number | null;
  /** Facts that were missing (only where result is null). */
  missing?: string[];
  children?: TraceNode[];
}

export interface Evaluation {
  result: Verdict;
  trace: TraceNode;
  /** All missing facts that made the result unknown (empty when the result is true/false). */
  missing: string[];
}

/** The evaluation context: a flat fact map (catalogue keys) plus the date the rule is judged on. */
export interface FactContext {
  facts: Record<string, unknown>;
  /** ISO date (YYYY-MM-DD). */
  asOf: string;
  /** Qualifications held: type, optional level, issued and valid-until dates (ISO). */
  qualifications?: { type: string; level?: string | null; issuedOn: string; validUntil?: string | null }[];
}

/**
 * Amount formulas: a small expression language in a string, e.g.
 * `min(500000, 0.1 * rd_expense * 10000)` or `ui_paid_last_year * if(size == "large", 0.3, 0.6)`.
 * Grammar: numbers, fact names, + - * / (), comparisons == != < <= > >= with and/or/not inside `if`,
 * string literals in double quotes, functions min(a, b, …), max(…), round(x, digits), floor(x), ceil(x),
 * if(cond, then, else). Arithmetic is decimal (no binary floating-point error); results are in 元 rounded
 * to 2 places. A formula over a missing fact yields null (unknown) and names the fact.
 */
export type Formula = string;

export interface AmountResult {
  /** 元, as a decimal string with 2 places (e.g. "12345.60"), or null when unknown. */
  amount: string | null;
  missing: string[];
}

/** A policy clause's computable part. Caps/floors in 元; stacking group: 从高不重复 (only the highest pays). */
export interface ClauseSpec {
  eligibility: Rule;
  amount?: Formula | null;
  cap?: number | null;
  floor?: number | null;
  oncePerEnterprise?: boolean;
  stackingGroup?: string | null;
}
