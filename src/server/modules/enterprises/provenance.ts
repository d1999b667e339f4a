/**
 * Trusted facts (issue #15; decision 0018): every reported yearly value kept per (enterprise, year, indicator,
 * source) with its versions; the effective value by precedence; who may report what; self-reports checked
 * against the official value and confirmed or rejected (核实) by district or park staff; data-quality lists.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, or, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import {
  boundsError,
  DEFAULT_PROVENANCE_SETTINGS,
  effectiveValue,
  type ProvenanceSettings,
  precedenceOf,
  type ReviewStatus,
  relativeDeviation,
  reviewSelfReport,
  SOURCE_LABELS,
  SOURCES,
  type Source,
} from '../../../domain/provenance.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  enterpriseDataIssues,
  enterpriseIndicators,
  enterpriseIndicatorValues,
  enterprises,
  files,
  regions,
  settings,
  users,
} from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import { buildScope } from '../../platform/auth.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type JobContext, JobFailure } from '../../platform/jobs.ts';
import { likePattern, orderBy } from '../../platform/paging.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { readXlsxRows } from '../../platform/xlsx-rows.ts';
import { recomputeFacts, setYoyFactorSource, YEARLY_INDICATORS, type YearlyIndicator } from './facts.ts';
import { enterpriseScope, getEnterprise } from './service.ts';

// ------------------------------------------------------------------------------------------------ settings

export const provenanceSettingsSchema = z
  .object({
    tolerance: z.number().min(0).max(10),
    yoyFactor: z.number().min(1.1).max(1000),
    precedence: z.partialRecord(z.enum(YEARLY_INDICATORS), z.array(z.enum(SOURCES)).min(1).max(SOURCES.length)),
  })
  .strict();

const SETTINGS_KEY = 'enterprises:provenance';
let cached: { value: ProvenanceSettings; at: number } | null = null;

export async function provenanceSettings(ex: Executor): Promise<ProvenanceSettings> {
  if (cached && Date.now() - cached.at < 5_000) return cached.value;
  const [row] = await ex.select().from(settings).where(eq(settings.key, SETTINGS_KEY));
  const parsed = provenanceSettingsSchema.partial().safeParse(row?.value ?? {});
  const value: ProvenanceSettings = {
    ...DEFAULT_PROVENANCE_SETTINGS,
    ...(parsed.success ? (parsed.data as Partial<ProvenanceSettings>) : {}),
  };
  cached = { value, at: Date.now() };
  return value;
}
setYoyFactorSource(async (ex) => (await provenanceSettings(ex)).yoyFactor);

export async function saveProvenanceSettings(tx: Tx, deps: AppDeps, actor: Actor, value: ProvenanceSettings) {
  for (const [key, list] of Object.entries(value.precedence))
    if (new Set(list).size !== list?.length)
      throw new AppError(
        'VALIDATION_FAILED',
        {},
        { fields: [{ field: `body.precedence.${key}`, message: '来源重复 / a source is listed twice' }] },
      );
  const before = await provenanceSettings(tx);
  await tx
    .insert(settings)
    .values({ key: SETTINGS_KEY, value, updatedBy: actor.userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.userId, updatedAt: new Date() } });
  cached = null;
  await deps.audit.write(tx, actor, {
    action: 'enterprise.provenance.settings',
    entity: 'settings',
    entityId: SETTINGS_KEY,
    summary: { before, after: value },
  });
}

/** Chinese names of the yearly indicators (notices, exports, import; the web app has its own i18n). */
export const INDICATOR_ZH: Record<string, string> = {
  operating_revenue: '营业收入（万元）',
  main_business_revenue: '主营业务收入（万元）',
  tax_paid: '实缴税金（万元）',
  industrial_output: '工业总产值（万元）',
  value_added: '工业增加值（万元）',
  net_profit: '净利润（万元）',
  total_assets: '资产总额（万元）',
  total_liabilities: '负债总额（万元）',
  employees_year_end: '年末从业人员（人）',
  employees_average: '平均从业人员（人）',
  rd_expense: '研发费用（万元）',
  rd_staff: '研发人员（人）',
  energy_tce: '综合能耗（吨标准煤）',
  electricity_kwh: '用电量（千瓦时）',
  pollutant_emissions: '主要污染物排放（吨）',
  land_area_mu: '用地面积（亩）',
  ip_class1_high_value: '高价值Ⅰ类知识产权（件）',
  ip_class1_self_developed: '自主研发Ⅰ类知识产权（件）',
  ip_class1: 'Ⅰ类知识产权（件）',
  ip_class2: 'Ⅱ类知识产权（件）',
  equity_financing: '股权融资（万元）',
  ui_months_paid: '失业保险缴费月数',
  ui_paid_last_year: '上年度失业保险缴费（元）',
  insured_avg: '月均参保人数（人）',
  ui_new_claimants: '新增领取失业保险金人数（人）',
  rent_area_m2: '租用面积（㎡）',
  rent_paid: '实付租金（元）',
  strategic_emerging: '战略性新兴产业（1 是 / 0 否）',
  credit_blacklisted: '失信名单（1 是 / 0 否）',
};

