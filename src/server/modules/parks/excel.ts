/**
 * Excel for parks: template with two sheets (园区, 节点计划) and drop-down lists; all-or-nothing import with
 * row-level errors (sheet, row, column, message); export of the filtered list.
 */

import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { DEFAULT_MILESTONES, type ParkStage } from '../../../domain/parks.ts';
import type { Tx } from '../../db/client.ts';
import { orgs, parkMilestones, parkStageHistory, parks } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { regionReferenceAllowed } from '../../platform/references.ts';
import type { Scope } from '../../platform/scope.ts';
import { checkXlsxZip } from '../../platform/xlsx-rows.ts';
import { formulaSafe } from '../../platform/xlsx-write.ts';

export const STAGE_LABELS: Record<ParkStage, string> = {
  planned: '谋划',
  filed: '已备案',
  land_acquired: '已取得土地',
  permitted: '已取得许可',
  under_construction: '在建',
  completed: '已建成',
  operating: '运营中',
};
export const CATEGORY_LABELS = { manufacturing: '生产制造类', producer_services: '生产性服务类' } as const;
export const MODE_LABELS = {
  government: '政府主导',
  leading_enterprise: '龙头企业',
  third_party: '第三方专业机构',
  consortium: '企业联合体',
} as const;
export const RECOGNITION_LABELS = { county: '县级', municipal: '市级', provincial: '省级' } as const;

const PARK_COLUMNS = [
  ['code', '园区编号', true],
  ['name', '园区名称', true],
  ['region', '所属区县(市)', true],
  ['address', '地址', false],
  ['lng', '经度(WGS-84)', false],
  ['lat', '纬度(WGS-84)', false],
  ['category', '园区类别', true],
  ['mode', '开发模式', true],
  ['operator', '运营主体', false],
  ['land', '占地面积(亩)', true],
  ['floor', '建筑面积(m²)', true],
  ['investment', '计划总投资(万元)', true],
  ['industry', '产业方向(GB/T 4754代码，多个以顿号分隔)', false],
  ['positioning', '产业定位', false],
  ['stage', '建设阶段', true],
  ['monitoredFrom', '纳入重点监测日期', false],
] as const;
const NODE_COLUMNS = [
  ['park', '园区编号', true],
  ['node', '节点', true],
  ['planned', '计划完成日期', true],
  ['actual', '实际完成日期', false],
] as const;

export interface RowError {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

function text(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return text(v.result as ExcelJS.CellValue);
  }
  return String(v).trim();
}

function dateOf(v: ExcelJS.CellValue): string | null | 'invalid' {
  if (v === null || v === undefined || v === '') return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number')
    return new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000).toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text(v));
  if (!m) return 'invalid';
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(iso)) ? 'invalid' : iso;
}

function numberOf(v: ExcelJS.CellValue): number | null {
  const s = text(v).replace(/,/g, '');
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : Number.NaN;
}

const safe = formulaSafe;

