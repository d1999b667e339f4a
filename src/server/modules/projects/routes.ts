/** HTTP routes of 三个一批 (module `projects`). */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { INDUSTRY_CLASSES, PROJECT_STAGES } from '../../../domain/projects.ts';
import { requireStepUp } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, uuidParam } from '../../platform/schemas.ts';
import { buildExport, buildTemplate, importProjects, KIND_LABELS } from './excel.ts';
import * as q from './queries.ts';
import * as svc from './service.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)
const kindEnum = z.enum(['sign', 'start', 'produce']);
const warningEnum = z.enum(['none', 'yellow', 'orange', 'red']);

const projectSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  ownerName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  industryClass: z.enum(INDUSTRY_CLASSES),
  industryCode: z.string().nullable(),
  totalInvestmentWan: z.number(),
  responsibleUnit: z.string(),
  responsiblePerson: z.string(),
  stage: z.enum(PROJECT_STAGES),
  signedOn: z.string().nullable(),
  plannedPerformanceOn: z.string().nullable(),
  performedOn: z.string().nullable(),
  plannedStartOn: z.string().nullable(),
  startedOn: z.string().nullable(),
  plannedProductionOn: z.string().nullable(),
  productionOn: z.string().nullable(),
  plannedEffectiveOn: z.string().nullable(),
  effectiveOn: z.string().nullable(),
  performanceEvidence: z.record(z.string(), z.boolean()),
  warning: warningEnum,
  warnings: z.array(z.string()),
  batches: z.array(z.object({ kind: kindEnum, number: z.number(), level: z.string(), heldOn: z.string() })),
  version: z.number(),
});

const detailSchema = projectSchema.extend({
  plans: z.array(z.object({ year: z.number(), plannedWan: z.number() })),
  monthly: z.array(z.object({ year: z.number(), month: z.number(), amountWan: z.number(), source: z.string() })),
  cumulativeWan: z.number(),
});

const kpiSchema = z.object({
  batch: z.object({ number: z.number(), level: z.string(), heldOn: z.string(), title: z.string() }),
  region: z.string().nullable(),
  asOf: z.string(),
  year: z.number(),
  total: z.object({ count: z.number(), investment: z.number() }),
  signed: z.object({
    count: z.number(),
    investment: z.number(),
    performedCount: z.number(),
    performanceRate: z.number().nullable(),
    startBase: z.string(),
    startBaseCount: z.number(),
    startedCount: z.number(),
    startRate: z.number().nullable(),
  }),
  started: z.object({
    count: z.number(),
    investment: z.number(),
    yearPlan: z.number(),
    yearInvestment: z.number(),
    yearCompletionRate: z.number().nullable(),
    timeProgressGapPp: z.number().nullable(),
  }),
  producing: z.object({
    count: z.number(),
    investment: z.number(),
    completedInvestment: z.number(),
    completionRate: z.number().nullable(),
    inProductionCount: z.number(),
    effectiveCount: z.number(),
    effectiveRate: z.number().nullable(),
  }),
});

const inputSchema = z
  .object({
    code: z.string().trim().min(1).max(40),
    name: z.string().trim().min(2).max(200),
    ownerName: z.string().trim().min(2).max(200),
    regionCode: z.string().max(16),
    industryClass: z.enum(INDUSTRY_CLASSES),
    industryCode: z.string().max(8).nullable().optional(),
    totalInvestmentWan: z.number().positive().max(1e9),
    responsibleUnit: z.string().trim().min(1).max(200),
    responsiblePerson: z.string().trim().max(50).optional(),
    responsibleOrgId: z.uuid().nullable().optional(),
    signedOn: day.nullable().optional(),
    plannedPerformanceOn: day.nullable().optional(),
    plannedStartOn: day.nullable().optional(),
    plannedProductionOn: day.nullable().optional(),
    plannedEffectiveOn: day.nullable().optional(),
  })
  .strict();

