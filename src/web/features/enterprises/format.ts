/** Figures of this module: reuses the parks formatters (万元, grouping) and adds indicator/ratio display. */
import { factDef } from '../../../domain/rules/catalogue.ts';
import { formatFactValue } from '../../../domain/rules/describe.ts';
import i18n from '../../app/i18n';
import { formatFixed, formatNumber } from '../parks/format';
import { type DataIssueDetail, INDICATORS, type IndicatorKey, RATIOS, type RatioKey } from './api';

export { formatDay, formatFixed, formatNumber, formatWan } from '../parks/format';

export function unitOf(key: IndicatorKey): string {
  return i18n.t(`enterprises.units.${INDICATORS[key]}`);
}

export function indicatorLabel(key: string): string {
  if (key in RATIOS) return i18n.t(`enterprises.ratio.${key}`);
  if (!(key in INDICATORS)) {
    const def = factDef(key);
    if (def) return i18n.language === 'en' ? def.label.en : def.label['zh-CN'];
  }
  return i18n.t(`enterprises.indicator.${key}`, { defaultValue: key });
}

/** A yearly figure with its unit; a derived ratio (a data-quality issue may name one) as a ratio. */
export function formatIndicator(key: IndicatorKey, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (key in RATIOS) return formatRatio(key as unknown as RatioKey, value);
  const unit = INDICATORS[key];
  if (!unit) {
    const def = factDef(key);
    return def ? formatFactValue(def, value, i18n.language === 'en' ? 'en' : 'zh-CN') : formatNumber(value, 4);
  }
  const digits = unit === 'persons' || unit === 'items' || unit === 'kwh' ? 0 : 2;
  return `${formatNumber(value, digits)} ${unitOf(key)}`;
}

export function formatRatio(key: RatioKey, value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (RATIOS[key] === 'share') return `${formatFixed(value * 100, 2)}%`;
  return `${formatNumber(value, 2)} ${i18n.t('enterprises.units.wanPerMu')}`;
}

/** A self-report's deviation from the official figure (|self − official| / |official|) as a percentage: "25.0%". */
export function formatDeviation(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞';
  return `${formatFixed(value * 100, 1)}%`;
}

/** One plausibility problem in words: "是上年的 5.2 倍（上年 100 万元，本年 520 万元）". */
export function issueText(issue: { key: string; kind: string; detail: DataIssueDetail }): string {
  const key = issue.key as IndicatorKey;
  const d = issue.detail ?? {};
  const fmt = (v: number | undefined) => (v === undefined || v === null ? '—' : formatIndicator(key, v));
  switch (issue.kind) {
    case 'negative':
      return i18n.t('enterprises.quality.text.negative', { value: fmt(d.value) });
    case 'out_of_range':
      return i18n.t('enterprises.quality.text.out_of_range', { value: fmt(d.value), min: fmt(d.min), max: fmt(d.max) });
    case 'yoy_jump':
      return i18n.t(
        (d.value ?? 0) >= (d.prev ?? 0) ? 'enterprises.quality.text.yoy_up' : 'enterprises.quality.text.yoy_down',
        {
          factor: d.factor === undefined || d.factor === null ? '—' : formatNumber(d.factor, 1),
          prev: fmt(d.prev),
          value: fmt(d.value),
        },
      );
    default:
      return issue.kind;
  }
}
