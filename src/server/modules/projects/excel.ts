/**
 * Excel for 三个一批: the import template (Chinese headers, drop-down lists), an all-or-nothing import with
 * row-level errors, and the export of a filtered list. Cells that start with = + - @ are written as text
 * (ASVS 5.0 V1.2.10, formula injection).
 */

import { inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { INDUSTRY_CLASSES, type IndustryClass } from '../../../domain/projects.ts';
import type { Tx } from '../../db/client.ts';
import { projectBatchEntries, projectBatches, projects } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Scope } from '../../platform/scope.ts';
import { checkXlsxZip } from '../../platform/xlsx-rows.ts';
import { formulaSafe } from '../../platform/xlsx-write.ts';

export const INDUSTRY_LABELS: Record<IndustryClass, string> = {
  manufacturing: '制造业',
  investment_attraction: '招商引资',
  strategic_emerging: '战略性新兴产业',
  infrastructure: '重大基础设施',
  modern_services: '现代服务业',
  social_livelihood: '社会民生事业',
  other: '其他',
};
export const KIND_LABELS = { sign: '签约一批', start: '开工一批', produce: '投产一批' } as const;
export const STAGE_LABELS = {
  signed: '已签约',
  performed: '已履约',
  started: '已开工',
  producing: '已投产',
  effective: '已达效',
} as const;
export const WARNING_LABELS = { none: '', yellow: '黄色预警', orange: '橙色预警', red: '红色预警' } as const;

const COLUMNS = [
  { key: 'code', header: '项目编号', width: 16, required: true },
  { key: 'name', header: '项目名称', width: 40, required: true },
  { key: 'ownerName', header: '项目单位', width: 30, required: true },
  { key: 'region', header: '所属区县(市)', width: 18, required: true },
  { key: 'industryClass', header: '行业类别', width: 16, required: true },
  { key: 'totalInvestmentWan', header: '总投资(万元)', width: 14, required: true },
  { key: 'responsibleUnit', header: '责任单位', width: 24, required: true },
  { key: 'responsiblePerson', header: '责任人', width: 10, required: false },
  { key: 'signedOn', header: '签约日期', width: 12, required: false },
  { key: 'plannedStartOn', header: '计划开工日期', width: 14, required: false },
  { key: 'plannedProductionOn', header: '计划投产日期', width: 14, required: false },
  { key: 'batch', header: '期数', width: 8, required: true },
  { key: 'kind', header: '列入类型', width: 12, required: true },
] as const;
type ColumnKey = (typeof COLUMNS)[number]['key'];

const safeText = formulaSafe;

export async function buildTemplate(deps: AppDeps, scope: Scope): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Miaopu';
  const ws = wb.addWorksheet('三个一批项目');
  const lists = wb.addWorksheet('选项');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  const regions = deps.regions
    .all()
    .filter((r) => r.level === 'district' && (scope.kind === 'all' || scope.regionCodes.includes(r.code)))
    .map((r) => r.name);
  const put = (col: number, values: string[]) => {
    values.forEach((v, i) => {
      lists.getCell(i + 1, col).value = v;
    });
  };
  put(1, regions);
  put(2, Object.values(INDUSTRY_LABELS));
  put(3, Object.values(KIND_LABELS));
  lists.state = 'veryHidden';
  const listRef = (col: string, n: number) => [`选项!$${col}$1:$${col}$${Math.max(1, n)}`];
  for (let r = 2; r <= 1000; r++) {
    ws.getCell(r, 4).dataValidation = { type: 'list', allowBlank: false, formulae: listRef('A', regions.length) };
    ws.getCell(r, 5).dataValidation = { type: 'list', allowBlank: false, formulae: listRef('B', 7) };
    ws.getCell(r, 13).dataValidation = { type: 'list', allowBlank: false, formulae: listRef('C', 3) };
    ws.getCell(r, 6).dataValidation = { type: 'decimal', operator: 'greaterThan', formulae: [0], allowBlank: false };
  }
  ws.getCell('A2').note = '示例：3P-5-0001；期数填数字，如 5；日期格式 2026-05-31';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  }
  return String(v).trim();
}

