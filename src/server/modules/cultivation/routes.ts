/**
 * 梯度培育 (issue #20, decision 0023): the public tier calculator, the population assessment job, near-miss lists
 * with Excel export, a firm's tier card, the pool (培育库), certifications and targets, and the KPIs.
 */

import { and, asc, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assessTier } from '../../../domain/cultivation/engine.ts';
import {
  AWARD_LEVELS,
  IP_CLASSES,
  PRODUCT_FIELDS,
  RD_INSTITUTIONS,
  TIERS,
  type TierFacts,
} from '../../../domain/cultivation/facts.ts';
import { aboveScale } from '../../../domain/enterprise-size.ts';
import {
  cultivationAssessments,
  cultivationCertifications,
  cultivationPool,
  cultivationTargets,
  enterpriseFacts,
  enterprises,
  users,
} from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { errorEnvelope, uuidParam } from '../../platform/schemas.ts';
import type { Scope } from '../../platform/scope.ts';
import { formulaSafe } from '../../platform/xlsx-write.ts';
import { alsoOnFactsRecomputed } from '../enterprises/facts.ts';
import { enterpriseScope } from '../enterprises/service.ts';
import { todayShanghai } from '../projects/service.ts';
import { TOOLS_RATE_LIMIT_PER_MINUTE } from '../tools/routes.ts';
import {
  assessFirm,
  assessPopulation,
  createCertification,
  kpis,
  LOCAL_INDICATORS,
  revokeCertification,
} from './service.ts';

export const ASSESS_JOB = 'cultivation.assess';

const ratio = (what: string) => z.number().finite().describe(`${what} (a fraction: 0.04 = 4%)`);
const wan = (what: string) => z.number().finite().min(0).describe(`${what}, 万元`);

export const tierFactsSchema = z
  .object({
    ipClass: z
      .enum(IP_CLASSES)
      .describe(
        '与主导产品相关的有效知识产权: high_value_i Ⅰ类高价值 · self_developed_i 自主研发Ⅰ类 · i Ⅰ类 · ii Ⅱ类 · none',
      ),
    classIIpCount: z.number().int().min(0).describe('Ⅰ类知识产权 count related to the main product (小巨人 needs ≥ 2)'),
    revenue: wan('上年度营业收入'),
    revenuePrev: wan('前年度营业收入 (小巨人: R&D intensity of both years)'),
    mainBusinessRevenue: wan('上年度主营业务收入'),
    rdExpense: wan('上年度研发费用'),
    rdExpensePrev: wan('前年度研发费用'),
    mainBusinessGrowth: ratio('上年度主营业务收入增长率'),
    mainBusinessGrowth2y: ratio('近2年主营业务收入平均增长率'),
    debtRatio: ratio('上年度资产负债率').min(0),
    netMargin: ratio('上年度净利润率'),
    strategicEmerging: z.boolean().describe('主导产品属于《战略性新兴产业分类》'),
    nicheYears: z.number().finite().min(0).describe('从事特定细分市场年限, years'),
    productField: z
      .enum(PRODUCT_FIELDS)
      .describe(
        '专精特新 item 4: key_chain 产业链关键环节补短板/锻长板/填空白 · six_basics 工业六基/老字号/龙头配套 · other',
      ),
    digitalLevel: z.number().int().min(0).max(6).describe('中小企业数字化水平 level (0 = none, 1, 2, 3 …)'),
    qualityItems: z
      .number()
      .int()
      .min(0)
      .max(10)
      .describe(
        '质量管理 items held: 省级以上质量奖, ISO 9001 等认证, 自主品牌, 参与制修订标准 (3 points each, max 5)',
      ),
    localScore: z
      .number()
      .finite()
      .min(0)
      .max(15)
      .describe('地方特色指标 points (0–15), when the province set is not used'),
    province: z
      .string()
      .regex(/^\d{2}(\d{4})?$/)
      .describe('province (2 digits) whose 特色化 indicators apply')
      .optional(),
    local: z
      .record(z.string().max(40), z.number().finite())
      .describe('values of the province 特色化 indicators by id (see GET /api/v1/cultivation/local-indicators)')
      .optional(),
    rdStaffRatio: ratio('上年度研发人员占职工总数比重').min(0).max(1),
    rdInstitution: z.enum(RD_INSTITUTIONS).describe('研发机构级别 (自建或联合建立)'),
    equityFinancing2y: wan('近2年新增股权融资总额 (合格机构投资者实缴)'),
    equityFinancing3y: wan('近3年新增股权融资总额 (合格机构投资者实缴)'),
    stAward: z
      .object({
        level: z.enum(AWARD_LEVELS).describe('national 国家级 · provincial 省级 · other'),
        rank: z.number().int().min(1).describe('the firm’s rank among the awardee units'),
        yearsAgo: z.number().int().min(0).describe('years since the award (≤ 3 = 近三年)'),
      })
      .strict()
      .nullable()
      .describe('best 科技奖励, or null for none'),
    validHonour: z.boolean().describe('有效期内的 高新技术企业/国家级技术创新示范企业/知识产权优势(示范)企业'),
    makerChinaTop: z
      .union([z.literal(50), z.literal(500)])
      .nullable()
      .describe('近三年「创客中国」大赛全国 50 强 or 500 强企业组, or null'),
    marketShare: ratio('主导产品全国细分市场占有率').min(0).max(1),
    ownBrand: z.boolean().describe('拥有自主品牌'),
    coreBusinessInfoSystem: z.boolean().describe('≥ 1 项核心业务采用信息系统支撑'),
    certification: z.boolean().describe('相关管理体系认证, or 发达国家和地区产品认证'),
    keyChainRole: z.boolean().describe('小巨人 链: 位于产业链关键环节, 补短板/锻长板/填空白'),
    priorityField: z.boolean().describe('小巨人 品: 核心基础零部件等 / 制造强国十大重点产业领域 / 网络强国建设领域'),
  })
  .partial()
  .strict();

