/** Number formats of the 三个一批 pages: money in 万元 / 亿元 as officials read it, rates in %, dates YYYY-MM-DD. */
import i18n from '../../app/i18n';

function locale(): string {
  return i18n.language === 'en' ? 'en-US' : 'zh-CN';
}

/** A number with grouping and at most `dp` decimals (trailing zeros dropped): 2349 → "2,349", 1182.5 → "1,182.5". */
export function formatNumber(value: number | null | undefined, dp = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: dp, minimumFractionDigits: 0 }).format(value);
}

/** 亿元 amount given in 亿元: "2,349 亿元". */
export function formatYi(yi: number | null | undefined, dp = 2): string {
  if (yi === null || yi === undefined) return '—';
  return `${formatNumber(yi, dp)} ${i18n.t('projects.units.yi')}`;
}

/** 万元 amount: "76,790 万元". */
export function formatWan(wan: number | null | undefined, dp = 2): string {
  if (wan === null || wan === undefined) return '—';
  return `${formatNumber(wan, dp)} ${i18n.t('projects.units.wan')}`;
}

/** A 万元 amount shown in 亿元: 76,790 万元 → "7.68 亿元". */
export function formatWanAsYi(wan: number | null | undefined, dp = 2): string {
  if (wan === null || wan === undefined) return '—';
  return formatYi(wan / 10_000, dp);
}

/** A rate given in percent, to at most one decimal: 71.37 → "71.4%", 84 → "84%"; null → "—". */
export function formatPercent(value: number | null | undefined, dp = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${formatNumber(value, dp)}%`;
}

/** Percentage points with a sign: 11.83 → "+11.8". */
export function formatPp(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const rounded = Math.round(value * 10) / 10;
  return `${rounded > 0 ? '+' : rounded < 0 ? '−' : '±'}${formatNumber(Math.abs(rounded), 1)}`;
}

/** A civil date as YYYY-MM-DD (the API answers dates so already). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  return value.slice(0, 10);
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function todayShanghai(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