function cellDate(v: ExcelJS.CellValue): string | null | 'invalid' {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') {
    // Excel serial date (1900 system)
    const d = new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000);
    return d.toISOString().slice(0, 10);
  }
  const s = cellText(v)
    .replace(/[/.年月]/g, '-')
    .replace(/日$/, '');
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (!m) return 'invalid';
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(iso)) ? 'invalid' : iso;
}

/**
 * Imports the first sheet. Nothing is written unless every row is valid; then all rows are written in the
 * caller's transaction. Returns the row errors (row numbers as Excel shows them).
 */
export async function importProjects(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  bytes: Buffer,
): Promise<{ created: number; errors: RowError[] }> {
  const unreadable = {
    created: 0,
    errors: [{ row: 0, column: '', message: '无法读取该文件：请上传 .xlsx 格式的模板' }],
  };
  // not a zip at all: the import's own row error (the zip limits below are for real archives)
  if (bytes.subarray(0, 2).toString('latin1') !== 'PK') return unreadable;
  await checkXlsxZip(bytes); // zip-bomb limits before ExcelJS inflates anything (decision 0021)
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return unreadable;
  }
  const ws = wb.worksheets[0];
  if (!ws) return { created: 0, errors: [{ row: 0, column: '', message: '文件中没有工作表' }] };
  const headerIndex = new Map<string, number>();
  ws.getRow(1).eachCell((cell, col) => headerIndex.set(cellText(cell.value), col));
  const errors: RowError[] = [];
  for (const c of COLUMNS) {
    if (!headerIndex.has(c.header)) errors.push({ row: 1, column: c.header, message: '缺少该列（请使用导入模板）' });
  }
  if (errors.length) return { created: 0, errors };

  const regionByName = new Map(deps.regions.all().map((r) => [r.name, r.code]));
  const industryByLabel = new Map<string, IndustryClass>(
    Object.entries(INDUSTRY_LABELS).map(([k, v]) => [v, k as IndustryClass]),
  );
  const kindByLabel = new Map<string, keyof typeof KIND_LABELS>(
    Object.entries(KIND_LABELS).map(([k, v]) => [v, k as keyof typeof KIND_LABELS]),
  );
  const batches = await tx.select().from(projectBatches);
  const seenCodes = new Set<string>();
  const parsed: {
    row: number;
    values: typeof projects.$inferInsert;
    batchId: string;
    kind: keyof typeof KIND_LABELS;
  }[] = [];

  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const get = (k: ColumnKey) => row.getCell(headerIndex.get(COLUMNS.find((c) => c.key === k)!.header)!).value;
    const text = (k: ColumnKey) => cellText(get(k));
    if (COLUMNS.every((c) => text(c.key) === '')) continue;
    const err = (k: ColumnKey, message: string) =>
      errors.push({ row: r, column: COLUMNS.find((c) => c.key === k)!.header, message });
    for (const c of COLUMNS) if (c.required && text(c.key) === '') err(c.key, '必填');

    const code = text('code');
    if (code && seenCodes.has(code)) err('code', '文件中项目编号重复');
    seenCodes.add(code);
    const regionText = text('region');
    const regionCode = regionByName.get(regionText) ?? (deps.regions.get(regionText) ? regionText : undefined);
    if (regionText && !regionCode) err('region', `未知的区县(市)：${regionText}`);
    else if (regionCode && scope.kind === 'region' && !scope.regionCodes.includes(regionCode))
      err('region', '不在您的管辖范围内');
    const industryClass = industryByLabel.get(text('industryClass'));
    if (text('industryClass') && !industryClass) err('industryClass', `未知的行业类别：${text('industryClass')}`);
    const amount = Number(text('totalInvestmentWan').replace(/,/g, ''));
    if (text('totalInvestmentWan') && (!Number.isFinite(amount) || amount <= 0))
      err('totalInvestmentWan', '须为大于 0 的数字');
    const dates: Record<string, string | null> = {};
    for (const k of ['signedOn', 'plannedStartOn', 'plannedProductionOn'] as const) {
      const d = cellDate(get(k));
      if (d === 'invalid') err(k, '日期格式应为 YYYY-MM-DD');
      else dates[k] = d;
    }
    const batchNo = Number(text('batch'));
    const kind = kindByLabel.get(text('kind'));
    if (text('kind') && !kind) err('kind', `未知的列入类型：${text('kind')}（签约一批/开工一批/投产一批）`);
    const batch = batches.find((b) => b.number === batchNo && b.level === 'province');
    if (text('batch') && !batch) err('batch', `不存在第 ${text('batch')} 期`);
    if (errors.some((e) => e.row === r)) continue;
    parsed.push({
      row: r,
      values: {
        code,
        name: text('name'),
        ownerName: text('ownerName'),
        regionCode: regionCode!,
        industryClass: industryClass!,
        totalInvestmentWan: Math.round(amount * 100) / 100,
        responsibleUnit: text('responsibleUnit'),
        responsiblePerson: text('responsiblePerson'),
        signedOn: dates.signedOn ?? null,
        plannedStartOn: dates.plannedStartOn ?? null,
        plannedProductionOn: dates.plannedProductionOn ?? null,
      },
      batchId: batch!.id,
      kind: kind!,
    });
  }
  if (parsed.length && !errors.length) {
    const existing = await tx
      .select({ code: projects.code })
      .from(projects)
      .where(
        inArray(
          projects.code,
          parsed.map((p) => p.values.code),
        ),
      );
    const taken = new Set(existing.map((e) => e.code));
    for (const p of parsed) {
      if (taken.has(p.values.code)) errors.push({ row: p.row, column: '项目编号', message: '项目编号已存在' });
    }
  }
  if (errors.length) return { created: 0, errors };
  for (const p of parsed) {
    const [row] = await tx.insert(projects).values(p.values).returning({ id: projects.id });
    await tx.insert(projectBatchEntries).values({ projectId: row!.id, kind: p.kind, batchId: p.batchId });
  }
  await deps.audit.write(tx, actor, {
    action: 'project.import',
    entity: 'project',
    summary: { rows: parsed.length },
  });
  return { created: parsed.length, errors: [] };
}

