import { Card, Col, DatePicker, Flex, Row, Segmented, Select, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type ReportPeriod, type ReportState, type ReportSummary, useReportSummary } from './api';
import { formatDay, formatShare, periodStartOf } from './format';
import { ReportStateTag } from './tags';

const STATES: ReportState[] = ['submitted', 'late', 'missing', 'open'];
type District = ReportSummary['districts'][number];
type Item = ReportSummary['items'][number];

/**
 * A date in the latest period whose report is past due (so that the page opens on a period with a result):
 * a week is due the Monday after it, a month on the 5th of the next month.
 */
function previousPeriod(period: ReportPeriod): Dayjs {
  const today = dayjs();
  if (period === 'week') return today.subtract(8, 'day');
  return today.subtract(today.date() > 5 ? 1 : 2, 'month');
}

/** 周报月报: who reported for a period, per district and per park. */
export default function ReportSummaryPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<ReportPeriod>('week');
  const [date, setDate] = useState<Dayjs>(() => previousPeriod('week'));
  const [state, setState] = useState<ReportState | undefined>();
  const [region, setRegion] = useState<string | undefined>();
  const periodStart = periodStartOf(period, date);
  const summary = useReportSummary(period, periodStart);
  const data = summary.data;

  const totals = useMemo(() => {
    const z = { expected: 0, submitted: 0, late: 0, missing: 0, open: 0 };
    for (const d of data?.districts ?? []) for (const k of Object.keys(z) as (keyof typeof z)[]) z[k] += d[k];
    return z;
  }, [data]);
  const rate = (d: { expected: number; submitted: number; late: number }) =>
    d.expected ? (d.submitted + d.late) / d.expected : null;

  const items = (data?.items ?? []).filter(
    (i) => (!state || i.state === state) && (!region || i.regionCode === region),
  );

  return (
    <PageContainer
      title={t('parks.nav.reports')}
      extra={
        <Flex wrap gap={8}>
          <Segmented<ReportPeriod>
            value={period}
            onChange={(p) => {
              setPeriod(p);
              setDate(previousPeriod(p));
            }}
            options={[
              { value: 'week', label: t('parks.reports.periods.week') },
              { value: 'month', label: t('parks.reports.periods.month') },
            ]}
          />
          <DatePicker
            picker={period}
            value={date}
            allowClear={false}
            onChange={(d) => d && setDate(d)}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            aria-label={t('parks.reports.periodStart')}
            data-testid="report-period"
          />
        </Flex>
      }
    >
      {summary.isError ? (
        <QueryError error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <>
          <Card style={{ marginBottom: 16 }} loading={!data}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }} data-testid="report-period-info">
              {t('parks.reports.periodInfo', {
                period: t(`parks.reports.periods.${period}`),
                start: data?.periodStart ?? periodStart,
                due: formatDay(data?.dueOn),
              })}
            </Typography.Paragraph>
            <Row gutter={[12, 12]}>
              <Col xs={12} sm={8} lg={4}>
                <Statistic title={t('parks.reports.expected')} value={totals.expected} />
              </Col>
              {STATES.map((s) => (
                <Col xs={12} sm={8} lg={4} key={s}>
                  <Statistic title={t(`parks.reportState.${s}`)} value={totals[s]} />
                </Col>
              ))}
              <Col xs={12} sm={8} lg={4}>
                <Statistic title={t('parks.reports.rate')} value={0} formatter={() => formatShare(rate(totals))} />
              </Col>
            </Row>
          </Card>
          <Card title={t('parks.reports.byDistrict')} style={{ marginBottom: 16 }}>
            <Table<District>
              rowKey="regionCode"
              size="small"
              loading={summary.isLoading}
              dataSource={data?.districts ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="report-districts"
              columns={[
                { title: t('parks.fields.region'), dataIndex: 'regionName', key: 'regionName' },
                { title: t('parks.reports.expected'), dataIndex: 'expected', key: 'expected', align: 'right' },
                ...STATES.map((s) => ({
                  title: t(`parks.reportState.${s}`),
                  dataIndex: s,
                  key: s,
                  align: 'right' as const,
                  render: (v: number) =>
                    v && (s === 'missing' || s === 'late') ? (
                      <Typography.Text type={s === 'missing' ? 'danger' : 'warning'} strong>
                        {v}
                      </Typography.Text>
                    ) : (
                      v
                    ),
                })),
                {
                  title: t('parks.reports.rate'),
                  key: 'rate',
                  align: 'right',
                  render: (_: unknown, d) => formatShare(rate(d)),
                },
              ]}
            />
          </Card>
          <Card
            title={t('parks.reports.parks')}
            extra={
              <Flex wrap gap={8}>
                <Select
                  allowClear
                  placeholder={t('parks.fields.region')}
                  style={{ width: 160 }}
                  value={region}
                  onChange={setRegion}
                  options={(data?.districts ?? []).map((d) => ({ value: d.regionCode, label: d.regionName }))}
                />
                <Select
                  allowClear
                  placeholder={t('parks.reports.state')}
                  style={{ width: 120 }}
                  value={state}
                  onChange={setState}
                  options={STATES.map((s) => ({ value: s, label: t(`parks.reportState.${s}`) }))}
                />
              </Flex>
            }
          >
            <Table<Item>
              rowKey="parkId"
              size="small"
              loading={summary.isLoading}
              dataSource={items}
              pagination={{ pageSize: 20, showSizeChanger: false, showTotal: (n) => t('common.total', { count: n }) }}
              scroll={{ x: 'max-content' }}
              data-testid="report-parks"
              columns={[
                {
                  title: t('parks.fields.name'),
                  dataIndex: 'parkName',
                  key: 'parkName',
                  render: (name: string, i) => <Link to={`/parks/${i.parkId}?tab=reports`}>{name}</Link>,
                },
                { title: t('parks.fields.region'), dataIndex: 'regionName', key: 'regionName' },
                {
                  title: t('parks.reports.state'),
                  dataIndex: 'state',
                  key: 'state',
                  render: (s: ReportState) => <ReportStateTag state={s} />,
                },
                {
                  title: t('parks.reports.submittedOn'),
                  dataIndex: 'submittedOn',
                  key: 'submittedOn',
                  render: formatDay,
                },
              ]}
            />
          </Card>
        </>
      )}
    </PageContainer>
  );
}
