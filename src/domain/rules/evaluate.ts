/**
 * The TypeScript back end of the rule language (issue #5; ../shared/DESIGN.md §3 "One rule language").
 * Three-valued Kleene logic exactly like SQL's AND/OR/NOT: a condition over a missing fact is UNKNOWN (null),
 * `all` is false if any child is false, else unknown if any child is unknown, else true; `any` is the dual;
 * `not` keeps unknown. The SQL back end (compile-sql.ts) must give the same verdict on the same facts row;
 * test/rules.property.test.ts checks that on random rules × random rows.
 *
 * Reading a fact: a value of the wrong JSON type (e.g. a string where the catalogue says number), JSON null and
 * an absent key all count as missing. Enum facts outside their value list (size 'unknown') count as missing.
 */
import { type FactDef, factDef } from './catalogue.ts';
import { ISO_DATE_RE } from './schema.ts';
import type { ComparisonOp, Evaluation, FactContext, Rule, Scalar, TraceNode, Verdict } from './types.ts';

/** The value of a fact as the rules see it, or undefined when missing. */
export function readFact(def: FactDef, raw: unknown): Scalar | undefined {
  switch (def.type) {
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'date':
      return typeof raw === 'string' && ISO_DATE_RE.test(raw) ? raw : undefined;
    case 'enum':
      return typeof raw === 'string' && def.enumValues?.some((e) => e.value === raw) ? raw : undefined;
  }
}

function mustDef(key: string): FactDef {
  const d = factDef(key);
  if (!d) throw new Error(`unknown fact "${key}" (未知的事实项)`);
  return d;
}

export function compare(op: ComparisonOp, a: Scalar, b: Scalar): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

/**
 * Whole years from `from` to `to` (ISO dates), as PostgreSQL's `date_part('year', age(to, from))`:
 * negative when `to` is before `from`.
 */
export function wholeYears(from: string, to: string): number {
  if (to < from) return 0 - wholeYears(to, from) || 0;
  const y = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? y - 1 : y;
}

function numericShortfall(op: ComparisonOp, actual: number, expected: number): number | null {
  switch (op) {
    case 'gt':
    case 'gte':
      return expected - actual;
    case 'lt':
    case 'lte':
      return actual - expected;
    case 'eq':
      return Math.abs(expected - actual);
    default:
      return null;
  }
}

type Q = NonNullable<FactContext['qualifications']>[number];

/** Qualifications of the context: `ctx.qualifications`, else an array under `facts.qualifications`. */
export function qualificationsOf(ctx: FactContext): Q[] {
  if (ctx.qualifications) return ctx.qualifications;
  const q = ctx.facts.qualifications;
  return Array.isArray(q) ? (q as Q[]) : [];
}

export function holdsQualification(qs: readonly Q[], type: string, level: string | undefined, on: string): boolean {
  for (const q of qs) {
    if (!q || typeof q !== 'object' || q.type !== type) continue;
    if (level !== undefined && q.level !== level) continue;
    if (typeof q.issuedOn !== 'string' || !(q.issuedOn <= on)) continue;
    if (q.validUntil != null && !(typeof q.validUntil === 'string' && q.validUntil >= on)) continue;
    return true;
  }
  return false;
}

const and3 = (vs: Verdict[]): Verdict => {
  let unknown = false;
  for (const v of vs) {
    if (v === false) return false;
    if (v === null) unknown = true;
  }
  return unknown ? null : true;
};
const or3 = (vs: Verdict[]): Verdict => {
  let unknown = false;
  for (const v of vs) {
    if (v === true) return true;
    if (v === null) unknown = true;
  }
  return unknown ? null : false;
};

/** Evaluate a (valid) rule on one enterprise's facts, with a trace per node. */
export function evaluate(rule: Rule, ctx: FactContext): Evaluation {
  const trace = node(rule, ctx, '');
  const missing = new Set<string>();
  if (trace.result === null) {
    const collect = (t: TraceNode) => {
      if (t.result !== null) return;
      for (const m of t.missing ?? []) missing.add(m);
      for (const c of t.children ?? []) collect(c);
    };
    collect(trace);
  }
  return { result: trace.result, trace, missing: [...missing].sort() };
}

function child(path: string, seg: string) {
  return path ? `${path}.${seg}` : seg;
}

