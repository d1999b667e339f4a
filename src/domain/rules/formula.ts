/**
 * Amount formulas (issue #5 "Amount formulas"; ../shared/domain/rules.md §8.3 Clause.amount and the worked
 * formulas of §8.4): a small expression language over facts, evaluated in decimal arithmetic (decimal.js, no
 * binary floating-point error: 0.1 + 0.2 = 0.3), amounts in 元 with 2 decimals (half-up).
 *
 * Grammar (types.ts `Formula`):
 *   expr   := or;  or := and ('or' and)*;  and := not ('and' not)*;  not := 'not' not | cmp
 *   cmp    := sum (('==' | '!=' | '<' | '<=' | '>' | '>=') sum)?
 *   sum    := term (('+' | '-') term)*;  term := unary (('*' | '/') unary)*;  unary := '-' unary | primary
 *   primary:= number | "string" | true | false | fact | fn '(' expr (',' expr)* ')' | '(' expr ')'
 *   fn     := min | max | round(x[, digits]) | floor | ceil | abs | if(cond, then, else)
 * A fact that is missing makes the value unknown (null) and is named; `if` with a known condition only needs
 * the branch it takes. Division by zero is unknown. Unknown logic follows Kleene like the rules.
 */
import DecimalBase from 'decimal.js';
import { factDef, type Localized } from './catalogue.ts';
import { evaluate, readFact } from './evaluate.ts';
import type { AmountResult, ClauseSpec, FactContext, Formula, Verdict } from './types.ts';

export const Dec = DecimalBase.clone({ precision: 40, rounding: DecimalBase.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export type FormulaNode =
  | { t: 'num'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'bool'; v: boolean; pos: number }
  | { t: 'fact'; key: string; pos: number }
  | { t: 'neg'; e: FormulaNode; pos: number }
  | { t: 'not'; e: FormulaNode; pos: number }
  | { t: 'bin'; op: string; l: FormulaNode; r: FormulaNode; pos: number }
  | { t: 'call'; fn: string; args: FormulaNode[]; pos: number };

export type FormulaErrorCode =
  | 'FORMULA_UNEXPECTED_CHAR'
  | 'FORMULA_UNEXPECTED_TOKEN'
  | 'FORMULA_UNEXPECTED_END'
  | 'FORMULA_UNKNOWN_FACT'
  | 'FORMULA_UNKNOWN_FUNCTION'
  | 'FORMULA_ARITY'
  | 'FORMULA_UNTERMINATED_STRING'
  | 'FORMULA_TYPE'
  | 'FORMULA_TOO_LONG';

/** A formula error with the 0-based character position and a message in zh-CN and en. */
export class FormulaError extends Error {
  constructor(
    public readonly code: FormulaErrorCode,
    public readonly position: number,
    public readonly messages: Localized,
  ) {
    super(`${messages.en} at position ${position + 1}（${messages['zh-CN']}，第 ${position + 1} 个字符）`);
    this.name = 'FormulaError';
  }
}

const FUNCTIONS: Record<string, [number, number]> = {
  min: [1, 50],
  max: [1, 50],
  round: [1, 2],
  floor: [1, 1],
  ceil: [1, 1],
  abs: [1, 1],
  if: [3, 3],
};

type Tok = { k: 'num' | 'str' | 'id' | 'op' | 'end'; v: string; pos: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      if (!m)
        throw new FormulaError('FORMULA_UNEXPECTED_CHAR', i, {
          'zh-CN': `无法识别的字符“${c}”`,
          en: `unexpected "${c}"`,
        });
      out.push({ k: 'num', v: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    if (c === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0)
        throw new FormulaError('FORMULA_UNTERMINATED_STRING', i, {
          'zh-CN': '字符串缺少结束引号',
          en: 'unterminated string',
        });
      out.push({ k: 'str', v: src.slice(i + 1, end), pos: start });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], pos: start });
      i += m[0].length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ k: 'op', v: two === '&&' ? 'and' : two === '||' ? 'or' : two, pos: start });
      i += 2;
      continue;
    }
    if ('+-*/(),<>!'.includes(c)) {
      out.push({ k: 'op', v: c === '!' ? 'not' : c, pos: start });
      i++;
      continue;
    }
    throw new FormulaError('FORMULA_UNEXPECTED_CHAR', i, { 'zh-CN': `无法识别的字符“${c}”`, en: `unexpected "${c}"` });
  }
  out.push({ k: 'end', v: '', pos: src.length });
  return out;
}

