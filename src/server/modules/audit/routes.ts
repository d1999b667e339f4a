/** The read-only audit view (auditor only) and the chain verification job. */
import { and, count, desc, eq, gte, ilike, lte } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.ts';
import { dateTimeOrDate } from '../../platform/input.ts';
import { likePattern, orderBy, pageOf, pageQuery, pageSchema, sortParam } from '../../platform/paging.ts';
import { errorResponses, iso, isoString } from '../../platform/schemas.ts';

const auditSchema = z.object({
  id: z.number(),
  at: isoString,
  actorUsername: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  regionCode: z.string().nullable(),
  result: z.enum(['success', 'failure']),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  summary: z.record(z.string(), z.unknown()),
});

export const AUDIT_VERIFY_JOB = 'audit.verify';

export async function auditRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;

  deps.jobs.register(AUDIT_VERIFY_JOB, async (ctx) => {
    const result = await deps.audit.verify(deps.database.db, (checked, total) =>
      ctx.progress(total ? (checked / total) * 100 : 100, `${checked}/${total}`),
    );
    return result;
  });

  app.get(
    '/api/v1/audit',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit records (read-only)',
        querystring: pageQuery.extend({
          actor: z.string().max(64).optional(),
          action: z.string().max(64).optional(),
          entity: z.string().max(64).optional(),
          result: z.enum(['success', 'failure']).optional(),
          from: dateTimeOrDate.optional(),
          to: dateTimeOrDate.optional(),
          sort: sortParam(['at', 'action', 'actorUsername']),
        }),
        response: { 200: pageSchema(auditSchema), ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const where = and(
        q.actor ? ilike(auditLog.actorUsername, likePattern(q.actor)) : undefined,
        q.action ? ilike(auditLog.action, likePattern(q.action)) : undefined,
        q.entity ? eq(auditLog.entity, q.entity) : undefined,
        q.result ? eq(auditLog.result, q.result) : undefined,
        q.from ? gte(auditLog.at, new Date(q.from.length === 10 ? `${q.from}T00:00:00+08:00` : q.from)) : undefined,
        q.to ? lte(auditLog.at, new Date(q.to.length === 10 ? `${q.to}T23:59:59.999+08:00` : q.to)) : undefined,
      );
      const { db } = deps.database;
      const sortCol = { at: auditLog.at, action: auditLog.action, actorUsername: auditLog.actorUsername }[
        q.sort ?? 'at'
      ];
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(auditLog)
          .where(where)
          .orderBy(q.sort ? orderBy(sortCol, q.order) : desc(auditLog.id), desc(auditLog.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(auditLog).where(where),
      ]);
      // Reading the audit log is itself audited (security.md SMC-02).
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'audit.query',
        summary: { filters: Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) },
      });
      return pageOf(
        rows.map((r) => ({ ...r, at: iso(r.at)!, summary: r.summary ?? {} })),
        total?.n ?? 0,
        q,
      );
    },
  );
}
