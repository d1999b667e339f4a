import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type {
  DataIssueKind,
  EnterpriseStatus,
  Qualification,
  ReviewFlag,
  ReviewStatus,
  Size,
  Source,
  Trust,
} from './api';

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
  statistics_bureau: 'geekblue',
  tax_bureau: 'blue',
  power_company: 'orange',
  hrss_bureau: 'cyan',
  park_operator: 'purple',
  verified_on_site: 'green',
};

/** The source of a figure (统计局, 企业自报 …). */
export function SourceTag({ source }: { source: Source }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={SOURCE_COLORS[source] ?? 'default'}
      style={{ whiteSpace: 'normal', maxWidth: '100%' }}
      data-testid="source-tag"
    >
      {t(`enterprises.source.${source}`, { defaultValue: source })}
    </Tag>
  );
}

/** A fact's origin in a policy explanation: an indicator's source, or derived (系统计算) / registry (登记信息). */
export function FactSourceTag({ source }: { source: Source | 'derived' | 'registry' }) {
  const { t } = useTranslation();
  if (source === 'derived') return <DerivedTag />;
  if (source === 'registry') return <Tag color="default">{t('enterprises.source.registry')}</Tag>;
  return <SourceTag source={source} />;
}

const TRUST_COLORS: Record<Trust, string> = { 0: 'default', 1: 'blue', 2: 'green' };

/** 自报 / 官方 / 核实. */
export function TrustTag({ trust }: { trust: Trust }) {
  const { t } = useTranslation();
  return (
    <Tag color={TRUST_COLORS[trust]} bordered={false} data-testid="trust-tag">
      {t(`enterprises.trust.${trust}`)}
    </Tag>
  );
}

const REVIEW_COLORS: Record<ReviewStatus, string> = {
  pending: 'warning',
  confirmed: 'success',
  rejected: 'error',
  not_required: 'default',
};

export function ReviewStatusTag({ status }: { status: ReviewStatus | null }) {
  const { t } = useTranslation();
  if (!status) return null;
  return (
    <Tag color={REVIEW_COLORS[status] ?? 'default'} data-testid="review-status">
      {t(`enterprises.review.status.${status}`)}
    </Tag>
  );
}

/** Why a self-report waits for a check; `short` for table cells (the full words in a tooltip). */
export function ReviewFlagTag({ flag, short = false }: { flag: ReviewFlag | null; short?: boolean }) {
  const { t } = useTranslation();
  if (!flag) return null;
  const tag = (
    <Tag
      color={flag === 'deviation' ? 'volcano' : 'gold'}
      bordered={false}
      style={{ whiteSpace: 'normal', maxWidth: '100%' }}
      data-testid="review-flag"
    >
      {t(short ? `enterprises.review.flagShort.${flag}` : `enterprises.review.flag.${flag}`)}
    </Tag>
  );
  return short ? <Tooltip title={t(`enterprises.review.flag.${flag}`)}>{tag}</Tooltip> : tag;
}

const ISSUE_COLORS: Record<DataIssueKind, string> = { negative: 'error', out_of_range: 'warning', yoy_jump: 'orange' };

export function IssueKindTag({ kind }: { kind: DataIssueKind }) {
  const { t } = useTranslation();
  return <Tag color={ISSUE_COLORS[kind] ?? 'default'}>{t(`enterprises.quality.kind.${kind}`)}</Tag>;
}

export function DerivedTag() {
  const { t } = useTranslation();
  return (
    <Tag color="purple" data-testid="derived-tag">
      {t('enterprises.indicators.derived')}
    </Tag>
  );
}
