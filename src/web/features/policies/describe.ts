/**
 * Human sentences of a rule in the UI language (describeRule from src/domain/rules, shared with the server), and
 * fact labels, units and values for the editor and the traces.
 */
import { FACTS_BY_KEY } from '../../../domain/rules/catalogue.ts';
import { describeRule, type RuleLocale } from '../../../domain/rules/describe.ts';
import type { Rule } from '../../../domain/rules/types.ts';
import i18n from '../../app/i18n';
import { textIn } from './api';

export function factLabel(key: string, lang = i18n.language): string {
  const f = FACTS_BY_KEY.get(key);
  return f ? textIn(f.label, lang) : key;
}

export function factUnit(key: string, lang = i18n.language): string {
  const f = FACTS_BY_KEY.get(key);
  if (f?.percent) return '%';
  return f?.unit ? textIn(f.unit, lang) : '';
}

/** A value as the user reads it: percent facts ×100, enum labels, booleans as 是/否. */
export function formatFactValue(key: string, value: unknown, lang = i18n.language): string {
  const f = FACTS_BY_KEY.get(key);
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => formatFactValue(key, v, lang)).join(lang === 'en' ? ', ' : '、');
  if (typeof value === 'boolean') return i18n.t(value ? 'policies.rule.yes' : 'policies.rule.no');
  if (f?.type === 'enum') {
    const ev = f.enumValues?.find((e) => e.value === value);
    if (ev) return textIn(ev.label, lang);
  }
  if (typeof value === 'number' && f?.percent) return `${+(value * 100).toFixed(4)}%`;
  if (typeof value === 'number') {
    const unit = factUnit(key, lang);
    return `${value.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 4 })}${unit ? ` ${unit}` : ''}`;
  }
  return String(value);
}

/** Lines of the description (describeRule of the rule language), each indented two spaces per nesting level. */
export function describeLines(rule: Rule, lang = i18n.language): string[] {
  const locale: RuleLocale = lang === 'en' ? 'en' : 'zh-CN';
  return describeRule(rule, locale).map((l) => {
    const heading = /[:：]$/.test(l.text);
    return `${'\u3000'.repeat(l.depth)}${heading ? '' : '· '}${l.text}`;
  });
}
