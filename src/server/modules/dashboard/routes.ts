/** HTTP routes of the cockpit (驾驶舱, issue #21). The figures come from `summary.ts`. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dateOnly } from '../../platform/input.ts';
import { errorResponses } from '../../platform/schemas.ts';
import { dashboardSummary } from './summary.ts';

const unit = z.enum(['count', 'mu', 'm2', 'wan', 'yuan', 'percent', 'score']);

export const tileSchema = z.object({
  key: z.string(),
  value: z.number().nullable(),
  unit,
  asOf: z.string(),
  source: z.string(),
  href: z.string(),
  how: z.string(),
  howEn: z.string(),
  endpoint: z.string(),
  group: z.enum(['parks', 'projects', 'firms', 'assistance', 'policies']),
  target: z.number().nullable().optional(),
  targetPeriod: z
    .object({ period: z.enum(['year', 'half', 'quarter']), year: z.number(), no: z.number(), basis: z.string() })
    .nullable()
    .optional(),
  completionRate: z.number().nullable().optional(),
  timeProgress: z.number().nullable().optional(),
  gapPp: z.number().nullable().optional(),
});

export const summarySchema = z.object({
  region: z.string(),
  regionName: z.string(),
  asOf: z.string(),
  generatedAt: z.string(),
  tiles: z.array(tileSchema),
  parksByStage: z.record(z.string(), z.number()),
  alerts: z.array(
    z.object({
      key: z.enum([
        'overdueMilestones',
        'overdueProblems',
        'laggingInvestment',
        'expiringQualifications',
        'behindTarget',
      ]),
      count: z.number(),
      level: z.enum(['red', 'orange', 'yellow']),
      href: z.string(),
      how: z.string(),
      howEn: z.string(),
      items: z.array(z.string()),
    }),
  ),
  rankings: z.array(
    z.object({
      key: z.enum(['parks.firms', 'parks.investmentRate', 'assistance.resolutionRate']),
      unit,
      href: z.string(),
      how: z.string(),
      howEn: z.string(),
      items: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          value: z.number().nullable(),
          n: z.number(),
          rank: z.number().nullable(),
        }),
      ),
    }),
  ),
  districts: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      parks: z.number(),
      landMu: z.number(),
      floorAreaM2: z.number(),
      firms: z.number(),
      investmentWan: z.number(),
      investmentRate: z.number().nullable(),
      problems: z.number(),
    }),
  ),
});

export async function dashboardRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;

  app.get(
    '/api/v1/dashboard/summary',
    {
      config: { access: 'dashboard:view' },
      schema: {
        tags: ['dashboard'],
        summary:
          'Cockpit tiles of a region (default: the caller’s) on asOf (default: today, Asia/Shanghai): each value from ' +
          'the owning module’s service, with as-of, source, how, the list behind it and target progress; alerts, ' +
          'district rankings with n. Region officials only; a region outside the scope → 403 REGION_OUT_OF_SCOPE',
        querystring: z.object({
          region: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
          asOf: dateOnly.optional(),
        }),
        response: { 200: summarySchema, ...errorResponses },
      },
    },
    async (req) => dashboardSummary(deps, req.auth!, { regionCode: req.query.region, asOf: req.query.asOf }),
  );
}

export default dashboardRoutes;
