/** HTTP routes of 目标任务 (issue #21): list with progress, create, change, delete, Excel template/import/export. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  asPercent,
  completionRate,
  periodBounds,
  TARGET_INDICATOR_KEYS,
  TARGET_PERIODS,
  type TargetIndicator,
  timeProgress,
} from '../../../domain/targets.ts';
import { AppError } from '../../platform/errors.ts';
import { errorResponses, uuidParam } from '../../platform/schemas.ts';
import { dashboardSummary } from '../dashboard/summary.ts';
import { todayShanghai } from '../projects/service.ts';
import { buildExport, buildTemplate, importTargets } from './excel.ts';
import * as svc from './service.ts';

const indicator = z.enum(TARGET_INDICATOR_KEYS as [TargetIndicator, ...TargetIndicator[]]);

const targetSchema = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  indicator: z.string(),
  period: z.enum(TARGET_PERIODS),
  year: z.number(),
  periodNo: z.number(),
  start: z.string(),
  end: z.string(),
  value: z.number(),
  basis: z.string(),
  setByRegion: z.string().nullable(),
  version: z.number(),
  /** Whether the caller may change it (it lies below the caller's own region). */
  editable: z.boolean(),
  progress: z
    .object({
      asOf: z.string(),
      actual: z.number().nullable(),
      completionRate: z.number().nullable(),
      timeProgress: z.number(),
      gapPp: z.number().nullable(),
    })
    .nullable(),
});

