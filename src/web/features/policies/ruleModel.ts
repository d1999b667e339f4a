/**
 * Pure helpers of the visual rule editor: the rule tree (src/domain/rules/types.ts) edited by path, operator choices
 * per fact type, default values, and a structural check of rule JSON typed by hand (the server's ruleSchema has the
 * last word; this only keeps the tree view from drawing nonsense).
 */
import type { ComparisonOp, Rule, Scalar } from '../../../domain/rules/types.ts';
import type { Fact } from './api';

export type GroupKind = 'all' | 'any';
export type ConditionKind = 'fact' | 'qualification' | 'yearsSince' | 'ratio';
export type FactOp = ComparisonOp | 'in' | 'between' | 'prefix';
export type Path = number[];

export const COMPARISON_OPS: readonly ComparisonOp[] = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'];
export const OP_SYMBOL: Record<FactOp, string> = {
  eq: '=',
  ne: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  in: '∈',
  between: '[ , ]',
  prefix: 'A…',
};

/** Qualification types a rule may ask for (as stored on enterprises; see the enterprises module). */
export const QUALIFICATIONS = [
  'high_tech',
  'tech_sme',
  'innovative_sme',
  'srdi_sme',
  'zjtx',
  'little_giant',
  'single_champion',
  'listed',
] as const;
export const QUALIFICATION_LEVELS = ['national', 'provincial', 'municipal'] as const;

/** Operators that make sense for a fact of this type. */
export function opsFor(type: Fact['type'] | undefined): FactOp[] {
  switch (type) {
    case 'number':
      return [...COMPARISON_OPS, 'between', 'in'];
    case 'boolean':
      return ['eq', 'ne'];
    case 'enum':
      return ['eq', 'ne', 'in'];
    case 'date':
      return ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'];
    default:
      return ['eq', 'ne', 'in', 'prefix'];
  }
}

/** A sensible value for a fact and operator (keeps the value when it still fits). */
export function defaultValue(fact: Fact | undefined, op: FactOp, previous?: unknown): unknown {
  const type = fact?.type ?? 'string';
  if (op === 'between') {
    if (Array.isArray(previous) && previous.length === 2 && previous.every((v) => typeof v === 'number'))
      return previous;
    return [0, 100];
  }
  if (op === 'in') {
    if (Array.isArray(previous)) return previous;
    if (previous !== undefined && previous !== null && previous !== '') return [previous];
    return [];
  }
  const single = Array.isArray(previous) ? previous[0] : previous;
  if (type === 'number') return typeof single === 'number' ? single : 0;
  if (type === 'boolean') return typeof single === 'boolean' ? single : true;
  if (type === 'enum') {
    const values = fact?.enumValues?.map((v) => v.value) ?? [];
    return typeof single === 'string' && values.includes(single) ? single : (values[0] ?? '');
  }
  return typeof single === 'string' ? single : '';
}

export function isGroup(rule: Rule): rule is { all: Rule[] } | { any: Rule[] } {
  return 'all' in rule || 'any' in rule;
}

export function groupKind(rule: Rule): GroupKind | null {
  if ('all' in rule) return 'all';
  if ('any' in rule) return 'any';
  return null;
}

export function childrenOf(rule: Rule): Rule[] {
  if ('all' in rule) return rule.all;
  if ('any' in rule) return rule.any;
  if ('not' in rule) return [rule.not];
  return [];
}

function withChildren(rule: Rule, children: Rule[]): Rule {
  if ('all' in rule) return { all: children };
  if ('any' in rule) return { any: children };
  if ('not' in rule) return { not: children[0] ?? emptyCondition() };
  return rule;
}

export function getAt(rule: Rule, path: Path): Rule | undefined {
  let node: Rule | undefined = rule;
  for (const i of path) {
    if (!node) return undefined;
    node = childrenOf(node)[i];
  }
  return node;
}

/** A copy of the tree with the node at `path` replaced by fn(node). */
export function updateAt(rule: Rule, path: Path, fn: (node: Rule) => Rule): Rule {
  if (path.length === 0) return fn(rule);
  const [head, ...rest] = path as [number, ...number[]];
  const kids = childrenOf(rule);
  const child = kids[head];
  if (!child) return rule;
  return withChildren(
    rule,
    kids.map((k, i) => (i === head ? updateAt(child, rest, fn) : k)),
  );
}

/** Removes the node at `path` (not the root). */
export function removeAt(rule: Rule, path: Path): Rule {
  if (path.length === 0) return rule;
  const parent = path.slice(0, -1);
  const index = path[path.length - 1] as number;
  return updateAt(rule, parent, (p) => {
    if ('not' in p) return p;
    return withChildren(
      p,
      childrenOf(p).filter((_, i) => i !== index),
    );
  });
}

export function appendAt(rule: Rule, path: Path, child: Rule): Rule {
  return updateAt(rule, path, (p) => withChildren(p, [...childrenOf(p), child]));
}

export function emptyCondition(fact = 'operating_revenue'): Rule {
  return { fact, op: 'gte', value: 0 };
}

export function emptyRule(): Rule {
  return { all: [] };
}

export function conditionKind(rule: Rule): ConditionKind | null {
  if ('qualification' in rule) return 'qualification';
  if ('yearsSince' in rule) return 'yearsSince';
  if ('ratio' in rule) return 'ratio';
  if ('fact' in rule) return 'fact';
  return null;
}

