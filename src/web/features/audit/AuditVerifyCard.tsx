import { SafetyOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { formatDateTime } from '../../components/format';
import { useApiMutation } from '../../components/useApiMutation';
import { isActive, jobsKey, progressStatus, STATUS_COLORS, useJob } from '../jobs/api';

interface VerifyResult {
  ok: boolean;
  checked?: number;
  brokenId?: number | string;
  reason?: string;
}

function asVerifyResult(result: unknown): VerifyResult | null {
  if (!result || typeof result !== 'object' || typeof (result as VerifyResult).ok !== 'boolean') return null;
  return result as VerifyResult;
}

/** "校验审计链": starts the audit-chain verification job and follows its progress. */
export function AuditVerifyButton({ onStarted }: { onStarted: (id: string) => void }) {
  const { t } = useTranslation();
  const start = useApiMutation(() => api.post<{ id: string }>('/jobs/audit-verify'), {
    onSuccess: (data) => onStarted(data.id),
  });
  return (
    <Button
      type="primary"
      icon={<SafetyOutlined />}
      loading={start.isPending}
      onClick={() => start.mutate()}
      data-testid="audit-verify"
    >
      {t('audit.verify')}
    </Button>
  );
}

export function AuditVerifyProgress({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const job = useJob(jobId);
  const [announced, setAnnounced] = useState(false);
  const data = job.data;

  useEffect(() => {
    if (data && !isActive(data.status) && !announced) {
      setAnnounced(true);
      void queryClient.invalidateQueries({ queryKey: jobsKey });
    }
  }, [data, announced, queryClient]);

  return (
    <Card
      size="small"
      style={{ marginBottom: 16 }}
      title={t('audit.verifyJob')}
      extra={
        data && !isActive(data.status) ? (
          <Button size="small" type="link" onClick={onClose}>
            {t('common.close')}
          </Button>
        ) : null
      }
      data-testid="audit-verify-progress"
    >
      {job.isError ? (
        <Alert type="error" showIcon title={job.error.message} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={data ? STATUS_COLORS[data.status] : 'default'} data-testid="audit-verify-status">
              {t(`jobs.statuses.${data?.status ?? 'queued'}`)}
            </Tag>
            {data?.message ? <Typography.Text>{data.message}</Typography.Text> : null}
          </Space>
          <Progress percent={Math.round(data?.progress ?? 0)} status={data ? progressStatus(data.status) : 'active'} />
          {data && !isActive(data.status) ? <VerifyOutcome status={data.status} result={data.result} /> : null}
          {data?.finishedAt ? (
            <Typography.Text type="secondary">
              {t('jobs.finishedAt')}: {formatDateTime(data.finishedAt, true)}
            </Typography.Text>
          ) : null}
        </Space>
      )}
    </Card>
  );
}

function VerifyOutcome({ status, result }: { status: string; result: unknown }) {
  const { t } = useTranslation();
  const r = asVerifyResult(result);
  if (status === 'failed' || !r) {
    return <Alert type="error" showIcon title={t('audit.verifyFailed')} data-testid="audit-verify-outcome" />;
  }
  if (r.ok) {
    return (
      <Alert
        type="success"
        showIcon
        title={t('audit.verifyOk', { count: r.checked ?? 0 })}
        data-testid="audit-verify-outcome"
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      title={t('audit.verifyBroken', { id: r.brokenId ?? '?', count: r.checked ?? 0 })}
      description={r.reason}
      data-testid="audit-verify-outcome"
    />
  );
}

interface Checkpoint {
  headId: number;
  headHash: string;
  rows: number;
  at: string;
  source: string;
  valid: boolean;
}

/** The latest signed checkpoint (anchor) of the chain head, kept outside the audit table (decision 0022). */
export function AuditCheckpointLine() {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['audit', 'checkpoints'],
    queryFn: ({ signal }) => api.get<{ latest: Checkpoint | null }>('/audit/checkpoints', undefined, signal),
  });
  const c = q.data?.latest;
  return (
    <Typography.Paragraph type="secondary" data-testid="audit-checkpoint">
      {c
        ? t('audit.checkpoint', { id: c.headId, count: c.rows, at: formatDateTime(c.at, true) })
        : t('audit.noCheckpoint')}
      {c && !c.valid ? <Tag color="red">{t('audit.checkpointInvalid')}</Tag> : null}
    </Typography.Paragraph>
  );
}
