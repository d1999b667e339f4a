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