/** A fresh condition of a kind, keeping the fact where it can. */
export function conditionOfKind(kind: ConditionKind, catalogue: Fact[]): Rule {
  const numeric = catalogue.filter((f) => f.type === 'number');
  const dates = catalogue.filter((f) => f.type === 'date');
  switch (kind) {
    case 'qualification':
      return { qualification: 'high_tech' };
    case 'yearsSince':
      return { yearsSince: dates[0]?.key ?? 'founded_on', op: 'gte', value: 3 };
    case 'ratio':
      return {
        ratio: [numeric[0]?.key ?? 'rd_expense', numeric[1]?.key ?? 'operating_revenue'],
        op: 'gte',
        value: 0.03,
      };
    default:
      return emptyCondition(
        numeric.some((f) => f.key === 'operating_revenue')
          ? 'operating_revenue'
          : (numeric[0]?.key ?? 'operating_revenue'),
      );
  }
}

const SCALAR = (v: unknown): v is Scalar => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';
const FACT_OPS = new Set<string>([...COMPARISON_OPS, 'in', 'between', 'prefix']);

/**
 * Checks the shape of a rule typed as JSON; returns the first problem as { path, problem } (an i18n key under
 * policies.rule.json.*) or null. Fact keys are checked against the catalogue when it is given.
 */
export function checkRule(value: unknown, catalogue?: Fact[], path = '$'): { path: string; problem: string } | null {
  const known = catalogue ? new Set(catalogue.map((f) => f.key)) : null;
  const fail = (p: string, problem: string) => ({ path: p, problem });
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail(path, 'notObject');
  const v = value as Record<string, unknown>;
  for (const g of ['all', 'any'] as const) {
    if (g in v) {
      if (!Array.isArray(v[g])) return fail(`${path}.${g}`, 'notArray');
      for (const [i, child] of (v[g] as unknown[]).entries()) {
        const bad = checkRule(child, catalogue, `${path}.${g}[${i}]`);
        if (bad) return bad;
      }
      return null;
    }
  }
  if ('not' in v) return checkRule(v.not, catalogue, `${path}.not`);
  if ('qualification' in v) {
    if (typeof v.qualification !== 'string' || !v.qualification) return fail(`${path}.qualification`, 'notString');
    return null;
  }
  const checkOp = (op: unknown) => typeof op === 'string' && COMPARISON_OPS.includes(op as ComparisonOp);
  if ('yearsSince' in v) {
    if (typeof v.yearsSince !== 'string') return fail(`${path}.yearsSince`, 'notString');
    if (known && !known.has(v.yearsSince)) return fail(`${path}.yearsSince`, 'unknownFact');
    if (!checkOp(v.op)) return fail(`${path}.op`, 'badOp');
    if (typeof v.value !== 'number') return fail(`${path}.value`, 'notNumber');
    return null;
  }
  if ('ratio' in v) {
    if (!Array.isArray(v.ratio) || v.ratio.length !== 2 || !v.ratio.every((x) => typeof x === 'string'))
      return fail(`${path}.ratio`, 'badRatio');
    for (const [i, k] of (v.ratio as string[]).entries())
      if (known && !known.has(k)) return fail(`${path}.ratio[${i}]`, 'unknownFact');
    if (!checkOp(v.op)) return fail(`${path}.op`, 'badOp');
    if (typeof v.value !== 'number') return fail(`${path}.value`, 'notNumber');
    return null;
  }
  if ('fact' in v) {
    if (typeof v.fact !== 'string') return fail(`${path}.fact`, 'notString');
    if (known && !known.has(v.fact)) return fail(`${path}.fact`, 'unknownFact');
    if (typeof v.op !== 'string' || !FACT_OPS.has(v.op)) return fail(`${path}.op`, 'badOp');
    if (v.op === 'in') {
      if (!Array.isArray(v.value) || !v.value.every(SCALAR)) return fail(`${path}.value`, 'notArray');
    } else if (v.op === 'between') {
      if (!Array.isArray(v.value) || v.value.length !== 2 || !v.value.every((x) => typeof x === 'number'))
        return fail(`${path}.value`, 'badBetween');
    } else if (v.op === 'prefix') {
      if (typeof v.value !== 'string') return fail(`${path}.value`, 'notString');
    } else if (!SCALAR(v.value)) return fail(`${path}.value`, 'notScalar');
    return null;
  }
  return fail(path, 'unknownNode');
}

/** Parses rule JSON text: the rule, or a syntax/structure error (message, path) for the editor to show. */
export function parseRuleText(
  text: string,
  catalogue?: Fact[],
):
  | { rule: Rule; error?: undefined }
  | { rule?: undefined; error: { problem: string; path?: string; detail?: string } } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: { problem: 'syntax', detail: e instanceof Error ? e.message : String(e) } };
  }
  const bad = checkRule(value, catalogue);
  if (bad) return { error: bad };
  return { rule: value as Rule };
}

/** Number of leaf conditions (for the tree's summary). */
export function countConditions(rule: Rule): number {
  const kids = childrenOf(rule);
  if ('all' in rule || 'any' in rule || 'not' in rule) return kids.reduce((n, k) => n + countConditions(k), 0);
  return 1;
}
