/**
 * HTTP routes of the policy library (issue #5): list/search, detail with clauses and their example results,
 * CRUD of drafts, workflow, evaluate (signed-in and public calculator), facts catalogue, issuers, and the
 * public (no-login) pages under /api/public (outside /api/v1: no session, no CSRF, published policies only).
 * Job: policies.expire (daily; published policies past their expiresOn become expired).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLICITY_DAY_MODES } from '../../../domain/payouts.ts';
import {
  actionsFrom,
  BENEFIT_TYPES,
  FACTS_YEARS,
  POLICY_ACTIONS,
  POLICY_CHANNELS,
  POLICY_LEVELS,
  POLICY_STATUSES,
} from '../../../domain/policies.ts';
import { MIN_SOURCES } from '../../../domain/provenance.ts';
import { describeRule, FACTS_CATALOGUE, ruleSchema } from '../../../domain/rules/index.ts';
import type { Rule } from '../../../domain/rules/types.ts';
import { AppError, localeOf } from '../../platform/errors.ts';
import { idempotent } from '../../platform/idempotency.ts';
import { dateOnly } from '../../platform/input.ts';
import { formatMessage } from '../../platform/messages.ts';
import { pageOf, pageSchema } from '../../platform/paging.ts';
import { errorEnvelope, errorResponses, iso, okSchema, uuidParam } from '../../platform/schemas.ts';
import { todayShanghai } from '../projects/service.ts';
import { evaluateClauses, runExamples, withDerivedFacts } from './examples.ts';
import { markRead } from './matching.ts';
import * as q from './queries.ts';
import { highlight } from './search.ts';
import * as svc from './service.ts';
import { policyStats } from './stats.ts';

const day = dateOnly; // 1900–2100 (platform/input.ts)
const money = z
  .union([z.number().nonnegative().max(1e13), z.string().regex(/^\d{1,13}(\.\d{1,2})?$/)])
  .transform((v) => Number(v).toFixed(2))
  .describe('元, up to 2 decimals');

const qualificationSchema = z.object({
  type: z.string().max(40),
  level: z.string().max(20).nullable().optional(),
  issuedOn: day,
  validUntil: day.nullable().optional(),
});

const factValue = z.union([z.number(), z.string().max(200), z.boolean(), z.null()]);

const exampleSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    facts: z.record(z.string().max(60), factValue),
    qualifications: z.array(qualificationSchema).max(20).optional(),
    asOf: day,
    expected: z.object({
      eligible: z.boolean().nullable(),
      amount: z
        .string()
        .regex(/^-?\d{1,13}(\.\d{1,2})?$/)
        .nullable(),
      missing: z.array(z.string().max(60)).max(20).optional(),
    }),
  })
  .strict();

/**
 * A rule, validated by the rule language's schema (unknown facts and wrong value types named by path). Declared
 * as an opaque JSON value for OpenAPI: the recursive schema would need $ref components the generator omits.
 */
const ruleInput = z
  .unknown()
  .superRefine((v, ctx) => {
    const r = ruleSchema.safeParse(v);
    if (!r.success)
      for (const i of r.error.issues)
        ctx.addIssue({ code: 'custom', path: i.path as (string | number)[], message: i.message });
  })
  .transform((v) => v as Rule)
  .describe('Rule JSON over catalogue facts (all / any / not, comparisons, qualification, yearsSince, ratio)');

const clauseInput = z
  .object({
    id: z.uuid().optional(),
    title: z.string().trim().min(1).max(200),
    benefitType: z.enum(BENEFIT_TYPES),
    eligibility: ruleInput,
    amountFormula: z.string().trim().max(2000).nullable().optional(),
    capYuan: money.nullable().optional(),
    floorYuan: money.nullable().optional(),
    oncePerEnterprise: z.boolean().optional(),
    stackingGroup: z.string().trim().max(60).nullable().optional(),
    dataSources: z.array(z.string().trim().min(1).max(100)).max(20).optional(),
    needsConsent: z.boolean().optional(),
    factsYear: z.enum(FACTS_YEARS).optional(),
    /** The lowest source the clause accepts for its facts (decision 0018): null = any. */
    minSource: z.enum(MIN_SOURCES).nullable().optional(),
    examples: z.array(exampleSchema).max(50).optional(),
  })
  .strict();

