/**
 * The Excel report (issue #21): sheet 概览 with every cockpit tile (value, unit, as-of, source, how it is computed,
 * the period before and the change); for a city, 区县对比 (each district's tiles, and the city's row as the cockpit
 * shows it) and 区县排名 (each figure's ranking with n). Figures are numbers, not text, so they can be summed.
 */
import ExcelJS from 'exceljs';
import type { Tile } from '../dashboard/summary.ts';
import {
  ADDITIVE_UNITS,
  changePercent,
  type ReportData,
  sourceLabel,
  tileByKey,
  tileLabel,
  tileUnit,
} from './model.ts';

export const SHEETS = { summary: '概览', districts: '区县对比', ranking: '区县排名' } as const;
/** Header of the value column on 概览 (tests read the sheet by these headers). */
export const SUMMARY_HEADERS = [
  '指标',
  '指标代码',
  '数值',
  '单位',
  '数据截至',
  '来源',
  '计算口径',
  '上期数值',
  '环比(%)',
  '目标',
  '完成率(%)',
  '时序进度(%)',
] as const;
export const CITY_ROW_LABEL = '合计（驾驶舱口径）';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F4FF' } };

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle', wrapText: true };
  row.eachCell((c) => {
    c.fill = HEADER_FILL;
    c.border = { bottom: { style: 'thin' } };
  });
}

const numFmt = (unit: string) =>
  unit === 'count' ? '#,##0' : unit === 'percent' || unit === 'score' ? '0.0' : '#,##0.00';

export async function buildReportXlsx(data: ReportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '苗圃 Miaopu';
  wb.created = new Date(data.generatedAt);
  wb.title = data.title;

  const s = wb.addWorksheet(SHEETS.summary, { views: [{ state: 'frozen', ySplit: 7 }] });
  s.columns = [
    { width: 22 },
    { width: 24 },
    { width: 18 },
    { width: 10 },
    { width: 12 },
    { width: 30 },
    { width: 50 },
    { width: 16 },
    { width: 10 },
    { width: 14 },
    { width: 10 },
    { width: 12 },
  ];
  s.addRow([data.title]).font = { bold: true, size: 14 };
  s.addRow(['区域', data.regionName, data.regionCode]);
  s.addRow(['报告期', data.periodLabel, `${data.period.start} 至 ${data.period.end}`]);
  s.addRow(['数据截至', data.period.end, '与驾驶舱同一口径（同一计算）']);
  s.addRow(['生成时间', data.generatedAt]);
  s.addRow([]);
  styleHeader(s.addRow([...SUMMARY_HEADERS]));
  for (const t of data.tiles) {
    const before = tileByKey(data.previousTiles, t.key)?.value ?? null;
    const row = s.addRow([
      tileLabel(t.key),
      t.key,
      t.value,
      tileUnit(t),
      t.asOf,
      sourceLabel(t.source),
      t.how,
      before,
      changePercent(t.value, before, t.unit),
      t.target ?? null,
      t.completionRate ?? null,
      t.timeProgress ?? null,
    ]);
    row.getCell(3).numFmt = numFmt(t.unit);
    row.getCell(8).numFmt = numFmt(t.unit);
    row.getCell(7).alignment = { wrapText: true, vertical: 'top' };
  }

  if (data.districts.length > 0) {
    const keys = data.tiles.map((t) => t.key);
    const d = wb.addWorksheet(SHEETS.districts, { views: [{ state: 'frozen', xSplit: 2, ySplit: 1 }] });
    d.columns = [{ width: 12 }, { width: 16 }, ...keys.map(() => ({ width: 16 }))];
    styleHeader(d.addRow(['区划代码', '区县', ...data.tiles.map((t) => `${tileLabel(t.key)}（${tileUnit(t)}）`)]));
    const valueRow = (code: string, name: string, tiles: readonly Tile[]) => {
      const row = d.addRow([code, name, ...keys.map((k) => tileByKey(tiles, k)?.value ?? null)]);
      keys.forEach((k, i) => {
        row.getCell(i + 3).numFmt = numFmt(tileByKey(data.tiles, k)!.unit);
      });
      return row;
    };
    for (const district of data.districts) valueRow(district.code, district.name, district.tiles);
    // Records filed at the city itself (a city bureau's policies, say) belong to no district: shown as the
    // difference for figures that add up, so that the districts plus this row give the city's total.
    const rest = d.addRow([
      data.regionCode,
      '市本级及未分区',
      ...data.tiles.map((t) => {
        if (!ADDITIVE_UNITS.includes(t.unit) || t.value === null) return null;
        const sum = data.districts.reduce((acc, x) => acc + (tileByKey(x.tiles, t.key)?.value ?? 0), 0);
        return Math.round((t.value - sum) * 100) / 100;
      }),
    ]);
    rest.font = { italic: true };
    const total = valueRow(data.regionCode, CITY_ROW_LABEL, data.tiles);
    total.font = { bold: true };
    total.eachCell((c) => {
      c.border = { top: { style: 'thin' } };
    });

    const r = wb.addWorksheet(SHEETS.ranking);
    r.columns = [{ width: 8 }, { width: 16 }, { width: 18 }, { width: 10 }];
    for (const t of data.tiles) {
      const ranked = data.districts
        .map((x) => ({ name: x.name, value: tileByKey(x.tiles, t.key)?.value ?? null }))
        .filter((x): x is { name: string; value: number } => x.value !== null)
        .sort((a, b) => b.value - a.value);
      r.addRow([`${tileLabel(t.key)}（${tileUnit(t)}）`, `n = ${ranked.length}`]).font = { bold: true };
      styleHeader(r.addRow(['名次', '区县', '数值', '单位']));
      let rank = 0;
      let last: number | null = null;
      ranked.forEach((x, i) => {
        if (x.value !== last) rank = i + 1; // equal values share a rank
        last = x.value;
        r.addRow([rank, x.name, x.value, tileUnit(t)]).getCell(3).numFmt = numFmt(t.unit);
      });
      r.addRow([]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