// ------------------------------------------------------------------------------------------------ values

type ValueRow = typeof enterpriseIndicatorValues.$inferSelect;

async function currentValues(ex: Executor, enterpriseId: string, year: number, key: string) {
  return ex
    .select()
    .from(enterpriseIndicatorValues)
    .where(
      and(
        eq(enterpriseIndicatorValues.enterpriseId, enterpriseId),
        eq(enterpriseIndicatorValues.year, year),
        eq(enterpriseIndicatorValues.key, key),
        eq(enterpriseIndicatorValues.current, true),
      ),
    );
}

const asReported = (r: ValueRow) => ({
  source: r.source,
  value: r.value,
  rejected: r.reviewStatus === 'rejected',
  ref: r,
});

/** The best official (non-self-reported) current value, by the indicator's ranking. */
function bestOfficial(rows: ValueRow[], ranking: Source[]) {
  return effectiveValue(rows.filter((r) => r.source !== 'self_reported').map(asReported), ranking);
}

/**
 * Writes the effective value of one (enterprise, year, indicator) — the highest-ranked current value, rejected
 * self-reports left out — into `enterprise_indicators` (or removes it when none is left).
 */
async function resolveEffective(tx: Tx, enterpriseId: string, year: number, key: string, s: ProvenanceSettings) {
  const rows = await currentValues(tx, enterpriseId, year, key);
  const best = effectiveValue(rows.map(asReported), precedenceOf(key, s));
  if (!best) {
    await tx
      .delete(enterpriseIndicators)
      .where(
        and(
          eq(enterpriseIndicators.enterpriseId, enterpriseId),
          eq(enterpriseIndicators.year, year),
          eq(enterpriseIndicators.key, key),
        ),
      );
    return null;
  }
  const r = best.ref as ValueRow;
  await tx
    .insert(enterpriseIndicators)
    .values({
      enterpriseId,
      year,
      key,
      value: r.value,
      source: r.source,
      enteredBy: r.enteredBy,
      enteredAt: r.enteredAt,
    })
    .onConflictDoUpdate({
      target: [enterpriseIndicators.enterpriseId, enterpriseIndicators.year, enterpriseIndicators.key],
      set: { value: r.value, source: r.source, enteredBy: r.enteredBy, enteredAt: r.enteredAt },
    });
  return { value: r.value, source: r.source };
}

/** Inserts a new current version of (enterprise, year, key, source), retiring the previous one. */
async function insertVersion(
  tx: Tx,
  v: {
    enterpriseId: string;
    year: number;
    key: string;
    source: Source;
    value: number;
    enteredBy: string | null;
    note: string;
    evidenceFileId: string | null;
    review?: { status: ReviewStatus; flag: 'deviation' | 'no_official' | null } | null;
    official?: { value: number; source: Source } | null;
  },
) {
  const same = and(
    eq(enterpriseIndicatorValues.enterpriseId, v.enterpriseId),
    eq(enterpriseIndicatorValues.year, v.year),
    eq(enterpriseIndicatorValues.key, v.key),
    eq(enterpriseIndicatorValues.source, v.source),
  );
  const [last] = await tx
    .select({ n: sql<number>`coalesce(max(${enterpriseIndicatorValues.version}), 0)::int` })
    .from(enterpriseIndicatorValues)
    .where(same);
  await tx
    .update(enterpriseIndicatorValues)
    .set({ current: false })
    .where(and(same, eq(enterpriseIndicatorValues.current, true)));
  const [row] = await tx
    .insert(enterpriseIndicatorValues)
    .values({
      enterpriseId: v.enterpriseId,
      year: v.year,
      key: v.key,
      source: v.source,
      value: v.value,
      version: Number(last?.n ?? 0) + 1,
      current: true,
      enteredBy: v.enteredBy,
      note: v.note,
      evidenceFileId: v.evidenceFileId,
      reviewStatus: v.review?.status ?? null,
      reviewFlag: v.review?.flag ?? null,
      officialValue: v.official?.value ?? null,
      officialSource: v.official?.source ?? null,
    })
    .returning();
  return row!;
}