export async function buildExport(
  rows: {
    project: typeof projects.$inferSelect;
    regionName: string;
    warning: keyof typeof WARNING_LABELS;
    batches: string;
  }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('三个一批项目');
  ws.columns = [
    { header: '项目编号', key: 'code', width: 16 },
    { header: '项目名称', key: 'name', width: 40 },
    { header: '项目单位', key: 'ownerName', width: 30 },
    { header: '所属区县(市)', key: 'region', width: 16 },
    { header: '行业类别', key: 'industry', width: 14 },
    { header: '总投资(万元)', key: 'total', width: 14 },
    { header: '所在批次', key: 'batches', width: 28 },
    { header: '进度', key: 'stage', width: 10 },
    { header: '计划开工', key: 'plannedStartOn', width: 12 },
    { header: '实际开工', key: 'startedOn', width: 12 },
    { header: '实际投产', key: 'productionOn', width: 12 },
    { header: '预警', key: 'warning', width: 10 },
    { header: '责任单位', key: 'responsibleUnit', width: 24 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const p = r.project;
    ws.addRow({
      code: safeText(p.code),
      name: safeText(p.name),
      ownerName: safeText(p.ownerName),
      region: r.regionName,
      industry: INDUSTRY_LABELS[p.industryClass],
      total: p.totalInvestmentWan,
      batches: r.batches,
      stage: STAGE_LABELS[p.stage],
      plannedStartOn: p.plannedStartOn ?? '',
      startedOn: p.startedOn ?? '',
      productionOn: p.productionOn ?? '',
      warning: WARNING_LABELS[r.warning],
      responsibleUnit: safeText(p.responsibleUnit),
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export { INDUSTRY_CLASSES };
