import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  InputNumber,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { type ParkDetail, parkKey, parksKey, validationMessages } from './api';
import type { ChartOption } from './EChart';
import { EChart } from './EChart';
import { formatMoney, formatNumber, formatShare, formatWan } from './format';
import { PlanChangesPanel } from './PlanChanges';

const SOURCES = ['reported', 'statistics', 'verified'] as const;

interface MonthlyForm {
  year: number;
  month: number;
  amountWan: number;
  source: (typeof SOURCES)[number];
}
interface PlanForm {
  year: number;
  plannedWan: number;
}

/** Monthly completed investment (bars), yearly plans, and the forms to report them. */
export function InvestmentTab({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [monthlyForm] = Form.useForm<MonthlyForm>();
  const [planForm] = Form.useForm<PlanForm>();
  const [busy, setBusy] = useState<'monthly' | 'plan' | null>(null);
  const [error, setError] = useState<string[] | null>(null);
  const { monthly, plans } = park.investment;
  const thisYear = new Date().getFullYear();

  const years = useMemo(
    () => [...new Set([...monthly.map((m) => m.year), ...plans.map((p) => p.year)])].sort((a, b) => a - b),
    [monthly, plans],
  );
  const doneIn = (year: number) => monthly.filter((m) => m.year === year).reduce((a, m) => a + m.amountWan, 0);

  const option = useMemo<ChartOption>(() => {
    const labels = monthly.map((m) => `${m.year}-${String(m.month).padStart(2, '0')}`);
    return {
      animation: false,
      grid: { left: 56, right: 16, top: 36, bottom: 48 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => formatWan(Number(v), 2) },
      legend: { top: 0 },
      xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: t('parks.measure.wan'), nameTextStyle: { align: 'right' } },
      series: [
        {
          type: 'bar',
          name: t('parks.investment.monthly'),
          data: monthly.map((m) => m.amountWan),
          itemStyle: { color: '#1f7a4d' },
          barMaxWidth: 28,
        },
        {
          type: 'line',
          name: t('parks.investment.cumulativeInYear'),
          data: monthly.map((m) =>
            monthly.filter((x) => x.year === m.year && x.month <= m.month).reduce((a, x) => a + x.amountWan, 0),
          ),
          itemStyle: { color: '#d46b08' },
          symbolSize: 5,
        },
      ],
    };
  }, [monthly, t]);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: parkKey(park.id) });
    void queryClient.invalidateQueries({ queryKey: [...parksKey, 'investment'] });
  };

  const fail = (e: unknown) =>
    setError([e instanceof Error ? e.message : t('errors.unknown'), ...validationMessages(e)]);

  const submitMonthly = async (v: MonthlyForm) => {
    const send = async () => {
      setBusy('monthly');
      setError(null);
      try {
        await api.put(`/parks/${park.id}/investments`, v);
        await refresh();
        void message.success(t('common.saved'));
      } catch (e) {
        fail(e);
      } finally {
        setBusy(null);
      }
    };
    const existing = monthly.find((m) => m.year === v.year && m.month === v.month);
    if (!existing) return send();
    modal.confirm({
      title: t('parks.investment.confirmOverwrite'),
      content: t('parks.investment.confirmOverwriteBody', {
        year: v.year,
        month: v.month,
        before: formatWan(existing.amountWan, 2),
        after: formatWan(v.amountWan, 2),
      }),
      okText: t('common.save'),
      cancelText: t('common.cancel'),
      onOk: send,
    });
  };

  const submitPlan = async (v: PlanForm) => {
    const send = async () => {
      setBusy('plan');
      setError(null);
      try {
        const res = await api.put<{ changeRequest: { id: string } | null }>(`/parks/${park.id}/plans`, v);
        await refresh();
        void message.success(res?.changeRequest ? t('parks.planChanges.submitted') : t('common.saved'));
      } catch (e) {
        fail(e);
      } finally {
        setBusy(null);
      }
    };
    const existing = plans.find((p) => p.year === v.year);
    if (!existing) return send();
    modal.confirm({
      title: t('parks.investment.confirmPlan'),
      content: t('parks.investment.confirmPlanBody', {
        year: v.year,
        before: formatWan(existing.plannedWan, 2),
        after: formatWan(v.plannedWan, 2),
      }),
      okText: t('common.save'),
      cancelText: t('common.cancel'),
      onOk: send,
    });
  };

  return (
    <div data-testid="park-investment">
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={8}>
          <Card size="small">
            <Statistic
              title={t('parks.investment.cumulative')}
              value={0}
              formatter={() => formatMoney(park.investment.cumulativeWan)}
            />
          </Card>
        </Col>
        <Col xs={12} md={8}>
          <Card size="small">
            <Statistic
              title={t('parks.fields.plannedInvestment')}
              value={0}
              formatter={() => formatMoney(park.plannedInvestmentWan)}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic
              title={t('parks.investment.shareOfTotal')}
              value={0}
              formatter={() =>
                formatShare(
                  park.plannedInvestmentWan > 0 ? park.investment.cumulativeWan / park.plannedInvestmentWan : null,
                )
              }
            />
          </Card>
        </Col>
      </Row>
      {monthly.length ? (
        <EChart option={option} style={{ height: 300 }} ariaLabel={t('parks.investment.chartAria')} />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('parks.investment.noMonthly')} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('parks.investment.plans')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="year"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={years.map((year) => {
          const plan = plans.find((p) => p.year === year)?.plannedWan ?? null;
          const done = doneIn(year);
          return { year, plan, done, rate: plan ? done / plan : null };
        })}
        columns={[
          { title: t('parks.investment.year'), dataIndex: 'year', key: 'year' },
          {
            title: t('parks.investment.planned'),
            dataIndex: 'plan',
            key: 'plan',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : formatNumber(v, 2)),
          },
          {
            title: t('parks.investment.completed'),
            dataIndex: 'done',
            key: 'done',
            align: 'right',
            render: (v: number) => formatNumber(v, 2),
          },
          {
            title: t('parks.investment.rate'),
            dataIndex: 'rate',
            key: 'rate',
            align: 'right',
            render: (v: number | null) => formatShare(v),
          },
        ]}
      />
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error[0]}
          description={error.length > 1 ? error.slice(1).join('; ') : undefined}
          style={{ marginTop: 16 }}
        />
      ) : null}
      {can('parks:report') ? (
        <Card size="small" title={t('parks.investment.reportMonthly')} style={{ marginTop: 16 }}>
          <Form<MonthlyForm>
            form={monthlyForm}
            name="monthlyInvestment"
            layout="inline"
            style={{ rowGap: 12 }}
            initialValues={{ year: thisYear, month: new Date().getMonth() + 1, source: 'reported' }}
            onFinish={(v) => void submitMonthly(v)}
          >
            <Form.Item name="year" label={t('parks.investment.year')} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} precision={0} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item name="month" label={t('parks.investment.month')} rules={[{ required: true }]}>
              <Select
                style={{ width: 90 }}
                options={Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: String(i + 1) }))}
              />
            </Form.Item>
            <Form.Item
              name="amountWan"
              label={t('parks.investment.amountWan')}
              rules={[{ required: true, message: t('parks.investment.amountRequired') }]}
            >
              <InputNumber min={0} max={1e8} precision={2} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="source" label={t('parks.investment.source')}>
              <Select
                style={{ width: 120 }}
                options={SOURCES.map((s) => ({ value: s, label: t(`parks.investment.sources.${s}`) }))}
              />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={busy === 'monthly'}>
                {t('common.save')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
      <div style={{ marginTop: 16 }}>
        <PlanChangesPanel changes={park.planChanges} kind="investment_plan" />
      </div>
      {can('parks:report') ? (
        <Card size="small" title={t('parks.investment.setPlan')} style={{ marginTop: 16 }}>
          <Form<PlanForm>
            form={planForm}
            name="investmentPlan"
            layout="inline"
            style={{ rowGap: 12 }}
            initialValues={{ year: thisYear }}
            onFinish={(v) => void submitPlan(v)}
          >
            <Form.Item name="year" label={t('parks.investment.year')} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} precision={0} style={{ width: 100 }} />
            </Form.Item>
            <Form.Item
              name="plannedWan"
              label={t('parks.investment.plannedWan')}
              rules={[{ required: true, message: t('parks.investment.amountRequired') }]}
            >
              <InputNumber min={0} max={1e9} precision={2} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy === 'plan'}>
                  {can('parks:manage') ? t('common.save') : t('parks.planChanges.submit')}
                </Button>
              </Space>
            </Form.Item>
          </Form>
        </Card>
      ) : null}
    </div>
  );
}
