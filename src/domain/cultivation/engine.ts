/**
 * 优质中小企业梯度培育 assessment (工信部企业〔2022〕63号; ../shared/domain/rules.md §3.1–3.3): one pure engine for a
 * firm typed in by hand (the public calculator), for one firm's facts row and for the whole population.
 *
 * - Score bands follow a named, configurable boundary rule (`boundaryPolicy`, rules.md header and §10 gap 3):
 *   `favourable` (default) evaluates bands from the best one down and the first whose bound is met wins, so a value
 *   on a band edge gets the better score; `unfavourable` puts an edge value in the worse band.
 * - Thresholds written 「以上」 in the conditions (≥ 2年, ≥ 100万元, ≥ 3% …) include the number (民法典 第1259条); the
 *   boundary rule does not touch them.
 * - A fact the verdict needs and that was not given makes the verdict `null` (unknown) and is listed in `missing`;
 *   a verdict that cannot change whatever the missing facts are is given.
 * - The 特色化 indicators of §3.2 item 9 are data per province (`LocalIndicatorSet`), or a ready `localScore`.
 */
import type { FactKey, Tier, TierFacts } from './facts.ts';

export type BoundaryPolicy = 'favourable' | 'unfavourable';
export const BOUNDARY_POLICIES: readonly BoundaryPolicy[] = ['favourable', 'unfavourable'];
export const DEFAULT_BOUNDARY_POLICY: BoundaryPolicy = 'favourable';

/** Tolerance for ratios computed from amounts (1.15 / 1 − 1 is not exactly 0.15 in binary floating point). */
const EPS = 1e-9;

/** One 特色化 indicator of a province: a fact in `facts.local[id]`, scored by bands (higher is better). */
export interface LocalIndicator {
  id: string;
  name: { 'zh-CN': string; en: string };
  /** `ratio` (fraction), `amount` (万元), `count`, `flag` (1 / 0) */
  unit: 'ratio' | 'amount' | 'count' | 'flag';
  /** [lower bound, points], best band first */
  bands: [number, number][];
}
export interface LocalIndicatorSet {
  /** two-digit province code */
  province: string;
  name: { 'zh-CN': string; en: string };
  /** 1–3 indicators whose points together are at most 15 */
  indicators: LocalIndicator[];
  /** where the set comes from; `example` marks a demonstration set that is not an official text */
  source: string;
}

export interface AssessOptions {
  boundaryPolicy?: BoundaryPolicy;
  /** province sets of 特色化 indicators (§3.2 item 9) */
  localIndicators?: readonly LocalIndicatorSet[];
}

export interface ItemResult {
  id: string;
  category: string;
  /** null when a fact it needs is missing */
  points: number | null;
  max: number;
}

export type ConditionKind = 'required' | 'score' | 'direct' | 'fast_track';
export interface ConditionResult {
  id: string;
  kind: ConditionKind;
  met: boolean | null;
  /** the firm's value (a fraction, 万元, years, points, or a flag) */
  value: number | boolean | string | null;
  /** the bound the value is compared with */
  required: number | boolean | string | null;
  /** `gte`: value ≥ required; `lte`: value ≤ required; `eq`: a flag or a class */
  op: 'gte' | 'lte' | 'eq';
  /** relative shortfall 0…1 when not met (0.3 = 30% short), null when met or unknown */
  gap: number | null;
}

export interface CategoryResult {
  points: number | null;
  max: number;
  min: number | null;
  met: boolean | null;
}

export interface Assessment {
  tier: Tier;
  eligible: boolean | null;
  route: 'score' | 'direct' | null;
  score: number | null;
  categories: Record<string, CategoryResult>;
  items: ItemResult[];
  missing: FactKey[];
  conditions: ConditionResult[];
  boundaryPolicy: BoundaryPolicy;
}

// ---- tri-state logic ---------------------------------------------------------------------------------------

type Tri = boolean | null;
const and = (...v: Tri[]): Tri => (v.includes(false) ? false : v.includes(null) ? null : true);
const or = (...v: Tri[]): Tri => (v.includes(true) ? true : v.includes(null) ? null : false);

