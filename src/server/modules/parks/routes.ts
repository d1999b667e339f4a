/** HTTP routes of the parks module. */

import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { wgs84ToGcj02 } from '../../../domain/geo.ts';
import {
  DEVELOPMENT_MODES,
  milestoneStatus,
  occupancyRate,
  PARK_CATEGORIES,
  PARK_STAGES,
  plotRatio,
  RECOGNITION_LEVELS,
  reportDueOn,
  reportState,
  UNIT_USES,
  weekStart,
} from '../../../domain/parks.ts';
import { tenancies } from '../../db/schema/index.ts';
import { requireStepUp } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, uuidParam } from '../../platform/schemas.ts';
import { todayShanghai } from '../projects/service.ts';
import { visibleRegions } from '../regions/service.ts';
import { buildParkExport, buildParkTemplate, importParks } from './excel.ts';
import { cityShapes, SHAPE_SOURCE } from './geo.ts';
import * as pc from './plan-changes.ts';
import * as q from './queries.ts';
import * as svc from './service.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)

const parkSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  address: z.string(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  category: z.enum(PARK_CATEGORIES),
  developmentMode: z.enum(DEVELOPMENT_MODES),
  operatorOrgId: z.string().nullable(),
  landAreaMu: z.number(),
  floorAreaM2: z.number(),
  plotRatio: z.number().nullable(),
  plannedInvestmentWan: z.number(),
  industryCodes: z.array(z.string()),
  positioning: z.string(),
  stage: z.enum(PARK_STAGES),
  recognitionLevel: z.enum(RECOGNITION_LEVELS).nullable(),
  recognitionBatch: z.string().nullable(),
  recognizedOn: z.string().nullable(),
  starLevel: z.number().nullable(),
  starYear: z.number().nullable(),
  monitoredFrom: z.string().nullable(),
  monitoredUntil: z.string().nullable(),
  overdue: z.boolean(),
  version: z.number(),
});

const milestoneSchema = z.object({
  key: z.string(),
  name: z.string(),
  plannedOn: z.string().nullable(),
  actualOn: z.string().nullable(),
  status: z.enum(['green', 'yellow', 'red', 'at_risk', 'pending']),
});

const planChangeSchema = z.object({
  id: z.string(),
  parkId: z.string(),
  parkName: z.string(),
  kind: z.enum(['milestones', 'investment_plan']),
  status: z.enum(['pending', 'approved', 'returned']),
  /** The approved plan when the request was made, beside the proposal. */
  original: z.unknown(),
  proposal: z.unknown(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

const presentChange = (r: Awaited<ReturnType<typeof pc.listPlanChanges>>[number]) => ({
  id: r.c.id,
  parkId: r.c.parkId,
  parkName: r.parkName,
  kind: r.c.kind,
  status: r.c.status,
  original: r.c.original,
  proposal: r.c.proposal,
  reason: r.c.reason,
  requestedBy: r.c.requestedBy,
  requestedByName: r.requestedByName,
  requestedAt: r.c.requestedAt.toISOString(),
  decidedByName: r.decidedByName,
  decidedAt: r.c.decidedAt?.toISOString() ?? null,
  decisionNote: r.c.decisionNote,
});

const changeRef = z.object({ id: z.string(), status: z.literal('pending') }).nullable();

const detailSchema = parkSchema.extend({
  milestones: z.array(milestoneSchema),
  /** Plan change requests of the park (pending first, then the last decided ones). */
  planChanges: z.array(planChangeSchema),
  timeline: z.array(z.object({ date: z.string(), kind: z.string(), title: z.string(), status: z.string().nullable() })),
  investment: z.object({
    plans: z.array(z.object({ year: z.number(), plannedWan: z.number() })),
    monthly: z.array(z.object({ year: z.number(), month: z.number(), amountWan: z.number(), source: z.string() })),
    cumulativeWan: z.number(),
  }),
  reports: z.array(
    z.object({
      id: z.string(),
      period: z.string(),
      periodStart: z.string(),
      dueOn: z.string(),
      submittedOn: z.string().nullable(),
      state: z.string(),
      investmentWan: z.number(),
      progress: z.string(),
      problems: z.string(),
    }),
  ),
  buildings: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      floors: z.number(),
      units: z.array(
        z.object({
          id: z.string(),
          floor: z.number(),
          code: z.string(),
          areaM2: z.number(),
          use: z.enum(UNIT_USES),
          leasable: z.boolean(),
          leasedM2: z.number(),
        }),
      ),
    }),
  ),
  occupancy: z.object({ leasableM2: z.number(), leasedM2: z.number(), rate: z.number().nullable() }),
});

