/**
 * The facts catalogue: every fact a rule or an amount formula may use (issue #5; ../shared/domain/rules.md §8.3
 * "Fact examples" and §8.4 a/b/c for the facts the typical policies need). Keys are snake_case everywhere.
 *
 * `storage` tells the SQL compiler where the fact lives in table `enterprise_facts`: a column, or a key of the
 * `facts` jsonb. The TypeScript side reads the same row through `factContextOf` (enterprises/facts.ts).
 */

export type FactType = 'number' | 'string' | 'boolean' | 'date' | 'enum';
export type FactGroup = 'registry' | 'scale' | 'finance' | 'rd' | 'employment' | 'qualifications' | 'location';

export interface Localized {
  'zh-CN': string;
  en: string;
}

export type FactStorage =
  | { column: 'region_code' | 'industry_code' | 'park_id' | 'size' | 'above_scale' }
  | { json: string };

export interface FactDef {
  key: string;
  label: Localized;
  type: FactType;
  unit?: Localized;
  /** Stored as a fraction (0.055); shown as a percentage (5.5%). */
  percent?: boolean;
  enumValues?: { value: string; label: Localized }[];
  group: FactGroup;
  /** The department (or party) that holds the fact. */
  source: Localized;
  storage: FactStorage;
  /** Computed from other facts, never typed in. */
  derived?: boolean;
}

const L = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

export const UNITS = {
  wan: L('万元', '10k CNY'),
  yuan: L('元', 'CNY'),
  people: L('人', 'persons'),
  months: L('月', 'months'),
  years: L('年', 'years'),
  mu: L('亩', 'mu'),
  m2: L('平方米', 'm²'),
  pieces: L('件', 'items'),
  tce: L('吨标准煤', 'tce'),
  kwh: L('千瓦时', 'kWh'),
  tons: L('吨', 't'),
  wanPerMu: L('万元/亩', '10k CNY/mu'),
  year: L('年份', 'year'),
} as const;

export const GROUP_LABELS: Record<FactGroup, Localized> = {
  registry: L('登记信息', 'Registry'),
  scale: L('规模', 'Scale'),
  finance: L('财务', 'Finance'),
  rd: L('研发', 'R&D'),
  employment: L('就业与社保', 'Employment & social insurance'),
  qualifications: L('资质', 'Qualifications'),
  location: L('区位', 'Location'),
};

const SRC = {
  samr: L('市场监管局', 'Market regulation bureau'),
  stats: L('统计局', 'Statistics bureau'),
  tax: L('税务局', 'Tax bureau'),
  hrss: L('人社局', 'Human resources & social security bureau'),
  sci: L('科技局', 'Science & technology bureau'),
  miit: L('工信局', 'Industry & IT bureau'),
  dev: L('发改委', 'Development & reform commission'),
  credit: L('信用中国（发改委）', 'Credit China (NDRC)'),
  park: L('园区运营方', 'Park operator'),
  self: L('企业自报', 'Self-reported'),
  power: L('供电公司', 'Power company'),
  ecology: L('生态环境局', 'Ecology & environment bureau'),
  nature: L('自然资源局', 'Natural resources bureau'),
  ip: L('市场监管局（知识产权）', 'Market regulation bureau (IP)'),
  platform: L('平台计算', 'Computed by the platform'),
} as const;

const num = (
  key: string,
  zh: string,
  en: string,
  unit: Localized | undefined,
  group: FactGroup,
  source: Localized,
  extra: Partial<FactDef> = {},
): FactDef => ({
  key,
  label: L(zh, en),
  type: 'number',
  ...(unit ? { unit } : {}),
  group,
  source,
  storage: { json: key },
  ...extra,
});

const bool = (key: string, zh: string, en: string, group: FactGroup, source: Localized): FactDef => ({
  key,
  label: L(zh, en),
  type: 'boolean',
  group,
  source,
  storage: { json: key },
});

export const SIZE_VALUES = [
  { value: 'large', label: L('大型', 'Large') },
  { value: 'medium', label: L('中型', 'Medium') },
  { value: 'small', label: L('小型', 'Small') },
  { value: 'micro', label: L('微型', 'Micro') },
];

