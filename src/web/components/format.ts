import i18n from '../app/i18n';

const TIME_ZONE = 'Asia/Shanghai';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

/** Date and time in Asia/Shanghai, e.g. 2026/11/22 18:14. */
export function formatDateTime(value: string | null | undefined, withSeconds = false): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: withSeconds ? '2-digit' : undefined,
    hour12: false,
  }).format(date);
}

/** Uptime-style duration from seconds: "3 天 4 小时 5 分" / "3 d 4 h 5 min". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const parts: string[] = [];
  if (days) parts.push(i18n.t('duration.days', { count: days }));
  if (hours) parts.push(i18n.t('duration.hours', { count: hours }));
  if (minutes) parts.push(i18n.t('duration.minutes', { count: minutes }));
  if (!days && !hours) parts.push(i18n.t('duration.seconds', { count: seconds }));
  return parts.join(' ');
}