/** The evidence file must exist and be visible to the caller; it is linked to the value. */
async function checkEvidence(tx: Tx, scope: Scope, fileId: string | null | undefined) {
  if (!fileId) return null;
  const [f] = await tx
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.id, fileId), scopeWhere(scope, { region: files.regionCode, org: files.orgId })));
  if (!f)
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      { fields: [{ field: 'body.evidenceFileId', message: '附件不存在或无权使用 / no such file' }] },
    );
  return f.id;
}

export interface ReportInput {
  year: number;
  key: YearlyIndicator;
  value: number;
  source: Source;
  note?: string;
  evidenceFileId?: string | null;
}

/**
 * Records one reported value. Enterprise users may report only `self_reported` figures of their own firm, park
 * operators only `park_operator` figures of their tenants (any other source → 403); staff any source. A value
 * of one source never replaces another source's: it becomes that source's new version, and the effective value
 * is chosen by precedence.
 */
export async function reportValue(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: ReportInput,
  today: string,
) {
  const { enterprise } = await getEnterprise(tx, scope, id);
  if (scope.kind === 'org') {
    const allowed: Source = actor.role === 'park_operator' ? 'park_operator' : 'self_reported';
    if (v.source !== allowed) throw new AppError('FORBIDDEN');
  }
  const bad = boundsError(v.key, v.value);
  if (bad)
    throw new AppError(
      'VALIDATION_FAILED',
      {},
      {
        fields: [
          {
            field: 'body.value',
            message: bad.whole
              ? '应为整数 / must be a whole number'
              : bad.max !== undefined
                ? `应在 ${bad.min} 至 ${bad.max} 之间 / must be between ${bad.min} and ${bad.max}`
                : `不能小于 ${bad.min ?? 0} / must not be below ${bad.min ?? 0}`,
          },
        ],
      },
    );
  const evidenceFileId = await checkEvidence(tx, scope, v.evidenceFileId);
  // one writer per enterprise at a time (versions are numbered per source)
  await tx.execute(sql`select id from enterprises where id = ${id} for update`);
  const s = await provenanceSettings(tx);
  const r = await applyValue(tx, actor, id, { ...v, evidenceFileId }, s);
  await recomputeFacts(tx, id, today);
  await deps.audit.write(tx, actor, {
    action: 'enterprise.indicator.set',
    entity: 'enterprise',
    entityId: id,
    regionCode: enterprise.regionCode,
    summary: {
      before: r.before,
      after: { year: v.year, key: v.key, value: v.value, source: v.source, version: r.version },
      effective: r.effective,
      review: r.review,
      valueId: r.valueId,
    },
  });
  return {
    effective: r.effective,
    review: r.review ?? { status: null, flag: null },
    valueId: r.valueId,
  };
}

/** Stores one value as its source's new version and re-resolves the effective value (no facts recompute). */
async function applyValue(
  tx: Tx,
  actor: Actor,
  id: string,
  v: ReportInput & { evidenceFileId: string | null },
  s: ProvenanceSettings,
) {
  const ranking = precedenceOf(v.key, s);
  const before = await currentValues(tx, id, v.year, v.key);
  const [effectiveBefore] = await tx
    .select()
    .from(enterpriseIndicators)
    .where(
      and(
        eq(enterpriseIndicators.enterpriseId, id),
        eq(enterpriseIndicators.year, v.year),
        eq(enterpriseIndicators.key, v.key),
      ),
    );
  let review: { status: ReviewStatus; flag: 'deviation' | 'no_official' | null; deviation: number | null } | null =
    null;
  let official: { value: number; source: Source } | null = null;
  if (v.source === 'self_reported') {
    const o = bestOfficial(before, ranking);
    official = o ? { value: o.value, source: o.source } : null;
    review = reviewSelfReport(v.value, official?.value ?? null, s.tolerance);
  }
  const row = await insertVersion(tx, {
    enterpriseId: id,
    year: v.year,
    key: v.key,
    source: v.source,
    value: v.value,
    enteredBy: actor.userId,
    note: v.note ?? '',
    evidenceFileId: v.evidenceFileId,
    review,
    official,
  });
  if (v.evidenceFileId)
    await tx
      .update(files)
      .set({ entity: 'enterprise_indicator_value', entityId: row.id })
      .where(and(eq(files.id, v.evidenceFileId), sql`${files.entity} is null`));
  if (v.source !== 'self_reported') await recheckSelfReport(tx, id, v.year, v.key, ranking, s.tolerance);
  const effective = await resolveEffective(tx, id, v.year, v.key, s);
  return {
    before: effectiveBefore ? { value: effectiveBefore.value, source: effectiveBefore.source } : null,
    effective,
    review: review ? { status: review.status, flag: review.flag } : null,
    valueId: row.id,
    version: row.version,
  };
}

