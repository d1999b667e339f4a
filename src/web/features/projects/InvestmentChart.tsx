import { Empty } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BRAND_COLOR } from '../../app/providers';
import type { ProjectDetail } from './api';
import { formatWan } from './format';
import { CHART_FONT, type ChartOption, useEChart } from './useEChart';

const month = (m: { year: number; month: number }) => `${m.year}-${String(m.month).padStart(2, '0')}`;

/** Completed investment per month (bars, 万元) and the running total (line). */
export function InvestmentChart({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const option = useMemo<ChartOption | null>(() => {
    if (project.monthly.length === 0) return null;
    const months = project.monthly.map(month);
    let running = 0;
    const cumulative = project.monthly.map((m) => {
      running += m.amountWan;
      return Math.round(running * 100) / 100;
    });
    const many = months.length > 18;
    return {
      textStyle: { fontFamily: CHART_FONT },
      animation: false,
      tooltip: {
        trigger: 'axis',
        confine: true,
        valueFormatter: (v: number) => formatWan(v),
      },
      legend: { top: 0, data: [t('projects.investment.monthly'), t('projects.investment.cumulative')] },
      grid: { left: 8, right: 8, top: 36, bottom: many ? 48 : 8, containLabel: true },
      dataZoom: many
        ? [
            { type: 'inside', startValue: months.length - 18, endValue: months.length - 1 },
            { type: 'slider', height: 18, bottom: 8, startValue: months.length - 18, endValue: months.length - 1 },
          ]
        : undefined,
      xAxis: { type: 'category', data: months, axisLabel: { hideOverlap: true } },
      yAxis: [
        { type: 'value', name: t('projects.units.wan'), nameTextStyle: { align: 'left' } },
        { type: 'value', name: t('projects.units.wan'), splitLine: { show: false }, nameTextStyle: { align: 'right' } },
      ],
      series: [
        {
          name: t('projects.investment.monthly'),
          type: 'bar',
          data: project.monthly.map((m) => m.amountWan),
          itemStyle: { color: BRAND_COLOR },
          barMaxWidth: 28,
        },
        {
          name: t('projects.investment.cumulative'),
          type: 'line',
          yAxisIndex: 1,
          data: cumulative,
          itemStyle: { color: '#1677ff' },
          symbolSize: 4,
        },
      ],
    } as ChartOption;
  }, [project.monthly, t]);

  const ref = useEChart<HTMLDivElement>(option);
  if (!option) return <Empty description={t('projects.investment.none')} />;
  return (
    <div
      ref={ref}
      data-testid="investment-chart"
      role="img"
      aria-label={t('projects.investment.title')}
      style={{ width: '100%', height: 280 }}
    />
  );
}
