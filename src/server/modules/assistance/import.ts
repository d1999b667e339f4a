/**
 * Bulk pairing import (包联名单, .xlsx): every row is checked first; any error refuses the whole file with the
 * row-level errors and nothing is written (all or nothing, in one transaction).
 */
import { and, eq, inArray } from 'drizzle-orm';
import { validateUscc } from '../../../domain/uscc.ts';
import type { Tx } from '../../db/client.ts';
import { assistanceCadres, assistancePairings, assistanceWorkGroups, enterprises } from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { readXlsxRows } from '../../platform/xlsx-rows.ts';
import type { Caller } from './access.ts';

export const PAIRING_HEADERS = [
  '干部姓名',
  '干部单位',
  '工作组',
  '企业统一社会信用代码',
  '企业名称',
  '包联开始日期',
  '包联结束日期',
] as const;

export interface RowError {
  row: number;
  column: string;
  message: string;
}

function cellText(v: unknown) {
  return v === null || v === undefined ? '' : String(v).trim();
}

/** Excel serial dates (days since 1899-12-30) or YYYY-MM-DD text. */
function cellDate(v: unknown): string | null {
  if (typeof v === 'number' && v > 20000 && v < 80000) {
    return new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000).toISOString().slice(0, 10);
  }
  const s = cellText(v).replace(/[/.]/g, '-');
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (!m) return null;
  const d = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return Number.isNaN(Date.parse(d)) ? null : d;
}