const inputSchema = z
  .object({
    code: z.string().trim().min(1).max(40),
    name: z.string().trim().min(2).max(200),
    regionCode: z.string().max(16),
    address: z.string().trim().max(300).optional(),
    lng: z.number().min(73).max(136).nullable().optional(),
    lat: z.number().min(3).max(54).nullable().optional(),
    category: z.enum(PARK_CATEGORIES),
    developmentMode: z.enum(DEVELOPMENT_MODES),
    operatorOrgId: z.uuid().nullable().optional(),
    landAreaMu: z.number().positive().max(1e6),
    floorAreaM2: z.number().min(0).max(1e9),
    plannedInvestmentWan: z.number().min(0).max(1e9),
    industryCodes: z
      .array(z.string().regex(/^[A-T](\d{2,4})?$/))
      .max(20)
      .optional(),
    positioning: z.string().max(500).optional(),
    recognitionLevel: z.enum(RECOGNITION_LEVELS).nullable().optional(),
    recognitionBatch: z.string().max(50).nullable().optional(),
    recognizedOn: day.nullable().optional(),
    starLevel: z.number().int().min(1).max(5).nullable().optional(),
    starYear: z.number().int().min(2015).max(2100).nullable().optional(),
    monitoredFrom: day.nullable().optional(),
    monitoredUntil: day.nullable().optional(),
  })
  .strict();

const filterQuery = z.object({
  region: z.string().max(16).optional(),
  stage: z.enum(PARK_STAGES).optional(),
  category: z.enum(PARK_CATEGORIES).optional(),
  recognitionLevel: z.enum([...RECOGNITION_LEVELS, 'none']).optional(),
  starLevel: z.coerce.number().int().min(1).max(5).optional(),
  industry: z.string().max(5).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  monitoredOn: day.optional(),
});

