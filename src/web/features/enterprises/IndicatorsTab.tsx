/**
 * The Indicators tab (issue #15 "Trusted facts"): per year and indicator the figure in effect with its source, and
 * where a firm's self-report stands beside an official figure both of them, the self-report with its review status;
 * every version in a history drawer; the report form (an enterprise reports 企业自报 only, with a note and evidence);
 * the plausibility problems of the firm's figures.
 */
import { CheckCircleFilled, EditOutlined, HistoryOutlined, WarningOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Collapse,
  Drawer,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type HTMLAttributes, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { type ChartOption, EChart } from '../parks/EChart';
import { policiesKey } from '../policies/api';
import {
  type DataIssue,
  type EnterpriseDetail,
  enterpriseKey,
  enterprisesKey,
  INDICATOR_KEYS,
  type IndicatorKey,
  type IndicatorSaved,
  type IndicatorValue,
  type IndicatorVersion,
  RATIOS,
  type RatioKey,
  SOURCES,
  type Source,
  serverFieldErrors,
  trustOf,
  useIndicatorHistory,
} from './api';
import { EvidenceLink, EvidenceUpload } from './Evidence';
import { formatIndicator, formatRatio, indicatorLabel, issueText, unitOf } from './format';
import { DerivedTag, ReviewFlagTag, ReviewStatusTag, SourceTag, TrustTag } from './tags';

const ORDER = new Map(INDICATOR_KEYS.map((k, i) => [k, i]));

function TrendChart({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption | null>(() => {
    const years = [...new Set(e.indicators.map((i) => i.year))].sort((a, b) => a - b);
    if (!years.length) return null;
    const get = (key: IndicatorKey) =>
      years.map((y) => e.indicators.find((i) => i.year === y && i.key === key)?.value ?? null);
    const revenue = t('enterprises.indicator.operating_revenue');
    const tax = t('enterprises.indicator.tax_paid');
    const employees = t('enterprises.indicator.employees_year_end');
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [revenue, tax, employees] },
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: [
        { type: 'value', name: t('enterprises.units.wan') },
        { type: 'value', name: t('enterprises.units.persons'), splitLine: { show: false } },
      ],
      series: [
        { name: revenue, type: 'bar', data: get('operating_revenue'), itemStyle: { color: '#1f7a4d' } },
        { name: tax, type: 'bar', data: get('tax_paid'), itemStyle: { color: '#d48806' } },
        {
          name: employees,
          type: 'line',
          yAxisIndex: 1,
          data: get('employees_year_end'),
          itemStyle: { color: '#1677ff' },
        },
      ],
    } as ChartOption;
  }, [e.indicators, t]);
  if (!option) return null;
  return (
    <EChart
      option={option}
      style={{ height: 280 }}
      testId="indicator-trend"
      ariaLabel={t('enterprises.indicators.trend')}
    />
  );
}

