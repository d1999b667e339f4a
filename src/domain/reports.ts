/**
 * 周报 / 月报 periods (issue #21, decision 0025): pure date arithmetic on ISO dates ('YYYY-MM-DD', Asia/Shanghai
 * calendar days). A week runs Monday to Sunday; a month from the 1st to its last day. A report is due on the day
 * after its period ends: the weekly one on Monday for the week before, the monthly one on the 1st for the month
 * before.
 */

export const REPORT_PERIOD_TYPES = ['weekly', 'monthly'] as const;
export type ReportPeriodType = (typeof REPORT_PERIOD_TYPES)[number];

export interface ReportPeriod {
  type: ReportPeriodType;
  /** First day (a Monday, or the 1st of a month). */
  start: string;
  /** Last day, inclusive; the report's figures are as of this day. */
  end: string;
}

const DAY_MS = 86_400_000;

function toUtc(date: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not an ISO date: ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) throw new Error(`not a date: ${date}`);
  return d;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return iso(new Date(toUtc(date).getTime() + days * DAY_MS));
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const w = toUtc(date).getUTCDay();
  return w === 0 ? 7 : w;
}

/** The ISO week-numbering year and week of a date (the week of its Thursday). */
export function isoWeek(date: string): { year: number; week: number } {
  const thursday = toUtc(addDays(date, 4 - isoWeekday(date)));
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  return { year, week: Math.floor((thursday.getTime() - jan1) / DAY_MS / 7) + 1 };
}

/** The period of the given type that contains `date`. */
export function periodContaining(type: ReportPeriodType, date: string): ReportPeriod {
  if (type === 'weekly') {
    const start = addDays(date, 1 - isoWeekday(date));
    return { type, start, end: addDays(start, 6) };
  }
  const d = toUtc(date);
  const start = iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
  const end = iso(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
  return { type, start, end };
}

/** The period starting on `start`, or null when `start` is not a period start (a Monday, a 1st). */
export function periodStartingOn(type: ReportPeriodType, start: string): ReportPeriod | null {
  try {
    const p = periodContaining(type, start);
    return p.start === start ? p : null;
  } catch {
    return null;
  }
}

export function previousPeriod(p: ReportPeriod): ReportPeriod {
  return periodContaining(p.type, addDays(p.start, -1));
}

/** The reports due on `day`: the week before on a Monday, the month before on the 1st (both on a Monday the 1st). */
export function periodsDueOn(day: string): ReportPeriod[] {
  const due: ReportPeriod[] = [];
  if (isoWeekday(day) === 1) due.push(periodContaining('weekly', addDays(day, -1)));
  if (day.endsWith('-01')) due.push(periodContaining('monthly', addDays(day, -1)));
  return due;
}

/** True when the period has ended before `today` (its figures are final as of its last day). */
export function periodEnded(p: ReportPeriod, today: string): boolean {
  return p.end < today;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2026年11月' / '2026年第48周（11月23日—11月29日）'; English: 'Nov 2026' / 'Week 48, 2026 (23 Nov – 29 Nov)'. */
export function periodLabel(p: ReportPeriod, locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const [y, m] = p.start.split('-').map(Number) as [number, number];
  const md = (date: string) => {
    const [, mm, dd] = date.split('-').map(Number) as [number, number, number];
    return locale === 'en' ? `${dd} ${EN_MONTHS[mm - 1]}` : `${mm}月${dd}日`;
  };
  if (p.type === 'monthly') return locale === 'en' ? `${EN_MONTHS[m - 1]} ${y}` : `${y}年${m}月`;
  const w = isoWeek(p.start);
  return locale === 'en'
    ? `Week ${w.week}, ${w.year} (${md(p.start)} – ${md(p.end)})`
    : `${w.year}年第${w.week}周（${md(p.start)}—${md(p.end)}）`;
}