const policyInput = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{3,40}$/)
      .optional(),
    title: z.string().trim().min(2).max(300),
    docNo: z.string().trim().max(100).optional(),
    issuerOrgId: z.uuid(),
    issuerName: z.string().trim().max(200).optional(),
    level: z.enum(POLICY_LEVELS),
    regionCode: z.string().max(16).optional(),
    publishedOn: day.nullable().optional(),
    effectiveFrom: day.nullable().optional(),
    expiresOn: day.nullable().optional(),
    applyFrom: day.nullable().optional(),
    applyTo: day.nullable().optional(),
    summary: z.string().max(5000).optional(),
    bodyHtml: z.string().max(500_000).optional(),
    attachments: z.array(z.uuid()).max(50).optional(),
    tags: z.array(z.string().trim().min(1).max(30)).max(30).optional(),
    channel: z.enum(POLICY_CHANNELS),
    budgetCapYuan: money.nullable().optional(),
    publicityDays: z.number().int().min(0).max(60).optional(),
    /** 公示 days as calendar days (default) or working days (decision 0016). */
    publicityDayMode: z.enum(PUBLICITY_DAY_MODES).optional(),
    clauses: z.array(clauseInput).max(30).optional(),
  })
  .strict();

const listItem = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  docNo: z.string(),
  issuerOrgId: z.string(),
  issuerName: z.string(),
  level: z.enum(POLICY_LEVELS),
  channel: z.enum(POLICY_CHANNELS),
  status: z.enum(POLICY_STATUSES),
  regionCode: z.string(),
  publishedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  applyFrom: z.string().nullable(),
  applyTo: z.string().nullable(),
  tags: z.array(z.string()),
  summary: z.string(),
  clauseCount: z.number(),
  budgetCapYuan: z.string().nullable(),
  highlight: z
    .string()
    .nullable()
    .optional()
    .describe('With q: a snippet, HTML-escaped, hits wrapped in <mark>…</mark>'),
});

const traceSchema = z.unknown().describe('TraceNode tree (src/domain/rules/types.ts)');

const exampleResultSchema = z.object({
  name: z.string(),
  facts: z.record(z.string(), z.unknown()),
  qualifications: z.array(z.unknown()).optional(),
  asOf: z.string(),
  expected: z.object({
    eligible: z.boolean().nullable(),
    amount: z.string().nullable(),
    missing: z.array(z.string()).optional(),
  }),
  passed: z.boolean(),
  actual: z.object({ eligible: z.boolean().nullable(), amount: z.string().nullable(), missing: z.array(z.string()) }),
  mismatches: z.array(z.string()),
});

const clauseOut = z.object({
  id: z.string(),
  ordinal: z.number(),
  title: z.string(),
  benefitType: z.enum(BENEFIT_TYPES),
  eligibility: z.unknown(),
  description: z.array(z.object({ path: z.string(), depth: z.number(), text: z.string() })),
  amountFormula: z.string().nullable(),
  capYuan: z.string().nullable(),
  floorYuan: z.string().nullable(),
  oncePerEnterprise: z.boolean(),
  stackingGroup: z.string().nullable(),
  dataSources: z.array(z.string()),
  needsConsent: z.boolean(),
  factsYear: z.enum(FACTS_YEARS),
  minSource: z.enum(MIN_SOURCES).nullable(),
  examples: z.array(exampleResultSchema),
});