/** Parse a formula; throws FormulaError with the position of the first problem. */
export function parseFormula(src: Formula): FormulaNode {
  if (src.length > 2000)
    throw new FormulaError('FORMULA_TOO_LONG', 2000, {
      'zh-CN': '公式过长（最多 2000 个字符）',
      en: 'formula too long (max 2000)',
    });
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const isOp = (v: string) => {
    const t = peek();
    return (t.k === 'op' && t.v === v) || (t.k === 'id' && (v === 'and' || v === 'or' || v === 'not') && t.v === v);
  };
  const unexpected = (t: Tok): never => {
    if (t.k === 'end')
      throw new FormulaError('FORMULA_UNEXPECTED_END', t.pos, {
        'zh-CN': '公式不完整',
        en: 'unexpected end of formula',
      });
    throw new FormulaError('FORMULA_UNEXPECTED_TOKEN', t.pos, {
      'zh-CN': `此处不应出现“${t.v}”`,
      en: `unexpected "${t.v}"`,
    });
  };
  const expect = (v: string) => {
    if (!isOp(v)) unexpected(peek());
    p++;
  };

  const orE = (): FormulaNode => {
    let l = andE();
    while (isOp('or')) {
      const pos = toks[p++]!.pos;
      l = { t: 'bin', op: 'or', l, r: andE(), pos };
    }
    return l;
  };
  const andE = (): FormulaNode => {
    let l = notE();
    while (isOp('and')) {
      const pos = toks[p++]!.pos;
      l = { t: 'bin', op: 'and', l, r: notE(), pos };
    }
    return l;
  };
  const notE = (): FormulaNode => {
    if (isOp('not')) {
      const pos = toks[p++]!.pos;
      return { t: 'not', e: notE(), pos };
    }
    return cmpE();
  };
  const cmpE = (): FormulaNode => {
    const l = sumE();
    const t = peek();
    if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      p++;
      return { t: 'bin', op: t.v, l, r: sumE(), pos: t.pos };
    }
    return l;
  };
  const sumE = (): FormulaNode => {
    let l = termE();
    while (isOp('+') || isOp('-')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: t.v, l, r: termE(), pos: t.pos };
    }
    return l;
  };
  const termE = (): FormulaNode => {
    let l = unaryE();
    while (isOp('*') || isOp('/')) {
      const t = toks[p++]!;
      l = { t: 'bin', op: t.v, l, r: unaryE(), pos: t.pos };
    }
    return l;
  };
  const unaryE = (): FormulaNode => {
    if (isOp('-')) {
      const pos = toks[p++]!.pos;
      return { t: 'neg', e: unaryE(), pos };
    }
    return primary();
  };
  const primary = (): FormulaNode => {
    const t = peek();
    if (t.k === 'num') {
      p++;
      return { t: 'num', v: t.v, pos: t.pos };
    }
    if (t.k === 'str') {
      p++;
      return { t: 'str', v: t.v, pos: t.pos };
    }
    if (isOp('(')) {
      p++;
      const e = orE();
      expect(')');
      return e;
    }
    if (t.k === 'id') {
      p++;
      if (t.v === 'true' || t.v === 'false') return { t: 'bool', v: t.v === 'true', pos: t.pos };
      if (isOp('(')) {
        const arity = FUNCTIONS[t.v];
        if (!arity)
          throw new FormulaError('FORMULA_UNKNOWN_FUNCTION', t.pos, {
            'zh-CN': `未知的函数“${t.v}”（可用：min、max、round、floor、ceil、abs、if）`,
            en: `unknown function "${t.v}" (min, max, round, floor, ceil, abs, if)`,
          });
        p++;
        const args: FormulaNode[] = [];
        if (!isOp(')')) {
          args.push(orE());
          while (isOp(',')) {
            p++;
            args.push(orE());
          }
        }
        expect(')');
        if (args.length < arity[0] || args.length > arity[1])
          throw new FormulaError('FORMULA_ARITY', t.pos, {
            'zh-CN': `函数 ${t.v} 的参数个数不对`,
            en: `wrong number of arguments for ${t.v}`,
          });
        return { t: 'call', fn: t.v, args, pos: t.pos };
      }
      if (!factDef(t.v))
        throw new FormulaError('FORMULA_UNKNOWN_FACT', t.pos, {
          'zh-CN': `未知的事实项“${t.v}”`,
          en: `unknown fact "${t.v}"`,
        });
      return { t: 'fact', key: t.v, pos: t.pos };
    }
    return unexpected(t);
  };

  const e = orE();
  if (peek().k !== 'end') unexpected(peek());
  if (typeOf(e) !== 'num')
    throw new FormulaError('FORMULA_TYPE', e.pos, {
      'zh-CN': '公式结果应为金额（数值），而不是条件或文本',
      en: 'the formula must give an amount (a number), not a condition or text',
    });
  return e;
}

