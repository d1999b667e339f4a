import {
  Alert,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Row,
  Segmented,
  Select,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useDistricts } from '../enterprises/api';
import { type ChartOption, EChart } from '../parks/EChart';
import { type Kpis, pct, type RankingRow, useKpis, useRankings } from './api';
import { ExportButton } from './ui';

const KPI_CARDS: { key: keyof Kpis; rate?: boolean; testId: string }[] = [
  { key: 'collected', testId: 'kpi-collected' },
  { key: 'resolved', testId: 'kpi-resolved' },
  { key: 'resolutionRate', rate: true, testId: 'kpi-resolution-rate' },
  { key: 'onTimeRate', rate: true, testId: 'kpi-on-time-rate' },
  { key: 'satisfactionRate', rate: true, testId: 'kpi-satisfaction-rate' },
  { key: 'overdue', testId: 'kpi-overdue' },
  { key: 'openWithinDeadline', testId: 'kpi-open-within' },
];

const RANK_KEYS = ['resolutionRate', 'onTimeRate', 'satisfactionRate'] as const;
type RankKey = (typeof RANK_KEYS)[number];

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : undefined);

/**
 * 助企成效: the KPIs of rules.md §6.4 computed by the server from the problem rows for a region and period (a problem
 * counts by its receipt date; its state as of the period's end), rankings of districts or departments with their
 * sample size n (below the minimum sample a row is shown as 样本不足 and not ranked), and a bar chart of the rates.
 */
