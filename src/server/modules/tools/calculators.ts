/**
 * The two public calculators (issue #15): the USCC check (rules.md §1) and the enterprise size class with 规上
 * (rules.md §2). Pure functions over the domain code (src/domain/uscc.ts, enterprise-size.ts, industries.ts) that
 * add what a person reading the answer needs: localized sentences (zh-CN default, en) that never show an internal
 * code. The machine-stable codes travel beside them.
 */
import {
  ABOVE_SCALE_RULES,
  aboveScale,
  classifySize,
  type Indicator,
  SIZE_GROUPS,
  SIZE_TABLE,
  type SizeClass,
  type SizeGroup,
  sizeGroupOf,
} from '../../../domain/enterprise-size.ts';
import { INDUSTRY_SECTIONS, industryName, normalizeIndustryCode } from '../../../domain/industries.ts';
import {
  orgCodeCheckChar,
  USCC_CHARSET,
  type UsccError,
  type UsccWarning,
  validateUscc,
} from '../../../domain/uscc.ts';
import type { Locale } from '../../platform/messages.ts';

type Text = Record<Locale, string>;

function fill(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
}

function num(v: number, locale: Locale): string {
  return v.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 4 });
}

// ---- USCC (rules.md §1) ---------------------------------------------------------------------------------------

/** GB/T 2260 province-level codes (the first two digits of a division code), Taiwan, Hong Kong and Macao included. */
const GB2260_PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
);
/**
 * Cities whose whole county-level list the region table holds (docs/decisions/0002-regions.md: all of 郑州市; of
 * 杭州市 only 富阳区). A division code under one of them that the table lacks is unknown; elsewhere the table cannot
 * tell, so only the province part is checked.
 */
const COMPLETE_CITIES = new Set(['410100']);

/** Whether positions 3–8 name a division, as far as the platform's region table and GB/T 2260 can tell. */
export function divisionKnown(division: string, regionExists: (code: string) => boolean): boolean {
  if (regionExists(division)) return true;
  if (!GB2260_PROVINCES.has(division.slice(0, 2))) return false;
  return !COMPLETE_CITIES.has(`${division.slice(0, 4)}00`);
}

const USCC_ERROR_TEXT: Record<UsccError, Text> = {
  length: {
    'zh-CN': '长度应为 18 位，实际为 {length} 位。',
    en: 'A credit code has 18 characters; this one has {length}.',
  },
  charset: {
    'zh-CN': '含有不允许的字符：{chars}。统一社会信用代码只用数字和除 I、O、S、V、Z 以外的大写字母。',
    en: 'Contains characters that are not allowed: {chars}. Credit codes use digits and capital letters except I, O, S, V and Z.',
  },
  division_digits: {
    'zh-CN': '第 3–8 位（登记管理机关行政区划码）应为 6 位数字，实际为「{division}」。',
    en: 'Positions 3–8 (the division code of the registering authority) must be 6 digits, not "{division}".',
  },
  check_char: {
    'zh-CN':
      '校验位（第 18 位）不符：按 GB 32100 计算应为「{expected}」，实际为「{actual}」。请核对是否有字符输错或前后颠倒。',
    en: 'The check character (position 18) is wrong: GB 32100 gives "{expected}", the code has "{actual}". Look for a mistyped or swapped character.',
  },
};

const USCC_WARNING_TEXT: Record<UsccWarning, Text> = {
  org_code_check: {
    'zh-CN':
      '第 17 位（组织机构代码校验位，GB 11714）按计算应为「{expected}」，实际为「{actual}」。这不影响代码有效，部分历史代码如此，建议与营业执照核对。',
    en: 'Position 17 (the organisation-code check character, GB 11714) should be "{expected}" but is "{actual}". The code stays valid (some older codes are like this); compare it with the business licence.',
  },
  unknown_authority_category: {
    'zh-CN':
      '登记管理部门码「{authority}」与机构类别码「{category}」的组合不在已知列表中（企业为 91，个体工商户为 92，农民专业合作社为 93）。',
    en: 'The registration authority "{authority}" with category "{category}" is not a known pair (enterprises are 91, individual businesses 92, farmers\' cooperatives 93).',
  },
  unknown_division: {
    'zh-CN': '第 3–8 位行政区划码「{division}」不是已知的行政区划（可能是已撤销的代码，或录入有误）。',
    en: 'The division code "{division}" in positions 3–8 is not a known division (it may have been retired, or it is mistyped).',
  },
  registration_number: {
    'zh-CN': '这是一个校验正确的 15 位旧工商注册号，不是统一社会信用代码。请填写营业执照上的 18 位统一社会信用代码。',
    en: 'This is a valid old 15-digit business registration number, not a unified social credit code. Enter the 18-character code on the business licence.',
  },
};

