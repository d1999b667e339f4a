import { ClockCircleOutlined, DownloadOutlined, PauseCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { App, Button, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError, type QueryParams } from '../../app/api';
import { downloadFile } from '../parks/api';
import { type Category, categoryLabel, countdown, useCategories } from './api';

const STATUS_COLORS: Record<string, string> = {
  collected: 'default',
  assigned: 'processing',
  in_progress: 'blue',
  resolved: 'green',
  rated: 'cyan',
  closed: 'default',
  withdrawn: 'default',
};

export function StatusTag({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} data-status={status}>
      {t(`assistance.status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

/** The category's label in the current language, from the server's list (falls back to our i18n keys). */
export function useCategoryLabel(): { label: (code: string) => string; categories: Category[] } {
  const { t, i18n } = useTranslation();
  const categories = useCategories().data ?? [];
  const fallback = (code: string) => t(`assistance.category.${code}`, { defaultValue: code });
  return {
    categories,
    label: (code) => {
      const c = categories.find((x) => x.code === code);
      return c ? categoryLabel(c, i18n.language, fallback) : fallback(code);
    },
  };
}

/** "剩余 3 天 4 小时" / "已超期 2 天"; stopped clocks say so instead of counting. */
export function Countdown({ dueAt, stopped, testId }: { dueAt?: string | null; stopped?: boolean; testId?: string }) {
  const { t } = useTranslation();
  if (stopped)
    return (
      <Typography.Text type="warning" data-testid={testId}>
        <PauseCircleOutlined /> {t('assistance.countdown.stopped')}
      </Typography.Text>
    );
  const c = countdown(dueAt);
  if (!c) return <span data-testid={testId}>—</span>;
  const text =
    c.days > 0
      ? t('assistance.countdown.days', { days: c.days, hours: c.hours })
      : t('assistance.countdown.hours', { hours: c.hours });
  if (c.ms < 0)
    return (
      <Typography.Text type="danger" data-testid={testId}>
        <WarningOutlined /> {t('assistance.countdown.overdue', { time: text })}
      </Typography.Text>
    );
  return (
    <Typography.Text type={c.days < 1 ? 'warning' : undefined} data-testid={testId}>
      <ClockCircleOutlined /> {t('assistance.countdown.left', { time: text })}
    </Typography.Text>
  );
}

/** A 409 on a problem: someone else changed it (stale version) — or the action is not allowed in its state. */
export function conflictMessage(error: unknown, t: (k: string) => string): string | null {
  if (!isApiError(error) || error.status !== 409) return null;
  if (error.code === 'VERSION_CONFLICT') return t('assistance.detail.conflict');
  return error.message;
}

/**
 * 导出 Excel: downloads `<list path>/export` with the list's current filters and sort (paging dropped), as the
 * enterprise list's button does; a TOTP step-up is asked for by downloadFile when the server wants one.
 */
export function ExportButton({
  path,
  params,
  fallbackName,
  testId,
}: {
  path: string;
  params: QueryParams;
  fallbackName: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const { page: _p, pageSize: _s, ...filters } = params;
      await downloadFile(path, filters, fallbackName);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid={testId}>
      {t('assistance.export')}
    </Button>
  );
}
