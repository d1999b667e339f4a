/**
 * The bulk back end of the rule language (issue #5 "match a whole population"; decision 0015): a rule compiled to
 * ONE generated JavaScript function (a "kernel") that gives, in a single integer, the verdict and — for an unknown
 * verdict — the missing facts:
 *
 *   -1       INELIGIBLE (false)
 *    0       ELIGIBLE (true)
 *   m > 0    UNKNOWN; bit b of m set ⇔ `facts[b]` is one of the missing facts `evaluate(rule, ctx).missing` names
 *
 * Kleene logic on these codes: `all` is -1 if a child is -1, else the OR of the children's codes (0 when all are
 * true); `any` is 0 if a child is 0, else -1 when all are -1, else the OR of its unknown children's masks; `not`
 * swaps -1 and 0 and keeps a mask. That is exactly `evaluate`'s rule for missing facts (the missing facts of the
 * unknown children, through unknown nodes only), and short-circuiting never drops a bit: an unknown `all` / `any`
 * has evaluated all its children. test/rules.property.test.ts holds kernel ≡ evaluate ≡ SQL on random rules.
 *
 * Why generated code: the closures of `compileToPredicate` share one call site per node kind, so V8 sees every
 * fact key at one property access and falls back to its slowest lookup; a generated function has one access
 * per condition, each with its own inline cache, and no calls between nodes. 2–3× faster at 100k × 200.
 *
 * Safety: like the SQL back end's parameters, NO value from a rule is ever written into the generated source.
 * Constants go in an array `K` the function closes over (`K[3]`); fact keys are written only after they are
 * looked up in the facts catalogue AND match `/^[a-z][a-z0-9_]*$/` (else compilation is refused). Qualification
 * types, levels and dates are constants too. Rules are validated by `parseRule` before they get here.
 *
 * Children of an `all` / `any` are tested cheapest first (comparisons of numbers before sets, dates and
 * qualifications): the code does not depend on their order (a −1 / 0 child decides, else the OR of the unknown
 * children's masks), and a cheap deciding child spares the others. Dates are checked by `isIsoDateShape`, which
 * is ISO_DATE_RE's test without a regular expression.
 *
 * A rule over more than 30 distinct facts (or with a combination the kernel does not cover) compiles to `null`;
 * callers then use `compileToPredicate` + `compileMissingWhenUnknown`.
 */
import { FACTS_CATALOGUE, factDef } from './catalogue.ts';
import { holdsQualification, qualificationsOf } from './evaluate.ts';
import type { FactContext, Rule } from './types.ts';

export type KernelFn = (ctx: FactContext) => number;

export interface Kernel {
  run: KernelFn;
  /** The facts the mask bits stand for (bit b ↔ facts[b]). */
  facts: readonly string[];
  /** The missing facts of an unknown code, sorted (as `evaluate(...).missing`); cached per mask. */
  missingOf(mask: number): string[];
}

export const KERNEL_FALSE = -1;
export const KERNEL_TRUE = 0;

const SAFE_KEY = /^[a-z][a-z0-9_]*$/;
const MAX_FACTS = 30;

class Unsupported extends Error {}

/** The generated statements of one rule's kernel (see the header), before they become a function. */
interface KernelSource {
  /** Statements reading `f` (the facts), `q` (the qualifications, when `usesQuals`), `ctx` and `K`. */
  lines: string[];
  /** The variable holding the rule's code after `lines`. */
  root: string;
  K: unknown[];
  facts: string[];
  usesQuals: boolean;
}

/** Compile a (valid) rule to a kernel, or null when the kernel cannot express it (see above). */
export function compileKernel(rule: Rule): Kernel | null {
  const src = kernelSource(rule);
  if (!src) return null;
  const body = `const f = ctx.facts;\n${src.usesQuals ? 'const q = Q(ctx);\n' : ''}${src.lines.join('\n')}\nreturn ${src.root};`;
  // generated from a validated rule; no value from the rule is in the source (see the header)
  const make = new Function('K', 'H', 'Q', 'W', 'D', `return function kernel(ctx) {\n${body}\n};`);
  const run = make(src.K, holdsQualification, qualificationsOf, isoWholeYears, isIsoDateShape) as KernelFn;
  return { run, facts: src.facts, missingOf: missingOfMask(src.facts) };
}

