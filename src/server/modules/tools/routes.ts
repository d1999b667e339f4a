/**
 * Public calculators (issue #15, docs/decisions/0017-public-calculators.md): the USCC check and the enterprise size
 * class with 规上. No login (`access: 'public'`), but they live under /api/v1, so the CSRF double-submit applies as to
 * every unsafe method there (login included): GET /api/v1/auth/csrf issues the cookie without a session. Each
 * calculator is rate-limited per client IP by the app-wide @fastify/rate-limit (app.ts, decision 0021) through its
 * route config below.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SIZE_GROUPS } from '../../../domain/enterprise-size.ts';
import { localeOf } from '../../platform/errors.ts';
import { errorEnvelope } from '../../platform/schemas.ts';
import { todayShanghai } from '../projects/service.ts';
import {
  ambiguousParams,
  checkUscc,
  classify,
  indicatorLabel,
  resolveIndustry,
  type ToolErrorCode,
  toolErrorMessage,
} from './calculators.ts';

/**
 * Requests per client IP and minute, for each calculator separately. A person checking codes by hand makes a few a
 * minute and the web page sends one request per click; 60 leaves room for a whole office behind one NAT address while
 * stopping a script from using the endpoint as a bulk validator. The count is kept in PostgreSQL, shared by all app
 * instances (decision 0021); `RATE_LIMIT_TOOLS_PER_MINUTE` overrides it.
 */
export const TOOLS_RATE_LIMIT_PER_MINUTE = 60;

const TOOLS_RATE_WINDOW_MS = 60_000;

const INDICATOR_FIELDS = ['employees', 'revenue', 'assets', 'mainBusinessRevenue'] as const;

const usccBody = z
  .object({
    code: z
      .string()
      .max(64)
      .describe('统一社会信用代码 as typed: surrounding spaces, full-width characters and lower case are normalised'),
  })
  .strict();

const usccResponse = z.object({
  valid: z.boolean().describe('true when there is no hard error (rules.md §1.6 step 2)'),
  normalized: z.string().describe('trimmed, full-width → half-width, upper case'),
  errors: z.array(z.string()).describe('hard errors, as sentences in the language of Accept-Language'),
  warnings: z.array(z.string()).describe('warnings that do not make the code invalid, as sentences'),
  errorCodes: z.array(z.enum(['length', 'charset', 'division_digits', 'check_char'])),
  warningCodes: z.array(
    z.enum(['org_code_check', 'unknown_authority_category', 'unknown_division', 'registration_number']),
  ),
  expectedCheckChar: z.string().nullable().describe('the check character the first 17 characters give, when wrong'),
});

const amount = (what: string) => z.number().min(0).nullable().optional().describe(what);

const sizeBody = z
  .object({
    industry: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .describe(`GB/T 4754-2017 code ("C3311", "33", "C") or a size group of rules.md §2.1: ${SIZE_GROUPS.join(', ')}`),
    employees: amount('从业人员 X, persons'),
    revenue: amount('营业收入 Y, 万元'),
    assets: amount('资产总额 Z, 万元'),
    mainBusinessRevenue: amount(
      '年主营业务收入 (or 年营业收入 for services), 万元: when given, aboveScale is answered',
    ),
  })
  .strict();

const indicator = z.enum(['employees', 'revenue', 'assets']);
const sizeClass = z.enum(['large', 'medium', 'small', 'micro']);
const sizeResponse = z.object({
  size: z.enum(['large', 'medium', 'small', 'micro', 'unknown']),
  sizeName: z.string(),
  rule: z.object({
    standard: z.string(),
    group: z.enum(SIZE_GROUPS),
    groupName: z.string(),
    industryCode: z.string().nullable(),
    industryName: z.string().nullable(),
    principle: z.string(),
    thresholds: z.array(
      z.object({
        indicator,
        name: z.string(),
        unit: z.string(),
        large: z.number(),
        medium: z.number(),
        small: z.number(),
      }),
    ),
    tiers: z.array(
      z.object({
        tier: sizeClass,
        outcome: z.enum(['met', 'failed', 'unknown']),
        conditions: z.array(
          z.object({ indicator, value: z.number().nullable(), bound: z.number(), met: z.boolean().nullable() }),
        ),
        text: z.string(),
      }),
    ),
    text: z.string().describe('the whole explanation in one paragraph'),
  }),
  missing: z.array(indicator).describe('indicators of the group that were not given'),
  aboveScale: z
    .boolean()
    .nullable()
    .optional()
    .describe('规上 (rules.md §2.4) on today’s date; only with mainBusinessRevenue; null when the rule cannot tell'),
  aboveScaleRule: z.object({ id: z.string().nullable(), text: z.string() }).optional(),
});

