/** One error envelope for every API error: `{ error: { code, message, details } }` (DESIGN.md §5). */
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, formatMessage, type Locale, localizeIssue, pickLocale } from './messages.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  PASSWORD_POLICY: 400,
  WRONG_PASSWORD: 400,
  ROLE_SCOPE_MISMATCH: 400,
  REGION_OUT_OF_SCOPE: 403,
  TARGET_LEVEL_ABOVE: 403,
  ACTIVATION_INVALID: 400,
  GRANT_SELF: 403,
  ADMIN_ROLES_EXCLUSIVE: 409,
  LAST_ADMIN_ROLE: 409,
  MFA_REQUIRED: 401,
  TOTP_INVALID: 400,
  MFA_ENROLMENT_REQUIRED: 403,
  STEP_UP_REQUIRED: 403,
  TOTP_STATE_INVALID: 409,
  IMPORT_ROWS_INVALID: 400,
  DATE_IN_FUTURE: 400,
  REPORT_PERIOD_NOT_ENDED: 400,
  REPORT_ALREADY_SUBMITTED: 409,
  STAGE_TRANSITION_INVALID: 409,
  POLICY_TRANSITION_INVALID: 409,
  POLICY_NOT_EDITABLE: 409,
  POLICY_VERSION_CONFLICT: 409,
  POLICY_NEEDS_CLAUSES: 409,
  DATE_BEFORE_PREVIOUS: 409,
  EVIDENCE_REQUIRED: 409,
  BUDGET_EXCEEDED: 409,
  BATCH_OVER_BUDGET: 409,
  PUBLICITY_TOO_SHORT: 409,
  COMMON_ISSUE_NOTHING_TO_DO: 409,
  PAYOUT_STATE_INVALID: 409,
  CONSENT_REQUIRED: 409,
  POLICY_NOT_MIANSHEN: 409,
  APPLICATION_NOT_ALLOWED: 409,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  AUTH_FAILED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  INDICATOR_SUPERSEDED: 409,
  OFFICIAL_FIGURE_EXISTS: 409,
  INDICATOR_ALREADY_DECIDED: 409,
  FORBIDDEN_SELF_REVIEW: 403,
  SAME_PERSON_APPROVAL: 403,
  POLICY_ISSUER_OUT_OF_SCOPE: 403,
  POLICY_EXAMPLES_FAILING: 409,
  PLAN_CHANGE_STATE_INVALID: 409,
  DUPLICATE: 409,
  FILE_TOO_LARGE: 413,
  XLSX_TOO_LARGE: 413,
  XLSX_REJECTED: 422,
  XLSX_CELL_TOO_LONG: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_FILE_TYPE: 415,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  REFERENCE_OUT_OF_SCOPE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    public readonly code: ErrorCode,
    public readonly params: Record<string, unknown> = {},
    public readonly details: unknown = null,
  ) {
    super(code);
    this.status = STATUS[code] ?? 400;
  }
}

export const notFound = () => new AppError('NOT_FOUND');
export const forbidden = () => new AppError('FORBIDDEN');

export function localeOf(req: FastifyRequest): Locale {
  return pickLocale(req.headers['accept-language']);
}

export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError) {
  const locale = localeOf(req);
  return reply.status(err.status).send({
    error: { code: err.code, message: formatMessage(err.code, locale, err.params), details: err.details ?? null },
  });
}

/** Installs the error and not-found handlers. Internal errors never leak stacks (ASVS 7.4.1). */
export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof AppError) return sendError(req, reply, error);
    const locale = localeOf(req);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields = error.validation.map((v) => {
        const issue = { ...(v.params as Record<string, unknown>), code: v.keyword, message: v.message ?? '' };
        const where = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
        return {
          field: [error.validationContext, where].filter(Boolean).join('.'),
          message: localizeIssue(issue, locale),
        };
      });
      return sendError(req, reply, new AppError('VALIDATION_FAILED', {}, { fields }));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(req, reply, new AppError('UNSUPPORTED_MEDIA_TYPE'));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(req, reply, new AppError('PAYLOAD_TOO_LARGE', { limitKb: 1024 }));
    }
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') {
      return sendError(req, reply, new AppError('FILE_TOO_LARGE', { limitMb: 20 }));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(req, reply, new AppError('VALIDATION_FAILED', {}, { reason: error.message }));
    }
    const errorId = randomUUID();
    req.log.error({ err: error, errorId }, 'unhandled error');
    return sendError(req, reply, new AppError('INTERNAL', { errorId }, { errorId }));
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, new AppError('ROUTE_NOT_FOUND')));
}
