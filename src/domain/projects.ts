/**
 * 三个一批 (sign · start · commission) rules, pure. Source: ../shared/domain/rules.md §7.
 * §7.1 gives the inclusion thresholds and the delay-warning ladder; §7.2 the KPI formulas, which are
 * [DERIVED] (the official annex was not found) but reproduce the published figures; the choices made where
 * the reference is open are in docs/decisions/0007-projects-kpis.md and are parameters here.
 */

export const INDUSTRY_CLASSES = [
  'manufacturing',
  'investment_attraction',
  'strategic_emerging',
  'infrastructure',
  'modern_services',
  'social_livelihood',
  'other',
] as const;
export type IndustryClass = (typeof INDUSTRY_CLASSES)[number];

/**
 * Inclusion thresholds in 万元 (rules.md §7.1, [OFF] 周口/安阳/三门峡/卢氏): 制造业 ≥ 3亿; 招商引资 and 战略性新兴产业
 * ≥ 1亿; 重大基础设施 ≥ 10亿; 现代服务业 ≥ 5亿; 社会民生事业 ≥ 2亿. 「两新一重」, digital-economy and R&D-platform
 * projects "may be lower": no threshold (`other`).
 */
export const INCLUSION_THRESHOLD_WAN: Record<IndustryClass, number | null> = {
  manufacturing: 30_000,
  investment_attraction: 10_000,
  strategic_emerging: 10_000,
  infrastructure: 100_000,
  modern_services: 50_000,
  social_livelihood: 20_000,
  other: null,
};

/** True when a project's total investment (万元) is below its class's inclusion threshold (a warning, not an error). */
export function belowInclusionThreshold(
  industryClass: IndustryClass,
  totalInvestmentWan: number,
  thresholds: Record<IndustryClass, number | null> = INCLUSION_THRESHOLD_WAN,
): boolean {
  const t = thresholds[industryClass];
  return t !== null && totalInvestmentWan < t;
}

export const PROJECT_STAGES = ['signed', 'performed', 'started', 'producing', 'effective'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];

/** The pipeline only moves forward, one step at a time (signed → 履约 → 开工 → 投产 → 达效). */
export function canAdvance(from: ProjectStage, to: ProjectStage): boolean {
  return PROJECT_STAGES.indexOf(to) === PROJECT_STAGES.indexOf(from) + 1;
}

/** A ratio, or null when the denominator is zero (shown as "—", never as 0% or 100%). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Percent rounded to `dp` decimals (half away from zero), or null. */
export function percent(r: number | null, dp = 1): number | null {
  if (r === null) return null;
  const f = 10 ** dp;
  return Math.round(r * 100 * f + Number.EPSILON) / f;
}

/**
 * 开工率 (rules.md §7.2): 已开工项目数 / 应开工 (或签约/履约) 项目数. 驻马店 2023-01: 30 started of 42 signed → 71.4%.
 */
export function startRate(started: number, base: number): number | null {
  return ratio(started, base);
}

/** 年度投资完成率 (rules.md §7.2): 累计完成投资 / 年度计划投资. 开封 2019 1–8月: 697.38 / 906 = 76.97%. */
export function annualCompletionRate(completed: number, planned: number): number | null {
  return ratio(completed, planned);
}

/**
 * The elapsed share of the calendar year at the end of `asOf` (a date, Asia/Shanghai), by months
 * (时序进度 "elapsed months / 12", rules.md §7.2): whole months before asOf's month, plus the elapsed
 * fraction of its month. 31 August → 8/12.
 */
export function elapsedShareOfYear(asOf: { year: number; month: number; day: number }): number {
  const daysInMonth = new Date(Date.UTC(asOf.year, asOf.month, 0)).getUTCDate();
  return (asOf.month - 1 + Math.min(asOf.day, daysInMonth) / daysInMonth) / 12;
}

/** Time-progress gap in percentage points: completion % − elapsed share % (开封: 76.97 − 66.67 = +10.31 pp). */
export function timeProgressGapPp(completionRate: number | null, asOf: { year: number; month: number; day: number }) {
  if (completionRate === null) return null;
  return (completionRate - elapsedShareOfYear(asOf)) * 100;
}

export type DelayLevel = 'none' | 'yellow' | 'orange' | 'red';

export interface DelayLadder {
  /** Months overdue beyond which each colour applies (strictly more than). */
  yellowMonths: number;
  orangeMonths: number;
  redMonths: number;
}

/** rules.md §7.1 (2024 「挂图作战」): not started > 1 month → yellow, > 1 quarter → orange, > half a year → red. */
export const DEFAULT_DELAY_LADDER: DelayLadder = { yellowMonths: 1, orangeMonths: 3, redMonths: 6 };

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