// ---- bands -------------------------------------------------------------------------------------------------

/** Higher is better: bands [lower bound, points], best first. */
export function bandHigh(v: number, bands: readonly [number, number][], policy: BoundaryPolicy): number {
  for (const [bound, pts] of bands) {
    if (policy === 'favourable' ? v >= bound - EPS : v > bound + EPS) return pts;
  }
  return 0;
}
/** Lower is better: bands [upper bound, points], best first. */
export function bandLow(v: number, bands: readonly [number, number][], policy: BoundaryPolicy): number {
  for (const [bound, pts] of bands) {
    if (policy === 'favourable' ? v <= bound + EPS : v < bound - EPS) return pts;
  }
  return 0;
}

const ge = (v: number, b: number) => v >= b - EPS;
const le = (v: number, b: number) => v <= b + EPS;

// ---- the tables of rules.md §3.1 and §3.2 -------------------------------------------------------------------

export const INNOVATIVE = {
  ip: { high_value_i: 20, self_developed_i: 15, i: 10, ii: 5, none: 0 },
  rdIntensity: [
    [0.05, 20],
    [0.03, 15],
    [0.02, 10],
    [0.01, 5],
  ],
  growth: [
    [0.15, 20],
    [0.1, 15],
    [0.05, 10],
    [0, 5],
  ],
  debt: [
    [0.55, 10],
    [0.75, 5],
  ],
  mainShare: [
    [0.7, 20],
    [0.6, 15],
    [0.55, 10],
    [0.5, 5],
  ],
  minimums: { innovation: 20, growth: 15, specialisation: 15 },
  pass: 60,
} as const satisfies Record<string, unknown>;

export const SRDI = {
  mainShare: [
    [0.8, 5],
    [0.7, 3],
    [0.6, 1],
  ],
  growth2y: [
    [0.1, 10],
    [0.08, 8],
    [0.06, 6],
    [0.04, 4],
    [0, 2],
  ],
  productField: { key_chain: 5, six_basics: 3, other: 0 },
  netMargin: [
    [0.1, 10],
    [0.08, 8],
    [0.06, 6],
    [0.04, 4],
    [0.02, 2],
  ],
  debt: [
    [0.5, 5],
    [0.6, 3],
    [0.7, 1],
  ],
  ip: { high_value_i: 10, self_developed_i: 8, i: 6, ii: 2, none: 0 },
  rdAmount: [
    [500, 10],
    [400, 8],
    [300, 6],
    [200, 4],
    [100, 2],
  ],
  rdRatio: [
    [0.1, 10],
    [0.08, 8],
    [0.06, 6],
    [0.04, 4],
    [0.03, 2],
  ],
  rdStaff: [
    [0.2, 5],
    [0.1, 3],
    [0.05, 1],
  ],
  rdInstitution: { national: 10, provincial: 8, municipal: 4, below_municipal: 2, none: 0 },
  pass: 60,
} as const;

/** The 小巨人 R&D bands of §3.3 by last year's revenue (万元). */
export const LITTLE_GIANT = {
  upperRevenue: 10000,
  lowerRevenue: 5000,
  upperIntensity: 0.03,
  middleIntensity: 0.06,
  lowerEquity2y: 8000,
  lowerRdTotal2y: 3000,
  lowerRdStaff: 0.5,
  nicheYears: 3,
  mainShare: 0.7,
  growth2y: 0.05,
  debt: 0.7,
  marketShare: 0.1,
  classICount: 2,
} as const;

type Bands = readonly (readonly [number, number])[];

// ---- evaluation context ------------------------------------------------------------------------------------

class Ctx {
  readonly missing = new Set<FactKey>();
  readonly items: ItemResult[] = [];
  readonly conditions: ConditionResult[] = [];
  constructor(
    readonly f: TierFacts,
    readonly policy: BoundaryPolicy,
    readonly opts: AssessOptions,
  ) {}