type FType = 'num' | 'str' | 'bool';

/** Static types, so a formula that would fail at evaluation (e.g. size * 2) is rejected when it is saved. */
function typeOf(n: FormulaNode): FType {
  const need = (x: FormulaNode, t: FType, en: string, zh: string) => {
    if (typeOf(x) !== t) throw new FormulaError('FORMULA_TYPE', x.pos, { 'zh-CN': zh, en });
  };
  switch (n.t) {
    case 'num':
      return 'num';
    case 'str':
      return 'str';
    case 'bool':
      return 'bool';
    case 'fact': {
      const t = factDef(n.key)!.type;
      return t === 'number' ? 'num' : t === 'boolean' ? 'bool' : 'str';
    }
    case 'neg':
      need(n.e, 'num', 'minus needs a number', '负号后应为数值');
      return 'num';
    case 'not':
      need(n.e, 'bool', 'not needs a condition', 'not 后应为条件');
      return 'bool';
    case 'bin': {
      if (n.op === 'and' || n.op === 'or') {
        need(n.l, 'bool', `${n.op} needs conditions`, `${n.op} 两侧应为条件`);
        need(n.r, 'bool', `${n.op} needs conditions`, `${n.op} 两侧应为条件`);
        return 'bool';
      }
      if (n.op === '==' || n.op === '!=') {
        if (typeOf(n.l) !== typeOf(n.r))
          throw new FormulaError('FORMULA_TYPE', n.pos, {
            'zh-CN': `“${n.op}”两侧类型不同`,
            en: `"${n.op}" compares values of different types`,
          });
        return 'bool';
      }
      need(n.l, 'num', `"${n.op}" needs numbers`, `“${n.op}”两侧应为数值`);
      need(n.r, 'num', `"${n.op}" needs numbers`, `“${n.op}”两侧应为数值`);
      return ['<', '<=', '>', '>='].includes(n.op) ? 'bool' : 'num';
    }
    case 'call': {
      if (n.fn === 'if') {
        need(n.args[0]!, 'bool', 'if needs a condition first', 'if 的第一个参数应为条件');
        const t = typeOf(n.args[1]!);
        need(n.args[2]!, t, 'both branches of if must have the same type', 'if 的两个分支类型应相同');
        return t;
      }
      for (const a of n.args) need(a, 'num', `${n.fn} needs numbers`, `${n.fn} 的参数应为数值`);
      return 'num';
    }
  }
}

/** Fact keys a formula reads. */
export function formulaFacts(f: Formula | FormulaNode): string[] {
  const ast = typeof f === 'string' ? parseFormula(f) : f;
  const out = new Set<string>();
  const walk = (n: FormulaNode) => {
    if (n.t === 'fact') out.add(n.key);
    else if (n.t === 'neg' || n.t === 'not') walk(n.e);
    else if (n.t === 'bin') {
      walk(n.l);
      walk(n.r);
    } else if (n.t === 'call') n.args.forEach(walk);
  };
  walk(ast);
  return [...out].sort();
}

type Val = Dec | string | boolean | null;

const typeError = (n: FormulaNode, en: string, zh: string): never => {
  throw new FormulaError('FORMULA_TYPE', n.pos, { 'zh-CN': zh, en });
};

/** Literals as Decimals, made once per parsed node (Decimals are immutable; bulk matching evaluates a formula 10⁵×). */
const LITERALS = new WeakMap<FormulaNode, Dec>();