export function parseCivilDate(s: string): CivilDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function formatCivilDate(d: CivilDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Adds calendar months, clamping the day to the target month's length (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(d: CivilDate, months: number): CivilDate {
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(d.day, dim) };
}

function cmp(a: CivilDate, b: CivilDate) {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Delay warning for a project planned to start on `plannedStart` and not started by `asOf`: the colour of the
 * highest rung whose calendar-month span has been exceeded. Started projects have no warning.
 */
export function delayWarning(
  plannedStart: string | null,
  startedOn: string | null,
  asOf: string,
  ladder: DelayLadder = DEFAULT_DELAY_LADDER,
): DelayLevel {
  if (!plannedStart || startedOn) return 'none';
  const p = parseCivilDate(plannedStart);
  const now = parseCivilDate(asOf);
  if (cmp(now, addMonths(p, ladder.redMonths)) > 0) return 'red';
  if (cmp(now, addMonths(p, ladder.orangeMonths)) > 0) return 'orange';
  if (cmp(now, addMonths(p, ladder.yellowMonths)) > 0) return 'yellow';
  return 'none';
}

// ---- KPIs of one batch (rules.md §7.2) ------------------------------------------------------------------

export interface KpiProject {
  totalInvestmentWan: number;
  performedOn: string | null;
  plannedStartOn: string | null;
  startedOn: string | null;
  productionOn: string | null;
  effectiveOn: string | null;
  /** Planned investment for the KPI year (万元). */
  yearPlanWan: number;
  /** Completed investment in the KPI year up to asOf (万元). */
  yearCompletedWan: number;
  /** Completed investment since the project began, up to asOf (万元). */
  cumulativeCompletedWan: number;
}

/**
 * The base of 开工率 for signed projects. rules.md §7.2 allows 应开工 / 签约 / 履约; we default to 应开工 (performed
 * projects whose planned start has come by asOf), the reading that does not penalise projects not yet due.
 */
export type StartRateBase = 'due' | 'performed' | 'signed';

export interface BatchKpiInput {
  signed: KpiProject[];
  started: KpiProject[];
  producing: KpiProject[];
  asOf: string;
  startRateBase?: StartRateBase;
}

const onOrBefore = (d: string | null, asOf: string) => d !== null && d <= asOf;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
/** 万元 → 亿元. */
export const wanToYi = (wan: number) => wan / 10_000;

export function batchKpis(input: BatchKpiInput) {
  const { signed, started, producing, asOf } = input;
  const base = input.startRateBase ?? 'due';
  const performed = signed.filter((p) => onOrBefore(p.performedOn, asOf));
  const startBase =
    base === 'signed'
      ? signed
      : base === 'performed'
        ? performed
        : performed.filter((p) => onOrBefore(p.plannedStartOn, asOf));
  const startedOfBase = startBase.filter((p) => onOrBefore(p.startedOn, asOf));
  const yearPlan = sum(started.map((p) => p.yearPlanWan));
  const yearDone = sum(started.map((p) => p.yearCompletedWan));
  const prodTotal = sum(producing.map((p) => p.totalInvestmentWan));
  const prodDone = sum(producing.map((p) => p.cumulativeCompletedWan));
  const inProduction = producing.filter((p) => onOrBefore(p.productionOn, asOf));
  const effective = producing.filter((p) => onOrBefore(p.effectiveOn, asOf));
  const asOfDate = parseCivilDate(asOf);
  const yearRate = annualCompletionRate(yearDone, yearPlan);
  return {
    signed: {
      count: signed.length,
      investmentWan: sum(signed.map((p) => p.totalInvestmentWan)),
      performedCount: performed.length,
      performanceRate: ratio(performed.length, signed.length),
      startBase: base,
      startBaseCount: startBase.length,
      startedCount: startedOfBase.length,
      startRate: startRate(startedOfBase.length, startBase.length),
    },
    started: {
      count: started.length,
      investmentWan: sum(started.map((p) => p.totalInvestmentWan)),
      yearPlanWan: yearPlan,
      yearInvestmentWan: yearDone,
      yearCompletionRate: yearRate,
      timeProgressGapPp: timeProgressGapPp(yearRate, asOfDate),
    },
    producing: {
      count: producing.length,
      investmentWan: prodTotal,
      completedInvestmentWan: prodDone,
      completionRate: ratio(prodDone, prodTotal),
      inProductionCount: inProduction.length,
      productionRate: ratio(inProduction.length, producing.length),
      effectiveCount: effective.length,
      effectiveRate: ratio(effective.length, producing.length),
    },
  };
}
