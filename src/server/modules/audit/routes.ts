/** The read-only audit view (auditor only) and the chain verification job. */
import { and, count, desc, eq, gte, ilike, lte } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.ts';
import { checkpointFile, ensureCheckpointTable } from '../../platform/audit.ts';
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
export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';

const checkpointSchema = z.object({
  headId: z.number(),
  headHash: z.string(),
  rows: z.number(),
  at: z.string(),
  signature: z.string(),
  source: z.string(),
  valid: z.boolean(),
});

export async function auditRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;

  const anchorFile = checkpointFile(deps.config.dataDir);
  await ensureCheckpointTable(deps.database.db);
  deps.jobs.register(AUDIT_VERIFY_JOB, async (ctx) => {
    const result = await deps.audit.verify(
      deps.database.db,
      (checked, total) => ctx.progress(total ? (checked / total) * 100 : 100, `${checked}/${total}`),
      { checkpointFile: anchorFile },
    );
    // A chain that verifies is anchored at its current head (decision 0022).
    if (result.ok) await deps.audit.checkpoint(deps.database.db, anchorFile);
    return result;
  });
  // The daily anchor: a signed checkpoint of the head in audit_checkpoints and in DATA_DIR/audit/checkpoints.jsonl.
  deps.jobs.register(
    AUDIT_CHECKPOINT_JOB,
    async () => {
      const c = await deps.audit.checkpoint(deps.database.db, anchorFile);
      return c ? { headId: c.headId, rows: c.rows, at: c.at } : { headId: null };
    },
    { daily: true },
  );

  app.get(
    '/api/v1/audit/checkpoints',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Signed checkpoints (anchors) of the audit chain head, newest first',
        response: {
          200: z.object({
            latest: checkpointSchema.nullable(),
            items: z.array(checkpointSchema),
            file: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const all = await deps.audit.checkpoints(deps.database.db, anchorFile, 200);
      const items = all.slice(0, 50);
      return { latest: items[0] ?? null, items, file: 'DATA_DIR/audit/checkpoints.jsonl' };
    },
  );

  app.post(
    '/api/v1/audit/checkpoints',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Anchor the audit chain head now (signed checkpoint in the table and the file)',
        response: { 201: checkpointSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { db } = deps.database;
      await deps.audit.writeAlone(db, req.actor(), { action: 'audit.checkpoint' });
      const c = await deps.audit.checkpoint(db, anchorFile);
      return reply.status(201).send({ ...c!, source: 'table', valid: true });
    },
  );

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
