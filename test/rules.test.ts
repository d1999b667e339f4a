/**
 * Rule language unit tests (issue #5): every operator incl. unknown handling, trace shortfalls, validation
 * messages, sentences, formulas (rules.md §8.4 a/b worked formulas), parse errors, caps/floors and stacking.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyStacking,
  chooseFactsYear,
  clauseAmount,
  compileToPredicate,
  describeRule,
  evaluate,
  evaluateFormula,
  FACTS_CATALOGUE,
  type FactContext,
  type FormulaError,
  factsOf,
  formulaFacts,
  ISO_DATE_RE,
  isIsoDateShape,
  isoWholeYears,
  parseFormula,
  parseRule,
  type Rule,
  RuleValidationError,
  ruleSchema,
  wholeYears,
} from '../src/domain/rules/index.ts';

const AS_OF = '2026-06-30';
const ctx = (facts: Record<string, unknown>, qualifications: FactContext['qualifications'] = []): FactContext => ({
  facts,
  asOf: AS_OF,
  qualifications,
});
/** evaluate and the compiled predicate must agree on every case. */
const verdict = (rule: Rule, c: FactContext) => {
  const e = evaluate(parseRule(rule), c);
  expect(compileToPredicate(rule)(c)).toBe(e.result);
  return e;
};

describe('catalogue', () => {
  it('has unique snake_case keys, labels in both languages and a storage for each fact', () => {
    const keys = FACTS_CATALOGUE.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const f of FACTS_CATALOGUE) {
      expect(f.key).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(f.label['zh-CN'].length).toBeGreaterThan(0);
      expect(f.label.en.length).toBeGreaterThan(0);
      expect(f.source['zh-CN'].length).toBeGreaterThan(0);
      if (f.type === 'enum') expect(f.enumValues?.length).toBeGreaterThan(0);
    }
    for (const k of ['ui_months_paid', 'layoff_rate', 'insured_avg', 'strategic_emerging', 'founded_on', 'rent_paid'])
      expect(keys).toContain(k);
  });
});

