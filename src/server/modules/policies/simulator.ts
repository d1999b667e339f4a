/**
 * 政策沙盘 (issue #5 "Simulator"; rules.md §8.1 安徽's 政策沙盘): for a draft clause, on the real population of the
 * caller's scope, how many enterprises qualify, the total cost, breakdowns, and near-misses.
 *
 * Near-miss (decision 0013): an INELIGIBLE enterprise with at least one failing leaf condition whose flip to
 * "passes" alone would make the whole rule pass (for a rule of `all` conditions: exactly one failing condition and
 * no unknown one). It is counted under each such condition.
 */

import { minTrustOf } from '../../../domain/provenance.ts';
import { describeCondition, evaluate } from '../../../domain/rules/index.ts';
import type { Rule, TraceNode, Verdict } from '../../../domain/rules/types.ts';
import type { Executor } from '../../db/client.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Locale } from '../../platform/messages.ts';
import type { Scope } from '../../platform/scope.ts';
import type { ClauseVerdict } from './matching.ts';
import { classifyPopulation, clauseReads, loadPopulation, offsetOf, slotOf } from './population.ts';

export interface SimClause {
  eligibility: Rule;
  amountFormula?: string | null;
  capYuan?: number | null;
  floorYuan?: number | null;
  factsYear?: 'previous' | 'current';
  minSource?: 'official' | 'verified_on_site' | null;
}

const and3 = (vs: Verdict[]): Verdict => (vs.includes(false) ? false : vs.includes(null) ? null : true);
const or3 = (vs: Verdict[]): Verdict => (vs.includes(true) ? true : vs.includes(null) ? null : false);

/** Re-combines a trace with one leaf (by path) forced to pass. */
export function recombine(t: TraceNode, flipped: string): Verdict {
  if (
    !t.children ||
    t.kind === 'qualification' ||
    t.kind === 'compare' ||
    t.kind === 'yearsSince' ||
    t.kind === 'ratio'
  ) {
    return t.path === flipped ? true : t.result;
  }
  const vs = t.children.map((c) => recombine(c, flipped));
  if (t.kind === 'all') return and3(vs);
  if (t.kind === 'any') return or3(vs);
  const v = vs[0] ?? null;
  return v === null ? null : !v;
}

/** Leaves (with the sub-rule they came from) whose flip alone makes the rule pass. */
export function decisiveFailures(rule: Rule, trace: TraceNode): { path: string; rule: Rule }[] {
  const leaves: { path: string; rule: Rule; node: TraceNode }[] = [];
  const walk = (r: Rule, t: TraceNode) => {
    if ('all' in r || 'any' in r) {
      const list = 'all' in r ? r.all : r.any;
      list.forEach((c, i) => {
        if (t.children?.[i]) walk(c, t.children[i]!);
      });
    } else if ('not' in r) {
      if (t.children?.[0]) walk(r.not, t.children[0]);
    } else leaves.push({ path: t.path, rule: r, node: t });
  };
  walk(rule, trace);
  return leaves.filter((l) => l.node.result === false && recombine(trace, l.path) === true);
}

function districtOf(deps: Pick<AppDeps, 'regions'>, code: string) {
  let r = deps.regions.get(code);
  while (r && r.level === 'town' && r.parentCode) r = deps.regions.get(r.parentCode);
  return r ?? null;
}

const SIZE_LABELS: Record<string, { 'zh-CN': string; en: string }> = {
  large: { 'zh-CN': '大型', en: 'Large' },
  medium: { 'zh-CN': '中型', en: 'Medium' },
  small: { 'zh-CN': '小型', en: 'Small' },
  micro: { 'zh-CN': '微型', en: 'Micro' },
  unknown: { 'zh-CN': '未知', en: 'Unknown' },
};

/** GB/T 4754-2017 sections (门类). */
const SECTIONS: Record<string, string> = {
  A: '农、林、牧、渔业',
  B: '采矿业',
  C: '制造业',
  D: '电力、热力、燃气及水生产和供应业',
  E: '建筑业',
  F: '批发和零售业',
  G: '交通运输、仓储和邮政业',
  H: '住宿和餐饮业',
  I: '信息传输、软件和信息技术服务业',
  J: '金融业',
  K: '房地产业',
  L: '租赁和商务服务业',
  M: '科学研究和技术服务业',
  N: '水利、环境和公共设施管理业',
  O: '居民服务、修理和其他服务业',
  P: '教育',
  Q: '卫生和社会工作',
  R: '文化、体育和娱乐业',
  S: '公共管理、社会保障和社会组织',
  T: '国际组织',
};

interface Bucket {
  code: string;
  name: string;
  population: number;
  eligible: number;
  costYuan: number;
}

const cents = (y: string | null) => (y === null ? 0 : Math.round(Number(y) * 100));

