/**
 * Excel for 目标任务: a template (Chinese headers, drop-down lists for region, indicator and period), an
 * all-or-nothing import with row errors (a row replaces the target of the same region, indicator and period), and
 * the export of the listed targets. Text cells that look like formulas are written as text.
 */
import ExcelJS from 'exceljs';
import {
  TARGET_INDICATOR_KEYS,
  TARGET_PERIODS,
  type TargetIndicator,
  type TargetPeriod,
} from '../../../domain/targets.ts';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Scope } from '../../platform/scope.ts';
import { checkXlsxZip } from '../../platform/xlsx-rows.ts';
import { formulaSafe } from '../../platform/xlsx-write.ts';
import { type TargetInput, type TargetRow, upsertTargets, validPeriodNo } from './service.ts';

export const INDICATOR_LABELS: Record<TargetIndicator, string> = {
  'parks.monitored': '重点监测小微企业园数（个）',
  'parks.landMu': '园区规划占地面积（亩）',
  'parks.floorAreaM2': '园区规划建筑面积（平方米）',
  'parks.firms': '入园企业数（家）',
  'parks.investmentWan': '园区工业投资（万元）',
  'projects.total': '三个一批项目数（个）',
  'assistance.collected': '收集企业问题数（个）',
  'assistance.resolved': '解决企业问题数（个）',
  'policies.count': '政策条数（条）',
  'policies.paidYuan': '兑付奖补资金（元）',
  'firms.total': '企业数（家）',
  'firms.aboveScale': '规上企业数（家）',
  'firms.srdi': '专精特新中小企业数（家）',
  'firms.srdiNew': '新增专精特新中小企业数（家）',
  'firms.scaleUpNew': '小升规企业数（家）',
  'firms.techSme': '科技型中小企业数（家）',
};
export const PERIOD_LABELS: Record<TargetPeriod, string> = { year: '年度', half: '半年', quarter: '季度' };

const COLUMNS = [
  { key: 'region', header: '区域', width: 18 },
  { key: 'indicator', header: '指标', width: 34 },
  { key: 'year', header: '年度', width: 8 },
  { key: 'period', header: '周期', width: 8 },
  { key: 'periodNo', header: '期次（半年1-2，季度1-4，年度填1）', width: 16 },
  { key: 'value', header: '目标值', width: 16 },
  { key: 'basis', header: '依据', width: 40 },
] as const;

export interface RowError {
  row: number;
  column: string;
  message: string;
}

const safe = formulaSafe;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  return String(v).trim();
}

/** Regions the caller may set targets for: the subtree below its root (not the root itself). */
function settableRegions(deps: AppDeps, scope: Scope) {
  if (scope.kind !== 'region' || !scope.rootRegion) return [];
  return scope.regionCodes
    .filter((c) => c !== scope.rootRegion)
    .map((c) => deps.regions.get(c)!)
    .filter(Boolean);
}