const toolErrors = { 400: errorEnvelope, 403: errorEnvelope, 422: errorEnvelope, 429: errorEnvelope };

const CSRF_NOTE =
  'No login needed, but as every POST under /api/v1 it needs the header x-csrf-token equal to the cookie ' +
  `miaopu_csrf (GET /api/v1/auth/csrf issues both without a session). At most ${TOOLS_RATE_LIMIT_PER_MINUTE} ` +
  'requests a minute per client IP: then 429 RATE_LIMITED with Retry-After (seconds).';

function toolError(
  req: FastifyRequest,
  reply: FastifyReply,
  code: ToolErrorCode,
  params: Record<string, unknown>,
  details: unknown,
) {
  return reply.status(422).send({
    error: { code, message: toolErrorMessage(code, localeOf(req), params), details },
  });
}

export async function toolRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  // Per client IP, each calculator its own counter (the store keys by route), in the app's shared store.
  const rateLimitConfig = {
    max: base.abuse?.toolsPerMinute ?? TOOLS_RATE_LIMIT_PER_MINUTE,
    timeWindow: TOOLS_RATE_WINDOW_MS,
    keyGenerator: (req: FastifyRequest) => `ip:${req.ip}`,
  };

  app.post(
    '/api/v1/tools/uscc',
    {
      config: { access: 'public', rateLimit: rateLimitConfig },
      schema: {
        tags: ['tools'],
        summary: 'USCC check (GB 32100 / GB 11714, rules.md §1): normalised code, errors and warnings as sentences',
        description: CSRF_NOTE,
        security: [],
        body: usccBody,
        response: { 200: usccResponse, ...toolErrors },
      },
    },
    async (req) => checkUscc(req.body.code, localeOf(req), (code) => !!deps.regions.get(code)),
  );

  app.post(
    '/api/v1/tools/enterprise-size',
    {
      config: { access: 'public', rateLimit: rateLimitConfig },
      attachValidation: true,
      schema: {
        tags: ['tools'],
        summary:
          'Enterprise size (国统字〔2017〕213号, rules.md §2) with the thresholds that decided it, and 规上 (§2.4) when ' +
          'mainBusinessRevenue is given; 422 for an unknown or too coarse industry and for negative or non-finite numbers',
        description: CSRF_NOTE,
        security: [],
        body: sizeBody,
        response: { 200: sizeResponse, ...toolErrors },
      },
    },
    async (req, reply) => {
      const locale = localeOf(req);
      const invalid = req.validationError;
      if (invalid) {
        const issues = (invalid as { validation?: { instancePath?: string }[] }).validation ?? [];
        const fields = issues.map((v) => (v.instancePath ?? '').replace(/^\//, ''));
        const numeric = fields.filter((f) => (INDICATOR_FIELDS as readonly string[]).includes(f));
        // Only bad numbers answer 422; a missing industry or an unknown field stays the usual 400.
        if (numeric.length && numeric.length === fields.length) {
          const names = [...new Set(numeric)];
          return toolError(
            req,
            reply,
            'INVALID_NUMBER',
            { fields: names.map((f) => indicatorLabel(f, locale)).join(locale === 'en' ? ', ' : '、') },
            {
              fields: names.map((f) => ({
                field: `body.${f}`,
                message: toolErrorMessage('INVALID_NUMBER', locale, { fields: indicatorLabel(f, locale) }),
              })),
            },
          );
        }
        throw invalid;
      }
      const body = req.body;
      const resolved = resolveIndustry(body.industry);
      if (resolved.kind === 'unknown') {
        return toolError(
          req,
          reply,
          'UNKNOWN_INDUSTRY',
          { industry: body.industry },
          { field: 'body.industry', groups: SIZE_GROUPS },
        );
      }
      if (resolved.kind === 'ambiguous') {
        return toolError(req, reply, 'INDUSTRY_AMBIGUOUS', ambiguousParams(resolved.code, resolved.options, locale), {
          field: 'body.industry',
          options: resolved.options,
        });
      }
      return classify(body, resolved, locale, todayShanghai(deps.clock.now()));
    },
  );
}

/** Default export for app.ts's `app.register(import('./modules/tools/routes.ts'))`. */
export default toolRoutes;