function node(r: Rule, ctx: FactContext, path: string): TraceNode {
  if ('all' in r || 'any' in r) {
    const kind = 'all' in r ? 'all' : 'any';
    const list = 'all' in r ? r.all : r.any;
    const children = list.map((c, i) => node(c, ctx, child(path, `${kind}[${i}]`)));
    const result = kind === 'all' ? and3(children.map((c) => c.result)) : or3(children.map((c) => c.result));
    const facts = [...new Set(children.flatMap((c) => c.facts))];
    const out: TraceNode = { path, kind, facts, result, children };
    if (result === null)
      out.missing = [...new Set(children.flatMap((c) => (c.result === null ? (c.missing ?? []) : [])))];
    return out;
  }
  if ('not' in r) {
    const c = node(r.not, ctx, child(path, 'not'));
    const result = c.result === null ? null : !c.result;
    return {
      path,
      kind: 'not',
      facts: c.facts,
      result,
      children: [c],
      ...(result === null ? { missing: c.missing ?? [] } : {}),
    };
  }
  if ('qualification' in r) {
    const on = r.on ?? ctx.asOf;
    const held = qualificationsOf(ctx).filter((q) => q && q.type === r.qualification);
    return {
      path,
      kind: 'qualification',
      facts: ['qualifications'],
      op: 'holds',
      expected: { type: r.qualification, ...(r.level !== undefined ? { level: r.level } : {}), on },
      actual: held.map((q) => ({ level: q.level ?? null, issuedOn: q.issuedOn, validUntil: q.validUntil ?? null })),
      result: holdsQualification(held, r.qualification, r.level, on),
    };
  }
  if ('yearsSince' in r) {
    const d = mustDef(r.yearsSince);
    const v = readFact(d, ctx.facts[d.key]) as string | undefined;
    const base: TraceNode = { path, kind: 'yearsSince', facts: [d.key], op: r.op, expected: r.value, result: null };
    if (v === undefined) return { ...base, actual: null, missing: [d.key] };
    const years = wholeYears(v, ctx.asOf);
    const ok = compare(r.op, years, r.value);
    return { ...base, actual: years, result: ok, ...(ok ? {} : { shortfall: numericShortfall(r.op, years, r.value) }) };
  }
  if ('ratio' in r) {
    const [na, nb] = r.ratio;
    const a = readFact(mustDef(na), ctx.facts[na]) as number | undefined;
    const b = readFact(mustDef(nb), ctx.facts[nb]) as number | undefined;
    const base: TraceNode = { path, kind: 'ratio', facts: [na, nb], op: r.op, expected: r.value, result: null };
    const missing = [...(a === undefined ? [na] : []), ...(b === undefined ? [nb] : [])];
    if (a === undefined || b === undefined) return { ...base, actual: null, missing };
    // a zero denominator makes the ratio undefined: unknown, and the denominator is what is missing
    if (b === 0) return { ...base, actual: null, missing: [nb] };
    const q = a / b;
    const ok = compare(r.op, q, r.value);
    return { ...base, actual: q, result: ok, ...(ok ? {} : { shortfall: numericShortfall(r.op, q, r.value) }) };
  }
  const d = mustDef(r.fact);
  const v = readFact(d, ctx.facts[d.key]);
  const base: TraceNode = { path, kind: 'compare', facts: [d.key], op: r.op, expected: r.value, result: null };
  if (v === undefined) return { ...base, actual: null, missing: [d.key] };
  let ok: boolean;
  let shortfall: number | null | undefined;
  switch (r.op) {
    case 'in':
      ok = (r.value as Scalar[]).includes(v);
      break;
    case 'between': {
      const [lo, hi] = r.value;
      const x = v as number;
      ok = lo <= x && x <= hi;
      if (!ok) shortfall = x < lo ? lo - x : x - hi;
      break;
    }
    case 'prefix':
      ok = (v as string).startsWith(r.value);
      break;
    default:
      ok = compare(r.op, v, r.value);
      if (!ok && typeof v === 'number' && typeof r.value === 'number') shortfall = numericShortfall(r.op, v, r.value);
  }
  return { ...base, actual: v, result: ok, ...(shortfall !== undefined ? { shortfall } : {}) };
}

/** A compiled rule: the verdict only, no trace. */
export type Predicate = (ctx: FactContext) => Verdict;

/**
 * Compile a (valid) rule to nested closures for bulk use (matching, simulator, bench): no trace, no allocation
 * per call beyond the closures' own work. Same verdicts as `evaluate`.
 */
export function compileToPredicate(rule: Rule): Predicate {
  const c = compileNode(rule);
  return c;
}

