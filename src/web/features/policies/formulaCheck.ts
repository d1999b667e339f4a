/**
 * Live check of an amount formula in the browser with the rule language's own parser and evaluator
 * (src/domain/rules/formula.ts, pure and shared with the server), so that the editor and the server agree.
 */
import { evaluateFormula, FormulaError, parseFormula } from '../../../domain/rules/formula.ts';
import i18n from '../../app/i18n';

export interface FormulaCheck {
  amount: string | null;
  error?: string;
  kind?: 'parse' | 'missing';
}

/** A parse error in the UI language with its 1-based position, or null when the formula parses. */
export function formulaSyntaxError(formula: string): string | null {
  try {
    parseFormula(formula);
    return null;
  } catch (e) {
    if (e instanceof FormulaError)
      return i18n.t('policies.clause.formulaError', {
        message: i18n.language === 'en' ? e.messages.en : e.messages['zh-CN'],
        position: e.position + 1,
      });
    return e instanceof Error ? e.message : String(e);
  }
}

/** The formula's amount (元) on one example's facts, or which facts are missing. */
export function checkFormula(formula: string, facts: Record<string, unknown>, asOf?: string): FormulaCheck {
  const syntax = formulaSyntaxError(formula);
  if (syntax) return { amount: null, kind: 'parse', error: syntax };
  try {
    const r = evaluateFormula(formula, { facts, asOf: asOf ?? new Date().toISOString().slice(0, 10) });
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