const detailSchema = listItem.omit({ highlight: true }).extend({
  effectiveFrom: z.string().nullable(),
  bodyHtml: z.string(),
  attachments: z.array(z.string()),
  publicityDays: z.number(),
  publicityDayMode: z.enum(PUBLICITY_DAY_MODES),
  statusReason: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  actions: z.array(z.enum(POLICY_ACTIONS)).describe('Workflow actions from the current status'),
  /** Maker–checker (decision 0020): who drafted, submitted, approved and published the policy. */
  createdBy: z.string().nullable(),
  submittedBy: z.string().nullable(),
  approvedBy: z.string().nullable(),
  publishedBy: z.string().nullable(),
  refusedActions: z
    .array(z.object({ action: z.enum(POLICY_ACTIONS), code: z.string(), message: z.string() }))
    .describe('Actions of `actions` the caller would be refused (same person, failing examples), with the reason'),
  clauses: z.array(clauseOut),
});

const publicClauseOut = clauseOut.omit({ examples: true });
const publicDetailSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  docNo: z.string(),
  issuerName: z.string(),
  level: z.enum(POLICY_LEVELS),
  channel: z.enum(POLICY_CHANNELS),
  publishedOn: z.string().nullable(),
  effectiveFrom: z.string().nullable(),
  expiresOn: z.string().nullable(),
  applyFrom: z.string().nullable(),
  applyTo: z.string().nullable(),
  tags: z.array(z.string()),
  summary: z.string(),
  bodyHtml: z.string(),
  attachments: z.array(z.string()),
  clauses: z.array(publicClauseOut),
});
const publicListItem = listItem.omit({ budgetCapYuan: true, status: true, issuerOrgId: true, regionCode: true });

/** Facts of the catalogue, for OpenAPI: every key with its type and unit. */
function factsSchema() {
  const shape: Record<string, z.ZodTypeAny> = {};
  for (const f of FACTS_CATALOGUE) {
    const base =
      f.type === 'number'
        ? z.number()
        : f.type === 'boolean'
          ? z.boolean()
          : f.type === 'enum' && f.enumValues?.length
            ? z.enum(f.enumValues.map((v) => v.value) as [string, ...string[]])
            : z.string().max(200);
    const unit = f.unit ? ` (${f.unit['zh-CN']} / ${f.unit.en})` : f.percent ? ' (fraction, 0.055 = 5.5%)' : '';
    shape[f.key] = base
      .nullable()
      .optional()
      .describe(`${f.label['zh-CN']} ${f.label.en}${unit}; source: ${f.source['zh-CN']}`);
  }
  return z.object(shape).strict();
}

const evaluateBody = z
  .object({
    facts: factsSchema(),
    qualifications: z.array(qualificationSchema).max(20).optional(),
    asOf: day.optional(),
  })
  .strict();

const evaluateResponse = z.object({
  policyId: z.string(),
  asOf: z.string(),
  clauses: z.array(
    z.object({
      clauseId: z.string(),
      title: z.string(),
      eligible: z.boolean().nullable(),
      amount: z.string().nullable().describe('元, 2 decimals; null when not eligible or unknown'),
      missing: z.array(z.string()).describe('Facts whose absence made the result unknown'),
      stackedOut: z.boolean().describe('Eligible, but another clause of its stacking group (从高不重复) pays more'),
      trace: traceSchema,
    }),
  ),
});

