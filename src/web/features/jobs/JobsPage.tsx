import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Progress, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { isActive, type Job, jobTypeLabel, progressStatus, STATUS_COLORS } from './api';

export default function JobsPage() {
  const { t } = useTranslation();
  const list = usePagedList<Job>({
    key: 'jobs',
    path: '/jobs',
    // Auto-refresh while any job on the page is queued or running.
    refetchWhile: (page) => (page.items as Job[]).some((j) => isActive(j.status)),
    refetchIntervalMs: 2000,
  });
  const polling = (list.query.data?.items ?? []).some((j) => isActive(j.status));

  const columns: TableColumnsType<Job> = [
    {
      title: t('jobs.type'),
      dataIndex: 'type',
      key: 'type',
      render: (type: string) => jobTypeLabel(t, type),
    },
    {
      title: t('jobs.status'),
      dataIndex: 'status',
      key: 'status',
      render: (s: Job['status']) => <Tag color={STATUS_COLORS[s]}>{t(`jobs.statuses.${s}`, s)}</Tag>,
    },
    {
      title: t('jobs.progress'),
      dataIndex: 'progress',
      key: 'progress',
      width: 180,
      render: (p: number, job) => (
        <Progress percent={Math.round(p ?? 0)} size="small" status={progressStatus(job.status)} />
      ),
    },
    { title: t('jobs.createdBy'), dataIndex: 'createdBy', key: 'createdBy', render: (v: string | null) => v ?? '—' },
    {
      title: t('jobs.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (v: string) => formatDateTime(v, true),
    },
    {
      title: t('jobs.finishedAt'),
      dataIndex: 'finishedAt',
      key: 'finishedAt',
      render: (v: string | null) => formatDateTime(v, true),
    },
    {
      title: t('jobs.message'),
      dataIndex: 'message',
      key: 'message',
      render: (v: string | null) =>
        v ? (
          <Tooltip title={v}>
            <Typography.Text style={{ maxWidth: 280 }} ellipsis>
              {v}
            </Typography.Text>
          </Tooltip>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.jobs')}
      extra={
        <Button
          icon={<ReloadOutlined spin={polling} />}
          onClick={() => void list.query.refetch()}
          loading={list.query.isFetching && !polling}
        >
          {polling ? t('jobs.autoRefreshing') : t('common.refresh')}
        </Button>
      }
    >
      <Card>
        {list.query.isError && !list.query.data ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<Job> rowKey="id" columns={columns} {...list.tableProps} data-testid="jobs-table" />
        )}
      </Card>
    </PageContainer>
  );
}
