import { describe, expect, it } from 'vitest';
import { type Assessment, assessTier, bandHigh, bandLow, shortfallsOf } from './engine.ts';
import type { TierFacts } from './facts.ts';
import { EXAMPLE_LOCAL_INDICATORS } from './local-indicators.ts';

const pts = (a: Assessment, id: string) => a.items.find((i) => i.id === id)?.points;
const cond = (a: Assessment, id: string) => a.conditions.find((c) => c.id === id);

/** A firm that passes 创新型 by score with every item known and no direct route. */
const INNOV: TierFacts = {
  ipClass: 'i', // 10
  revenue: 1000,
  rdExpense: 30, // 3% → 15
  mainBusinessRevenue: 700, // 70% → 20
  mainBusinessGrowth: 0.1, // 15
  debtRatio: 0.5, // 10
  strategicEmerging: false, // 5
  stAward: null,
  validHonour: false,
  rdInstitution: 'municipal',
  equityFinancing3y: 0,
};

describe('创新型中小企业 (rules.md §3.1)', () => {
  it('scores the baseline and passes by score with every category at its minimum or above', () => {
    const a = assessTier('innovative_sme', INNOV);
    expect(a.score).toBe(75);
    expect(a.categories.innovation).toEqual({ points: 25, max: 40, min: 20, met: true });
    expect(a.categories.growth).toEqual({ points: 25, max: 30, min: 15, met: true });
    expect(a.categories.specialisation).toEqual({ points: 25, max: 30, min: 15, met: true });
    expect(a.eligible).toBe(true);
    expect(a.route).toBe('score');
    expect(a.missing).toEqual([]);
  });

  it.each([
    ['high_value_i', 20],
    ['self_developed_i', 15],
    ['i', 10],
    ['ii', 5],
    ['none', 0],
  ] as const)('IP class %s → %i', (ipClass, p) => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, ipClass }), 'ip')).toBe(p);
  });

  it.each([
    [60, 20],
    [50, 20],
    [49.99, 15],
    [30, 15],
    [29.99, 10],
    [20, 10],
    [19.99, 5],
    [10, 5],
    [9.99, 0],
    [0, 0],
  ])('R&D %s万 of 1000万 → %i', (rdExpense, p) => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, rdExpense }), 'rd_intensity')).toBe(p);
  });

  it.each([
    [0.2, 20],
    [0.15, 20],
    [0.1499, 15],
    [0.1, 15],
    [0.0999, 10],
    [0.05, 10],
    [0.0499, 5],
    [0, 5],
    [-0.0001, 0],
  ])('main business growth %s → %i', (mainBusinessGrowth, p) => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, mainBusinessGrowth }), 'main_business_growth')).toBe(p);
  });

  it('growth computed in floating point (1.15 − 1) still lands on the 15% edge', () => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, mainBusinessGrowth: 1.15 - 1 }), 'main_business_growth')).toBe(
      20,
    );
  });

  it.each([
    [0.3, 10],
    [0.55, 10],
    [0.5501, 5],
    [0.75, 5],
    [0.7501, 0],
    [0.95, 0],
  ])('debt ratio %s → %i', (debtRatio, p) => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, debtRatio }), 'debt_ratio')).toBe(p);
  });

  it('product field: 战略性新兴产业 → 10, other → 5', () => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, strategicEmerging: true }), 'product_field')).toBe(10);
    expect(pts(assessTier('innovative_sme', INNOV), 'product_field')).toBe(5);
  });

  it.each([
    [800, 20],
    [700, 20],
    [699.9, 15],
    [600, 15],
    [599.9, 10],
    [550, 10],
    [549.9, 5],
    [500, 5],
    [499.9, 0],
  ])('main business %s万 of 1000万 → %i', (mainBusinessRevenue, p) => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, mainBusinessRevenue }), 'main_business_share')).toBe(p);
  });

  it('the unfavourable boundary rule puts every edge value in the worse band', () => {
    const o = { boundaryPolicy: 'unfavourable' as const };
    expect(pts(assessTier('innovative_sme', { ...INNOV, rdExpense: 50 }, o), 'rd_intensity')).toBe(15);
    expect(pts(assessTier('innovative_sme', { ...INNOV, mainBusinessGrowth: 0 }, o), 'main_business_growth')).toBe(0);
    expect(pts(assessTier('innovative_sme', { ...INNOV, debtRatio: 0.55 }, o), 'debt_ratio')).toBe(5);
    expect(pts(assessTier('innovative_sme', { ...INNOV, debtRatio: 0.75 }, o), 'debt_ratio')).toBe(0);
    expect(assessTier('innovative_sme', INNOV, o).boundaryPolicy).toBe('unfavourable');
    expect(bandHigh(0.05, [[0.05, 1]], 'favourable')).toBe(1);
    expect(bandHigh(0.05, [[0.05, 1]], 'unfavourable')).toBe(0);
    expect(bandLow(0.55, [[0.55, 1]], 'favourable')).toBe(1);
    expect(bandLow(0.55, [[0.55, 1]], 'unfavourable')).toBe(0);
  });

  it('total 60 passes, 55 fails', () => {
    // 10 + 10 + 15 + 10 + 5 + 10 = 60
    const f = { ...INNOV, rdExpense: 20, mainBusinessRevenue: 550 };
    expect(assessTier('innovative_sme', f).score).toBe(60);
    expect(assessTier('innovative_sme', f).eligible).toBe(true);
    const g = { ...f, ipClass: 'ii' as const };
    expect(assessTier('innovative_sme', g).score).toBe(55);
    expect(assessTier('innovative_sme', g).eligible).toBe(false);
    expect(assessTier('innovative_sme', g).route).toBeNull();
  });

  it('category minimums: 创新能力 < 20 fails even with a total ≥ 60', () => {
    // innovation 5 + 10 = 15 < 20; growth 20 + 10 = 30; specialisation 10 + 20 = 30 → 75
    const f = { ...INNOV, ipClass: 'ii' as const, rdExpense: 20, mainBusinessGrowth: 0.2, strategicEmerging: true };
    const a = assessTier('innovative_sme', f);
    expect(a.score).toBe(75);
    expect(a.categories.innovation.met).toBe(false);
    expect(a.eligible).toBe(false);
    expect(cond(a, 'category_innovation')).toMatchObject({ met: false, value: 15, required: 20, gap: 0.25 });
    // exactly 20 passes
    expect(assessTier('innovative_sme', { ...f, ipClass: 'i' }).categories.innovation).toMatchObject({
      points: 20,
      met: true,
    });
  });

  it('category minimums: 成长性 < 15 and 专业化 < 15 fail; exactly 15 passes', () => {
    const growth14 = { ...INNOV, ipClass: 'high_value_i' as const, mainBusinessGrowth: 0.05, debtRatio: 0.8 }; // 10+0
    expect(assessTier('innovative_sme', growth14).categories.growth).toMatchObject({ points: 10, met: false });
    expect(assessTier('innovative_sme', growth14).eligible).toBe(false);
    const growth15 = { ...growth14, debtRatio: 0.6 }; // 10 + 5
    expect(assessTier('innovative_sme', growth15).categories.growth).toMatchObject({ points: 15, met: true });
    expect(assessTier('innovative_sme', growth15).eligible).toBe(true);
    const spec10 = { ...INNOV, ipClass: 'high_value_i' as const, mainBusinessRevenue: 540 }; // 5 + 5
    expect(assessTier('innovative_sme', spec10).categories.specialisation).toMatchObject({ points: 10, met: false });
    expect(assessTier('innovative_sme', spec10).eligible).toBe(false);
    const spec15 = { ...spec10, mainBusinessRevenue: 550 }; // 5 + 10
    expect(assessTier('innovative_sme', spec15).categories.specialisation).toMatchObject({ points: 15, met: true });
  });

  const FAIL: TierFacts = { ...INNOV, ipClass: 'none', rdExpense: 0 };
  it.each([
    ['provincial S&T award 3 years ago', { stAward: { level: 'provincial', rank: 9, yearsAgo: 3 } }],
    ['national S&T award', { stAward: { level: 'national', rank: 1, yearsAgo: 0 } }],
    ['valid honour (高新技术企业 …)', { validHonour: true }],
    ['national R&D institution', { rdInstitution: 'national' }],
    ['provincial R&D institution', { rdInstitution: 'provincial' }],
    ['equity ≥ 500万 in 3 years', { equityFinancing3y: 500 }],
  ] as [string, Partial<TierFacts>][])('direct route: %s', (_name, extra) => {
    expect(assessTier('innovative_sme', FAIL).eligible).toBe(false);
    const a = assessTier('innovative_sme', { ...FAIL, ...extra });
    expect(a.eligible).toBe(true);
    expect(a.route).toBe('direct');
  });

  it.each([
    ['award 4 years ago', { stAward: { level: 'provincial', rank: 1, yearsAgo: 4 } }],
    ['municipal award', { stAward: { level: 'other', rank: 1, yearsAgo: 1 } }],
    ['municipal R&D institution', { rdInstitution: 'municipal' }],
    ['equity 499万', { equityFinancing3y: 499 }],
  ] as [string, Partial<TierFacts>][])('not a direct route: %s', (_name, extra) => {
    expect(assessTier('innovative_sme', { ...FAIL, ...extra }).eligible).toBe(false);
  });

  it('a missing fact gives eligible null with the fact listed, never a silent fail', () => {
    const { debtRatio: _d, ...rest } = { ...INNOV, mainBusinessGrowth: 0.05 }; // 成长性 = 10 + debt (0, 5 or 10)
    const a = assessTier('innovative_sme', rest);
    expect(a.eligible).toBeNull();
    expect(a.route).toBeNull();
    expect(a.score).toBeNull();
    expect(a.missing).toEqual(['debtRatio']);
    expect(pts(a, 'debt_ratio')).toBeNull();
  });

  it('a missing fact that cannot change the verdict does not hide it', () => {
    const { debtRatio: _d, ...rest } = INNOV; // 65 without debt; passes whatever it is
    const a = assessTier('innovative_sme', { ...rest, mainBusinessGrowth: 0.15 });
    expect(a.eligible).toBe(true);
    expect(a.missing).toEqual(['debtRatio']);
    const none = assessTier('innovative_sme', {});
    expect(none.eligible).toBeNull();
    expect(none.missing).toContain('revenue');
    expect(none.missing).toContain('validHonour');
  });

  it('revenue of 0 scores ratios 0 rather than dividing by zero', () => {
    expect(pts(assessTier('innovative_sme', { ...INNOV, revenue: 0 }), 'rd_intensity')).toBe(0);
  });
});