function evalNode(n: FormulaNode, ctx: FactContext, missing: Set<string>): Val {
  switch (n.t) {
    case 'num': {
      let d = LITERALS.get(n);
      if (d === undefined) {
        d = new Dec(n.v);
        LITERALS.set(n, d);
      }
      return d;
    }
    case 'str':
      return n.v;
    case 'bool':
      return n.v;
    case 'fact': {
      const v = readFact(factDef(n.key)!, ctx.facts[n.key]);
      if (v === undefined) {
        missing.add(n.key);
        return null;
      }
      return typeof v === 'number' ? new Dec(v) : v;
    }
    case 'neg': {
      const v = evalNode(n.e, ctx, missing);
      if (v === null) return null;
      if (!(v instanceof Dec)) return typeError(n, 'minus needs a number', '负号需要数值');
      return v.neg();
    }
    case 'not': {
      const v = evalNode(n.e, ctx, missing);
      if (v === null) return null;
      if (typeof v !== 'boolean') return typeError(n, 'not needs a condition', 'not 需要条件');
      return !v;
    }
    case 'bin': {
      if (n.op === 'and' || n.op === 'or') {
        const l = evalNode(n.l, ctx, missing);
        const r = evalNode(n.r, ctx, missing);
        for (const v of [l, r])
          if (v !== null && typeof v !== 'boolean') typeError(n, `${n.op} needs conditions`, `${n.op} 需要条件`);
        if (n.op === 'and') return l === false || r === false ? false : l === null || r === null ? null : true;
        return l === true || r === true ? true : l === null || r === null ? null : false;
      }
      const l = evalNode(n.l, ctx, missing);
      const r = evalNode(n.r, ctx, missing);
      if (l === null || r === null) return null;
      if (n.op === '==' || n.op === '!=') {
        const eq = l instanceof Dec && r instanceof Dec ? l.eq(r) : l === r;
        return n.op === '==' ? eq : !eq;
      }
      if (!(l instanceof Dec) || !(r instanceof Dec))
        return typeError(n, `"${n.op}" needs numbers`, `“${n.op}”需要数值`);
      switch (n.op) {
        case '+':
          return l.plus(r);
        case '-':
          return l.minus(r);
        case '*':
          return l.times(r);
        case '/':
          return r.isZero() ? null : l.div(r);
        case '<':
          return l.lt(r);
        case '<=':
          return l.lte(r);
        case '>':
          return l.gt(r);
        case '>=':
          return l.gte(r);
      }
      return typeError(n, `unknown operator ${n.op}`, `未知运算符 ${n.op}`);
    }
    case 'call': {
      if (n.fn === 'if') {
        const c = evalNode(n.args[0]!, ctx, missing);
        if (c === null) {
          // still name the facts both branches would need
          evalNode(n.args[1]!, ctx, missing);
          evalNode(n.args[2]!, ctx, missing);
          return null;
        }
        if (typeof c !== 'boolean') return typeError(n, 'if needs a condition first', 'if 的第一个参数应为条件');
        return evalNode(c ? n.args[1]! : n.args[2]!, ctx, missing);
      }
      const args = n.args.map((a) => evalNode(a, ctx, missing));
      if (args.some((a) => a === null)) return null;
      const nums = args as Dec[];
      if (!nums.every((a) => a instanceof Dec)) return typeError(n, `${n.fn} needs numbers`, `${n.fn} 需要数值`);
      switch (n.fn) {
        case 'min':
          return Dec.min(...nums);
        case 'max':
          return Dec.max(...nums);
        case 'round':
          return nums[0]!.toDecimalPlaces(nums[1] ? nums[1].toNumber() : 0, Dec.ROUND_HALF_UP);
        case 'floor':
          return nums[0]!.floor();
        case 'ceil':
          return nums[0]!.ceil();
        case 'abs':
          return nums[0]!.abs();
      }
      return typeError(n, `unknown function ${n.fn}`, `未知函数 ${n.fn}`);
    }
  }
}

/** Evaluate a formula to 元 with 2 decimals (half-up); null (with the missing facts) when unknown. */
export function evaluateFormula(f: Formula | FormulaNode, ctx: FactContext): AmountResult {
  const r = formulaDecimal(f, ctx);
  return r.value === null
    ? { amount: null, missing: r.missing }
    : { amount: r.value.toFixed(2, Dec.ROUND_HALF_UP), missing: [] };
}