  /** The value of a fact; records it as missing when absent (undefined, or NaN). */
  get<K extends FactKey>(k: K): TierFacts[K] | undefined {
    const v = this.f[k];
    if (v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
      this.missing.add(k);
      return undefined;
    }
    return v;
  }
  num(k: FactKey): number | undefined {
    return this.get(k) as number | undefined;
  }
  ratio(a: FactKey, b: FactKey): number | undefined {
    const x = this.num(a);
    const y = this.num(b);
    if (x === undefined || y === undefined) return undefined;
    return y > 0 ? x / y : 0;
  }
  high(v: number | undefined, bands: Bands): number | null {
    return v === undefined ? null : bandHigh(v, bands as [number, number][], this.policy);
  }
  low(v: number | undefined, bands: Bands): number | null {
    return v === undefined ? null : bandLow(v, bands as [number, number][], this.policy);
  }
  item(id: string, category: string, points: number | null, max: number) {
    this.items.push({ id, category, points, max });
    return points;
  }
  /** value ≥ required (or ≤ with op lte); a flag when required is boolean */
  cond(
    id: string,
    kind: ConditionKind,
    value: number | boolean | string | null | undefined,
    required: number | boolean | string,
    op: 'gte' | 'lte' | 'eq' = 'gte',
  ): Tri {
    let met: Tri = null;
    let gap: number | null = null;
    const v = value === undefined ? null : value;
    if (v !== null) {
      if (op === 'eq') met = v === required;
      else if (op === 'gte') met = ge(v as number, required as number);
      else met = le(v as number, required as number);
      if (!met) {
        if (op === 'eq') gap = 1;
        else if (op === 'gte')
          gap =
            (required as number) > 0 ? Math.min(1, ((required as number) - (v as number)) / (required as number)) : 1;
        else
          gap =
            (required as number) > 0 ? Math.min(1, ((v as number) - (required as number)) / (required as number)) : 1;
        gap = Math.round(gap * 10000) / 10000;
      }
    }
    this.conditions.push({ id, kind, met, value: v, required, op, gap });
    return met;
  }
  /** a condition whose verdict is computed elsewhere (score ranges with unknown items) */
  condTri(id: string, kind: ConditionKind, met: Tri, value: number | null, required: number) {
    const gap = met === false && value !== null ? Math.round(((required - value) / required) * 10000) / 10000 : null;
    this.conditions.push({ id, kind, met, value, required, op: 'gte', gap });
    return met;
  }
}

/** Sum of known points, the best case (unknown items at their max), and whether all were known. */
function range(items: ItemResult[]) {
  let low = 0;
  let high = 0;
  let known = true;
  for (const i of items) {
    if (i.points === null) {
      known = false;
      high += i.max;
    } else {
      low += i.points;
      high += i.points;
    }
  }
  return { low, high, known };
}
const atLeast = (r: { low: number; high: number }, min: number): Tri =>
  r.low >= min ? true : r.high < min ? false : null;

function category(items: ItemResult[], cat: string, max: number, min: number | null): CategoryResult & { tri: Tri } {
  const r = range(items.filter((i) => i.category === cat));
  const tri = min === null ? true : atLeast(r, min);
  return { points: r.known ? r.low : null, max, min, met: min === null ? null : tri, tri };
}

function awardWithin3y(
  a: TierFacts['stAward'] | undefined,
  level: 'national' | 'provincial' | 'any',
  maxRank?: number,
) {
  if (a === undefined) return null;
  if (a === null) return false;
  if (!(a.yearsAgo <= 3)) return false;
  if (level === 'any' ? a.level !== 'national' && a.level !== 'provincial' : a.level !== level) return false;
  return maxRank === undefined || a.rank <= maxRank;
}

// ---- §3.1 创新型中小企业 ------------------------------------------------------------------------------------------

