/**
 * Figures as officials read them (DESIGN.md §5): money in 万元 / 亿元, land in 亩 / 万亩, floor area in m² / 万m²,
 * dates YYYY-MM-DD. Unit names come from the i18n files (parks.measure.*).
 */
import type { Dayjs } from 'dayjs';
import i18n from '../../app/i18n';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

/** A plain number with grouping and at most `digits` decimals; '—' for null. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(value);
}

/** A number with a fixed count of decimals. */
export function formatFixed(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    value,
  );
}

const unit = (key: string) => i18n.t(`parks.measure.${key}`);

/** 12,345 万元 */
export function formatWan(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined) return '—';
  return `${formatNumber(value, digits)} ${unit('wan')}`;
}

/** 万元 → 亿元: 26,376,038 万元 → 2,637.60 亿元 */
export function formatYi(wan: number | null | undefined): string {
  if (wan === null || wan === undefined) return '—';
  return `${formatFixed(wan / 10_000, 2)} ${unit('yi')}`;
}

/** Money in 万元 below 1 亿元, otherwise in 亿元. */
export function formatMoney(wan: number | null | undefined): string {
  if (wan === null || wan === undefined) return '—';
  return Math.abs(wan) >= 10_000 ? formatYi(wan) : formatWan(wan, 2);
}

export function formatMu(mu: number | null | undefined): string {
  if (mu === null || mu === undefined) return '—';
  return `${formatNumber(mu, 2)} ${unit('mu')}`;
}

export function formatWanMu(mu: number | null | undefined): string {
  if (mu === null || mu === undefined) return '—';
  return `${formatFixed(mu / 10_000, 2)} ${unit('wanMu')}`;
}

export function formatM2(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined) return '—';
  return `${formatNumber(m2, 0)} ${unit('m2')}`;
}

export function formatWanM2(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined) return '—';
  return `${formatFixed(m2 / 10_000, 2)} ${unit('wanM2')}`;
}

/** A share 0..1 as a percentage. */
export function formatShare(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined) return '—';
  return `${formatFixed(share * 100, digits)}%`;
}

/** A value already in percent (e.g. 39.95). */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return `${formatFixed(value, digits)}%`;
}

/** Percentage points with a sign: +1.20 / −4.22. */
export function formatPp(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const sign = value > 0 ? '+' : value < 0 ? '−' : '';
  return `${sign}${formatFixed(Math.abs(value), 2)} ${unit('pp')}`;
}

/** Civil dates are already YYYY-MM-DD on the wire; keep them so (and show '—' for none). */
export function formatDay(value: string | null | undefined): string {
  if (!value) return '—';
  return value.slice(0, 10);
}

/** Monday of the ISO week / first day of the month of a date (what the server files a report under). */
export function periodStartOf(period: 'week' | 'month', d: Dayjs): string {
  if (period === 'month') return d.startOf('month').format('YYYY-MM-DD');
  const dow = (d.day() + 6) % 7;
  return d.subtract(dow, 'day').format('YYYY-MM-DD');
}
