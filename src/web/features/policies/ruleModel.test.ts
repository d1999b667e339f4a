import { describe, expect, it } from 'vitest';
import { FACTS_CATALOGUE } from '../../../domain/rules/catalogue.ts';
import { parseRule } from '../../../domain/rules/schema.ts';
import type { Rule } from '../../../domain/rules/types.ts';
import {
  appendAt,
  checkRule,
  conditionOfKind,
  countConditions,
  defaultValue,
  getAt,
  opsFor,
  parseRuleText,
  removeAt,
  updateAt,
} from './ruleModel';

const catalogue = [...FACTS_CATALOGUE];
const factOf = (key: string) => catalogue.find((f) => f.key === key);

const sample: Rule = {
  all: [
    { fact: 'operating_revenue', op: 'gte', value: 500 },
    { any: [{ fact: 'industry_code', op: 'prefix', value: 'C' }, { not: { qualification: 'high_tech' } }] },
  ],
};

describe('rule tree editing by path', () => {
  it('reads, replaces, appends and removes nodes without touching the others', () => {
    expect(getAt(sample, [1, 1, 0])).toEqual({ qualification: 'high_tech' });
    const raised = updateAt(sample, [0], () => ({ fact: 'operating_revenue', op: 'gte', value: 600 }));
    expect(getAt(raised, [0])).toEqual({ fact: 'operating_revenue', op: 'gte', value: 600 });
    expect(getAt(sample, [0])).toEqual({ fact: 'operating_revenue', op: 'gte', value: 500 });
    expect(getAt(raised, [1])).toBe(getAt(sample, [1]));

    const added = appendAt(sample, [1], { fact: 'size', op: 'in', value: ['small', 'micro'] });
    expect(countConditions(added)).toBe(4);
    expect(getAt(added, [1, 2])).toEqual({ fact: 'size', op: 'in', value: ['small', 'micro'] });

    const removed = removeAt(added, [1, 0]);
    expect(removed).toEqual({
      all: [
        { fact: 'operating_revenue', op: 'gte', value: 500 },
        { any: [{ not: { qualification: 'high_tech' } }, { fact: 'size', op: 'in', value: ['small', 'micro'] }] },
      ],
    });
    // every edited tree is still a valid rule for the rule language's own schema
    expect(() => parseRule(removed)).not.toThrow();
    expect(removeAt(sample, [])).toBe(sample);
  });

  it('offers operators by fact type and keeps values that still fit', () => {
    expect(opsFor('boolean')).toEqual(['eq', 'ne']);
    expect(opsFor('string')).toContain('prefix');
    expect(opsFor('number')).toContain('between');
    expect(opsFor('number')).not.toContain('prefix');
    expect(defaultValue(factOf('operating_revenue'), 'between')).toEqual([0, 100]);
    expect(defaultValue(factOf('operating_revenue'), 'in', 500)).toEqual([500]);
    expect(defaultValue(factOf('operating_revenue'), 'gte', [700, 800])).toBe(700);
    expect(defaultValue(factOf('size'), 'eq', 'nonsense')).toBe('large');
    expect(defaultValue(factOf('size'), 'eq', 'small')).toBe('small');
    expect(defaultValue(factOf('above_scale'), 'eq')).toBe(true);
    expect(conditionOfKind('fact', catalogue)).toEqual({ fact: 'operating_revenue', op: 'gte', value: 0 });
    expect(() => parseRule(conditionOfKind('ratio', catalogue))).not.toThrow();
    expect(() => parseRule(conditionOfKind('yearsSince', catalogue))).not.toThrow();
  });
});

describe('rule JSON typed by hand', () => {
  it('names the path of the first problem', () => {
    expect(checkRule(sample, catalogue)).toBeNull();
    expect(checkRule({ all: [{ fact: 'revenue_typo', op: 'gte', value: 1 }] }, catalogue)).toEqual({
      path: '$.all[0].fact',
      problem: 'unknownFact',
    });
    expect(checkRule({ any: [{ fact: 'size', op: 'like', value: 'x' }] }, catalogue)).toEqual({
      path: '$.any[0].op',
      problem: 'badOp',
    });
    expect(checkRule({ all: [{ fact: 'operating_revenue', op: 'between', value: [1] }] }, catalogue)?.problem).toBe(
      'badBetween',
    );
    expect(checkRule({ not: { ratio: ['rd_expense'], op: 'gte', value: 0.03 } }, catalogue)?.path).toBe('$.not.ratio');
    expect(checkRule({ something: 1 }, catalogue)?.problem).toBe('unknownNode');
    expect(checkRule([], catalogue)?.problem).toBe('notObject');
  });

  it('parses valid text into the rule and reports syntax errors', () => {
    expect(parseRuleText(JSON.stringify(sample), catalogue).rule).toEqual(sample);
    const bad = parseRuleText('{"all": [', catalogue);
    expect(bad.rule).toBeUndefined();
    expect(bad.error?.problem).toBe('syntax');
    expect(bad.error?.detail).toBeTruthy();
  });
});