describe('comparisons', () => {
  const c = ctx({
    operating_revenue: 1500,
    size: 'small',
    above_scale: true,
    industry_code: 'C3484',
    founded_on: '2020-07-01',
  });
  it.each([
    [{ fact: 'operating_revenue', op: 'eq', value: 1500 }, true],
    [{ fact: 'operating_revenue', op: 'ne', value: 1500 }, false],
    [{ fact: 'operating_revenue', op: 'lt', value: 1500 }, false],
    [{ fact: 'operating_revenue', op: 'lte', value: 1500 }, true],
    [{ fact: 'operating_revenue', op: 'gt', value: 1499.99 }, true],
    [{ fact: 'operating_revenue', op: 'gte', value: 1500.01 }, false],
    [{ fact: 'operating_revenue', op: 'between', value: [1000, 1500] }, true],
    [{ fact: 'operating_revenue', op: 'between', value: [1500.5, 2000] }, false],
    [{ fact: 'operating_revenue', op: 'in', value: [1, 1500] }, true],
    [{ fact: 'size', op: 'in', value: ['micro', 'small'] }, true],
    [{ fact: 'size', op: 'eq', value: 'medium' }, false],
    [{ fact: 'above_scale', op: 'eq', value: true }, true],
    [{ fact: 'above_scale', op: 'ne', value: true }, false],
    [{ fact: 'industry_code', op: 'prefix', value: 'C34' }, true],
    [{ fact: 'industry_code', op: 'prefix', value: 'C39' }, false],
    [{ fact: 'founded_on', op: 'lt', value: '2021-01-01' }, true],
    [{ yearsSince: 'founded_on', op: 'gte', value: 5 }, true],
    [{ yearsSince: 'founded_on', op: 'gte', value: 6 }, false],
  ] as [Rule, boolean][])('%j → %s', (rule, expected) => {
    expect(verdict(rule, c).result).toBe(expected);
  });

  it('whole years follow PostgreSQL age(): the day before the anniversary is one year short, and negative backwards', () => {
    expect(wholeYears('2020-07-01', '2026-06-30')).toBe(5);
    expect(wholeYears('2020-06-30', '2026-06-30')).toBe(6);
    expect(wholeYears('2020-02-29', '2021-02-28')).toBe(0);
    expect(wholeYears('2027-01-01', '2026-06-30')).toBe(0);
    expect(wholeYears('2028-07-01', '2026-06-30')).toBe(-2);
  });

  it("the kernel's arithmetic whole years equal wholeYears on random dates (and the cases above)", () => {
    const iso = fc
      .date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2060-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(iso, iso, (a, b) => {
        expect(isoWholeYears(a, b)).toBe(wholeYears(a, b));
      }),
      { numRuns: 2000 },
    );
    expect(isoWholeYears('2020-02-29', '2021-02-28')).toBe(0);
    expect(isoWholeYears('2028-07-01', '2026-06-30')).toBe(-2);
    expect(isoWholeYears('2027-01-01', '2026-06-30')).toBe(0);
  });

  it("the kernel's date check is ISO_DATE_RE's, on near-dates, random strings and other types", () => {
    const near = fc
      .array(fc.constantFrom('0', '1', '5', '9', '-', '/', 'a', '٣', ' ', '\n'), { minLength: 8, maxLength: 12 })
      .map((cs) => cs.join(''));
    const dateLike = fc
      .tuple(fc.integer({ min: 0, max: 99999 }), fc.integer({ min: 0, max: 130 }), fc.integer({ min: 0, max: 130 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    const values = fc.oneof(near, dateLike, fc.string(), fc.integer(), fc.constant(null), fc.boolean());
    fc.assert(
      fc.property(values, (v) => {
        expect(isIsoDateShape(v)).toBe(typeof v === 'string' && ISO_DATE_RE.test(v));
      }),
      { numRuns: 5000 },
    );
    expect(isIsoDateShape('2024-02-29')).toBe(true);
    expect(isIsoDateShape('2024-02-29\n')).toBe(false);
    expect(isIsoDateShape('2024/02/29')).toBe(false);
  });

  it('ratios compare the quotient; a zero denominator is unknown and names the denominator', () => {
    const r: Rule = { ratio: ['rd_expense', 'operating_revenue'], op: 'gte', value: 0.03 };
    expect(verdict(r, ctx({ rd_expense: 30, operating_revenue: 1000 })).result).toBe(true);
    const fail = verdict(r, ctx({ rd_expense: 20, operating_revenue: 1000 }));
    expect(fail.result).toBe(false);
    expect(fail.trace.shortfall).toBeCloseTo(0.01, 10);
    const zero = verdict(r, ctx({ rd_expense: 20, operating_revenue: 0 }));
    expect(zero.result).toBeNull();
    expect(zero.missing).toEqual(['operating_revenue']);
  });

  it('qualifications are valid on the date (issued on or before, valid until on or after) and never unknown', () => {
    const qs = [{ type: 'srdi_sme', level: 'provincial', issuedOn: '2024-01-01', validUntil: '2026-12-31' }];
    expect(verdict({ qualification: 'srdi_sme' }, ctx({}, qs)).result).toBe(true);
    expect(verdict({ qualification: 'srdi_sme', level: 'national' }, ctx({}, qs)).result).toBe(false);
    expect(verdict({ qualification: 'srdi_sme', on: '2027-01-01' }, ctx({}, qs)).result).toBe(false);
    expect(verdict({ qualification: 'srdi_sme', on: '2023-12-31' }, ctx({}, qs)).result).toBe(false);
    expect(verdict({ qualification: 'srdi_sme', on: '2026-12-31' }, ctx({}, qs)).result).toBe(true);
    expect(verdict({ qualification: 'high_tech' }, ctx({}, [])).result).toBe(false);
    expect(
      verdict(
        { qualification: 'high_tech' },
        ctx({}, [{ type: 'high_tech', issuedOn: '2020-01-01', validUntil: null }]),
      ).result,
    ).toBe(true);
  });
});

describe('three-valued logic', () => {
  it('a rule over a missing fact yields UNKNOWN and names the fact', () => {
    const e = verdict({ fact: 'ui_months_paid', op: 'gte', value: 12 }, ctx({ operating_revenue: 5 }));
    expect(e.result).toBeNull();
    expect(e.missing).toEqual(['ui_months_paid']);
    expect(e.trace.missing).toEqual(['ui_months_paid']);
    expect(e.trace.actual).toBeNull();
  });

  it('JSON null and a value of the wrong type count as missing', () => {
    const r: Rule = { fact: 'insured_avg', op: 'lte', value: 30 };
    expect(verdict(r, ctx({ insured_avg: null })).result).toBeNull();
    expect(verdict(r, ctx({ insured_avg: '20' })).result).toBeNull();
    expect(verdict({ fact: 'size', op: 'eq', value: 'small' }, ctx({ size: 'unknown' })).result).toBeNull();
  });

  it('all: false beats unknown, unknown beats true; any is the dual; not keeps unknown', () => {
    const unknown: Rule = { fact: 'insured_avg', op: 'lte', value: 30 };
    const yes: Rule = { fact: 'operating_revenue', op: 'gt', value: 0 };
    const no: Rule = { fact: 'operating_revenue', op: 'lt', value: 0 };
    const c = ctx({ operating_revenue: 10 });
    expect(verdict({ all: [yes, unknown] }, c).result).toBeNull();
    expect(verdict({ all: [no, unknown] }, c).result).toBe(false);
    expect(verdict({ all: [yes, yes] }, c).result).toBe(true);
    expect(verdict({ any: [yes, unknown] }, c).result).toBe(true);
    expect(verdict({ any: [no, unknown] }, c).result).toBeNull();
    expect(verdict({ any: [no, no] }, c).result).toBe(false);
    expect(verdict({ not: unknown }, c).result).toBeNull();
    expect(verdict({ not: yes }, c).result).toBe(false);
    const e = verdict({ all: [yes, { any: [no, unknown] }] }, c);
    expect(e.missing).toEqual(['insured_avg']);
    expect(e.trace.children?.[1]?.path).toBe('all[1]');
    expect(e.trace.children?.[1]?.children?.[1]?.path).toBe('all[1].any[1]');
  });
});

describe('trace shortfalls', () => {
  it('names actual, expected and the gap for failed numeric comparisons', () => {
    const e = verdict(
      {
        all: [
          { fact: 'operating_revenue', op: 'gte', value: 2000 },
          { fact: 'layoff_rate', op: 'lte', value: 0.055 },
          { fact: 'employees_year_end', op: 'between', value: [10, 50] },
        ],
      },
      ctx({ operating_revenue: 1950, layoff_rate: 0.06, employees_year_end: 8 }),
    );
    const [rev, layoff, emp] = e.trace.children!;
    expect(rev).toMatchObject({ actual: 1950, expected: 2000, result: false, shortfall: 50 });
    expect(layoff!.shortfall).toBeCloseTo(0.005, 12);
    expect(emp).toMatchObject({ actual: 8, result: false, shortfall: 2 });
    expect(e.missing).toEqual([]);
  });
});

describe('validation', () => {
  it('rejects unknown facts, wrong value types and operators with messages that name the path', () => {
    const bad = {
      all: [
        { fact: 'revenue', op: 'gt', value: 1 },
        { any: [{ fact: 'size', op: 'eq', value: 'huge' }] },
        { fact: 'operating_revenue', op: 'gte', value: '100' },
        { fact: 'above_scale', op: 'gt', value: true },
        { qualification: 'nobel_prize' },
      ],
    };
    const r = ruleSchema.safeParse(bad);
    expect(r.success).toBe(false);
    expect(() => parseRule(bad)).toThrow(RuleValidationError);
    const msg = (() => {
      try {
        parseRule(bad);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    // the structural error on all[2].value (a string number) and the semantic ones are all reported
    expect(msg).toMatch(/all\[2\]/);
    const semantic = ruleSchema.safeParse({
      all: [
        { fact: 'revenue', op: 'gt', value: 1 },
        { any: [{ fact: 'size', op: 'eq', value: 'huge' }] },
        { fact: 'above_scale', op: 'gt', value: true },
        { qualification: 'nobel_prize' },
        { ratio: ['operating_revenue', 'size'], op: 'gt', value: 1 },
        { yearsSince: 'operating_revenue', op: 'gt', value: 1 },
      ],
    });
    expect(semantic.success).toBe(false);
    const text = semantic.error!.issues.map((i) => i.message).join('\n');
    expect(text).toContain('all[0].fact: unknown fact "revenue"');
    expect(text).toContain('all[1].any[0].value');
    expect(text).toContain('all[2].op');
    expect(text).toContain('all[3].qualification');
    expect(text).toContain('all[4].ratio[1]');
    expect(text).toContain('all[5].yearsSince');
    expect(text).toContain('未知的事实项');
  });

  it('accepts a valid rule and lists its facts', () => {
    const rule = parseRule({
      all: [
        { fact: 'ui_months_paid', op: 'gte', value: 12 },
        { not: { fact: 'credit_blacklisted', op: 'eq', value: true } },
        { ratio: ['rd_expense', 'operating_revenue'], op: 'gte', value: 0.03 },
        { qualification: 'srdi_sme', level: 'provincial' },
      ],
    });
    expect(factsOf(rule)).toEqual([
      'credit_blacklisted',
      'operating_revenue',
      'qualifications',
      'rd_expense',
      'ui_months_paid',
    ]);
  });
});

describe('sentences', () => {
  it('one sentence per condition with catalogue labels and units, in zh-CN and en', () => {
    const rule: Rule = {
      all: [
        { fact: 'ui_months_paid', op: 'gte', value: 12 },
        { fact: 'layoff_rate', op: 'lte', value: 0.055 },
        { fact: 'size', op: 'in', value: ['small', 'micro'] },
      ],
    };
    const zh = describeRule(rule, 'zh-CN').map((l) => l.text);
    expect(zh).toEqual([
      '同时满足以下全部条件：',
      '失业保险连续缴费月数 ≥ 12 月',
      '裁员率 ≤ 5.5%',
      '企业规模为 小型、微型 之一',
    ]);
    const en = describeRule(rule, 'en');
    expect(en[1]).toMatchObject({
      path: 'all[0]',
      depth: 1,
      text: 'Months of unemployment insurance paid ≥ 12 months',
    });
    expect(en[3]!.text).toBe('Enterprise size is one of Small, Micro');
  });
});

describe('facts year', () => {
  it('defaults to the previous calendar year, falling back to the latest earlier year with data', () => {
    expect(chooseFactsYear([2024, 2025, 2026], '2026-03-01')).toBe(2025);
    expect(chooseFactsYear([2023, 2026], '2026-03-01')).toBe(2023);
    expect(chooseFactsYear([2026], '2026-03-01')).toBeNull();
    expect(chooseFactsYear([2025, 2026], '2026-03-01', 0)).toBe(2026);
  });
});

describe('formulas', () => {
  const f = (src: string, facts: Record<string, unknown> = {}) => evaluateFormula(src, ctx(facts));
  it('decimal arithmetic: 0.1 + 0.2 = 0.3, half-up rounding to fen', () => {
    expect(f('0.1 + 0.2').amount).toBe('0.30');
    expect(f('1.005 * 1').amount).toBe('1.01');
    expect(f('2.675').amount).toBe('2.68');
    expect(f('10 / 3').amount).toBe('3.33');
    expect(f('-1 + 3 * 2 - 4 / 2').amount).toBe('3.00');
    expect(f('min(500000, 0.1 * rd_expense * 10000)', { rd_expense: 120.5 }).amount).toBe('120500.00');
    expect(f('min(500000, 0.1 * rd_expense * 10000)', { rd_expense: 900 }).amount).toBe('500000.00');
    expect(f('max(1, 2, 3) + round(2.345, 2) + floor(2.9) + ceil(2.1) + abs(-1)').amount).toBe('11.35');
  });
  it('unknown facts give a null amount and are named; if needs only the branch it takes', () => {
    expect(f('rent_paid * 0.5')).toEqual({ amount: null, missing: ['rent_paid'] });
    expect(f('if(size == "large", 1, rent_paid)', { size: 'large' }).amount).toBe('1.00');
    expect(f('if(size == "large", 1, rent_paid)', {})).toEqual({ amount: null, missing: ['rent_paid', 'size'] });
    expect(f('10 / ui_new_claimants', { ui_new_claimants: 0 }).amount).toBeNull();
    expect(formulaFacts('ui_paid_last_year * if(size == "large", 0.3, 0.6)')).toEqual(['size', 'ui_paid_last_year']);
  });
  it('parse errors give the position and a message in both languages', () => {
    const err = (src: string) => {
      try {
        parseFormula(src);
      } catch (e) {
        return e as FormulaError;
      }
      throw new Error(`no error for ${src}`);
    };
    expect(err('1 + ')).toMatchObject({ code: 'FORMULA_UNEXPECTED_END', position: 4 });
    expect(err('revenue * 2')).toMatchObject({ code: 'FORMULA_UNKNOWN_FACT', position: 0 });
    expect(err('rd_expense * 2 )')).toMatchObject({ code: 'FORMULA_UNEXPECTED_TOKEN', position: 15 });
    expect(err('sqrt(4)')).toMatchObject({ code: 'FORMULA_UNKNOWN_FUNCTION', position: 0 });
    expect(err('if(1, 2)')).toMatchObject({ code: 'FORMULA_ARITY' });
    expect(err('2 # 3')).toMatchObject({ code: 'FORMULA_UNEXPECTED_CHAR', position: 2 });
    expect(err('"abc')).toMatchObject({ code: 'FORMULA_UNTERMINATED_STRING', position: 0 });
    const e = err('1 + ');
    expect(e.messages['zh-CN']).toBe('公式不完整');
    expect(e.message).toContain('position 5');
    expect(e.message).toContain('第 5 个字符');
  });
});

/** rules.md §8.4 (a) 失业保险稳岗返还 and (b) 余杭 小升规 as plain rule + formula cases. */
describe('worked formulas (rules.md §8.4)', () => {
  const wengang: Rule = {
    all: [
      { fact: 'ui_months_paid', op: 'gte', value: 12 },
      {
        any: [
          {
            all: [
              { fact: 'insured_avg', op: 'lte', value: 30 },
              { fact: 'layoff_rate', op: 'lte', value: 0.2 },
            ],
          },
          {
            all: [
              { fact: 'insured_avg', op: 'gt', value: 30 },
              { fact: 'layoff_rate', op: 'lte', value: 0.055 },
            ],
          },
        ],
      },
    ],
  };
  const spec = { eligibility: wengang, amount: 'ui_paid_last_year * if(size == "large", 0.3, 0.6)' };
  const firm = (o: Record<string, unknown>) =>
    ctx({
      ui_months_paid: 24,
      insured_avg: 120,
      ui_new_claimants: 2,
      layoff_rate: 2 / 120,
      ui_paid_last_year: 86400,
      size: 'small',
      ...o,
    });

  it('SME: 60% of the unemployment insurance paid last year', () => {
    expect(clauseAmount(spec, firm({}))).toMatchObject({ eligible: true, amount: '51840.00' });
  });
  it('large enterprise: 30%', () => {
    expect(clauseAmount(spec, firm({ size: 'large', ui_paid_last_year: 1234567.89 }))).toMatchObject({
      eligible: true,
      amount: '370370.37',
    });
  });
  it('≤ 30 insured staff: layoff limit 20% (6 of 30 passes, 7 of 30 fails)', () => {
    expect(clauseAmount(spec, firm({ insured_avg: 30, layoff_rate: 6 / 30, ui_paid_last_year: 21600 })).amount).toBe(
      '12960.00',
    );
    expect(clauseAmount(spec, firm({ insured_avg: 30, layoff_rate: 7 / 30 }))).toMatchObject({
      eligible: false,
      amount: null,
    });
  });
  it('over the 5.5% limit with more than 30 insured → ineligible', () => {
    expect(clauseAmount(spec, firm({ insured_avg: 200, layoff_rate: 12 / 200 })).eligible).toBe(false);
    expect(clauseAmount(spec, firm({ insured_avg: 200, layoff_rate: 11 / 200 })).eligible).toBe(true);
  });
  it('only 10 months paid → ineligible; missing months → unknown naming the fact', () => {
    expect(clauseAmount(spec, firm({ ui_months_paid: 10 })).eligible).toBe(false);
    expect(clauseAmount(spec, firm({ ui_months_paid: undefined }))).toMatchObject({
      eligible: null,
      amount: null,
      missing: ['ui_months_paid'],
    });
  });
  it('小升规: 20万 on first entry, +10万 for a strategic emerging firm', () => {
    const xsg = {
      eligibility: { fact: 'first_above_scale_year', op: 'eq', value: 2025 } as Rule,
      amount: '(20 + if(strategic_emerging, 10, 0)) * 10000',
    };
    expect(clauseAmount(xsg, ctx({ first_above_scale_year: 2025, strategic_emerging: true })).amount).toBe('300000.00');
    expect(clauseAmount(xsg, ctx({ first_above_scale_year: 2025, strategic_emerging: false })).amount).toBe(
      '200000.00',
    );
    expect(clauseAmount(xsg, ctx({ first_above_scale_year: 2023, strategic_emerging: true })).eligible).toBe(false);
  });
  it('caps and floors in 元, and never a negative amount', () => {
    const s = { eligibility: { fact: 'rd_expense', op: 'gt', value: 0 } as Rule, amount: '0.1 * rd_expense * 10000' };
    expect(clauseAmount({ ...s, cap: 500000 }, ctx({ rd_expense: 900 }))).toMatchObject({
      amount: '500000.00',
      capped: true,
    });
    expect(clauseAmount({ ...s, floor: 5000 }, ctx({ rd_expense: 1 }))).toMatchObject({
      amount: '5000.00',
      floored: true,
    });
    expect(clauseAmount({ ...s, amount: 'net_profit' }, ctx({ rd_expense: 1, net_profit: -5 })).amount).toBe('0.00');
  });
  it('从高不重复: only the highest amount of a stacking group pays', () => {
    const r = applyStacking([
      { clauseId: 'a', stackingGroup: 'title', amount: '100000.00' },
      { clauseId: 'b', stackingGroup: 'title', amount: '300000.00' },
      { clauseId: 'c', stackingGroup: null, amount: '5000.50' },
      { clauseId: 'd', stackingGroup: 'title', amount: null },
      { clauseId: 'e', stackingGroup: 'title', amount: '300000.00' },
    ]);
    expect(r.items.map((i) => i.pays)).toEqual([false, true, true, false, false]);
    expect(r.total).toBe('305000.50');
  });
});

describe('formula types', () => {
  it('rejects formulas that would fail at evaluation, with the position', () => {
    const code = (src: string) => {
      try {
        parseFormula(src);
        return null;
      } catch (e) {
        return { code: (e as FormulaError).code, position: (e as FormulaError).position };
      }
    };
    expect(code('size * 2')).toEqual({ code: 'FORMULA_TYPE', position: 0 });
    expect(code('rd_expense > 5')).toEqual({ code: 'FORMULA_TYPE', position: 11 });
    expect(code('if(size, 1, 2)')).toEqual({ code: 'FORMULA_TYPE', position: 3 });
    expect(code('if(size == 3, 1, 2)')).toMatchObject({ code: 'FORMULA_TYPE' });
    expect(code('if(above_scale, 1, "x")')).toMatchObject({ code: 'FORMULA_TYPE' });
    expect(code('1 + (strategic_emerging and 2 > 1)')).toMatchObject({ code: 'FORMULA_TYPE' });
    expect(code('if(not credit_blacklisted and size != "large", 2, 1) * rent_paid')).toBeNull();
  });
});
