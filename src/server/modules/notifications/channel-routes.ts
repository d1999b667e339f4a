/**
 * Notification channels API (issue #21, decision 0026): the signed-in user's preferences, the org group robots
 * (region admins, orgs in their scope), the channel settings (system admin: SMTP server, host allow-list) and
 * the delivery log (paged, filtered; region admins see their region's, the system admin all without contents).
 */
import { and, count, desc, eq, ilike, inArray, type SQL, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CHANNELS,
  DELIVERY_STATUSES,
  DIGEST_FREQUENCIES,
  EMAIL_MODES,
  hostAllowed,
  maskEmail,
  maskUrl,
  NOTICE_CATEGORIES,
  normaliseAllowEntry,
  ROBOT_FORMATS,
  ROBOT_PLATFORMS,
} from '../../../domain/notification-channels.ts';
import { notificationDeliveries, notificationPreferences, notificationRobots, orgs } from '../../db/schema/index.ts';
import { AppError, localeOf } from '../../platform/errors.ts';
import { dateOnly } from '../../platform/input.ts';
import { likePattern, pageOf, pageQuery, pageSchema } from '../../platform/paging.ts';
import { errorResponses, iso, isoString, okSchema, uuidParam } from '../../platform/schemas.ts';
import { type ChannelService, DIGEST_JOB, SMTP_SECURITY, shanghaiDay } from './channels.ts';
import { deliveryErrorText } from './webhook.ts';

const modesSchema = z.object(
  Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, z.enum(EMAIL_MODES)])) as Record<
    (typeof NOTICE_CATEGORIES)[number],
    z.ZodEnum<{ immediate: 'immediate'; digest: 'digest'; off: 'off' }>
  >,
);

const prefsOut = z.object({
  emailMasked: z.string().nullable(),
  hasEmail: z.boolean(),
  categories: modesSchema,
  digest: z.enum(DIGEST_FREQUENCIES),
  smtpConfigured: z.boolean(),
});

const prefsIn = z
  .object({
    /** Omitted: keep; null or empty: remove; otherwise the new address. */
    email: z.union([z.email().max(200), z.literal(''), z.null()]).optional(),
    categories: modesSchema,
    digest: z.enum(DIGEST_FREQUENCIES),
  })
  .strict();

const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((u) => !/[\s]/.test(u));

const robotIn = z
  .object({
    orgId: z.uuid(),
    name: z.string().trim().min(1).max(60),
    platform: z.enum(ROBOT_PLATFORMS),
    url: webhookUrl,
    /** DingTalk 加签 secret (SEC…); omitted on update: keep; null: remove. */
    secret: z.string().trim().min(1).max(200).nullable().optional(),
    format: z.enum(ROBOT_FORMATS).default('markdown'),
    categories: z.array(z.enum(NOTICE_CATEGORIES)).max(NOTICE_CATEGORIES.length).default(['supervision', 'deadline']),
    enabled: z.boolean().default(true),
  })
  .strict();
const robotUpdate = robotIn.omit({ orgId: true }).extend({ url: webhookUrl.optional() }).strict();

const robotOut = z.object({
  id: z.string(),
  orgId: z.string(),
  orgName: z.string(),
  regionCode: z.string(),
  name: z.string(),
  platform: z.enum(ROBOT_PLATFORMS),
  urlMasked: z.string(),
  hasSecret: z.boolean(),
  format: z.enum(ROBOT_FORMATS),
  categories: z.array(z.string()),
  enabled: z.boolean(),
  updatedAt: isoString,
});

const settingsOut = z.object({
  smtp: z
    .object({
      host: z.string(),
      port: z.number(),
      security: z.enum(SMTP_SECURITY),
      username: z.string().nullable(),
      hasPassword: z.boolean(),
      from: z.string(),
    })
    .nullable(),
  allowList: z.array(z.string()),
  publicBaseUrl: z.string().nullable(),
  backoffBaseSeconds: z.number(),
  maxAttempts: z.number(),
});

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/);