// ------------------------------------------------------------------------------------------------ import

export const VALUES_IMPORT_JOB = 'enterprises.indicators.import';
export const VALUES_IMPORT_HEADERS = ['统一社会信用代码', '年度', '指标', '数值', '来源', '说明'] as const;
/** One import is one transaction (all rows or none): bounded so that it never holds the database for long. */
export const VALUES_IMPORT_MAX_ROWS = 20_000;

/** Indicator column: the key (operating_revenue) or its Chinese name, with or without the unit. */
const INDICATOR_BY_TEXT = new Map<string, YearlyIndicator>();
for (const k of YEARLY_INDICATORS) {
  INDICATOR_BY_TEXT.set(k, k);
  const zh = INDICATOR_ZH[k];
  if (zh) {
    INDICATOR_BY_TEXT.set(zh, k);
    INDICATOR_BY_TEXT.set(zh.replace(/（[^）]*）$/, ''), k);
  }
}
const SOURCE_BY_TEXT = new Map<string, Source>();
for (const src of SOURCES) {
  SOURCE_BY_TEXT.set(src, src);
  SOURCE_BY_TEXT.set(SOURCE_LABELS[src]['zh-CN'], src);
}

/**
 * Imports yearly values that name their source (a bureau's list, the operator's lease ledger): every row is
 * checked first — the firm exists and is in the importer's scope, year, indicator, bounds, source — and all row
 * errors are reported at once; then every row is written in one transaction (all or none), each as its source's
 * new version, and the facts of each firm recomputed once (which queues its rematch). One audit row per firm.
 */
export async function runValuesImport(deps: AppDeps, ctx: JobContext, today: string) {
  const { db } = deps.database;
  const bytes = await deps.files.read(String(ctx.payload.sha256));
  const [u] = await db
    .select()
    .from(users)
    .where(eq(users.id, String(ctx.payload.userId)));
  if (!u) throw new JobFailure('导入人账户不存在', {});
  const scope = buildScope(deps.regions, u);
  const actor: Actor = { userId: u.id, username: u.username, role: u.role, ip: null, requestId: null };
  const errors: ImportRowError[] = [];
  let errorCount = 0;
  const err = (row: number, column: string, message: string) => {
    errorCount++;
    if (errors.length < 1000) errors.push({ row, column, message });
  };
  const H = VALUES_IMPORT_HEADERS;
  const rows: { row: number; uscc: string; v: ReportInput }[] = [];
  const seen = new Map<string, number>();
  let header = false;
  for await (const [r, values] of readXlsxRows(bytes)) {
    const cell = (i: number) => {
      const c = values[i];
      return c === null || c === undefined ? '' : String(c).trim();
    };
    if (!header) {
      header = true;
      const wrong = H.filter((h, i) => cell(i) !== h);
      if (wrong.length)
        throw new JobFailure('导入模板不正确', {
          errors: [{ row: 1, column: wrong.join('、'), message: '缺少该列或顺序不对（请使用导入模板）' }],
          errorCount: 1,
        });
      continue;
    }
    if (H.every((_, i) => cell(i) === '')) continue;
    if (rows.length + errorCount >= VALUES_IMPORT_MAX_ROWS) {
      err(r, '', `一次最多导入 ${VALUES_IMPORT_MAX_ROWS} 行，请拆分文件`);
      break;
    }
    const before = errorCount;
    const uscc = cell(0).toUpperCase().replace(/\s/g, '');
    if (!/^[0-9A-Z]{18}$/.test(uscc)) err(r, H[0], '应为 18 位统一社会信用代码');
    const year = Number(cell(1));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) err(r, H[1], '应为 2000–2100 之间的年份');
    const key = INDICATOR_BY_TEXT.get(cell(2));
    if (!key) err(r, H[2], `未知的指标：${cell(2)}（见模板第二页）`);
    const raw = cell(3).replace(/,/g, '');
    const value = raw === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value)) err(r, H[3], '应为数字');
    else if (key) {
      const bad = boundsError(key, value);
      if (bad)
        err(
          r,
          H[3],
          bad.whole
            ? '应为整数'
            : bad.max !== undefined
              ? `应在 ${bad.min} 至 ${bad.max} 之间`
              : `不能小于 ${bad.min ?? 0}`,
        );
    }
    const source = SOURCE_BY_TEXT.get(cell(4));
    if (!source)
      err(r, H[4], `未知的来源：${cell(4)}（统计局、税务局、供电公司、人社局、园区运营方、现场核实、企业自报）`);
    const note = cell(5).slice(0, 500);
    if (errorCount > before) continue;
    const dupKey = `${uscc}|${year}|${key}|${source}`;
    if (seen.has(dupKey)) {
      err(r, H[0], `与第 ${seen.get(dupKey)} 行重复（同一企业、年度、指标和来源）`);
      continue;
    }
    seen.set(dupKey, r);
    rows.push({ row: r, uscc, v: { year, key: key!, value, source: source!, note } });
  }
  await ctx.progress(20, `${rows.length} 行已读取`);
  // the firms: each must exist and be in the importer's scope (a row outside it is a row error)
  const ids = new Map<string, { id: string; regionCode: string }>();
  const usccs = [...new Set(rows.map((x) => x.uscc))];
  for (let i = 0; i < usccs.length; i += 1000) {
    const found = await db
      .select({ id: enterprises.id, uscc: enterprises.uscc, regionCode: enterprises.regionCode })
      .from(enterprises)
      .where(and(inArray(enterprises.uscc, usccs.slice(i, i + 1000)), enterpriseScope(scope)));
    for (const f of found) ids.set(f.uscc, { id: f.id, regionCode: f.regionCode });
  }
  for (const x of rows) if (!ids.has(x.uscc)) err(x.row, H[0], `企业不存在或不在您的管辖范围内：${x.uscc}`);
  if (errorCount)
    throw new JobFailure(`导入失败：${errorCount} 处错误，未写入任何数据`, { errors, errorCount, rows: rows.length });
  const byFirm = new Map<string, { regionCode: string; changes: unknown[] }>();
  await db.transaction(async (tx) => {
    const s = await provenanceSettings(tx);
    let done = 0;
    for (const x of rows) {
      const firm = ids.get(x.uscc)!;
      const r = await applyValue(tx, actor, firm.id, { ...x.v, evidenceFileId: null }, s);
      const f = byFirm.get(firm.id) ?? { regionCode: firm.regionCode, changes: [] };
      f.changes.push({ year: x.v.year, key: x.v.key, value: x.v.value, source: x.v.source, effective: r.effective });
      byFirm.set(firm.id, f);
      if (++done % 500 === 0) await ctx.progress(20 + (done / rows.length) * 60, `${done} / ${rows.length}`);
    }
    for (const [id, f] of byFirm) {
      await recomputeFacts(tx, id, today);
      await deps.audit.write(tx, actor, {
        action: 'enterprise.indicator.import',
        entity: 'enterprise',
        entityId: id,
        regionCode: f.regionCode,
        summary: { jobId: ctx.jobId, changes: f.changes },
      });
    }
  });
  return { rows: rows.length, enterprises: byFirm.size };
}

interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

/** A new official value re-judges the current self-report that is not yet decided (its flag may change). */
async function recheckSelfReport(tx: Tx, id: string, year: number, key: string, ranking: Source[], tol: number) {
  const rows = await currentValues(tx, id, year, key);
  const self = rows.find(
    (r) => r.source === 'self_reported' && (r.reviewStatus === 'pending' || r.reviewStatus === 'not_required'),
  );
  if (!self) return;
  const o = bestOfficial(rows, ranking);
  const review = reviewSelfReport(self.value, o?.value ?? null, tol);
  await tx
    .update(enterpriseIndicatorValues)
    .set({
      reviewStatus: review.status,
      reviewFlag: review.flag,
      officialValue: o?.value ?? null,
      officialSource: o?.source ?? null,
    })
    .where(eq(enterpriseIndicatorValues.id, self.id));
}

// ------------------------------------------------------------------------------------------------ reviews

/**
 * Confirms or rejects a self-reported value (核实). Confirmed: the value becomes a new `verified_on_site` version
 * (the highest-ranked source by default). Rejected: the self-report is kept in the history but never used. The
 * reviewer may not be the person who entered the value. The firm's users are notified; the facts are recomputed
 * (which re-matches the firm's policies).
 */
export async function decideReview(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  valueId: string,
  decision: 'confirm' | 'reject',
  input: { note: string; evidenceFileId?: string | null },
  today: string,
) {
  const [row] = await tx.select().from(enterpriseIndicatorValues).where(eq(enterpriseIndicatorValues.id, valueId));
  if (row?.source !== 'self_reported') throw new AppError('NOT_FOUND');
  const { enterprise } = await getEnterprise(tx, scope, row.enterpriseId);
  await tx.execute(sql`select id from enterprises where id = ${row.enterpriseId} for update`);
  const [fresh] = await tx.select().from(enterpriseIndicatorValues).where(eq(enterpriseIndicatorValues.id, valueId));
  if (!fresh!.current) throw new AppError('INDICATOR_SUPERSEDED');
  if (fresh!.reviewStatus === 'confirmed' || fresh!.reviewStatus === 'rejected')
    throw new AppError('INDICATOR_ALREADY_DECIDED');
  if (fresh!.enteredBy && fresh!.enteredBy === actor.userId) throw new AppError('FORBIDDEN_SELF_REVIEW');
  const evidenceFileId = await checkEvidence(tx, scope, input.evidenceFileId);
  const s = await provenanceSettings(tx);
  await tx
    .update(enterpriseIndicatorValues)
    .set({
      reviewStatus: decision === 'confirm' ? 'confirmed' : 'rejected',
      reviewedBy: actor.userId,
      reviewedAt: new Date(),
      reviewNote: input.note,
    })
    .where(eq(enterpriseIndicatorValues.id, valueId));
  let verified: ValueRow | null = null;
  if (decision === 'confirm')
    verified = await insertVersion(tx, {
      enterpriseId: row.enterpriseId,
      year: row.year,
      key: row.key,
      source: 'verified_on_site',
      value: row.value,
      enteredBy: actor.userId,
      note: input.note,
      evidenceFileId: evidenceFileId ?? row.evidenceFileId,
    });
  const effective = await resolveEffective(tx, row.enterpriseId, row.year, row.key, s);
  await recomputeFacts(tx, row.enterpriseId, today);
  await deps.audit.write(tx, actor, {
    action: decision === 'confirm' ? 'enterprise.indicator.verify' : 'enterprise.indicator.reject',
    entity: 'enterprise',
    entityId: row.enterpriseId,
    regionCode: enterprise.regionCode,
    summary: {
      valueId,
      year: row.year,
      key: row.key,
      value: row.value,
      note: input.note,
      verifiedValueId: verified?.id ?? null,
      effective,
    },
  });
  if (enterprise.orgId) {
    const recipients = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.orgId, enterprise.orgId), eq(users.status, 'active')));
    await deps.notifications.notify(
      tx,
      recipients.map((r) => r.id),
      {
        kind: 'enterprise.indicator.review',
        title:
          decision === 'confirm'
            ? `【数据已核实】${row.year} 年度 ${indicatorLabel(row.key)}：${row.value}`
            : `【数据被驳回】${row.year} 年度 ${indicatorLabel(row.key)}：${row.value}`,
        body: `核实意见：${input.note}`,
        link: `/enterprises/${row.enterpriseId}`,
        entity: 'enterprise',
        entityId: row.enterpriseId,
      },
    );
  }
  return { effective };
}

