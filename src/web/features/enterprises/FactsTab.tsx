import { Collapse, Empty, Space, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type EnterpriseDetail, INDICATORS, type IndicatorKey, RATIOS, type RatioKey } from './api';
import { formatDay, formatIndicator, formatNumber, formatRatio, indicatorLabel } from './format';
import { AboveScaleTag, DerivedTag, SizeTag } from './tags';

type T = (key: string, options?: Record<string, unknown>) => string;

const META_ORDER = ['status', 'sizeGroup', 'sizeMissing', 'aboveScaleRule', 'yearsSinceFounding', 'qualifications'];

function label(t: T, key: string): ReactNode {
  if (key in INDICATORS) return indicatorLabel(key);
  if (key in RATIOS)
    return (
      <Space size={4}>
        {t(`enterprises.ratio.${key}`)}
        <DerivedTag />
      </Space>
    );
  return t(`enterprises.factKey.${key}`, { defaultValue: key });
}

function value(t: T, key: string, v: unknown): ReactNode {
  if (v === null || v === undefined) return '—';
  if (key in INDICATORS) return formatIndicator(key as IndicatorKey, v as number);
  if (key in RATIOS) return formatRatio(key as RatioKey, v as number);
  switch (key) {
    case 'status':
      return t(`enterprises.status.${String(v)}`, { defaultValue: String(v) });
    case 'sizeGroup':
      return t(`enterprises.sizeGroup.${String(v)}`, { defaultValue: String(v) });
    case 'sizeMissing':
      return Array.isArray(v) && v.length
        ? v.map((m) => t(`enterprises.sizeIndicator.${String(m)}`)).join(t('enterprises.sizeCard.sep'))
        : '—';
    case 'aboveScaleRule':
      return `${String(v)} · ${t(`enterprises.aboveRule.${String(v)}`, { defaultValue: String(v) })}`;
    case 'qualifications':
      return Array.isArray(v) && v.length ? (
        <Space orientation="vertical" size={0}>
          {(v as { type: string; level: string | null; issuedOn: string; validUntil: string | null }[]).map((q) => (
            <span key={`${q.type}-${q.issuedOn}`}>
              {t(`enterprises.qualType.${q.type}`, { defaultValue: q.type })}
              {q.level ? `（${t(`enterprises.qualLevel.${q.level}`, { defaultValue: q.level })}）` : ''}{' '}
              <Typography.Text type="secondary">
                {formatDay(q.issuedOn)} – {q.validUntil ? formatDay(q.validUntil) : '…'}
              </Typography.Text>
            </span>
          ))}
        </Space>
      ) : (
        '—'
      );
    default:
      if (typeof v === 'number') return formatNumber(v, 2);
      if (typeof v === 'boolean') return v ? t('enterprises.aboveScale.yes') : t('enterprises.aboveScale.no');
      return typeof v === 'string' ? v : JSON.stringify(v);
  }
}

function rank(key: string): number {
  const keys = Object.keys(INDICATORS);
  if (keys.includes(key)) return keys.indexOf(key);
  const ratios = Object.keys(RATIOS);
  if (ratios.includes(key)) return 100 + ratios.indexOf(key);
  const m = META_ORDER.indexOf(key);
  return m >= 0 ? 200 + m : 300;
}

/** The enterprise facts of each year (what policy and evaluation rules match on), as a readable table. */
export function FactsTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  if (!e.facts.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.facts.empty')} />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="facts-tab">
      <Typography.Text type="secondary">{t('enterprises.facts.intro')}</Typography.Text>
      <Collapse
        defaultActiveKey={[String(e.size?.year ?? e.facts[0]?.year)]}
        items={e.facts.map((f) => ({
          key: String(f.year),
          label: (
            <Space wrap size={6}>
              <span>{t('enterprises.facts.year', { year: f.year })}</span>
              <SizeTag size={f.size} />
              <AboveScaleTag above={f.aboveScale} />
            </Space>
          ),
          children: (
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              showHeader
              scroll={{ x: 'max-content' }}
              dataSource={Object.entries(f.facts)
                .map(([key, v]) => ({ key, v }))
                .sort((a, b) => rank(a.key) - rank(b.key))}
              columns={[
                {
                  title: t('enterprises.facts.key'),
                  dataIndex: 'key',
                  key: 'key',
                  render: (k: string) => label(t, k),
                },
                {
                  title: t('enterprises.facts.value'),
                  key: 'v',
                  render: (_: unknown, r: { key: string; v: unknown }) => value(t, r.key, r.v),
                },
              ]}
            />
          ),
        }))}
      />
    </Space>
  );
}