export const FACTS_CATALOGUE: readonly FactDef[] = [
  // registry
  {
    key: 'region_code',
    label: L('所在区县（行政区划代码）', 'District (division code)'),
    type: 'string',
    group: 'location',
    source: SRC.samr,
    storage: { column: 'region_code' },
  },
  {
    key: 'industry_code',
    label: L('国民经济行业代码', 'Industry code (GB/T 4754)'),
    type: 'string',
    group: 'registry',
    source: SRC.samr,
    storage: { column: 'industry_code' },
  },
  {
    key: 'park_id',
    label: L('入驻园区', 'Park'),
    type: 'string',
    group: 'location',
    source: SRC.park,
    storage: { column: 'park_id' },
  },
  {
    key: 'founded_on',
    label: L('成立日期', 'Date founded'),
    type: 'date',
    group: 'registry',
    source: SRC.samr,
    storage: { json: 'founded_on' },
  },
  num('years_since_founding', '成立年限', 'Years since founding', UNITS.years, 'registry', SRC.samr, {
    derived: true,
  }),
  {
    key: 'status',
    label: L('经营状态', 'Status'),
    type: 'enum',
    enumValues: [
      { value: 'active', label: L('存续', 'Active') },
      { value: 'exited', label: L('已迁出', 'Exited') },
      { value: 'deregistered', label: L('已注销', 'Deregistered') },
    ],
    group: 'registry',
    source: SRC.samr,
    storage: { json: 'status' },
  },
  bool('credit_blacklisted', '列入失信名单', 'On the credit blacklist', 'registry', SRC.credit),
  // scale
  {
    key: 'size',
    label: L('企业规模', 'Enterprise size'),
    type: 'enum',
    enumValues: SIZE_VALUES,
    group: 'scale',
    source: SRC.stats,
    storage: { column: 'size' },
    derived: true,
  },
  {
    key: 'above_scale',
    label: L('规模以上企业', 'Above designated size (规上)'),
    type: 'boolean',
    group: 'scale',
    source: SRC.stats,
    storage: { column: 'above_scale' },
    derived: true,
  },
  num('first_above_scale_year', '首次入规年份', 'First year above designated size', UNITS.year, 'scale', SRC.stats),
  num(
    'above_scale_years_consecutive',
    '连续规上年数',
    'Consecutive years above designated size',
    UNITS.years,
    'scale',
    SRC.stats,
  ),
  num('operating_revenue', '营业收入', 'Operating revenue', UNITS.wan, 'scale', SRC.stats),
  num('main_business_revenue', '主营业务收入', 'Main business revenue', UNITS.wan, 'scale', SRC.stats),
  num('industrial_output', '工业总产值', 'Industrial output', UNITS.wan, 'scale', SRC.stats),
  num('value_added', '增加值', 'Value added', UNITS.wan, 'scale', SRC.stats),
  num('employees_year_end', '年末从业人数', 'Employees at year end', UNITS.people, 'scale', SRC.stats),
  num('employees_average', '从业人员平均人数', 'Average employees', UNITS.people, 'scale', SRC.stats),
  // finance
  num('total_assets', '资产总额', 'Total assets', UNITS.wan, 'finance', SRC.stats),
  num('total_liabilities', '负债总额', 'Total liabilities', UNITS.wan, 'finance', SRC.stats),
  num('net_profit', '净利润', 'Net profit', UNITS.wan, 'finance', SRC.tax),
  num('tax_paid', '实缴税金', 'Tax paid', UNITS.wan, 'finance', SRC.tax),
  num('equity_financing', '股权融资额', 'Equity financing', UNITS.wan, 'finance', SRC.self),
  num('debt_ratio', '资产负债率', 'Debt ratio', undefined, 'finance', SRC.platform, { percent: true, derived: true }),
  num('revenue_growth', '营业收入增长率', 'Revenue growth', undefined, 'finance', SRC.platform, {
    percent: true,
    derived: true,
  }),
  num('tax_per_mu', '亩均税收', 'Tax per mu', UNITS.wanPerMu, 'finance', SRC.platform, { derived: true }),
  num('output_per_mu', '亩均产出', 'Output per mu', UNITS.wanPerMu, 'finance', SRC.platform, { derived: true }),
  num('energy_tce', '综合能耗', 'Energy use', UNITS.tce, 'finance', SRC.stats),
  num('electricity_kwh', '用电量', 'Electricity use', UNITS.kwh, 'finance', SRC.power),
  num('pollutant_emissions', '主要污染物排放量', 'Pollutant emissions', UNITS.tons, 'finance', SRC.ecology),
  // R&D
  num('rd_expense', '研发费用', 'R&D expense', UNITS.wan, 'rd', SRC.tax),
  num('rd_staff', '研发人员数', 'R&D staff', UNITS.people, 'rd', SRC.sci),
  num('rd_intensity', '研发投入强度', 'R&D intensity', undefined, 'rd', SRC.platform, { percent: true, derived: true }),
  num('rd_staff_share', '研发人员占比', 'R&D staff share', undefined, 'rd', SRC.platform, {
    percent: true,
    derived: true,
  }),
  num('ip_class1', 'I类知识产权', 'Class I IP', UNITS.pieces, 'rd', SRC.ip),
  num('ip_class1_high_value', '高价值I类知识产权', 'High-value class I IP', UNITS.pieces, 'rd', SRC.ip),
  num('ip_class1_self_developed', '自主研发I类知识产权', 'Self-developed class I IP', UNITS.pieces, 'rd', SRC.ip),
  num('ip_class2', 'II类知识产权', 'Class II IP', UNITS.pieces, 'rd', SRC.ip),
  // employment & social insurance (rules.md §8.4 a)
  num(
    'ui_months_paid',
    '失业保险连续缴费月数',
    'Months of unemployment insurance paid',
    UNITS.months,
    'employment',
    SRC.hrss,
  ),
  num(
    'ui_paid_last_year',
    '上年度实缴失业保险费',
    'Unemployment insurance paid last year',
    UNITS.yuan,
    'employment',
    SRC.hrss,
  ),
  num('insured_avg', '上年度月均参保人数', 'Average insured staff last year', UNITS.people, 'employment', SRC.hrss),
  num(
    'ui_new_claimants',
    '上年度新增领取失业保险金人数',
    'New unemployment benefit claimants last year',
    UNITS.people,
    'employment',
    SRC.hrss,
  ),
  num('layoff_rate', '裁员率', 'Layoff rate', undefined, 'employment', SRC.platform, { percent: true, derived: true }),
  // qualifications
  bool('strategic_emerging', '战略性新兴产业企业', 'Strategic emerging industry firm', 'qualifications', SRC.dev),
  // location: park rent subsidy
  num('land_area_mu', '用地面积', 'Land area', UNITS.mu, 'location', SRC.nature),
  num('rent_area_m2', '租用面积', 'Rented area', UNITS.m2, 'location', SRC.park),
  num('rent_paid', '上年度实付租金', 'Rent paid last year', UNITS.yuan, 'location', SRC.park),
];