/** Chinese label of an indicator for notices (the web app has its own i18n). */
function indicatorLabel(key: string): string {
  return INDICATOR_ZH[key] ?? key;
}

const enteredByUser = alias(users, 'entered_by_user');
const reviewedByUser = alias(users, 'reviewed_by_user');

function presentValue(r: { v: ValueRow; enteredByName: string | null; reviewedByName: string | null }) {
  return {
    id: r.v.id,
    year: r.v.year,
    key: r.v.key,
    source: r.v.source,
    value: r.v.value,
    version: r.v.version,
    current: r.v.current,
    enteredAt: r.v.enteredAt.toISOString(),
    enteredByName: r.enteredByName,
    note: r.v.note,
    evidenceFileId: r.v.evidenceFileId,
    reviewStatus: r.v.reviewStatus,
    reviewFlag: r.v.reviewFlag,
    reviewNote: r.v.reviewNote,
    reviewedAt: r.v.reviewedAt ? r.v.reviewedAt.toISOString() : null,
    reviewedByName: r.reviewedByName,
  };
}

async function valueRows(ex: Executor, where: SQL | undefined) {
  return ex
    .select({
      v: enterpriseIndicatorValues,
      enteredByName: enteredByUser.displayName,
      reviewedByName: reviewedByUser.displayName,
    })
    .from(enterpriseIndicatorValues)
    .leftJoin(enteredByUser, eq(enteredByUser.id, enterpriseIndicatorValues.enteredBy))
    .leftJoin(reviewedByUser, eq(reviewedByUser.id, enterpriseIndicatorValues.reviewedBy))
    .where(where)
    .orderBy(
      asc(enterpriseIndicatorValues.year),
      asc(enterpriseIndicatorValues.key),
      desc(enterpriseIndicatorValues.enteredAt),
      desc(enterpriseIndicatorValues.version),
    );
}

