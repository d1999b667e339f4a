/** Figures of this module: reuses the parks formatters (万元, grouping) and adds indicator/ratio display. */
import i18n from '../../app/i18n';
import { formatFixed, formatNumber } from '../parks/format';
import { INDICATORS, type IndicatorKey, RATIOS, type RatioKey } from './api';

export { formatDay, formatFixed, formatNumber, formatWan } from '../parks/format';

export function unitOf(key: IndicatorKey): string {
  return i18n.t(`enterprises.units.${INDICATORS[key]}`);
}

export function indicatorLabel(key: string): string {
  return i18n.t(`enterprises.indicator.${key}`, { defaultValue: key });
}

export function formatIndicator(key: IndicatorKey, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const unit = INDICATORS[key];
  const digits = unit === 'persons' || unit === 'items' || unit === 'kwh' ? 0 : 2;
  return `${formatNumber(value, digits)} ${unitOf(key)}`;
}

export function formatRatio(key: RatioKey, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (RATIOS[key] === 'share') return `${formatFixed(value * 100, 2)}%`;
  return `${formatNumber(value, 2)} ${i18n.t('enterprises.units.wanPerMu')}`;
}