export async function parkRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());

  deps.jobs.register(
    'parks.overdue-scan',
    async (ctx) => {
      const r = await svc.scanOverdue(deps, typeof ctx.payload.day === 'string' ? ctx.payload.day : today());
      await ctx.progress(100);
      return r;
    },
    { daily: true },
  );

  const regionFilter = (code: string | undefined) => {
    if (!code) return undefined;
    const sub = deps.regions.subtree(code);
    if (!sub.length) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: code }] });
    return sub;
  };
  const toFilter = (f: z.infer<typeof filterQuery> & { q?: string }) => ({
    ...f,
    region: regionFilter(f.region),
    overdue: f.overdue === undefined ? undefined : f.overdue === 'true',
  });
  const present = (r: { park: q.ParkRow; regionName: string; overdue: boolean }) => ({
    ...r.park,
    regionName: r.regionName,
    plotRatio: plotRatio(r.park.floorAreaM2, r.park.landAreaMu),
    overdue: r.overdue,
  });

  app.get(
    '/api/v1/parks',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        querystring: pageQuery.merge(filterQuery).extend({
          sort: sortParam([
            'code',
            'name',
            'landAreaMu',
            'floorAreaM2',
            'plannedInvestment',
            'stage',
            'regionCode',
            'starLevel',
          ]),
        }),
        response: { 200: pageSchema(parkSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await q.listParks(db, req.auth!.scope, toFilter(req.query), req.query, today());
      return pageOf(items.map(present), total, req.query);
    },
  );

  app.get(
    '/api/v1/parks/stats',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: 'Totals of the parks under monitoring on asOf (default today), by stage and region',
        querystring: z.object({ region: z.string().max(16).optional(), asOf: day.optional() }),
        response: {
          200: z.object({
            asOf: z.string(),
            region: z.string().nullable(),
            monitoredParks: z.number(),
            landAreaMu: z.number(),
            floorAreaM2: z.number(),
            plannedInvestmentWan: z.number(),
            /** Firms settled in the parks on asOf: distinct enterprises with a tenancy running that day. */
            firms: z.number(),
            overdueParks: z.number(),
            byStage: z.record(z.string(), z.number()),
            byRegion: z.array(
              z.object({
                regionCode: z.string(),
                regionName: z.string(),
                parks: z.number(),
                landAreaMu: z.number(),
                floorAreaM2: z.number(),
                firms: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.parkStats(deps, req.auth!.scope, { region: req.query.region, asOf: req.query.asOf ?? today() }),
  );

  app.get(
    '/api/v1/parks/map',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: 'Park points for the offline map (GCJ-02, to match the shapes), coloured by stage, overdue marked',
        querystring: filterQuery,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                regionCode: z.string(),
                stage: z.enum(PARK_STAGES),
                overdue: z.boolean(),
                lng: z.number(),
                lat: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { items } = await q.listParks(
        db,
        req.auth!.scope,
        toFilter(req.query),
        { page: 1, pageSize: 5000 },
        today(),
      );
      return {
        items: items
          .filter((r) => r.park.lng !== null && r.park.lat !== null)
          .map((r) => {
            const [lng, lat] = wgs84ToGcj02(r.park.lng!, r.park.lat!);
            return {
              id: r.park.id,
              name: r.park.name,
              regionCode: r.park.regionCode,
              stage: r.park.stage,
              overdue: r.overdue,
              lng,
              lat,
            };
          }),
      };
    },
  );

  app.get(
    '/api/v1/geo/:code',
    {
      config: { access: 'parks:read', entity: 'region' },
      schema: {
        tags: ['parks'],
        summary: 'District shapes (GeoJSON, offline) of a city, or of one district',
        params: z.object({ code: z.string().max(16) }),
      },
    },
    async (req, reply) => {
      const visible = visibleRegions(deps.regions, req.auth!.scope).find((r) => r.row.code === req.params.code);
      const region = deps.regions.get(req.params.code);
      if (!visible || !region) throw new AppError('NOT_FOUND');
      const city = region.level === 'city' ? region.code : region.level === 'district' ? region.parentCode : null;
      const shapes = city ? cityShapes(city, deps.regions) : null;
      if (!shapes) throw new AppError('NOT_FOUND');
      const own = (code: unknown) => region.level === 'city' || code === region.code;
      reply.header('cache-control', 'private, max-age=86400');
      return { ...shapes, features: shapes.features.filter((f) => own(f.properties.code)), source: SHAPE_SOURCE };
    },
  );

  app.get(
    '/api/v1/parks/investment',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: 'Industrial investment of the year by district against targets, with the time-progress gap',
        querystring: z.object({
          year: z.coerce.number().int().min(2000).max(2100),
          asOf: day.optional(),
          region: z.string().max(16).optional(),
        }),
        response: {
          200: z.object({
            year: z.number(),
            asOf: z.string(),
            elapsedShare: z.number(),
            total: z.object({
              completedWan: z.number(),
              targetWan: z.number(),
              completionRate: z.number().nullable(),
              gapPp: z.number().nullable(),
            }),
            regions: z.array(
              z.object({
                regionCode: z.string(),
                regionName: z.string(),
                parks: z.number(),
                completedWan: z.number(),
                plannedWan: z.number(),
                targetWan: z.number(),
                completionRate: z.number().nullable(),
                gapPp: z.number().nullable(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => svc.parkInvestment(deps, req.auth!.scope, req.query, today()),
  );

  app.get(
    '/api/v1/parks/reports',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: 'Who reported for a period: every monitored park with its report state, and a summary per district',
        querystring: z.object({ period: z.enum(['week', 'month']), periodStart: day.optional() }),
        response: {
          200: z.object({
            period: z.string(),
            periodStart: z.string(),
            dueOn: z.string(),
            items: z.array(
              z.object({
                parkId: z.string(),
                parkName: z.string(),
                regionCode: z.string(),
                regionName: z.string(),
                state: z.string(),
                submittedOn: z.string().nullable(),
              }),
            ),
            districts: z.array(
              z.object({
                regionCode: z.string(),
                regionName: z.string(),
                expected: z.number(),
                submitted: z.number(),
                late: z.number(),
                missing: z.number(),
                open: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const t = today();
      const raw = req.query.periodStart ?? t;
      const periodStart = req.query.period === 'week' ? weekStart(raw) : `${raw.slice(0, 7)}-01`;
      const dueOn = reportDueOn(req.query.period, periodStart);
      const rows = await q.reportsFor(db, req.auth!.scope, req.query.period, periodStart);
      const items = rows.map((r) => ({
        parkId: r.park.id,
        parkName: r.park.name,
        regionCode: r.park.regionCode,
        regionName: r.regionName,
        state: reportState(dueOn, r.report?.submittedOn ?? null, t),
        submittedOn: r.report?.submittedOn ?? null,
      }));
      const districts = new Map<
        string,
        {
          regionCode: string;
          regionName: string;
          expected: number;
          submitted: number;
          late: number;
          missing: number;
          open: number;
        }
      >();
      for (const i of items) {
        const d = districts.get(i.regionCode) ?? {
          regionCode: i.regionCode,
          regionName: i.regionName,
          expected: 0,
          submitted: 0,
          late: 0,
          missing: 0,
          open: 0,
        };
        d.expected++;
        d[i.state as 'submitted' | 'late' | 'missing' | 'open']++;
        districts.set(i.regionCode, d);
      }
      return { period: req.query.period, periodStart, dueOn, items, districts: [...districts.values()] };
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
    '/api/v1/parks/export',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: 'Export the filtered list (.xlsx)',
        querystring: filterQuery.extend({ q: z.string().max(100).optional() }),
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before bulk export
      const { items } = await q.listParks(
        db,
        req.auth!.scope,
        toFilter(req.query),
        { page: 1, pageSize: 10_000 },
        today(),
      );
      const bytes = await buildParkExport(items.map(present));
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'park.export',
        entity: 'park',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: items.length, filters: req.query },
      });
      return sendXlsx(reply, bytes, `小微企业园-${today()}.xlsx`);
    },
  );

  app.get(
    '/api/v1/parks/import-template',
    {
      config: { access: 'parks:manage' },
      schema: { tags: ['parks'], summary: 'Excel import template (parks + milestone plans)' },
    },
    async (req, reply) => sendXlsx(reply, await buildParkTemplate(deps, req.auth!.scope), '小微企业园导入模板.xlsx'),
  );

  app.post(
    '/api/v1/parks/import',
    {
      config: { access: 'parks:manage' },
      schema: {
        tags: ['parks'],
        summary: 'Import parks and milestone plans: all rows or none, with row-level errors',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ parks: z.number(), milestones: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      let result: Awaited<ReturnType<typeof importParks>> = { parks: 0, milestones: 0, errors: [] };
      await db
        .transaction(async (tx) => {
          result = await importParks(tx, deps, req.actor(), req.auth!.scope, bytes, today());
          if (result.errors.length) tx.rollback();
        })
        .catch((e) => {
          if (!result.errors.length) throw e;
        });
      if (result.errors.length)
        throw new AppError('IMPORT_ROWS_INVALID', { count: result.errors.length }, { rows: result.errors });
      return { parks: result.parks, milestones: result.milestones };
    },
  );

  app.post(
    '/api/v1/parks',
    {
      config: { access: 'parks:manage' },
      schema: { tags: ['parks'], body: inputSchema, response: { 201: parkSchema, ...errorResponses } },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const row = await svc.createPark(tx, deps, req.actor(), req.auth!.scope, req.body, today());
        const full = await q.getPark(tx, req.auth!.scope, row.id);
        return { status: 201, body: present({ ...full!, overdue: false }) };
      }),
  );

  app.get(
    '/api/v1/parks/:id',
    {
      config: { access: 'parks:read', entity: 'park' },
      schema: { tags: ['parks'], params: uuidParam, response: { 200: detailSchema, ...errorResponses } },
    },
    async (req) => {
      const t = today();
      const row = await q.getPark(db, req.auth!.scope, req.params.id);
      if (!row) throw new AppError('NOT_FOUND');
      const parts = await q.detailParts(db, row.park.id);
      const milestones = parts.milestones.map((m) => ({
        key: m.key,
        name: m.name,
        plannedOn: m.plannedOn,
        actualOn: m.actualOn,
        status: milestoneStatus(m.plannedOn, m.actualOn, t),
      }));
      const reports = parts.reports.map((r) => ({
        id: r.id,
        period: r.period,
        periodStart: r.periodStart,
        dueOn: r.dueOn,
        submittedOn: r.submittedOn,
        state: reportState(r.dueOn, r.submittedOn, t),
        investmentWan: r.investmentWan,
        progress: r.progress,
        problems: r.problems,
      }));
      const stageLabel: Record<string, string> = {
        planned: '谋划',
        filed: '备案',
        land_acquired: '取得土地',
        permitted: '取得许可',
        under_construction: '建设中',
        completed: '建成',
        operating: '运营',
      };
      const timeline = [
        ...parts.history.map((h) => ({
          date: h.on,
          kind: 'stage',
          title: `阶段：${stageLabel[h.stage] ?? h.stage}`,
          status: null,
        })),
        ...milestones
          .filter((m) => m.actualOn || m.plannedOn)
          .map((m) => ({
            date: (m.actualOn ?? m.plannedOn)!,
            kind: 'milestone',
            title: `${m.name}${m.actualOn ? '（完成）' : '（计划）'}`,
            status: m.status,
          })),
        ...reports.map((r) => ({
          date: r.submittedOn ?? r.dueOn,
          kind: 'report',
          title: `${r.period === 'week' ? '周报' : '月报'} ${r.periodStart}`,
          status: r.state,
        })),
        ...(row.park.recognizedOn
          ? [
              {
                date: row.park.recognizedOn,
                kind: 'recognition',
                title: `认定：${row.park.recognitionLevel ?? ''} ${row.park.recognitionBatch ?? ''}`.trim(),
                status: null,
              },
            ]
          : []),
        ...(row.park.starLevel && row.park.starYear
          ? [
              {
                date: `${row.park.starYear}-12-31`,
                kind: 'rating',
                title: `星级评定：${row.park.starLevel}星（${row.park.starYear}年度）`,
                status: null,
              },
            ]
          : []),
      ].sort((a, b) => a.date.localeCompare(b.date));
      const units = parts.units;
      // leased area per unit: the active tenancies on it (enterprises module), else the unit's own figure
      const leasedByUnit = new Map(
        (
          await db
            .select({ unitId: tenancies.unitId, area: sql<string>`sum(${tenancies.areaM2})` })
            .from(tenancies)
            .where(and(eq(tenancies.parkId, row.park.id), eq(tenancies.status, 'active')))
            .groupBy(tenancies.unitId)
        ).map((r) => [r.unitId, Number(r.area)]),
      );
      const leasedOf = (u: (typeof units)[number]) => Math.min(u.areaM2, leasedByUnit.get(u.id) ?? u.leasedM2);
      const leasable = units.filter((u) => u.leasable).reduce((a, u) => a + u.areaM2, 0);
      const leased = units.filter((u) => u.leasable).reduce((a, u) => a + leasedOf(u), 0);
      return {
        ...present({ ...row, overdue: milestones.some((m) => m.status === 'red') }),
        milestones,
        planChanges: (await pc.listPlanChanges(db, req.auth!.scope, { parkId: row.park.id, limit: 20 })).map(
          presentChange,
        ),
        timeline,
        investment: {
          plans: parts.plans.map((p) => ({ year: p.year, plannedWan: p.plannedWan })),
          monthly: parts.monthly.map((m) => ({
            year: m.year,
            month: m.month,
            amountWan: m.amountWan,
            source: m.source,
          })),
          cumulativeWan: Math.round(parts.monthly.reduce((a, m) => a + m.amountWan, 0) * 100) / 100,
        },
        reports,
        buildings: parts.buildings.map((b) => ({
          id: b.id,
          name: b.name,
          floors: b.floors,
          units: units
            .filter((u) => u.buildingId === b.id)
            .map((u) => ({
              id: u.id,
              floor: u.floor,
              code: u.code,
              areaM2: u.areaM2,
              use: u.use,
              leasable: u.leasable,
              leasedM2: leasedOf(u),
            })),
        })),
        occupancy: { leasableM2: leasable, leasedM2: leased, rate: occupancyRate(leased, leasable) },
      };
    },
  );

  app.patch(
    '/api/v1/parks/:id',
    {
      config: { access: 'parks:manage', entity: 'park' },
      schema: {
        tags: ['parks'],
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
        svc.updatePark(tx, deps, req.actor(), req.auth!.scope, req.params.id, version, patch),
      );
      return { id: row.id, version: row.version };
    },
  );

  app.post(
    '/api/v1/parks/:id/stage',
    {
      config: { access: 'parks:manage', entity: 'park' },
      schema: {
        tags: ['parks'],
        params: uuidParam,
        body: z.object({ stage: z.enum(PARK_STAGES), on: day }).strict(),
        response: { 200: z.object({ id: z.string(), stage: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      if (req.body.on > today()) throw new AppError('DATE_IN_FUTURE', {}, { fields: [{ field: 'body.on' }] });
      const row = await db.transaction((tx) =>
        svc.moveStage(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body.stage, req.body.on),
      );
      return { id: row.id, stage: row.stage };
    },
  );

  app.put(
    '/api/v1/parks/:id/milestones',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
        summary: 'Replace the milestone schedule (倒排工期), planned and actual dates',
        params: uuidParam,
        body: z
          .object({
            milestones: z
              .array(
                z.object({
                  key: z.string().regex(/^[a-z0-9_]{2,40}$/),
                  name: z.string().trim().min(1).max(50),
                  plannedOn: day.nullable(),
                  actualOn: day.nullable(),
                }),
              )
              .max(40),
            /** Why the plan changes (kept on a change request). */
            reason: z.string().trim().max(500).optional(),
          })
          .strict(),
        description:
          "District and city admins replace the schedule. A park operator's actual dates apply at once; a change of " +
          'plan becomes a change request (202, `changeRequest`) that the district approves or returns (decision 0020).',
        response: {
          200: z.object({ ok: z.literal(true), changeRequest: changeRef }),
          202: z.object({ ok: z.literal(true), changeRequest: changeRef }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const cr = await db.transaction((tx) =>
        pc.putMilestones(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.body.milestones,
          req.body.reason ?? '',
          today(),
        ),
      );
      return reply
        .code(cr ? 202 : 200)
        .send({ ok: true as const, changeRequest: cr ? { id: cr.id, status: 'pending' as const } : null });
    },
  );

  app.get(
    '/api/v1/parks/plan-changes',
    {
      config: { access: 'parks:read' },
      schema: {
        tags: ['parks'],
        summary: "Plan change requests in the caller's scope (the district's queue with status=pending)",
        querystring: z
          .object({ status: z.enum(['pending', 'approved', 'returned']).optional(), parkId: z.uuid().optional() })
          .strict(),
        response: { 200: z.object({ items: z.array(planChangeSchema) }), ...errorResponses },
      },
    },
    async (req) => ({
      items: (await pc.listPlanChanges(db, req.auth!.scope, req.query)).map(presentChange),
    }),
  );

  app.post(
    '/api/v1/parks/:id/plan-changes/:changeId/decision',
    {
      config: { access: 'parks:manage', entity: 'park' },
      schema: {
        tags: ['parks'],
        summary: 'Approve (apply) or return (with a note) a plan change request; not by its requester',
        params: z.object({ id: z.uuid(), changeId: z.uuid() }),
        body: z
          .object({ decision: z.enum(['approve', 'return']), note: z.string().trim().max(500).default('') })
          .strict(),
        response: {
          200: z.object({ id: z.string(), status: z.enum(['approved', 'returned']) }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      db.transaction((tx) =>
        pc.decidePlanChange(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.params.changeId,
          req.body.decision,
          req.body.note,
          today(),
        ),
      ),
  );

  app.put(
    '/api/v1/parks/:id/investments',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
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
    '/api/v1/parks/:id/plans',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
        params: uuidParam,
        description:
          "District and city admins set the yearly plan; a park operator's change becomes a change request (202).",
        body: z
          .object({
            year: z.number().int().min(2000).max(2100),
            plannedWan: z.number().min(0).max(1e9),
            reason: z.string().trim().max(500).optional(),
          })
          .strict(),
        response: {
          200: z.object({ ok: z.literal(true), changeRequest: changeRef }),
          202: z.object({ ok: z.literal(true), changeRequest: changeRef }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const { reason, ...v } = req.body;
      const cr = await db.transaction((tx) =>
        pc.putInvestmentPlan(tx, deps, req.actor(), req.auth!.scope, req.params.id, v, reason ?? ''),
      );
      return reply
        .code(cr ? 202 : 200)
        .send({ ok: true as const, changeRequest: cr ? { id: cr.id, status: 'pending' as const } : null });
    },
  );

  app.post(
    '/api/v1/parks/:id/reports',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
        summary: 'Submit a 周报/月报 for a period',
        params: uuidParam,
        body: z
          .object({
            period: z.enum(['week', 'month']),
            periodStart: day,
            investmentWan: z.number().min(0).max(1e8),
            progress: z.string().trim().min(1).max(5000),
            problems: z.string().trim().max(5000).default(''),
            photoFileIds: z.array(z.uuid()).max(20).default([]),
            /** true to replace a report already submitted for the period; without it that is 409 */
            replace: z.boolean().optional(),
          })
          .strict(),
        response: {
          201: z.object({ id: z.string(), dueOn: z.string(), submittedOn: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const r = await svc.submitReport(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today());
        return { status: 201, body: { id: r.id, dueOn: r.dueOn, submittedOn: r.submittedOn } };
      }),
  );

  app.post(
    '/api/v1/parks/:id/buildings',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
        params: uuidParam,
        body: z.object({ name: z.string().trim().min(1).max(50), floors: z.number().int().min(1).max(100) }).strict(),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const b = await svc.addBuilding(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body);
        return { status: 201, body: { id: b.id } };
      }),
  );

  app.post(
    '/api/v1/parks/:id/units',
    {
      config: { access: 'parks:report', entity: 'park' },
      schema: {
        tags: ['parks'],
        params: uuidParam,
        body: z
          .object({
            buildingId: z.uuid(),
            floor: z.number().int().min(1).max(100),
            code: z.string().trim().min(1).max(30),
            areaM2: z.number().positive().max(1e6),
            use: z.enum(UNIT_USES),
            leasable: z.boolean().default(true),
          })
          .strict(),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const u = await svc.addUnit(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body);
        return { status: 201, body: { id: u.id } };
      }),
  );
}