export interface UsccCheck {
  valid: boolean;
  normalized: string;
  errors: string[];
  warnings: string[];
  errorCodes: UsccError[];
  warningCodes: UsccWarning[];
  expectedCheckChar: string | null;
}

export function checkUscc(raw: string, locale: Locale, regionExists: (code: string) => boolean): UsccCheck {
  const r = validateUscc(raw, (d) => divisionKnown(d, regionExists));
  const code = r.normalized;
  const params: Record<string, unknown> = {
    length: [...code].length,
    chars: [...new Set([...code].filter((c) => !USCC_CHARSET.includes(c)))]
      .map((c) => (locale === 'en' ? `"${c}"` : `「${c}」`))
      .join(locale === 'en' ? ', ' : '、'),
    division: code.slice(2, 8),
    expected: r.expectedCheckChar,
    actual: code[17],
    authority: code[0],
    category: code[1],
  };
  const warningParams = { ...params, expected: orgCodeCheckChar(code.slice(8, 16)), actual: code[16] };
  return {
    valid: r.valid,
    normalized: code,
    errors: r.errors.map((e) => fill(USCC_ERROR_TEXT[e][locale], params)),
    warnings: r.warnings.map((w) => fill(USCC_WARNING_TEXT[w][locale], warningParams)),
    errorCodes: r.errors,
    warningCodes: r.warnings,
    expectedCheckChar: r.expectedCheckChar ?? null,
  };
}

// ---- Enterprise size (rules.md §2) -----------------------------------------------------------------------------

export const GROUP_NAMES: Record<SizeGroup, Text> = {
  agriculture: { 'zh-CN': '农、林、牧、渔业', en: 'Agriculture, forestry, animal husbandry and fishery' },
  industry: { 'zh-CN': '工业', en: 'Industry (mining, manufacturing, utilities)' },
  construction: { 'zh-CN': '建筑业', en: 'Construction' },
  wholesale: { 'zh-CN': '批发业', en: 'Wholesale' },
  retail: { 'zh-CN': '零售业', en: 'Retail' },
  transport: { 'zh-CN': '交通运输业', en: 'Transport' },
  warehousing: { 'zh-CN': '仓储业', en: 'Warehousing' },
  postal: { 'zh-CN': '邮政业', en: 'Postal services' },
  accommodation: { 'zh-CN': '住宿业', en: 'Accommodation' },
  catering: { 'zh-CN': '餐饮业', en: 'Catering' },
  information_transmission: { 'zh-CN': '信息传输业', en: 'Information transmission' },
  software_it: { 'zh-CN': '软件和信息技术服务业', en: 'Software and IT services' },
  real_estate_development: { 'zh-CN': '房地产开发经营', en: 'Real-estate development' },
  property_management: { 'zh-CN': '物业管理', en: 'Property management' },
  leasing_business: { 'zh-CN': '租赁和商务服务业', en: 'Leasing and business services' },
  other: { 'zh-CN': '其他未列明行业', en: 'Other industries' },
};

const INDICATOR_TEXT: Record<Indicator, { name: Text; unit: Text }> = {
  employees: { name: { 'zh-CN': '从业人员', en: 'employees' }, unit: { 'zh-CN': '人', en: 'persons' } },
  revenue: { name: { 'zh-CN': '营业收入', en: 'revenue' }, unit: { 'zh-CN': '万元', en: '×10,000 CNY' } },
  assets: { name: { 'zh-CN': '资产总额', en: 'total assets' }, unit: { 'zh-CN': '万元', en: '×10,000 CNY' } },
};

