/** HTTP routes of the enterprises module. */

import { and, eq, lte, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskName } from '../../../domain/personal-data.ts';
import { precedenceOf, SOURCES } from '../../../domain/provenance.ts';
import { enterpriseQualifications, enterprises, files, jobRuns } from '../../db/schema/index.ts';
import { requireStepUp } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, iso, uuidParam } from '../../platform/schemas.ts';
import { formulaSafe, writeSheetXlsx } from '../../platform/xlsx-write.ts';
import { recipientsFor } from '../identity/service.ts';
import { todayShanghai } from '../projects/service.ts';
import { enterprisesImported, YEARLY_INDICATORS } from './facts.ts';
import { IMPORT_HEADERS, IMPORT_JOB, purgeFailedImports, runImport } from './import.ts';
import * as prov from './provenance.ts';
import * as svc from './service.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)
const QUAL_TYPES = [
  'high_tech',
  'tech_sme',
  'innovative_sme',
  'srdi_sme',
  'little_giant',
  'single_champion',
  'listed',
] as const;

const listItem = z.object({
  id: z.string(),
  uscc: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  industryCode: z.string(),
  legalRepresentative: z.string(),
  status: z.string(),
  foundedOn: z.string().nullable(),
  size: z.string().nullable(),
  aboveScale: z.boolean().nullable(),
  usccWarnings: z.array(z.string()),
  /** Data-quality issues of the firm (all years). */
  dataIssues: z.number(),
});

const inputSchema = z
  .object({
    uscc: z.string().trim().min(1).max(40),
    name: z.string().trim().min(2).max(200),
    regionCode: z.string().max(16),
    industryCode: z.string().trim().min(1).max(6),
    foundedOn: day.nullable().optional(),
    registeredCapitalWan: z.number().min(0).max(1e10).nullable().optional(),
    legalRepresentative: z.string().trim().max(50).optional(),
    address: z.string().trim().max(300).optional(),
    status: z.enum(['active', 'exited', 'deregistered']).optional(),
  })
  .strict();

