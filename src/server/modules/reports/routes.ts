/**
 * HTTP routes of the reports module (issue #21): the archive list, downloads (PDF or Excel, audited), and
 * "generate now" as a job. Jobs: `reports.generate` (one report on demand) and the daily `reports.scheduled`,
 * which decides by itself whether a weekly (Monday) or monthly (1st) report is due.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { periodEnded, REPORT_PERIOD_TYPES, type ReportPeriodType } from '../../../domain/reports.ts';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit.ts';
import { AppError } from '../../platform/errors.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageOf, pageQuery, pageSchema } from '../../platform/paging.ts';
import { errorResponses, iso, isoString } from '../../platform/schemas.ts';
import { inScope } from '../../platform/scope.ts';
import { todayShanghai } from '../projects/service.ts';
import * as svc from './service.ts';

const reportSchema = z.object({
  id: z.string(),
  periodType: z.enum(REPORT_PERIOD_TYPES),
  periodStart: z.string(),
  periodEnd: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  pdfSize: z.number(),
  xlsxSize: z.number(),
  generatedAt: isoString,
  generatedByUsername: z.string().nullable(),
  /** Scheduled (system) or generated on request. */
  scheduled: z.boolean(),
});

const FORMATS = {
  pdf: { mime: 'application/pdf', ext: 'pdf' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
} as const;

export default async function reportRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());

  deps.jobs.register('reports.generate', async (ctx) => {
    const p = ctx.payload as { periodType: ReportPeriodType; periodStart: string; regionCode: string; actor?: Actor };
    const region = deps.regions.get(p.regionCode);
    if (!svc.isReportRegion(region)) throw new Error(`no report region ${p.regionCode}`);
    await ctx.progress(5, region.name);
    const row = await svc.generateReport(deps, {
      period: svc.periodFor(p.periodType, p.periodStart),
      region,
      jobId: ctx.jobId,
      actor: p.actor ?? SYSTEM_ACTOR,
    });
    await ctx.progress(100);
    return { reportId: row.id, title: row.title };
  });

  deps.jobs.register(
    'reports.scheduled',
    async (ctx) =>
      // REPORTS_SCHEDULE=off leaves the weekly/monthly reports to 生成报表 (an instance that should not spend its
      // Monday start-up on PDFs, e.g. the browser tests' servers)
      process.env.REPORTS_SCHEDULE === 'off'
        ? { skipped: 'REPORTS_SCHEDULE=off' }
        : svc.runScheduled(
            deps,
            typeof ctx.payload.day === 'string' ? ctx.payload.day : today(),
            ctx.jobId,
            SYSTEM_ACTOR,
            ctx.progress,
          ),
    { daily: true },
  );

  const present = (r: svc.ReportRow) => ({
    id: r.id,
    periodType: r.periodType,
    periodStart: r.periodStart,
    periodEnd: r.periodEnd,
    regionCode: r.regionCode,
    regionName: deps.regions.get(r.regionCode)?.name ?? r.regionCode,
    title: r.title,
    pdfSize: r.pdfSize,
    xlsxSize: r.xlsxSize,
    generatedAt: iso(r.generatedAt)!,
    generatedByUsername: r.generatedByUsername,
    scheduled: r.generatedBy === null,
  });

  /** A region the caller may ask about (in scope and a city or district), else 403 (region codes are public). */
  const ownRegion = (req: { auth: import('../../platform/context.ts').AuthContext | null }, code: string) => {
    const region = deps.regions.get(code);
    if (!region || !svc.isReportRegion(region)) {
      throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
    }
    if (!inScope(req.auth!.scope, { regionCode: code })) throw new AppError('FORBIDDEN');
    return region;
  };

  app.get(
    '/api/v1/reports',
    {
      config: { access: 'reports:read' },
      schema: {
        tags: ['reports'],
        summary: 'Archived 周报/月报 of the caller’s regions, newest period first',
        querystring: pageQuery.omit({ q: true }).extend({
          periodType: z.enum(REPORT_PERIOD_TYPES).optional(),
          region: z
            .string()
            .regex(/^\d{6,12}$/)
            .optional(),
          from: dateOnly.optional(),
          to: dateOnly.optional(),
        }),
        response: { 200: pageSchema(reportSchema), ...errorResponses },
      },
    },
    async (req) => {
      if (req.query.region) ownRegion(req, req.query.region);
      const { items, total } = await svc.listReports(
        db,
        req.auth!.scope,
        { periodType: req.query.periodType, regionCode: req.query.region, from: req.query.from, to: req.query.to },
        req.query,
      );
      return pageOf(items.map(present), total, req.query);
    },
  );

  app.get(
    '/api/v1/reports/:id/file',
    {
      config: { access: 'reports:read', entity: 'report' },
      schema: {
        tags: ['reports'],
        summary: 'Download a report as PDF (default) or Excel; every download is audited',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ format: z.enum(['pdf', 'xlsx']).default('pdf') }),
      },
    },
    async (req, reply) => {
      const row = await svc.findReport(db, req.auth!.scope, req.params.id);
      if (!row) throw new AppError('NOT_FOUND');
      const format = FORMATS[req.query.format];
      const sha256 = req.query.format === 'pdf' ? row.pdfSha256 : row.xlsxSha256;
      const bytes = await deps.files.read(sha256);
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'report.download',
        entity: 'report',
        entityId: row.id,
        regionCode: row.regionCode,
        summary: {
          format: req.query.format,
          title: row.title,
          periodType: row.periodType,
          periodStart: row.periodStart,
          size: bytes.length,
          sha256,
        },
      });
      const filename = `${row.title}.${format.ext}`;
      return reply
        .header('content-type', format.mime)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename="report.${format.ext}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(bytes);
    },
  );

  app.post(
    '/api/v1/reports',
    {
      config: { access: 'reports:generate' },
      schema: {
        tags: ['reports'],
        summary: 'Generate (or regenerate) the report of a region for the period containing `date`, as a job',
        body: z
          .object({
            periodType: z.enum(REPORT_PERIOD_TYPES),
            /** Any day of the wanted week or month. */
            date: dateOnly,
            region: z.string().regex(/^\d{6,12}$/),
          })
          .strict(),
        response: {
          202: z.object({ jobId: z.string(), periodStart: z.string(), periodEnd: z.string(), title: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const region = ownRegion(req, req.body.region);
      const period = svc.periodFor(req.body.periodType, req.body.date);
      if (!periodEnded(period, today())) {
        throw new AppError('REPORT_PERIOD_NOT_ENDED', { start: period.start, end: period.end });
      }
      const actor = req.actor();
      const jobId = await db.transaction(async (tx) => {
        const id = await deps.jobs.record(
          tx,
          actor,
          'reports.generate',
          { periodType: period.type, periodStart: period.start, regionCode: region.code, actor },
          region.code,
        );
        await deps.audit.write(tx, actor, {
          action: 'report.generate.request',
          entity: 'job',
          entityId: id,
          regionCode: region.code,
          summary: { periodType: period.type, periodStart: period.start, periodEnd: period.end },
        });
        return id;
      });
      await deps.jobs.dispatch(jobId);
      reply.status(202);
      return { jobId, periodStart: period.start, periodEnd: period.end, title: svc.reportTitle(region.name, period) };
    },
  );
}
