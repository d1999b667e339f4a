/**
 * Enterprise size (大型/中型/小型/微型) per 统计上大中小微型企业划分办法（2017）(国统字〔2017〕213号) and 规模以上
 * (「四上」) thresholds. Source: ../shared/domain/rules.md §2.1 (table), §2.2 (rules: large/medium/small need
 * every listed lower bound, otherwise one tier down; micro needs only one indicator), §2.3 (algorithm; a missing
 * indicator that could decide the tier gives UNKNOWN), §2.4 (规上 thresholds, stored with validity dates).
 * Industry groups from GB/T 4754-2017 codes: docs/decisions/0009-enterprise-size.md.
 */

export type Indicator = 'employees' | 'revenue' | 'assets';
export type SizeClass = 'large' | 'medium' | 'small' | 'micro';

export const SIZE_GROUPS = [
  'agriculture',
  'industry',
  'construction',
  'wholesale',
  'retail',
  'transport',
  'warehousing',
  'postal',
  'accommodation',
  'catering',
  'information_transmission',
  'software_it',
  'real_estate_development',
  'property_management',
  'leasing_business',
  'other',
] as const;
export type SizeGroup = (typeof SIZE_GROUPS)[number];

type Bounds = Partial<Record<Indicator, [large: number, medium: number, small: number]>>;

/** §2.1 lower bounds (X persons, Y and Z in 万元) for large, medium, small. */
export const SIZE_TABLE: Record<SizeGroup, Bounds> = {
  agriculture: { revenue: [20000, 500, 50] },
  industry: { employees: [1000, 300, 20], revenue: [40000, 2000, 300] },
  construction: { revenue: [80000, 6000, 300], assets: [80000, 5000, 300] },
  wholesale: { employees: [200, 20, 5], revenue: [40000, 5000, 1000] },
  retail: { employees: [300, 50, 10], revenue: [20000, 500, 100] },
  transport: { employees: [1000, 300, 20], revenue: [30000, 3000, 200] },
  warehousing: { employees: [200, 100, 20], revenue: [30000, 1000, 100] },
  postal: { employees: [1000, 300, 20], revenue: [30000, 2000, 100] },
  accommodation: { employees: [300, 100, 10], revenue: [10000, 2000, 100] },
  catering: { employees: [300, 100, 10], revenue: [10000, 2000, 100] },
  information_transmission: { employees: [2000, 100, 10], revenue: [100000, 1000, 100] },
  software_it: { employees: [300, 100, 10], revenue: [10000, 1000, 50] },
  real_estate_development: { revenue: [200000, 1000, 100], assets: [10000, 5000, 2000] },
  property_management: { employees: [1000, 300, 100], revenue: [5000, 1000, 500] },
  leasing_business: { employees: [300, 100, 10], assets: [120000, 8000, 100] },
  other: { employees: [300, 100, 10] },
};

/**
 * The size group of a GB/T 4754-2017 code (section letter + digits, e.g. "C3411" or "C34"). §2.2 附注:
 * 工业 = B, C, D; 交通运输 = G54–G58 and 装卸搬运 G591 (not 铁路 G53); 仓储 = G59 other than G591; 邮政 = G60; 信息传输 = I63, I64; K701 房地产开发,
 * K702 物业管理; 自有房地产经营 (K704) and 铁路运输 fall to "other" here.
 */
export function sizeGroupOf(industryCode: string): SizeGroup {
  const c = industryCode.trim().toUpperCase();
  const section = c[0];
  const div = Number(c.slice(1, 3));
  switch (section) {
    case 'A':
      return 'agriculture';
    case 'B':
    case 'C':
    case 'D':
      return 'industry';
    case 'E':
      return 'construction';
    case 'F':
      return div === 51 ? 'wholesale' : div === 52 ? 'retail' : 'other';
    case 'G':
      if ((div >= 54 && div <= 58) || c.startsWith('G591')) return 'transport';
      if (div === 59) return 'warehousing';
      if (div === 60) return 'postal';
      return 'other';
    case 'H':
      return div === 61 ? 'accommodation' : div === 62 ? 'catering' : 'other';
    case 'I':
      return div === 63 || div === 64 ? 'information_transmission' : div === 65 ? 'software_it' : 'other';
    case 'K':
      if (c.startsWith('K701')) return 'real_estate_development';
      if (c.startsWith('K702')) return 'property_management';
      return 'other';
    case 'L':
      return 'leasing_business';
    default:
      return 'other';
  }
}

export interface SizeFacts {
  employees?: number | null;
  revenue?: number | null;
  assets?: number | null;
}

export interface SizeDecision {
  size: SizeClass | 'unknown';
  group: SizeGroup;
  /** Which indicators decided it, for display: e.g. "工业：X=1500≥1000 但 Y=1000<2000 → 小型". */
  reasons: { tier: SizeClass; indicator: Indicator; value: number | null; bound: number; met: boolean | null }[];
  missing: Indicator[];
}

const TIERS: Exclude<SizeClass, 'micro'>[] = ['large', 'medium', 'small'];

/** §2.3: the first tier whose every lower bound is met; micro when small fails on any indicator. */
export function classifySize(group: SizeGroup, facts: SizeFacts): SizeDecision {
  const bounds = SIZE_TABLE[group];
  const indicators = Object.keys(bounds) as Indicator[];
  const reasons: SizeDecision['reasons'] = [];
  const missing = indicators.filter((i) => facts[i] === null || facts[i] === undefined);
  for (const [t, tier] of TIERS.entries()) {
    let failed = false;
    let unknown = false;
    for (const ind of indicators) {
      const bound = bounds[ind]![t]!;
      const value = facts[ind] ?? null;
      const met = value === null ? null : value >= bound;
      reasons.push({ tier, indicator: ind, value, bound, met });
      if (met === false) failed = true;
      if (met === null) unknown = true;
    }
    if (!failed && !unknown) return { size: tier, group, reasons, missing };
    if (!failed && unknown) return { size: 'unknown', group, reasons, missing };
  }
  return { size: 'micro', group, reasons, missing };
}

