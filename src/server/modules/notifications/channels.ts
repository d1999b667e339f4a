/**
 * Outbound notification channels (issue #21, decision 0026): e-mail over SMTP (nodemailer) and group robots
 * (DingTalk, WeCom). Notices are queued as deliveries in the notifying transaction (the inbox row and its
 * deliveries commit together); a worker claims due deliveries (`FOR UPDATE SKIP LOCKED`, safe with several
 * instances), sends them, and retries failures with exponential backoff up to a maximum number of attempts.
 * The daily job `notifications.digest` sends each user's daily or weekly digest, grouped, and never an empty one.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import {
  backoffSeconds,
  type CategoryModes,
  categoryOf,
  DEFAULT_ALLOW_LIST,
  DEFAULT_CATEGORY_MODES,
  DEFAULT_DIGEST,
  DELIVERY_MAX_ATTEMPTS,
  type DigestFrequency,
  type DigestGroup,
  groupDigest,
  NOTICE_CATEGORIES,
  type NoticeCategory,
  type RobotFormat,
  type RobotPlatform,
} from '../../../domain/notification-channels.ts';
import type { Executor } from '../../db/client.ts';
import {
  notificationDeliveries,
  notificationPreferences,
  notificationRobots,
  notifications,
  settings,
  users,
} from '../../db/schema/index.ts';
import type { AppDeps } from '../../platform/context.ts';
import type { Notice, NotificationChannels } from '../../platform/notifications.ts';
import { DeliveryError, sendRobot } from './webhook.ts';

export const DIGEST_JOB = 'notifications.digest';
const SETTINGS_KEY = 'notification-channels';
const CLAIM_BATCH = 20;
const STALE_SENDING_MS = 5 * 60_000;

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;

/** Stored form of the channel settings (the SMTP password encrypted). */
const storedSettingsSchema = z.object({
  smtp: z
    .object({
      host: z.string(),
      port: z.number().int(),
      security: z.enum(SMTP_SECURITY),
      username: z.string().nullable(),
      passwordEnc: z.string().nullable(),
      from: z.string(),
    })
    .nullable()
    .default(null),
  allowList: z.array(z.string()).default([...DEFAULT_ALLOW_LIST]),
  publicBaseUrl: z.string().nullable().default(null),
  /** Seconds before the second attempt; doubles each time (tests shorten it). */
  backoffBaseSeconds: z.number().int().min(1).max(3600).default(30),
  maxAttempts: z.number().int().min(1).max(10).default(DELIVERY_MAX_ATTEMPTS),
});
export type StoredChannelSettings = z.infer<typeof storedSettingsSchema>;

export interface EffectivePreferences {
  emailMasked: string | null;
  hasEmail: boolean;
  categories: CategoryModes;
  digest: DigestFrequency;
}

export function effectiveModes(stored: Record<string, string> | null | undefined): CategoryModes {
  const out = { ...DEFAULT_CATEGORY_MODES };
  for (const c of NOTICE_CATEGORIES) {
    const v = stored?.[c];
    if (v === 'immediate' || v === 'digest' || v === 'off') out[c] = v;
  }
  return out;
}

/** `YYYY-MM-DD` of an instant in Asia/Shanghai. */
export function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function isMonday(day: string): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

const CATEGORY_ZH: Record<NoticeCategory, string> = {
  supervision: '督办',
  deadline: '到期与逾期提醒',
  workflow: '待办与流程',
  system: '系统消息',
};

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function timeZh(d: Date): string {
  const s = new Date(d.getTime() + 8 * 3_600_000).toISOString();
  return `${s.slice(5, 10)} ${s.slice(11, 16)}`;
}