const listQuery = pageQuery.extend({
  batch: z.coerce.number().int().min(1).max(999).optional(),
  level: z.enum(['province', 'city']).optional(),
  kind: kindEnum.optional(),
  region: z.string().max(16).optional(),
  stage: z.enum(PROJECT_STAGES).optional(),
  industryClass: z.enum(INDUSTRY_CLASSES).optional(),
  warning: z.enum(['none', 'yellow', 'orange', 'red', 'any']).optional(),
  asOf: day.optional(),
  sort: sortParam(['code', 'name', 'totalInvestment', 'plannedStartOn', 'regionCode', 'stage']),
});

export async function projectRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => svc.todayShanghai(deps.clock.now());

  deps.jobs.register(
    'projects.delay-scan',
    async (ctx) => {
      const asOf = typeof ctx.payload.day === 'string' ? ctx.payload.day : today();
      const r = await svc.scanDelays(deps, asOf);
      await ctx.progress(100, `${r.raised}/${r.scanned}`);
      return r;
    },
    { daily: true },
  );

  async function withBatches<T extends { project: { id: string } }>(rows: T[]) {
    const entries = await q.entriesOf(
      db,
      rows.map((r) => r.project.id),
    );
    return rows.map((r) => ({
      ...r,
      batches: entries
        .filter((e) => e.projectId === r.project.id)
        .map((e) => ({ kind: e.kind, number: e.batchNumber, level: e.batchLevel, heldOn: e.heldOn })),
    }));
  }

  const present = (
    r: { project: q.ProjectRow; regionName: string; batches: z.infer<typeof projectSchema>['batches'] },
    asOf: string,
  ) => ({
    ...r.project,
    regionName: r.regionName,
    warning: svc.projectWarning(r.project, asOf),
    warnings: svc.warningsFor(r.project),
    batches: r.batches,
  });

  const regionFilter = (code: string | undefined) => {
    if (!code) return undefined;
    const sub = deps.regions.subtree(code);
    if (sub.length === 0) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
    return sub;
  };

  app.get(
    '/api/v1/projects/kpis',
    {
      config: { access: 'projects:read' },
      schema: {
        tags: ['projects'],
        summary: '三个一批 KPIs of one batch (期): counts, investment in 亿元, rates in %',
        querystring: z.object({
          batch: z.coerce.number().int().min(1).max(999),
          level: z.enum(['province', 'city']).optional(),
          region: z.string().max(16).optional(),
          industryClass: z.enum(INDUSTRY_CLASSES).optional(),
          asOf: day.optional(),
        }),
        response: { 200: kpiSchema, ...errorResponses },
      },
    },
    async (req) => svc.kpis(deps, req.auth!.scope, req.query),
  );

  app.get(
    '/api/v1/projects/batches',
    {
      config: { access: 'projects:read' },
      schema: {
        tags: ['projects'],
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                number: z.number(),
                level: z.string(),
                heldOn: z.string(),
                title: z.string(),
                counts: z.object({ sign: z.number(), start: z.number(), produce: z.number() }),
                investmentWan: z.object({ sign: z.number(), start: z.number(), produce: z.number() }),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const rows = await q.listBatches(db, req.auth!.scope);
      const byId = new Map<
        string,
        { batch: q.BatchRow; counts: Record<string, number>; inv: Record<string, number> }
      >();
      for (const r of rows) {
        const entry = byId.get(r.batch.id) ?? {
          batch: r.batch,
          counts: { sign: 0, start: 0, produce: 0 },
          inv: { sign: 0, start: 0, produce: 0 },
        };
        if (r.kind) {
          entry.counts[r.kind] = r.n;
          entry.inv[r.kind] = Number(r.investment);
        }
        byId.set(r.batch.id, entry);
      }
      return {
        items: [...byId.values()].map((e) => ({
          id: e.batch.id,
          number: e.batch.number,
          level: e.batch.level,
          heldOn: e.batch.heldOn,
          title: e.batch.title,
          counts: { sign: e.counts.sign!, start: e.counts.start!, produce: e.counts.produce! },
          investmentWan: { sign: e.inv.sign!, start: e.inv.start!, produce: e.inv.produce! },
        })),
      };
    },
  );

  app.post(
    '/api/v1/projects/batches',
    {
      config: { access: 'projects:manage' },
      schema: {
        tags: ['projects'],
        body: z
          .object({
            number: z.number().int().min(1).max(999),
            level: z.enum(['province', 'city']),
            heldOn: day,
            title: z.string().trim().min(2).max(100),
          })
          .strict(),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const root = deps.regions.get(req.auth!.scope.rootRegion);
      if (!root || (root.level !== 'city' && root.level !== 'province')) throw new AppError('FORBIDDEN');
      return idempotent(req, reply, async (tx) => {
        const b = await svc.createBatch(tx, deps, req.actor(), req.body);
        return { status: 201, body: { id: b.id } };
      });
    },
  );

  app.get(
    '/api/v1/projects',
    {
      config: { access: 'projects:read' },
      schema: {
        tags: ['projects'],
        querystring: listQuery,
        response: { 200: pageSchema(projectSchema), ...errorResponses },
      },
    },
    async (req) => {
      const asOf = req.query.asOf ?? today();
      const { items, total } = await q.listProjects(
        db,
        req.auth!.scope,
        { ...req.query, region: regionFilter(req.query.region) },
        req.query,
        asOf,
        svc.PROJECT_SETTINGS.delayLadder,
      );
      const rows = await withBatches(items);
      return pageOf(
        rows.map((r) => present(r, asOf)),
        total,
        req.query,
      );
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
    '/api/v1/projects/export',
    {
      config: { access: 'projects:read' },
      schema: {
        tags: ['projects'],
        summary: 'Export the filtered list as .xlsx',
        querystring: listQuery.omit({ page: true, pageSize: true }),
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before bulk export
      const asOf = req.query.asOf ?? today();
      const { items } = await q.listProjects(
        db,
        req.auth!.scope,
        { ...req.query, region: regionFilter(req.query.region) },
        { page: 1, pageSize: 10_000, sort: req.query.sort, order: req.query.order },
        asOf,
        svc.PROJECT_SETTINGS.delayLadder,
      );
      const rows = await withBatches(items);
      const bytes = await buildExport(
        rows.map((r) => ({
          project: r.project,
          regionName: r.regionName,
          warning: r.warning,
          batches: r.batches.map((b) => `第${b.number}期${KIND_LABELS[b.kind]}`).join('；'),
        })),
      );
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'project.export',
        entity: 'project',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: rows.length, filters: req.query },
      });
      return sendXlsx(reply, bytes, `三个一批项目-${asOf}.xlsx`);
    },
  );

  app.get(
    '/api/v1/projects/import-template',
    {
      config: { access: 'projects:manage' },
      schema: { tags: ['projects'], summary: 'The Excel import template (Chinese headers, drop-down lists)' },
    },
    async (req, reply) => sendXlsx(reply, await buildTemplate(deps, req.auth!.scope), '三个一批项目导入模板.xlsx'),
  );

  app.post(
    '/api/v1/projects/import',
    {
      config: { access: 'projects:manage' },
      schema: {
        tags: ['projects'],
        summary: 'Import projects from the template: all rows or none, with row-level errors',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ created: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      let rowErrors: Awaited<ReturnType<typeof importProjects>>['errors'] = [];
      const created = await db.transaction(async (tx) => {
        const r = await importProjects(tx, deps, req.actor(), req.auth!.scope, bytes);
        rowErrors = r.errors;
        return r.created;
      });
      if (rowErrors.length) throw new AppError('IMPORT_ROWS_INVALID', { count: rowErrors.length }, { rows: rowErrors });
      return { created };
    },
  );

  app.post(
    '/api/v1/projects',
    {
      config: { access: 'projects:manage' },
      schema: { tags: ['projects'], body: inputSchema, response: { 201: projectSchema, ...errorResponses } },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const row = await svc.createProject(tx, deps, req.actor(), req.auth!.scope, req.body);
        const full = await q.getProject(tx, req.auth!.scope, row.id);
        return { status: 201, body: present({ ...full!, batches: [] }, today()) };
      }),
  );

  app.get(
    '/api/v1/projects/:id',
    {
      config: { access: 'projects:read', entity: 'project' },
      schema: {
        tags: ['projects'],
        params: uuidParam,
        querystring: z.object({ asOf: day.optional() }),
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const row = await q.getProject(db, req.auth!.scope, req.params.id);
      if (!row) throw new AppError('NOT_FOUND');
      const [withB] = await withBatches([row]);
      const plans = await q.plansOf(db, row.project.id);
      const monthly = await q.monthlyOf(db, row.project.id);
      return {
        ...present(withB!, req.query.asOf ?? today()),
        plans: plans.map((p) => ({ year: p.year, plannedWan: p.plannedWan })),
        monthly: monthly.map((m) => ({ year: m.year, month: m.month, amountWan: m.amountWan, source: m.source })),
        cumulativeWan: Math.round(monthly.reduce((a, m) => a + m.amountWan, 0) * 100) / 100,
      };
    },
  );

  app.patch(
    '/api/v1/projects/:id',
    {
      config: { access: 'projects:manage', entity: 'project' },
      schema: {
        tags: ['projects'],
        params: uuidParam,
        body: inputSchema
          .partial()
          .extend({ version: z.number().int().min(1) })
          .strict(),
        response: { 200: z.object({ id: z.string(), version: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      const { version, ...patch } = req.body;
      const row = await db.transaction((tx) =>
        svc.updateProject(tx, deps, req.actor(), req.auth!.scope, req.params.id, version, patch),
      );
      return { id: row.id, version: row.version };
    },
  );

  app.post(
    '/api/v1/projects/:id/advance',
    {
      config: { access: 'projects:report', entity: 'project' },
      schema: {
        tags: ['projects'],
        summary: 'Move the pipeline one step (履约 → 开工 → 投产 → 达效) with the actual date',
        params: uuidParam,
        body: z
          .object({
            stage: z.enum(['performed', 'started', 'producing', 'effective']),
            date: day,
            evidence: z.record(z.string(), z.boolean()).optional(),
          })
          .strict(),
        response: { 200: z.object({ id: z.string(), stage: z.string(), version: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      if (req.body.date > today()) throw new AppError('DATE_IN_FUTURE', {}, { fields: [{ field: 'body.date' }] });
      const row = await db.transaction((tx) =>
        svc.advanceStage(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.body.stage,
          req.body.date,
          req.body.evidence,
        ),
      );
      return { id: row.id, stage: row.stage, version: row.version };
    },
  );

  app.put(
    '/api/v1/projects/:id/investments',
    {
      config: { access: 'projects:report', entity: 'project' },
      schema: {
        tags: ['projects'],
        summary: 'Record the completed investment of one month (万元)',
        params: uuidParam,
        body: z
          .object({
            year: z.number().int().min(2000).max(2100),
            month: z.number().int().min(1).max(12),
            amountWan: z.number().min(0).max(1e8),
            source: z.enum(['reported', 'statistics', 'verified']).default('reported'),
          })
          .strict(),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) =>
        svc.setMonthlyInvestment(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body),
      );
      return { ok: true as const };
    },
  );

  app.put(
    '/api/v1/projects/:id/plans',
    {
      config: { access: 'projects:manage', entity: 'project' },
      schema: {
        tags: ['projects'],
        summary: 'Set the annual investment plan (万元)',
        params: uuidParam,
        body: z.object({ year: z.number().int().min(2000).max(2100), plannedWan: z.number().min(0).max(1e9) }).strict(),
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.setAnnualPlan(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/projects/delay-scan',
    {
      config: { access: 'projects:manage' },
      schema: {
        tags: ['projects'],
        summary: 'Scan for delay warnings now and notify (also runs daily)',
        response: { 202: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await deps.jobs.record(db, req.actor(), 'projects.delay-scan', {}, req.auth!.scope.rootRegion);
      await deps.jobs.dispatch(id);
      reply.status(202);
      return { id };
    },
  );
}