function innovative(c: Ctx) {
  const T = INNOVATIVE;
  const ip = c.get('ipClass');
  c.item('ip', 'innovation', ip === undefined ? null : T.ip[ip], 20);
  c.item('rd_intensity', 'innovation', c.high(c.ratio('rdExpense', 'revenue'), T.rdIntensity), 20);
  c.item('main_business_growth', 'growth', c.high(c.num('mainBusinessGrowth'), T.growth), 20);
  c.item('debt_ratio', 'growth', c.low(c.num('debtRatio'), T.debt), 10);
  const se = c.get('strategicEmerging');
  c.item('product_field', 'specialisation', se === undefined ? null : se ? 10 : 5, 10);
  c.item('main_business_share', 'specialisation', c.high(c.ratio('mainBusinessRevenue', 'revenue'), T.mainShare), 20);

  const cats = {
    innovation: category(c.items, 'innovation', 40, T.minimums.innovation),
    growth: category(c.items, 'growth', 30, T.minimums.growth),
    specialisation: category(c.items, 'specialisation', 30, T.minimums.specialisation),
  };
  const total = range(c.items);
  const scoreOk = and(
    c.condTri('score', 'score', atLeast(total, T.pass), total.known ? total.low : null, T.pass),
    c.condTri('category_innovation', 'score', cats.innovation.tri, cats.innovation.points, T.minimums.innovation),
    c.condTri('category_growth', 'score', cats.growth.tri, cats.growth.points, T.minimums.growth),
    c.condTri(
      'category_specialisation',
      'score',
      cats.specialisation.tri,
      cats.specialisation.points,
      T.minimums.specialisation,
    ),
  );
  const award = awardWithin3y(c.get('stAward'), 'any');
  const inst = c.get('rdInstitution');
  const direct = or(
    c.cond('direct_st_award', 'direct', award, true, 'eq'),
    c.cond('direct_valid_honour', 'direct', c.get('validHonour'), true, 'eq'),
    c.cond(
      'direct_rd_institution',
      'direct',
      inst === undefined ? undefined : inst === 'national' || inst === 'provincial',
      true,
      'eq',
    ),
    c.cond('direct_equity_3y', 'direct', c.num('equityFinancing3y'), 500),
  );
  return finish(c, 'innovative_sme', or(scoreOk, direct), scoreOk, direct, total, strip(cats));
}

// ---- §3.2 专精特新中小企业 ------------------------------------------------------------------------------------------

function localPoints(c: Ctx): number | null {
  const given = c.f.localScore;
  if (given !== undefined && !Number.isNaN(given)) return Math.max(0, Math.min(15, given));
  const province = c.f.province?.slice(0, 2);
  const set = province ? c.opts.localIndicators?.find((s) => s.province === province) : undefined;
  if (!set || !c.f.local) {
    c.missing.add('localScore');
    return null;
  }
  let sum = 0;
  for (const ind of set.indicators) {
    const v = c.f.local[ind.id];
    if (v === undefined || Number.isNaN(v)) {
      c.missing.add('local');
      return null;
    }
    sum += bandHigh(v, ind.bands, c.policy);
  }
  return Math.min(15, sum);
}