// ---- 规模以上 (§2.4) -------------------------------------------------------------------------------------

export interface AboveScaleRule {
  id: string;
  /** Applies to these size groups (and optional GB/T 4754 section/division prefixes for services). */
  groups?: SizeGroup[];
  codePrefixes?: string[];
  /** 年主营业务收入 / 年营业收入 threshold in 万元 (≥), or null when another test applies. */
  revenueWan: number | null;
  /** Alternative: year-end employees (≥), for the old services rule. */
  employees?: number;
  /** Construction: holds a 总承包 or 专业承包 qualification. */
  needsConstructionQualification?: boolean;
  /** Real-estate development: every legal entity counts. */
  always?: boolean;
  validFrom: string;
  validTo: string | null;
  source: string;
}

/**
 * §2.4. The tiered services rule (2000/1000/500) replaced "1000万 or 50 persons"; the year is not confirmed
 * (§10 item 4). We date the change 2020-01-01 (docs/decisions/0009-enterprise-size.md); both are data.
 */
export const ABOVE_SCALE_RULES: AboveScaleRule[] = [
  {
    id: 'industry',
    groups: ['industry'],
    revenueWan: 2000,
    validFrom: '2011-01-01',
    validTo: null,
    source: '规模以上工业 ≥ 2000万元',
  },
  {
    id: 'construction',
    groups: ['construction'],
    revenueWan: null,
    needsConstructionQualification: true,
    validFrom: '2011-01-01',
    validTo: null,
    source: '有资质的建筑业',
  },
  {
    id: 'wholesale',
    groups: ['wholesale'],
    revenueWan: 2000,
    validFrom: '2011-01-01',
    validTo: null,
    source: '限额以上批发业 ≥ 2000万元',
  },
  {
    id: 'retail',
    groups: ['retail'],
    revenueWan: 500,
    validFrom: '2011-01-01',
    validTo: null,
    source: '限额以上零售业 ≥ 500万元',
  },
  {
    id: 'hospitality',
    groups: ['accommodation', 'catering'],
    revenueWan: 200,
    validFrom: '2011-01-01',
    validTo: null,
    source: '限额以上住宿和餐饮业 ≥ 200万元',
  },
  {
    id: 'real_estate_dev',
    groups: ['real_estate_development'],
    revenueWan: null,
    always: true,
    validFrom: '2011-01-01',
    validTo: null,
    source: '房地产开发经营业：全部法人单位',
  },
  {
    id: 'services_t1',
    codePrefixes: ['G', 'I', 'N', 'Q84'],
    revenueWan: 2000,
    validFrom: '2020-01-01',
    validTo: null,
    source: '规模以上服务业 一档 ≥ 2000万元',
  },
  {
    id: 'services_t2',
    codePrefixes: ['L', 'M', 'P', 'K702', 'K703', 'K704', 'K709'],
    revenueWan: 1000,
    validFrom: '2020-01-01',
    validTo: null,
    source: '规模以上服务业 二档 ≥ 1000万元',
  },
  {
    id: 'services_t3',
    codePrefixes: ['O', 'R', 'Q85'],
    revenueWan: 500,
    validFrom: '2020-01-01',
    validTo: null,
    source: '规模以上服务业 三档 ≥ 500万元',
  },
  {
    id: 'services_old',
    codePrefixes: ['G', 'I', 'L', 'M', 'N', 'Q', 'K702', 'K703', 'K709'],
    revenueWan: 1000,
    employees: 50,
    validFrom: '2011-01-01',
    validTo: '2019-12-31',
    source: '规模以上服务业（旧）≥ 1000万元 或 ≥ 50人',
  },
  {
    id: 'services_old_t3',
    codePrefixes: ['O', 'R'],
    revenueWan: 500,
    employees: 50,
    validFrom: '2011-01-01',
    validTo: '2019-12-31',
    source: '规模以上服务业（旧）≥ 500万元 或 ≥ 50人',
  },
];

export interface AboveScaleFacts {
  industryCode: string;
  revenueWan?: number | null;
  employees?: number | null;
  hasConstructionQualification?: boolean | null;
}

/** 规上 on a date: true / false, or null when a needed fact is missing or no rule covers the industry. */
export function aboveScale(
  f: AboveScaleFacts,
  onDate: string,
  rules: AboveScaleRule[] = ABOVE_SCALE_RULES,
): { above: boolean | null; rule: AboveScaleRule | null } {
  const code = f.industryCode.toUpperCase();
  const group = sizeGroupOf(code);
  const rule =
    rules.find(
      (r) =>
        r.validFrom <= onDate &&
        (r.validTo === null || onDate <= r.validTo) &&
        (r.groups?.includes(group) || r.codePrefixes?.some((p) => code.startsWith(p))),
    ) ?? null;
  if (!rule) return { above: null, rule: null };
  if (rule.always) return { above: true, rule };
  if (rule.needsConstructionQualification) return { above: f.hasConstructionQualification ?? null, rule };
  const byRevenue = f.revenueWan === null || f.revenueWan === undefined ? null : f.revenueWan >= rule.revenueWan!;
  const byEmployees =
    rule.employees === undefined
      ? false
      : f.employees === null || f.employees === undefined
        ? null
        : f.employees >= rule.employees;
  if (byRevenue === true || byEmployees === true) return { above: true, rule };
  if (byRevenue === null || byEmployees === null) return { above: null, rule };
  return { above: false, rule };
}
