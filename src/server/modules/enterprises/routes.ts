/** HTTP routes of the enterprises module. */

import { and, eq, lte, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { enterpriseQualifications, enterprises, files, jobRuns } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, iso, uuidParam } from '../../platform/schemas.ts';
import { recipientsFor } from '../identity/service.ts';
import { todayShanghai } from '../projects/service.ts';
import { enterprisesImported, YEARLY_INDICATORS } from './facts.ts';
import { IMPORT_HEADERS, IMPORT_JOB, purgeFailedImports, runImport } from './import.ts';
import * as svc from './service.ts';

const day = z.iso.date();
const SOURCES = ['self_reported', 'tax_bureau', 'power_company', 'statistics_bureau', 'verified_on_site'] as const;
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
    sort: sortParam(['name', 'uscc', 'regionCode', 'foundedOn', 'createdAt']),
  });
  const toFilter = (qy: z.infer<typeof listQuery>) => ({
    ...qy,
    region: regionFilter(qy.region),
    aboveScale: qy.aboveScale === undefined ? undefined : qy.aboveScale === 'true',
  });
  const presentItem = (r: { enterprise: svc.EnterpriseRow; regionName: string; facts: unknown }) => {
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
      const { items } = await svc.listEnterprises(
        db,
        req.auth!.scope,
        toFilter({ ...req.query, page: 1, pageSize: 50_000 }),
        { page: 1, pageSize: 50_000, sort: req.query.sort, order: req.query.order },
        req.query.year ?? defaultYear(),
      );
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('企业');
      ws.columns = [
        { header: '统一社会信用代码', key: 'uscc', width: 22 },
        { header: '企业名称', key: 'name', width: 36 },
        { header: '所属区县(市)', key: 'region', width: 14 },
        { header: '行业代码', key: 'industry', width: 10 },
        { header: '法定代表人', key: 'rep', width: 12 },
        { header: '企业规模', key: 'size', width: 10 },
        { header: '规上', key: 'above', width: 6 },
      ];
      const safe = (v: string) => (/^[=+\-@\t\r\0]/.test(v) ? `'${v}` : v);
      for (const i of items.map(presentItem)) {
        ws.addRow({
          uscc: i.uscc,
          name: safe(i.name),
          region: i.regionName,
          industry: i.industryCode,
          rep: safe(i.legalRepresentative),
          size: i.size
            ? (
                { large: '大型', medium: '中型', small: '小型', micro: '微型', unknown: '未知' } as Record<
                  string,
                  string
                >
              )[i.size]
            : '',
          above: i.aboveScale === null ? '' : i.aboveScale ? '是' : '否',
        });
      }
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'enterprise.export',
        entity: 'enterprise',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: items.length, personalData: ['legal_representative'], filters: req.query },
      });
      return sendXlsx(reply, Buffer.from(await wb.xlsx.writeBuffer()), `企业名录-${today()}.xlsx`);
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
      const d = await svc.enterpriseDetail(db, e.id);
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

  app.put(
    '/api/v1/enterprises/:id/indicators',
    {
      config: { access: 'enterprises:report', entity: 'enterprise' },
      schema: {
        tags: ['enterprises'],
        summary: 'Record one yearly indicator with its source (ratios are derived, never entered)',
        params: uuidParam,
        body: z
          .object({
            year: z.number().int().min(2000).max(2100),
            key: z.enum(YEARLY_INDICATORS),
            value: z.number().min(-1e12).max(1e14),
            source: z.enum(SOURCES),
          })
          .strict(),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) =>
        svc.setIndicator(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today()),
      );
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
    async (req) =>
      db.transaction((tx) =>
        svc.revealContact(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.params.contactId, req.body.reason),
      ),
  );
}
