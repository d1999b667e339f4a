import { EditOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Collapse,
  Empty,
  Flex,
  Form,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { type ChartOption, EChart } from '../parks/EChart';
import {
  type EnterpriseDetail,
  enterpriseKey,
  enterprisesKey,
  INDICATOR_KEYS,
  type Indicator,
  type IndicatorKey,
  RATIOS,
  type RatioKey,
  SOURCES,
  type Source,
  serverFieldErrors,
} from './api';
import { formatIndicator, formatRatio, indicatorLabel, unitOf } from './format';
import { DerivedTag, SourceTag } from './tags';

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

interface RecordValues {
  year: number;
  key: IndicatorKey;
  value: number;
  source: Source;
}

function RecordModal({ e, open, onClose }: { e: EnterpriseDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const me = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RecordValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An enterprise user may only report its own figures: 自报 (the server refuses other sources with 403).
  const selfOnly = me.scope.kind === 'org';
  const sources = selfOnly ? (['self_reported'] as const) : SOURCES;
  const thisYear = new Date().getFullYear();
  const key = Form.useWatch('key', form);

  const save = async (v: RecordValues) => {
    setBusy(true);
    setError(null);
    try {
      await api.put(`/enterprises/${e.id}/indicators`, v);
      await queryClient.invalidateQueries({ queryKey: enterpriseKey(e.id) });
      void queryClient.invalidateQueries({ queryKey: [...enterprisesKey, 'list'] });
      void message.success(t('enterprises.indicators.saved'));
      form.resetFields();
      onClose();
    } catch (err) {
      const fields = serverFieldErrors(err, ['year', 'key', 'value', 'source'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const existing = e.indicators.find((i) => i.year === v.year && i.key === v.key);
    if (existing) {
      modal.confirm({
        title: t('enterprises.indicators.replaceTitle'),
        content: t('enterprises.indicators.replaceBody', {
          name: indicatorLabel(v.key),
          year: v.year,
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
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary">{t('enterprises.indicators.recordHint')}</Typography.Paragraph>
      <Form<RecordValues>
        form={form}
        layout="vertical"
        name="indicatorRecord"
        initialValues={{ year: thisYear - 1, source: sources[0] }}
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
          label={key ? `${t('enterprises.indicators.value')}（${unitOf(key)}）` : t('enterprises.indicators.value')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <InputNumber style={{ width: '100%' }} min={-1e12} max={1e14} />
        </Form.Item>
        <Form.Item name="source" label={t('enterprises.indicators.source')} rules={[{ required: true }]}>
          <Select
            disabled={selfOnly}
            options={sources.map((s) => ({ value: s, label: t(`enterprises.source.${s}`) }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function IndicatorsTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const years = [...new Set(e.indicators.map((i) => i.year))].sort((a, b) => b - a);

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12} data-testid="indicators-tab">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('enterprises.indicators.intro')}</Typography.Text>
        {can('enterprises:report') ? (
          <Button icon={<EditOutlined />} onClick={() => setOpen(true)} data-testid="indicator-record">
            {t('enterprises.indicators.record')}
          </Button>
        ) : null}
      </Flex>
      {!years.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.indicators.empty')} />
      ) : (
        <>
          <TrendChart e={e} />
          <Collapse
            defaultActiveKey={[String(years[0])]}
            items={years.map((y) => ({
              key: String(y),
              label: t('enterprises.indicators.yearTitle', { year: y }),
              children: (
                <Table<Indicator>
                  size="small"
                  rowKey="key"
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  dataSource={e.indicators
                    .filter((i) => i.year === y)
                    .sort((a, b) => (ORDER.get(a.key) ?? 99) - (ORDER.get(b.key) ?? 99))}
                  columns={[
                    {
                      title: t('enterprises.indicators.key'),
                      dataIndex: 'key',
                      key: 'key',
                      render: (k: IndicatorKey) => indicatorLabel(k),
                    },
                    {
                      title: t('enterprises.indicators.value'),
                      key: 'value',
                      align: 'right',
                      render: (_: unknown, i) => formatIndicator(i.key, i.value),
                    },
                    {
                      title: t('enterprises.indicators.source'),
                      dataIndex: 'source',
                      key: 'source',
                      render: (s: Source) => <SourceTag source={s} />,
                    },
                    {
                      title: t('enterprises.indicators.entered'),
                      key: 'entered',
                      render: (_: unknown, i) => (
                        <span>
                          {formatDateTime(i.enteredAt)}
                          <Typography.Text type="secondary">
                            {' · '}
                            {i.enteredBy
                              ? t('enterprises.indicators.byUser', { id: i.enteredBy.slice(0, 8) })
                              : t('enterprises.indicators.bySystem')}
                          </Typography.Text>
                        </span>
                      ),
                    },
                  ]}
                />
              ),
            }))}
          />
          <Ratios e={e} />
        </>
      )}
      {open ? <RecordModal e={e} open={open} onClose={() => setOpen(false)} /> : null}
    </Space>
  );
}
