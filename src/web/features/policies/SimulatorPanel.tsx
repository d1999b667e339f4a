/**
 * 政策沙盘: runs a draft clause over the real population (POST /policies/simulate, the caller's scope) → counts,
 * total cost, bars by district / park / size / industry, and near-misses (firms failing exactly one condition).
 */
import { ExperimentOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../app/api';
import { type ChartOption, EChart } from '../parks/EChart';
import { type Clause, formatWan, type SimulateResult } from './api';

type Bucket = {
  name?: string;
  code?: string;
  size?: string;
  section?: string;
  eligible: number;
  costYuan: string | number;
};

function barOption(rows: Bucket[], label: (b: Bucket) => string, countName: string, costName: string): ChartOption {
  const top = [...rows].sort((a, b) => b.eligible - a.eligible).slice(0, 15);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: top.map(label), axisLabel: { interval: 0, rotate: top.length > 6 ? 30 : 0 } },
    yAxis: [
      { type: 'value', name: countName },
      { type: 'value', name: costName, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: countName, data: top.map((r) => r.eligible), itemStyle: { color: '#1677ff' } },
      {
        type: 'bar',
        name: costName,
        yAxisIndex: 1,
        data: top.map((r) => Math.round(Number(r.costYuan) / 100) / 100),
        itemStyle: { color: '#52c41a' },
      },
    ],
  };
}

export function SimulatorPanel({ clause, autoRun = false }: { clause: Clause; autoRun?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const sim = useMutation({
    mutationFn: () =>
      api.post<SimulateResult>('/policies/simulate', {
        clause: {
          eligibility: clause.eligibility,
          amountFormula: clause.amountFormula?.trim() ? clause.amountFormula.trim() : null,
          capYuan: clause.capYuan === null || clause.capYuan === '' ? null : Number(clause.capYuan),
          floorYuan: clause.floorYuan === null || clause.floorYuan === '' ? null : Number(clause.floorYuan),
          factsYear: clause.factsYear,
          minSource: clause.minSource ?? null,
        },
      }),
  });
  const started = useRef(false);
  useEffect(() => {
    if (autoRun && !started.current) {
      started.current = true;
      sim.mutate();
    }
  }, [autoRun, sim]);

  const r = sim.data;
  const countName = t('policies.sim.eligibleCount');
  const costName = t('policies.sim.costWan');
  const charts = useMemo(() => {
    if (!r) return [];
    return [
      { key: 'district', rows: r.byDistrict as Bucket[], label: (b: Bucket) => b.name ?? b.code ?? '' },
      { key: 'park', rows: r.byPark as Bucket[], label: (b: Bucket) => b.name ?? b.code ?? '' },
      {
        key: 'size',
        rows: r.bySize as Bucket[],
        label: (b: Bucket) =>
          t(`enterprises.size.${b.size ?? b.code ?? 'unknown'}`, { defaultValue: b.name ?? b.size ?? '' }),
      },
      {
        key: 'industry',
        rows: r.byIndustry as Bucket[],
        label: (b: Bucket) => `${b.section ?? b.code ?? ''} ${b.name ?? ''}`.trim(),
      },
    ];
  }, [r, t]);

  return (
    <div data-testid="simulator">
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          icon={<ExperimentOutlined />}
          loading={sim.isPending}
          onClick={() => sim.mutate()}
          data-testid="simulate-run"
        >
          {r ? t('policies.sim.rerun') : t('policies.sim.run')}
        </Button>
        <Typography.Text type="secondary">{t('policies.sim.hint')}</Typography.Text>
      </Space>
      {sim.isError ? (
        <Alert type="error" showIcon title={t('policies.sim.failed')} description={sim.error.message} />
      ) : null}
      {r ? (
        <>
          <Row gutter={[12, 12]} data-testid="sim-counts">
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('policies.sim.population')} value={r.population} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('policies.verdict.eligible')}
                  value={r.eligible}
                  styles={{ content: { color: '#389e0d' } }}
                  data-testid="sim-eligible"
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic
                  title={t('policies.verdict.unknown')}
                  value={r.unknown}
                  styles={{ content: { color: '#d48806' } }}
                  data-testid="sim-unknown"
                />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t('policies.verdict.ineligible')} value={r.ineligible} data-testid="sim-ineligible" />
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small">
                <Statistic
                  title={t('policies.sim.totalCost')}
                  value={formatWan(r.totalCostYuan, lang)}
                  data-testid="sim-cost"
                />
              </Card>
            </Col>
          </Row>
          <Tabs
            style={{ marginTop: 12 }}
            items={charts.map((c) => ({
              key: c.key,
              label: t(`policies.sim.by.${c.key}`),
              children: c.rows.length ? (
                <EChart
                  option={barOption(c.rows, c.label, countName, costName)}
                  style={{ height: 300 }}
                  ariaLabel={t(`policies.sim.by.${c.key}`)}
                  testId={`sim-chart-${c.key}`}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              ),
            }))}
          />
          <Typography.Title level={5}>{t('policies.sim.nearMisses')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('policies.sim.nearMissesHint')}</Typography.Paragraph>
          <Table
            size="small"
            rowKey="path"
            pagination={false}
            dataSource={r.nearMisses}
            data-testid="sim-near-misses"
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.sim.noNearMisses')} />,
            }}
            columns={[
              { title: t('policies.sim.condition'), dataIndex: 'description' },
              { title: t('policies.sim.count'), dataIndex: 'count', align: 'right' },
              {
                title: t('policies.sim.examples'),
                key: 'examples',
                render: (_, m) => (
                  <Space size={[4, 4]} wrap>
                    {m.examples.slice(0, 5).map((e) => (
                      <Tag key={e.enterpriseId}>
                        <Link to={`/enterprises/${e.enterpriseId}`}>{e.name}</Link>
                      </Tag>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