function srdi(c: Ctx) {
  const T = SRDI;
  const rd = c.num('rdExpense');
  const rdRatio = c.ratio('rdExpense', 'revenue');
  const niche = c.num('nicheYears');
  c.item('main_business_share', 'specialisation', c.high(c.ratio('mainBusinessRevenue', 'revenue'), T.mainShare), 5);
  c.item('main_business_growth_2y', 'specialisation', c.high(c.num('mainBusinessGrowth2y'), T.growth2y), 10);
  c.item(
    'niche_years',
    'specialisation',
    niche === undefined ? null : Math.max(0, Math.min(5, Math.floor(niche / 2 + EPS))),
    5,
  );
  const pf = c.get('productField');
  c.item('product_field', 'specialisation', pf === undefined ? null : T.productField[pf], 5);
  const dl = c.num('digitalLevel');
  c.item('digital_level', 'refinement', dl === undefined ? null : dl >= 3 ? 5 : dl >= 2 ? 3 : 0, 5);
  const qi = c.num('qualityItems');
  c.item('quality', 'refinement', qi === undefined ? null : Math.min(5, 3 * Math.max(0, Math.floor(qi))), 5);
  c.item('net_margin', 'refinement', c.high(c.num('netMargin'), T.netMargin), 10);
  c.item('debt_ratio', 'refinement', c.low(c.num('debtRatio'), T.debt), 5);
  c.item('local', 'characteristic', localPoints(c), 15);
  const ip = c.get('ipClass');
  c.item('ip', 'innovation', ip === undefined ? null : T.ip[ip], 10);
  const byAmount = rd === undefined ? null : bandHigh(rd, T.rdAmount as unknown as [number, number][], c.policy);
  const byRatio =
    rdRatio === undefined ? null : bandHigh(rdRatio, T.rdRatio as unknown as [number, number][], c.policy);
  // take the better of the amount and the ratio paths; one known path that already gives 10 is enough
  const rdPts =
    byAmount === null && byRatio === null
      ? null
      : byAmount === null
        ? byRatio === 10
          ? 10
          : null
        : byRatio === null
          ? byAmount === 10
            ? 10
            : null
          : Math.max(byAmount, byRatio);
  c.item('rd_input', 'innovation', rdPts, 10);
  c.item('rd_staff', 'innovation', c.high(c.num('rdStaffRatio'), T.rdStaff), 5);
  const inst = c.get('rdInstitution');
  c.item('rd_institution', 'innovation', inst === undefined ? null : T.rdInstitution[inst], 10);

  const cats = {
    specialisation: category(c.items, 'specialisation', 25, null),
    refinement: category(c.items, 'refinement', 25, null),
    characteristic: category(c.items, 'characteristic', 15, null),
    innovation: category(c.items, 'innovation', 35, null),
  };
  const total = range(c.items);

  // conditions 1–3
  const revenue = c.num('revenue');
  const revenueOk =
    revenue === undefined
      ? c.cond('revenue', 'required', undefined, 1000)
      : ge(revenue, 1000)
        ? c.cond('revenue', 'required', revenue, 1000)
        : c.cond('equity_2y_small_revenue', 'required', c.num('equityFinancing2y'), 2000);
  const general = and(
    c.cond('niche_years', 'required', niche, 2),
    c.cond('rd_expense', 'required', rd, 100),
    c.cond('rd_intensity', 'required', rdRatio, 0.03),
    revenueOk,
  );
  // condition 4: the score, or one direct route
  const scoreOk = c.condTri('score', 'score', atLeast(total, T.pass), total.known ? total.low : null, T.pass);
  const a = c.get('stAward');
  const award = or(awardWithin3y(a, 'provincial', 3), awardWithin3y(a, 'national', 5));
  const prev = c.num('rdExpensePrev');
  const maker = c.get('makerChinaTop');
  const direct = or(
    c.cond('direct_st_award', 'direct', award, true, 'eq'),
    c.cond('direct_rd_avg_2y', 'direct', rd === undefined || prev === undefined ? undefined : (rd + prev) / 2, 1000),
    c.cond('direct_equity_2y', 'direct', c.num('equityFinancing2y'), 6000),
    c.cond('direct_maker_china', 'direct', maker === undefined ? undefined : maker === 50 || maker === 500, true, 'eq'),
  );
  return finish(c, 'srdi_sme', and(general, or(scoreOk, direct)), scoreOk, direct, total, strip(cats));
}

// ---- §3.3 小巨人 ------------------------------------------------------------------------------------------------

