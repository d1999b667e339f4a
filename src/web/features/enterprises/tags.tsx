import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EnterpriseStatus, Qualification, Size, Source } from './api';

const SIZE_COLORS: Record<Size, string> = {
  large: 'purple',
  medium: 'blue',
  small: 'cyan',
  micro: 'green',
  unknown: 'default',
};

export function SizeTag({ size }: { size: Size | null }) {
  const { t } = useTranslation();
  const s = size ?? 'unknown';
  return (
    <Tag color={SIZE_COLORS[s]} data-testid="size-tag">
      {t(`enterprises.size.${s}`)}
    </Tag>
  );
}

export function AboveScaleTag({ above }: { above: boolean | null }) {
  const { t } = useTranslation();
  if (above === null) return <Tag>{t('enterprises.aboveScale.unknown')}</Tag>;
  return above ? (
    <Tag color="gold" data-testid="above-tag">
      {t('enterprises.aboveScale.yes')}
    </Tag>
  ) : (
    <Tag>{t('enterprises.aboveScale.no')}</Tag>
  );
}

const STATUS_COLORS: Record<EnterpriseStatus, string> = { active: 'success', exited: 'warning', deregistered: 'error' };

export function StatusTag({ status }: { status: EnterpriseStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status] ?? 'default'}>{t(`enterprises.status.${status}`)}</Tag>;
}

const QUAL_STATE_COLORS: Record<Qualification['state'], string> = {
  valid: 'success',
  expiring: 'warning',
  expired: 'default',
};

export function QualStateTag({ state }: { state: Qualification['state'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={QUAL_STATE_COLORS[state]} data-testid="qual-state">
      {t(`enterprises.qualState.${state}`)}
    </Tag>
  );
}

const SOURCE_COLORS: Record<Source, string> = {
  self_reported: 'default',
  tax_bureau: 'blue',
  power_company: 'orange',
  statistics_bureau: 'geekblue',
  verified_on_site: 'green',
};

export function SourceTag({ source }: { source: Source }) {
  const { t } = useTranslation();
  return <Tag color={SOURCE_COLORS[source] ?? 'default'}>{t(`enterprises.source.${source}`)}</Tag>;
}

export function DerivedTag() {
  const { t } = useTranslation();
  return (
    <Tag color="purple" data-testid="derived-tag">
      {t('enterprises.indicators.derived')}
    </Tag>
  );
}
