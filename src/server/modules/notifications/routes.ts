/** The in-app inbox of the signed-in user. */
import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notifications } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { pageOf, pageQuery, pageSchema } from '../../platform/paging.ts';
import { errorResponses, iso, isoString, uuidParam } from '../../platform/schemas.ts';
import { channelRoutes } from './channel-routes.ts';
import { ChannelService } from './channels.ts';

const noticeSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: isoString,
  readAt: isoString.nullable(),
});

export async function notificationRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const { db } = base.deps.database;

  // e-mail and group-robot channels (decision 0026): notices queue deliveries through this hook
  const channels = new ChannelService(base.deps, (msg, err) => base.log.error({ err }, msg));
  base.deps.notifications.attachChannels(channels);
  await channelRoutes(base, channels);

  app.get(
    '/api/v1/notifications',
    {
      config: { access: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        querystring: pageQuery.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: pageSchema(noticeSchema), ...errorResponses },
      },
    },
    async (req) => {
      const where = and(
        eq(notifications.userId, req.auth!.user.id),
        req.query.unread === 'true' ? isNull(notifications.readAt) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(notifications)
          .where(where)
          .orderBy(desc(notifications.createdAt), desc(notifications.id))
          .limit(req.query.pageSize)
          .offset((req.query.page - 1) * req.query.pageSize),
        db.select({ n: count() }).from(notifications).where(where),
      ]);
      return pageOf(
        rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, readAt: iso(r.readAt) })),
        total?.n ?? 0,
        req.query,
      );
    },
  );

  app.get(
    '/api/v1/notifications/unread-count',
    {
      config: { access: 'notifications:read' },
      schema: { tags: ['notifications'], response: { 200: z.object({ count: z.number() }), ...errorResponses } },
    },
    async (req) => {
      const [row] = await db
        .select({ n: count() })
        .from(notifications)
        .where(and(eq(notifications.userId, req.auth!.user.id), isNull(notifications.readAt)));
      return { count: row?.n ?? 0 };
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      config: { access: 'notifications:read', entity: 'notification' },
      schema: { tags: ['notifications'], params: uuidParam, response: { 200: noticeSchema, ...errorResponses } },
    },
    async (req) => {
      const [row] = await db
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(eq(notifications.id, req.params.id), eq(notifications.userId, req.auth!.user.id)))
        .returning();
      if (!row) throw new AppError('NOT_FOUND');
      return { ...row, createdAt: iso(row.createdAt)!, readAt: iso(row.readAt) };
    },
  );

  app.post(
    '/api/v1/notifications/read-all',
    {
      config: { access: 'notifications:read' },
      schema: { tags: ['notifications'], response: { 200: z.object({ updated: z.number() }), ...errorResponses } },
    },
    async (req) => {
      const rows = await db
        .update(notifications)
        .set({ readAt: new Date() })
        .where(and(eq(notifications.userId, req.auth!.user.id), isNull(notifications.readAt)))
        .returning({ id: notifications.id });
      return { updated: rows.length };
    },
  );
}