/** A firm that passes 专精特新 by score: every item known. */
const SRDI_F: TierFacts = {
  revenue: 2000,
  mainBusinessRevenue: 1600, // 80% → 5
  mainBusinessGrowth2y: 0.1, // 10
  nicheYears: 10, // 5
  productField: 'key_chain', // 5
  digitalLevel: 3, // 5
  qualityItems: 2, // 5
  netMargin: 0.1, // 10
  debtRatio: 0.5, // 5
  localScore: 10, // 10
  ipClass: 'i', // 6
  rdExpense: 120, // 6% → 6 ; 120万 → 2 → 6
  rdExpensePrev: 100,
  rdStaffRatio: 0.1, // 3
  rdInstitution: 'municipal', // 4
  equityFinancing2y: 0,
  stAward: null,
  makerChinaTop: null,
};

describe('专精特新中小企业 (rules.md §3.2)', () => {
  it('scores the baseline (79) and passes by score', () => {
    const a = assessTier('srdi_sme', SRDI_F);
    expect(a.categories.specialisation).toMatchObject({ points: 25, max: 25 });
    expect(a.categories.refinement).toMatchObject({ points: 25, max: 25 });
    expect(a.categories.characteristic).toMatchObject({ points: 10, max: 15 });
    expect(a.categories.innovation).toMatchObject({ points: 19, max: 35 });
    expect(a.score).toBe(79);
    expect(a.eligible).toBe(true);
    expect(a.route).toBe('score');
    expect(a.missing).toEqual([]);
  });

  const item = (extra: Partial<TierFacts>, id: string) => pts(assessTier('srdi_sme', { ...SRDI_F, ...extra }), id);

  it.each([
    [1700, 5],
    [1600, 5],
    [1599, 3],
    [1400, 3],
    [1399, 1],
    [1200, 1],
    [1199, 0],
  ])('1 main business %s万 of 2000万 → %i', (mainBusinessRevenue, p) => {
    expect(item({ mainBusinessRevenue }, 'main_business_share')).toBe(p);
  });

  it.each([
    [0.1, 10],
    [0.0999, 8],
    [0.08, 8],
    [0.0799, 6],
    [0.06, 6],
    [0.0599, 4],
    [0.04, 4],
    [0.0399, 2],
    [0, 2],
    [-0.0001, 0],
  ])('2 two-year growth %s → %i', (mainBusinessGrowth2y, p) => {
    expect(item({ mainBusinessGrowth2y }, 'main_business_growth_2y')).toBe(p);
  });

  it.each([
    [0, 0],
    [1.9, 0],
    [2, 1],
    [3.9, 1],
    [4, 2],
    [6, 3],
    [8, 4],
    [9.9, 4],
    [10, 5],
    [25, 5],
  ])('3 niche years %s → %i', (nicheYears, p) => {
    expect(item({ nicheYears }, 'niche_years')).toBe(p);
  });

  it.each([
    ['key_chain', 5],
    ['six_basics', 3],
    ['other', 0],
  ] as const)('4 product field %s → %i', (productField, p) => {
    expect(item({ productField }, 'product_field')).toBe(p);
  });

  it.each([
    [4, 5],
    [3, 5],
    [2, 3],
    [1, 0],
    [0, 0],
  ])('5 digital level %i → %i', (digitalLevel, p) => {
    expect(item({ digitalLevel }, 'digital_level')).toBe(p);
  });

  it.each([
    [0, 0],
    [1, 3],
    [2, 5],
    [4, 5],
  ])('6 quality items %i → %i', (qualityItems, p) => {
    expect(item({ qualityItems }, 'quality')).toBe(p);
  });

  it.each([
    [0.1, 10],
    [0.0999, 8],
    [0.08, 8],
    [0.0799, 6],
    [0.06, 6],
    [0.0599, 4],
    [0.04, 4],
    [0.0399, 2],
    [0.02, 2],
    [0.0199, 0],
    [-0.1, 0],
  ])('7 net margin %s → %i', (netMargin, p) => {
    expect(item({ netMargin }, 'net_margin')).toBe(p);
  });

  it.each([
    [0.5, 5],
    [0.5001, 3],
    [0.6, 3],
    [0.6001, 1],
    [0.7, 1],
    [0.7001, 0],
  ])('8 debt ratio %s → %i', (debtRatio, p) => {
    expect(item({ debtRatio }, 'debt_ratio')).toBe(p);
  });

  it('9 local (特色化) score: given points, capped to 0–15; or a province set of indicators', () => {
    expect(item({ localScore: 15 }, 'local')).toBe(15);
    expect(item({ localScore: 20 }, 'local')).toBe(15);
    const set = EXAMPLE_LOCAL_INDICATORS[0]!;
    const { localScore: _l, ...noLocal } = SRDI_F;
    const local = Object.fromEntries(set.indicators.map((i) => [i.id, i.bands[0]![0]]));
    const a = assessTier('srdi_sme', { ...noLocal, province: set.province, local }, { localIndicators: [set] });
    expect(pts(a, 'local')).toBe(
      Math.min(
        15,
        set.indicators.reduce((s, i) => s + i.bands[0]![1], 0),
      ),
    );
    const none = assessTier('srdi_sme', noLocal, { localIndicators: [set] });
    expect(pts(none, 'local')).toBeNull();
    expect(none.missing).toEqual(['localScore']);
    const zero = Object.fromEntries(set.indicators.map((i) => [i.id, -1]));
    expect(
      pts(assessTier('srdi_sme', { ...noLocal, province: '41', local: zero }, { localIndicators: [set] }), 'local'),
    ).toBe(0);
  });

  it.each([
    ['high_value_i', 10],
    ['self_developed_i', 8],
    ['i', 6],
    ['ii', 2],
    ['none', 0],
  ] as const)('10 IP %s → %i', (ipClass, p) => {
    expect(item({ ipClass }, 'ip')).toBe(p);
  });

  it.each([
    // amount path (revenue 1,000,000万 keeps the ratio path below 3%)
    [500, 10],
    [499, 8],
    [400, 8],
    [399, 6],
    [300, 6],
    [299, 4],
    [200, 4],
    [199, 2],
    [100, 2],
    [99, 0],
  ])('11 R&D amount %s万 → %i', (rdExpense, p) => {
    expect(item({ rdExpense, revenue: 1_000_000, mainBusinessRevenue: 900_000 }, 'rd_input')).toBe(p);
  });

  it.each([
    // ratio path (revenue 500万 keeps the amount path ≤ 50万)
    [50, 10],
    [49.9, 8],
    [40, 8],
    [39.9, 6],
    [30, 6],
    [29.9, 4],
    [20, 4],
    [19.9, 2],
    [15, 2],
    [14.9, 0],
  ])('11 R&D %s万 of 500万 → %i', (rdExpense, p) => {
    expect(item({ rdExpense, revenue: 500, mainBusinessRevenue: 400 }, 'rd_input')).toBe(p);
  });

  it('11 takes the better of amount and ratio', () => {
    expect(item({ rdExpense: 450, revenue: 3000 }, 'rd_input')).toBe(10); // 450万 → 8; 15% → 10
    expect(item({ rdExpense: 450, revenue: 30000 }, 'rd_input')).toBe(8); // 450万 → 8; 1.5% → 0
    expect(item({ rdExpense: 150, revenue: 2000 }, 'rd_input')).toBe(6); // 150万 → 2; 7.5% → 6
  });

  it.each([
    [0.2, 5],
    [0.1999, 3],
    [0.1, 3],
    [0.0999, 1],
    [0.05, 1],
    [0.0499, 0],
  ])('12 R&D staff %s → %i', (rdStaffRatio, p) => {
    expect(item({ rdStaffRatio }, 'rd_staff')).toBe(p);
  });

  it.each([
    ['national', 10],
    ['provincial', 8],
    ['municipal', 4],
    ['below_municipal', 2],
    ['none', 0],
  ] as const)('13 R&D institution %s → %i', (rdInstitution, p) => {
    expect(item({ rdInstitution }, 'rd_institution')).toBe(p);
  });

  it('conditions 1–3: niche ≥ 2 years, R&D ≥ 100万 and ≥ 3%, revenue ≥ 1000万 or equity ≥ 2000万', () => {
    const ok = (f: Partial<TierFacts>) => assessTier('srdi_sme', { ...SRDI_F, ...f }).eligible;
    expect(ok({ nicheYears: 2 })).toBe(true);
    expect(ok({ nicheYears: 1.99 })).toBe(false);
    expect(ok({ rdExpense: 100, revenue: 2000, mainBusinessRevenue: 1600 })).toBe(true); // 100万 and 5%
    expect(ok({ rdExpense: 99.9 })).toBe(false);
    expect(ok({ rdExpense: 100, revenue: 3333 })).toBe(true); // 3.0003%
    expect(ok({ rdExpense: 100, revenue: 3334, mainBusinessRevenue: 3000 })).toBe(false); // 2.999%
    expect(ok({ revenue: 999, rdExpense: 100, mainBusinessRevenue: 900, equityFinancing2y: 1999 })).toBe(false);
    expect(ok({ revenue: 999, rdExpense: 100, mainBusinessRevenue: 900, equityFinancing2y: 2000 })).toBe(true);
    expect(ok({ revenue: 1000, rdExpense: 100, mainBusinessRevenue: 900, equityFinancing2y: 0 })).toBe(true);
  });

  it('score 60 passes, 59 fails (condition 4)', () => {
    // baseline 79; local 10 → 0 gives 69; net margin 10 → 0 gives 59, digital 5 → ... adjust
    const f59 = { ...SRDI_F, localScore: 0, netMargin: 0.01 }; // 79 - 10 - 10 = 59
    expect(assessTier('srdi_sme', f59).score).toBe(59);
    expect(assessTier('srdi_sme', f59).eligible).toBe(false);
    expect(assessTier('srdi_sme', { ...f59, localScore: 1 }).score).toBe(60);
    expect(assessTier('srdi_sme', { ...f59, localScore: 1 }).eligible).toBe(true);
  });

  const LOW: TierFacts = { ...SRDI_F, localScore: 0, netMargin: 0, digitalLevel: 0, qualityItems: 0 }; // 49
  it.each([
    ['provincial award, rank 3', { stAward: { level: 'provincial', rank: 3, yearsAgo: 2 } }],
    ['national award, rank 5', { stAward: { level: 'national', rank: 5, yearsAgo: 3 } }],
    [
      'R&D two-year average ≥ 1000万',
      { rdExpense: 1100, rdExpensePrev: 900, revenue: 20000, mainBusinessRevenue: 16000 },
    ],
    ['equity ≥ 6000万 in 2 years', { equityFinancing2y: 6000 }],
    ['创客中国 500强', { makerChinaTop: 500 }],
    ['创客中国 50强', { makerChinaTop: 50 }],
  ] as [string, Partial<TierFacts>][])('direct route: %s', (_n, extra) => {
    expect(assessTier('srdi_sme', LOW).eligible).toBe(false);
    const a = assessTier('srdi_sme', { ...LOW, ...extra });
    expect(a.score).toBeLessThan(60);
    expect(a.eligible).toBe(true);
    expect(a.route).toBe('direct');
  });

  it.each([
    ['provincial award, rank 4', { stAward: { level: 'provincial', rank: 4, yearsAgo: 1 } }],
    ['national award, rank 6', { stAward: { level: 'national', rank: 6, yearsAgo: 1 } }],
    ['award 4 years ago', { stAward: { level: 'national', rank: 1, yearsAgo: 4 } }],
    ['R&D average 999万', { rdExpense: 1000, rdExpensePrev: 998, revenue: 20000, mainBusinessRevenue: 16000 }],
    ['equity 5999万', { equityFinancing2y: 5999 }],
  ] as [string, Partial<TierFacts>][])('not a direct route: %s', (_n, extra) => {
    expect(assessTier('srdi_sme', { ...LOW, ...extra }).eligible).toBe(false);
  });

  it('a direct route does not replace conditions 1–3', () => {
    expect(assessTier('srdi_sme', { ...LOW, makerChinaTop: 500, nicheYears: 1 }).eligible).toBe(false);
  });

  it('near-misses: R&D intensity 2.1% < 3% is the only shortfall', () => {
    const a = assessTier('srdi_sme', { ...SRDI_F, rdExpense: 105, revenue: 5000, mainBusinessRevenue: 4000 });
    expect(a.eligible).toBe(false);
    const s = shortfallsOf(a)!;
    expect(s.shortfalls.map((x) => x.id)).toEqual(['rd_intensity']);
    expect(s.shortfalls[0]!.value).toBeCloseTo(0.021, 6);
    expect(s.gap).toBeCloseTo(0.3, 4);
    expect(shortfallsOf(assessTier('srdi_sme', SRDI_F))).toBeNull();
  });

  it('missing facts → eligible null, listed', () => {
    const { nicheYears: _n, localScore: _l, ...rest } = SRDI_F;
    const a = assessTier('srdi_sme', rest);
    expect(a.eligible).toBeNull();
    expect(a.missing).toEqual(['nicheYears', 'localScore']);
  });
});