export async function simulate(
  deps: Pick<AppDeps, 'regions'>,
  ex: Executor,
  scope: Scope,
  input: { clause: SimClause; regionCode?: string; asOf: string },
  locale: Locale,
) {
  const started = Date.now();
  let codes: readonly string[] | undefined;
  if (scope.kind === 'region') codes = scope.regionCodes;
  else if (scope.kind !== 'all') codes = [];
  if (input.regionCode) {
    const sub = deps.regions.subtree(input.regionCode);
    codes = codes ? sub.filter((c) => codes!.includes(c)) : sub;
  }
  const clause = {
    eligibility: input.clause.eligibility,
    amountFormula: input.clause.amountFormula ?? null,
    capYuan: input.clause.capYuan === undefined || input.clause.capYuan === null ? null : String(input.clause.capYuan),
    floorYuan:
      input.clause.floorYuan === undefined || input.clause.floorYuan === null ? null : String(input.clause.floorYuan),
    factsYear: input.clause.factsYear ?? ('previous' as const),
    minSource: input.clause.minSource ?? null,
  };
  // the population read once, the clause judged in process (decision 0015)
  const offset = offsetOf(clause.factsYear);
  const pop = await loadPopulation(ex, input.asOf, codes ? { regionCodes: codes } : {}, [offset], clauseReads(clause));
  const rows: ClauseVerdict[] = classifyPopulation(clause, pop);
  const parkNames = await parkNamesOf(ex);

  const buckets = {
    district: new Map<string, Bucket>(),
    park: new Map<string, Bucket>(),
    size: new Map<string, Bucket>(),
    industry: new Map<string, Bucket>(),
  };
  const add = (m: Map<string, Bucket>, code: string, name: string, r: ClauseVerdict) => {
    const b = m.get(code) ?? { code, name, population: 0, eligible: 0, costYuan: 0 };
    b.population++;
    if (r.result === 'eligible') {
      b.eligible++;
      b.costYuan += cents(r.amountYuan);
    }
    m.set(code, b);
  };
  let eligible = 0;
  let unknown = 0;
  let ineligible = 0;
  let costFen = 0;
  const near = new Map<
    string,
    { path: string; description: string; count: number; examples: { enterpriseId: string; name: string }[] }
  >();
  for (const [i, r] of rows.entries()) {
    if (r.result === 'eligible') {
      eligible++;
      costFen += cents(r.amountYuan);
    } else if (r.result === 'unknown') unknown++;
    else ineligible++;
    const d = districtOf(deps, r.regionCode);
    add(buckets.district, d?.code ?? r.regionCode, d?.name ?? r.regionCode, r);
    const parkId = r.facts?.parkId ?? null;
    add(
      buckets.park,
      parkId ?? 'none',
      parkId ? (parkNames.get(parkId) ?? parkId) : locale === 'en' ? 'Not in a park' : '不在园区',
      r,
    );
    const size = r.facts?.size ?? 'unknown';
    add(buckets.size, size, SIZE_LABELS[size]?.[locale] ?? size, r);
    const section = (r.facts?.industryCode ?? '?').slice(0, 1);
    add(buckets.industry, section, SECTIONS[section] ?? section, r);
    if (r.result === 'ineligible') {
      // the member's context (the facts the clause reads), as the bulk judge saw it
      const ev = evaluate(clause.eligibility, pop.members[i]!.ctx[slotOf(offset, minTrustOf(clause.minSource))]!);
      for (const f of decisiveFailures(clause.eligibility, ev.trace)) {
        const g = near.get(f.path) ?? {
          path: f.path,
          description: describeCondition(f.rule, locale),
          count: 0,
          examples: [],
        };
        g.count++;
        if (g.examples.length < 5) g.examples.push({ enterpriseId: r.enterpriseId, name: '' });
        near.set(f.path, g);
      }
    }
  }
  const names = await enterpriseNames(
    ex,
    [...near.values()].flatMap((g) => g.examples.map((e) => e.enterpriseId)),
  );
  for (const g of near.values()) for (const e of g.examples) e.name = names.get(e.enterpriseId) ?? '';
  const out = (m: Map<string, Bucket>) =>
    [...m.values()]
      .sort((a, b) => b.eligible - a.eligible || a.code.localeCompare(b.code))
      .map((b) => ({ ...b, costYuan: b.costYuan / 100 }));
  return {
    asOf: input.asOf,
    population: rows.length,
    eligible,
    unknown,
    ineligible,
    totalCostYuan: costFen / 100,
    byDistrict: out(buckets.district),
    byPark: out(buckets.park),
    bySize: out(buckets.size),
    byIndustry: out(buckets.industry),
    nearMisses: [...near.values()].sort((a, b) => b.count - a.count),
    ms: Date.now() - started,
  };
}

async function enterpriseNames(ex: Executor, ids: string[]) {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const { enterprises } = await import('../../db/schema/index.ts');
  const { inArray } = await import('drizzle-orm');
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await ex
      .select({ id: enterprises.id, name: enterprises.name })
      .from(enterprises)
      .where(inArray(enterprises.id, ids.slice(i, i + 5000)));
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

async function parkNamesOf(ex: Executor) {
  const { parks } = await import('../../db/schema/index.ts');
  const rows = await ex.select({ id: parks.id, name: parks.name }).from(parks);
  return new Map(rows.map((r) => [r.id, r.name]));
}