const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().trim().max(100).optional(),
  level: z.enum(POLICY_LEVELS).optional(),
  channel: z.enum(POLICY_CHANNELS).optional(),
  status: z.enum(POLICY_STATUSES).optional(),
  issuer: z.string().trim().max(200).optional().describe('Issuer org id, or the issuer name'),
  tag: z.string().trim().max(30).optional(),
  sort: z.enum(q.SORTS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

type Detail = NonNullable<Awaited<ReturnType<typeof q.getPolicy>>>;

export async function policyRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());
  const visibleTo = (req: { auth: { scope: Parameters<typeof q.policyScope>[1] } | null }) =>
    q.policyScope(deps.regions, req.auth!.scope);

  // 失效日期: published policies past expiresOn move to expired once a day (decision 0012)
  deps.jobs.register(
    svc.JOB_EXPIRE,
    async (ctx) => {
      const asOf = typeof ctx.payload.day === 'string' ? ctx.payload.day : today();
      const r = await svc.expirePastDue(deps, asOf, (p, msg) => ctx.progress(p, msg));
      return { day: asOf, expired: r.expired.length, skipped: r.skipped };
    },
    { daily: true },
  );

  const presentClause = (c: Detail['clauses'][number], locale: 'zh-CN' | 'en', withExamples: boolean) => {
    const base = {
      id: c.id,
      ordinal: c.ordinal,
      title: c.title,
      benefitType: c.benefitType,
      eligibility: c.eligibility,
      description: describeRule(c.eligibility as Rule, locale),
      amountFormula: c.amountFormula,
      capYuan: c.capYuan,
      floorYuan: c.floorYuan,
      oncePerEnterprise: c.oncePerEnterprise,
      stackingGroup: c.stackingGroup,
      dataSources: c.dataSources,
      needsConsent: c.needsConsent,
      factsYear: c.factsYear,
      minSource: c.minSource,
    };
    if (!withExamples) return { ...base, examples: [] };
    const results = runExamples(c);
    return {
      ...base,
      examples: c.examples.map((ex, i) => ({ ...ex, ...results[i]!, expected: ex.expected })),
    };
  };

  const presentDetail = (d: Detail, locale: 'zh-CN' | 'en', userId: string | null = null) => {
    const p = d.policy;
    return {
      id: p.id,
      code: p.code,
      title: p.title,
      docNo: p.docNo,
      issuerOrgId: p.issuerOrgId,
      issuerName: p.issuerName,
      level: p.level,
      channel: p.channel,
      status: p.status,
      regionCode: p.regionCode,
      publishedOn: p.publishedOn,
      effectiveFrom: p.effectiveFrom,
      expiresOn: p.expiresOn,
      applyFrom: p.applyFrom,
      applyTo: p.applyTo,
      tags: p.tags,
      summary: p.summary,
      clauseCount: d.clauses.length,
      budgetCapYuan: p.budgetCapYuan,
      bodyHtml: p.bodyHtml,
      attachments: p.attachments,
      publicityDays: p.publicityDays,
      publicityDayMode: p.publicityDayMode,
      statusReason: p.statusReason,
      reviewedAt: iso(p.reviewedAt),
      version: p.version,
      createdAt: iso(p.createdAt)!,
      updatedAt: iso(p.updatedAt)!,
      actions: actionsFrom(p.status),
      createdBy: p.createdBy,
      submittedBy: p.submittedBy,
      approvedBy: p.approvedBy,
      publishedBy: p.publishedBy,
      refusedActions: svc.refusedActions(userId, p, d.clauses).map(({ action, error }) => ({
        action,
        code: error.code,
        message: formatMessage(error.code, locale, error.params),
      })),
      clauses: d.clauses.map((c) => presentClause(c, locale, true)),
    };
  };

  const evaluateFor = (d: Detail, body: z.infer<typeof evaluateBody>) => {
    const asOf = body.asOf ?? today();
    const facts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body.facts)) if (v !== null && v !== undefined) facts[k] = v;
    const outcomes = evaluateClauses(d.clauses, {
      facts: withDerivedFacts(facts),
      asOf,
      qualifications: (body.qualifications ?? []).map((x) => ({
        type: x.type,
        level: x.level ?? null,
        issuedOn: x.issuedOn,
        validUntil: x.validUntil ?? null,
      })),
    });
    return { policyId: d.policy.id, asOf, clauses: outcomes };
  };

  const listed = (r: q.PolicyListRow, text?: string) => ({
    ...r,
    highlight: text ? highlight(text, { title: r.title, summary: r.summary, body: r.bodyText }) : undefined,
  });

  app.get(
    '/api/v1/policies',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary: 'The policy library: filter, full-text search (ranked by relevance when q is given), page',
        querystring: listQuery,
        response: { 200: pageSchema(listItem), ...errorResponses },
      },
    },
    async (req) => {
      const { items, total } = await q.listPolicies(db, visibleTo(req), req.query, req.query);
      return pageOf(
        items.map((r) => listed(r, req.query.q)),
        total,
        req.query,
      );
    },
  );

  app.get(
    '/api/v1/policies/facts-catalogue',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary: 'The facts a rule may use: key, label, type, unit, enum values, group, holding department',
        response: { 200: z.object({ items: z.array(z.record(z.string(), z.unknown())) }), ...errorResponses },
      },
    },
    async () => ({ items: FACTS_CATALOGUE.map((f) => ({ ...f })) }),
  );

  app.get(
    '/api/v1/policies/issuers',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary: 'Issuing departments of the visible policies, with counts',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                kind: z.string(),
                regionCode: z.string(),
                policies: z.number(),
                published: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => ({ items: await q.listIssuers(db, visibleTo(req)) }),
  );

  app.get(
    '/api/v1/policies/stats',
    {
      config: { access: 'policies:read' },
      schema: {
        tags: ['policies'],
        summary:
          'Library figures of a region on asOf: policies published by then (and in force), issuing departments, ' +
          'firms matched as eligible now, money paid by the end of asOf (yuan)',
        querystring: z.object({ region: z.string().max(16).optional(), asOf: dateOnly.optional() }),
        response: {
          200: z.object({
            region: z.string(),
            asOf: z.string(),
            policies: z.number(),
            inForce: z.number(),
            issuers: z.number(),
            matchedFirms: z.number(),
            payoutsPaid: z.number(),
            paidYuan: z.number(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const scope = req.auth!.scope;
      const region = req.query.region ?? scope.rootRegion ?? '';
      // region officials only, within their subtree (the cockpit's rule)
      if (scope.kind !== 'region' || !scope.regionCodes.includes(region)) throw new AppError('FORBIDDEN');
      return policyStats(deps, scope, { region, asOf: req.query.asOf ?? today() });
    },
  );

  app.get(
    '/api/v1/policies/:id',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'A policy with its clauses (rule sentences, example cases with their current pass/fail)',
        params: uuidParam,
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const d = await q.getPolicy(db, visibleTo(req), req.params.id);
      if (!d) throw new AppError('NOT_FOUND');
      // An enterprise opening a policy it was pushed counts as read in the policy's funnel.
      const scope = req.auth!.scope;
      if (scope.role === 'enterprise' && scope.orgId) await markRead(db, d.policy.id, scope.orgId);
      return presentDetail(d, localeOf(req), req.auth!.user.id);
    },
  );

  app.post(
    '/api/v1/policies',
    {
      config: { access: 'policies:manage' },
      schema: {
        tags: ['policies'],
        summary: 'Create a draft policy with its clauses (rules validated against the facts catalogue)',
        body: policyInput,
        response: { 201: detailSchema, ...errorResponses },
      },
    },
    async (req, reply) =>
      idempotent(req, reply, async (tx) => {
        const id = await svc.createPolicy(tx, deps, req.actor(), req.auth!.scope, req.body, today());
        const d = await q.getPolicy(tx, q.policyScope(deps.regions, req.auth!.scope), id);
        return { status: 201, body: presentDetail(d!, localeOf(req), req.auth!.user.id) };
      }),
  );

  app.put(
    '/api/v1/policies/:id',
    {
      config: { access: 'policies:manage', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'Replace a draft (or a policy under review) with its clauses; 409 on a stale version',
        params: uuidParam,
        body: policyInput.extend({ version: z.number().int().min(1) }),
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const { version, ...input } = req.body;
      return db.transaction(async (tx) => {
        await svc.updatePolicy(tx, deps, req.actor(), req.auth!.scope, req.params.id, version, input);
        const d = await q.getPolicy(tx, q.policyScope(deps.regions, req.auth!.scope), req.params.id);
        return presentDetail(d!, localeOf(req), req.auth!.user.id);
      });
    },
  );

  app.delete(
    '/api/v1/policies/:id',
    {
      config: { access: 'policies:manage', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary: 'Delete a draft',
        params: uuidParam,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction((tx) => svc.deletePolicy(tx, deps, req.actor(), req.auth!.scope, req.params.id));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/policies/:id/transition',
    {
      config: { access: 'policies:review', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary:
          'Workflow: submit (policies:manage), approve / reject / publish / expire (policies:review, the issuing ' +
          'department or a region admin), withdraw (review → draft by the author; published → withdrawn with reason)',
        params: uuidParam,
        body: z.object({ action: z.enum(POLICY_ACTIONS), reason: z.string().trim().max(1000).optional() }).strict(),
        response: {
          200: z.object({
            id: z.string(),
            status: z.enum(POLICY_STATUSES),
            version: z.number(),
            matchJobId: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      db.transaction((tx) =>
        svc.transitionPolicy(
          tx,
          deps,
          req.actor(),
          req.auth!.scope,
          req.params.id,
          req.body.action,
          req.body.reason,
          today(),
        ),
      ),
  );

  app.post(
    '/api/v1/policies/:id/evaluate',
    {
      config: { access: 'policies:read', entity: 'policy' },
      schema: {
        tags: ['policies'],
        summary:
          'Evaluate the clauses on given facts (named as in the facts catalogue): eligible true/false/null (unknown, ' +
          'naming the missing facts), amount in 元, trace; stacking groups applied across clauses',
        params: uuidParam,
        body: evaluateBody,
        response: { 200: evaluateResponse, ...errorResponses },
      },
    },
    async (req) => {
      const d = await q.getPolicy(db, visibleTo(req), req.params.id);
      if (!d) throw new AppError('NOT_FOUND');
      return evaluateFor(d, req.body);
    },
  );

  // ---- public (no login): published policies only ----
  const publicErrors = { 400: errorEnvelope, 404: errorEnvelope };

  app.get(
    '/api/public/policies',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies (public)'],
        summary: 'Published policies (no login), searchable',
        security: [],
        querystring: listQuery.omit({ status: true }),
        response: { 200: pageSchema(publicListItem), ...publicErrors },
      },
    },
    async (req) => {
      const { items, total } = await q.listPolicies(db, q.PUBLISHED_ONLY, req.query, req.query);
      return pageOf(
        items.map((r) => listed(r, req.query.q)),
        total,
        req.query,
      );
    },
  );

  app.get(
    '/api/public/policies/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies (public)'],
        summary: 'A published policy (no login); 404 for any other status',
        security: [],
        params: uuidParam,
        response: { 200: publicDetailSchema, ...publicErrors },
      },
    },
    async (req) => {
      const d = await q.getPolicy(db, q.PUBLISHED_ONLY, req.params.id);
      if (!d) throw new AppError('NOT_FOUND');
      const p = d.policy;
      const locale = localeOf(req);
      return {
        id: p.id,
        code: p.code,
        title: p.title,
        docNo: p.docNo,
        issuerName: p.issuerName,
        level: p.level,
        channel: p.channel,
        publishedOn: p.publishedOn,
        effectiveFrom: p.effectiveFrom,
        expiresOn: p.expiresOn,
        applyFrom: p.applyFrom,
        applyTo: p.applyTo,
        tags: p.tags,
        summary: p.summary,
        bodyHtml: p.bodyHtml,
        attachments: p.attachments,
        clauses: d.clauses.map((c) => {
          const { examples: _e, ...rest } = presentClause(c, locale, false);
          return rest;
        }),
      };
    },
  );

  app.post(
    '/api/public/policies/:id/evaluate',
    {
      config: { access: 'public' },
      schema: {
        tags: ['policies (public)'],
        summary: 'Policy calculator (no login, published policies only): same body and answer as the signed-in one',
        security: [],
        params: uuidParam,
        body: evaluateBody,
        response: { 200: evaluateResponse, ...publicErrors },
      },
    },
    async (req) => {
      const d = await q.getPolicy(db, q.PUBLISHED_ONLY, req.params.id);
      if (!d) throw new AppError('NOT_FOUND');
      return evaluateFor(d, req.body);
    },
  );
}