/** A firm that meets all six 小巨人 aspects with revenue ≥ 1亿. */
const LG: TierFacts = {
  nicheYears: 3,
  revenue: 10000,
  revenuePrev: 9000,
  mainBusinessRevenue: 7000,
  mainBusinessGrowth2y: 0.05,
  coreBusinessInfoSystem: true,
  certification: true,
  debtRatio: 0.7,
  marketShare: 0.1,
  ownBrand: true,
  rdExpense: 300,
  rdExpensePrev: 270,
  rdInstitution: 'below_municipal',
  classIIpCount: 2,
  stAward: null,
  makerChinaTop: null,
  keyChainRole: true,
  priorityField: true,
};

describe('专精特新「小巨人」 (rules.md §3.3)', () => {
  const lg = (f: Partial<TierFacts>, o = {}) => assessTier('little_giant', { ...LG, ...f }, o);

  it('meets all six aspects at every edge', () => {
    const a = lg({});
    expect(a.eligible).toBe(true);
    expect(a.route).toBe('score');
    expect(a.score).toBeNull();
    expect(Object.keys(a.categories)).toEqual([
      'specialisation',
      'refinement',
      'characteristic',
      'innovation',
      'chain',
      'field',
    ]);
  });

  it('R&D band ≥ 1亿: each of 2 years ≥ 3%', () => {
    expect(lg({ rdExpense: 299 }).eligible).toBe(false);
    expect(lg({ rdExpensePrev: 269 }).eligible).toBe(false);
    expect(lg({ revenue: 20000, mainBusinessRevenue: 14000, rdExpense: 600 }).eligible).toBe(true);
  });

  it('R&D band 5000万–1亿: each of 2 years ≥ 6%', () => {
    const mid = { revenue: 8000, mainBusinessRevenue: 6000, revenuePrev: 7000 };
    expect(lg({ ...mid, rdExpense: 480, rdExpensePrev: 420 }).eligible).toBe(true);
    expect(lg({ ...mid, rdExpense: 479, rdExpensePrev: 420 }).eligible).toBe(false);
    expect(lg({ ...mid, rdExpense: 480, rdExpensePrev: 419 }).eligible).toBe(false);
    // 5000万 is in this band under the favourable rule
    expect(
      lg({ revenue: 5000, mainBusinessRevenue: 4000, revenuePrev: 5000, rdExpense: 300, rdExpensePrev: 300 }).eligible,
    ).toBe(true);
    // 1亿 exactly: the ≥ 1亿 band (3%) under favourable, the 6% band under unfavourable
    expect(lg({}, { boundaryPolicy: 'unfavourable' }).eligible).toBe(false);
    expect(cond(lg({}, { boundaryPolicy: 'unfavourable' }), 'rd_intensity_middle')).toMatchObject({ required: 0.06 });
  });

  it('R&D band < 5000万: equity ≥ 8000万, R&D ≥ 3000万 over 2 years, R&D staff ≥ 50%', () => {
    const small = {
      revenue: 4000,
      mainBusinessRevenue: 3000,
      rdExpense: 1600,
      rdExpensePrev: 1400,
      equityFinancing2y: 8000,
      rdStaffRatio: 0.5,
    };
    expect(lg(small).eligible).toBe(true);
    expect(lg({ ...small, equityFinancing2y: 7999 }).eligible).toBe(false);
    expect(lg({ ...small, rdExpensePrev: 1399 }).eligible).toBe(false);
    expect(lg({ ...small, rdStaffRatio: 0.49 }).eligible).toBe(false);
    expect(lg({ ...small, revenue: 4999.99, mainBusinessRevenue: 4000 }).eligible).toBe(true);
  });

  it('other 新 conditions: an R&D institution and ≥ 2 Ⅰ类 IP', () => {
    expect(lg({ rdInstitution: 'none' }).eligible).toBe(false);
    expect(lg({ classIIpCount: 1 }).eligible).toBe(false);
  });

  it('fast track: national award top 3 in 3 years, or 创客中国 50强 (not 500强)', () => {
    const weak = { rdExpense: 0, classIIpCount: 0, rdInstitution: 'none' as const };
    expect(lg(weak).eligible).toBe(false);
    expect(lg({ ...weak, stAward: { level: 'national', rank: 3, yearsAgo: 3 } })).toMatchObject({
      eligible: true,
      route: 'direct',
    });
    expect(lg({ ...weak, stAward: { level: 'national', rank: 4, yearsAgo: 1 } }).eligible).toBe(false);
    expect(lg({ ...weak, stAward: { level: 'provincial', rank: 1, yearsAgo: 1 } }).eligible).toBe(false);
    expect(lg({ ...weak, makerChinaTop: 50 }).route).toBe('direct');
    expect(lg({ ...weak, makerChinaTop: 500 }).eligible).toBe(false);
  });

  it('专, 精, 特, 链, 品 thresholds', () => {
    expect(lg({ nicheYears: 2.9 }).eligible).toBe(false);
    expect(lg({ mainBusinessRevenue: 6999 }).eligible).toBe(false);
    expect(lg({ mainBusinessGrowth2y: 0.0499 }).eligible).toBe(false);
    expect(lg({ debtRatio: 0.7001 }).eligible).toBe(false);
    expect(lg({ coreBusinessInfoSystem: false }).eligible).toBe(false);
    expect(lg({ certification: false }).eligible).toBe(false);
    expect(lg({ marketShare: 0.0999 }).eligible).toBe(false);
    expect(lg({ ownBrand: false }).eligible).toBe(false);
    expect(lg({ keyChainRole: false }).eligible).toBe(false);
    expect(lg({ priorityField: false }).categories.field.met).toBe(false);
  });

  it('missing revenue → null, with revenue listed', () => {
    const { revenue: _r, ...rest } = LG;
    const a = assessTier('little_giant', rest);
    expect(a.eligible).toBeNull();
    expect(a.missing).toContain('revenue');
  });
});