const assessBody = z
  .object({
    tier: z.enum(TIERS).describe('innovative_sme 创新型中小企业 · srdi_sme 专精特新中小企业 · little_giant 小巨人'),
    facts: tierFactsSchema.describe(
      'what is not given is unknown: the verdict is then null and the fact listed in missing',
    ),
    boundaryPolicy: z.enum(['favourable', 'unfavourable']).optional().describe('band edges (default favourable)'),
  })
  .strict();

const item = z.object({ id: z.string(), points: z.number().nullable(), max: z.number() });
const category = z.object({
  points: z.number().nullable(),
  max: z.number(),
  min: z.number().nullable(),
  met: z.boolean().nullable(),
});
const condition = z.object({
  id: z.string(),
  kind: z.enum(['required', 'score', 'direct', 'fast_track']),
  met: z.boolean().nullable(),
  value: z.union([z.number(), z.boolean(), z.string()]).nullable(),
  required: z.union([z.number(), z.boolean(), z.string()]).nullable(),
  op: z.enum(['gte', 'lte', 'eq']),
  gap: z.number().nullable(),
});
export const assessResponse = z.object({
  eligible: z.boolean().nullable().describe('null: a fact the verdict needs is missing (see missing)'),
  route: z.enum(['score', 'direct']).nullable().describe('score: the score (小巨人: the general 新 condition); direct'),
  score: z.number().nullable().describe('total points (null when an item is unknown; always null for 小巨人)'),
  categories: z.record(z.string(), category),
  items: z.array(item),
  missing: z.array(z.string()),
  conditions: z.array(condition).describe('every condition checked, with value, bound and relative gap'),
  boundaryPolicy: z.enum(['favourable', 'unfavourable']),
});

const errs = { 400: errorEnvelope, 403: errorEnvelope, 404: errorEnvelope, 422: errorEnvelope, 429: errorEnvelope };

const yearEndOf = (today: string) => Number(today.slice(0, 4));

/** The region codes a caller may read for a region parameter (404 outside the scope; org scopes have none). */
function regionsFor(deps: FastifyInstance['deps'], scope: Scope, region: string | undefined): string[] {
  const root = region ?? scope.rootRegion ?? '410100';
  const sub = deps.regions.subtree(root);
  if (!sub.length) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: root }] });
  if (scope.kind === 'all') return [...sub];
  if (scope.kind !== 'region' || !scope.regionCodes.includes(root)) throw new AppError('NOT_FOUND');
  return [...sub];
}