export async function enterpriseRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());
  const defaultYear = () => Number(today().slice(0, 4)) - 1;

  deps.jobs.register(IMPORT_JOB, (ctx) => runImport(deps, ctx, today()), {
    onSucceeded: (jobId) => enterprisesImported(jobId),
  });
  deps.jobs.afterInterrupted(async () => purgeFailedImports(deps));
  deps.jobs.register(prov.VALUES_IMPORT_JOB, (ctx) => prov.runValuesImport(deps, ctx, today()));
  deps.jobs.register(
    'enterprises.qualification-expiry',
    async (ctx) => {
      const t = typeof ctx.payload.day === 'string' ? ctx.payload.day : today();
      const horizon = new Date(Date.parse(`${t}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
      const due = await db
        .select({ q: enterpriseQualifications, e: enterprises })
        .from(enterpriseQualifications)
        .innerJoin(enterprises, eq(enterprises.id, enterpriseQualifications.enterpriseId))
        .where(
          and(
            eq(enterpriseQualifications.expiryNotified, false),
            lte(enterpriseQualifications.validUntil, horizon),
            sql`${enterpriseQualifications.validUntil} >= ${t}::date`,
          ),
        );
      for (const { q, e } of due) {
        await db.transaction(async (tx) => {
          const recipients = await recipientsFor(tx, {
            orgIds: e.orgId ? [e.orgId] : [],
            regionAdminsOf: [...deps.regions.ancestors(e.regionCode), e.regionCode],
          });
          await deps.notifications.notify(
            tx,
            recipients.map((r) => r.id),
            {
              kind: 'enterprise.qualification.expiry',
              title: `【资质到期提醒】${e.name} 的资质将于 ${q.validUntil} 到期`,
              body: `资质类型 ${q.type}，证书编号 ${q.certificateNo || '—'}。请及时办理复核或重新认定。`,
              link: `/enterprises/${e.id}`,
              entity: 'enterprise',
              entityId: e.id,
            },
          );
          await tx
            .update(enterpriseQualifications)
            .set({ expiryNotified: true })
            .where(eq(enterpriseQualifications.id, q.id));
        });
      }
      await ctx.progress(100);
      return { notified: due.length };
    },
    { daily: true },
  );

  const regionFilter = (code: string | undefined) => {
    if (!code) return undefined;
    const sub = deps.regions.subtree(code);
    if (!sub.length) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
    return sub;
  };

  const listQuery = pageQuery.extend({
    region: z.string().max(16).optional(),
    park: z.uuid().optional(),
    industry: z.string().max(6).optional(),
    size: z.enum(['large', 'medium', 'small', 'micro', 'unknown']).optional(),
    qualification: z.enum(QUAL_TYPES).optional(),
    aboveScale: z.enum(['true', 'false']).optional(),
    status: z.enum(['active', 'exited', 'deregistered']).optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    dataIssues: z.enum(['true', 'false']).optional(),
    sort: sortParam(['name', 'uscc', 'regionCode', 'foundedOn', 'createdAt']),
  });
  const toFilter = (qy: z.infer<typeof listQuery>) => ({
    ...qy,
    region: regionFilter(qy.region),
    aboveScale: qy.aboveScale === undefined ? undefined : qy.aboveScale === 'true',
    dataIssues: qy.dataIssues === 'true',
  });
  const presentItem = (r: {
    enterprise: svc.EnterpriseRow;
    regionName: string;
    facts: unknown;
    dataIssues: number;
  }) => {
    const f = r.facts as { size?: string; above_scale?: boolean | null } | null;
    return {
      id: r.enterprise.id,
      uscc: r.enterprise.uscc,
      name: r.enterprise.name,
      regionCode: r.enterprise.regionCode,
      regionName: r.regionName,
      industryCode: r.enterprise.industryCode,
      legalRepresentative: r.enterprise.legalRepresentative,
      status: r.enterprise.status,
      foundedOn: r.enterprise.foundedOn,
      size: f?.size ?? null,
      aboveScale: f?.above_scale ?? null,
      usccWarnings: r.enterprise.usccWarnings,
      dataIssues: Number(r.dataIssues ?? 0),
    };
  };

  app.get(
    '/api/v1/enterprises',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['enterprises'],
        summary: 'Search (name substring, pinyin initials, USCC, legal representative) and filter enterprises',
        querystring: listQuery,
        response: { 200: pageSchema(listItem), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await svc.listEnterprises(
        db,
        req.auth!.scope,
        toFilter(req.query),
        req.query,
        req.query.year ?? defaultYear(),
      );
      return pageOf(items.map(presentItem), total, req.query);
    },
  );

  async function sendXlsx(reply: FastifyReply, bytes: Buffer, filename: string) {
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header(
        'content-disposition',
        `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      )
      .send(bytes);
  }

  app.get(
    '/api/v1/enterprises/export',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['enterprises'],
        summary: 'Export the filtered list (.xlsx; audited)',
        querystring: listQuery.omit({ page: true, pageSize: true }),
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before bulk export
      const items = await svc.exportEnterprises(
        db,
        req.auth!.scope,
        toFilter({ ...req.query, page: 1, pageSize: 50_000 }),
        { sort: req.query.sort, order: req.query.order },
        req.query.year ?? defaultYear(),
        50_000,
      );
      const safe = (v: string) => formulaSafe(v);
      const sizeLabel: Record<string, string> = {
        large: '大型',
        medium: '中型',
        small: '小型',
        micro: '微型',
        unknown: '未知',
      };
      // streamed in slices (platform/xlsx-write.ts): a large export no longer holds the event loop for its whole run
      const bytes = await writeSheetXlsx(
        '企业',
        [
          { header: '统一社会信用代码', key: 'uscc', width: 22 },
          { header: '企业名称', key: 'name', width: 36 },
          { header: '所属区县(市)', key: 'region', width: 14 },
          { header: '行业代码', key: 'industry', width: 10 },
          { header: '法定代表人', key: 'rep', width: 12 },
          { header: '企业规模', key: 'size', width: 10 },
          { header: '规上', key: 'above', width: 6 },
        ],
        (function* () {
          for (const i of items) {
            yield {
              uscc: i.uscc,
              name: safe(i.name),
              region: i.regionName,
              industry: i.industryCode,
              rep: i.legalRepresentative ? safe(maskName(i.legalRepresentative)) : '', // masked in bulk exports (#16)
              size: i.size ? sizeLabel[i.size] : '',
              above: i.aboveScale === null ? '' : i.aboveScale ? '是' : '否',
            };
          }
        })(),
      );
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'enterprise.export',
        entity: 'enterprise',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: items.length, personalData: ['legal_representative'], filters: req.query },
      });
      return sendXlsx(reply, bytes, `企业名录-${today()}.xlsx`);
    },
  );

  app.get(
    '/api/v1/enterprises/import-template',
    { config: { access: 'enterprises:manage' }, schema: { tags: ['enterprises'], summary: 'Import template' } },
    async (_req, reply) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('企业');
      ws.columns = IMPORT_HEADERS.map((h) => ({ header: h, width: Math.max(12, h.length * 2.2) }));
      ws.getRow(1).font = { bold: true };
      return sendXlsx(reply, Buffer.from(await wb.xlsx.writeBuffer()), '企业导入模板.xlsx');
    },
  );

  app.post(
    '/api/v1/enterprises/import',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['enterprises'],
        summary: 'Import enterprises from Excel as a job (all rows or none; send an Idempotency-Key)',
        consumes: ['multipart/form-data'],
        response: { 202: z.object({ jobId: z.string(), fileId: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      const blob = await deps.files.put(bytes);
      if (blob.mime !== 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        throw new AppError('UNSUPPORTED_FILE_TYPE', { allowed: 'xlsx' });
      const auth = req.auth!;
      // the body of a multipart request is not hashed by `idempotent`; the file's hash stands for it
      (req as unknown as { body: unknown }).body = { sha256: blob.sha256 };
      const out = await idempotent(req, reply, async (tx) => {
        const [file] = await tx
          .insert(files)
          .values({
            ...blob,
            originalName: part.filename.replace(/[\\/\0]/g, '_').slice(0, 200) || 'import.xlsx',
            ownerId: auth.user.id,
            orgId: auth.user.orgId,
            regionCode: auth.scope.rootRegion ?? '410100',
            entity: 'enterprise_import',
          })
          .returning({ id: files.id });
        const jobId = await deps.jobs.record(
          tx,
          req.actor(),
          IMPORT_JOB,
          { sha256: blob.sha256, fileId: file!.id, rows: Number(req.headers['x-row-count'] ?? 0) || null },
          auth.scope.rootRegion,
        );
        await deps.audit.write(tx, req.actor(), {
          action: 'enterprise.import',
          entity: 'job',
          entityId: jobId,
          regionCode: auth.scope.rootRegion,
          summary: { fileId: file!.id, size: blob.size },
        });
        return { status: 202, body: { jobId, fileId: file!.id } };
      });
      const [job] = await db.select({ status: jobRuns.status }).from(jobRuns).where(eq(jobRuns.id, out.jobId));
      if (job?.status === 'queued') await deps.jobs.dispatch(out.jobId);
      return out;
    },
  );

  app.post(
    '/api/v1/enterprises',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['enterprises'],
        body: inputSchema,
        response: {
          201: z.object({ id: z.string(), uscc: z.string(), warnings: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const row = await svc.createEnterprise(tx, deps, req.actor(), req.auth!.scope, req.body, today());
        return { status: 201, body: { id: row.id, uscc: row.uscc, warnings: row.usccWarnings } };
      }),
  );

  app.get(
    '/api/v1/enterprises/:id',
    {
      config: { access: 'enterprises:read', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        params: uuidParam,
        summary:
          'Profile, size with its rule, 规上, qualifications, indicators with provenance, tenancy, masked contacts',
      },
    },
    async (req) => {
      const { enterprise: e, regionName } = await svc.getEnterprise(db, req.auth!.scope, req.params.id);
      const [d, indicatorValues, dataIssues] = await Promise.all([
        svc.enterpriseDetail(db, e.id),
        prov.currentValuesOf(db, e.id),
        prov.dataIssuesOfEnterprise(db, e.id),
      ]);
      const t = today();
      const latest = d.facts.find((f) => f.year <= defaultYear()) ?? d.facts[0];
      const soon = new Date(Date.parse(`${t}T00:00:00Z`) + 90 * 86_400_000).toISOString().slice(0, 10);
      return {
        ...e,
        regionName,
        createdAt: iso(e.createdAt),
        updatedAt: iso(e.updatedAt),
        size: latest
          ? {
              year: latest.year,
              size: latest.size,
              decision: svc.explainSize(e, latest.facts),
              aboveScale: latest.aboveScale,
              aboveScaleRule: latest.facts.aboveScaleRule ?? null,
            }
          : null,
        facts: d.facts.map((f) => ({
          year: f.year,
          size: f.size,
          aboveScale: f.aboveScale,
          parkId: f.parkId,
          facts: f.facts,
        })),
        qualifications: d.qualifications.map((q) => ({
          ...q,
          state:
            q.validUntil && q.validUntil < t ? 'expired' : q.validUntil && q.validUntil <= soon ? 'expiring' : 'valid',
        })),
        indicators: d.indicators.map((i) => ({ ...i, enteredAt: iso(i.enteredAt) })),
        indicatorValues,
        dataIssues,
        monthly: d.monthly.map((i) => ({ ...i, enteredAt: iso(i.enteredAt) })),
        tenancies: d.tenancies.map((x) => ({ ...x.tenancy, parkName: x.parkName, unitCode: x.unitCode })),
        contacts: d.contacts.map((c) => ({
          id: c.id,
          name: c.name,
          role: c.role,
          mobile: c.mobileMasked,
          idNo: c.idNoMasked,
        })),
      };
    },
  );

  const reportBody = z
    .object({
      year: z.number().int().min(2000).max(2100),
      key: z.enum(YEARLY_INDICATORS),
      value: z.number().min(-1e12).max(1e14),
      source: z.enum(SOURCES),
      note: z.string().trim().max(500).optional(),
      evidenceFileId: z.uuid().nullable().optional(),
    })
    .strict();
  const reviewStatus = z.enum(['pending', 'confirmed', 'rejected', 'not_required']);
  const reviewFlag = z.enum(['deviation', 'no_official']);
  app.put(
    '/api/v1/enterprises/:id/indicators',
    {
      config: { access: 'enterprises:report', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Report one yearly value with its source (a new version of that source; the effective value is the highest-ranked source present, decision 0018). Enterprise users: self_reported only; park operators: park_operator only',
        params: uuidParam,
        body: reportBody,
        response: {
          200: z.object({
            ok: z.literal(true),
            effective: z.object({ value: z.number(), source: z.enum(SOURCES) }).nullable(),
            review: z.object({ status: reviewStatus.nullable(), flag: reviewFlag.nullable() }),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await db.transaction((tx) =>
        prov.reportValue(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today()),
      );
      return { ok: true as const, effective: r.effective, review: r.review };
    },
  );

  const valueSchema = z.object({
    id: z.string(),
    year: z.number(),
    key: z.string(),
    source: z.enum(SOURCES),
    value: z.number(),
    version: z.number(),
    current: z.boolean(),
    enteredAt: z.string(),
    enteredByName: z.string().nullable(),
    note: z.string(),
    evidenceFileId: z.string().nullable(),
    reviewStatus: reviewStatus.nullable(),
    reviewFlag: reviewFlag.nullable(),
    reviewNote: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewedByName: z.string().nullable(),
  });

  app.get(
    '/api/v1/enterprises/:id/indicators/history',
    {
      config: { access: 'enterprises:read', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Every version of the firm’s yearly figures (source, value, who, when, evidence, review), newest first',
        params: uuidParam,
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          key: z.enum(YEARLY_INDICATORS).optional(),
        }),
        response: { 200: z.object({ items: z.array(valueSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const { enterprise } = await svc.getEnterprise(db, req.auth!.scope, req.params.id);
      return { items: await prov.historyOf(db, enterprise.id, req.query.year, req.query.key) };
    },
  );

  const reviewQuery = pageQuery.extend({
    status: z.enum(['pending', 'confirmed', 'rejected', 'not_required', 'all']).default('pending'),
    region: z.string().max(16).optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    key: z.enum(YEARLY_INDICATORS).optional(),
    flag: reviewFlag.optional(),
    q: z.string().trim().max(100).optional(),
    sort: sortParam(['enteredAt', 'deviation', 'name']),
  });
  const reviewItem = z.object({
    id: z.string(),
    enterpriseId: z.string(),
    enterpriseName: z.string(),
    uscc: z.string(),
    regionCode: z.string(),
    regionName: z.string(),
    year: z.number(),
    key: z.string(),
    value: z.number(),
    officialValue: z.number().nullable(),
    officialSource: z.enum(SOURCES).nullable(),
    deviation: z.number().nullable(),
    flag: reviewFlag.nullable(),
    status: reviewStatus,
    enteredAt: z.string(),
    enteredByName: z.string().nullable(),
    note: z.string(),
    evidenceFileId: z.string().nullable(),
    reviewNote: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    reviewedByName: z.string().nullable(),
  });
  const reviewFilterOf = (qy: z.infer<typeof reviewQuery>): prov.ReviewFilter => ({
    status: qy.status,
    region: regionFilter(qy.region),
    year: qy.year,
    key: qy.key,
    flag: qy.flag,
    q: qy.q,
  });

  app.get(
    '/api/v1/indicator-reviews',
    {
      config: { access: 'enterprises:verify' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Verification queue (数据核实): firms’ self-reported figures in the caller’s scope, with the official value and the deviation',
        querystring: reviewQuery,
        response: { 200: pageSchema(reviewItem), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await prov.listReviews(db, req.auth!.scope, reviewFilterOf(req.query), req.query);
      return pageOf(items, total, req.query);
    },
  );

  app.get(
    '/api/v1/indicator-reviews/export',
    {
      config: { access: 'enterprises:verify' },
      schema: {
        tags: ['enterprises'],
        summary: 'Export the verification queue with its filters (.xlsx; audited)',
        querystring: reviewQuery.omit({ page: true, pageSize: true }),
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before bulk export
      const { items } = await prov.listReviews(
        db,
        req.auth!.scope,
        reviewFilterOf({ ...req.query, page: 1, pageSize: 50_000 }),
        {
          page: 1,
          pageSize: 50_000,
          sort: req.query.sort,
          order: req.query.order,
        },
      );
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('数据核实');
      ws.columns = [
        { header: '统一社会信用代码', key: 'uscc', width: 22 },
        { header: '企业名称', key: 'name', width: 36 },
        { header: '所属区县(市)', key: 'region', width: 14 },
        { header: '年度', key: 'year', width: 8 },
        { header: '指标', key: 'indicator', width: 24 },
        { header: '企业自报值', key: 'value', width: 14 },
        { header: '官方值', key: 'official', width: 14 },
        { header: '官方来源', key: 'officialSource', width: 12 },
        { header: '偏差', key: 'deviation', width: 10 },
        { header: '标记', key: 'flag', width: 16 },
        { header: '状态', key: 'status', width: 10 },
        { header: '填报人', key: 'by', width: 14 },
        { header: '填报时间', key: 'at', width: 20 },
        { header: '说明', key: 'note', width: 30 },
        { header: '核实意见', key: 'reviewNote', width: 30 },
      ];
      const safe = (v: string | null) => formulaSafe(v ?? '');
      const STATUS_ZH = { pending: '待核实', confirmed: '已核实', rejected: '已驳回', not_required: '与官方一致' };
      const FLAG_ZH = { deviation: '与官方数据差异超过容差', no_official: '无官方数据' };
      for (const i of items)
        ws.addRow({
          uscc: i.uscc,
          name: safe(i.enterpriseName),
          region: i.regionName,
          year: i.year,
          indicator: prov.INDICATOR_ZH[i.key] ?? i.key,
          value: i.value,
          official: i.officialValue ?? '',
          officialSource: prov.sourceLabel(i.officialSource),
          deviation: i.deviation === null ? '' : `${(i.deviation * 100).toFixed(1)}%`,
          flag: i.flag ? FLAG_ZH[i.flag] : '',
          status: STATUS_ZH[i.status],
          by: safe(i.enteredByName),
          at: i.enteredAt.replace('T', ' ').slice(0, 19),
          note: safe(i.note),
          reviewNote: safe(i.reviewNote),
        });
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'enterprise.indicator.review.export',
        entity: 'enterprise',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: items.length, filters: req.query },
      });
      return sendXlsx(reply, Buffer.from(await wb.xlsx.writeBuffer()), `数据核实-${today()}.xlsx`);
    },
  );

  for (const decision of ['confirm', 'reject'] as const)
    app.post(
      `/api/v1/indicator-reviews/:id/${decision}`,
      {
        config: { access: 'enterprises:verify', entity: 'indicator_value' },
        schema: {
          tags: ['enterprises'],
          summary:
            decision === 'confirm'
              ? 'Confirm a self-reported value (核实通过): it becomes a verified_on_site version; the firm is notified'
              : 'Reject a self-reported value (驳回) with a reason: it is kept in the history and never used; the firm is notified',
          params: uuidParam,
          body:
            decision === 'confirm'
              ? z
                  .object({ note: z.string().trim().min(1).max(500), evidenceFileId: z.uuid().nullable().optional() })
                  .strict()
              : z.object({ note: z.string().trim().min(1).max(500) }).strict(),
          response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
        },
      },
      async (req) => {
        await db.transaction((tx) =>
          prov.decideReview(tx, deps, req.actor(), req.auth!.scope, req.params.id, decision, req.body, today()),
        );
        return { ok: true as const };
      },
    );

  app.get(
    '/api/v1/enterprises/data-quality',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Data-quality issues (values out of bounds, shares outside 0–1, year-on-year jumps) in the caller’s scope',
        querystring: pageQuery.extend({
          region: z.string().max(16).optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          kind: z.enum(['negative', 'out_of_range', 'yoy_jump']).optional(),
          q: z.string().trim().max(100).optional(),
        }),
        response: {
          200: pageSchema(
            z.object({
              enterpriseId: z.string(),
              enterpriseName: z.string(),
              uscc: z.string(),
              regionName: z.string(),
              year: z.number(),
              key: z.string(),
              kind: z.enum(['negative', 'out_of_range', 'yoy_jump']),
              detail: z.record(z.string(), z.number().optional()),
            }),
          ).extend({ counts: z.object({ negative: z.number(), out_of_range: z.number(), yoy_jump: z.number() }) }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const r = await prov.listDataIssues(
        db,
        req.auth!.scope,
        { region: regionFilter(req.query.region), year: req.query.year, kind: req.query.kind, q: req.query.q },
        req.query,
      );
      return { ...pageOf(r.items, r.total, req.query), counts: r.counts };
    },
  );

  app.get(
    '/api/v1/enterprises/indicators/import-template',
    {
      config: { access: 'enterprises:report' },
      schema: {
        tags: ['enterprises'],
        summary: 'Template for importing yearly values with their source (second sheet: indicators and sources)',
      },
    },
    async (_req, reply) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('指标数据');
      ws.columns = prov.VALUES_IMPORT_HEADERS.map((h) => ({ header: h, width: h === '指标' ? 28 : 18 }));
      ws.getRow(1).font = { bold: true };
      const help = wb.addWorksheet('指标和来源');
      help.columns = [
        { header: '指标（填中文名或代码）', width: 34 },
        { header: '代码', width: 26 },
        { header: '', width: 4 },
        { header: '来源', width: 14 },
        { header: '代码', width: 20 },
      ];
      YEARLY_INDICATORS.forEach((k, i) => {
        const row = help.getRow(i + 2);
        row.getCell(1).value = prov.INDICATOR_ZH[k] ?? k;
        row.getCell(2).value = k;
      });
      SOURCES.forEach((src, i) => {
        const row = help.getRow(i + 2);
        row.getCell(4).value = prov.sourceLabel(src);
        row.getCell(5).value = src;
      });
      return sendXlsx(reply, Buffer.from(await wb.xlsx.writeBuffer()), '指标数据导入模板.xlsx');
    },
  );

  app.post(
    '/api/v1/enterprises/indicators/import',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['enterprises'],
        summary: `Import yearly values that name their source (statistics/tax bureau lists, lease ledgers) as a job: every row checked against the caller’s scope, all row errors at once, all rows or none (≤ ${prov.VALUES_IMPORT_MAX_ROWS}); send an Idempotency-Key`,
        consumes: ['multipart/form-data'],
        response: { 202: z.object({ jobId: z.string(), fileId: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new AppError('FILE_TOO_LARGE', { limitMb: 20 });
      const blob = await deps.files.put(bytes);
      if (blob.mime !== 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        throw new AppError('UNSUPPORTED_FILE_TYPE', { allowed: 'xlsx' });
      const auth = req.auth!;
      (req as unknown as { body: unknown }).body = { sha256: blob.sha256 };
      const out = await idempotent(req, reply, async (tx) => {
        const [file] = await tx
          .insert(files)
          .values({
            ...blob,
            originalName: part.filename.replace(/[\\/\0]/g, '_').slice(0, 200) || 'import.xlsx',
            ownerId: auth.user.id,
            orgId: auth.user.orgId,
            regionCode: auth.scope.rootRegion ?? '410100',
            entity: 'indicator_import',
          })
          .returning({ id: files.id });
        const jobId = await deps.jobs.record(
          tx,
          req.actor(),
          prov.VALUES_IMPORT_JOB,
          { sha256: blob.sha256, fileId: file!.id, userId: auth.user.id },
          auth.scope.rootRegion,
        );
        await deps.audit.write(tx, req.actor(), {
          action: 'enterprise.indicator.import.start',
          entity: 'job',
          entityId: jobId,
          regionCode: auth.scope.rootRegion,
          summary: { fileId: file!.id, size: blob.size },
        });
        return { status: 202, body: { jobId, fileId: file!.id } };
      });
      const [job] = await db.select({ status: jobRuns.status }).from(jobRuns).where(eq(jobRuns.id, out.jobId));
      if (job?.status === 'queued') await deps.jobs.dispatch(out.jobId);
      return out;
    },
  );

  const settingsBody = prov.provenanceSettingsSchema;
  app.get(
    '/api/v1/enterprises/settings/provenance',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Provenance settings: tolerance for self-reports, year-on-year factor, and the source ranking of every indicator (decision 0018)',
        response: {
          200: settingsBody.extend({ ranking: z.record(z.string(), z.array(z.enum(SOURCES))) }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const s = await prov.provenanceSettings(db);
      return {
        ...s,
        ranking: Object.fromEntries(YEARLY_INDICATORS.map((k) => [k, precedenceOf(k, s)])),
      };
    },
  );
  app.put(
    '/api/v1/enterprises/settings/provenance',
    {
      config: { access: 'enterprises:settings' },
      schema: {
        tags: ['enterprises'],
        summary: 'Set the provenance settings (city administrators; audited)',
        body: settingsBody,
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) => prov.saveProvenanceSettings(tx, deps, req.actor(), req.body as never));
      return { ok: true as const };
    },
  );

  app.put(
    '/api/v1/enterprises/:id/monthly',
    {
      config: { access: 'enterprises:report', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary: 'Record one monthly figure (revenue and tax in 万元, electricity in kWh) with its source',
        params: uuidParam,
        body: z
          .object({
            year: z.number().int().min(2000).max(2100),
            month: z.number().int().min(1).max(12),
            key: z.enum(['revenue', 'tax', 'electricity']),
            value: z.number().min(0).max(1e14),
            source: z.enum(SOURCES),
          })
          .strict(),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) =>
        svc.setMonthlyIndicator(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body),
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/enterprises/:id/qualifications',
    {
      config: { access: 'enterprises:manage', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        params: uuidParam,
        body: z
          .object({
            type: z.enum(QUAL_TYPES),
            level: z.enum(['national', 'provincial', 'municipal']).nullable().optional(),
            certificateNo: z.string().trim().max(80).default(''),
            issuedOn: day,
            validUntil: day.nullable().optional(),
          })
          .strict(),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const q = await svc.addQualification(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today());
        return { status: 201, body: { id: q.id } };
      }),
  );

  app.post(
    '/api/v1/enterprises/:id/tenancies',
    {
      config: { access: 'enterprises:manage', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        params: uuidParam,
        body: z
          .object({
            parkId: z.uuid(),
            unitId: z.uuid().nullable().optional(),
            areaM2: z.number().positive().max(1e6),
            startOn: day,
            endOn: day.nullable().optional(),
          })
          .strict(),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const t = await svc.addTenancy(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today());
        return { status: 201, body: { id: t.id } };
      }),
  );

  app.post(
    '/api/v1/enterprises/:id/contacts',
    {
      config: { access: 'enterprises:manage', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary: 'Add a contact (mobile and ID number are encrypted at rest and masked in every response)',
        params: uuidParam,
        body: z
          .object({
            name: z.string().trim().min(1).max(50),
            role: z.string().trim().max(50).default(''),
            mobile: z.string().trim().max(20).nullable().optional(),
            idNo: z.string().trim().max(18).nullable().optional(),
          })
          .strict(),
        response: {
          201: z.object({ id: z.string(), mobile: z.string().nullable(), idNo: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const c = await svc.addContact(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body);
        return { status: 201, body: { id: c.id, mobile: c.mobileMasked, idNo: c.idNoMasked } };
      }),
  );

  app.post(
    '/api/v1/enterprises/:id/contacts/:contactId/reveal',
    {
      config: { access: 'pii:reveal', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary: 'Reveal a contact’s full phone and ID number (audited, reason required)',
        params: z.object({ id: z.uuid(), contactId: z.uuid() }),
        body: z.object({ reason: z.string().trim().min(4).max(200) }).strict(),
        response: { 200: z.object({ mobile: z.string().nullable(), idNo: z.string().nullable() }), ...errorResponses },
      },
    },
    async (req) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before personal data
      return db.transaction((tx) =>
        svc.revealContact(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.params.contactId, req.body.reason),
      );
    },
  );
}
