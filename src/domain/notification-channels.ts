/**
 * Notification channels (issue #21, decision 0026): the categories a notice kind belongs to, per-user channel
 * modes, the digest rules (group repeats, never empty), masking of targets, the retry backoff and the host
 * allow-list match. Pure: imported by the server and the web app.
 */

/** Categories users choose channels for; every notice kind falls in exactly one. */
export const NOTICE_CATEGORIES = ['supervision', 'deadline', 'workflow', 'system'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** 督办: escalations of 万人助万企 problems (manual and the daily ladder). */
const SUPERVISION = /^assistance\.problem\.(overdue|escalate)$/;
/** Deadline reminders: overdue milestones, project delays, expiring qualifications, anything named due/overdue/expiry. */
const DEADLINE = /(^project\.delay$)|(^park\.milestone\.overdue$)|(\.expiry$)|(\.overdue$)|(\.due(-soon)?$)/;
const SYSTEM = /^(welcome|system\.|job\.)/;

export function categoryOf(kind: string): NoticeCategory {
  if (SUPERVISION.test(kind)) return 'supervision';
  if (DEADLINE.test(kind)) return 'deadline';
  if (SYSTEM.test(kind)) return 'system';
  return 'workflow';
}

/** Per category, e-mail at once, in the digest, or not at all (the in-app inbox always receives every notice). */
export const EMAIL_MODES = ['immediate', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];
export const DIGEST_FREQUENCIES = ['daily', 'weekly', 'off'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export type CategoryModes = Record<NoticeCategory, EmailMode>;

export const DEFAULT_CATEGORY_MODES: CategoryModes = {
  supervision: 'immediate',
  deadline: 'immediate',
  workflow: 'digest',
  system: 'off',
};
export const DEFAULT_DIGEST: DigestFrequency = 'daily';
/** Robots post these categories unless their org chose otherwise. */
export const DEFAULT_ROBOT_CATEGORIES: readonly NoticeCategory[] = ['supervision', 'deadline'];

export const ROBOT_PLATFORMS = ['dingtalk', 'wecom'] as const;
export type RobotPlatform = (typeof ROBOT_PLATFORMS)[number];
export const ROBOT_FORMATS = ['markdown', 'text'] as const;
export type RobotFormat = (typeof ROBOT_FORMATS)[number];

export const CHANNELS = ['email', 'dingtalk', 'wecom'] as const;
export type Channel = (typeof CHANNELS)[number];
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Retries: attempt n (1-based) that failed waits base × 2^(n-1) seconds, capped; after MAX the delivery fails. */
export const DELIVERY_MAX_ATTEMPTS = 5;
export const DELIVERY_BACKOFF_BASE_SECONDS = 30;
export const DELIVERY_BACKOFF_CAP_SECONDS = 3600;
export function backoffSeconds(failedAttempt: number, base = DELIVERY_BACKOFF_BASE_SECONDS): number {
  return Math.min(DELIVERY_BACKOFF_CAP_SECONDS, base * 2 ** Math.max(0, failedAttempt - 1));
}

/** `zhang.san@example.com` → `z***@example.com`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/**
 * A webhook URL without its secrets: scheme, host, port and path stay; each query value keeps its first 4
 * characters (`access_token=1a2b****`).
 */
export function maskUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '***';
  }
  const params = [...u.searchParams.entries()].map(([k, v]) => `${k}=${v.slice(0, 4)}****`);
  return `${u.protocol}//${u.host}${u.pathname}${params.length ? `?${params.join('&')}` : ''}`;
}

/**
 * Normalises an allow-list entry to an origin: `oapi.dingtalk.com` → `https://oapi.dingtalk.com`;
 * `http://127.0.0.1:8080` stays. Returns null for anything that is not a bare origin.
 */
export function normaliseAllowEntry(entry: string): string | null {
  const s = entry.trim();
  if (!s) return null;
  const withScheme = /^[a-z]+:\/\//i.test(s) ? s : `https://${s}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) return null;
  if (withScheme.replace(/\/$/, '').toLowerCase() !== u.origin.toLowerCase()) return null;
  return u.origin;
}

/** True when the URL's origin (scheme, host, port) equals one allow-listed origin. */
export function hostAllowed(url: string, allowList: readonly string[]): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  const origins = allowList.map(normaliseAllowEntry).filter((o): o is string => o !== null);
  return origins.includes(u.origin);
}

export const DEFAULT_ALLOW_LIST: readonly string[] = ['https://oapi.dingtalk.com', 'https://qyapi.weixin.qq.com'];

export interface DigestItem {
  kind: string;
  title: string;
  body: string;
  link: string | null;
  entity: string | null;
  entityId: string | null;
  createdAt: Date;
}

export interface DigestGroup {
  kind: string;
  category: NoticeCategory;
  /** The newest notice's title and link. */
  title: string;
  link: string | null;
  count: number;
  first: Date;
  last: Date;
}

/**
 * Groups repeats: notices of the same kind about the same entity become one line with a count (a notice
 * without an entity groups by kind and title). Supervision first, then deadlines, workflow, system; newest
 * first within a category.
 */
export function groupDigest(items: readonly DigestItem[]): DigestGroup[] {
  const groups = new Map<string, DigestGroup>();
  for (const it of items) {
    const key = it.entity && it.entityId ? `${it.kind}|${it.entity}|${it.entityId}` : `${it.kind}|title|${it.title}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        kind: it.kind,
        category: categoryOf(it.kind),
        title: it.title,
        link: it.link,
        count: 1,
        first: it.createdAt,
        last: it.createdAt,
      });
      continue;
    }
    g.count++;
    if (it.createdAt < g.first) g.first = it.createdAt;
    if (it.createdAt >= g.last) {
      g.last = it.createdAt;
      g.title = it.title;
      g.link = it.link;
    }
  }
  const order = (c: NoticeCategory) => NOTICE_CATEGORIES.indexOf(c);
  return [...groups.values()].sort(
    (a, b) => order(a.category) - order(b.category) || b.last.getTime() - a.last.getTime(),
  );
}