/** The current value of every source per (year, indicator): what the firm's page shows beside the effective one. */
export async function currentValuesOf(ex: Executor, enterpriseId: string) {
  const rows = await valueRows(
    ex,
    and(eq(enterpriseIndicatorValues.enterpriseId, enterpriseId), eq(enterpriseIndicatorValues.current, true)),
  );
  return rows.map(presentValue);
}

/** Every version, newest first (optionally of one year and/or indicator). */
export async function historyOf(ex: Executor, enterpriseId: string, year?: number, key?: string) {
  const rows = await ex
    .select({
      v: enterpriseIndicatorValues,
      enteredByName: enteredByUser.displayName,
      reviewedByName: reviewedByUser.displayName,
    })
    .from(enterpriseIndicatorValues)
    .leftJoin(enteredByUser, eq(enteredByUser.id, enterpriseIndicatorValues.enteredBy))
    .leftJoin(reviewedByUser, eq(reviewedByUser.id, enterpriseIndicatorValues.reviewedBy))
    .where(
      and(
        eq(enterpriseIndicatorValues.enterpriseId, enterpriseId),
        year === undefined ? undefined : eq(enterpriseIndicatorValues.year, year),
        key === undefined ? undefined : eq(enterpriseIndicatorValues.key, key),
      ),
    )
    .orderBy(
      desc(enterpriseIndicatorValues.enteredAt),
      desc(enterpriseIndicatorValues.version),
      asc(enterpriseIndicatorValues.key),
    );
  return rows.map(presentValue);
}

export const REVIEW_SORTS = {
  enteredAt: enterpriseIndicatorValues.enteredAt,
  name: enterprises.name,
  deviation: sql`abs(${enterpriseIndicatorValues.value} - ${enterpriseIndicatorValues.officialValue}) / nullif(abs(${enterpriseIndicatorValues.officialValue}), 0)`,
} as const;

export interface ReviewFilter {
  status: ReviewStatus | 'all';
  region?: string[];
  year?: number;
  key?: string;
  flag?: 'deviation' | 'no_official';
  q?: string;
}

function reviewWhere(scope: Scope, f: ReviewFilter) {
  const q = f.q?.trim();
  return and(
    enterpriseScope(scope),
    eq(enterpriseIndicatorValues.current, true),
    eq(enterpriseIndicatorValues.source, 'self_reported'),
    f.status === 'all'
      ? isNotNull(enterpriseIndicatorValues.reviewStatus)
      : eq(enterpriseIndicatorValues.reviewStatus, f.status),
    f.region ? inArray(enterprises.regionCode, f.region) : undefined,
    f.year ? eq(enterpriseIndicatorValues.year, f.year) : undefined,
    f.key ? eq(enterpriseIndicatorValues.key, f.key) : undefined,
    f.flag ? eq(enterpriseIndicatorValues.reviewFlag, f.flag) : undefined,
    q ? or(ilike(enterprises.name, likePattern(q)), eq(enterprises.uscc, q.toUpperCase())) : undefined,
  );
}

/** The verification queue (数据核实) of the caller's scope. */
export async function listReviews(
  ex: Executor,
  scope: Scope,
  f: ReviewFilter,
  page: { page: number; pageSize: number; sort?: keyof typeof REVIEW_SORTS; order?: 'asc' | 'desc' },
) {
  const where = reviewWhere(scope, f);
  const [rows, [total]] = await Promise.all([
    ex
      .select({
        v: enterpriseIndicatorValues,
        enterpriseName: enterprises.name,
        uscc: enterprises.uscc,
        regionCode: enterprises.regionCode,
        regionName: regions.name,
        enteredByName: enteredByUser.displayName,
        reviewedByName: reviewedByUser.displayName,
      })
      .from(enterpriseIndicatorValues)
      .innerJoin(enterprises, eq(enterprises.id, enterpriseIndicatorValues.enterpriseId))
      .innerJoin(regions, eq(regions.code, enterprises.regionCode))
      .leftJoin(enteredByUser, eq(enteredByUser.id, enterpriseIndicatorValues.enteredBy))
      .leftJoin(reviewedByUser, eq(reviewedByUser.id, enterpriseIndicatorValues.reviewedBy))
      .where(where)
      .orderBy(
        page.sort === 'deviation'
          ? sql`${REVIEW_SORTS.deviation} ${sql.raw(page.order === 'asc' ? 'asc' : 'desc')} nulls last`
          : orderBy(REVIEW_SORTS[page.sort ?? 'enteredAt'] as typeof enterprises.name, page.order ?? 'desc'),
        enterpriseIndicatorValues.id,
      )
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    ex
      .select({ n: count() })
      .from(enterpriseIndicatorValues)
      .innerJoin(enterprises, eq(enterprises.id, enterpriseIndicatorValues.enterpriseId))
      .where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.v.id,
      enterpriseId: r.v.enterpriseId,
      enterpriseName: r.enterpriseName,
      uscc: r.uscc,
      regionCode: r.regionCode,
      regionName: r.regionName,
      year: r.v.year,
      key: r.v.key,
      value: r.v.value,
      officialValue: r.v.officialValue,
      officialSource: r.v.officialSource,
      deviation: r.v.officialValue === null ? null : finiteOrNull(relativeDeviation(r.v.value, r.v.officialValue)),
      flag: r.v.reviewFlag,
      status: r.v.reviewStatus!,
      enteredAt: r.v.enteredAt.toISOString(),
      enteredByName: r.enteredByName,
      note: r.v.note,
      evidenceFileId: r.v.evidenceFileId,
      reviewNote: r.v.reviewNote,
      reviewedAt: r.v.reviewedAt ? r.v.reviewedAt.toISOString() : null,
      reviewedByName: r.reviewedByName,
    })),
    total: total?.n ?? 0,
  };
}

