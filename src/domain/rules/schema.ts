/**
 * Validation of rules (issue #5 "Rule language"): the JSON shape (types.ts) checked with zod, then every fact key
 * checked against the facts catalogue and every value against the fact's type. Messages name the path
 * (e.g. `all[1].fact`) in English and Chinese, so an official editing the JSON sees where it went wrong.
 */
import { z } from 'zod';
import { factDef, QUALIFICATION_LEVELS, QUALIFICATION_TYPES } from './catalogue.ts';
import type { ComparisonOp, Rule } from './types.ts';

export const COMPARISON_OPS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const satisfies readonly ComparisonOp[];
export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const scalar = z.union([z.number(), z.string(), z.boolean()]);
const factKey = z.string().min(1).max(80);
const isoDate = z.string().regex(ISO_DATE_RE, 'expected an ISO date YYYY-MM-DD');
const cmpOp = z.enum(COMPARISON_OPS);

const ruleShape: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ruleShape).min(1) }),
    z.strictObject({ any: z.array(ruleShape).min(1) }),
    z.strictObject({ not: ruleShape }),
    z.strictObject({ fact: factKey, op: cmpOp, value: scalar }),
    z.strictObject({ fact: factKey, op: z.literal('in'), value: z.array(scalar).min(1).max(500) }),
    z.strictObject({ fact: factKey, op: z.literal('between'), value: z.tuple([z.number(), z.number()]) }),
    z.strictObject({ fact: factKey, op: z.literal('prefix'), value: z.string().min(1).max(20) }),
    z.strictObject({ qualification: z.string().min(1), level: z.string().optional(), on: isoDate.optional() }),
    z.strictObject({ yearsSince: factKey, op: cmpOp, value: z.number() }),
    z.strictObject({ ratio: z.tuple([factKey, factKey]), op: cmpOp, value: z.number() }),
  ]),
) as z.ZodType<Rule>;

export interface RuleIssue {
  path: (string | number)[];
  message: string;
}