/** The sorted missing facts of a mask (bit b ↔ facts[b]), cached per mask. */
function missingOfMask(facts: readonly string[]): (mask: number) => string[] {
  const cache = new Map<number, string[]>();
  return (mask) => {
    let out = cache.get(mask);
    if (!out) {
      out = facts.filter((_, b) => mask & (1 << b)).sort();
      cache.set(mask, out);
    }
    return out;
  };
}

function kernelSource(rule: Rule): KernelSource | null {
  const K: unknown[] = [];
  const facts: string[] = [];
  const bit = (key: string) => {
    let b = facts.indexOf(key);
    if (b < 0) {
      if (facts.length >= MAX_FACTS) throw new Unsupported('too many facts');
      b = facts.push(key) - 1;
    }
    return 1 << b;
  };
  const konst = (v: unknown) => `K[${K.push(v) - 1}]`;
  const factKey = (key: string) => {
    const d = factDef(key);
    if (!d || !SAFE_KEY.test(d.key) || d.key !== key) throw new Unsupported(`fact ${key}`);
    return d;
  };
  let n = 0;
  let usesQuals = false;
  const lines: string[] = [];
  const emit = (s: string) => lines.push(s);

  /** Emits statements leaving the node's code in a fresh variable; returns the variable's name. */
  const gen = (r: Rule): string => {
    const v = `v${n++}`;
    if ('all' in r || 'any' in r) {
      const isAll = 'all' in r;
      // cheap children first: `all` / `any` give the same code in any order (the result is decided by a −1 / 0
      // child, else it is the OR of the unknown children's masks), and a cheap child that decides saves the rest
      const list = [...(isAll ? r.all : r.any)].sort((a, b) => costOf(a) - costOf(b));
      emit(`let ${v} = ${isAll ? 0 : -1};`);
      emit(`L${v}: {`);
      for (const c of list) {
        const cv = gen(c);
        if (isAll) {
          emit(`if (${cv} === -1) { ${v} = -1; break L${v}; }`);
          emit(`${v} |= ${cv};`);
        } else {
          emit(`if (${cv} === 0) { ${v} = 0; break L${v}; }`);
          emit(`if (${cv} > 0) ${v} = (${v} < 0 ? 0 : ${v}) | ${cv};`);
        }
      }
      emit('}');
      return v;
    }
    if ('not' in r) {
      const cv = gen(r.not);
      emit(`const ${v} = ${cv} === -1 ? 0 : ${cv} === 0 ? -1 : ${cv};`);
      return v;
    }
    if ('qualification' in r) {
      usesQuals = true;
      const on = r.on === undefined ? 'ctx.asOf' : konst(r.on);
      emit(
        `const ${v} = H(q, ${konst(r.qualification)}, ${r.level === undefined ? 'undefined' : konst(r.level)}, ${on}) ? 0 : -1;`,
      );
      return v;
    }
    if ('yearsSince' in r) {
      const d = factKey(r.yearsSince);
      if (d.type !== 'date') throw new Unsupported('yearsSince over a non-date');
      const x = `x${v}`;
      emit(`const ${x} = f.${d.key};`);
      emit(`const ${v} = D(${x}) ? (${cmp(r.op, `W(${x}, ctx.asOf)`, konst(r.value))} ? 0 : -1) : ${bit(d.key)};`);
      return v;
    }
    if ('ratio' in r) {
      const [na, nb] = r.ratio;
      const da = factKey(na);
      const db = factKey(nb);
      const a = `a${v}`;
      const b = `b${v}`;
      emit(`const ${a} = f.${da.key}; const ${b} = f.${db.key};`);
      // verdict as compileToPredicate (finite numbers, non-zero denominator); missing facts as evaluate's trace
      // (readFact per the operand's catalogue type; a zero denominator names the denominator)
      const okA = known(da.type, a);
      const okB = known(db.type, b);
      emit(`let ${v};`);
      emit(`if (${num(a)} && ${num(b)} && ${b} !== 0) ${v} = ${cmp(r.op, `${a} / ${b}`, konst(r.value))} ? 0 : -1;`);
      emit(
        `else ${v} = (${okA} && ${okB}) ? (${b} === 0 ? ${bit(nb)} : 0) : ((${okA} ? 0 : ${bit(na)}) | (${okB} ? 0 : ${bit(nb)}));`,
      );
      // an operand known to readFact but not a finite number (impossible for number facts) would leave 0 here:
      // the kernel refuses rules whose ratio operands are not number facts, so 0 cannot be reached
      if (da.type !== 'number' || db.type !== 'number') throw new Unsupported('ratio over a non-number');
      return v;
    }
    const d = factKey(r.fact);
    const x = `x${v}`;
    emit(`const ${x} = f.${d.key};`);
    const miss = bit(d.key);
    let test: string;
    if (d.type === 'number') {
      switch (r.op) {
        case 'between':
          test = `${konst(r.value[0])} <= ${x} && ${x} <= ${konst(r.value[1])}`;
          break;
        case 'in':
          test = `${konst(new Set(r.value))}.has(${x})`;
          break;
        case 'prefix':
          throw new Unsupported('prefix over a number');
        default:
          test = cmp(r.op, x, konst(r.value));
      }
    } else {
      switch (r.op) {
        case 'in':
          test = `${konst(new Set(r.value))}.has(${x})`;
          break;
        case 'prefix':
          test = `${x}.startsWith(${konst(r.value)})`;
          break;
        case 'between':
          throw new Unsupported('between over a non-number');
        default:
          test = cmp(r.op, x, konst(r.value));
      }
    }
    const guard =
      d.type === 'enum'
        ? `typeof ${x} === "string" && ${konst(new Set(d.enumValues?.map((e) => e.value)))}.has(${x})`
        : known(d.type, x);
    emit(`const ${v} = ${guard} ? (${test} ? 0 : -1) : ${miss};`);
    return v;
  };

  try {
    const root = gen(rule);
    return { lines, root, K, facts, usesQuals };
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

const OPS = { eq: '===', ne: '!==', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function cmp(op: string, a: string, b: string): string {
  const o = OPS[op as keyof typeof OPS];
  if (!o) throw new Unsupported(`operator ${op}`);
  return `${a} ${o} ${b}`;
}

/** `readFact(def, x) !== undefined` for a scalar type, as code. */
function known(type: string, x: string): string {
  switch (type) {
    case 'number':
      return num(x);
    case 'string':
      return `typeof ${x} === "string"`;
    case 'boolean':
      return `typeof ${x} === "boolean"`;
    case 'date':
      return `D(${x})`;
    default:
      throw new Unsupported(`type ${type}`);
  }
}

/** A finite number (`x - x === 0` is false for NaN and ±Infinity). */
const num = (x: string) => `(typeof ${x} === "number" && ${x} - ${x} === 0)`;

/**
 * The same facts in an object of ONE fixed shape: every catalogue key, in catalogue order, `undefined` where the
 * fact is absent (which the rules read as missing, as an absent key). Bulk matching builds its contexts with it
 * so that each kernel's property reads see a single object shape (V8 then reads a fixed slot instead of looking
 * the key up). Keys outside the catalogue are left out: rules and formulas can only name catalogue facts.
 */
export const toDenseFacts: (facts: Record<string, unknown>) => Record<string, unknown> = (() => {
  const keys = FACTS_CATALOGUE.map((f) => f.key).filter((k) => SAFE_KEY.test(k));
  // the source holds only catalogue keys that passed SAFE_KEY, no values
  const Dense = new Function('src', keys.map((k) => `this.${k} = src.${k};`).join('\n')) as unknown as new (
    src: Record<string, unknown>,
  ) => Record<string, unknown>;
  return (facts) => new Dense(facts);
})();

/**
 * `toDenseFacts` for facts that arrive as a list of values (bulk matching reads `[v₀, v₁, …]` for the keys `keys`,
 * in that order, instead of whole JSON documents): the same fixed shape, key `keys[i]` set from `values[i]`, every
 * other catalogue key `undefined`. JSON null becomes `undefined`: the rules read both as missing (evaluate.ts,
 * `readFact`). Keys outside the catalogue are refused (rules and formulas can only name catalogue facts).
 */
export function denseFromValues(keys: readonly string[]): (values: readonly unknown[]) => Record<string, unknown> {
  const id = keys.join(',');
  let make = DENSE_FROM_VALUES.get(id);
  if (!make) {
    const at = new Map(keys.map((k, i) => [k, i]));
    for (const k of keys) if (!DENSE_KEYS.includes(k)) throw new Error(`not a catalogue fact: ${k}`);
    // the source holds only catalogue keys that passed SAFE_KEY and list positions, no values
    const body = DENSE_KEYS.map((k) => `this.${k} = ${at.has(k) ? `v[${at.get(k)}] ?? undefined` : 'undefined'};`);
    const Dense = new Function('v', body.join('\n')) as unknown as new (
      values: readonly unknown[],
    ) => Record<string, unknown>;
    make = (values) => new Dense(values);
    DENSE_FROM_VALUES.set(id, make);
  }
  return make;
}
const DENSE_KEYS = FACTS_CATALOGUE.map((f) => f.key).filter((k) => SAFE_KEY.test(k));
const DENSE_FROM_VALUES = new Map<string, (values: readonly unknown[]) => Record<string, unknown>>();

/**
 * `typeof s === 'string' && ISO_DATE_RE.test(s)` (`/^\d{4}-\d{2}-\d{2}$/`) without the regular expression:
 * ten characters, ASCII digits but for '-' at 4 and 7 (a test holds the two equal).
 */
export function isIsoDateShape(s: unknown): boolean {
  if (typeof s !== 'string' || s.length !== 10) return false;
  for (let i = 0; i < 10; i++) {
    const c = s.charCodeAt(i);
    if (i === 4 || i === 7 ? c !== 45 : c < 48 || c > 57) return false;
  }
  return true;
}

/** A rough cost of judging a node (kernels test cheap children first). */
function costOf(r: Rule): number {
  if ('all' in r) return r.all.reduce((n, c) => n + costOf(c), 0);
  if ('any' in r) return r.any.reduce((n, c) => n + costOf(c), 0);
  if ('not' in r) return costOf(r.not);
  if ('qualification' in r) return 6;
  if ('yearsSince' in r) return 5;
  if ('ratio' in r) return 2;
  const d = factDef(r.fact);
  if (r.op === 'in' || r.op === 'prefix') return 3;
  return d?.type === 'number' || d?.type === 'boolean' ? 1 : 2;
}

/** YYYYMMDD of an ISO date as a number, without allocating substrings. */
const ymd = (s: string) =>
  (s.charCodeAt(0) - 48) * 10_000_000 +
  (s.charCodeAt(1) - 48) * 1_000_000 +
  (s.charCodeAt(2) - 48) * 100_000 +
  (s.charCodeAt(3) - 48) * 10_000 +
  (s.charCodeAt(5) - 48) * 1000 +
  (s.charCodeAt(6) - 48) * 100 +
  (s.charCodeAt(8) - 48) * 10 +
  (s.charCodeAt(9) - 48);

/**
 * `wholeYears(from, to)` for two valid ISO dates, by arithmetic on YYYYMMDD: the year difference less one when
 * to's month-day is before from's, i.e. trunc((to − from) / 10000), negative when `to` is before `from`.
 * (A test holds it equal to `wholeYears` on random dates.)
 */
export function isoWholeYears(from: string, to: string): number {
  return Math.trunc((ymd(to) - ymd(from)) / 10_000) || 0;
}