function littleGiant(c: Ctx) {
  const T = LITTLE_GIANT;
  const flag = (k: FactKey) => c.get(k) as boolean | undefined;
  const spec = and(
    c.cond('niche_years', 'required', c.num('nicheYears'), T.nicheYears),
    c.cond('main_business_share', 'required', c.ratio('mainBusinessRevenue', 'revenue'), T.mainShare),
    c.cond('main_business_growth_2y', 'required', c.num('mainBusinessGrowth2y'), T.growth2y),
  );
  const refine = and(
    c.cond('core_business_info_system', 'required', flag('coreBusinessInfoSystem'), true, 'eq'),
    c.cond('certification', 'required', flag('certification'), true, 'eq'),
    c.cond('debt_ratio', 'required', c.num('debtRatio'), T.debt, 'lte'),
  );
  const special = and(
    c.cond('market_share', 'required', c.num('marketShare'), T.marketShare),
    c.cond('own_brand', 'required', flag('ownBrand'), true, 'eq'),
  );
  // 新: the R&D band by last year's revenue (the boundary rule decides an edge revenue: favourable → the upper band)
  const revenue = c.num('revenue');
  let rdBand: Tri = null;
  let band: 'upper' | 'middle' | 'lower' | null = null;
  if (revenue !== undefined) {
    const inBand = (b: number) => (c.policy === 'favourable' ? ge(revenue, b) : revenue > b + EPS);
    band = inBand(T.upperRevenue) ? 'upper' : inBand(T.lowerRevenue) ? 'middle' : 'lower';
  }
  if (band === 'upper' || band === 'middle') {
    const need = band === 'upper' ? T.upperIntensity : T.middleIntensity;
    rdBand = and(
      c.cond(`rd_intensity_${band}`, 'required', c.ratio('rdExpense', 'revenue'), need),
      c.cond(`rd_intensity_prev_${band}`, 'required', c.ratio('rdExpensePrev', 'revenuePrev'), need),
    );
  } else if (band === 'lower') {
    const rd = c.num('rdExpense');
    const prev = c.num('rdExpensePrev');
    rdBand = and(
      c.cond('equity_2y_lower', 'required', c.num('equityFinancing2y'), T.lowerEquity2y),
      c.cond(
        'rd_total_2y_lower',
        'required',
        rd === undefined || prev === undefined ? undefined : rd + prev,
        T.lowerRdTotal2y,
      ),
      c.cond('rd_staff_lower', 'required', c.num('rdStaffRatio'), T.lowerRdStaff),
    );
  } else {
    c.cond('revenue', 'required', undefined, T.lowerRevenue);
  }
  const inst = c.get('rdInstitution');
  const generalInnovation = and(
    rdBand,
    c.cond('rd_institution', 'required', inst === undefined ? undefined : inst !== 'none', true, 'eq'),
    c.cond('class_i_ip_count', 'required', c.num('classIIpCount'), T.classICount),
  );
  const maker = c.get('makerChinaTop');
  const fastTrack = or(
    c.cond('fast_track_st_award', 'fast_track', awardWithin3y(c.get('stAward'), 'national', 3), true, 'eq'),
    c.cond('fast_track_maker_china_50', 'fast_track', maker === undefined ? undefined : maker === 50, true, 'eq'),
  );
  const chain = c.cond('key_chain_role', 'required', flag('keyChainRole'), true, 'eq');
  const field = c.cond('priority_field', 'required', flag('priorityField'), true, 'eq');
  const innovation = or(generalInnovation, fastTrack);
  const aspects = { specialisation: spec, refinement: refine, characteristic: special, innovation, chain, field };
  const categories: Record<string, CategoryResult> = {};
  for (const [k, v] of Object.entries(aspects)) categories[k] = { points: null, max: 1, min: null, met: v };
  for (const [k, v] of Object.entries(aspects)) c.item(k, k, v === null ? null : v ? 1 : 0, 1);
  const eligible = and(spec, refine, special, innovation, chain, field);
  const route = eligible === true ? (generalInnovation === true ? 'score' : 'direct') : null;
  return result(c, 'little_giant', eligible, route, null, categories);
}

// ---- common ------------------------------------------------------------------------------------------------

function strip(cats: Record<string, CategoryResult & { tri: Tri }>): Record<string, CategoryResult> {
  const out: Record<string, CategoryResult> = {};
  for (const [k, { tri: _t, ...v }] of Object.entries(cats)) out[k] = v;
  return out;
}

