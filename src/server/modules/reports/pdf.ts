/**
 * The PDF report (issue #21, decision 0025): PDFKit with Noto Sans Hans embedded (subset), the cockpit's tiles as
 * cards, a table with the period before and the change, ECharts charts (SVG, vector) and, for a city, the
 * districts' rankings. Every page carries the report's name and "第 n 页 / 共 m 页".
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { type ChartSvg, changeChart, rankingChart } from './charts.ts';
import { reportFonts } from './fonts.ts';
import {
  changeText,
  formatValue,
  type ReportData,
  sourceLabel,
  targetText,
  tileByKey,
  tileLabel,
  tileUnit,
} from './model.ts';

const M = 48; // page margin (pt)
const FOOTER = 28;
const INK = '#1f1f1f';
const MUTED = '#8c8c8c';
const LINE = '#d9d9d9';
const ACCENT = '#1677ff';
/** Figures ranked by district in the PDF (all of them are in the Excel file). */
const RANKED_KEYS = ['parks.monitored', 'parks.investmentWan', 'parks.firms', 'assistance.collected'];
/** Columns of the district table in the PDF. */
const DISTRICT_COLUMNS = [
  'parks.monitored',
  'parks.landMu',
  'parks.firms',
  'parks.investmentWan',
  'projects.total',
  'assistance.collected',
  'assistance.resolved',
];

type Doc = PDFKit.PDFDocument;

