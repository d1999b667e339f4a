/**
 * 目标任务 (issue #21): targets per region, indicator and period, and the two figures leaders read against them.
 *
 * - 完成率 completion rate = actual / target (rules.md §7.2 年度投资完成率: 累计完成投资 / 年度计划投资; 开封 2019
 *   1–8月: 697.38 / 906 = 76.97%). A period target is cumulative from the start of its year (一季度 / 上半年
 *   targets are the amount due by the end of that quarter / half), so the actual is the year-to-date figure.
 * - 时序进度 time progress = elapsed share of the period at the end of `asOf` (Asia/Shanghai dates), by months as
 *   rules.md §7.2 counts it: whole months before asOf's month plus the elapsed fraction of its month, over the
 *   months of the period (31 August → 8/12 of the year; 开封 "超出年度时序进度 10 个百分点": 76.97% − 66.67% =
 *   +10.3 pp). Before the period: 0; after it: 1.
 * Choices are in docs/decisions/0024-cockpit-and-targets.md.
 */

export const TARGET_PERIODS = ['year', 'half', 'quarter'] as const;
export type TargetPeriod = (typeof TARGET_PERIODS)[number];

/**
 * Indicators a target may name: cockpit tile keys (the progress is the tile's value, the same figure as the owning
 * module's endpoint). Units as the tiles show them.
 */
export const TARGET_INDICATORS = {
  'parks.monitored': 'count',
  'parks.landMu': 'mu',
  'parks.floorAreaM2': 'm2',
  'parks.firms': 'count',
  'parks.investmentWan': 'wan',
  'projects.total': 'count',
  'assistance.collected': 'count',
  'assistance.resolved': 'count',
  'policies.count': 'count',
  'policies.paidYuan': 'yuan',
  'firms.total': 'count',
  'firms.aboveScale': 'count',
  'firms.srdi': 'count',
  'firms.srdiNew': 'count',
  'firms.scaleUpNew': 'count',
  'firms.techSme': 'count',
} as const;
export type TargetIndicator = keyof typeof TARGET_INDICATORS;
export const TARGET_INDICATOR_KEYS = Object.keys(TARGET_INDICATORS) as TargetIndicator[];

/** Months covered by a period: year 1–12; half 1 = 1–6, 2 = 7–12; quarter n = 3n−2 … 3n. */
export function periodMonths(period: TargetPeriod, no: number): { first: number; last: number } {
  if (period === 'year') return { first: 1, last: 12 };
  if (period === 'half') {
    if (no !== 1 && no !== 2) throw new RangeError(`half ${no}`);
    return { first: no === 1 ? 1 : 7, last: no === 1 ? 6 : 12 };
  }
  if (!Number.isInteger(no) || no < 1 || no > 4) throw new RangeError(`quarter ${no}`);
  return { first: 3 * no - 2, last: 3 * no };
}

/** First and last day (YYYY-MM-DD) of a period. */
export function periodBounds(period: TargetPeriod, year: number, no: number): { start: string; end: string } {
  const m = periodMonths(period, no);
  const lastDay = new Date(Date.UTC(year, m.last, 0)).getUTCDate();
  const p2 = (n: number) => String(n).padStart(2, '0');
  return { start: `${year}-${p2(m.first)}-01`, end: `${year}-${p2(m.last)}-${p2(lastDay)}` };
}

/** The period of a kind that contains the date (its number). */
export function periodOf(period: TargetPeriod, date: string): { year: number; no: number } {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  if (period === 'year') return { year, no: 1 };
  if (period === 'half') return { year, no: month <= 6 ? 1 : 2 };
  return { year, no: Math.ceil(month / 3) };
}

/** 时序进度 at the end of `asOf` (see the file header), a fraction 0–1. */
export function timeProgress(period: TargetPeriod, year: number, no: number, asOf: string): number {
  const m = periodMonths(period, no);
  const y = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7));
  const day = Number(asOf.slice(8, 10));
  const months = m.last - m.first + 1;
  if (y < year || (y === year && month < m.first)) return 0;
  if (y > year || month > m.last) return 1;
  const daysInMonth = new Date(Date.UTC(y, month, 0)).getUTCDate();
  return (month - m.first + Math.min(day, daysInMonth) / daysInMonth) / months;
}

/** 完成率: actual / target; null when there is no positive target or no actual. */
export function completionRate(actual: number | null, target: number | null): number | null {
  if (actual === null || target === null || !(target > 0) || !Number.isFinite(actual)) return null;
  return actual / target;
}

/** Gap to the time progress in percentage points (completion % − time progress %); negative = lagging. */
export function progressGapPp(rate: number | null, progress: number): number | null {
  return rate === null ? null : (rate - progress) * 100;
}

/** Rounded percent for display and APIs (76.97 for 0.76975…). */
export function asPercent(r: number | null, dp = 2): number | null {
  if (r === null) return null;
  const f = 10 ** dp;
  return Math.round(r * 100 * f + Number.EPSILON) / f;
}