function Ratios({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const rows = [...e.facts].filter((f) => Object.keys(RATIOS).some((k) => f.facts[k] != null));
  if (!rows.length) return null;
  const keys = Object.keys(RATIOS) as RatioKey[];
  return (
    <div data-testid="derived-ratios">
      <Flex align="center" gap={8} style={{ margin: '16px 0 8px' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('enterprises.indicators.ratios')}
        </Typography.Title>
        <DerivedTag />
      </Flex>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={keys.map((k) => ({ key: k }))}
        columns={[
          {
            title: t('enterprises.indicators.ratio'),
            dataIndex: 'key',
            key: 'key',
            render: (k: RatioKey) => t(`enterprises.ratio.${k}`),
          },
          ...rows.map((f) => ({
            title: String(f.year),
            key: String(f.year),
            align: 'right' as const,
            render: (_: unknown, r: { key: RatioKey }) => formatRatio(r.key, f.facts[r.key] as number | null),
          })),
        ]}
      />
    </div>
  );
}

/** The current figures of a firm: every source's value per (year, key), or the effective ones from an older API. */
function valuesOf(e: EnterpriseDetail): IndicatorValue[] {
  if (e.indicatorValues) return e.indicatorValues;
  return e.indicators.map((i) => ({
    id: `${i.year}:${i.key}:${i.source}`,
    year: i.year,
    key: i.key,
    source: i.source,
    value: i.value,
    version: 1,
    enteredAt: i.enteredAt,
    enteredByName: i.enteredByName ?? null,
    note: null,
    evidenceFileId: null,
    reviewStatus: null,
    reviewFlag: null,
    reviewNote: null,
    reviewedAt: null,
    reviewedByName: null,
  }));
}

interface Row {
  key: IndicatorKey;
  year: number;
  /** The source whose figure is in effect. */
  effective: Source | null;
  /** Official and verified figures, most trusted first. */
  official: IndicatorValue[];
  self: IndicatorValue | null;
  issues: DataIssue[];
}

function rowsOf(e: EnterpriseDetail, year: number): Row[] {
  const rows = new Map<IndicatorKey, Row>();
  const row = (key: IndicatorKey) => {
    let r = rows.get(key);
    if (!r) {
      r = { key, year, effective: null, official: [], self: null, issues: [] };
      rows.set(key, r);
    }
    return r;
  };
  for (const v of valuesOf(e).filter((v) => v.year === year)) {
    if (v.source === 'self_reported') row(v.key).self = v;
    else row(v.key).official.push(v);
  }
  for (const i of e.indicators.filter((i) => i.year === year)) row(i.key).effective = i.source;
  for (const d of (e.dataIssues ?? []).filter((d) => d.year === year)) row(d.key).issues.push(d);
  for (const r of rows.values()) r.official.sort((a, b) => trustOf(b.source) - trustOf(a.source));
  return [...rows.values()].sort((a, b) => (ORDER.get(a.key) ?? 99) - (ORDER.get(b.key) ?? 99));
}

function InEffect() {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('enterprises.indicators.inEffectHint')}>
      <Tag color="success" icon={<CheckCircleFilled />} data-testid="in-effect">
        {t('enterprises.indicators.inEffect')}
      </Tag>
    </Tooltip>
  );
}

/** Whether a row holds more than one figure (then the one in effect is marked 采用). */
const several = (r: Row) => r.official.length + (r.self ? 1 : 0) > 1;

/** One figure: value, source, and the 采用 mark when it is the one in effect among several. */
function Figure({
  v,
  effective,
  marked,
  children,
}: {
  v: IndicatorValue;
  effective: boolean;
  marked: boolean;
  children?: ReactNode;
}) {
  return (
    <Space size={4} wrap data-testid={`figure-${v.source}`}>
      <Typography.Text strong={effective}>{formatIndicator(v.key, v.value)}</Typography.Text>
      <SourceTag source={v.source} />
      {effective && marked ? <InEffect /> : null}
      {children}
    </Space>
  );
}

interface RecordValues {
  year: number;
  key: IndicatorKey;
  value: number;
  source: Source;
  note?: string;
  evidenceFileId?: string | null;
}

/** Figures that can be negative (a loss); every other indicator must be ≥ 0 (the server answers 422 otherwise). */
const MAY_BE_NEGATIVE = new Set<IndicatorKey>(['net_profit', 'value_added']);

/** The sources a user may report: a firm 企业自报, a park operator 园区运营方, officials any. */
function sourcesFor(role: string): readonly Source[] {
  if (role === 'enterprise') return ['self_reported'];
  if (role === 'park_operator') return ['park_operator'];
  return SOURCES;
}

