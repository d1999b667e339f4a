/**
 * What a report is built from: the cockpit's tiles (dashboardSummary) for the region at the end of the period and
 * at the end of the period before, and — for a city — each district's tiles on the same date. Excel and PDF are
 * both drawn from this one object, so the two files carry the same figures as the cockpit.
 */
import type { ReportPeriod } from '../../../domain/reports.ts';
import type { Tile, TileUnit } from '../dashboard/summary.ts';

export interface ReportDistrict {
  code: string;
  name: string;
  tiles: Tile[];
}

export interface ReportData {
  regionCode: string;
  regionName: string;
  regionLevel: string;
  period: ReportPeriod;
  previous: ReportPeriod;
  title: string;
  periodLabel: string;
  /** ISO timestamp. */
  generatedAt: string;
  tiles: Tile[];
  previousTiles: Tile[];
  /** The city's districts (empty in a district's report). */
  districts: ReportDistrict[];
}

/** Chinese names of the cockpit's tiles (the cockpit shows the same words); unknown keys show their key. */
const TILE_LABELS: Record<string, string> = {
  'parks.monitored': '重点监测园区',
  'parks.landMu': '园区占地面积',
  'parks.floorAreaM2': '园区建筑面积',
  'parks.firms': '入园企业',
  'parks.investmentWan': '园区工业投资（当年）',
  'parks.overdue': '节点逾期园区',
  'projects.total': '三个一批项目',
  'projects.investmentYi': '三个一批项目总投资',
  'projects.performanceRate': '签约项目履约率',
  'projects.startRate': '项目开工率',
  'projects.yearCompletionRate': '年度投资完成率',
  'projects.effectiveRate': '项目达效率',
  'firms.total': '企业总数',
  'firms.aboveScale': '规上企业',
  'firms.techSme': '科技型中小企业',
  'firms.innovativeSme': '创新型中小企业',
  'firms.srdi': '专精特新中小企业',
  'firms.srdiNew': '新增专精特新',
  'firms.littleGiant': '专精特新“小巨人”',
  'firms.scaleUpNew': '小升规企业',
  'assistance.collected': '收集问题',
  'assistance.resolved': '已解决问题',
  'assistance.resolutionRate': '问题解决率',
  'assistance.onTimeRate': '按期办结率',
  'assistance.satisfactionRate': '企业满意率',
  'assistance.overdue': '逾期未办结问题',
  'policies.count': '政策数量',
  'policies.issuers': '发文单位',
  'policies.matchedFirms': '匹配企业',
  'policies.paidYuan': '兑现资金',
};

/** The cockpit's source codes (`module:detail`) in words. */
const SOURCE_LABELS: Record<string, string> = {
  'parks:registry': '小微企业园·园区台账',
  'parks:monthly-investment': '小微企业园·月度投资填报',
  'parks:milestones': '小微企业园·节点计划',
  'projects:batches': '三个一批·项目库',
  'enterprises:registry': '企业库·登记信息',
  'enterprises:facts': '企业库·企业事实（统计口径）',
  'enterprises:qualifications': '企业库·资质',
  'enterprises:tenancies': '企业库·入园租赁',
  'cultivation:certifications': '梯度培育·认定记录',
  'assistance:problems': '万人助万企·诉求办理',
  'policies:library': '政策库',
  'policies:matching': '政策匹配',
  'policies:payouts': '政策兑现·拨付记录',
};

export function sourceLabel(source: string): string {
  return SOURCE_LABELS[source] ?? source;
}

export const UNIT_LABELS: Record<TileUnit, string> = {
  count: '个',
  mu: '亩',
  m2: '平方米',
  wan: '万元',
  yuan: '元',
  percent: '%',
  score: '分',
};

/** Units whose values add up across districts (counts, areas, money); rates and scores do not. */
export const ADDITIVE_UNITS: readonly TileUnit[] = ['count', 'mu', 'm2', 'wan', 'yuan'];

const MODULE_LABELS: Record<string, string> = {
  parks: '小微企业园',
  projects: '三个一批',
  firms: '企业',
  enterprises: '企业',
  assistance: '万人助万企',
  policies: '政策',
  cultivation: '梯度培育',
};

export function tileLabel(key: string): string {
  const known = TILE_LABELS[key];
  if (known) return known;
  const [module, ...rest] = key.split('.');
  return MODULE_LABELS[module ?? ''] ? `${MODULE_LABELS[module!]} ${rest.join('.')}` : key;
}

export function unitLabel(unit: string): string {
  return UNIT_LABELS[unit as TileUnit] ?? unit;
}

/**
 * The unit of one tile as printed. A key ending in `Yi` holds 亿元 (the cockpit's `projects.investmentYi` is the
 * projects module's total in 亿元, while its unit field says `wan`), so the report names the unit the value has.
 */
export function tileUnit(t: { key: string; unit: string }): string {
  return /Yi$/.test(t.key) ? '亿元' : unitLabel(t.unit);
}

/** A figure as officials read it: thousands separators, at most two decimals (rates one). */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = unit === 'count' ? 0 : unit === 'percent' || unit === 'score' ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/**
 * Change against the period before, in percent, for figures that add up (counts, areas, money); null for rates
 * and scores (see `changeText`) and when the earlier value is 0 or missing.
 */
export function changePercent(
  now: number | null | undefined,
  before: number | null | undefined,
  unit: string = 'count',
): number | null {
  if (!ADDITIVE_UNITS.includes(unit as TileUnit)) return null;
  if (now === null || now === undefined || before === null || before === undefined || before === 0) return null;
  return Math.round(((now - before) / Math.abs(before)) * 1000) / 10;
}

export function tileByKey(tiles: readonly Tile[], key: string): Tile | undefined {
  return tiles.find((t) => t.key === key);
}

/** "目标 X · 完成率 Y% · 时序进度 Z%" when a target is set for the tile, else null. */
export function targetText(t: Tile): string | null {
  if (t.target === undefined || t.target === null) return null;
  const parts = [`目标 ${formatValue(t.target, t.unit)}`];
  if (t.completionRate !== undefined && t.completionRate !== null)
    parts.push(`完成率 ${formatValue(t.completionRate, 'percent')}%`);
  if (t.timeProgress !== undefined && t.timeProgress !== null)
    parts.push(`时序进度 ${formatValue(t.timeProgress, 'percent')}%`);
  return parts.join(' · ');
}

/** The change as printed: "+2.1%" for figures that add up, "+1.5 个百分点" for rates, "—" when there is none. */
export function changeText(now: number | null | undefined, before: number | null | undefined, unit: string): string {
  const sign = (v: number) => (v > 0 ? '+' : '');
  if (unit === 'percent' || unit === 'score') {
    if (now === null || now === undefined || before === null || before === undefined) return '—';
    const d = Math.round((now - before) * 10) / 10;
    return unit === 'percent' ? `${sign(d)}${d} 个百分点` : `${sign(d)}${d} 分`;
  }
  const c = changePercent(now, before, unit);
  return c === null ? '—' : `${sign(c)}${c}%`;
}