export default function DashboardPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const districts = useDistricts(can('regions:read'));
  const [region, setRegion] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [by, setBy] = useState<'district' | 'department'>('district');
  const [rankBy, setRankBy] = useState<RankKey>('resolutionRate');
  const from = day(range?.[0]);
  const to = day(range?.[1]);
  const kpis = useKpis({ region, from, to });
  const rankings = useRankings({ by, from, to, region, rankBy });
  // a department handler has no region scope: its own KPIs, no rankings (the server refuses them)
  const forbidden = isApiError(rankings.error) && rankings.error.status === 403;

  const rows = rankings.data?.items ?? [];
  const option = useMemo<ChartOption>(() => {
    const ranked = rows.filter((r) => !r.belowMinSample);
    const series = (['resolutionRate', 'onTimeRate', 'satisfactionRate'] as const).map((k) => ({
      type: 'bar' as const,
      name: t(`assistance.kpi.${k}`),
      data: ranked.map((r) => (r[k] === null ? null : Math.round(r[k]! * 1000) / 10)),
    }));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 56 },
      xAxis: {
        type: 'category',
        data: ranked.map((r) => r.name),
        axisLabel: { interval: 0, rotate: ranked.length > 6 ? 30 : 0 },
      },
      yAxis: {
        type: 'value',
        min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 5)),
        max: 100,
        axisLabel: { formatter: '{value}%' },
      },
      series,
    };
  }, [rows, t]);

  const columns: TableColumnsType<RankingRow> = [
    {
      title: t('assistance.dashboard.rank'),
      dataIndex: 'rank',
      key: 'rank',
      width: 72,
      render: (rank: number | null, r) =>
        r.belowMinSample || rank === null ? (
          <Tooltip title={t('assistance.dashboard.belowMinHint')}>
            <Tag data-testid="below-min">{t('assistance.dashboard.belowMin')}</Tag>
          </Tooltip>
        ) : (
          rank
        ),
    },
    {
      title: by === 'district' ? t('assistance.dashboard.district') : t('assistance.dashboard.department'),
      dataIndex: 'name',
      key: 'name',
    },
    { title: t('assistance.dashboard.n'), dataIndex: 'n', key: 'n', align: 'right' },
    {
      title: t('assistance.kpi.resolutionRate'),
      dataIndex: 'resolutionRate',
      key: 'rr',
      align: 'right',
      render: (v: number | null) => pct(v),
    },
    {
      title: t('assistance.kpi.onTimeRate'),
      dataIndex: 'onTimeRate',
      key: 'ot',
      align: 'right',
      render: (v: number | null) => pct(v),
    },
    {
      title: t('assistance.kpi.satisfactionRate'),
      dataIndex: 'satisfactionRate',
      key: 'sr',
      align: 'right',
      render: (v: number | null) => pct(v),
    },
  ];

  const k = kpis.data;
  return (
    <PageContainer title={t('assistance.dashboard.title')}>
      <Flex gap={8} wrap style={{ marginBottom: 16 }}>
        {can('regions:read') ? (
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={me.scope.regionName ?? t('assistance.dashboard.region')}
            value={region}
            onChange={setRegion}
            options={(districts.data?.items ?? [])
              .filter((d) => d.inScope !== false)
              .map((d) => ({ value: d.code, label: d.name }))}
            data-testid="region-filter"
          />
        ) : null}
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={range}
          onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)}
          data-testid="range-filter"
        />
        <ExportButton
          path="/assistance/kpis/export"
          params={{ region, from, to, by, rankBy }}
          fallbackName="assistance-kpis.xlsx"
          testId="kpis-export"
        />
      </Flex>
      {kpis.error ? <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} /> : null}
      <Row gutter={[12, 12]} data-testid="kpi-cards">
        {KPI_CARDS.map((c) => {
          const v = k?.[c.key];
          return (
            <Col key={c.key} xs={12} sm={8} md={6} style={{ flex: '1 1 150px', maxWidth: 'none' }}>
              <Card size="small" loading={kpis.isLoading}>
                <Statistic
                  title={t(`assistance.kpi.${c.key}`)}
                  value={c.rate ? pct(v as number | null) : typeof v === 'number' ? v : '—'}
                  groupSeparator=","
                  data-testid={c.testId}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
      {k?.resolutionRate !== undefined ? (
        <Alert type="info" style={{ marginTop: 12 }} title={t('assistance.dashboard.convention')} showIcon />
      ) : null}
      {forbidden ? null : (
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={
            rankings.data?.from && rankings.data.to
              ? t('assistance.dashboard.rankingsPeriod', { from: rankings.data.from, to: rankings.data.to })
              : t('assistance.dashboard.rankings')
          }
          extra={
            <Flex gap={8} wrap>
              <Select
                value={rankBy}
                onChange={setRankBy}
                style={{ width: 150 }}
                options={RANK_KEYS.map((k) => ({
                  value: k,
                  label: t('assistance.dashboard.rankBy', { kpi: t(`assistance.kpi.${k}`) }),
                }))}
                data-testid="rank-key"
              />
              <Segmented
                value={by}
                onChange={(v) => setBy(v as 'district' | 'department')}
                options={[
                  { value: 'district', label: t('assistance.dashboard.byDistrict') },
                  { value: 'department', label: t('assistance.dashboard.byDepartment') },
                ]}
                data-testid="rank-by"
              />
            </Flex>
          }
        >
          {rankings.error ? <QueryError error={rankings.error} onRetry={() => void rankings.refetch()} /> : null}
          <Table<RankingRow>
            rowKey={(r) => r.code ?? r.orgId ?? r.name}
            size="small"
            columns={columns}
            dataSource={rows}
            loading={rankings.isLoading}
            pagination={false}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={t('common.empty')} /> }}
            data-testid="rankings-table"
          />
          {rankings.data?.minSample ? (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
              {t('assistance.dashboard.minSampleNote', { n: rankings.data.minSample })}
            </Typography.Text>
          ) : null}
          {rows.length ? (
            <EChart
              option={option}
              style={{ height: 340, marginTop: 16 }}
              ariaLabel={t('assistance.dashboard.chart')}
              testId="rankings-chart"
            />
          ) : null}
        </Card>
      )}
    </PageContainer>
  );
}
