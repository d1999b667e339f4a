/** HTTP routes of the 万人助万企 assistance module (issue #6). */
import { eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../../domain/access.ts';
import { CLOSURE_CODES, RATINGS } from '../../../domain/assistance/workflow.ts';
import { files, orgs } from '../../db/schema/index.ts';
import { AppError, localeOf } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { pageOf } from '../../platform/paging.ts';
import { assertOrgReference } from '../../platform/references.ts';
import { errorResponses, uuidParam } from '../../platform/schemas.ts';
import { callerOf } from './access.ts';
import { assistanceExportRoutes } from './exports.ts';
import { importPairings, PAIRING_HEADERS } from './import.ts';
import {
  kpiQuery,
  kpiReport,
  pairingListQuery,
  problemFilterOf,
  problemListQuery,
  rankingQuery,
  rankingReport,
  regionInScope,
  visitListQuery,
} from './list-queries.ts';
import * as problems from './problems.ts';
import * as svc from './service.ts';
import {
  assistanceSettingsSchema,
  CATEGORIES,
  CATEGORY_CODES,
  DEFAULT_ASSISTANCE_SETTINGS,
  saveSettings,
  settingsFor,
} from './settings.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)
const text = (max: number, min = 1) => z.string().trim().min(min).max(max);
const ok = { 200: z.unknown(), ...errorResponses };

export const ESCALATION_JOB = 'assistance.escalate-overdue';

export async function assistanceRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => problems.todayOf(deps.clock.now());
  const caller = (req: FastifyRequest) => callerOf(db, req.auth!);

  deps.jobs.register(
    ESCALATION_JOB,
    async (ctx) => {
      const t = typeof ctx.payload.day === 'string' ? ctx.payload.day : today();
      const out = await problems.escalateOverdue(deps, t);
      await ctx.progress(100);
      return out;
    },
    { daily: true },
  );

  /** A region the caller administers (default: the root of their scope). */
  const regionOf = (req: FastifyRequest, code: string | undefined) => regionInScope(req.auth!.scope, code);

  // ------------------------------------------------------------ settings and categories

  app.get(
    '/api/v1/assistance/settings',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Effective settings of a region (deadline profile, windows, ladder, visit cap, KPI options)',
        querystring: z.object({ region: z.string().max(16).optional() }),
        response: ok,
      },
    },
    async (req) => {
      const region = req.query.region ?? req.auth!.scope.rootRegion ?? '410100';
      if (req.auth!.scope.kind === 'region' && !req.auth!.scope.regionCodes.includes(region)) {
        throw new AppError('NOT_FOUND');
      }
      const st = await settingsFor(db, deps.regions, region);
      return { region, ...st, defaults: DEFAULT_ASSISTANCE_SETTINGS };
    },
  );

  app.put(
    '/api/v1/assistance/settings',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Set the settings of a region (audited)',
        querystring: z.object({ region: z.string().max(16).optional() }),
        // partial: omitted keys keep the region's effective values; echoed read-only keys are ignored
        body: assistanceSettingsSchema.partial().extend({
          region: z.string().max(16).optional(),
          definedAt: z.string().max(16).nullable().optional(),
          defaults: z.unknown().optional(),
        }),
        response: ok,
      },
    },
    async (req) => {
      const region = regionOf(req, req.query.region);
      const { region: _r, definedAt: _d, defaults: _x, ...given } = req.body;
      const { definedAt: _c, ...current } = await settingsFor(db, deps.regions, region);
      const value = assistanceSettingsSchema.parse({ ...current, ...given });
      value.escalationLadder = [...value.escalationLadder].sort((x, y) => x.afterDays - y.afterDays);
      await db.transaction(async (tx) => {
        // Every org the settings name (escalation recipients, default departments) must be one the caller may name.
        for (const [i, rung] of value.escalationLadder.entries())
          if (rung.notifyOrgId)
            await assertOrgReference(
              tx,
              deps,
              req.auth!.scope,
              rung.notifyOrgId,
              `escalationLadder.${i}.notifyOrgId`,
              region,
            );
        for (const [category, orgId] of Object.entries(value.categoryOrgs))
          if (orgId) await assertOrgReference(tx, deps, req.auth!.scope, orgId, `categoryOrgs.${category}`, region);
        await saveSettings(tx, region, value, req.auth!.user.id);
        await deps.audit.write(tx, req.actor(), {
          action: 'assistance.settings.update',
          entity: 'settings',
          entityId: `assistance:${region}`,
          regionCode: region,
          summary: given,
        });
      });
      return { region, ...(await settingsFor(db, deps.regions, region)) };
    },
  );

  app.get(
    '/api/v1/assistance/categories',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Problem categories with the default handling department of the region',
        querystring: z.object({ region: z.string().max(16).optional() }),
        response: ok,
      },
    },
    async (req) => {
      const region = req.query.region ?? req.auth!.scope.rootRegion ?? '410100';
      const st = await settingsFor(db, deps.regions, region);
      const ids = Object.values(st.categoryOrgs).filter((x): x is string => !!x);
      const names = ids.length ? await db.select().from(orgs).where(inArray(orgs.id, ids)) : [];
      return CATEGORIES.map((c) => {
        const orgId = st.categoryOrgs[c.code] ?? null;
        return {
          code: c.code,
          label: { 'zh-CN': c.zh, en: c.en },
          defaultOrgId: orgId,
          defaultOrgName: names.find((o) => o.id === orgId)?.name ?? null,
        };
      });
    },
  );

  // ------------------------------------------------------------ groups, cadres, pairings, coverage

  app.get(
    '/api/v1/assistance/groups',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Work groups in scope',
        querystring: z.object({ region: z.string().max(16).optional(), q: z.string().max(100).optional() }),
        response: ok,
      },
    },
    async (req) => {
      const c = await caller(req);
      const region = req.query.region ? deps.regions.subtree(req.query.region) : undefined;
      return svc.listGroups(db, c, { region, q: req.query.q });
    },
  );

  app.post(
    '/api/v1/assistance/groups',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Create a work group with its cadres',
        body: z
          .object({
            regionCode: z.string().max(16),
            name: text(100, 2),
            leaderName: text(50),
            members: z
              .array(
                z
                  .object({
                    name: text(50),
                    org: text(100),
                    phone: z
                      .string()
                      .regex(/^1\d{10}$/)
                      .optional(),
                  })
                  .strict(),
              )
              .max(500)
              .default([]),
          })
          .strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      return idempotent(req, reply, async (tx) => ({
        status: 201,
        body: await svc.createGroup(deps, tx, c, req.actor(), req.body),
      }));
    },
  );

  app.get(
    '/api/v1/assistance/groups/:id',
    {
      config: { access: 'assistance:read', entity: 'assistance_group' },
      schema: { tags: ['assistance'], summary: 'A work group with its cadres', params: uuidParam, response: ok },
    },
    async (req) => svc.groupDetail(db, await caller(req), req.params.id),
  );

  app.get(
    '/api/v1/assistance/pairings',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Cadre ↔ enterprise pairings in scope',
        querystring: pairingListQuery,
        response: ok,
      },
    },
    async (req) => {
      const out = await svc.listPairings(db, await caller(req), req.query);
      return pageOf(out.items, out.total, req.query);
    },
  );

  app.post(
    '/api/v1/assistance/pairings',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Pair a cadre with an enterprise',
        body: z
          .object({ cadreId: z.uuid(), enterpriseId: z.uuid(), fromOn: day, toOn: day.nullable().optional() })
          .strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      return idempotent(req, reply, async (tx) => ({
        status: 201,
        body: await svc.createPairing(deps, tx, c, req.actor(), req.body),
      }));
    },
  );

  app.get(
    '/api/v1/assistance/pairings/template.xlsx',
    {
      config: { access: 'assistance:manage' },
      schema: { tags: ['assistance'], summary: 'The pairing import template (.xlsx)' },
    },
    async (_req, reply) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('包联名单');
      ws.columns = PAIRING_HEADERS.map((h) => ({ header: h, width: Math.max(14, h.length * 2.4) }));
      ws.getRow(1).font = { bold: true };
      ws.addRow(['张三', '惠济区科工信局', '惠济区万人助万企第一工作组', '', '某某有限公司', '2023-01-01', '']);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="pairings.xlsx"; filename*=UTF-8''${encodeURIComponent('包联名单导入模板.xlsx')}`,
        )
        .send(Buffer.from(await wb.xlsx.writeBuffer()));
    },
  );

  app.post(
    '/api/v1/assistance/pairings/import',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Import pairings from .xlsx (row-level errors; all rows or none)',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ imported: z.number(), unchanged: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      if (bytes.subarray(0, 2).toString('latin1') !== 'PK')
        throw new AppError('UNSUPPORTED_FILE_TYPE', { allowed: 'xlsx' });
      const c = await caller(req);
      return db.transaction((tx) => importPairings(deps, tx, c, req.actor(), bytes));
    },
  );

  app.delete(
    '/api/v1/assistance/pairings/:id',
    {
      config: { access: 'assistance:manage', entity: 'assistance_pairing' },
      schema: { tags: ['assistance'], summary: 'Remove a pairing', params: uuidParam, response: ok },
    },
    async (req) => {
      const c = await caller(req);
      await db.transaction((tx) => svc.deletePairing(deps, tx, c, req.actor(), req.params.id));
      return { ok: true };
    },
  );

  app.get(
    '/api/v1/assistance/coverage',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Coverage: paired / in-scope enterprises, cadres, visits, symposia, cadres without a visit',
        querystring: z.object({ region: z.string().max(16).optional(), from: day.optional(), to: day.optional() }),
        response: ok,
      },
    },
    async (req) => {
      const region = regionOf(req, req.query.region);
      const to = req.query.to ?? today();
      const from = req.query.from ?? '2021-06-01';
      return { region, ...(await svc.coverage(db, deps.regions.subtree(region), from, to)) };
    },
  );

  app.post(
    '/api/v1/assistance/cadres/:id/no-visit-reason',
    {
      config: { access: 'assistance:visit', entity: 'assistance_cadre' },
      schema: {
        tags: ['assistance'],
        summary: 'Record why a cadre made no visit in a period',
        params: uuidParam,
        body: z.object({ from: day, to: day, reason: text(500, 2) }).strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      const row = await db.transaction((tx) =>
        svc.recordNoVisitReason(deps, tx, c, req.actor(), req.params.id, req.body),
      );
      reply.status(201);
      return row;
    },
  );

  // ------------------------------------------------------------ visits

  app.get(
    '/api/v1/assistance/visits',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Visits and symposia in scope',
        querystring: visitListQuery,
        response: ok,
      },
    },
    async (req) => {
      const out = await svc.listVisits(db, await caller(req), req.query);
      return pageOf(out.items, out.total, req.query);
    },
  );

  app.post(
    '/api/v1/assistance/visits',
    {
      config: { access: 'assistance:visit' },
      schema: {
        tags: ['assistance'],
        summary: 'Log a visit or symposium (warnings for the visit cap and the prefer-online wish, not refusals)',
        body: z
          .object({
            kind: z.enum(['visit', 'symposium']),
            date: day,
            enterpriseIds: z.array(z.uuid()).min(1).max(200),
            participants: z.array(text(100)).max(100).default([]),
            notes: z.string().trim().max(5000).default(''),
            photoFileIds: z.array(z.uuid()).max(20).default([]),
            location: z
              .object({
                lat: z.number().min(-90).max(90),
                lng: z.number().min(-180).max(180),
                accuracy: z.number().min(0).max(100_000),
                consent: z.literal(true),
              })
              .strict()
              .optional(),
            followUps: z.array(text(500)).max(50).default([]),
          })
          .strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      if (req.body.date > today()) throw new AppError('DATE_IN_FUTURE');
      const c = await caller(req);
      return idempotent(req, reply, async (tx) => {
        const out = await svc.createVisit(deps, tx, c, req.actor(), req.body, localeOf(req));
        return { status: 201, body: { ...out.visit, warnings: out.warnings } };
      });
    },
  );

  app.get(
    '/api/v1/assistance/enterprises/:id/calendar',
    {
      config: { access: 'assistance:read', entity: 'enterprise' },
      schema: {
        tags: ['assistance'],
        summary: 'Every visit to one enterprise across departments (无事不扰)',
        params: uuidParam,
        querystring: z.object({ from: day.optional(), to: day.optional() }),
        response: ok,
      },
    },
    async (req) => {
      const to = req.query.to ?? today();
      const from = req.query.from ?? `${to.slice(0, 4)}-01-01`;
      return svc.enterpriseCalendar(deps, db, await caller(req), req.params.id, from, to);
    },
  );

  app.put(
    '/api/v1/assistance/enterprises/:id/preferences',
    {
      config: { access: 'assistance:read', entity: 'enterprise' },
      schema: {
        tags: ['assistance'],
        summary: "The enterprise's contact preference (the firm itself or an administrator)",
        params: uuidParam,
        body: z.object({ preferOnline: z.boolean() }).strict(),
        response: ok,
      },
    },
    async (req) => {
      const c = await caller(req);
      return db.transaction((tx) => svc.setPreferences(deps, tx, c, req.actor(), req.params.id, req.body));
    },
  );

  // ------------------------------------------------------------ problems

  app.get(
    '/api/v1/assistance/problems',
    {
      config: { access: 'assistance:read' },
      schema: { tags: ['assistance'], summary: 'Problems in scope', querystring: problemListQuery, response: ok },
    },
    async (req) => {
      const c = await caller(req);
      const q = req.query;
      const out = await problems.listProblems(db, c, problemFilterOf(deps, q), q, today());
      return pageOf(out.items, out.total, q);
    },
  );

  app.get(
    '/api/v1/assistance/problems/duplicates',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Possible duplicates: same firm, same category, similar text',
        querystring: z.object({
          enterpriseId: z.uuid().optional(),
          category: z.enum(CATEGORY_CODES).optional(),
          text: text(2000, 2),
        }),
        response: ok,
      },
    },
    async (req) => {
      const c = await caller(req);
      const enterpriseId = c.role === 'enterprise' ? c.enterpriseId : req.query.enterpriseId;
      if (!enterpriseId) return [];
      return problems.findDuplicates(db, c, { enterpriseId, category: req.query.category, text: req.query.text });
    },
  );

  app.post(
    '/api/v1/assistance/problems',
    {
      config: { access: 'assistance:submit' },
      schema: {
        tags: ['assistance'],
        summary: 'Submit a problem (honours Idempotency-Key); returns duplicate suggestions',
        body: z
          .object({
            enterpriseId: z.uuid().optional(),
            source: z.enum(['cadre', 'enterprise', 'symposium', 'hotline']).default('cadre'),
            category: z.enum(CATEGORY_CODES),
            title: text(200, 2),
            description: z.string().trim().max(5000).default(''),
            priority: z.enum(['normal', 'high', 'urgent']).optional(),
            complexity: z.enum(['ordinary', 'complex']).optional(),
            attachmentFileIds: z.array(z.uuid()).max(20).optional(),
          })
          .strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      return idempotent(req, reply, async (tx) => {
        const out = await problems.createProblem(deps, tx, c, req.actor(), req.body);
        const detail = await problems.problemDetail(deps, tx, c, out.problem.id);
        return { status: 201, body: { ...detail, duplicates: out.duplicates } };
      });
    },
  );

  app.get(
    '/api/v1/assistance/problems/:id',
    {
      config: { access: 'assistance:read', entity: 'assistance_problem' },
      schema: {
        tags: ['assistance'],
        summary: 'A problem with its timeline, deadlines and the actions the caller may take',
        params: uuidParam,
        response: ok,
      },
    },
    async (req) => problems.problemDetail(deps, db, await caller(req), req.params.id),
  );

  app.get(
    '/api/v1/assistance/problems/:id/attachments/:fileId',
    {
      config: { access: 'assistance:read', entity: 'assistance_problem' },
      schema: {
        tags: ['assistance'],
        summary:
          'An attachment (photo) of a problem, for everyone who may see the problem (the handling department included)',
        params: z.object({ id: z.uuid(), fileId: z.uuid() }),
      },
    },
    async (req, reply) => {
      const p = await problems.loadVisible(db, await caller(req), req.params.id);
      if (!p.attachmentFileIds.includes(req.params.fileId)) throw new AppError('NOT_FOUND');
      const [row] = await db.select().from(files).where(eq(files.id, req.params.fileId));
      if (!row) throw new AppError('NOT_FOUND');
      const bytes = await deps.files.read(row.sha256);
      return reply
        .header('content-type', row.mime)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=300')
        .header(
          'content-disposition',
          `inline; filename="file"; filename*=UTF-8''${encodeURIComponent(row.originalName)}`,
        )
        .send(bytes);
    },
  );

  const version = z.number().int().min(1);
  const actionBody = z.discriminatedUnion('action', [
    z
      .object({
        action: z.literal('assign'),
        version,
        orgId: z.uuid().optional(),
        handlerUserId: z.uuid().optional(),
        complexity: z.enum(['ordinary', 'complex']).optional(),
      })
      .strict(),
    z.object({ action: z.literal('accept'), version }).strict(),
    z.object({ action: z.literal('feedback'), version, note: text(2000) }).strict(),
    z
      .object({ action: z.literal('resolve'), version, answer: text(5000, 2), closureCode: z.enum(CLOSURE_CODES) })
      .strict(),
    z
      .object({
        action: z.literal('rate'),
        version,
        rating: z.enum(RATINGS),
        comment: z.string().trim().max(1000).optional(),
      })
      .strict(),
    z.object({ action: z.literal('close'), version }).strict(),
    z.object({ action: z.literal('transfer'), version, orgId: z.uuid(), reason: text(500, 2) }).strict(),
    z.object({ action: z.literal('return'), version, reason: text(500, 2) }).strict(),
    z
      .object({
        action: z.literal('request_extension'),
        version,
        days: z.number().int().min(1).max(90),
        reason: text(500, 2),
      })
      .strict(),
    z.object({ action: z.literal('approve_extension'), version }).strict(),
    z.object({ action: z.literal('reject_extension'), version, reason: text(500, 2) }).strict(),
    z
      .object({
        action: z.literal('stop_clock'),
        version,
        reason: z.enum(['awaiting_firm_materials', 'awaiting_other_department']),
        note: text(500),
      })
      .strict(),
    z.object({ action: z.literal('resume_clock'), version }).strict(),
    z.object({ action: z.literal('escalate'), version, note: text(500) }).strict(),
    z.object({ action: z.literal('withdraw'), version, reason: z.string().trim().max(500).optional() }).strict(),
  ]);

  app.post(
    '/api/v1/assistance/problems/:id/actions',
    {
      config: { access: 'assistance:read', entity: 'assistance_problem' },
      schema: {
        tags: ['assistance'],
        summary: 'A workflow action (illegal transition → 409 ASSISTANCE_ACTION_INVALID; stale version → 409)',
        params: uuidParam,
        body: actionBody,
        response: ok,
      },
    },
    async (req) => {
      const c = await caller(req);
      const row = await db.transaction((tx) => problems.applyAction(deps, tx, c, req.actor(), req.params.id, req.body));
      try {
        return await problems.problemDetail(deps, db, c, req.params.id);
      } catch (e) {
        // a return or transfer can take the problem out of the caller's sight: answer what changed
        if (e instanceof AppError && e.code === 'NOT_FOUND') {
          return { id: row.id, code: row.code, status: row.status, version: row.version, visible: false };
        }
        throw e;
      }
    },
  );

  app.get(
    '/api/v1/assistance/handlers',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Active department handlers of an org the caller may assign to (for the 交办 form)',
        querystring: z.object({ orgId: z.uuid() }),
        response: ok,
      },
    },
    async (req) => problems.handlersFor(db, deps, await caller(req), req.query.orgId),
  );

  // ------------------------------------------------------------ common issues

  app.get(
    '/api/v1/assistance/common-issues',
    {
      config: { access: 'assistance:read' },
      schema: { tags: ['assistance'], summary: 'Common issues (similar problems across firms)', response: ok },
    },
    async (req) => svc.listCommonIssues(db, await caller(req)),
  );

  app.post(
    '/api/v1/assistance/common-issues',
    {
      config: { access: 'assistance:manage' },
      schema: {
        tags: ['assistance'],
        summary: 'Group problems into a common issue with its own owner',
        body: z
          .object({
            title: text(200, 2),
            ownerOrgId: z.uuid(),
            problemIds: z.array(z.uuid()).min(1).max(500),
            regionCode: z.string().max(16).optional(),
          })
          .strict(),
        response: { 201: z.unknown(), ...errorResponses },
      },
    },
    async (req, reply) => {
      const c = await caller(req);
      return idempotent(req, reply, async (tx) => ({
        status: 201,
        body: await svc.createCommonIssue(deps, tx, c, req.actor(), req.body),
      }));
    },
  );

  app.get(
    '/api/v1/assistance/common-issues/:id',
    {
      config: { access: 'assistance:read', entity: 'assistance_common_issue' },
      schema: { tags: ['assistance'], summary: 'A common issue and its problems', params: uuidParam, response: ok },
    },
    async (req) => svc.commonIssueDetail(db, await caller(req), req.params.id),
  );

  app.post(
    '/api/v1/assistance/common-issues/:id/batch',
    {
      config: { access: 'assistance:handle', entity: 'assistance_common_issue' },
      schema: {
        tags: ['assistance'],
        summary: '批处理: resolve or report on every open problem of the issue in one transaction',
        params: uuidParam,
        body: z.discriminatedUnion('action', [
          z
            .object({
              action: z.literal('resolve'),
              answer: text(5000, 2),
              closureCode: z.enum(['resolved', 'partly_resolved', 'explained_policy_limit', 'explained_not_our_remit']),
            })
            .strict(),
          z.object({ action: z.literal('feedback'), note: text(2000) }).strict(),
        ]),
        response: ok,
      },
    },
    async (req) => {
      const c = await caller(req);
      return db.transaction((tx) => svc.batchCommonIssue(deps, tx, c, req.actor(), req.params.id, req.body));
    },
  );

  // ------------------------------------------------------------ KPIs and rankings

  app.get(
    '/api/v1/assistance/kpis',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary:
          'KPIs from rows: collected, resolved, 解决率, 按期办结率, 满意率, overdue … (rates are fractions truncated to 4 places)',
        querystring: kpiQuery,
        response: ok,
      },
    },
    async (req) => kpiReport(deps, await caller(req), req.query, today()),
  );

  app.get(
    '/api/v1/assistance/rankings',
    {
      config: { access: 'assistance:read' },
      schema: {
        tags: ['assistance'],
        summary: 'Rankings of districts or departments with n; units under the minimum sample are not ranked',
        querystring: rankingQuery,
        response: ok,
      },
    },
    async (req) => {
      if (req.auth!.scope.kind !== 'region' || !can(req.auth!.user.role, 'assistance:read')) {
        throw new AppError('FORBIDDEN');
      }
      return rankingReport(deps, req.auth!.scope, req.query, today());
    },
  );

  await assistanceExportRoutes(base);
}