const SIZE_NAMES: Record<SizeClass | 'unknown', Text> = {
  large: { 'zh-CN': '大型', en: 'large' },
  medium: { 'zh-CN': '中型', en: 'medium' },
  small: { 'zh-CN': '小型', en: 'small' },
  micro: { 'zh-CN': '微型', en: 'micro' },
  unknown: { 'zh-CN': '无法判定', en: 'undetermined' },
};

const STANDARD: Text = {
  'zh-CN': '《统计上大中小微型企业划分办法（2017）》（国统字〔2017〕213号）',
  en: 'NBS Measures for classifying large, medium, small and micro enterprises (2017, 国统字〔2017〕213号)',
};

const PRINCIPLE: Text = {
  'zh-CN': '大型、中型和小型企业须同时满足所列各项指标的下限，否则下划一档；微型企业只须有一项指标低于小型的下限。',
  en: 'Large, medium and small need every listed lower bound at once, otherwise the firm drops one tier; a firm is micro when any indicator is below the small bound.',
};

/** A representative GB/T 4754 code per size group, for the 规上 rule when the caller names a group, not a code. */
const GROUP_CODE: Partial<Record<SizeGroup, string>> = {
  agriculture: 'A',
  industry: 'C',
  construction: 'E',
  wholesale: 'F51',
  retail: 'F52',
  transport: 'G54',
  warehousing: 'G592',
  postal: 'G60',
  accommodation: 'H61',
  catering: 'H62',
  information_transmission: 'I63',
  software_it: 'I65',
  real_estate_development: 'K701',
  property_management: 'K702',
  leasing_business: 'L',
};

/**
 * Codes that span groups with different thresholds, with the finer codes to choose from: a section letter whose
 * divisions fall into several groups, 大类 59 (装卸搬运 G591 counts as transport, the rest as warehousing) and 70
 * (房地产开发 K701, 物业管理 K702, the rest 其他).
 */
const AMBIGUOUS: Record<string, string[]> = {
  F: ['F51', 'F52'],
  G: ['G53', 'G54', 'G55', 'G56', 'G57', 'G58', 'G591', 'G592', 'G60'],
  H: ['H61', 'H62'],
  I: ['I63', 'I64', 'I65'],
  K: ['K701', 'K702', 'K703', 'K704', 'K709'],
  G59: ['G591', 'G592'],
  K70: ['K701', 'K702', 'K703', 'K704', 'K709'],
};

const GROUP_BY_NAME = new Map<string, SizeGroup>(
  SIZE_GROUPS.flatMap((g) => [
    [g, g],
    [GROUP_NAMES[g]['zh-CN'], g],
  ]),
);

export type IndustryResolution =
  | { kind: 'group'; group: SizeGroup; code: null }
  | { kind: 'code'; group: SizeGroup; code: string }
  | { kind: 'ambiguous'; code: string; options: string[] }
  | { kind: 'unknown' };

/** A size-group key (or its Chinese name), or a GB/T 4754-2017 code ("C3311", "33", "C"). */
export function resolveIndustry(raw: string): IndustryResolution {
  const s = raw.trim();
  const group = GROUP_BY_NAME.get(s) ?? GROUP_BY_NAME.get(s.toLowerCase());
  if (group) return { kind: 'group', group, code: null };
  const code = normalizeIndustryCode(s);
  if (!code) return { kind: 'unknown' };
  const options = AMBIGUOUS[code];
  if (options) return { kind: 'ambiguous', code, options };
  return { kind: 'code', group: sizeGroupOf(code), code };
}

/** 中类 names the division list lacks, for the codes offered when a code is too coarse (GB/T 4754-2017). */
const GROUP_LEVEL_NAMES: Record<string, string> = {
  G591: '装卸搬运',
  G592: '通用仓储（G592–G599 各类仓储）',
  K701: '房地产开发经营',
  K702: '物业管理',
  K703: '房地产中介服务',
  K704: '房地产租赁经营',
  K709: '其他房地产业',
};

/** The standard's Chinese name of a code (the repository holds no English names of GB/T 4754). */
function codeName(code: string): string {
  if (GROUP_LEVEL_NAMES[code]) return GROUP_LEVEL_NAMES[code];
  if (code.length === 1) return INDUSTRY_SECTIONS[code] ?? code;
  return industryName(code) ?? code;
}