export async function cultivationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;
  const today = () => todayShanghai(deps.clock.now());

  // after a firm's facts change (in that transaction): re-assess it, so near-misses and verdicts follow at once
  if (!alsoOnFactsRecomputed.includes(reassessOne)) alsoOnFactsRecomputed.push(reassessOne);

  deps.jobs.register(
    ASSESS_JOB,
    async (ctx) => {
      const r = await db.transaction((tx) => assessPopulation(tx, today()));
      await ctx.progress(100);
      return r;
    },
    { daily: true },
  );

  app.post(
    '/api/v1/tools/tier-assessment',
    {
      config: {
        access: 'public',
        // the public calculators' per-IP limit (decision 0017), counted in the app's shared store (decision 0021)
        rateLimit: {
          max: base.abuse?.toolsPerMinute ?? TOOLS_RATE_LIMIT_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (req: FastifyRequest) => `ip:${req.ip}`,
        },
      },
      schema: {
        tags: ['tools', 'cultivation'],
        summary:
          '梯度培育 self-assessment (工信部企业〔2022〕63号, rules.md §3): 创新型 / 专精特新 / 小巨人 — item points, category ' +
          'minimums, direct routes, what is missing. Money in 万元, ratios as fractions.',
        description:
          'No login; the CSRF double-submit applies (GET /api/v1/auth/csrf). At most ' +
          `${TOOLS_RATE_LIMIT_PER_MINUTE} requests a minute per client IP (429 RATE_LIMITED).`,
        security: [],
        body: assessBody,
        response: { 200: assessResponse, ...errs },
      },
    },
    async (req) => {
      const { tier, facts, boundaryPolicy } = req.body;
      const a = assessTier(tier, facts as TierFacts, { boundaryPolicy, localIndicators: LOCAL_INDICATORS });
      const { tier: _t, ...rest } = a;
      return rest;
    },
  );

  app.get(
    '/api/v1/cultivation/local-indicators',
    {
      config: { access: 'public' },
      schema: { tags: ['cultivation'], summary: 'The provinces’ 特色化 indicator sets the calculator knows (data)' },
    },
    async () => ({ sets: LOCAL_INDICATORS }),
  );

  app.get(
    '/api/v1/cultivation/kpis',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['cultivation'],
        summary:
          'Ladder KPIs of a region and year from certification rows: totals valid at the year end, new in the year; ' +
          'targets and completion rates (percent, 15 of 8 → 187.5)',
        querystring: z.object({
          region: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
        }),
      },
    },
    async (req) => {
      const codes = regionsFor(deps, req.auth!.scope, req.query.region);
      const year = req.query.year ?? yearEndOf(today()) - 1;
      return kpis(db, codes, req.query.region ?? req.auth!.scope.rootRegion ?? '410100', year);
    },
  );

  const nearMissQuery = z.object({
    tier: z.enum(TIERS).default('srdi_sme'),
    region: z
      .string()
      .regex(/^\d{6}$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  });
  async function nearMisses(scope: Scope, q: z.infer<typeof nearMissQuery>) {
    const codes = q.region ? regionsFor(deps, scope, q.region) : null;
    const rows = await db
      .select({
        a: cultivationAssessments,
        name: enterprises.name,
        uscc: enterprises.uscc,
        inPool: sql<boolean>`exists (select 1 from ${cultivationPool} p where p.enterprise_id = ${enterprises.id}
          and p.target_tier = ${q.tier} and p.status = 'active')`,
      })
      .from(cultivationAssessments)
      .innerJoin(enterprises, eq(enterprises.id, cultivationAssessments.enterpriseId))
      .where(
        and(
          enterpriseScope(scope),
          eq(cultivationAssessments.tier, q.tier),
          isNotNull(cultivationAssessments.gap),
          or(ne(cultivationAssessments.eligible, true), sql`${cultivationAssessments.eligible} is null`),
          codes ? inArray(cultivationAssessments.regionCode, codes) : undefined,
        ),
      )
      .orderBy(asc(cultivationAssessments.gap), asc(enterprises.name))
      .limit(q.limit);
    return rows.map((r) => ({
      enterpriseId: r.a.enterpriseId,
      name: r.name,
      uscc: r.uscc,
      regionCode: r.a.regionCode,
      tier: r.a.tier,
      year: r.a.year,
      eligible: r.a.eligible,
      score: r.a.score,
      gap: r.a.gap,
      shortfalls: (r.a.shortfalls ?? []) as {
        id: string;
        value: number | boolean | string | null;
        required: number | boolean | string | null;
        op: string;
        gap: number;
      }[],
      missing: r.a.missing,
      selfReported: r.a.selfReported,
      inPool: r.inPool,
      assessedAt: r.a.assessedAt.toISOString(),
    }));
  }

  app.get(
    '/api/v1/cultivation/near-misses',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['cultivation'],
        summary: 'Firms not (yet) in a tier with what they lack, closest first (the nightly assessment)',
        querystring: nearMissQuery,
      },
    },
    async (req) => ({ items: await nearMisses(req.auth!.scope, req.query) }),
  );

  app.get(
    '/api/v1/cultivation/near-misses/export',
    {
      config: { access: 'enterprises:read' },
      schema: { tags: ['cultivation'], summary: 'The near-miss list as Excel (audited)', querystring: nearMissQuery },
    },
    async (req, reply) => {
      const rows = await nearMisses(req.auth!.scope, { ...req.query, limit: 500 });
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('临门一脚企业');
      ws.columns = [
        { header: '企业名称', key: 'name', width: 40 },
        { header: '统一社会信用代码', key: 'uscc', width: 22 },
        { header: '区县代码', key: 'region', width: 10 },
        { header: '评价得分', key: 'score', width: 10 },
        { header: '差距', key: 'gap', width: 8 },
        { header: '未达条件', key: 'lacks', width: 60 },
        { header: '含自报数据', key: 'self', width: 10 },
      ];
      ws.getRow(1).font = { bold: true };
      const text = (v: string) => formulaSafe(v);
      for (const r of rows)
        ws.addRow({
          name: text(r.name),
          uscc: r.uscc,
          region: r.regionCode,
          score: r.score,
          gap: r.gap,
          lacks: r.shortfalls.map((s) => `${s.id}: ${fmt(s.value)} / ${fmt(s.required)}`).join('；'),
          self: r.selfReported ? '是' : '否',
        });
      const bytes = Buffer.from(await wb.xlsx.writeBuffer());
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'cultivation.near_miss.export',
        entity: 'enterprise',
        regionCode: req.auth!.scope.rootRegion,
        summary: { rows: rows.length, tier: req.query.tier, region: req.query.region ?? null },
      });
      return sendXlsx(reply, bytes, `临门一脚企业-${req.query.tier}-${today()}.xlsx`);
    },
  );

  app.get(
    '/api/v1/cultivation/enterprises/:id',
    {
      config: { access: 'enterprises:read', entity: 'enterprise' },
      schema: {
        tags: ['cultivation'],
        summary: 'A firm’s tier card: live assessment of each tier from its facts, with sources and self-reported flag',
        params: uuidParam,
      },
    },
    async (req) => {
      const [e] = await db
        .select({ id: enterprises.id, name: enterprises.name, regionCode: enterprises.regionCode })
        .from(enterprises)
        .where(and(eq(enterprises.id, req.params.id), enterpriseScope(req.auth!.scope)));
      if (!e) throw new AppError('NOT_FOUND');
      const certs = await db
        .select()
        .from(cultivationCertifications)
        .where(eq(cultivationCertifications.enterpriseId, e.id));
      const pool = await db.select().from(cultivationPool).where(eq(cultivationPool.enterpriseId, e.id));
      return { enterprise: e, ...(await assessFirm(db, e.id, today())), certifications: certs, pool };
    },
  );

  // ---- 小升规 candidates ---------------------------------------------------------------------------------------
  app.get(
    '/api/v1/cultivation/scale-up-candidates',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['cultivation'],
        summary:
          '小升规 candidates: below-scale firms (rules.md §2.4) whose main business revenue of the data year is at least ' +
          '`share` of their threshold, closest first, with their growth',
        querystring: z.object({
          share: z.coerce.number().min(0).max(1).default(0.6),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => {
      const year = yearEndOf(today()) - 1;
      const rows = await db
        .select({
          id: enterprises.id,
          name: enterprises.name,
          industryCode: enterprises.industryCode,
          facts: enterpriseFacts.facts,
          regionCode: enterprises.regionCode,
        })
        .from(enterpriseFacts)
        .innerJoin(enterprises, eq(enterprises.id, enterpriseFacts.enterpriseId))
        .where(
          and(enterpriseScope(req.auth!.scope), eq(enterpriseFacts.year, year), eq(enterpriseFacts.aboveScale, false)),
        );
      const items = rows
        .map((r) => {
          const f = (r.facts ?? {}) as Record<string, unknown>;
          const revenue = (f.main_business_revenue ?? f.operating_revenue) as number | undefined;
          const rule = aboveScale(
            { industryCode: r.industryCode, revenueWan: revenue ?? null, employees: null },
            `${year}-12-31`,
          ).rule;
          const threshold = rule?.revenueWan ?? null;
          const growth = typeof f.revenue_growth === 'number' ? f.revenue_growth : null;
          return {
            enterpriseId: r.id,
            name: r.name,
            regionCode: r.regionCode,
            year,
            revenue: revenue ?? null,
            threshold,
            share: revenue !== undefined && threshold ? Math.round((revenue / threshold) * 1000) / 1000 : null,
            growth,
            selfReported: ((f._trust as Record<string, number> | undefined)?.main_business_revenue ?? 1) === 0,
          };
        })
        .filter((x) => x.share !== null && x.share >= req.query.share && x.share < 1)
        .sort((a, b) => (b.share ?? 0) - (a.share ?? 0))
        .slice(0, req.query.limit);
      return { year, items };
    },
  );

  // ---- pool ----------------------------------------------------------------------------------------------
  const planItem = z.object({
    title: z.string().trim().min(1).max(200),
    due: z.iso.date(),
    done: z.boolean().default(false),
  });
  async function visibleEnterprise(scope: Scope, id: string) {
    const [e] = await db
      .select({ id: enterprises.id, regionCode: enterprises.regionCode, name: enterprises.name })
      .from(enterprises)
      .where(and(eq(enterprises.id, id), enterpriseScope(scope)));
    if (!e) throw new AppError('NOT_FOUND');
    return e;
  }

  app.get(
    '/api/v1/cultivation/pool',
    {
      config: { access: 'enterprises:read' },
      schema: { tags: ['cultivation'], summary: '培育库: the firms being guided, in scope' },
    },
    async (req) => {
      const rows = await db
        .select({ p: cultivationPool, name: enterprises.name, mentor: users.displayName })
        .from(cultivationPool)
        .innerJoin(enterprises, eq(enterprises.id, cultivationPool.enterpriseId))
        .leftJoin(users, eq(users.id, cultivationPool.mentorUserId))
        .where(enterpriseScope(req.auth!.scope))
        .orderBy(asc(cultivationPool.status), asc(enterprises.name));
      return {
        items: rows.map((r) => ({
          ...r.p,
          name: r.name,
          mentorName: r.mentor ?? null,
          createdAt: r.p.createdAt.toISOString(),
          updatedAt: r.p.updatedAt.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/cultivation/pool',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['cultivation'],
        summary: 'Add a firm to the 培育库 (from a near-miss list, an application, or by hand)',
        body: z
          .object({
            enterpriseId: z.uuid(),
            targetTier: z.enum(TIERS),
            source: z.enum(['near_miss', 'application', 'manual']).default('manual'),
            mentorUserId: z.uuid().nullable().optional(),
            plan: z.array(planItem).max(50).default([]),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const e = await visibleEnterprise(req.auth!.scope, b.enterpriseId);
      const row = await db.transaction(async (tx) => {
        const [dup] = await tx
          .select({ id: cultivationPool.id })
          .from(cultivationPool)
          .where(
            and(
              eq(cultivationPool.enterpriseId, e.id),
              eq(cultivationPool.targetTier, b.targetTier),
              eq(cultivationPool.status, 'active'),
            ),
          );
        if (dup) throw new AppError('DUPLICATE');
        const [r] = await tx
          .insert(cultivationPool)
          .values({
            enterpriseId: e.id,
            regionCode: e.regionCode,
            targetTier: b.targetTier,
            source: b.source,
            mentorUserId: b.mentorUserId ?? null,
            plan: b.plan,
          })
          .returning();
        await deps.audit.write(tx, req.actor(), {
          action: 'cultivation.pool.add',
          entity: 'enterprise',
          entityId: e.id,
          regionCode: e.regionCode,
          summary: { targetTier: b.targetTier, source: b.source },
        });
        return r!;
      });
      return reply.status(201).send({ id: row.id, enterpriseId: row.enterpriseId, status: row.status });
    },
  );

  app.post(
    '/api/v1/cultivation/pool/update',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['cultivation'],
        summary: 'Change a pool entry: status, mentor, plan; add a progress note',
        body: z
          .object({
            id: z.uuid(),
            status: z.enum(['active', 'recognised', 'withdrawn']).optional(),
            mentorUserId: z.uuid().nullable().optional(),
            plan: z.array(planItem).max(50).optional(),
            note: z.string().trim().min(1).max(2000).optional(),
          })
          .strict(),
      },
    },
    async (req) => {
      const b = req.body;
      return db.transaction(async (tx) => {
        const [p] = await tx
          .select({ p: cultivationPool })
          .from(cultivationPool)
          .innerJoin(enterprises, eq(enterprises.id, cultivationPool.enterpriseId))
          .where(and(eq(cultivationPool.id, b.id), enterpriseScope(req.auth!.scope)));
        if (!p) throw new AppError('NOT_FOUND');
        const notes = b.note
          ? [...p.p.notes, { at: deps.clock.now().toISOString(), by: req.auth!.user.username, text: b.note }]
          : p.p.notes;
        await tx
          .update(cultivationPool)
          .set({
            status: b.status ?? p.p.status,
            mentorUserId: b.mentorUserId === undefined ? p.p.mentorUserId : b.mentorUserId,
            plan: b.plan ?? p.p.plan,
            notes,
            updatedAt: sql`now()`,
          })
          .where(eq(cultivationPool.id, b.id));
        await deps.audit.write(tx, req.actor(), {
          action: 'cultivation.pool.update',
          entity: 'enterprise',
          entityId: p.p.enterpriseId,
          regionCode: p.p.regionCode,
          summary: { status: b.status ?? null, note: !!b.note, plan: b.plan?.length ?? null },
        });
        return { id: b.id, status: b.status ?? p.p.status, notes: notes.length };
      });
    },
  );

  // ---- certifications --------------------------------------------------------------------------------------
  app.get(
    '/api/v1/cultivation/certifications',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['cultivation'],
        summary: 'Certifications in scope, with the 复核 due date (90 days before expiry)',
        querystring: z.object({ tier: z.enum(TIERS).optional() }),
      },
    },
    async (req) => {
      const rows = await db
        .select({ c: cultivationCertifications, name: enterprises.name })
        .from(cultivationCertifications)
        .innerJoin(enterprises, eq(enterprises.id, cultivationCertifications.enterpriseId))
        .where(
          and(
            enterpriseScope(req.auth!.scope),
            req.query.tier ? eq(cultivationCertifications.tier, req.query.tier) : undefined,
          ),
        )
        .orderBy(asc(cultivationCertifications.reviewDueOn))
        .limit(1000);
      const t = today();
      return {
        items: rows.map((r) => ({
          ...r.c,
          name: r.name,
          createdAt: r.c.createdAt.toISOString(),
          reviewDue: !r.c.revokedOn && r.c.reviewDueOn <= t && r.c.validUntil >= t,
          expired: r.c.validUntil < t,
        })),
      };
    },
  );

  app.post(
    '/api/v1/cultivation/certifications',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['cultivation'],
        summary: 'Record a recognition (tier, level, batch, date); valid 3 years; feeds enterprise qualifications',
        body: z
          .object({
            enterpriseId: z.uuid(),
            tier: z.enum(TIERS),
            level: z.enum(['national', 'provincial', 'municipal']),
            batchNo: z.string().trim().max(60).default(''),
            authority: z.string().trim().max(100).default(''),
            recognisedOn: z.iso.date(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.recognisedOn > today()) throw new AppError('DATE_IN_FUTURE', {}, { field: 'recognisedOn' });
      const e = await visibleEnterprise(req.auth!.scope, b.enterpriseId);
      const row = await db.transaction(async (tx) => {
        const r = await createCertification(tx, { ...b, regionCode: e.regionCode }, today());
        await deps.audit.write(tx, req.actor(), {
          action: 'cultivation.certification.create',
          entity: 'enterprise',
          entityId: e.id,
          regionCode: e.regionCode,
          summary: { tier: b.tier, level: b.level, batchNo: b.batchNo, recognisedOn: b.recognisedOn },
        });
        return r;
      });
      return reply.status(201).send({ id: row.id, validUntil: row.validUntil, reviewDueOn: row.reviewDueOn });
    },
  );

  app.post(
    '/api/v1/cultivation/certifications/revoke',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['cultivation'],
        summary: 'Revoke a certification (撤销): the qualification ends the day before',
        body: z.object({ id: z.uuid(), on: z.iso.date(), reason: z.string().trim().min(1).max(500) }).strict(),
      },
    },
    async (req) => {
      const b = req.body;
      return db.transaction(async (tx) => {
        const [c] = await tx
          .select({ id: cultivationCertifications.id, enterpriseId: cultivationCertifications.enterpriseId })
          .from(cultivationCertifications)
          .innerJoin(enterprises, eq(enterprises.id, cultivationCertifications.enterpriseId))
          .where(and(eq(cultivationCertifications.id, b.id), enterpriseScope(req.auth!.scope)));
        if (!c) throw new AppError('NOT_FOUND');
        const r = await revokeCertification(tx, b.id, b.on, b.reason, today());
        if (!r) throw new AppError('CONFLICT');
        await deps.audit.write(tx, req.actor(), {
          action: 'cultivation.certification.revoke',
          entity: 'enterprise',
          entityId: c.enterpriseId,
          regionCode: r.regionCode,
          summary: { id: b.id, on: b.on, reason: b.reason },
        });
        return { id: b.id, revokedOn: b.on };
      });
    },
  );

  // ---- targets -----------------------------------------------------------------------------------------------
  const metric = z.enum(['srdi_new', 'scale_up_new', 'innovative_new', 'little_giant_new']);
  app.get(
    '/api/v1/cultivation/targets',
    {
      config: { access: 'enterprises:read' },
      schema: {
        tags: ['cultivation'],
        summary: 'Targets per region and year',
        querystring: z.object({
          region: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
      },
    },
    async (req) => {
      const codes = regionsFor(deps, req.auth!.scope, req.query.region);
      const items = await db
        .select()
        .from(cultivationTargets)
        .where(inArray(cultivationTargets.regionCode, codes))
        .orderBy(asc(cultivationTargets.year), asc(cultivationTargets.regionCode));
      return { items: items.map((t) => ({ ...t, updatedAt: t.updatedAt.toISOString() })) };
    },
  );

  app.put(
    '/api/v1/cultivation/targets',
    {
      config: { access: 'enterprises:manage' },
      schema: {
        tags: ['cultivation'],
        summary: 'Set a target (region in your scope, year, metric)',
        body: z
          .object({
            region: z.string().regex(/^\d{6}$/),
            year: z.number().int().min(2000).max(2100),
            metric,
            target: z.number().int().min(0).max(100000),
          })
          .strict(),
      },
    },
    async (req) => {
      const b = req.body;
      regionsFor(deps, req.auth!.scope, b.region);
      await db.transaction(async (tx) => {
        await tx
          .insert(cultivationTargets)
          .values({ regionCode: b.region, year: b.year, metric: b.metric, target: b.target })
          .onConflictDoUpdate({
            target: [cultivationTargets.regionCode, cultivationTargets.year, cultivationTargets.metric],
            set: { target: b.target, updatedAt: sql`now()` },
          });
        await deps.audit.write(tx, req.actor(), {
          action: 'cultivation.target.set',
          entity: 'region',
          entityId: b.region,
          regionCode: b.region,
          summary: { year: b.year, metric: b.metric, target: b.target },
        });
      });
      return b;
    },
  );

  app.post(
    '/api/v1/cultivation/assess',
    {
      config: { access: 'enterprises:manage' },
      schema: { tags: ['cultivation'], summary: 'Queue the population assessment now (it also runs nightly)' },
    },
    async (req, reply) => {
      const id = await deps.jobs.record(db, req.actor(), ASSESS_JOB, {}, req.auth!.scope.rootRegion);
      await deps.jobs.dispatch(id);
      return reply.status(202).send({ id });
    },
  );
}

/** One listener for every app built in this process (tests build several). */
async function reassessOne(ex: Parameters<typeof assessPopulation>[0], enterpriseId: string, today: string) {
  await assessPopulation(ex, today, [enterpriseId]);
}

function fmt(v: unknown) {
  if (typeof v === 'number') return Math.abs(v) < 1 && v !== 0 ? `${Math.round(v * 1000) / 10}%` : String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  return v === null || v === undefined ? '—' : String(v);
}

async function sendXlsx(reply: FastifyReply, bytes: Buffer, filename: string) {
  return reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header(
      'content-disposition',
      `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .send(bytes);
}

export default cultivationRoutes;