export async function buildParkTemplate(deps: AppDeps, scope: Scope): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('园区');
  const nodes = wb.addWorksheet('节点计划');
  const lists = wb.addWorksheet('选项');
  ws.columns = PARK_COLUMNS.map(([key, header]) => ({ key, header, width: Math.max(12, header.length * 2) }));
  nodes.columns = NODE_COLUMNS.map(([key, header]) => ({ key, header, width: 18 }));
  ws.getRow(1).font = { bold: true };
  nodes.getRow(1).font = { bold: true };
  const regionNames = deps.regions
    .all()
    .filter((r) => r.level === 'district' && (scope.kind === 'all' || scope.regionCodes.includes(r.code)))
    .map((r) => r.name);
  const columns: string[][] = [
    regionNames,
    Object.values(CATEGORY_LABELS),
    Object.values(MODE_LABELS),
    Object.values(STAGE_LABELS),
    DEFAULT_MILESTONES.map((m) => m.name),
  ];
  columns.forEach((values, c) => {
    values.forEach((v, r) => {
      lists.getCell(r + 1, c + 1).value = v;
    });
  });
  lists.state = 'veryHidden';
  const ref = (c: number) => {
    const col = String.fromCharCode(65 + c);
    return [`选项!$${col}$1:$${col}$${Math.max(1, columns[c]!.length)}`];
  };
  for (let r = 2; r <= 500; r++) {
    ws.getCell(r, 3).dataValidation = { type: 'list', allowBlank: false, formulae: ref(0) };
    ws.getCell(r, 7).dataValidation = { type: 'list', allowBlank: false, formulae: ref(1) };
    ws.getCell(r, 8).dataValidation = { type: 'list', allowBlank: false, formulae: ref(2) };
    ws.getCell(r, 15).dataValidation = { type: 'list', allowBlank: false, formulae: ref(3) };
    nodes.getCell(r, 2).dataValidation = { type: 'list', allowBlank: false, formulae: ref(4) };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Validates both sheets completely, then writes everything, or nothing when any row fails. */
export async function importParks(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, bytes: Buffer, today: string) {
  const errors: RowError[] = [];
  if (bytes.subarray(0, 2).toString('latin1') !== 'PK')
    return {
      parks: 0,
      milestones: 0,
      errors: [{ sheet: '', row: 0, column: '', message: '无法读取该文件：请上传 .xlsx 格式的模板' }],
    };
  await checkXlsxZip(bytes); // zip-bomb limits before ExcelJS inflates anything (decision 0021)
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return {
      parks: 0,
      milestones: 0,
      errors: [{ sheet: '', row: 0, column: '', message: '无法读取该文件：请上传 .xlsx 格式的模板' }],
    };
  }
  const ws = wb.getWorksheet('园区') ?? wb.worksheets[0];
  if (!ws) return { parks: 0, milestones: 0, errors: [{ sheet: '', row: 0, column: '', message: '文件中没有工作表' }] };
  const headerOf = (sheet: ExcelJS.Worksheet) => {
    const m = new Map<string, number>();
    sheet.getRow(1).eachCell((c, i) => m.set(text(c.value), i));
    return m;
  };
  const ph = headerOf(ws);
  for (const [, h, req] of PARK_COLUMNS)
    if (req && !ph.has(h)) errors.push({ sheet: ws.name, row: 1, column: h, message: '缺少该列（请使用导入模板）' });
  if (errors.length) return { parks: 0, milestones: 0, errors };

  const regionByName = new Map(deps.regions.all().map((r) => [r.name, r.code]));
  const inverse = <T extends string>(o: Record<T, string>) =>
    new Map(Object.entries(o).map(([k, v]) => [v as string, k as T]));
  const categoryBy = inverse(CATEGORY_LABELS);
  const modeBy = inverse(MODE_LABELS);
  const stageBy = inverse(STAGE_LABELS);
  const operators = await tx.select().from(orgs).where(eq(orgs.kind, 'park_operator'));
  const operatorBy = new Map(operators.map((o) => [o.name, o.id]));
  const operatorRegion = new Map(operators.map((o) => [o.id, o.regionCode]));

  const newParks: { row: number; values: typeof parks.$inferInsert }[] = [];
  const codes = new Set<string>();
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cell = (key: (typeof PARK_COLUMNS)[number][0]) => {
      const h = PARK_COLUMNS.find((c) => c[0] === key)![1];
      return ph.has(h) ? row.getCell(ph.get(h)!).value : null;
    };
    if (PARK_COLUMNS.every(([k]) => text(cell(k)) === '')) continue;
    const err = (key: (typeof PARK_COLUMNS)[number][0], message: string) =>
      errors.push({ sheet: ws.name, row: r, column: PARK_COLUMNS.find((c) => c[0] === key)![1], message });
    for (const [k, , req] of PARK_COLUMNS) if (req && text(cell(k)) === '') err(k, '必填');
    const code = text(cell('code'));
    if (code && codes.has(code)) err('code', '文件中园区编号重复');
    codes.add(code);
    const regionText = text(cell('region'));
    const regionCode = regionByName.get(regionText) ?? (deps.regions.get(regionText) ? regionText : undefined);
    if (regionText && !regionCode) err('region', `未知的区县(市)：${regionText}`);
    else if (regionCode && scope.kind === 'region' && !scope.regionCodes.includes(regionCode))
      err('region', '不在您的管辖范围内');
    const category = categoryBy.get(text(cell('category')));
    if (text(cell('category')) && !category) err('category', `未知的园区类别：${text(cell('category'))}`);
    const mode = modeBy.get(text(cell('mode')));
    if (text(cell('mode')) && !mode) err('mode', `未知的开发模式：${text(cell('mode'))}`);
    const stage = stageBy.get(text(cell('stage')));
    if (text(cell('stage')) && !stage) err('stage', `未知的建设阶段：${text(cell('stage'))}`);
    const operatorName = text(cell('operator'));
    const operatorOrgId = operatorName ? operatorBy.get(operatorName) : null;
    if (operatorName && !operatorOrgId) err('operator', `系统中没有该运营主体：${operatorName}`);
    else if (
      operatorOrgId &&
      !regionReferenceAllowed(deps, scope, operatorRegion.get(operatorOrgId) ?? null, regionCode ?? null)
    )
      err('operator', `该运营主体不在您的管辖范围内：${operatorName}`);
    const nums: Record<string, number | null> = {};
    for (const k of ['land', 'floor', 'investment', 'lng', 'lat'] as const) {
      const n = numberOf(cell(k));
      if (n !== null && (Number.isNaN(n) || n < 0)) err(k, '须为不小于 0 的数字');
      else nums[k] = n;
    }
    if (nums.land === 0) err('land', '须大于 0');
    if ((nums.lng === null) !== (nums.lat === null)) err('lng', '经度和纬度须同时填写');
    const monitoredFrom = dateOf(cell('monitoredFrom'));
    if (monitoredFrom === 'invalid') err('monitoredFrom', '日期格式应为 YYYY-MM-DD');
    const industryCodes = text(cell('industry'))
      .split(/[,，、\s]+/)
      .filter(Boolean);
    for (const c of industryCodes) if (!/^[A-T](\d{2,4})?$/.test(c)) err('industry', `不是 GB/T 4754 代码：${c}`);
    if (errors.some((e) => e.row === r && e.sheet === ws.name)) continue;
    newParks.push({
      row: r,
      values: {
        code,
        name: text(cell('name')),
        regionCode: regionCode!,
        address: text(cell('address')),
        lng: nums.lng,
        lat: nums.lat,
        category: category!,
        developmentMode: mode!,
        operatorOrgId: operatorOrgId ?? null,
        landAreaMu: nums.land!,
        floorAreaM2: nums.floor!,
        plannedInvestmentWan: nums.investment!,
        industryCodes,
        positioning: text(cell('positioning')),
        stage: stage!,
        monitoredFrom: monitoredFrom as string | null,
      },
    });
  }
  if (newParks.length) {
    const taken = await tx
      .select({ code: parks.code })
      .from(parks)
      .where(
        inArray(
          parks.code,
          newParks.map((p) => p.values.code),
        ),
      );
    for (const p of newParks)
      if (taken.some((t) => t.code === p.values.code))
        errors.push({ sheet: ws.name, row: p.row, column: '园区编号', message: '园区编号已存在' });
  }

  // milestone plans: for parks in this file or parks already in scope
  const nodeSheet = wb.getWorksheet('节点计划');
  const nodeRows: {
    row: number;
    parkCode: string;
    key: string;
    name: string;
    plannedOn: string;
    actualOn: string | null;
  }[] = [];
  if (nodeSheet) {
    const nh = headerOf(nodeSheet);
    const byName = new Map<string, { key: string; name: string }>(DEFAULT_MILESTONES.map((m) => [m.name, m]));
    for (let r = 2; r <= nodeSheet.rowCount; r++) {
      const row = nodeSheet.getRow(r);
      const cell = (i: number) =>
        nh.has(NODE_COLUMNS[i]![1]) ? row.getCell(nh.get(NODE_COLUMNS[i]![1])!).value : null;
      if ([0, 1, 2, 3].every((i) => text(cell(i)) === '')) continue;
      const err = (i: number, message: string) =>
        errors.push({ sheet: nodeSheet.name, row: r, column: NODE_COLUMNS[i]![1], message });
      const parkCode = text(cell(0));
      if (!parkCode) err(0, '必填');
      else if (!codes.has(parkCode)) err(0, '园区编号不在本文件的「园区」表中');
      const node = byName.get(text(cell(1)));
      if (!node) err(1, `未知的节点：${text(cell(1))}`);
      const planned = dateOf(cell(2));
      if (planned === null) err(2, '必填');
      else if (planned === 'invalid') err(2, '日期格式应为 YYYY-MM-DD');
      const actual = dateOf(cell(3));
      if (actual === 'invalid') err(3, '日期格式应为 YYYY-MM-DD');
      else if (actual && actual > today) err(3, '实际完成日期不能晚于今天');
      if (node && nodeRows.some((n) => n.parkCode === parkCode && n.key === node.key)) err(1, '同一园区的节点重复');
      if (errors.some((e) => e.row === r && e.sheet === nodeSheet.name)) continue;
      nodeRows.push({
        row: r,
        parkCode,
        key: node!.key,
        name: node!.name,
        plannedOn: planned as string,
        actualOn: actual as string | null,
      });
    }
  }
  if (errors.length) return { parks: 0, milestones: 0, errors };

  const idByCode = new Map<string, string>();
  for (const p of newParks) {
    const [row] = await tx.insert(parks).values(p.values).returning({ id: parks.id });
    idByCode.set(p.values.code, row!.id);
    await tx.insert(parkStageHistory).values({ parkId: row!.id, stage: p.values.stage!, on: today });
    const planned = new Map(nodeRows.filter((n) => n.parkCode === p.values.code).map((n) => [n.key, n]));
    await tx.insert(parkMilestones).values(
      DEFAULT_MILESTONES.map((m, i) => ({
        parkId: row!.id,
        seq: i + 1,
        key: m.key,
        name: m.name,
        plannedOn: planned.get(m.key)?.plannedOn ?? null,
        actualOn: planned.get(m.key)?.actualOn ?? null,
      })),
    );
  }
  await deps.audit.write(tx, actor, {
    action: 'park.import',
    entity: 'park',
    regionCode: scope.rootRegion,
    summary: { parks: newParks.length, milestones: nodeRows.length },
  });
  return { parks: newParks.length, milestones: nodeRows.length, errors };
}