export const TOOL_ERRORS = {
  UNKNOWN_INDUSTRY: {
    'zh-CN':
      '无法识别行业「{industry}」。请填写 GB/T 4754-2017 国民经济行业分类代码（如 C3311、33 或 C），或选择一个规模划分行业。',
    en: 'Unknown industry "{industry}". Enter a GB/T 4754-2017 industry code (such as C3311, 33 or C) or choose one of the size-classification industries.',
  },
  INDUSTRY_AMBIGUOUS: {
    'zh-CN': '行业代码「{industry}」（{name}）包含划型标准不同的行业，请填写更细的代码：{options}。',
    en: 'The industry code "{industry}" ({name}) covers industries with different thresholds. Enter a finer code: {options}.',
  },
  INVALID_NUMBER: {
    'zh-CN': '指标须为不小于 0 的有限数字：{fields}。',
    en: 'Indicators must be finite numbers of at least 0: {fields}.',
  },
} satisfies Record<string, Text>;
export type ToolErrorCode = keyof typeof TOOL_ERRORS;

export function toolErrorMessage(code: ToolErrorCode, locale: Locale, params: Record<string, unknown>): string {
  return fill(TOOL_ERRORS[code][locale], params);
}

export function ambiguousParams(code: string, options: string[], locale: Locale) {
  const sep = locale === 'en' ? '; ' : '；';
  return {
    industry: code,
    name: codeName(code),
    options: options.map((o) => `${o} ${codeName(o)}`).join(sep),
  };
}

/** "从业人员（人）" / "employees (persons)", for the field names of INVALID_NUMBER. */
export function indicatorLabel(field: string, locale: Locale): string {
  const t = INDICATOR_TEXT[field as Indicator];
  const name = t
    ? t.name[locale]
    : field === 'mainBusinessRevenue'
      ? { 'zh-CN': '主营业务收入', en: 'main-business revenue' }[locale]
      : field;
  const unit = t ? t.unit[locale] : field === 'mainBusinessRevenue' ? INDICATOR_TEXT.revenue.unit[locale] : null;
  if (!unit) return name;
  return locale === 'en' ? `${name} (${unit})` : `${name}（${unit}）`;
}

export interface SizeInput {
  industry: string;
  employees?: number | null;
  revenue?: number | null;
  assets?: number | null;
  mainBusinessRevenue?: number | null;
}

type Outcome = 'met' | 'failed' | 'unknown';

export interface SizeAnswer {
  size: SizeClass | 'unknown';
  sizeName: string;
  rule: {
    standard: string;
    group: SizeGroup;
    groupName: string;
    industryCode: string | null;
    industryName: string | null;
    principle: string;
    thresholds: { indicator: Indicator; name: string; unit: string; large: number; medium: number; small: number }[];
    tiers: {
      tier: SizeClass;
      outcome: Outcome;
      conditions: { indicator: Indicator; value: number | null; bound: number; met: boolean | null }[];
      text: string;
    }[];
    text: string;
  };
  missing: Indicator[];
  aboveScale?: boolean | null;
  aboveScaleRule?: { id: string | null; text: string };
}

