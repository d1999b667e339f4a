/**
 * Human sentences for rules (issue #5: "a rule an official and a firm can read"), one per condition, in zh-CN or
 * en, with the catalogue's labels and units. The web shows these beside the visual editor and in "my policies".
 */
import { type FactDef, factDef, type Localized, QUALIFICATION_LEVELS, QUALIFICATION_TYPES } from './catalogue.ts';
import type { ComparisonOp, Rule, Scalar } from './types.ts';

export type RuleLocale = 'zh-CN' | 'en';

export interface DescribedLine {
  /** Path of the node, as in TraceNode.path. */
  path: string;
  depth: number;
  text: string;
}

const OP_SYMBOL: Record<ComparisonOp, string> = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' };

function fmtNumber(n: number, locale: RuleLocale, digits = 6) {
  return n.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits });
}

/** A ratio as a percentage with at most 2 decimals (0.862069… → "0.86%"; thresholds such as 0.055 → "5.5%"). */
function fmtPercent(ratio: number, locale: RuleLocale) {
  return `${fmtNumber(Math.round(ratio * 1e8) / 1e6, locale, 2)}%`;
}

/** A value of a fact with its unit (percent facts as percentages). */
export function formatFactValue(def: FactDef | undefined, v: Scalar, locale: RuleLocale): string {
  if (typeof v === 'boolean') return locale === 'zh-CN' ? (v ? '是' : '否') : v ? 'yes' : 'no';
  if (typeof v === 'number') {
    if (def?.percent) return fmtPercent(v, locale);
    const unit = def?.unit?.[locale];
    return unit ? `${fmtNumber(v, locale)} ${unit}` : fmtNumber(v, locale);
  }
  const e = def?.enumValues?.find((x) => x.value === v);
  if (e) return e.label[locale];
  return `“${v}”`;
}

const label = (def: FactDef | undefined, key: string, locale: RuleLocale) => def?.label[locale] ?? key;
const loc = (l: Localized | undefined, fallback: string, locale: RuleLocale) => l?.[locale] ?? fallback;

/** One sentence for a leaf condition. */
export function describeCondition(r: Rule, locale: RuleLocale): string {
  const zh = locale === 'zh-CN';
  if ('qualification' in r) {
    const t = QUALIFICATION_TYPES.find((q) => q.value === r.qualification);
    const lv = r.level ? QUALIFICATION_LEVELS.find((q) => q.value === r.level) : undefined;
    const name = `${lv ? `${loc(lv.label, r.level ?? '', locale)}${zh ? '' : ' '}` : ''}${loc(t?.label, r.qualification, locale)}`;
    if (zh) return `持有有效的${name}资质${r.on ? `（于 ${r.on}）` : ''}`;
    return `Holds a valid ${name} qualification${r.on ? ` on ${r.on}` : ''}`;
  }
  if ('yearsSince' in r) {
    const d = factDef(r.yearsSince);
    const n = fmtNumber(r.value, locale);
    return zh
      ? `${label(d, r.yearsSince, locale)}至今 ${OP_SYMBOL[r.op]} ${n} 年`
      : `Years since ${label(d, r.yearsSince, locale).toLowerCase()} ${OP_SYMBOL[r.op]} ${n}`;
  }
  if ('ratio' in r) {
    const a = factDef(r.ratio[0]);
    const b = factDef(r.ratio[1]);
    const pct = fmtPercent(r.value, locale);
    return `${label(a, r.ratio[0], locale)} / ${label(b, r.ratio[1], locale)} ${OP_SYMBOL[r.op]} ${fmtNumber(r.value, locale)} (${pct})`;
  }
  if (!('fact' in r)) return '';
  const d = factDef(r.fact);
  const name = label(d, r.fact, locale);
  switch (r.op) {
    case 'in': {
      const vs = r.value.map((v) => formatFactValue(d, v, locale));
      return zh ? `${name}为 ${vs.join('、')} 之一` : `${name} is one of ${vs.join(', ')}`;
    }
    case 'between':
      return zh
        ? `${name}介于 ${formatFactValue(d, r.value[0], locale)} 与 ${formatFactValue(d, r.value[1], locale)} 之间（含）`
        : `${name} between ${formatFactValue(d, r.value[0], locale)} and ${formatFactValue(d, r.value[1], locale)} (inclusive)`;
    case 'prefix':
      return zh ? `${name}以“${r.value}”开头` : `${name} starts with “${r.value}”`;
    default: {
      if (d?.type === 'boolean' && typeof r.value === 'boolean') {
        const yes = (r.op === 'eq') === r.value;
        return zh ? `${name}：${yes ? '是' : '否'}` : `${name}: ${yes ? 'yes' : 'no'}`;
      }
      return `${name} ${OP_SYMBOL[r.op]} ${formatFactValue(d, r.value, locale)}`;
    }
  }
}

/** One line per node: group headings ("all of the following") and one sentence per condition. */
export function describeRule(rule: Rule, locale: RuleLocale = 'zh-CN'): DescribedLine[] {
  const zh = locale === 'zh-CN';
  const out: DescribedLine[] = [];
  const walk = (r: Rule, path: string, depth: number) => {
    const sub = (seg: string) => (path ? `${path}.${seg}` : seg);
    if ('all' in r) {
      out.push({ path, depth, text: zh ? '同时满足以下全部条件：' : 'All of the following:' });
      r.all.forEach((c, i) => {
        walk(c, sub(`all[${i}]`), depth + 1);
      });
    } else if ('any' in r) {
      out.push({ path, depth, text: zh ? '满足以下任一条件：' : 'Any of the following:' });
      r.any.forEach((c, i) => {
        walk(c, sub(`any[${i}]`), depth + 1);
      });
    } else if ('not' in r) {
      out.push({ path, depth, text: zh ? '不满足：' : 'Not:' });
      walk(r.not, sub('not'), depth + 1);
    } else out.push({ path, depth, text: describeCondition(r, locale) });
  };
  walk(rule, '', 0);
  return out;
}
