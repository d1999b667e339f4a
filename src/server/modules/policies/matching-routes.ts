/**
 * HTTP routes of policy matching, push funnel, simulator (政策沙盘), 免申即享 payouts, 快申 applications and the
 * enterprise portal (issue #5). Jobs: policies.match (on publish / rematch), policies.match-all (nightly),
 * policies.rematch-enterprise (facts changed).
 */

import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BATCH_ACTIONS } from '../../../domain/payouts.ts';
import { applicationOpen } from '../../../domain/policies.ts';
import { FormulaError, formatPath, ruleIssues } from '../../../domain/rules/index.ts';
import type { Rule } from '../../../domain/rules/types.ts';
import { enterprises, payouts, policies, policyMatches } from '../../db/schema/index.ts';
import { SYSTEM_ACTOR } from '../../platform/audit.ts';
import { requireStepUp } from '../../platform/auth.ts';
import { AppError, localeOf } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { likePattern, pageOf, pageQuery, pageSchema } from '../../platform/paging.ts';
import { errorResponses, iso, uuidParam } from '../../platform/schemas.ts';
import { onEnterprisesImported, onFactsRecomputed } from '../enterprises/facts.ts';
import * as apps from './applications.ts';
import * as m from './matching.ts';
import * as pay from './payouts.ts';
import { myPolicies, reasonsOf } from './portal.ts';
import { simulate } from './simulator.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)
const missingSchema = z.object({
  fact: z.string(),
  label: z.string(),
  source: z.string(),
  /** The firm has the figure, but only from a source below the clause's demand (需核实; decision 0018). */
  needsVerification: z.boolean(),
});
const funnelSchema = z.object({
  matched: z.number(),
  unknown: z.number(),
  notified: z.number(),
  read: z.number(),
  applied: z.number(),
  approved: z.number(),
  paid: z.number(),
  paidAmount: z.number(),
});
const matchRow = z.object({
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  uscc: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  parkName: z.string().nullable(),
  clauseId: z.string(),
  result: z.enum(['eligible', 'ineligible', 'unknown']),
  amount: z.number().nullable(),
  missing: z.array(missingSchema),
  notifiedAt: z.string().nullable(),
  readAt: z.string().nullable(),
});
const ruleSchema = z.custom<Rule>((v) => typeof v === 'object' && v !== null, { message: 'rule' });
const bucket = z.object({
  code: z.string(),
  name: z.string(),
  population: z.number(),
  eligible: z.number(),
  costYuan: z.number(),
});
const payoutSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  batchNumber: z.number(),
  batchStatus: z.string(),
  policyId: z.string(),
  policyTitle: z.string(),
  docNo: z.string(),
  clauseId: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  uscc: z.string(),
  amountYuan: z.number(),
  status: z.string(),
  consent: z.string(),
  bankAccount: z.string().nullable(),
  removedReason: z.string().nullable(),
  failureReason: z.string().nullable(),
  publicityEndsOn: z.string().nullable(),
  openObjections: z.number(),
  approvedAt: z.string().nullable(),
  paidAt: z.string().nullable(),
});
const objectionSchema = z.object({
  id: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'upheld', 'dismissed']),
  filedAt: z.string(),
  decidedAt: z.string().nullable(),
  /** The decision note (null while open). */
  decision: z.string().nullable(),
});
const batchSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  number: z.number(),
  status: z.string(),
  publicityDays: z.number(),
  publicityDayMode: z.string(),
  publicityStartsOn: z.string().nullable(),
  publicityEndsOn: z.string().nullable(),
  disbursementRef: z.string().nullable(),
  disbursedAt: z.string().nullable(),
  createdAt: z.string(),
  payouts: z.number(),
  totalYuan: z.number(),
  excluded: z.array(
    z.object({ enterpriseId: z.string(), enterpriseName: z.string(), clauseId: z.string(), reason: z.string() }),
  ),
});
const applicationSchema = z.object({
  id: z.string(),
  policyId: z.string(),
  policyTitle: z.string(),
  docNo: z.string(),
  enterpriseId: z.string(),
  enterpriseName: z.string(),
  uscc: z.string(),
  status: z.enum(['submitted', 'approved', 'rejected', 'returned']),
  factsYear: z.number().nullable(),
  facts: z.record(z.string(), z.unknown()),
  note: z.string(),
  attachmentIds: z.array(z.string()),
  reasons: z.string().nullable(),
  amountYuan: z.number().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
const portalItem = z.object({
  policyId: z.string(),
  title: z.string(),
  docNo: z.string(),
  issuerName: z.string(),
  channel: z.string(),
  applyTo: z.string().nullable(),
  publishedOn: z.string().nullable(),
  /** Whether the firm may apply today (always true for 免申即享: nothing to apply for). */
  applicationOpen: z.boolean(),
  amount: z.number().nullable(),
  reasons: z.array(z.string()),
  missing: z.array(missingSchema),
});

type PayoutRow = Awaited<ReturnType<typeof pay.payoutsOf>>['rows'][number];
const presentPayout = (r: PayoutRow) => ({
  id: r.p.id,
  batchId: r.p.batchId,
  batchNumber: r.batchNumber,
  batchStatus: r.batchStatus,
  policyId: r.p.policyId,
  policyTitle: r.policyTitle,
  docNo: r.docNo,
  clauseId: r.p.clauseId,
  enterpriseId: r.p.enterpriseId,
  enterpriseName: r.enterpriseName,
  uscc: r.uscc,
  amountYuan: Number(r.p.amountYuan),
  status: r.p.status,
  consent: r.p.consent,
  bankAccount: r.p.bankAccountLast4 ? `****${r.p.bankAccountLast4}` : null,
  removedReason: r.p.removedReason,
  failureReason: r.p.failureReason,
  publicityEndsOn: r.publicityEndsOn,
  openObjections: r.openObjections,
  approvedAt: iso(r.p.approvedAt),
  paidAt: iso(r.p.paidAt),
});
type AppRow = Awaited<ReturnType<typeof apps.listApplications>>['rows'][number];
const presentApp = (r: AppRow) => ({
  id: r.a.id,
  policyId: r.a.policyId,
  policyTitle: r.policyTitle,
  docNo: r.docNo,
  enterpriseId: r.a.enterpriseId,
  enterpriseName: r.enterpriseName,
  uscc: r.uscc,
  status: r.a.status,
  factsYear: r.a.factsYear,
  facts: r.a.facts,
  note: r.a.note,
  attachmentIds: r.a.attachmentIds,
  reasons: r.a.reasons,
  amountYuan: r.a.amountYuan === null ? null : Number(r.a.amountYuan),
  createdAt: r.a.createdAt.toISOString(),
  decidedAt: iso(r.a.decidedAt),
});

export async function policyMatchingRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => m.todayShanghai(deps.clock.now());
  m.bindMatchingDeps(deps);

  deps.jobs.register(m.JOB_MATCH, async (ctx) => {
    const policyId = String(ctx.payload.policyId);
    const asOf = typeof ctx.payload.asOf === 'string' ? ctx.payload.asOf : today();
    const r = await m.matchPolicy(deps, policyId, asOf, (p, msg) => ctx.progress(p, msg));
    return { ...r };
  });
  deps.jobs.register(
    m.JOB_MATCH_ALL,
    async (ctx) => {
      const asOf = typeof ctx.payload.day === 'string' ? ctx.payload.day : today();
      // one read of the whole population, shared by every published policy (decision 0015)
      const r = await m.matchAll(deps, asOf, (p, msg) => ctx.progress(p, msg));
      return { ...r };
    },
    { daily: true },
  );
  deps.jobs.register(m.JOB_REMATCH_ENTERPRISE, async (ctx) => {
    const id = String(ctx.payload.enterpriseId);
    const r = await db.transaction((tx) => m.rematchEnterprise(tx, deps, id, today()));
    return r;
  });
  // facts changed: a rematch job recorded in the same transaction (only when published policies exist)
  // a bulk import succeeded: one nightly-style rematch (only results that changed are written)
  onEnterprisesImported(async (importJobId) => {
    const res = await db.execute(sql`select 1 from policies where status = 'published' limit 1`);
    if ((res as unknown as { rows: unknown[] }).rows.length === 0) return;
    const jobId = await db.transaction((tx) =>
      deps.jobs.record(tx, SYSTEM_ACTOR, m.JOB_MATCH_ALL, { reason: 'import', importJobId }, null),
    );
    await deps.jobs.dispatch(jobId);
  });
  onFactsRecomputed(async (ex, enterpriseId) => {
    const res = await ex.execute(sql`select 1 from policies where status = 'published' limit 1`);
    if ((res as unknown as { rows: unknown[] }).rows.length === 0) return;
    const jobId = await deps.jobs.record(ex, SYSTEM_ACTOR, m.JOB_REMATCH_ENTERPRISE, { enterpriseId }, null);
    m.dispatchWhenCommitted(deps, jobId);
  });

  const locale = (req: FastifyRequest) => localeOf(req);
  async function policyInScope(req: FastifyRequest, id: string, mode: 'read' | 'manage' = 'read') {
    const scope = req.auth!.scope;
    const [p] = await db
      .select()
      .from(policies)
      .where(and(eq(policies.id, id), mode === 'read' ? m.policyReadWhere(scope) : m.policyManageWhere(scope)));
    if (!p) throw new AppError('NOT_FOUND');
    return p;
  }

  app.get(
    '/api/v1/policies/:id/funnel',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'Push funnel: enterprises matched, unknown, notified, read, applied, approved, paid (caller scope)',
        params: uuidParam,
        response: { 200: funnelSchema, ...errorResponses },
      },
    },
    async (req) => {
      await policyInScope(req, req.params.id);
      return m.funnel(db, req.auth!.scope, req.params.id);
    },
  );

  app.get(
    '/api/v1/policies/:id/matches',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'Matching results per clause and enterprise (caller scope), with missing facts and their holders',
        params: uuidParam,
        querystring: pageQuery.extend({
          result: z.enum(['eligible', 'ineligible', 'unknown']).optional(),
          region: z.string().max(16).optional(),
          clauseId: z.uuid().optional(),
        }),
        response: { 200: pageSchema(matchRow), ...errorResponses },
      },
    },
    async (req) => {
      await policyInScope(req, req.params.id);
      const q = req.query;
      const conds: SQL[] = [
        eq(policyMatches.policyId, req.params.id),
        m.recordWhere(req.auth!.scope, {
          region: policyMatches.regionCode,
          enterpriseOrg: enterprises.orgId,
          policyId: policyMatches.policyId,
        }),
      ];
      if (q.result) conds.push(eq(policyMatches.result, q.result));
      if (q.clauseId) conds.push(eq(policyMatches.clauseId, q.clauseId));
      if (q.region) {
        const sub = deps.regions.subtree(q.region);
        conds.push(sub.length ? sql`${policyMatches.regionCode} in ${sub}` : sql`false`);
      }
      if (q.q) {
        const like = likePattern(q.q);
        conds.push(
          sql`(${enterprises.name} ilike ${like} or ${enterprises.uscc} ilike ${like} or ${enterprises.nameInitials} ilike ${like})`,
        );
      }
      const where = and(...conds);
      const rows = await db
        .select({
          m: policyMatches,
          name: enterprises.name,
          uscc: enterprises.uscc,
          parkName: sql<
            string | null
          >`(select p.name from tenancies t join parks p on p.id = t.park_id where t.enterprise_id = ${enterprises.id} and t.status = 'active' limit 1)`,
        })
        .from(policyMatches)
        .innerJoin(enterprises, eq(enterprises.id, policyMatches.enterpriseId))
        .where(where)
        .orderBy(enterprises.name, policyMatches.clauseId)
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const [t] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(policyMatches)
        .innerJoin(enterprises, eq(enterprises.id, policyMatches.enterpriseId))
        .where(where);
      const loc = locale(req);
      return pageOf(
        rows.map((r) => ({
          enterpriseId: r.m.enterpriseId,
          enterpriseName: r.name,
          uscc: r.uscc,
          regionCode: r.m.regionCode,
          regionName: deps.regions.get(r.m.regionCode)?.name ?? r.m.regionCode,
          parkName: r.parkName,
          clauseId: r.m.clauseId,
          result: r.m.result,
          amount: r.m.amountYuan === null ? null : Number(r.m.amountYuan),
          missing: m.describeMissing(r.m.missing ?? [], loc),
          notifiedAt: iso(r.m.notifiedAt),
          readAt: iso(r.m.readAt),
        })),
        t?.n ?? 0,
        q,
      );
    },
  );

  app.get(
    '/api/v1/policies/:id/matches/:enterpriseId',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'One enterprise against every clause of a policy, with the trace and human reasons',
        params: z.object({ id: z.uuid(), enterpriseId: z.uuid() }),
        response: {
          200: z.object({
            policyId: z.string(),
            enterpriseId: z.string(),
            clauses: z.array(
              z.object({
                clauseId: z.string(),
                title: z.string(),
                result: z.string().nullable(),
                amount: z.number().nullable(),
                factsYear: z.number().nullable(),
                minSource: z.enum(['official', 'verified_on_site']).nullable(),
                missing: z.array(missingSchema),
                reasons: z.array(z.string()),
                trace: z.unknown(),
                facts: z.array(
                  z.object({
                    fact: z.string(),
                    label: z.string(),
                    value: z.union([z.number(), z.string(), z.boolean()]).nullable(),
                    source: z.string(),
                    sourceLabel: z.string(),
                    trust: z.number().nullable(),
                  }),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const p = await policyInScope(req, req.params.id);
      const [e] = await db.select().from(enterprises).where(eq(enterprises.id, req.params.enterpriseId));
      if (!e || !m.recordVisible(req.auth!.scope, e.regionCode, [e.orgId, p.issuerOrgId]))
        throw new AppError('NOT_FOUND');
      const d = await m.matchDetail(db, req.params.id, e.id, today(), locale(req));
      if (!d) throw new AppError('NOT_FOUND');
      const { policyClauses } = await import('../../db/schema/index.ts');
      const cls = await db.select().from(policyClauses).where(eq(policyClauses.policyId, req.params.id));
      return {
        policyId: req.params.id,
        enterpriseId: e.id,
        clauses: d.clauses.map((c) => ({
          ...c,
          reasons: reasonsOf(cls.find((x) => x.id === c.clauseId)!.eligibility as Rule, c.trace, locale(req)),
        })),
      };
    },
  );

  app.post(
    '/api/v1/policies/:id/rematch',
    {
      config: { access: 'policies:manage', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'Re-run matching for a policy now (a job; progress under /api/v1/jobs/:id)',
        params: uuidParam,
        body: z.object({ asOf: day.optional() }).strict().optional(),
        response: { 202: z.object({ jobId: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const p = await policyInScope(req, req.params.id, 'manage');
      const jobId = await db.transaction((tx) =>
        deps.jobs.record(
          tx,
          req.actor(),
          m.JOB_MATCH,
          { policyId: p.id, ...(req.body?.asOf ? { asOf: req.body.asOf } : {}) },
          p.regionCode,
        ),
      );
      await deps.jobs.dispatch(jobId);
      return reply.status(202).send({ jobId });
    },
  );

  app.post(
    '/api/v1/policies/simulate',
    {
      config: { access: 'policies:manage' },
      schema: {
        tags: ['policies'],
        summary:
          '政策沙盘: a draft clause on the real population of the caller scope (counts, cost, breakdowns, near-misses)',
        body: z
          .object({
            clause: z.object({
              eligibility: ruleSchema,
              amountFormula: z.string().max(2000).nullable().optional(),
              capYuan: z.number().nonnegative().nullable().optional(),
              floorYuan: z.number().nonnegative().nullable().optional(),
              factsYear: z.enum(['previous', 'current']).optional(),
              minSource: z.enum(['official', 'verified_on_site']).nullable().optional(),
            }),
            regionCode: z.string().max(16).optional(),
            asOf: day.optional(),
          })
          .strict(),
        response: {
          200: z.object({
            asOf: z.string(),
            population: z.number(),
            eligible: z.number(),
            unknown: z.number(),
            ineligible: z.number(),
            totalCostYuan: z.number(),
            byDistrict: z.array(bucket),
            byPark: z.array(bucket),
            bySize: z.array(bucket),
            byIndustry: z.array(bucket),
            nearMisses: z.array(
              z.object({
                path: z.string(),
                description: z.string(),
                count: z.number(),
                examples: z.array(z.object({ enterpriseId: z.string(), name: z.string() })),
              }),
            ),
            ms: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const issues = ruleIssues(req.body.clause.eligibility);
      if (issues.length)
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          {
            fields: issues.map((e) => ({
              field: `body.clause.eligibility${e.path.length ? `.${formatPath(e.path)}` : ''}`,
              message: e.message,
            })),
          },
        );
      try {
        return await simulate(
          deps,
          db,
          req.auth!.scope,
          { clause: req.body.clause, regionCode: req.body.regionCode, asOf: req.body.asOf ?? today() },
          locale(req),
        );
      } catch (e) {
        if (e instanceof FormulaError)
          throw new AppError(
            'VALIDATION_FAILED',
            {},
            { fields: [{ field: 'body.clause.amountFormula', message: e.message }] },
          );
        throw e;
      }
    },
  );

  // ── 免申即享 payouts ──────────────────────────────────────────────────────────
  app.post(
    '/api/v1/policies/:id/payouts/generate',
    {
      config: { access: 'policies:payout', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary:
          '免申即享: a draft payout batch from the current eligible matches (blacklist, stacking, once-per-firm)',
        params: uuidParam,
        response: {
          201: z.object({ id: z.string(), number: z.number(), payouts: z.number(), excluded: z.number() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 201,
        body: await pay.generateBatch(tx, deps, req.actor(), req.auth!.scope, req.params.id, today()),
      })),
  );

  app.get(
    '/api/v1/policies/:id/payout-batches',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        params: uuidParam,
        response: { 200: z.object({ items: z.array(batchSchema) }), ...errorResponses },
      },
    },
    async (req) => {
      const rows = await pay.listBatches(db, req.auth!.scope, req.params.id);
      return {
        items: rows.map((r) => ({
          id: r.b.id,
          policyId: r.b.policyId,
          number: r.b.number,
          status: r.b.status,
          publicityDays: r.b.publicityDays,
          publicityDayMode: r.b.publicityDayMode,
          publicityStartsOn: r.b.publicityStartsOn,
          publicityEndsOn: r.b.publicityEndsOn,
          disbursementRef: r.b.disbursementRef,
          disbursedAt: iso(r.b.disbursedAt),
          createdAt: r.b.createdAt.toISOString(),
          payouts: r.payouts,
          totalYuan: Number(r.totalYuan),
          excluded: r.b.excluded,
        })),
      };
    },
  );

  app.get(
    '/api/v1/payout-batches/:id',
    {
      config: { access: 'policies:read', entity: 'payout_batch' },
      schema: {
        tags: ['policies'],
        params: uuidParam,
        querystring: pageQuery.extend({
          status: z.enum(['pending', 'approved', 'paid', 'failed', 'removed', 'declined']).optional(),
        }),
        response: {
          200: batchSchema.extend({
            policyTitle: z.string(),
            docNo: z.string(),
            /** The policy's budget in 元 (decimal strings): cap null = uncapped, then remaining is null too. */
            budgetCapYuan: z.string().nullable(),
            committedYuan: z.string(),
            remainingYuan: z.string().nullable(),
            items: pageSchema(payoutSchema.extend({ objections: z.array(objectionSchema) })),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { b, policyTitle, docNo } = await pay.batchById(db, req.auth!.scope, req.params.id);
      const where = and(eq(payouts.batchId, b.id), req.query.status ? eq(payouts.status, req.query.status) : undefined);
      const { rows, total } = await pay.payoutsOf(db, where, req.query);
      const [sum] = await db
        .select({
          n: sql<number>`count(*)::int`,
          total: sql<string>`coalesce(sum(${payouts.amountYuan}) filter (where ${payouts.status} not in ('removed', 'declined', 'failed')), 0)::text`,
        })
        .from(payouts)
        .where(eq(payouts.batchId, b.id));
      const budget = await pay.budgetOf(db, b.policyId);
      const objections = await pay.objectionsOf(
        db,
        rows.map((r) => r.p.id),
      );
      return {
        id: b.id,
        policyId: b.policyId,
        policyTitle,
        docNo,
        number: b.number,
        status: b.status,
        publicityDays: b.publicityDays,
        publicityDayMode: b.publicityDayMode,
        publicityStartsOn: b.publicityStartsOn,
        publicityEndsOn: b.publicityEndsOn,
        disbursementRef: b.disbursementRef,
        disbursedAt: iso(b.disbursedAt),
        createdAt: b.createdAt.toISOString(),
        payouts: sum?.n ?? 0,
        totalYuan: Number(sum?.total ?? 0),
        excluded: b.excluded,
        ...budget,
        items: pageOf(
          rows.map((r) => ({ ...presentPayout(r), objections: objections.get(r.p.id) ?? [] })),
          total,
          req.query,
        ),
      };
    },
  );

  app.post(
    '/api/v1/payout-batches/:id/transition',
    {
      config: { access: 'policies:payout', entity: 'payout_batch' },
      schema: {
        tags: ['policies'],
        summary: 'Batch workflow: review → publish (公示) → close_publicity; cancel before publicity',
        params: uuidParam,
        body: z.object({ action: z.enum(BATCH_ACTIONS) }).strict(),
        response: { 200: z.object({ id: z.string(), status: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.transitionBatch(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.body.action,
          today(),
        ),
      })),
  );

  app.post(
    '/api/v1/payout-batches/:id/disburse',
    {
      config: { access: 'policies:payout', entity: 'payout_batch' },
      schema: {
        tags: ['policies'],
        summary: 'Record the disbursement of the approved payouts (paid, or failed with a reason)',
        params: uuidParam,
        body: z
          .object({
            reference: z.string().trim().min(1).max(100),
            failed: z
              .array(z.object({ payoutId: z.uuid(), reason: z.string().trim().min(1).max(200) }))
              .max(10_000)
              .optional(),
          })
          .strict(),
        response: {
          200: z.object({
            id: z.string(),
            status: z.string(),
            paid: z.number(),
            failed: z.number(),
            paidYuan: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.disburseBatch(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body),
      })),
  );

  app.get(
    '/api/v1/payout-batches/:id/export.xlsx',
    {
      config: { access: 'policies:payout', entity: 'payout_batch' },
      schema: {
        tags: ['policies'],
        summary: 'Treasury export (.xlsx) of the approved / paid payouts',
        params: uuidParam,
      },
    },
    async (req, reply) => {
      await requireStepUp(req); // issue #16: a fresh TOTP code before bulk export
      const { bytes, filename, audit } = await pay.exportBatch(db, req.auth!.scope, req.params.id);
      // The treasury list (firm names, USCC, amounts) leaves an audit row (issue #16, AU-01).
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'payout.export',
        entity: 'payout_batch',
        entityId: req.params.id,
        regionCode: audit.regionCode,
        summary: { ...audit, filename, scope: { kind: req.auth!.scope.kind, region: req.auth!.scope.rootRegion } },
      });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'content-disposition',
          `attachment; filename="payouts.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .send(bytes);
    },
  );

  app.post(
    '/api/v1/payouts/:id/objections',
    {
      config: { access: 'policies:read', entity: 'payout' },
      schema: {
        tags: ['policies'],
        summary: 'File an objection (异议) against a payout during publicity',
        params: uuidParam,
        body: z.object({ reason: z.string().trim().min(2).max(1000) }).strict(),
        response: { 201: z.object({ id: z.string(), status: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 201,
        body: await pay.fileObjection(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body.reason),
      })),
  );

  app.post(
    '/api/v1/payout-objections/:id/decide',
    {
      config: { access: 'policies:payout', entity: 'payout_objection' },
      schema: {
        tags: ['policies'],
        summary: 'Decide an objection: upheld removes the payout',
        params: uuidParam,
        body: z.object({ upheld: z.boolean(), note: z.string().trim().max(1000).default('') }).strict(),
        response: {
          200: z.object({ id: z.string(), status: z.string(), payoutStatus: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.decideObjection(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.body.upheld,
          req.body.note,
        ),
      })),
  );

  app.post(
    '/api/v1/payouts/:id/confirm',
    {
      config: { access: 'policies:apply', entity: 'payout' },
      schema: {
        tags: ['policies'],
        summary: '意愿确认 by the enterprise: accept (with the last 4 digits of its basic account) or decline',
        params: uuidParam,
        body: z
          .object({
            accept: z.boolean(),
            bankAccountLast4: z
              .string()
              .regex(/^\d{4}$/)
              .optional(),
          })
          .strict(),
        response: { 200: z.object({ id: z.string(), consent: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.confirmPayout(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body),
      })),
  );

  app.post(
    '/api/v1/payouts/:id/approve',
    {
      config: { access: 'policies:payout', entity: 'payout' },
      schema: {
        tags: ['policies'],
        summary: 'Approve one payout; checks and commits the budget atomically (409 BUDGET_EXCEEDED)',
        params: uuidParam,
        response: { 200: z.object({ id: z.string(), status: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.approvePayout(tx, deps, req.actor(), req.auth!.scope, req.params.id),
      })),
  );

  app.post(
    '/api/v1/payouts/:id/remove',
    {
      config: { access: 'policies:payout', entity: 'payout' },
      schema: {
        tags: ['policies'],
        summary:
          'Remove one pending payout from its batch with a reason (draft, reviewed or approving; during publicity only by an upheld objection)',
        params: uuidParam,
        body: z.object({ reason: z.string().trim().min(2).max(200) }).strict(),
        response: {
          200: z.object({ id: z.string(), status: z.literal('removed'), reason: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => ({
        status: 200,
        body: await pay.removePayout(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body.reason),
      })),
  );

  app.get(
    '/api/v1/policies/settings/payouts',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary: 'Payout settings: the shortest publicity in working days (default 5; rules.md §5.3)',
        response: { 200: pay.payoutSettingsSchema, ...errorResponses },
      },
    },
    async () => pay.payoutSettings(deps.database.db),
  );

  app.put(
    '/api/v1/policies/settings/payouts',
    {
      config: { access: 'policies:settings' },
      schema: {
        tags: ['policies'],
        summary: 'Set the payout settings (city administrators; audited)',
        body: pay.payoutSettingsSchema,
        response: { 200: pay.payoutSettingsSchema, ...errorResponses },
      },
    },
    async (req) => deps.database.db.transaction((tx) => pay.savePayoutSettings(tx, deps, req.actor(), req.body)),
  );

  // ── 快申 applications ─────────────────────────────────────────────────────────
  app.post(
    '/api/v1/policies/:id/applications',
    {
      config: { access: 'policies:apply', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: '快申: apply with the enterprise facts prefilled (returned), a note and attachments',
        params: uuidParam,
        body: z
          .object({ note: z.string().trim().max(2000).optional(), attachmentIds: z.array(z.uuid()).max(20).optional() })
          .strict(),
        response: {
          201: z.object({
            id: z.string(),
            status: z.string(),
            factsYear: z.number().nullable(),
            facts: z.record(z.string(), z.unknown()),
            clauses: z.array(
              z.object({
                clauseId: z.string(),
                title: z.string(),
                eligible: z.boolean().nullable(),
                missing: z.array(z.string()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const r = await apps.apply(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body, today());
        return {
          status: 201,
          body: {
            id: r.application.id,
            status: r.application.status,
            factsYear: r.application.factsYear,
            facts: r.application.facts,
            clauses: r.clauses,
          },
        };
      }),
  );

  app.post(
    '/api/v1/applications/:id/decide',
    {
      config: { access: 'policies:review', entity: 'policy_application' },
      schema: {
        tags: ['policies'],
        params: uuidParam,
        body: z
          .object({
            decision: z.enum(['approved', 'rejected', 'returned']),
            reasons: z.string().trim().min(2).max(2000),
            amountYuan: z.number().nonnegative().max(1e10).optional(),
          })
          .strict(),
        response: { 200: z.object({ id: z.string(), status: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const r = await apps.decide(tx, deps, req.actor(), req.auth!.scope, req.params.id, req.body);
        return { status: 200, body: { id: r.id, status: r.status } };
      }),
  );

  app.get(
    '/api/v1/applications',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        querystring: pageQuery.extend({
          policyId: z.uuid().optional(),
          status: z.enum(['submitted', 'approved', 'rejected', 'returned']).optional(),
        }),
        response: { 200: pageSchema(applicationSchema), ...errorResponses },
      },
    },
    async (req) => {
      const { rows, total } = await apps.listApplications(db, req.auth!.scope, req.query);
      return pageOf(rows.map(presentApp), total, req.query);
    },
  );

  // ── enterprise portal ─────────────────────────────────────────────────────────
  app.get(
    '/api/v1/my/policies',
    {
      config: { access: 'policies:apply' },
      schema: {
        tags: ['policies'],
        summary: 'My policies: eligible, maybe (data missing, with the holding department), new (last 30 days)',
        response: {
          200: z.object({ eligible: z.array(portalItem), maybe: z.array(portalItem), new: z.array(portalItem) }),
          ...errorResponses,
        },
      },
    },
    async (req) => myPolicies(db, req.auth!.scope, today(), locale(req)),
  );

  app.get(
    '/api/v1/my/policies/:id',
    {
      config: { access: 'policies:apply', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'One policy as my enterprise sees it (reasons per clause); marks the push as read',
        params: uuidParam,
        response: { 200: portalItem, ...errorResponses },
      },
    },
    async (req) => {
      const scope = req.auth!.scope;
      const [p] = await db
        .select()
        .from(policies)
        .where(and(eq(policies.id, req.params.id), eq(policies.status, 'published')));
      if (!p || !scope.orgId) throw new AppError('NOT_FOUND');
      await m.markRead(db, p.id, scope.orgId);
      const all = await myPolicies(db, scope, today(), locale(req));
      const item = [...all.eligible, ...all.maybe, ...all.new].find((x) => x.policyId === p.id);
      if (item) return item;
      return {
        policyId: p.id,
        title: p.title,
        docNo: p.docNo,
        issuerName: p.issuerName,
        channel: p.channel,
        applyTo: p.applyTo,
        publishedOn: p.publishedOn,
        applicationOpen: p.channel === 'mianshen' ? true : applicationOpen(p.applyFrom, p.applyTo, today()),
        amount: null,
        reasons: [],
        missing: [],
      };
    },
  );

  app.get(
    '/api/v1/my/applications',
    {
      config: { access: 'policies:apply' },
      schema: {
        tags: ['policies'],
        querystring: pageQuery,
        response: { 200: pageSchema(applicationSchema), ...errorResponses },
      },
    },
    async (req) => {
      const scope = req.auth!.scope;
      const { rows, total } = await apps.listApplications(
        db,
        { ...scope, kind: scope.kind === 'org' ? 'org' : ('none' as never) },
        req.query,
      );
      return pageOf(rows.map(presentApp), total, req.query);
    },
  );

  app.get(
    '/api/v1/my/payouts',
    {
      config: { access: 'policies:apply' },
      schema: {
        tags: ['policies'],
        querystring: pageQuery,
        response: { 200: pageSchema(payoutSchema), ...errorResponses },
      },
    },
    async (req) => {
      const scope = req.auth!.scope;
      const where =
        scope.kind === 'org' && scope.orgId
          ? and(eq(payouts.orgId, scope.orgId), sql`${payouts.status} <> 'excluded'`)
          : sql`false`;
      const { rows, total } = await pay.payoutsOf(db, where, req.query);
      return pageOf(rows.map(presentPayout), total, req.query);
    },
  );
}
