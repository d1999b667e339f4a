import { Card, Col, DatePicker, Flex, Grid, Progress, Row, Select, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type InvestmentSummary, useInvestmentSummary } from './api';
import { type ChartOption, EChart } from './EChart';
import { formatMoney, formatNumber, formatPercent, formatPp } from './format';

/** The demo data's year (the seeds are dated 9 June 2022). */
const DEFAULT_YEAR = 2022;
const FIRST_YEAR = 2018;
type RegionRow = InvestmentSummary['regions'][number];

const GOOD = '#389e0d';
const BAD = '#cf1322';

function Gap({ value }: { value: number | null }) {
  if (value === null) return <span>—</span>;
  return (
    <Typography.Text strong style={{ color: value >= 0 ? GOOD : BAD }} data-testid="gap">
      {formatPp(value)}
    </Typography.Text>
  );
}

/** 园区投资: completed industrial investment of the year by district against targets, with the time-progress gap. */
export default function InvestmentPage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const compact = screens.md === false;
  const [year, setYear] = useState(DEFAULT_YEAR);
  const [asOf, setAsOf] = useState<Dayjs | null>(null);
  const summary = useInvestmentSummary(year, asOf?.format('YYYY-MM-DD'));
  const data = summary.data;
  const thisYear = dayjs().year();

  const option = useMemo<ChartOption | null>(() => {
    if (!data?.regions.length) return null;
    const rows = [...data.regions].reverse();
    return {
      animation: false,
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatMoney(Number(v)) },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => formatNumber(v / 10_000, 1) },
      },
      yAxis: { type: 'category', data: rows.map((r) => r.regionName), axisLabel: { fontSize: compact ? 10 : 12 } },
      series: [
        {
          type: 'bar',
          name: t('parks.investmentPage.target'),
          data: rows.map((r) => r.targetWan),
          itemStyle: { color: '#c9ddd1' },
          barGap: '-100%',
          barMaxWidth: 18,
        },
        {
          type: 'bar',
          name: t('parks.investmentPage.completed'),
          data: rows.map((r) => r.completedWan),
          itemStyle: { color: '#1f7a4d' },
          barMaxWidth: 18,
        },
      ],
    };
  }, [data, t, compact]);

  return (
    <PageContainer
      title={t('parks.nav.investment')}
      extra={
        <Flex wrap gap={8}>
          <Select<number>
            value={year}
            onChange={(y) => {
              setYear(y);
              setAsOf(null);
            }}
            style={{ width: 110 }}
            aria-label={t('parks.investmentPage.year')}
            data-testid="investment-year"
            options={Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => thisYear - i).map((y) => ({
              value: y,
              label: t('parks.investmentPage.yearOption', { year: y }),
            }))}
          />
          <DatePicker
            value={asOf}
            onChange={setAsOf}
            placeholder={t('parks.investmentPage.asOf')}
            aria-label={t('parks.investmentPage.asOf')}
            disabledDate={(d) => d.year() !== year || d.isAfter(dayjs(), 'day')}
            defaultPickerValue={dayjs(`${year}-06-01`)}
          />
        </Flex>
      }
    >
      {summary.isError ? (
        <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <Card style={{ marginBottom: 16 }} loading={!data}>
            {data ? (
              <>
                <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
                  {t('parks.investmentPage.asOfInfo', { year: data.year, asOf: data.asOf })}
                </Typography.Paragraph>
                <Row gutter={[12, 12]} data-testid="investment-totals">
                  <Col xs={12} md={8} xl={4}>
                    <Statistic
                      title={t('parks.investmentPage.completed')}
                      value={0}
                      formatter={() => formatMoney(data.total.completedWan)}
                    />
                  </Col>
                  <Col xs={12} md={8} xl={4}>
                    <Statistic
                      title={t('parks.investmentPage.target')}
                      value={0}
                      formatter={() => formatMoney(data.total.targetWan)}
                    />
                  </Col>
                  <Col xs={12} md={8} xl={4}>
                    <Statistic
                      title={t('parks.investmentPage.completion')}
                      value={0}
                      formatter={() => formatPercent(data.total.completionRate)}
                    />
                  </Col>
                  <Col xs={12} md={8} xl={4}>
                    <Statistic
                      title={t('parks.investmentPage.elapsed')}
                      value={0}
                      formatter={() => formatPercent(data.elapsedShare)}
                    />
                  </Col>
                  <Col xs={24} md={8} xl={8}>
                    <Statistic
                      title={t('parks.investmentPage.gap')}
                      value={0}
                      formatter={() => <Gap value={data.total.gapPp} />}
                    />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('parks.investmentPage.gapHint')}
                    </Typography.Text>
                  </Col>
                </Row>
              </>
            ) : null}
          </Card>
          {option ? (
            <Card title={`${t('parks.investmentPage.chart')} (${t('parks.measure.yi')})`} style={{ marginBottom: 16 }}>
              <EChart
                option={option}
                style={{ height: Math.max(240, (data?.regions.length ?? 0) * 30 + 60) }}
                ariaLabel={t('parks.investmentPage.chart')}
              />
            </Card>
          ) : null}
          <Card title={t('parks.investmentPage.byDistrict')}>
            <Table<RegionRow>
              rowKey="regionCode"
              size="small"
              loading={summary.isLoading}
              dataSource={data?.regions ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="investment-table"
              columns={[
                { title: t('parks.fields.region'), dataIndex: 'regionName', key: 'regionName', fixed: 'left' },
                { title: t('parks.investmentPage.parks'), dataIndex: 'parks', key: 'parks', align: 'right' },
                {
                  title: t('parks.investmentPage.completedWan'),
                  dataIndex: 'completedWan',
                  key: 'completedWan',
                  align: 'right',
                  render: (v: number) => formatNumber(v, 0),
                },
                {
                  title: t('parks.investmentPage.targetWan'),
                  dataIndex: 'targetWan',
                  key: 'targetWan',
                  align: 'right',
                  render: (v: number) => formatNumber(v, 0),
                },
                {
                  title: t('parks.investmentPage.plannedWan'),
                  dataIndex: 'plannedWan',
                  key: 'plannedWan',
                  align: 'right',
                  render: (v: number) => formatNumber(v, 0),
                },
                {
                  title: t('parks.investmentPage.completion'),
                  dataIndex: 'completionRate',
                  key: 'completionRate',
                  render: (v: number | null, r) => (
                    <Progress
                      percent={v ?? 0}
                      strokeColor={(r.gapPp ?? 0) >= 0 ? GOOD : '#d46b08'}
                      size="small"
                      style={{ minWidth: 120, marginBottom: 0 }}
                      format={() => formatPercent(v)}
                    />
                  ),
                },
                {
                  title: t('parks.investmentPage.gap'),
                  dataIndex: 'gapPp',
                  key: 'gapPp',
                  align: 'right',
                  render: (v: number | null) => <Gap value={v} />,
                },
              ]}
              summary={() =>
                data ? (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <Typography.Text strong>{t('parks.investmentPage.total')}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {data.regions.reduce((a, r) => a + r.parks, 0)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} align="right">
                      {formatNumber(data.total.completedWan, 0)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">
                      {formatNumber(data.total.targetWan, 0)}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={4} align="right">
                      {formatNumber(
                        data.regions.reduce((a, r) => a + r.plannedWan, 0),
                        0,
                      )}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={5}>{formatPercent(data.total.completionRate)}</Table.Summary.Cell>
                    <Table.Summary.Cell index={6} align="right">
                      <Gap value={data.total.gapPp} />
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                ) : null
              }
            />
          </Card>
        </>
      )}
    </PageContainer>
  );
}