export const FACTS_BY_KEY: ReadonlyMap<string, FactDef> = new Map(FACTS_CATALOGUE.map((f) => [f.key, f]));

export function factDef(key: string): FactDef | undefined {
  return FACTS_BY_KEY.get(key);
}

/** Qualification types a `qualification` node may name (enterprise_qualifications.type). */
export const QUALIFICATION_TYPES = [
  { value: 'high_tech', label: L('高新技术企业', 'High-tech enterprise') },
  { value: 'tech_sme', label: L('科技型中小企业', 'Tech-based SME') },
  { value: 'innovative_sme', label: L('创新型中小企业', 'Innovative SME') },
  { value: 'srdi_sme', label: L('专精特新中小企业', 'Specialised & sophisticated SME (专精特新)') },
  { value: 'little_giant', label: L('专精特新“小巨人”企业', '"Little giant" enterprise') },
  { value: 'single_champion', label: L('制造业单项冠军', 'Manufacturing single champion') },
  { value: 'listed', label: L('上市企业', 'Listed company') },
] as const;

export const QUALIFICATION_LEVELS = [
  { value: 'national', label: L('国家级', 'National') },
  { value: 'provincial', label: L('省级', 'Provincial') },
  { value: 'municipal', label: L('市级', 'Municipal') },
] as const;
