/**
 * Bulk import of enterprises from Excel (issue #4, security.md REL-09): the file is stored first, then a job
 * streams it, validates every row and writes chunks of 500 rows in short transactions, so reads go on
 * meanwhile. The rows carry the job id and stay invisible until the job succeeds — publishing is the one-row
 * status change of the job. Any invalid row fails the whole job (all or nothing); its rows are then deleted.
 * A process killed mid-import leaves a `running` job that start-up marks failed, and its rows are removed.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { normalizeIndustryCode } from '../../../domain/industries.ts';
import { validateUscc } from '../../../domain/uscc.ts';
import { enterpriseFacts, enterprises, jobRuns, users } from '../../db/schema/index.ts';
import { buildScope } from '../../platform/auth.ts';
import type { AppDeps } from '../../platform/context.ts';
import { type JobContext, JobFailure } from '../../platform/jobs.ts';
import { inScope, type Scope } from '../../platform/scope.ts';
import { type CellValue, readXlsxRows } from '../../platform/xlsx-rows.ts';
import { initialsOf } from './service.ts';

export const IMPORT_JOB = 'enterprises.import';

const USCC_ERROR_TEXT: Record<string, string> = {
  length: '长度应为 18 位',
  charset: '含有不允许的字符（I、O、S、V、Z 等）',
  division_digits: '第 3–8 位应为行政区划代码数字',
  check_char: '校验位不符',
};
export const IMPORT_HEADERS = [
  '统一社会信用代码',
  '企业名称',
  '所属区县(市)',
  '行业代码',
  '成立日期',
  '注册资本(万元)',
  '法定代表人',
  '地址',
];
/** Rows per write transaction: small enough that a chunk never holds PGlite's one connection for long. */
const CHUNK = 500;
const MAX_REPORTED_ERRORS = 1000;

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

function text(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  return String(v).trim();
}

function dateOf(v: CellValue | undefined): string | null | 'invalid' {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number')
    return new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86_400_000).toISOString().slice(0, 10);
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text(v));
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : 'invalid';
}

/** Deletes the rows a failed import left, in chunks (never one long transaction). */
export async function purgeImport(deps: AppDeps, jobIds: string[]) {
  const { db } = deps.database;
  for (const jobId of jobIds) {
    for (;;) {
      const ids = await db
        .select({ id: enterprises.id })
        .from(enterprises)
        .where(eq(enterprises.importJobId, jobId))
        .limit(CHUNK);
      if (!ids.length) break;
      await db.delete(enterprises).where(
        inArray(
          enterprises.id,
          ids.map((r) => r.id),
        ),
      );
    }
  }
}

/** Failed import jobs whose rows are still in the table (after a crash). */
export async function purgeFailedImports(deps: AppDeps) {
  const { db } = deps.database;
  const failed = await db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.type, IMPORT_JOB),
        eq(jobRuns.status, 'failed'),
        sql`exists (select 1 from ${enterprises} e where e.import_job_id = ${jobRuns.id})`,
      ),
    );
  await purgeImport(
    deps,
    failed.map((f) => f.id),
  );
}