const inputSchema = z
  .object({
    regionCode: z.string().regex(/^\d{6}$/),
    indicator,
    period: z.enum(TARGET_PERIODS),
    year: z.number().int().min(2000).max(2100),
    periodNo: z.number().int().min(1).max(4).default(1),
    value: z.number().min(0).max(1e15),
    basis: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((b) => svc.validPeriodNo(b.period, b.periodNo), {
    path: ['periodNo'],
    message: 'year: 1; half: 1–2; quarter: 1–4',
  });

export async function targetRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());

  const present = (
    r: { target: svc.TargetRow; regionName: string },
    scope: { kind: string; rootRegion: string | null; regionCodes: readonly string[] },
  ) => {
    const b = periodBounds(r.target.period, r.target.year, r.target.periodNo);
    return {
      ...r.target,
      regionName: r.regionName,
      start: b.start,
      end: b.end,
      editable:
        scope.kind === 'region' &&
        r.target.regionCode !== scope.rootRegion &&
        scope.regionCodes.includes(r.target.regionCode),
      progress: null as z.infer<typeof targetSchema>['progress'],
    };
  };
  const regionFilter = (code: string | undefined) => {
    if (!code) return undefined;
    const sub = deps.regions.subtree(code);
    if (!sub.length) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
    return sub;
  };

  app.get(
    '/api/v1/targets',
    {
      config: { access: 'targets:read' },
      schema: {
        tags: ['targets'],
        summary:
          'Targets in scope; with progress=true each carries its progress from the cockpit tile of its region, as of ' +
          'the end of its period or today (完成率, 时序进度, gap in points)',
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          region: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
          indicator: indicator.optional(),
          progress: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(targetSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const scope = req.auth!.scope;
      const rows = await svc.listTargets(db, scope, {
        year: req.query.year,
        region: regionFilter(req.query.region),
        indicator: req.query.indicator,
      });
      const items = rows.map((r) => present(r, scope));
      if (req.query.progress === 'true') {
        const t = today();
        const cache = new Map<string, Awaited<ReturnType<typeof dashboardSummary>>>();
        for (const item of items) {
          const asOf = [item.end, t].sort()[0]!;
          if (asOf < item.start) continue;
          const key = `${item.regionCode}|${asOf}`;
          if (!cache.has(key)) {
            if (cache.size >= 30) break; // bounded: the rest stay without progress
            cache.set(key, await dashboardSummary(deps, req.auth!, { regionCode: item.regionCode, asOf }));
          }
          const tile = cache.get(key)!.tiles.find((x) => x.key === item.indicator);
          const actual = tile?.value ?? null;
          const rate = completionRate(actual, item.value);
          const progress = timeProgress(item.period, item.year, item.periodNo, asOf);
          item.progress = {
            asOf,
            actual,
            completionRate: asPercent(rate),
            timeProgress: asPercent(progress)!,
            gapPp: rate === null ? null : Math.round((rate - progress) * 10_000) / 100,
          };
        }
      }
      return { items };
    },
  );

  app.post(
    '/api/v1/targets',
    {
      config: { access: 'targets:manage' },
      schema: {
        tags: ['targets'],
        summary: 'Set a target of a region below the caller’s own (the level above sets it; 403 TARGET_LEVEL_ABOVE)',
        body: inputSchema,
        response: { 201: targetSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const row = await db.transaction((tx) =>
        svc.createTarget(tx, deps, req.actor(), req.auth!.scope, req.body as svc.TargetInput),
      );
      reply.status(201);
      return present(
        { target: row, regionName: deps.regions.get(row.regionCode)?.name ?? row.regionCode },
        req.auth!.scope,
      );
    },
  );

  app.patch(
    '/api/v1/targets/:id',
    {
      config: { access: 'targets:manage', entity: 'target' },
      schema: {
        tags: ['targets'],
        params: uuidParam,
        body: z
          .object({
            version: z.number().int().min(1),
            value: z.number().min(0).max(1e15).optional(),
            basis: z.string().trim().max(500).optional(),
          })
          .strict(),
        response: { 200: targetSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { version, ...patch } = req.body;
      const row = await db.transaction((tx) =>
        svc.updateTarget(tx, deps, req.actor(), req.auth!.scope, req.params.id, version, patch),
      );
      return present(
        { target: row, regionName: deps.regions.get(row.regionCode)?.name ?? row.regionCode },
        req.auth!.scope,
      );
    },
  );

  app.delete(
    '/api/v1/targets/:id',
    {
      config: { access: 'targets:manage', entity: 'target' },
      schema: {
        tags: ['targets'],
        params: uuidParam,
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.deleteTarget(tx, deps, req.actor(), req.auth!.scope, req.params.id));
      return { ok: true as const };
    },
  );

  const sendXlsx = (reply: FastifyReply, bytes: Buffer, filename: string) =>
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header(
        'content-disposition',
        `attachment; filename="targets.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      )
      .send(bytes);

  app.get(
    '/api/v1/targets/template.xlsx',
    {
      config: { access: 'targets:manage' },
      schema: { tags: ['targets'], summary: 'Import template (Chinese headers; lists of the regions below yours)' },
    },
    async (req, reply) => sendXlsx(reply, await buildTemplate(deps, req.auth!.scope), '目标任务导入模板.xlsx'),
  );

  app.get(
    '/api/v1/targets/export.xlsx',
    {
      config: { access: 'targets:read' },
      schema: {
        tags: ['targets'],
        summary: 'The targets in scope as Excel (same columns as the template)',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() }),
      },
    },
    async (req, reply) => {
      const rows = await svc.listTargets(db, req.auth!.scope, { year: req.query.year });
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'target.export',
        entity: 'target',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: rows.length, year: req.query.year ?? null },
      });
      return sendXlsx(reply, await buildExport(rows), '目标任务.xlsx');
    },
  );

  app.post(
    '/api/v1/targets/import',
    {
      config: { access: 'targets:manage' },
      schema: {
        tags: ['targets'],
        summary: 'Import targets from the template: all rows or none, with row errors; a row replaces the same target',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ created: z.number(), updated: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      let errors: Awaited<ReturnType<typeof importTargets>>['errors'] = [];
      const out = await db.transaction(async (tx) => {
        const r = await importTargets(tx, deps, req.actor(), req.auth!.scope, bytes);
        errors = r.errors;
        return r;
      });
      if (errors.length) throw new AppError('IMPORT_ROWS_INVALID', { count: errors.length }, { rows: errors });
      return { created: out.created, updated: out.updated };
    },
  );
}

export default targetRoutes;