const finiteOrNull = (n: number) => (Number.isFinite(n) ? Math.round(n * 10_000) / 10_000 : null);

export const sourceLabel = (s: string | null, locale: 'zh-CN' | 'en' = 'zh-CN') =>
  s ? (SOURCE_LABELS[s as Source]?.[locale] ?? s) : '';

// ------------------------------------------------------------------------------------------------ data quality

export interface DataIssueFilter {
  region?: string[];
  year?: number;
  kind?: 'negative' | 'out_of_range' | 'yoy_jump';
  q?: string;
}

/** Data-quality issues of the enterprises in the caller's scope, with counts per kind. */
export async function listDataIssues(
  ex: Executor,
  scope: Scope,
  f: DataIssueFilter,
  page: { page: number; pageSize: number },
) {
  const q = f.q?.trim();
  const base = and(
    enterpriseScope(scope),
    f.region ? inArray(enterprises.regionCode, f.region) : undefined,
    f.year ? eq(enterpriseDataIssues.year, f.year) : undefined,
    q ? or(ilike(enterprises.name, likePattern(q)), eq(enterprises.uscc, q.toUpperCase())) : undefined,
  );
  const where = and(base, f.kind ? eq(enterpriseDataIssues.kind, f.kind) : undefined);
  const [rows, [total], kinds] = await Promise.all([
    ex
      .select({
        i: enterpriseDataIssues,
        enterpriseName: enterprises.name,
        uscc: enterprises.uscc,
        regionName: regions.name,
      })
      .from(enterpriseDataIssues)
      .innerJoin(enterprises, eq(enterprises.id, enterpriseDataIssues.enterpriseId))
      .innerJoin(regions, eq(regions.code, enterprises.regionCode))
      .where(where)
      .orderBy(
        desc(enterpriseDataIssues.year),
        asc(enterprises.name),
        asc(enterpriseDataIssues.key),
        asc(enterpriseDataIssues.kind),
      )
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    ex
      .select({ n: count() })
      .from(enterpriseDataIssues)
      .innerJoin(enterprises, eq(enterprises.id, enterpriseDataIssues.enterpriseId))
      .where(where),
    ex
      .select({ kind: enterpriseDataIssues.kind, n: count() })
      .from(enterpriseDataIssues)
      .innerJoin(enterprises, eq(enterprises.id, enterpriseDataIssues.enterpriseId))
      .where(base)
      .groupBy(enterpriseDataIssues.kind),
  ]);
  const counts = { negative: 0, out_of_range: 0, yoy_jump: 0 };
  for (const k of kinds) counts[k.kind] = Number(k.n);
  return {
    items: rows.map((r) => ({
      enterpriseId: r.i.enterpriseId,
      enterpriseName: r.enterpriseName,
      uscc: r.uscc,
      regionName: r.regionName,
      year: r.i.year,
      key: r.i.key,
      kind: r.i.kind,
      detail: r.i.detail,
    })),
    total: total?.n ?? 0,
    counts,
  };
}

/** The data issues of one enterprise (its detail page). */
export async function dataIssuesOfEnterprise(ex: Executor, enterpriseId: string) {
  const rows = await ex
    .select()
    .from(enterpriseDataIssues)
    .where(eq(enterpriseDataIssues.enterpriseId, enterpriseId))
    .orderBy(desc(enterpriseDataIssues.year), asc(enterpriseDataIssues.key));
  return rows.map((r) => ({ year: r.year, key: r.key, kind: r.kind, detail: r.detail }));
}
