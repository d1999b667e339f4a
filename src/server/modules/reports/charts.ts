/**
 * Charts of the PDF report, drawn by ECharts on the server (`ssr: true`, SVG renderer) and placed into the PDF as
 * vector graphics by svg-to-pdfkit (decision 0025). No browser, no canvas, no network.
 */
import type { ReportData } from './model.ts';
import { changePercent, formatValue, tileByKey, tileLabel, tileUnit } from './model.ts';

type ECharts = typeof import('echarts');
let echartsModule: Promise<ECharts> | null = null;
const loadEcharts = () => {
  echartsModule ??= import('echarts');
  return echartsModule;
};

export interface ChartSvg {
  svg: string;
  width: number;
  height: number;
}

const FONT = 'NotoSansHans';
const BLUE = '#1677ff';

async function render(option: Record<string, unknown>, width: number, height: number): Promise<ChartSvg> {
  const echarts = await loadEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: FONT, fontSize: 9 }, ...option });
    // Labels outside bars get a white halo drawn under the glyphs (paint-order: stroke); svg-to-pdfkit ignores
    // paint-order and would paint the halo over the glyphs, hiding the text.
    const svg = chart.renderToSVGString().replace(/(<text[^>]*?) stroke="[^"]*"([^>]*?) paint-order="stroke"/g, '$1$2');
    return { svg, width, height };
  } finally {
    chart.dispose();
  }
}

/** Change of each figure against the period before (%); figures without an earlier value are left out. */
export async function changeChart(data: ReportData): Promise<ChartSvg | null> {
  const rows = data.tiles
    .map((t) => ({
      label: tileLabel(t.key),
      change: changePercent(t.value, tileByKey(data.previousTiles, t.key)?.value, t.unit),
    }))
    .filter((r): r is { label: string; change: number } => r.change !== null);
  if (rows.length === 0) return null;
  const height = Math.max(140, 50 + rows.length * 17);
  return render(
    {
      title: { text: '主要指标环比变化（%）', left: 'center', textStyle: { fontSize: 11, fontFamily: FONT } },
      grid: { left: 120, right: 60, top: 30, bottom: 20 },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%', fontFamily: FONT, fontSize: 9 } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.label),
        axisLabel: { fontFamily: FONT, fontSize: 9 },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => ({ value: r.change, itemStyle: { color: r.change >= 0 ? '#389e0d' : '#cf1322' } })),
          label: { show: true, position: 'right', formatter: '{c}%', fontFamily: FONT, fontSize: 9 },
          barMaxWidth: 16,
        },
      ],
    },
    500,
    height,
  );
}

/** The districts ranked by one figure (largest first), n in the title. */
export async function rankingChart(data: ReportData, key: string): Promise<ChartSvg | null> {
  const rows = data.districts
    .map((d) => ({ name: d.name, tile: tileByKey(d.tiles, key) }))
    .filter((r) => r.tile && r.tile.value !== null)
    .map((r) => ({ name: r.name, value: r.tile!.value as number, unit: r.tile!.unit, label: tileUnit(r.tile!) }))
    .sort((a, b) => b.value - a.value);
  if (rows.length === 0) return null;
  const unit = rows[0]!.unit;
  const height = Math.max(140, 50 + rows.length * 16);
  return render(
    {
      title: {
        text: `各区县${tileLabel(key)}（${rows[0]!.label}）· n = ${rows.length}`,
        left: 'center',
        textStyle: { fontSize: 11, fontFamily: FONT },
      },
      grid: { left: 120, right: 70, top: 30, bottom: 20 },
      xAxis: { type: 'value', axisLabel: { fontFamily: FONT, fontSize: 9 } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisLabel: { fontFamily: FONT, fontSize: 9 },
      },
      series: [
        {
          type: 'bar',
          data: rows.map((r) => r.value),
          itemStyle: { color: BLUE },
          label: {
            show: true,
            position: 'right',
            fontFamily: FONT,
            fontSize: 9,
            formatter: (p: { value: number }) => formatValue(p.value, unit),
          },
          barMaxWidth: 14,
        },
      ],
    },
    500,
    height,
  );
}