function compileNode(r: Rule): Predicate {
  if ('all' in r) {
    const cs = r.all.map(compileNode);
    return (ctx) => {
      let unknown = false;
      for (let i = 0; i < cs.length; i++) {
        const v = cs[i]!(ctx);
        if (v === false) return false;
        if (v === null) unknown = true;
      }
      return unknown ? null : true;
    };
  }
  if ('any' in r) {
    const cs = r.any.map(compileNode);
    return (ctx) => {
      let unknown = false;
      for (let i = 0; i < cs.length; i++) {
        const v = cs[i]!(ctx);
        if (v === true) return true;
        if (v === null) unknown = true;
      }
      return unknown ? null : false;
    };
  }
  if ('not' in r) {
    const c = compileNode(r.not);
    return (ctx) => {
      const v = c(ctx);
      return v === null ? null : !v;
    };
  }
  if ('qualification' in r) {
    const { qualification: type, level, on } = r;
    return (ctx) => holdsQualification(qualificationsOf(ctx), type, level, on ?? ctx.asOf);
  }
  if ('yearsSince' in r) {
    const d = mustDef(r.yearsSince);
    const { op, value } = r;
    return (ctx) => {
      const v = readFact(d, ctx.facts[d.key]) as string | undefined;
      return v === undefined ? null : compare(op, wholeYears(v, ctx.asOf), value);
    };
  }
  if ('ratio' in r) {
    const da = mustDef(r.ratio[0]);
    const db = mustDef(r.ratio[1]);
    const { op, value } = r;
    return (ctx) => {
      const a = ctx.facts[da.key];
      const b = ctx.facts[db.key];
      if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b) || b === 0)
        return null;
      return compare(op, a / b, value);
    };
  }
  const d = mustDef(r.fact);
  const key = d.key;
  if (d.type === 'number') {
    const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
    switch (r.op) {
      case 'between': {
        const [lo, hi] = r.value;
        return (ctx) => {
          const x = ctx.facts[key];
          return isNum(x) ? lo <= x && x <= hi : null;
        };
      }
      case 'in': {
        const set = new Set(r.value);
        return (ctx) => {
          const x = ctx.facts[key];
          return isNum(x) ? set.has(x) : null;
        };
      }
      case 'prefix':
        return () => null;
      default: {
        const v = r.value as number;
        const op = r.op;
        switch (op) {
          case 'gte':
            return (ctx) => {
              const x = ctx.facts[key];
              return isNum(x) ? x >= v : null;
            };
          case 'lte':
            return (ctx) => {
              const x = ctx.facts[key];
              return isNum(x) ? x <= v : null;
            };
          case 'gt':
            return (ctx) => {
              const x = ctx.facts[key];
              return isNum(x) ? x > v : null;
            };
          case 'lt':
            return (ctx) => {
              const x = ctx.facts[key];
              return isNum(x) ? x < v : null;
            };
          default:
            return (ctx) => {
              const x = ctx.facts[key];
              return isNum(x) ? compare(op, x, v) : null;
            };
        }
      }
    }
  }
  switch (r.op) {
    case 'in': {
      const set = new Set<Scalar>(r.value);
      return (ctx) => {
        const x = readFact(d, ctx.facts[key]);
        return x === undefined ? null : set.has(x);
      };
    }
    case 'prefix': {
      const p = r.value;
      return (ctx) => {
        const x = readFact(d, ctx.facts[key]);
        return x === undefined ? null : (x as string).startsWith(p);
      };
    }
    case 'between':
      return () => null;
    default: {
      const { op, value } = r;
      return (ctx) => {
        const x = readFact(d, ctx.facts[key]);
        return x === undefined ? null : compare(op, x, value);
      };
    }
  }
}

/** Collects into `acc` the missing facts of a node whose verdict is unknown (called only then). */
type Collector = (ctx: FactContext, acc: Set<string>) => void;

/**
 * Compile a (valid) rule to a function giving the facts `evaluate(rule, ctx).missing` names, without building
 * the trace: the missing facts of every unknown leaf reached through unknown nodes, sorted. Bulk matching calls
 * it for the (few) unknown rows only. Same result as `evaluate(...).missing`.
 */
export function compileMissing(rule: Rule): (ctx: FactContext) => string[] {
  const root = collectorOf(rule);
  const verdict = compileToPredicate(rule);
  return (ctx) => {
    if (verdict(ctx) !== null) return [];
    return missingWhenUnknown(root, ctx);
  };
}

/** The same, for a context whose verdict the caller already knows to be unknown (skips judging it again). */
export function compileMissingWhenUnknown(rule: Rule): (ctx: FactContext) => string[] {
  const root = collectorOf(rule);
  return (ctx) => missingWhenUnknown(root, ctx);
}

function missingWhenUnknown(root: { collect: Collector }, ctx: FactContext): string[] {
  const acc = new Set<string>();
  root.collect(ctx, acc);
  if (acc.size === 1) return [acc.values().next().value!];
  return [...acc].sort();
}

function collectorOf(r: Rule): { v: Predicate; collect: Collector } {
  const v = compileNode(r);
  if ('all' in r || 'any' in r) {
    const cs = ('all' in r ? r.all : r.any).map(collectorOf);
    return {
      v,
      collect: (ctx, acc) => {
        for (const c of cs) if (c.v(ctx) === null) c.collect(ctx, acc);
      },
    };
  }
  if ('not' in r) {
    const c = collectorOf(r.not);
    return { v, collect: (ctx, acc) => c.collect(ctx, acc) };
  }
  if ('qualification' in r) return { v, collect: () => {} };
  if ('ratio' in r) {
    const [na, nb] = r.ratio;
    const da = mustDef(na);
    const db = mustDef(nb);
    return {
      v,
      collect: (ctx, acc) => {
        const a = readFact(da, ctx.facts[na]);
        const b = readFact(db, ctx.facts[nb]);
        // as in `node`: the absent operands, or else a zero denominator
        if (a === undefined || b === undefined) {
          if (a === undefined) acc.add(na);
          if (b === undefined) acc.add(nb);
        } else if (b === 0) acc.add(nb);
      },
    };
  }
  const key = 'yearsSince' in r ? r.yearsSince : r.fact;
  return { v, collect: (_ctx, acc) => acc.add(key) };
}