export async function buildTemplate(deps: AppDeps, scope: Scope): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Miaopu';
  const ws = wb.addWorksheet('目标任务');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  const lists = wb.addWorksheet('选项', { state: 'hidden' });
  const regions = settableRegions(deps, scope);
  regions.forEach((r, i) => {
    lists.getCell(i + 1, 1).value = r.name;
  });
  TARGET_INDICATOR_KEYS.forEach((k, i) => {
    lists.getCell(i + 1, 2).value = INDICATOR_LABELS[k];
  });
  TARGET_PERIODS.forEach((p, i) => {
    lists.getCell(i + 1, 3).value = PERIOD_LABELS[p];
  });
  for (let r = 2; r <= 300; r++) {
    if (regions.length)
      ws.getCell(r, 1).dataValidation = {
        type: 'list',
        allowBlank: false,
        formulae: [`选项!$A$1:$A$${regions.length}`],
      };
    ws.getCell(r, 2).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: [`选项!$B$1:$B$${TARGET_INDICATOR_KEYS.length}`],
    };
    ws.getCell(r, 4).dataValidation = {
      type: 'list',
      allowBlank: false,
      formulae: [`选项!$C$1:$C$${TARGET_PERIODS.length}`],
    };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function buildExport(rows: { target: TargetRow; regionName: string }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Miaopu';
  const ws = wb.addWorksheet('目标任务');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow({
      region: r.regionName,
      indicator: INDICATOR_LABELS[r.target.indicator as TargetIndicator] ?? r.target.indicator,
      year: r.target.year,
      period: PERIOD_LABELS[r.target.period],
      periodNo: r.target.periodNo,
      value: r.target.value,
      basis: safe(r.target.basis),
    });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function importTargets(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  bytes: Buffer,
): Promise<{ created: number; updated: number; errors: RowError[] }> {
  const unreadable = {
    created: 0,
    updated: 0,
    errors: [{ row: 0, column: '', message: '无法读取该文件：请上传 .xlsx 格式的模板' }],
  };
  if (bytes.subarray(0, 2).toString('latin1') !== 'PK') return unreadable;
  await checkXlsxZip(bytes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return unreadable;
  }
  const ws = wb.worksheets[0];
  if (!ws) return { created: 0, updated: 0, errors: [{ row: 0, column: '', message: '文件中没有工作表' }] };
  const col = new Map<string, number>();
  ws.getRow(1).eachCell((cell, i) => col.set(cellText(cell.value), i));
  const errors: RowError[] = [];
  for (const c of COLUMNS)
    if (c.key !== 'basis' && !col.has(c.header))
      errors.push({ row: 1, column: c.header, message: '缺少该列（请使用导入模板）' });
  if (errors.length) return { created: 0, updated: 0, errors };
  const settable = new Map(settableRegions(deps, scope).map((r) => [r.name, r.code]));
  const codeOk = new Set(settable.values());
  const byIndicator = new Map(TARGET_INDICATOR_KEYS.map((k) => [INDICATOR_LABELS[k], k]));
  for (const k of TARGET_INDICATOR_KEYS) byIndicator.set(k, k);
  const byPeriod = new Map<string, TargetPeriod>(
    TARGET_PERIODS.flatMap((p) => [
      [PERIOD_LABELS[p], p],
      [p, p],
    ]),
  );
  const rows: TargetInput[] = [];
  const seen = new Set<string>();
  const last = ws.actualRowCount;
  for (let r = 2; r <= Math.max(last, ws.rowCount); r++) {
    const row = ws.getRow(r);
    const get = (key: (typeof COLUMNS)[number]['key']) => {
      const c = COLUMNS.find((x) => x.key === key)!;
      const i = col.get(c.header);
      return i ? cellText(row.getCell(i).value) : '';
    };
    if (COLUMNS.every((c) => get(c.key) === '')) continue;
    const err = (key: (typeof COLUMNS)[number]['key'], message: string) =>
      errors.push({ row: r, column: COLUMNS.find((x) => x.key === key)!.header, message });
    const regionText = get('region');
    const regionCode = settable.get(regionText) ?? (codeOk.has(regionText) ? regionText : undefined);
    if (!regionCode) err('region', regionText ? `不能为该区域设定目标（须为您下辖的区域）：${regionText}` : '必填');
    const indicator = byIndicator.get(get('indicator'));
    if (!indicator) err('indicator', get('indicator') ? `未知指标：${get('indicator')}` : '必填');
    const year = Number(get('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) err('year', '年度应为 2000–2100 的整数');
    const period = byPeriod.get(get('period'));
    if (!period) err('period', get('period') ? `未知周期：${get('period')}（年度、半年、季度）` : '必填');
    const no = get('periodNo') === '' ? 1 : Number(get('periodNo'));
    if (period && !validPeriodNo(period, no)) err('periodNo', '期次不符：年度填 1，半年 1–2，季度 1–4');
    const value = Number(get('value'));
    if (get('value') === '' || !Number.isFinite(value) || value < 0 || value > 1e15)
      err('value', '目标值应为不小于 0 的数字');
    const basis = get('basis');
    if (basis.length > 500) err('basis', '依据不超过 500 字');
    if (regionCode && indicator && period) {
      const key = `${regionCode}|${indicator}|${period}|${year}|${no}`;
      if (seen.has(key)) err('indicator', '与前面的行重复（同一区域、指标和周期）');
      seen.add(key);
      rows.push({ regionCode, indicator, period, year, periodNo: no, value, basis });
    }
    if (errors.length > 200) break;
  }
  if (errors.length) return { created: 0, updated: 0, errors };
  if (!rows.length) return { created: 0, updated: 0, errors: [{ row: 2, column: '', message: '没有数据行' }] };
  const r = await upsertTargets(tx, deps, actor, scope, rows);
  return { ...r, errors: [] };
}