const settingsIn = z
  .object({
    smtp: z
      .object({
        host: hostName,
        port: z.number().int().min(1).max(65535),
        security: z.enum(SMTP_SECURITY),
        username: z.string().trim().max(200).nullable().optional(),
        /** Omitted: keep the stored one; null: remove. */
        password: z.string().max(500).nullable().optional(),
        from: z.string().trim().min(3).max(200),
      })
      .strict()
      .nullable(),
    allowList: z.array(z.string().trim().min(1).max(300)).max(50),
    publicBaseUrl: z
      .url({ protocol: /^https?$/ })
      .max(300)
      .nullable(),
    backoffBaseSeconds: z.number().int().min(1).max(3600).default(30),
    maxAttempts: z.number().int().min(1).max(10).default(5),
  })
  .strict();

const deliveryOut = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  purpose: z.enum(['notice', 'digest', 'test']),
  kind: z.string().nullable(),
  targetMasked: z.string(),
  subject: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: isoString,
  lastAttemptAt: isoString.nullable(),
  nextAttemptAt: isoString.nullable(),
  sentAt: isoString.nullable(),
});

export async function channelRoutes(base: FastifyInstance, channels: ChannelService) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;

  deps.jobs.register(
    DIGEST_JOB,
    async (ctx) => {
      const day = typeof ctx.payload.day === 'string' ? ctx.payload.day : shanghaiDay(deps.clock.now());
      const out = await channels.runDigest(day);
      await ctx.progress(100);
      return out;
    },
    { daily: true },
  );

  // ------------------------------------------------------------------ preferences (every signed-in user)

  app.get(
    '/api/v1/notifications/preferences',
    {
      config: { access: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'My notification settings',
        response: { 200: prefsOut, ...errorResponses },
      },
    },
    async (req) => {
      const p = await channels.preferences(db, req.auth!.user.id);
      const st = await channels.settings();
      return { ...p, smtpConfigured: !!st.smtp };
    },
  );

  app.put(
    '/api/v1/notifications/preferences',
    {
      config: { access: 'notifications:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Change my notification settings (channels per category, digest, e-mail address)',
        body: prefsIn,
        response: { 200: prefsOut, ...errorResponses },
      },
    },
    async (req) => {
      const userId = req.auth!.user.id;
      const b = req.body;
      const emailSet =
        b.email === undefined
          ? {}
          : b.email
            ? { emailEnc: deps.cipher.encrypt(b.email.trim()), emailMasked: maskEmail(b.email.trim()) }
            : { emailEnc: null, emailMasked: null };
      await db.transaction(async (tx) => {
        await tx
          .insert(notificationPreferences)
          .values({ userId, categories: b.categories, digest: b.digest, ...emailSet })
          .onConflictDoUpdate({
            target: notificationPreferences.userId,
            set: { categories: b.categories, digest: b.digest, ...emailSet, updatedAt: new Date() },
          });
        await deps.audit.write(tx, req.actor(), {
          action: 'notification.preferences.update',
          entity: 'user',
          entityId: userId,
          summary: {
            categories: b.categories,
            digest: b.digest,
            email: b.email === undefined ? 'unchanged' : b.email ? 'set' : 'removed',
          },
        });
      });
      const p = await channels.preferences(db, userId);
      return { ...p, smtpConfigured: !!(await channels.settings()).smtp };
    },
  );

  // ------------------------------------------------------------------ org robots (region admins)

  const regionScope = (req: FastifyRequest) => {
    const s = req.auth!.scope;
    return s.kind === 'region' ? s.regionCodes : [];
  };

  /** An org the caller administers (its region in the caller's subtree), else 404 / a field error. */
  const orgInScope = async (req: FastifyRequest, orgId: string) => {
    const [o] = await db.select().from(orgs).where(eq(orgs.id, orgId));
    if (!o || !regionScope(req).includes(o.regionCode))
      throw new AppError('REFERENCE_OUT_OF_SCOPE', { field: 'orgId' });
    return o;
  };

  const robotInScope = async (req: FastifyRequest, id: string) => {
    const [r] = await db
      .select({ r: notificationRobots, orgName: orgs.name })
      .from(notificationRobots)
      .innerJoin(orgs, eq(orgs.id, notificationRobots.orgId))
      .where(eq(notificationRobots.id, id));
    if (!r || !regionScope(req).includes(r.r.regionCode)) throw new AppError('NOT_FOUND');
    return r;
  };

  const present = (r: typeof notificationRobots.$inferSelect, orgName: string) => ({
    id: r.id,
    orgId: r.orgId,
    orgName,
    regionCode: r.regionCode,
    name: r.name,
    platform: r.platform,
    urlMasked: r.urlMasked,
    hasSecret: !!r.secretEnc,
    format: r.format,
    categories: r.categories,
    enabled: r.enabled,
    updatedAt: iso(r.updatedAt)!,
  });

  const checkAllowed = async (url: string) => {
    const st = await channels.settings();
    if (!hostAllowed(url, st.allowList)) {
      const u = new URL(url);
      throw new AppError(
        'WEBHOOK_HOST_NOT_ALLOWED',
        { host: `${u.protocol}//${u.host}` },
        { fields: [{ field: 'url', message: `${u.protocol}//${u.host}` }] },
      );
    }
  };

  app.get(
    '/api/v1/notifications/robots',
    {
      config: { access: 'notifications:robots' },
      schema: {
        tags: ['notifications'],
        summary: 'Group robots of the orgs in my region',
        querystring: pageQuery.extend({ orgId: z.uuid().optional() }),
        response: { 200: pageSchema(robotOut), ...errorResponses },
      },
    },
    async (req) => {
      const codes = regionScope(req);
      if (codes.length === 0) return pageOf([], 0, req.query);
      const where = and(
        inArray(notificationRobots.regionCode, [...codes]),
        req.query.orgId ? eq(notificationRobots.orgId, req.query.orgId) : undefined,
        req.query.q
          ? sql`(${notificationRobots.name} ilike ${likePattern(req.query.q)} or ${orgs.name} ilike ${likePattern(req.query.q)})`
          : undefined,
      );
      const [rows, [total]] = await Promise.all([
        db
          .select({ r: notificationRobots, orgName: orgs.name })
          .from(notificationRobots)
          .innerJoin(orgs, eq(orgs.id, notificationRobots.orgId))
          .where(where)
          .orderBy(orgs.name, notificationRobots.name)
          .limit(req.query.pageSize)
          .offset((req.query.page - 1) * req.query.pageSize),
        db
          .select({ n: count() })
          .from(notificationRobots)
          .innerJoin(orgs, eq(orgs.id, notificationRobots.orgId))
          .where(where),
      ]);
      return pageOf(
        rows.map((x) => present(x.r, x.orgName)),
        total?.n ?? 0,
        req.query,
      );
    },
  );

  app.post(
    '/api/v1/notifications/robots',
    {
      config: { access: 'notifications:robots' },
      schema: {
        tags: ['notifications'],
        summary: 'Add a group robot to an org (webhook URL on the allow-list; DingTalk 加签 secret optional)',
        body: robotIn,
        response: { 201: robotOut, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const o = await orgInScope(req, b.orgId);
      await checkAllowed(b.url);
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .insert(notificationRobots)
          .values({
            orgId: o.id,
            regionCode: o.regionCode,
            name: b.name,
            platform: b.platform,
            urlEnc: deps.cipher.encrypt(b.url),
            urlMasked: maskUrl(b.url),
            secretEnc: b.secret ? deps.cipher.encrypt(b.secret) : null,
            format: b.format,
            categories: b.categories,
            enabled: b.enabled,
            createdBy: req.auth!.user.id,
          })
          .returning();
        await deps.audit.write(tx, req.actor(), {
          action: 'notification.robot.create',
          entity: 'notification_robot',
          entityId: r!.id,
          regionCode: o.regionCode,
          summary: { org: o.name, name: b.name, platform: b.platform, target: r!.urlMasked, signed: !!b.secret },
        });
        return r!;
      });
      reply.status(201);
      return present(row, o.name);
    },
  );

  app.put(
    '/api/v1/notifications/robots/:id',
    {
      config: { access: 'notifications:robots', entity: 'notification_robot' },
      schema: {
        tags: ['notifications'],
        summary: 'Change a group robot (URL and secret only when given)',
        params: uuidParam,
        body: robotUpdate,
        response: { 200: robotOut, ...errorResponses },
      },
    },
    async (req) => {
      const cur = await robotInScope(req, req.params.id);
      const b = req.body;
      if (b.url) await checkAllowed(b.url);
      const row = await db.transaction(async (tx) => {
        const [r] = await tx
          .update(notificationRobots)
          .set({
            name: b.name,
            platform: b.platform,
            format: b.format,
            categories: b.categories,
            enabled: b.enabled,
            ...(b.url ? { urlEnc: deps.cipher.encrypt(b.url), urlMasked: maskUrl(b.url) } : {}),
            ...(b.secret === undefined ? {} : { secretEnc: b.secret ? deps.cipher.encrypt(b.secret) : null }),
            updatedAt: new Date(),
          })
          .where(eq(notificationRobots.id, cur.r.id))
          .returning();
        await deps.audit.write(tx, req.actor(), {
          action: 'notification.robot.update',
          entity: 'notification_robot',
          entityId: cur.r.id,
          regionCode: cur.r.regionCode,
          summary: {
            name: b.name,
            platform: b.platform,
            enabled: b.enabled,
            categories: b.categories,
            url: b.url ? 'changed' : 'unchanged',
            secret: b.secret === undefined ? 'unchanged' : b.secret ? 'changed' : 'removed',
          },
        });
        return r!;
      });
      return present(row, cur.orgName);
    },
  );

  app.delete(
    '/api/v1/notifications/robots/:id',
    {
      config: { access: 'notifications:robots', entity: 'notification_robot' },
      schema: {
        tags: ['notifications'],
        summary: 'Remove a group robot',
        params: uuidParam,
        response: { 200: okSchema, ...errorResponses },
      },
    },
    async (req) => {
      const cur = await robotInScope(req, req.params.id);
      await db.transaction(async (tx) => {
        await tx.delete(notificationRobots).where(eq(notificationRobots.id, cur.r.id));
        await deps.audit.write(tx, req.actor(), {
          action: 'notification.robot.delete',
          entity: 'notification_robot',
          entityId: cur.r.id,
          regionCode: cur.r.regionCode,
          summary: { name: cur.r.name, target: cur.r.urlMasked },
        });
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/notifications/robots/:id/test',
    {
      config: { access: 'notifications:robots', entity: 'notification_robot' },
      schema: {
        tags: ['notifications'],
        summary: 'Queue a test message to a robot (see the delivery log for the result)',
        params: uuidParam,
        response: { 200: z.object({ deliveryId: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const cur = await robotInScope(req, req.params.id);
      const deliveryId = await db.transaction(async (tx) => {
        const id = await channels.enqueueRobotTest(tx, cur.r, req.auth!.user.displayName);
        await deps.audit.write(tx, req.actor(), {
          action: 'notification.robot.test',
          entity: 'notification_robot',
          entityId: cur.r.id,
          regionCode: cur.r.regionCode,
          summary: { delivery: id },
        });
        return id;
      });
      return { deliveryId };
    },
  );

  // ------------------------------------------------------------------ channel settings (system admin)

  const presentSettings = async () => {
    const st = await channels.settings();
    return {
      smtp: st.smtp
        ? {
            host: st.smtp.host,
            port: st.smtp.port,
            security: st.smtp.security,
            username: st.smtp.username,
            hasPassword: !!st.smtp.passwordEnc,
            from: st.smtp.from,
          }
        : null,
      allowList: st.allowList,
      publicBaseUrl: st.publicBaseUrl,
      backoffBaseSeconds: st.backoffBaseSeconds,
      maxAttempts: st.maxAttempts,
    };
  };

  app.get(
    '/api/v1/notifications/channel-settings',
    {
      config: { access: 'system:manage' },
      schema: {
        tags: ['notifications'],
        summary: 'Mail server, webhook host allow-list and retry settings (the password is never returned)',
        response: { 200: settingsOut, ...errorResponses },
      },
    },
    async () => presentSettings(),
  );

  app.put(
    '/api/v1/notifications/channel-settings',
    {
      config: { access: 'system:manage' },
      schema: {
        tags: ['notifications'],
        summary: 'Change the mail server, the webhook host allow-list and the retry settings',
        body: settingsIn,
        response: { 200: settingsOut, ...errorResponses },
      },
    },
    async (req) => {
      const b = req.body;
      const bad = b.allowList.map((e, i) => ({ e, i })).filter(({ e }) => normaliseAllowEntry(e) === null);
      if (bad.length) {
        throw new AppError(
          'VALIDATION_FAILED',
          {},
          {
            fields: bad.map(({ e, i }) => ({ field: `allowList.${i}`, message: e })),
          },
        );
      }
      const allowList = [...new Set(b.allowList.map((e) => normaliseAllowEntry(e)!))];
      const before = await channels.settings();
      const smtp = b.smtp
        ? {
            host: b.smtp.host,
            port: b.smtp.port,
            security: b.smtp.security,
            username: b.smtp.username || null,
            passwordEnc:
              b.smtp.password === undefined
                ? (before.smtp?.passwordEnc ?? null)
                : b.smtp.password
                  ? deps.cipher.encrypt(b.smtp.password)
                  : null,
            from: b.smtp.from,
          }
        : null;
      await db.transaction(async (tx) => {
        await channels.saveSettings(
          tx,
          {
            smtp,
            allowList,
            publicBaseUrl: b.publicBaseUrl ? b.publicBaseUrl.replace(/\/$/, '') : null,
            backoffBaseSeconds: b.backoffBaseSeconds,
            maxAttempts: b.maxAttempts,
          },
          req.auth!.user.id,
        );
        await deps.audit.write(tx, req.actor(), {
          action: 'settings.notification-channels.update',
          entity: 'settings',
          entityId: 'notification-channels',
          summary: {
            before: { smtpHost: before.smtp?.host ?? null, allowList: before.allowList },
            after: {
              smtpHost: smtp?.host ?? null,
              allowList,
              password: b.smtp?.password === undefined ? 'unchanged' : b.smtp.password ? 'changed' : 'removed',
            },
          },
        });
      });
      channels.invalidate();
      return presentSettings();
    },
  );

  // ------------------------------------------------------------------ delivery log

  app.get(
    '/api/v1/notifications/deliveries',
    {
      config: { access: 'notifications:deliveries' },
      schema: {
        tags: ['notifications'],
        summary: 'Delivery log: channel, masked target, status, attempts, last error (localized), times',
        querystring: pageQuery.extend({
          channel: z.enum(CHANNELS).optional(),
          status: z.enum(DELIVERY_STATUSES).optional(),
          purpose: z.enum(['notice', 'digest', 'test']).optional(),
          from: dateOnly.optional(),
          to: dateOnly.optional(),
        }),
        response: { 200: pageSchema(deliveryOut), ...errorResponses },
      },
    },
    async (req) => {
      const d = notificationDeliveries;
      const scope = req.auth!.scope;
      const q = req.query;
      const scopeCond: SQL | undefined =
        scope.kind === 'all'
          ? undefined
          : scope.kind === 'region' && scope.regionCodes.length
            ? inArray(d.regionCode, [...scope.regionCodes])
            : sql`false`;
      const where = and(
        scopeCond,
        q.channel ? eq(d.channel, q.channel) : undefined,
        q.status ? eq(d.status, q.status) : undefined,
        q.purpose ? eq(d.purpose, q.purpose) : undefined,
        q.from ? sql`${d.createdAt} >= (${q.from}::date::timestamp at time zone 'Asia/Shanghai')` : undefined,
        q.to ? sql`${d.createdAt} < ((${q.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')` : undefined,
        q.q ? ilike(d.targetMasked, likePattern(q.q)) : undefined,
      );
      const [rows, [total]] = await Promise.all([
        db
          .select()
          .from(d)
          .where(where)
          .orderBy(desc(d.createdAt), desc(d.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(d).where(where),
      ]);
      const locale = localeOf(req);
      // the system admin sees no business data (三权分立): subjects stay hidden outside a region scope
      const showSubject = scope.kind === 'region';
      return pageOf(
        rows.map((r) => ({
          id: r.id,
          channel: r.channel,
          purpose: r.purpose,
          kind: r.kind,
          targetMasked: r.targetMasked,
          subject: showSubject ? r.subject : null,
          status: r.status,
          attempts: r.attempts,
          maxAttempts: r.maxAttempts,
          lastError: deliveryErrorText(r.lastErrorCode, r.lastErrorDetail, locale),
          createdAt: iso(r.createdAt)!,
          lastAttemptAt: iso(r.lastAttemptAt),
          nextAttemptAt: r.status === 'pending' ? iso(r.nextAttemptAt) : null,
          sentAt: iso(r.sentAt),
        })),
        total?.n ?? 0,
        q,
      );
    },
  );
}