export async function runImport(deps: AppDeps, ctx: JobContext, today: string) {
  const { db } = deps.database;
  const fileSha = String(ctx.payload.sha256);
  const totalRows = Number(ctx.payload.rows ?? 0);
  const bytes = await deps.files.read(fileSha);
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const err = (row: number, column: string, message: string) => {
    errorCount++;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ row, column, message });
  };
  const regionByName = new Map(deps.regions.all().map((r) => [r.name, r.code]));
  // Every row is checked against the importer's scope (issue #16): a firm filed outside it is a row error,
  // as the same firm through POST /api/v1/enterprises is a 403.
  const scope = await importerScope(deps, ctx.jobId);
  const seen = new Set<string>();
  let chunk: (typeof enterprises.$inferInsert)[] = [];
  let written = 0;
  let processed = 0;
  const year = Number(today.slice(0, 4));

  const flush = async () => {
    if (!chunk.length) return;
    const rows = chunk;
    chunk = [];
    await db.transaction(async (tx) => {
      const taken = await tx
        .select({ uscc: enterprises.uscc })
        .from(enterprises)
        .where(
          inArray(
            enterprises.uscc,
            rows.map((r) => r.uscc),
          ),
        );
      if (taken.length) {
        for (const t of taken) err(0, '统一社会信用代码', `已存在：${t.uscc}`);
        return;
      }
      const inserted = await tx
        .insert(enterprises)
        .values(rows)
        .returning({ id: enterprises.id, regionCode: enterprises.regionCode, industryCode: enterprises.industryCode });
      await tx.insert(enterpriseFacts).values(
        inserted.map((r) => ({
          enterpriseId: r.id,
          year,
          regionCode: r.regionCode,
          industryCode: r.industryCode,
          size: 'unknown' as const,
          aboveScale: null,
          facts: { sizeMissing: ['employees', 'revenue'], qualifications: [] },
        })),
      );
    });
    written += rows.length;
    await ctx.progress(totalRows ? (processed / totalRows) * 99 : 50, `${processed} / ${totalRows || '?'}`);
  };

  let headerChecked = false;
  for await (const [r, values] of readXlsxRows(bytes)) {
    if (!headerChecked) {
      headerChecked = true;
      const missing = IMPORT_HEADERS.filter((h, i) => text(values[i]) !== h);
      if (missing.length) {
        throw new JobFailure('导入模板不正确', {
          errors: [{ row: 1, column: missing.join('、'), message: '缺少该列或顺序不对（请使用导入模板）' }],
          errorCount: 1,
        });
      }
      continue;
    }
    const cell = (i: number) => values[i] ?? null;
    if (IMPORT_HEADERS.every((_, i) => text(cell(i)) === '')) continue;
    processed++;
    const before = errorCount;
    const uscc = validateUscc(text(cell(0)));
    if (!uscc.valid)
      err(
        r,
        IMPORT_HEADERS[0]!,
        `无效：${uscc.errors.map((e) => USCC_ERROR_TEXT[e]).join('；')}${uscc.expectedCheckChar ? `（校验位应为 ${uscc.expectedCheckChar}）` : ''}`,
      );
    else if (seen.has(uscc.normalized)) err(r, IMPORT_HEADERS[0]!, '文件中重复');
    seen.add(uscc.normalized);
    const name = text(cell(1));
    if (!name) err(r, IMPORT_HEADERS[1]!, '必填');
    const regionText = text(cell(2));
    const regionCode = regionByName.get(regionText) ?? (deps.regions.get(regionText) ? regionText : undefined);
    if (!regionCode) err(r, IMPORT_HEADERS[2]!, `未知的区县(市)：${regionText}`);
    else if (!inScope(scope, { regionCode })) err(r, IMPORT_HEADERS[2]!, `不在您的管辖范围内：${regionText}`);
    const industry = normalizeIndustryCode(text(cell(3)));
    if (!industry) err(r, IMPORT_HEADERS[3]!, `不是 GB/T 4754-2017 代码：${text(cell(3))}`);
    const founded = dateOf(cell(4));
    if (founded === 'invalid') err(r, IMPORT_HEADERS[4]!, '日期格式应为 YYYY-MM-DD');
    const capitalText = text(cell(5));
    const capital = capitalText === '' ? null : Number(capitalText.replace(/,/g, ''));
    if (capital !== null && (!Number.isFinite(capital) || capital < 0))
      err(r, IMPORT_HEADERS[5]!, '须为不小于 0 的数字');
    if (errorCount > before || errorCount > 0) continue; // after the first error nothing more is written
    chunk.push({
      uscc: uscc.normalized,
      name,
      nameInitials: initialsOf(name),
      regionCode: regionCode!,
      industryCode: industry!,
      foundedOn: founded as string | null,
      registeredCapitalWan: capital,
      legalRepresentative: text(cell(6)),
      address: text(cell(7)),
      usccWarnings: uscc.warnings,
      importJobId: ctx.jobId,
    });
    if (chunk.length >= CHUNK) await flush();
  }
  if (!errorCount) await flush();
  if (errorCount) {
    await purgeImport(deps, [ctx.jobId]);
    throw new JobFailure(`导入失败：${errorCount} 处错误，未写入任何数据`, { errors, errorCount, rows: processed });
  }
  return { rows: processed, created: written };
}

/**
 * The scope of the user who started an import job (job_runs.created_by), rebuilt when the job runs. A job without
 * an active creator fails: rows are never written without a scope to check them against (issue #16).
 */
export async function importerScope(deps: AppDeps, jobId: string): Promise<Scope> {
  const { db } = deps.database;
  const [job] = await db.select({ createdBy: jobRuns.createdBy }).from(jobRuns).where(eq(jobRuns.id, jobId));
  const [u] = job?.createdBy ? await db.select().from(users).where(eq(users.id, job.createdBy)) : [];
  if (u?.status !== 'active') throw new JobFailure('导入人账户不存在或已停用', {});
  return buildScope(deps.regions, u);
}