/** The digest e-mail: subject and text (Chinese first, one English line). */
export function digestMail(groups: DigestGroup[], frequency: 'daily' | 'weekly', day: string, base: string | null) {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const label = frequency === 'daily' ? '每日' : '每周';
  const subject = `【苗圃】${label}通知摘要（${day}）：${total} 条`;
  const lines: string[] = [`您有 ${total} 条未读通知（合并为 ${groups.length} 项）：`, ''];
  for (const c of NOTICE_CATEGORIES) {
    const of = groups.filter((g) => g.category === c);
    if (of.length === 0) continue;
    lines.push(`【${CATEGORY_ZH[c]}】`);
    for (const g of of) {
      const times = g.count > 1 ? `（共 ${g.count} 次，最近 ${timeZh(g.last)}）` : `（${timeZh(g.last)}）`;
      const url = g.link?.startsWith('/') && base ? `${base}${g.link}` : null;
      lines.push(`· ${g.title}${times}${url ? ` ${url}` : ''}`);
    }
    lines.push('');
  }
  lines.push(
    '请登录苗圃平台查看并处理。',
    `Miaopu ${frequency} digest: ${total} unread notices in ${groups.length} groups.`,
  );
  return { subject, text: lines.join('\n'), total };
}

const services = new WeakMap<AppDeps, ChannelService>();

/** The channel service of an app (tests and jobs reach the worker and the digest through it). */
export function channelServiceOf(deps: AppDeps): ChannelService {
  const s = services.get(deps);
  if (!s) throw new Error('notification channels are not set up');
  return s;
}

export class ChannelService implements NotificationChannels {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<unknown> | null = null;
  private cache: { value: StoredChannelSettings; at: number } | null = null;