function RecordModal({
  e,
  open,
  onClose,
  initial,
}: {
  e: EnterpriseDetail;
  open: boolean;
  onClose: () => void;
  initial?: { year: number; key: IndicatorKey };
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RecordValues>();
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An enterprise user may only report its own figures as 企业自报 (the server refuses other sources with 403).
  const sources = sourcesFor(me.role);
  const fixed = sources.length === 1;
  const thisYear = new Date().getFullYear();
  const key = Form.useWatch('key', form);

  const save = async (v: RecordValues) => {
    setBusy(true);
    setError(null);
    try {
      const note = v.note?.trim();
      const saved = await api.put<IndicatorSaved>(`/enterprises/${e.id}/indicators`, {
        year: v.year,
        key: v.key,
        value: v.value,
        source: v.source,
        ...(note ? { note } : {}),
        ...(v.evidenceFileId ? { evidenceFileId: v.evidenceFileId } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: enterpriseKey(e.id) });
      void queryClient.invalidateQueries({ queryKey: [...enterprisesKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...policiesKey, 'my'] });
      const review = saved?.review;
      const effective = saved?.effective;
      const inEffect =
        effective && effective.source !== v.source
          ? t('enterprises.indicators.effectiveNow', {
              source: t(`enterprises.source.${effective.source}`),
              value: formatIndicator(v.key, effective.value),
            })
          : '';
      if (review?.status === 'pending')
        void message.warning({
          content: `${t(`enterprises.indicators.savedPending.${review.flag ?? 'other'}`)}${inEffect}`,
          duration: 6,
        });
      else if (review?.status === 'not_required')
        void message.success(`${t('enterprises.indicators.savedMatches')}${inEffect}`);
      else void message.success(`${t('enterprises.indicators.saved')}${inEffect}`);
      form.resetFields();
      onClose();
    } catch (err) {
      const fields = serverFieldErrors(err, ['year', 'key', 'value', 'source', 'note', 'evidenceFileId'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const existing = valuesOf(e).find((i) => i.year === v.year && i.key === v.key && i.source === v.source);
    if (existing) {
      modal.confirm({
        title: t('enterprises.indicators.replaceTitle'),
        content: t('enterprises.indicators.replaceBody', {
          name: indicatorLabel(v.key),
          year: v.year,
          source: t(`enterprises.source.${v.source}`),
          old: formatIndicator(v.key, existing.value),
          value: formatIndicator(v.key, v.value),
        }),
        okText: t('enterprises.indicators.replace'),
        onOk: () => save(v),
      });
    } else await save(v);
  };

  return (
    <Modal
      open={open}
      title={t('enterprises.indicators.record')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={fixed && sources[0] === 'self_reported' ? t('enterprises.indicators.submit') : t('common.save')}
      okButtonProps={{ disabled: uploading, 'data-testid': 'indicator-submit' }}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary">
        {sources[0] === 'self_reported' && fixed
          ? t('enterprises.indicators.selfHint')
          : t('enterprises.indicators.recordHint')}
      </Typography.Paragraph>
      <Form<RecordValues>
        form={form}
        layout="vertical"
        name="indicatorRecord"
        initialValues={{
          year: initial?.year ?? thisYear - 1,
          key: initial?.key,
          source: sources[0],
          evidenceFileId: null,
        }}
      >
        <Form.Item name="year" label={t('enterprises.indicators.year')} rules={[{ required: true }]}>
          <Select options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: y }))} />
        </Form.Item>
        <Form.Item
          name="key"
          label={t('enterprises.indicators.key')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={INDICATOR_KEYS.map((k) => ({ value: k, label: `${indicatorLabel(k)}（${unitOf(k)}）` }))}
          />
        </Form.Item>
        <Form.Item
          name="value"
          dependencies={['key']}
          label={key ? `${t('enterprises.indicators.value')}（${unitOf(key)}）` : t('enterprises.indicators.value')}
          rules={[
            { required: true, message: t('enterprises.create.required') },
            {
              validator: async (_, v: number | null | undefined) => {
                const k = form.getFieldValue('key') as IndicatorKey | undefined;
                if (typeof v === 'number' && v < 0 && k && !MAY_BE_NEGATIVE.has(k))
                  throw new Error(t('enterprises.indicators.negative'));
              },
            },
          ]}
        >
          <InputNumber style={{ width: '100%' }} min={-1e12} max={1e14} />
        </Form.Item>
        <Form.Item name="source" label={t('enterprises.indicators.source')} rules={[{ required: true }]}>
          <Select disabled={fixed} options={sources.map((s) => ({ value: s, label: t(`enterprises.source.${s}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('enterprises.indicators.note')}>
          <Input.TextArea
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={500}
            showCount
            placeholder={t('enterprises.indicators.notePlaceholder')}
          />
        </Form.Item>
        <Form.Item name="evidenceFileId" label={t('enterprises.evidence.label')} extra={t('enterprises.evidence.hint')}>
          <EvidenceUpload onBusy={setUploading} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Every version of one figure (all sources), newest first. */
function HistoryDrawer({ e, target, onClose }: { e: EnterpriseDetail; target: Row; onClose: () => void }) {
  const { t } = useTranslation();
  const history = useIndicatorHistory(e.id, target.year, target.key);
  const items = history.data?.items ?? [];
  return (
    <Drawer
      open
      onClose={onClose}
      title={t('enterprises.history.title', { year: target.year, name: indicatorLabel(target.key) })}
      styles={{ wrapper: { width: 'min(640px, 100vw)' } }}
      destroyOnHidden
      data-testid="indicator-history-drawer"
    >
      {history.isPending ? <Skeleton active /> : null}
      {history.isError ? <QueryError error={history.error} onRetry={() => void history.refetch()} /> : null}
      {history.data && !items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.history.empty')} />
      ) : null}
      {items.length ? (
        <List<IndicatorVersion>
          dataSource={items}
          data-testid="indicator-history"
          renderItem={(v) => (
            <List.Item style={{ display: 'block', paddingInline: 0 }} data-testid="history-item">
              <Flex justify="space-between" align="center" wrap gap={4}>
                <Space size={4} wrap>
                  <Typography.Text strong>{formatIndicator(v.key, v.value)}</Typography.Text>
                  <SourceTag source={v.source} />
                  {trustOf(v.source) > 0 ? <TrustTag trust={trustOf(v.source)} /> : null}
                  {v.current ? <Tag color="processing">{t('enterprises.history.current')}</Tag> : null}
                  {v.current && target.effective === v.source ? <InEffect /> : null}
                </Space>
                <Typography.Text type="secondary">{t('enterprises.history.version', { n: v.version })}</Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                {formatDateTime(v.enteredAt)} · {v.enteredByName ?? t('enterprises.indicators.bySystem')}
              </Typography.Text>
              {v.note ? (
                <Typography.Paragraph style={{ margin: '4px 0 0' }}>
                  {t('enterprises.history.note')}
                  {v.note}
                </Typography.Paragraph>
              ) : null}
              {v.evidenceFileId ? (
                <div style={{ marginTop: 4 }}>
                  <EvidenceLink fileId={v.evidenceFileId} />
                </div>
              ) : null}
              {v.reviewStatus ? (
                <div
                  style={{ marginTop: 6, padding: '6px 8px', background: 'rgba(0,0,0,0.02)', borderRadius: 6 }}
                  data-testid="history-review"
                >
                  <Space size={4} wrap>
                    <ReviewStatusTag status={v.reviewStatus} />
                    <ReviewFlagTag flag={v.reviewFlag} />
                    {v.reviewedAt ? (
                      <Typography.Text type="secondary">
                        {formatDateTime(v.reviewedAt)} · {v.reviewedByName ?? '—'}
                      </Typography.Text>
                    ) : null}
                  </Space>
                  {v.reviewNote ? (
                    <div>
                      {t('enterprises.history.reviewNote')}
                      {v.reviewNote}
                    </div>
                  ) : null}
                </div>
              ) : null}
            </List.Item>
          )}
        />
      ) : null}
    </Drawer>
  );
}

function IssuesAlert({ issues }: { issues: DataIssue[] }) {
  const { t } = useTranslation();
  if (!issues.length) return null;
  const sorted = [...issues].sort((a, b) => b.year - a.year || (ORDER.get(a.key) ?? 99) - (ORDER.get(b.key) ?? 99));
  return (
    <Alert
      type="warning"
      showIcon
      title={t('enterprises.indicators.issuesTitle', { count: issues.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {sorted.map((d) => (
            <li key={`${d.year}:${d.key}:${d.kind}`}>
              {t('enterprises.indicators.issueLine', {
                year: d.year,
                name: indicatorLabel(d.key),
                text: issueText(d),
              })}
            </li>
          ))}
        </ul>
      }
      data-testid="data-issues"
    />
  );
}

function KeyCell({ r }: { r: Row }) {
  const { t } = useTranslation();
  return (
    <Space size={4} style={{ maxWidth: 190 }}>
      <span>{indicatorLabel(r.key)}</span>
      {r.issues.length ? (
        <Tooltip title={r.issues.map((d) => issueText(d)).join('；')}>
          <WarningOutlined style={{ color: '#d48806' }} aria-label={t('enterprises.indicators.issue')} />
        </Tooltip>
      ) : null}
    </Space>
  );
}

function OfficialCell({ r }: { r: Row }) {
  const { t } = useTranslation();
  if (!r.official.length)
    return <Typography.Text type="secondary">{t('enterprises.indicators.noOfficial')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={2} style={{ maxWidth: 270 }}>
      {r.official.map((v) => (
        <Figure key={v.source} v={v} effective={r.effective === v.source} marked={several(r)} />
      ))}
    </Space>
  );
}

function SelfCell({ r }: { r: Row }) {
  if (!r.self) return <>—</>;
  return (
    <div style={{ maxWidth: 270, minWidth: 0 }}>
      <Figure v={r.self} effective={r.effective === 'self_reported'} marked={several(r)}>
        <ReviewStatusTag status={r.self.reviewStatus} />
        <ReviewFlagTag flag={r.self.reviewStatus === 'pending' ? r.self.reviewFlag : null} short />
      </Figure>
      {r.self.note ? (
        <Typography.Paragraph
          type="secondary"
          style={{ fontSize: 12, margin: '2px 0 0' }}
          ellipsis={{ rows: 2, tooltip: r.self.note }}
        >
          {r.self.note}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}

function EnteredCell({ r }: { r: Row }) {
  const { t } = useTranslation();
  const v = [...r.official, ...(r.self ? [r.self] : [])].find((x) => x.source === r.effective);
  if (!v) return <>—</>;
  return (
    <Space orientation="vertical" size={0}>
      <span>{formatDateTime(v.enteredAt)}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {v.enteredByName ?? t('enterprises.indicators.bySystem')}
      </Typography.Text>
    </Space>
  );
}

/** Figures of one row on a phone: labelled lines instead of table columns. */
function RowLines({ r }: { r: Row }) {
  const { t } = useTranslation();
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%', marginTop: 4 }}>
      <Flex gap={6} align="baseline">
        <Typography.Text type="secondary" style={{ flex: 'none', fontSize: 12 }}>
          {t('enterprises.indicators.officialShort')}
        </Typography.Text>
        <div style={{ flex: 1, minWidth: 0 }}>
          <OfficialCell r={r} />
        </div>
      </Flex>
      {r.self ? (
        <Flex gap={6} align="baseline">
          <Typography.Text type="secondary" style={{ flex: 'none', fontSize: 12 }}>
            {t('enterprises.indicators.selfShort')}
          </Typography.Text>
          <div style={{ flex: 1, minWidth: 0 }}>
            <SelfCell r={r} />
          </div>
        </Flex>
      ) : null}
    </Space>
  );
}

export function IndicatorsTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const compact = Grid.useBreakpoint().md === false;
  const [recording, setRecording] = useState<{ year: number; key: IndicatorKey } | 'new' | null>(null);
  const [historyOf, setHistoryOf] = useState<Row | null>(null);
  const values = valuesOf(e);
  const years = [...new Set([...e.indicators.map((i) => i.year), ...values.map((v) => v.year)])].sort((a, b) => b - a);
  const canReport = can('enterprises:report');

  const actionsOf = (r: Row) => (
    <Space size={0}>
      <Button
        size="small"
        type="link"
        icon={<HistoryOutlined />}
        onClick={() => setHistoryOf(r)}
        data-testid="indicator-history-open"
      >
        {t('enterprises.indicators.history')}
      </Button>
      {canReport ? (
        <Tooltip title={t('enterprises.indicators.recordThis')}>
          <Button
            size="small"
            type="link"
            icon={<EditOutlined />}
            onClick={() => setRecording({ year: r.year, key: r.key })}
            aria-label={t('enterprises.indicators.recordThis')}
            data-testid="indicator-record-row"
          />
        </Tooltip>
      ) : null}
    </Space>
  );

  const columns: TableColumnsType<Row> = [
    { title: t('enterprises.indicators.key'), key: 'key', render: (_: unknown, r) => <KeyCell r={r} /> },
    { title: t('enterprises.indicators.official'), key: 'official', render: (_: unknown, r) => <OfficialCell r={r} /> },
    { title: t('enterprises.indicators.selfReported'), key: 'self', render: (_: unknown, r) => <SelfCell r={r} /> },
    { title: t('enterprises.indicators.entered'), key: 'entered', render: (_: unknown, r) => <EnteredCell r={r} /> },
    { title: t('common.actions'), key: 'actions', render: (_: unknown, r) => actionsOf(r) },
  ];

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="indicators-tab">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('enterprises.indicators.intro')}</Typography.Text>
        {canReport ? (
          <Button icon={<EditOutlined />} onClick={() => setRecording('new')} data-testid="indicator-record">
            {t('enterprises.indicators.record')}
          </Button>
        ) : null}
      </Flex>
      <IssuesAlert issues={e.dataIssues ?? []} />
      {!years.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.indicators.empty')} />
      ) : (
        <>
          <TrendChart e={e} />
          <Collapse
            defaultActiveKey={[String(years[0])]}
            items={years.map((y) => {
              const rows = rowsOf(e, y);
              const pending = rows.filter((r) => r.self?.reviewStatus === 'pending').length;
              return {
                key: String(y),
                label: (
                  <Space size={8} wrap>
                    <span>{t('enterprises.indicators.yearTitle', { year: y })}</span>
                    {pending ? (
                      <Tag color="warning" bordered={false}>
                        {t('enterprises.indicators.pendingCount', { count: pending })}
                      </Tag>
                    ) : null}
                  </Space>
                ),
                children: compact ? (
                  <List<Row>
                    size="small"
                    dataSource={rows}
                    data-testid={`indicators-${y}`}
                    renderItem={(r) => (
                      <List.Item style={{ display: 'block', paddingInline: 0 }} data-testid="indicator-row">
                        <Flex justify="space-between" align="center" gap={4}>
                          <Typography.Text strong>
                            <KeyCell r={r} />
                          </Typography.Text>
                          {actionsOf(r)}
                        </Flex>
                        <RowLines r={r} />
                      </List.Item>
                    )}
                  />
                ) : (
                  <Table<Row>
                    size="small"
                    rowKey="key"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={rows}
                    columns={columns}
                    onRow={() => ({ 'data-testid': 'indicator-row' }) as HTMLAttributes<HTMLElement>}
                    data-testid={`indicators-${y}`}
                  />
                ),
              };
            })}
          />
          <Ratios e={e} />
        </>
      )}
      {recording ? (
        <RecordModal
          e={e}
          open
          initial={recording === 'new' ? undefined : recording}
          onClose={() => setRecording(null)}
        />
      ) : null}
      {historyOf ? <HistoryDrawer e={e} target={historyOf} onClose={() => setHistoryOf(null)} /> : null}
    </Space>
  );
}