export async function buildParkExport(
  rows: (typeof parks.$inferSelect & { regionName: string; plotRatio: number | null; overdue: boolean })[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('小微企业园');
  ws.columns = [
    { header: '园区编号', key: 'code', width: 14 },
    { header: '园区名称', key: 'name', width: 30 },
    { header: '所属区县(市)', key: 'region', width: 14 },
    { header: '园区类别', key: 'category', width: 12 },
    { header: '开发模式', key: 'mode', width: 14 },
    { header: '占地面积(亩)', key: 'land', width: 12 },
    { header: '建筑面积(m²)', key: 'floor', width: 14 },
    { header: '容积率', key: 'plot', width: 8 },
    { header: '计划总投资(万元)', key: 'investment', width: 16 },
    { header: '建设阶段', key: 'stage', width: 12 },
    { header: '认定级别', key: 'recognition', width: 10 },
    { header: '星级', key: 'stars', width: 6 },
    { header: '节点逾期', key: 'overdue', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const p of rows) {
    ws.addRow({
      code: safe(p.code),
      name: safe(p.name),
      region: p.regionName,
      category: CATEGORY_LABELS[p.category],
      mode: MODE_LABELS[p.developmentMode],
      land: p.landAreaMu,
      floor: p.floorAreaM2,
      plot: p.plotRatio === null ? '' : Math.round(p.plotRatio * 100) / 100,
      investment: p.plannedInvestmentWan,
      stage: STAGE_LABELS[p.stage],
      recognition: p.recognitionLevel ? RECOGNITION_LABELS[p.recognitionLevel] : '',
      stars: p.starLevel ?? '',
      overdue: p.overdue ? '是' : '',
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