function finish(
  c: Ctx,
  tier: Tier,
  eligible: Tri,
  scoreOk: Tri,
  direct: Tri,
  total: { low: number; known: boolean },
  categories: Record<string, CategoryResult>,
) {
  const route = eligible === true ? (scoreOk === true ? 'score' : direct === true ? 'direct' : 'score') : null;
  return result(c, tier, eligible, route, total.known ? total.low : null, categories);
}

/** Fact keys in the order of the calculator's documentation. */
const FACT_ORDER: FactKey[] = [
  'ipClass',
  'classIIpCount',
  'revenue',
  'revenuePrev',
  'mainBusinessRevenue',
  'rdExpense',
  'rdExpensePrev',
  'mainBusinessGrowth',
  'mainBusinessGrowth2y',
  'debtRatio',
  'netMargin',
  'strategicEmerging',
  'nicheYears',
  'productField',
  'digitalLevel',
  'qualityItems',
  'localScore',
  'local',
  'rdStaffRatio',
  'rdInstitution',
  'equityFinancing2y',
  'equityFinancing3y',
  'stAward',
  'validHonour',
  'makerChinaTop',
  'marketShare',
  'ownBrand',
  'coreBusinessInfoSystem',
  'certification',
  'keyChainRole',
  'priorityField',
];

function result(
  c: Ctx,
  tier: Tier,
  eligible: Tri,
  route: 'score' | 'direct' | null,
  score: number | null,
  categories: Record<string, CategoryResult>,
): Assessment {
  return {
    tier,
    eligible,
    route,
    score,
    categories,
    items: c.items,
    missing: FACT_ORDER.filter((k) => c.missing.has(k)),
    conditions: c.conditions,
    boundaryPolicy: c.policy,
  };
}

export function assessTier(tier: Tier, facts: TierFacts, opts: AssessOptions = {}): Assessment {
  const c = new Ctx(facts, opts.boundaryPolicy ?? DEFAULT_BOUNDARY_POLICY, opts);
  if (tier === 'innovative_sme') return innovative(c);
  if (tier === 'srdi_sme') return srdi(c);
  return littleGiant(c);
}

// ---- near-misses -------------------------------------------------------------------------------------------

export interface Shortfall {
  id: string;
  value: number | boolean | string | null;
  required: number | boolean | string | null;
  op: ConditionResult['op'];
  gap: number;
}

/**
 * What a firm that is not eligible lacks: the failing conditions of the cheapest way in (the score route or the
 * direct routes, whichever lacks less), and their total relative gap (the ranking key: smaller = closer).
 */
export function shortfallsOf(a: Assessment): { shortfalls: Shortfall[]; gap: number } | null {
  if (a.eligible !== false) return null;
  const failing = (kinds: ConditionKind[]) =>
    a.conditions
      .filter((x) => kinds.includes(x.kind) && x.met === false)
      .map((x) => ({ id: x.id, value: x.value, required: x.required, op: x.op, gap: x.gap ?? 1 }));
  const required = failing(['required']);
  const scorePart = failing(['score']);
  const directs = a.conditions.filter((x) => x.kind === 'direct' || x.kind === 'fast_track');
  // the closest direct route as an alternative to the score route
  const bestDirect = directs
    .filter((x) => x.met === false)
    .map((x) => ({ id: x.id, value: x.value, required: x.required, op: x.op, gap: x.gap ?? 1 }))
    .sort((x, y) => x.gap - y.gap)[0];
  const routeMet = a.conditions.some((x) => (x.kind === 'direct' || x.kind === 'fast_track') && x.met === true);
  let other: Shortfall[] = [];
  if (a.tier === 'little_giant') {
    other = [];
  } else if (scorePart.length && !routeMet) {
    const scoreGap = scorePart.reduce((s, x) => s + x.gap, 0);
    other = bestDirect && bestDirect.gap < scoreGap ? [bestDirect] : scorePart;
  }
  const shortfalls = [...required, ...other];
  return { shortfalls, gap: Math.round(shortfalls.reduce((s, x) => s + x.gap, 0) * 10000) / 10000 };
}
