/**
 * Notification channels (issue #21, decision 0026): per-user preferences, per-org group robots (DingTalk, WeCom)
 * and the delivery log, which is also the delivery queue (status, attempts, next attempt). Secrets (e-mail
 * addresses, webhook URLs with their tokens, signing secrets) are stored encrypted with the field cipher.
 */
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { orgs, users } from './index.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per user who changed their notification settings (defaults otherwise). */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** The e-mail address, encrypted (FieldCipher); null: no e-mail. */
  emailEnc: text('email_enc'),
  emailMasked: text('email_masked'),
  /** Per category: 'immediate' | 'digest' | 'off' (missing categories take the defaults). */
  categories: jsonb('categories').$type<Record<string, string>>().notNull().default({}),
  digest: text('digest', { enum: ['daily', 'weekly', 'off'] })
    .notNull()
    .default('daily'),
  /** Notices created after this instant go into the next digest. */
  digestCursor: ts('digest_cursor').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** An org's group robot (钉钉 / 企业微信 群机器人). */
export const notificationRobots = pgTable(
  'notification_robots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => orgs.id, { onDelete: 'cascade' }),
    /** The org's region (scope of the managing admins). */
    regionCode: text('region_code').notNull(),
    name: text('name').notNull(),
    platform: text('platform', { enum: ['dingtalk', 'wecom'] }).notNull(),
    /** The webhook URL with its access token or key, encrypted. */
    urlEnc: text('url_enc').notNull(),
    urlMasked: text('url_masked').notNull(),
    /** DingTalk signing secret (加签), encrypted; null: the robot does not sign. */
    secretEnc: text('secret_enc'),
    format: text('format', { enum: ['markdown', 'text'] })
      .notNull()
      .default('markdown'),
    categories: jsonb('categories').$type<string[]>().notNull().default(['supervision', 'deadline']),
    enabled: boolean('enabled').notNull().default(true),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('notification_robots_org_idx').on(t.orgId), index('notification_robots_region_idx').on(t.regionCode)],
);

/** Every outbound message: queued, attempted with backoff, sent or failed; the admins' delivery log. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: ['email', 'dingtalk', 'wecom'] }).notNull(),
    /** notice: one notice at once; digest: a user's digest; test: a robot's test message. */
    purpose: text('purpose', { enum: ['notice', 'digest', 'test'] }).notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    robotId: uuid('robot_id').references(() => notificationRobots.id, { onDelete: 'set null' }),
    /** Where the delivery is filed for the region admins' log (the user's or the robot's region). */
    regionCode: text('region_code'),
    orgId: uuid('org_id'),
    kind: text('kind'),
    targetMasked: text('target_masked').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
    lastAttemptAt: ts('last_attempt_at'),
    /** A code of the channel's error catalogue (localized when read) and a short detail (HTTP status, errmsg). */
    lastErrorCode: text('last_error_code'),
    lastErrorDetail: text('last_error_detail'),
    sentAt: ts('sent_at'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('notification_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('notification_deliveries_created_idx').on(t.createdAt),
    index('notification_deliveries_region_idx').on(t.regionCode, t.createdAt),
  ],
);
