import { Empty } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BRAND_COLOR } from '../../app/providers';
import type { Project } from './api';
import { formatDate } from './format';
import { type PhaseRow, phaseRows, timeRange } from './gantt';
import { CHART_FONT, type ChartOption, echarts, useEChart } from './useEChart';

const PLANNED_FILL = '#f5f5f5';
const PLANNED_STROKE = '#8c8c8c';
const OVERDUE_FILL = '#fff1f0';
const OVERDUE_STROKE = '#f5222d';
const DAY_MS = 86_400_000;

const ts = (d: string) => Date.parse(`${d}T00:00:00+08:00`);

interface BarDatum {
  value: [number, number, number];
  row: PhaseRow;
  kind: 'planned' | 'actual';
}

type Api = {
  value: (dim: number) => number;
  coord: (v: [number, number]) => number[];
  size: (v: [number, number]) => number[];
};
type Params = { coordSys: { x: number; y: number; width: number; height: number }; dataIndex: number };

/**
 * The pipeline as a Gantt timeline: one row per phase (签约→履约, 履约→开工, 开工→投产, 投产→达效), the planned span
 * as a hollow grey bar on top (red when its end has passed and the milestone is not reached) and the actual span as a
 * solid bar below (lighter while in progress, drawn up to today).
 */
export function GanttChart({ project, today }: { project: Project; today: string }) {
  const { t } = useTranslation();
  const rows = useMemo(() => phaseRows(project, today), [project, today]);
  const range = useMemo(() => timeRange(rows, today), [rows, today]);

  const option = useMemo<ChartOption | null>(() => {
    if (!range) return null;
    const labels = rows.map((r) => t(`projects.phase.${r.phase}`));
    const planned: BarDatum[] = [];
    const actual: BarDatum[] = [];
    rows.forEach((row, i) => {
      if (row.planned)
        planned.push({ value: [i, ts(row.planned.from), ts(row.planned.to) + DAY_MS], row, kind: 'planned' });
      if (row.actual) actual.push({ value: [i, ts(row.actual.from), ts(row.actual.to) + DAY_MS], row, kind: 'actual' });
    });

    const render = (kind: 'planned' | 'actual', data: BarDatum[]) => (params: Params, api: Api) => {
      const datum = data[params.dataIndex]!;
      const cat = api.value(0);
      const start = api.coord([api.value(1), cat]);
      const end = api.coord([api.value(2), cat]);
      const band = api.size([0, 1])[1]!;
      const height = band * 0.28;
      const y = kind === 'planned' ? start[1]! - band * 0.32 : start[1]! + band * 0.04;
      const shape = echarts.graphic.clipRectByRect(
        { x: start[0]!, y, width: Math.max(end[0]! - start[0]!, 3), height },
        params.coordSys,
      );
      if (!shape) return null;
      if (kind === 'planned') {
        const overdue = datum.row.planned?.overdue;
        return {
          type: 'rect',
          shape,
          style: {
            fill: overdue ? OVERDUE_FILL : PLANNED_FILL,
            stroke: overdue ? OVERDUE_STROKE : PLANNED_STROKE,
            lineWidth: overdue ? 2 : 1.2,
            lineDash: overdue ? undefined : [4, 3],
          },
        };
      }
      const inProgress = datum.row.actual?.inProgress;
      return {
        type: 'rect',
        shape,
        style: { fill: BRAND_COLOR, opacity: inProgress ? 0.55 : 1 },
      };
    };

    const tooltip = (datum: BarDatum) => {
      const r = datum.row;
      const lines = [`<b>${t(`projects.phase.${r.phase}`)}</b>`];
      if (datum.kind === 'planned' && r.planned) {
        lines.push(`${t('projects.gantt.planned')}: ${formatDate(r.planned.from)} → ${formatDate(r.planned.to)}`);
        if (r.planned.overdue)
          lines.push(
            `<span style="color:${OVERDUE_STROKE}">${t('projects.gantt.overdue', { days: r.planned.overdueDays })}</span>`,
          );
      }
      if (datum.kind === 'actual' && r.actual) {
        const to = r.actual.inProgress ? t('projects.gantt.inProgress') : formatDate(r.actual.to);
        lines.push(`${t('projects.gantt.actual')}: ${formatDate(r.actual.from)} → ${to}`);
        if (r.actual.lateDays > 0) lines.push(t('projects.gantt.late', { days: r.actual.lateDays }));
      }
      return lines.join('<br/>');
    };

    const pad = Math.max(15 * DAY_MS, (ts(range.max) - ts(range.min)) * 0.04);
    return {
      textStyle: { fontFamily: CHART_FONT },
      animation: false,
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { data: BarDatum }) => (p.data ? tooltip(p.data) : ''),
      },
      legend: {
        top: 0,
        data: [
          {
            name: t('projects.gantt.planned'),
            itemStyle: { color: PLANNED_FILL, borderColor: PLANNED_STROKE, borderWidth: 1 },
          },
          { name: t('projects.gantt.actual'), itemStyle: { color: BRAND_COLOR } },
          {
            name: t('projects.gantt.overdueLegend'),
            itemStyle: { color: OVERDUE_FILL, borderColor: OVERDUE_STROKE, borderWidth: 2 },
          },
        ],
        selectedMode: false,
      },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: {
        type: 'time',
        min: ts(range.min) - pad,
        max: ts(range.max) + pad,
        axisLabel: {
          hideOverlap: true,
          formatter: (v: number) => {
            const d = new Date(v + 8 * 3_600_000);
            return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
          },
        },
        splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
      },
      yAxis: {
        type: 'category',
        data: labels,
        inverse: true,
        axisTick: { show: false },
        axisLabel: { color: 'rgba(0,0,0,0.88)', fontSize: 12 },
        splitLine: { show: true, lineStyle: { color: '#f0f0f0' } },
      },
      series: [
        {
          name: t('projects.gantt.planned'),
          type: 'custom',
          renderItem: render('planned', planned),
          encode: { x: [1, 2], y: 0 },
          data: planned,
          itemStyle: { color: PLANNED_FILL, borderColor: PLANNED_STROKE },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#1677ff', type: 'dashed' },
            label: { formatter: t('projects.gantt.today'), position: 'insideEndTop', color: '#1677ff' },
            data: today <= range.max ? [{ xAxis: ts(today) }] : [],
          },
        },
        {
          name: t('projects.gantt.actual'),
          type: 'custom',
          renderItem: render('actual', actual),
          encode: { x: [1, 2], y: 0 },
          data: actual,
          itemStyle: { color: BRAND_COLOR },
        },
        { name: t('projects.gantt.overdueLegend'), type: 'custom', renderItem: () => null, data: [] },
      ],
    } as ChartOption;
  }, [rows, range, today, t]);

  const ref = useEChart<HTMLDivElement>(option);
  if (!range) return <Empty description={t('projects.gantt.noDates')} />;
  return (
    <div
      ref={ref}
      data-testid="gantt-chart"
      role="img"
      aria-label={t('projects.gantt.title')}
      style={{ width: '100%', height: 300 }}
    />
  );
}