export async function importPairings(deps: AppDeps, tx: Tx, c: Caller, actor: Actor, bytes: Buffer) {
  const rows: { row: number; cells: unknown[] }[] = [];
  let header: string[] | null = null;
  for await (const [n, cells] of readXlsxRows(bytes)) {
    if (!header) {
      header = cells.map(cellText);
      continue;
    }
    if (cells.every((x) => cellText(x) === '')) continue;
    rows.push({ row: n, cells });
    if (rows.length > 20_000) break;
  }
  const errors: RowError[] = [];
  if (!header || PAIRING_HEADERS.some((h, i) => header![i] !== h)) {
    errors.push({ row: 1, column: '表头', message: `表头应为：${PAIRING_HEADERS.join('、')}` });
    throw new AppError('IMPORT_ROWS_INVALID', { count: errors.length }, { errors });
  }
  const regionCodes = [...c.regionCodes];
  const names = [...new Set(rows.map((r) => cellText(r.cells[0])))].filter(Boolean);
  const cadres = names.length
    ? await tx
        .select({
          id: assistanceCadres.id,
          name: assistanceCadres.name,
          org: assistanceCadres.org,
          group: assistanceWorkGroups.name,
          regionCode: assistanceCadres.regionCode,
        })
        .from(assistanceCadres)
        .leftJoin(assistanceWorkGroups, eq(assistanceWorkGroups.id, assistanceCadres.workGroupId))
        .where(inArray(assistanceCadres.name, names))
    : [];
  const usccs = [...new Set(rows.map((r) => validateUscc(cellText(r.cells[3])).normalized))].filter(Boolean);
  const firms = usccs.length
    ? await tx
        .select({
          id: enterprises.id,
          uscc: enterprises.uscc,
          name: enterprises.name,
          regionCode: enterprises.regionCode,
        })
        .from(enterprises)
        .where(inArray(enterprises.uscc, usccs))
    : [];
  const values: (typeof assistancePairings.$inferInsert)[] = [];
  const rowOf = new Map<number, number>(); // index in values → worksheet row
  const seen = new Set<string>();
  for (const r of rows) {
    const [name, org, group, usccRaw, firmNameRaw, fromRaw, toRaw] = [0, 1, 2, 3, 4, 5, 6].map((i) => r.cells[i]);
    const err = (column: string, message: string) => errors.push({ row: r.row, column, message });
    const matches = cadres.filter(
      (x) =>
        x.name === cellText(name) &&
        (!cellText(org) || x.org === cellText(org)) &&
        (!cellText(group) || x.group === cellText(group)) &&
        regionCodes.includes(x.regionCode),
    );
    if (!cellText(name)) err('干部姓名', '必填');
    else if (matches.length === 0) err('干部姓名', `未找到干部「${cellText(name)}」（请核对单位和工作组）`);
    else if (matches.length > 1) err('干部姓名', `有 ${matches.length} 名同名干部，请填写干部单位或工作组区分`);
    const u = validateUscc(cellText(usccRaw));
    if (!u.valid) err('企业统一社会信用代码', `代码无效（${u.errors.join('、')}）`);
    const firm = firms.find((f) => f.uscc === u.normalized);
    const firmName = firm?.name ?? cellText(firmNameRaw);
    if (!firm && !firmName) err('企业名称', '企业不在企业库中时必须填写企业名称');
    if (firm && !regionCodes.includes(firm.regionCode)) err('企业统一社会信用代码', '该企业不在您的管辖范围内');
    const from = cellDate(fromRaw);
    if (!from) err('包联开始日期', '日期格式应为 YYYY-MM-DD');
    const to = cellText(toRaw) ? cellDate(toRaw) : null;
    if (cellText(toRaw) && !to) err('包联结束日期', '日期格式应为 YYYY-MM-DD');
    if (from && to && to < from) err('包联结束日期', '结束日期早于开始日期');
    const cadre = matches.length === 1 ? matches[0]! : null;
    if (cadre && u.valid) {
      const key = `${cadre.id}|${u.normalized}`;
      if (seen.has(key)) err('企业统一社会信用代码', '同一干部与企业的包联关系重复');
      seen.add(key);
    }
    if (cadre && u.valid && from && firmName) {
      rowOf.set(values.length, r.row);
      values.push({
        cadreId: cadre.id,
        enterpriseId: firm?.id ?? null,
        firmName,
        firmUscc: u.normalized,
        regionCode: firm?.regionCode ?? cadre.regionCode,
        fromOn: from,
        toOn: to,
      });
    }
  }
  // Against the database (issue #18: re-importing the same file doubled the pairings; the API refuses the
  // duplicate): the same pairing already on file (same cadre, firm and dates) is left unchanged; another pairing of
  // the same cadre and firm that overlaps the row's period is a row error, as in POST /assistance/pairings.
  const existing = values.length
    ? await tx
        .select({
          cadreId: assistancePairings.cadreId,
          firmUscc: assistancePairings.firmUscc,
          fromOn: assistancePairings.fromOn,
          toOn: assistancePairings.toOn,
        })
        .from(assistancePairings)
        .where(
          and(
            inArray(assistancePairings.cadreId, [...new Set(values.map((v) => v.cadreId))]),
            inArray(assistancePairings.firmUscc, [...new Set(values.map((v) => v.firmUscc ?? ''))]),
          ),
        )
    : [];
  const fresh: typeof values = [];
  let unchanged = 0;
  for (const [i, v] of values.entries()) {
    const same = existing.filter((x) => x.cadreId === v.cadreId && x.firmUscc === v.firmUscc);
    if (same.some((x) => x.fromOn === v.fromOn && (x.toOn ?? null) === (v.toOn ?? null))) {
      unchanged++;
      continue;
    }
    const overlap = same.find(
      (x) => (x.toOn === null || x.toOn >= v.fromOn) && (v.toOn === null || v.toOn === undefined || x.fromOn <= v.toOn),
    );
    if (overlap)
      errors.push({
        row: rowOf.get(i)!,
        column: '企业统一社会信用代码',
        message: `该干部与企业已有包联关系（${overlap.fromOn} 起${overlap.toOn ? `至 ${overlap.toOn}` : ''}），与本行期间重叠`,
      });
    else fresh.push(v);
  }
  if (rows.length === 0) errors.push({ row: 2, column: '-', message: '文件中没有数据行' });
  if (errors.length)
    throw new AppError('IMPORT_ROWS_INVALID', { count: errors.length }, { errors: errors.slice(0, 500) });
  errors.sort((a, b) => a.row - b.row);
  for (let i = 0; i < fresh.length; i += 1000) await tx.insert(assistancePairings).values(fresh.slice(i, i + 1000));
  await deps.audit.write(tx, actor, {
    action: 'assistance.pairing.import',
    entity: 'assistance_pairing',
    regionCode: c.auth.scope.rootRegion,
    summary: { rows: fresh.length, unchanged },
  });
  return { imported: fresh.length, unchanged };
}
