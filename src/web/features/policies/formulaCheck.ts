/**
 * Live check of an amount formula in the browser with the rule language's own formula evaluator
 * (src/domain/rules, pure and shared with the server), so that the editor and the server agree.
 */
import * as rules from '../../../domain/rules/index.ts';
import i18n from '../../app/i18n';

export interface FormulaCheck {
  amount: string | null;
  error?: string;
  kind?: 'parse' | 'missing';
}

type Evaluator = (
  src: string,
  ctx: { facts: Record<string, unknown>; asOf: string },
) => { amount: string | null; missing: string[] };

const evaluator = (rules as unknown as { evaluateFormula?: Evaluator }).evaluateFormula;

export function checkFormula(formula: string, facts: Record<string, unknown>, asOf?: string): FormulaCheck {
  if (!evaluator) return { amount: null };
  try {
    const r = evaluator(formula, { facts, asOf: asOf ?? new Date().toISOString().slice(0, 10) });
    if (r.amount === null && r.missing.length)
      return {
        amount: null,
        kind: 'missing',
        error: i18n.t('policies.clause.formulaMissing', { facts: r.missing.join(', ') }),
      };
    return { amount: r.amount };
  } catch (e) {
    return { amount: null, kind: 'parse', error: e instanceof Error ? e.message : String(e) };
  }
}