  constructor(
    private readonly deps: AppDeps,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {
    services.set(deps, this);
  }

  // ------------------------------------------------------------------ settings

  async settings(ex: Executor = this.deps.database.db): Promise<StoredChannelSettings> {
    if (this.cache && Date.now() - this.cache.at < 5_000) return this.cache.value;
    const [row] = await ex.select().from(settings).where(eq(settings.key, SETTINGS_KEY));
    const parsed = storedSettingsSchema.safeParse(row?.value ?? {});
    const value = parsed.success ? parsed.data : storedSettingsSchema.parse({});
    this.cache = { value, at: Date.now() };
    return value;
  }

  async saveSettings(ex: Executor, value: StoredChannelSettings, by: string | null) {
    await ex
      .insert(settings)
      .values({ key: SETTINGS_KEY, value, updatedBy: by })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: by, updatedAt: new Date() } });
    this.cache = null;
  }

  invalidate() {
    this.cache = null;
  }

  // ------------------------------------------------------------------ preferences

  async preferences(ex: Executor, userId: string): Promise<EffectivePreferences> {
    const [p] = await ex.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
    return {
      emailMasked: p?.emailMasked ?? null,
      hasEmail: !!p?.emailEnc,
      categories: effectiveModes(p?.categories),
      digest: (p?.digest as DigestFrequency | undefined) ?? DEFAULT_DIGEST,
    };
  }

  // ------------------------------------------------------------------ queueing

  private link(base: string | null, link: string | null | undefined): string | null {
    return base && link?.startsWith('/') ? `${base.replace(/\/$/, '')}${link}` : null;
  }

  /** The hook `notify` calls in its transaction: e-mails for immediate categories, one message per org robot. */
  async enqueue(ex: Executor, userIds: readonly string[], notice: Notice): Promise<void> {
    if (userIds.length === 0) return;
    const category = categoryOf(notice.kind);
    const recipients = await ex
      .select({
        id: users.id,
        orgId: users.orgId,
        region: users.scopeRegionCode,
        status: users.status,
        emailEnc: notificationPreferences.emailEnc,
        emailMasked: notificationPreferences.emailMasked,
        categories: notificationPreferences.categories,
      })
      .from(users)
      .leftJoin(notificationPreferences, eq(notificationPreferences.userId, users.id))
      .where(inArray(users.id, [...userIds]));
    const active = recipients.filter((r) => r.status === 'active');
    const orgIds = [...new Set(active.map((r) => r.orgId).filter((o): o is string => !!o))];
    const robots = orgIds.length
      ? await ex
          .select()
          .from(notificationRobots)
          .where(and(inArray(notificationRobots.orgId, orgIds), eq(notificationRobots.enabled, true)))
      : [];
    const emailTo = active.filter((r) => r.emailEnc && effectiveModes(r.categories)[category] === 'immediate');
    const robotTo = robots.filter((r) => (r.categories as string[]).includes(category));
    if (emailTo.length === 0 && robotTo.length === 0) return;
    const st = await this.settings(ex);
    const body = notice.body ?? '';
    const rows: (typeof notificationDeliveries.$inferInsert)[] = [
      ...emailTo.map((r) => ({
        channel: 'email' as const,
        purpose: 'notice' as const,
        userId: r.id,
        regionCode: r.region,
        orgId: r.orgId,
        kind: notice.kind,
        targetMasked: r.emailMasked ?? '***',
        subject: `【苗圃】${notice.title}`,
        body,
        link: notice.link ?? null,
        maxAttempts: st.maxAttempts,
      })),
      ...robotTo.map((r) => ({
        channel: r.platform,
        purpose: 'notice' as const,
        robotId: r.id,
        regionCode: r.regionCode,
        orgId: r.orgId,
        kind: notice.kind,
        targetMasked: r.urlMasked,
        subject: notice.title,
        body,
        link: notice.link ?? null,
        maxAttempts: st.maxAttempts,
      })),
    ];
    await ex.insert(notificationDeliveries).values(rows);
  }

  /** Queues a robot's test message; returns the delivery id. */
  async enqueueRobotTest(ex: Executor, robot: typeof notificationRobots.$inferSelect, actorName: string) {
    const st = await this.settings(ex);
    const [row] = await ex
      .insert(notificationDeliveries)
      .values({
        channel: robot.platform,
        purpose: 'test',
        robotId: robot.id,
        regionCode: robot.regionCode,
        orgId: robot.orgId,
        kind: 'system.robot-test',
        targetMasked: robot.urlMasked,
        subject: '【苗圃】群机器人测试消息',
        body: `这是一条测试消息，由 ${actorName} 在 ${timeZh(this.deps.clock.now())} 发送。Miaopu test message.`,
        maxAttempts: st.maxAttempts,
      })
      .returning({ id: notificationDeliveries.id });
    return row!.id;
  }

  // ------------------------------------------------------------------ digest

  /**
   * Sends the digests due on `day`: daily ones every day, weekly ones on Mondays. A digest holds the user's
   * unread notices created since their last digest in the categories set to `digest`, grouped by kind and
   * entity; a user with none gets nothing. Returns how many digests were queued.
   */
  async runDigest(day: string, cutoff: Date = this.deps.clock.now()) {
    const { db } = this.deps.database;
    const freqs: DigestFrequency[] = isMonday(day) ? ['daily', 'weekly'] : ['daily'];
    const due = await db
      .select({
        userId: notificationPreferences.userId,
        digest: notificationPreferences.digest,
        categories: notificationPreferences.categories,
        emailMasked: notificationPreferences.emailMasked,
        region: users.scopeRegionCode,
        orgId: users.orgId,
      })
      .from(notificationPreferences)
      .innerJoin(users, eq(users.id, notificationPreferences.userId))
      .where(
        and(
          eq(users.status, 'active'),
          sql`${notificationPreferences.emailEnc} is not null`,
          inArray(notificationPreferences.digest, freqs),
        ),
      );
    const st = await this.settings();
    let queued = 0;
    for (const u of due) {
      const modes = effectiveModes(u.categories);
      const wanted = NOTICE_CATEGORIES.filter((c) => modes[c] === 'digest');
      await db.transaction(async (tx) => {
        // lock the user's row: a second instance running the same digest waits, then finds the cursor moved
        const [locked] = await tx
          .select({ cursor: notificationPreferences.digestCursor })
          .from(notificationPreferences)
          .where(eq(notificationPreferences.userId, u.userId))
          .for('update');
        if (!locked || locked.cursor >= cutoff) return;
        const items = (
          await tx
            .select()
            .from(notifications)
            .where(
              and(
                eq(notifications.userId, u.userId),
                sql`${notifications.createdAt} > ${notificationPreferences.digestCursor}`,
                sql`${notifications.createdAt} <= ${cutoff.toISOString()}::timestamptz`,
                sql`${notifications.readAt} is null`,
              ),
            )
            .innerJoin(notificationPreferences, eq(notificationPreferences.userId, notifications.userId))
        )
          .map((r) => r.notifications)
          .filter((n) => wanted.includes(categoryOf(n.kind)));
        // the cursor moves whether or not there was anything, so the next digest starts here
        await tx
          .update(notificationPreferences)
          .set({ digestCursor: cutoff })
          .where(eq(notificationPreferences.userId, u.userId));
        if (items.length === 0) return; // never an empty digest
        const mail = digestMail(groupDigest(items), u.digest === 'weekly' ? 'weekly' : 'daily', day, st.publicBaseUrl);
        await tx.insert(notificationDeliveries).values({
          channel: 'email',
          purpose: 'digest',
          userId: u.userId,
          regionCode: u.region,
          orgId: u.orgId,
          kind: `digest.${u.digest}`,
          targetMasked: u.emailMasked ?? '***',
          subject: mail.subject,
          body: mail.text,
          maxAttempts: st.maxAttempts,
        });
        queued++;
      });
    }
    return { considered: due.length, queued };
  }

  // ------------------------------------------------------------------ worker

  /** Claims the due deliveries and sends them; returns how many were attempted. */
  async processDue(now: Date = this.deps.clock.now()): Promise<number> {
    const { db } = this.deps.database;
    const d = notificationDeliveries;
    // deliveries left `sending` by a process that died are due again (their attempt counts)
    await db
      .update(d)
      .set({
        status: sql`case when ${d.attempts} >= ${d.maxAttempts} then 'failed' else 'pending' end`,
        lastErrorCode: 'INTERRUPTED',
        lastErrorDetail: null,
      })
      .where(
        and(
          eq(d.status, 'sending'),
          sql`${d.lastAttemptAt} < ${new Date(now.getTime() - STALE_SENDING_MS).toISOString()}::timestamptz`,
        ),
      );
    const claimed = await db
      .update(d)
      .set({ status: 'sending', attempts: sql`${d.attempts} + 1`, lastAttemptAt: now })
      .where(
        inArray(
          d.id,
          db
            .select({ id: d.id })
            .from(d)
            .where(and(eq(d.status, 'pending'), sql`${d.nextAttemptAt} <= ${now.toISOString()}::timestamptz`))
            .orderBy(d.nextAttemptAt)
            .limit(CLAIM_BATCH)
            .for('update', { skipLocked: true }),
        ),
      )
      .returning();
    if (claimed.length === 0) return 0;
    const st = await this.settings();
    let transport: Transporter | null = null;
    try {
      for (const row of claimed) {
        try {
          if (row.channel === 'email') {
            transport ??= this.transport(st);
            await this.sendEmail(row, st, transport);
          } else {
            await this.sendToRobot(row, st, now);
          }
          await db
            .update(d)
            .set({ status: 'sent', sentAt: new Date(), lastErrorCode: null, lastErrorDetail: null })
            .where(eq(d.id, row.id));
        } catch (e) {
          const err =
            e instanceof DeliveryError
              ? e
              : new DeliveryError('CONNECTION', String((e as Error).message).slice(0, 200));
          const final = err.permanent || row.attempts >= row.maxAttempts;
          await db
            .update(d)
            .set({
              status: final ? 'failed' : 'pending',
              lastErrorCode: err.code,
              lastErrorDetail: err.detail.slice(0, 300) || null,
              nextAttemptAt: final
                ? row.nextAttemptAt
                : new Date(now.getTime() + backoffSeconds(row.attempts, st.backoffBaseSeconds) * 1000),
            })
            .where(eq(d.id, row.id));
        }
      }
    } finally {
      transport?.close();
    }
    return claimed.length;
  }

  private transport(st: StoredChannelSettings): Transporter | null {
    const s = st.smtp;
    if (!s) return null;
    let pass: string | undefined;
    if (s.passwordEnc) {
      try {
        pass = this.deps.cipher.decrypt(s.passwordEnc);
      } catch {
        throw new DeliveryError('SECRET_UNREADABLE');
      }
    }
    return nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.security === 'tls',
      requireTLS: s.security === 'starttls',
      ignoreTLS: s.security === 'none',
      auth: s.username ? { user: s.username, pass: pass ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  private async sendEmail(
    row: typeof notificationDeliveries.$inferSelect,
    st: StoredChannelSettings,
    transport: Transporter | null,
  ) {
    if (!st.smtp || !transport) throw new DeliveryError('SMTP_NOT_CONFIGURED');
    if (!row.userId) throw new DeliveryError('TARGET_REMOVED', '', true);
    const [p] = await this.deps.database.db
      .select({ emailEnc: notificationPreferences.emailEnc, status: users.status })
      .from(notificationPreferences)
      .innerJoin(users, eq(users.id, notificationPreferences.userId))
      .where(eq(notificationPreferences.userId, row.userId));
    if (p?.status !== 'active') throw new DeliveryError('TARGET_REMOVED', '', true);
    if (!p.emailEnc) throw new DeliveryError('NO_ADDRESS', '', true);
    let to: string;
    try {
      to = this.deps.cipher.decrypt(p.emailEnc);
    } catch {
      throw new DeliveryError('SECRET_UNREADABLE', '', true);
    }
    const url = this.link(st.publicBaseUrl, row.link);
    const text = `${row.body}${url ? `\n\n${url}` : ''}`;
    const html =
      row.purpose === 'digest'
        ? undefined
        : `<p>${escapeHtml(row.body).replace(/\n/g, '<br>')}</p>${url ? `<p><a href="${escapeHtml(url)}">查看详情</a></p>` : ''}`;
    try {
      await transport.sendMail({ from: st.smtp.from, to, subject: row.subject, text, ...(html ? { html } : {}) });
    } catch (e) {
      const err = e as { code?: string; responseCode?: number; response?: string; message?: string };
      if (err.code === 'ETIMEDOUT') throw new DeliveryError('TIMEOUT');
      if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'EDNS') {
        throw new DeliveryError('CONNECTION', err.code);
      }
      const detail = String(err.response ?? err.message ?? '').slice(0, 200);
      throw new DeliveryError('SMTP_REJECTED', detail, (err.responseCode ?? 0) >= 500 && err.code !== 'EAUTH');
    }
  }

  private async sendToRobot(row: typeof notificationDeliveries.$inferSelect, st: StoredChannelSettings, now: Date) {
    if (!row.robotId) throw new DeliveryError('TARGET_REMOVED', '', true);
    const [r] = await this.deps.database.db
      .select()
      .from(notificationRobots)
      .where(eq(notificationRobots.id, row.robotId));
    if (!r?.enabled) throw new DeliveryError('TARGET_REMOVED', '', true);
    let url: string;
    let secret: string | null;
    try {
      url = this.deps.cipher.decrypt(r.urlEnc);
      secret = r.secretEnc ? this.deps.cipher.decrypt(r.secretEnc) : null;
    } catch {
      throw new DeliveryError('SECRET_UNREADABLE', '', true);
    }
    await sendRobot(
      { platform: r.platform as RobotPlatform, format: r.format as RobotFormat, url, secret },
      { title: row.subject, body: row.body, url: this.link(st.publicBaseUrl, row.link) },
      { allowList: st.allowList, now },
    );
  }

  /** Polls for due deliveries every `everyMs` (this process runs jobs). */
  start(everyMs = 3_000) {
    if (this.timer) return;
    const tick = () => {
      if (this.ticking) return;
      this.ticking = this.processDue()
        .catch((e) => this.log('notification deliveries failed', e))
        .finally(() => {
          this.ticking = null;
        });
    };
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
