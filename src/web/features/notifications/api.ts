import { api, apiRequest } from '../../app/api';

export interface Notification {
  id: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export const notificationsKey = ['notifications'] as const;
export const unreadCountKey = ['notifications', 'unread-count'] as const;

/** The unread count; polled every minute, so sent as a background request. */
export function fetchUnreadCount(signal?: AbortSignal) {
  return apiRequest<{ count: number }>('GET', '/notifications/unread-count', { signal, background: true });
}

export function markNotificationRead(id: string) {
  return api.post<unknown>(`/notifications/${encodeURIComponent(id)}/read`);
}

export function readAllNotifications() {
  return api.post<{ updated: number }>('/notifications/read-all');
}

/** An internal link of a notification (never an absolute URL). */
export function internalLink(link: string | null | undefined): string | null {
  if (!link?.startsWith('/') || link.startsWith('//') || link.includes('\\')) return null;
  return link;
}

/** Marks a notification read and follows its link when it has an internal one. */
export async function openNotification(n: Notification, navigate: (to: string) => unknown): Promise<void> {
  if (!n.readAt) {
    try {
      await markNotificationRead(n.id);
    } catch {
      // opening still works; the badge catches up on the next poll
    }
  }
  const to = internalLink(n.link);
  navigate(to ?? '/notifications');
}

// ---------------------------------------------------------------- channels (issue #21, decision 0026)

export type NoticeCategory = 'supervision' | 'deadline' | 'workflow' | 'system';
export type EmailMode = 'immediate' | 'digest' | 'off';
export type DigestFrequency = 'daily' | 'weekly' | 'off';

export interface Preferences {
  emailMasked: string | null;
  hasEmail: boolean;
  categories: Record<NoticeCategory, EmailMode>;
  digest: DigestFrequency;
  smtpConfigured: boolean;
}

export interface Robot {
  id: string;
  orgId: string;
  orgName: string;
  regionCode: string;
  name: string;
  platform: 'dingtalk' | 'wecom';
  urlMasked: string;
  hasSecret: boolean;
  format: 'markdown' | 'text';
  categories: NoticeCategory[];
  enabled: boolean;
  updatedAt: string;
}

export interface ChannelSettings {
  smtp: {
    host: string;
    port: number;
    security: 'tls' | 'starttls' | 'none';
    username: string | null;
    hasPassword: boolean;
    from: string;
  } | null;
  allowList: string[];
  publicBaseUrl: string | null;
  backoffBaseSeconds: number;
  maxAttempts: number;
}

export interface Delivery {
  id: string;
  channel: 'email' | 'dingtalk' | 'wecom';
  purpose: 'notice' | 'digest' | 'test';
  kind: string | null;
  targetMasked: string;
  subject: string | null;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

export const preferencesKey = ['notifications', 'preferences'] as const;
export const robotsKey = ['notification-robots'] as const;
export const channelSettingsKey = ['notifications', 'channel-settings'] as const;