/** `all[1].any[0].fact` from ['all', 1, 'any', 0, 'fact']. */
export function formatPath(path: readonly (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s || '(root)';
}

const MAX_DEPTH = 12;
const MAX_NODES = 400;

/** Semantic checks: fact keys known, values of the fact's type, operators allowed for the type. */
export function ruleIssues(rule: Rule): RuleIssue[] {
  const issues: RuleIssue[] = [];
  let nodes = 0;
  const add = (path: (string | number)[], en: string, zh: string) =>
    issues.push({ path, message: `${formatPath(path)}: ${en}（${zh}）` });
  const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

  const walk = (r: Rule, path: (string | number)[], depth: number) => {
    nodes++;
    if (depth > MAX_DEPTH) return add(path, `rule nested deeper than ${MAX_DEPTH}`, `规则嵌套超过 ${MAX_DEPTH} 层`);
    if (nodes > MAX_NODES) return add(path, `rule has more than ${MAX_NODES} nodes`, `规则节点超过 ${MAX_NODES} 个`);
    if ('all' in r)
      return r.all.forEach((c, i) => {
        walk(c, [...path, 'all', i], depth + 1);
      });
    if ('any' in r)
      return r.any.forEach((c, i) => {
        walk(c, [...path, 'any', i], depth + 1);
      });
    if ('not' in r) return walk(r.not, [...path, 'not'], depth + 1);
    if ('qualification' in r) {
      if (!QUALIFICATION_TYPES.some((q) => q.value === r.qualification))
        add([...path, 'qualification'], `unknown qualification "${r.qualification}"`, `未知的资质类型`);
      if (r.level !== undefined && !QUALIFICATION_LEVELS.some((q) => q.value === r.level))
        add([...path, 'level'], `unknown qualification level "${r.level}"`, `未知的资质级别`);
      return;
    }
    if ('yearsSince' in r) {
      const d = factDef(r.yearsSince);
      if (!d) return add([...path, 'yearsSince'], `unknown fact "${r.yearsSince}"`, '未知的事实项');
      if (d.type !== 'date') add([...path, 'yearsSince'], `fact "${d.key}" is not a date`, '该事实项不是日期');
      if (!isNum(r.value)) add([...path, 'value'], 'expected a number', '应为数字');
      return;
    }
    if ('ratio' in r) {
      r.ratio.forEach((k, i) => {
        const d = factDef(k);
        if (!d) add([...path, 'ratio', i], `unknown fact "${k}"`, '未知的事实项');
        else if (d.type !== 'number') add([...path, 'ratio', i], `fact "${k}" is not a number`, '该事实项不是数值');
      });
      if (!isNum(r.value)) add([...path, 'value'], 'expected a number', '应为数字');
      return;
    }
    const d = factDef(r.fact);
    if (!d) return add([...path, 'fact'], `unknown fact "${r.fact}"`, '未知的事实项');
    const vPath = [...path, 'value'];
    const checkValue = (v: unknown, p: (string | number)[]) => {
      switch (d.type) {
        case 'number':
          if (!isNum(v)) add(p, `fact "${d.key}" needs a number`, '应为数字');
          break;
        case 'string':
          if (typeof v !== 'string') add(p, `fact "${d.key}" needs a string`, '应为文本');
          break;
        case 'boolean':
          if (typeof v !== 'boolean') add(p, `fact "${d.key}" needs true or false`, '应为是/否');
          break;
        case 'date':
          if (typeof v !== 'string' || !ISO_DATE_RE.test(v))
            add(p, `fact "${d.key}" needs an ISO date YYYY-MM-DD`, '应为日期 YYYY-MM-DD');
          break;
        case 'enum':
          if (typeof v !== 'string' || !d.enumValues?.some((e) => e.value === v))
            add(
              p,
              `fact "${d.key}" needs one of ${d.enumValues?.map((e) => e.value).join(', ')}`,
              '不是该事实项的可选值',
            );
          break;
      }
    };
    const opNotFor = () =>
      add(
        [...path, 'op'],
        `operator "${r.op}" cannot be used with ${d.type} fact "${d.key}"`,
        '该运算符不适用于此事实项',
      );
    switch (r.op) {
      case 'in':
        r.value.forEach((v, i) => {
          checkValue(v, [...vPath, i]);
        });
        break;
      case 'between':
        if (d.type !== 'number') opNotFor();
        else if (r.value[0] > r.value[1]) add(vPath, 'between needs min ≤ max', '区间下限应不大于上限');
        break;
      case 'prefix':
        if (d.type !== 'string') opNotFor();
        break;
      case 'eq':
      case 'ne':
        checkValue(r.value, vPath);
        break;
      default:
        if (d.type !== 'number' && d.type !== 'date') opNotFor();
        else checkValue(r.value, vPath);
    }
  };
  walk(rule, [], 0);
  return issues;
}

/** The rule schema used at every edge (policies routes, evaluate endpoint, editor). */
export const ruleSchema: z.ZodType<Rule> = ruleShape.superRefine((rule, ctx) => {
  for (const i of ruleIssues(rule)) ctx.addIssue({ code: 'custom', path: i.path, message: i.message });
}) as unknown as z.ZodType<Rule>;

export class RuleValidationError extends Error {
  constructor(public readonly issues: RuleIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'RuleValidationError';
  }
}

/** Parse an unknown value into a valid rule or throw RuleValidationError naming every bad path. */
export function parseRule(input: unknown): Rule {
  const r = ruleSchema.safeParse(input);
  if (!r.success)
    throw new RuleValidationError(
      r.error.issues.map((i) => ({
        path: i.path as (string | number)[],
        message: i.code === 'custom' ? i.message : `${formatPath(i.path as (string | number)[])}: ${i.message}`,
      })),
    );
  return r.data;
}

/** Every fact key a rule reads (sorted, unique); qualifications read the qualification list. */
export function factsOf(rule: Rule): string[] {
  const out = new Set<string>();
  const walk = (r: Rule) => {
    if ('all' in r) r.all.forEach(walk);
    else if ('any' in r) r.any.forEach(walk);
    else if ('not' in r) walk(r.not);
    else if ('qualification' in r) out.add('qualifications');
    else if ('yearsSince' in r) out.add(r.yearsSince);
    else if ('ratio' in r) {
      out.add(r.ratio[0]);
      out.add(r.ratio[1]);
    } else out.add(r.fact);
  };
  walk(rule);
  return [...out].sort();
}
