/** System: public info, system info, security settings, jobs. */
import { and, count, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobRuns } from '../../db/schema/index.ts';
import type { AuthContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { pageOf, pageQuery, pageSchema } from '../../platform/paging.ts';
import { errorResponses, iso, isoString, uuidParam } from '../../platform/schemas.ts';
import { securitySettingsSchema } from '../../platform/settings.ts';
import { AUDIT_VERIFY_JOB } from '../audit/routes.ts';

export const VERSION = '0.1.0';

const jobSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  progress: z.number(),
  message: z.string().nullable(),
  attempts: z.number(),
  createdBy: z.string().nullable(),
  createdAt: isoString,
  startedAt: isoString.nullable(),
  finishedAt: isoString.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
});

type JobRow = typeof jobRuns.$inferSelect;
const presentJob = (j: JobRow) => ({
  id: j.id,
  type: j.type,
  status: j.status,
  progress: j.progress,
  message: j.message,
  attempts: j.attempts,
  createdBy: j.createdByUsername,
  createdAt: iso(j.createdAt)!,
  startedAt: iso(j.startedAt),
  finishedAt: iso(j.finishedAt),
  result: j.result ?? null,
});

/** Jobs a caller sees: their own, plus those filed in their region subtree; the system admin sees all. */
function jobScope(auth: AuthContext): SQL | undefined {
  const own = eq(jobRuns.createdBy, auth.user.id);
  if (auth.scope.kind === 'all') return undefined;
  if (auth.scope.kind === 'region' && auth.scope.regionCodes.length)
    return or(own, inArray(jobRuns.regionCode, [...auth.scope.regionCodes]));
  return own;
}

export async function systemRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;

  app.get(
    '/api/v1/system/public-info',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        response: { 200: z.object({ name: z.string(), version: z.string(), demo: z.boolean() }) },
      },
    },
    async () => ({ name: '苗圃 Miaopu', version: VERSION, demo: deps.config.profile !== 'production' }),
  );

  app.get(
    '/api/v1/system/info',
    {
      config: { access: 'system:manage' },
      schema: {
        tags: ['system'],
        response: {
          200: z.object({
            version: z.string(),
            database: z.enum(['pglite', 'postgres']),
            profile: z.string(),
            uptimeSeconds: z.number(),
            node: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      version: VERSION,
      database: deps.database.kind,
      profile: deps.config.profile,
      uptimeSeconds: Math.round(process.uptime()),
      node: process.version,
    }),
  );

  app.get(
    '/api/v1/settings/security',
    {
      config: { access: 'security:manage' },
      schema: { tags: ['settings'], response: { 200: securitySettingsSchema, ...errorResponses } },
    },
    async () => deps.settings.security(db),
  );

  app.put(
    '/api/v1/settings/security',
    {
      config: { access: 'security:manage' },
      schema: {
        tags: ['settings'],
        body: securitySettingsSchema,
        response: { 200: securitySettingsSchema, ...errorResponses },
      },
    },
    async (req) => {
      await db.transaction(async (tx) => {
        const before = await deps.settings.security(tx);
        await deps.settings.saveSecurity(tx, req.body, req.auth!.user.id);
        await deps.audit.write(tx, req.actor(), {
          action: 'settings.security.update',
          entity: 'settings',
          entityId: 'security',
          summary: { before, after: req.body },
        });
      });
      deps.settings.invalidate();
      return deps.settings.security(db);
    },
  );

  app.get(
    '/api/v1/jobs',
    {
      config: { access: 'jobs:read' },
      schema: {
        tags: ['jobs'],
        querystring: pageQuery.extend({ status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional() }),
        response: { 200: pageSchema(jobSchema), ...errorResponses },
      },
    },
    async (req) => {
      const where = and(jobScope(req.auth!), req.query.status ? eq(jobRuns.status, req.query.status) : undefined);
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(jobRuns)
          .where(where)
          .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
          .limit(req.query.pageSize)
          .offset((req.query.page - 1) * req.query.pageSize),
        db.select({ n: count() }).from(jobRuns).where(where),
      ]);
      return pageOf(rows.map(presentJob), total?.n ?? 0, req.query);
    },
  );

  app.get(
    '/api/v1/jobs/:id',
    {
      config: { access: 'jobs:read', entity: 'job' },
      schema: { tags: ['jobs'], params: uuidParam, response: { 200: jobSchema, ...errorResponses } },
    },
    async (req) => {
      const [row] = await db
        .select()
        .from(jobRuns)
        .where(and(eq(jobRuns.id, req.params.id), jobScope(req.auth!)));
      if (!row) throw new AppError('NOT_FOUND');
      return presentJob(row);
    },
  );

  app.post(
    '/api/v1/jobs/audit-verify',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['jobs', 'audit'],
        summary: 'Verify the audit hash chain in the background',
        response: { 202: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = await db.transaction(async (tx) => {
        const jobId = await deps.jobs.record(tx, req.actor(), AUDIT_VERIFY_JOB, {}, null);
        await deps.audit.write(tx, req.actor(), { action: 'audit.verify.start', entity: 'job', entityId: jobId });
        return jobId;
      });
      await deps.jobs.dispatch(id);
      reply.status(202);
      return { id };
    },
  );
}