const ABOVE_RULE_TEXT: Record<string, Text> = {
  industry: {
    'zh-CN': '规模以上工业：年主营业务收入 ≥ 2000 万元',
    en: 'Above-scale industry: main-business revenue ≥ 20 million CNY a year',
  },
  construction: {
    'zh-CN': '有资质的建筑业：以是否具有总承包或专业承包资质判定，不看收入',
    en: 'Construction counts when it holds a general or specialised contracting qualification, whatever its revenue',
  },
  wholesale: {
    'zh-CN': '限额以上批发业：年主营业务收入 ≥ 2000 万元',
    en: 'Wholesale above the limit: main-business revenue ≥ 20 million CNY',
  },
  retail: {
    'zh-CN': '限额以上零售业：年主营业务收入 ≥ 500 万元',
    en: 'Retail above the limit: main-business revenue ≥ 5 million CNY',
  },
  hospitality: {
    'zh-CN': '限额以上住宿和餐饮业：年主营业务收入 ≥ 200 万元',
    en: 'Accommodation and catering above the limit: main-business revenue ≥ 2 million CNY',
  },
  real_estate_dev: {
    'zh-CN': '房地产开发经营业：全部法人单位均为「四上」企业',
    en: 'Real-estate development: every legal entity counts',
  },
  services_t1: {
    'zh-CN':
      '规模以上服务业（一档：交通运输、仓储和邮政，信息传输、软件和信息技术服务，水利环境和公共设施管理，卫生）：年营业收入 ≥ 2000 万元',
    en: 'Above-scale services, tier 1 (transport, storage and post; information and software; water, environment and public facilities; health): revenue ≥ 20 million CNY',
  },
  services_t2: {
    'zh-CN':
      '规模以上服务业（二档：租赁和商务服务，科学研究和技术服务，教育，物业管理、房地产中介和租赁等）：年营业收入 ≥ 1000 万元',
    en: 'Above-scale services, tier 2 (leasing and business services; research and technical services; education; property management, agencies and leasing): revenue ≥ 10 million CNY',
  },
  services_t3: {
    'zh-CN': '规模以上服务业（三档：居民服务、修理和其他服务，文化体育和娱乐，社会工作）：年营业收入 ≥ 500 万元',
    en: 'Above-scale services, tier 3 (household and repair services; culture, sports and entertainment; social work): revenue ≥ 5 million CNY',
  },
  services_old: {
    'zh-CN': '规模以上服务业（旧标准）：年营业收入 ≥ 1000 万元或年末从业人员 ≥ 50 人',
    en: 'Above-scale services (old rule): revenue ≥ 10 million CNY or at least 50 employees',
  },
  services_old_t3: {
    'zh-CN': '规模以上服务业（旧标准）：年营业收入 ≥ 500 万元或年末从业人员 ≥ 50 人',
    en: 'Above-scale services (old rule): revenue ≥ 5 million CNY or at least 50 employees',
  },
};

const ABOVE_NONE: Record<'no_code' | 'no_rule', Text> = {
  no_code: {
    'zh-CN': '「其他未列明行业」的规上标准因行业而异（500、1000 或 2000 万元），请填写行业代码后判定。',
    en: 'For "other industries" the above-scale threshold depends on the industry (5, 10 or 20 million CNY); enter an industry code to decide.',
  },
  no_rule: {
    'zh-CN': '该行业没有按收入划定的规上（「四上」）标准，或代码太粗无法判定；如为服务业，请填写行业大类代码。',
    en: 'This industry has no revenue-based above-scale rule, or the code is too coarse to tell; for services, enter a two-digit division code.',
  },
};

function tierOutcome(conditions: { met: boolean | null }[]): Outcome {
  if (conditions.some((c) => c.met === false)) return 'failed';
  if (conditions.some((c) => c.met === null)) return 'unknown';
  return 'met';
}