export async function buildReportPdf(data: ReportData): Promise<Buffer> {
  const fonts = reportFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: M, bottom: M + FOOTER, left: M, right: M },
    bufferPages: true,
    info: { Title: data.title, Author: '苗圃 Miaopu', Subject: data.periodLabel, Creator: '苗圃 Miaopu reports' },
    lang: 'zh-CN',
    displayTitle: true,
  } as PDFKit.PDFDocumentOptions);
  doc.registerFont('cjk', fonts.regular);
  doc.registerFont('cjk-bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * M;
  const bottom = () => doc.page.height - M - FOOTER;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  /** A section title, kept on the page of what follows it (`next`: the height that must fit below it). */
  const heading = (text: string, next = 40) => {
    ensure(next + 34);
    doc.moveDown(0.6);
    const y = doc.y;
    doc.rect(M, y + 2, 3, 14).fill(ACCENT);
    doc
      .font('cjk-bold')
      .fontSize(13)
      .fillColor(INK)
      .text(text, M + 10, y, { width: width - 10 });
    doc.moveDown(0.4);
  };

  // Title block
  doc.rect(0, 0, doc.page.width, 6).fill(ACCENT);
  doc.font('cjk-bold').fontSize(20).fillColor(INK).text(data.title, M, M, { width, align: 'center' });
  doc.moveDown(0.3);
  doc
    .font('cjk')
    .fontSize(11)
    .fillColor(MUTED)
    .text(`报告期：${data.period.start} 至 ${data.period.end}　　数据截至：${data.period.end}`, {
      width,
      align: 'center',
    });
  doc.text(`生成时间：${shanghaiTime(data.generatedAt)}　　口径：与驾驶舱同一计算（dashboard summary）`, {
    width,
    align: 'center',
  });
  doc.moveDown(0.5);

  heading('一、核心指标');
  drawCards(doc, data, width);

  heading('二、指标明细（本期与上期）');
  const withTargets = data.tiles.some((t) => targetText(t) !== null);
  drawTable(
    doc,
    [
      { title: '指标', width: 0.2, align: 'left' },
      { title: '本期', width: 0.13, align: 'right' },
      { title: '上期', width: 0.13, align: 'right' },
      { title: '环比', width: 0.13, align: 'right' },
      { title: '单位', width: 0.07, align: 'left' },
      ...(withTargets ? [{ title: '目标与进度', width: 0.16, align: 'left' as const }] : []),
      { title: '来源', width: withTargets ? 0.18 : 0.34, align: 'left' },
    ],
    data.tiles.map((t) => {
      const before = tileByKey(data.previousTiles, t.key)?.value;
      return [
        tileLabel(t.key),
        formatValue(t.value, t.unit),
        formatValue(before, t.unit),
        changeText(t.value, before, t.unit),
        tileUnit(t),
        ...(withTargets ? [targetText(t) ?? '—'] : []),
        sourceLabel(t.source),
      ];
    }),
    width,
    bottom,
  );
  doc
    .font('cjk')
    .fontSize(8)
    .fillColor(MUTED)
    .text(`上期：${data.previous.start} 至 ${data.previous.end}（数据截至 ${data.previous.end}）`, M, doc.y + 4, {
      width,
    });

  const change = await changeChart(data);
  if (change) {
    heading('三、环比变化', change.height);
    placeChart(doc, change, width, bottom);
  }

  if (data.districts.length > 0) {
    heading(`${change ? '四' : '三'}、区县排名（n = ${data.districts.length}）`, 120);
    const cols = DISTRICT_COLUMNS.filter((k) => tileByKey(data.tiles, k));
    drawTable(
      doc,
      [
        { title: '区县', width: 0.2, align: 'left' },
        ...cols.map((k) => ({
          title: `${tileLabel(k)}\n（${tileUnit(tileByKey(data.tiles, k)!)}）`,
          width: 0.8 / cols.length,
          align: 'right' as const,
        })),
      ],
      [
        ...data.districts.map((d) => [
          d.name,
          ...cols.map((k) => formatValue(tileByKey(d.tiles, k)?.value, tileByKey(data.tiles, k)!.unit)),
        ]),
        [
          `${data.regionName}合计`,
          ...cols.map((k) => formatValue(tileByKey(data.tiles, k)!.value, tileByKey(data.tiles, k)!.unit)),
        ],
      ],
      width,
      bottom,
      { boldLast: true, fontSize: 8 },
    );
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor(MUTED)
      .text('合计为驾驶舱全市口径，含市本级及未分区的记录；各项指标的完整区县对比与排名见 Excel 报表。', M, doc.y + 4, {
        width,
      });
    for (const key of RANKED_KEYS) {
      if (!tileByKey(data.tiles, key)) continue;
      const chart = await rankingChart(data, key);
      if (chart) placeChart(doc, chart, width, bottom);
    }
  }

  heading('计算口径');
  for (const t of data.tiles) {
    const text = `${tileLabel(t.key)}：${t.how}（来源：${sourceLabel(t.source)}；截至 ${t.asOf}）`;
    ensure(doc.font('cjk').fontSize(8).heightOfString(text, { width }) + 4);
    doc.font('cjk').fontSize(8).fillColor(INK).text(text, M, doc.y, { width });
    doc.moveDown(0.2);
  }

  // Footer on every page: the report's name and the page count.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const keep = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not open a new page
    const y = doc.page.height - M - 12;
    doc
      .moveTo(M, y - 6)
      .lineTo(doc.page.width - M, y - 6)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
    doc.font('cjk').fontSize(8).fillColor(MUTED);
    doc.text(`苗圃 · ${data.title}`, M, y, { width: width * 0.7, lineBreak: false });
    doc.text(`第 ${i + 1} 页 / 共 ${range.count} 页`, M + width * 0.7, y, {
      width: width * 0.3,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = keep;
  }
  doc.end();
  return done;
}

function shanghaiTime(iso: string): string {
  return `${new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
}

function drawCards(doc: Doc, data: ReportData, width: number) {
  const perRow = 3;
  const gap = 8;
  const w = (width - gap * (perRow - 1)) / perRow;
  const h = 58;
  data.tiles.forEach((t, i) => {
    const col = i % perRow;
    if (col === 0) {
      if (doc.y + h > doc.page.height - M - FOOTER) doc.addPage();
    }
    const x = M + col * (w + gap);
    const y = doc.y;
    doc.roundedRect(x, y, w, h, 4).lineWidth(0.6).strokeColor(LINE).stroke();
    doc
      .font('cjk')
      .fontSize(9)
      .fillColor(MUTED)
      .text(tileLabel(t.key), x + 8, y + 6, { width: w - 16, lineBreak: false });
    const value = formatValue(t.value, t.unit);
    doc.font('cjk-bold').fontSize(16).fillColor(INK);
    const vw = doc.widthOfString(value);
    doc.text(value, x + 8, y + 19, { lineBreak: false });
    if (t.value !== null) {
      doc
        .font('cjk')
        .fontSize(9)
        .fillColor(INK)
        .text(tileUnit(t), x + 12 + vw, y + 25, { lineBreak: false });
    }
    doc
      .font('cjk')
      .fontSize(7)
      .fillColor(MUTED)
      .text(`${sourceLabel(t.source)} · 截至 ${t.asOf}`, x + 8, y + 42, { width: w - 16, height: 9, ellipsis: true });
    doc.x = M;
    doc.y = col === perRow - 1 || i === data.tiles.length - 1 ? y + h + gap : y;
  });
}

interface Column {
  title: string;
  /** Share of the width. */
  width: number;
  align: 'left' | 'right';
}

function drawTable(
  doc: Doc,
  columns: Column[],
  rows: string[][],
  width: number,
  bottom: () => number,
  opts: { boldLast?: boolean; fontSize?: number } = {},
) {
  const size = opts.fontSize ?? 9;
  const pad = 4;
  const widths = columns.map((c) => c.width * width);
  const rowHeight = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const h = rowHeight(cells, font);
    if (doc.y + h > bottom()) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (fill) doc.rect(M, y, width, h).fill(fill);
    let x = M;
    cells.forEach((c, i) => {
      doc
        .font(font)
        .fontSize(size)
        .fillColor(INK)
        .text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align });
      x += widths[i]!;
    });
    doc
      .moveTo(M, y + h)
      .lineTo(M + width, y + h)
      .lineWidth(0.4)
      .strokeColor(LINE)
      .stroke();
    doc.x = M;
    doc.y = y + h;
  };
  const drawHeader = () =>
    drawRow(
      columns.map((c) => c.title),
      'cjk-bold',
      '#f0f5ff',
    );
  if (doc.y + 60 > bottom()) doc.addPage();
  drawHeader();
  rows.forEach((r, i) => {
    drawRow(r, opts.boldLast && i === rows.length - 1 ? 'cjk-bold' : 'cjk');
  });
}

function placeChart(doc: Doc, chart: ChartSvg, width: number, bottom: () => number) {
  const scale = Math.min(1, width / chart.width);
  const h = chart.height * scale;
  if (doc.y + h + 8 > bottom()) doc.addPage();
  const y = doc.y + 4;
  SVGtoPDF(doc, chart.svg, M + (width - chart.width * scale) / 2, y, {
    width: chart.width * scale,
    height: h,
    assumePt: true, // ECharts sizes are the chart's own units: 1 unit = 1 pt
    fontCallback: (_family, bold) => (bold ? 'cjk-bold' : 'cjk'),
    warningCallback: () => {},
  });
  doc.x = M;
  doc.y = y + h + 8;
}