/** The formula's value as a Decimal (not yet rounded), or null with the missing facts. */
function formulaDecimal(f: Formula | FormulaNode, ctx: FactContext): { value: Dec | null; missing: string[] } {
  const ast = typeof f === 'string' ? parseFormula(f) : f;
  const missing = new Set<string>();
  const v = evalNode(ast, ctx, missing);
  if (v === null) return { value: null, missing: [...missing].sort() };
  if (!(v instanceof Dec))
    throw new FormulaError('FORMULA_TYPE', 0, {
      'zh-CN': '公式结果应为金额（数值）',
      en: 'the formula must give an amount',
    });
  return { value: v, missing: [] };
}

export interface ClauseAmountResult extends AmountResult {
  /** Eligibility verdict of the clause. */
  eligible: Verdict;
  /** The cap (or floor) changed the formula's amount. */
  capped?: boolean;
  floored?: boolean;
}

/**
 * A clause's amount for one enterprise: null unless eligibility is true; the formula's amount, never below 0,
 * then at most `cap` and at least `floor` (元). Missing facts of the eligibility (when unknown) or of the formula
 * are named. A clause without a formula (a designation, not money) has amount null when eligible. `amount` may be
 * a formula already parsed with `parseFormula` (bulk matching parses once per clause).
 */
export function clauseAmount(
  spec: ClauseSpec | (Omit<ClauseSpec, 'amount'> & { amount?: Formula | FormulaNode | null }),
  ctx: FactContext,
): ClauseAmountResult {
  const ev = evaluate(spec.eligibility, ctx);
  if (ev.result !== true) return { eligible: ev.result, amount: null, missing: ev.missing };
  return eligibleAmount(spec, ctx);
}

/**
 * The amount part of `clauseAmount` for an enterprise already known to be eligible (bulk matching judges
 * eligibility with a compiled predicate and does not evaluate the rule a second time).
 */
export function eligibleAmount(
  spec: { amount?: Formula | FormulaNode | null; cap?: number | null; floor?: number | null },
  ctx: FactContext,
): ClauseAmountResult {
  if (!spec.amount) return { eligible: true, amount: null, missing: [] };
  const r = formulaDecimal(spec.amount, ctx);
  if (r.value === null) return { eligible: true, amount: null, missing: r.missing };
  // the formula's amount rounded to fen (as evaluateFormula gives it), never below 0
  let a = Dec.max(r.value.toDecimalPlaces(2, Dec.ROUND_HALF_UP), 0);
  let capped = false;
  let floored = false;
  if (spec.cap != null && a.gt(spec.cap)) {
    a = new Dec(spec.cap);
    capped = true;
  }
  if (spec.floor != null && a.lt(spec.floor)) {
    a = new Dec(spec.floor);
    floored = true;
  }
  return {
    eligible: true,
    amount: a.toFixed(2),
    missing: [],
    ...(capped ? { capped } : {}),
    ...(floored ? { floored } : {}),
  };
}

export interface StackingInput {
  clauseId: string;
  stackingGroup?: string | null;
  amount: string | null;
}

/**
 * 从高不重复 (rules.md §8.3 Clause.stackingGroup): within one stacking group only the highest amount pays (ties: the
 * first listed); clauses without a group all pay; a null amount never pays. Returns the inputs in order with
 * `pays`, and the total paid in 元.
 */
export function applyStacking<T extends StackingInput>(
  results: T[],
): { items: (T & { pays: boolean })[]; total: string } {
  const best = new Map<string, number>();
  results.forEach((r, i) => {
    if (r.amount === null || !r.stackingGroup) return;
    const j = best.get(r.stackingGroup);
    if (j === undefined || new Dec(r.amount).gt(results[j]!.amount!)) best.set(r.stackingGroup, i);
  });
  let total = new Dec(0);
  const items = results.map((r, i) => {
    const pays = r.amount !== null && (!r.stackingGroup || best.get(r.stackingGroup) === i);
    if (pays) total = total.plus(r.amount!);
    return { ...r, pays };
  });
  return { items, total: total.toFixed(2) };
}