/** rules.md §2.3 via classifySize, explained tier by tier; 规上 (§2.4) on `today` when mainBusinessRevenue is given. */
export function classify(
  input: SizeInput,
  resolved: Extract<IndustryResolution, { kind: 'group' | 'code' }>,
  locale: Locale,
  today: string,
): SizeAnswer {
  const en = locale === 'en';
  const group = resolved.group;
  const d = classifySize(group, { employees: input.employees, revenue: input.revenue, assets: input.assets });
  const bounds = SIZE_TABLE[group];
  const indicators = Object.keys(bounds) as Indicator[];
  const ind = (i: Indicator) => INDICATOR_TEXT[i].name[locale];
  const sizeName = (s: SizeClass | 'unknown') => SIZE_NAMES[s][locale];
  const sep = en ? ', ' : '，';

  const tiers: SizeAnswer['rule']['tiers'] = [];
  for (const tier of ['large', 'medium', 'small'] as const) {
    const conditions = d.reasons
      .filter((r) => r.tier === tier)
      .map((r) => ({ indicator: r.indicator, value: r.value, bound: r.bound, met: r.met }));
    if (!conditions.length) break;
    const outcome = tierOutcome(conditions);
    const parts = conditions.map((c) =>
      c.value === null
        ? en
          ? `${ind(c.indicator)} not given (needs ≥ ${num(c.bound, locale)})`
          : `${ind(c.indicator)}未填写（须 ≥ ${num(c.bound, locale)}）`
        : `${ind(c.indicator)} ${num(c.value, locale)} ${c.met ? '≥' : '<'} ${num(c.bound, locale)}`,
    );
    const result =
      outcome === 'met'
        ? sizeName(tier)
        : outcome === 'unknown'
          ? en
            ? 'cannot tell'
            : '无法判断'
          : tier === 'small'
            ? en
              ? 'micro (an indicator is below the small bound)'
              : '微型（有指标低于小型下限）'
            : en
              ? `not ${sizeName(tier)}`
              : `不是${sizeName(tier)}`;
    const text = `${en ? `${sizeName(tier)[0]!.toUpperCase()}${sizeName(tier).slice(1)}: ` : `${sizeName(tier)}：`}${parts.join(sep)} → ${result}`;
    tiers.push({ tier, outcome, conditions, text });
    if (outcome !== 'failed') break;
  }

  const missingNames = d.missing.map(ind).join(en ? ', ' : '、');
  const conclusion =
    d.size === 'unknown'
      ? en
        ? `Result: undetermined — enter ${missingNames}.`
        : `结果：无法判定——请补充${missingNames}。`
      : en
        ? `Result: ${sizeName(d.size)}.`
        : `结果：${sizeName(d.size)}。`;
  const code = resolved.code;
  const groupName = GROUP_NAMES[group][locale];
  const heading = code
    ? en
      ? `${code} ${codeName(code)} → size group: ${groupName}.`
      : `${code} ${codeName(code)} → 划型行业：${groupName}。`
    : en
      ? `Size group: ${groupName}.`
      : `划型行业：${groupName}。`;
  const answer: SizeAnswer = {
    size: d.size,
    sizeName: sizeName(d.size),
    rule: {
      standard: STANDARD[locale],
      group,
      groupName,
      industryCode: code,
      industryName: code ? codeName(code) : null,
      principle: PRINCIPLE[locale],
      thresholds: indicators.map((i) => {
        const [large, medium, small] = bounds[i]!;
        return { indicator: i, name: ind(i), unit: INDICATOR_TEXT[i].unit[locale], large, medium, small };
      }),
      tiers,
      text: [heading, ...tiers.map((t) => `${t.text}${en ? '.' : '。'}`), conclusion].join(en ? ' ' : ''),
    },
    missing: d.missing,
  };

  if (input.mainBusinessRevenue !== undefined && input.mainBusinessRevenue !== null) {
    const industryCode = code ?? GROUP_CODE[group];
    if (!industryCode) {
      answer.aboveScale = null;
      answer.aboveScaleRule = { id: null, text: ABOVE_NONE.no_code[locale] };
    } else {
      const a = aboveScale(
        { industryCode, revenueWan: input.mainBusinessRevenue, employees: input.employees ?? null },
        today,
        ABOVE_SCALE_RULES,
      );
      answer.aboveScale = a.above;
      if (!a.rule) answer.aboveScaleRule = { id: null, text: ABOVE_NONE.no_rule[locale] };
      else {
        const base = ABOVE_RULE_TEXT[a.rule.id]?.[locale] ?? a.rule.source;
        const verdict =
          a.above === null
            ? en
              ? 'cannot tell'
              : '无法判断'
            : a.above
              ? en
                ? 'above scale'
                : '规上'
              : en
                ? 'below scale'
                : '规下';
        const detail =
          a.rule.revenueWan === null
            ? verdict
            : `${en ? 'main-business revenue' : '主营业务收入'} ${num(input.mainBusinessRevenue, locale)} ${input.mainBusinessRevenue >= a.rule.revenueWan ? '≥' : '<'} ${num(a.rule.revenueWan, locale)} → ${verdict}`;
        answer.aboveScaleRule = { id: a.rule.id, text: `${base}${en ? ' (' : '（'}${detail}${en ? ')' : '）'}` };
      }
    }
  }
  return answer;
}
