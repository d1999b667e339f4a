import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  type ButtonProps,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { assistanceKey } from './api';
import { StatusTag } from './ui';

interface CommonIssueItem {
  id: string;
  title: string;
  ownerOrgId: string;
  ownerOrgName: string | null;
  problems: number;
  open: number;
  createdAt: string;
}
interface CommonIssueDetail {
  id: string;
  title: string;
  ownerOrgId: string;
  ownerOrgName: string | null;
  /** members not yet resolved (routed or not), and those not yet routed */
  open: number;
  unrouted: number;
  problems: { id: string; code: string; title: string; enterpriseName: string; status: string; version: number }[];
}

const BATCH_CLOSURES = ['resolved', 'partly_resolved', 'explained_policy_limit', 'explained_not_our_remit'] as const;

/** 共性问题: similar problems of many firms grouped under one lead unit, handled together (批处理). */
export function CommonIssuesList() {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: [...assistanceKey, 'common-issues'],
    queryFn: ({ signal }) => api.get<CommonIssueItem[]>('/assistance/common-issues', undefined, signal),
  });
  return (
    <PageContainer title={t('assistance.common.title')}>
      {list.error ? <QueryError error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table<CommonIssueItem>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('assistance.common.empty')} /> }}
        data-testid="common-issues-table"
        columns={[
          {
            title: t('assistance.common.fields.title'),
            dataIndex: 'title',
            render: (v: string, r) => <Link to={`/assistance/common-issues/${r.id}`}>{v}</Link>,
          },
          { title: t('assistance.common.fields.owner'), dataIndex: 'ownerOrgName', render: (v) => v ?? '—' },
          { title: t('assistance.common.fields.problems'), dataIndex: 'problems' },
          { title: t('assistance.common.fields.open'), dataIndex: 'open' },
          {
            title: t('assistance.common.fields.status'),
            key: 'status',
            render: (_: unknown, r) =>
              r.open > 0 ? (
                <Tag color="processing">{t('assistance.common.open')}</Tag>
              ) : (
                <Tag color="success">{t('assistance.common.done')}</Tag>
              ),
          },
          {
            title: t('assistance.common.fields.createdAt'),
            dataIndex: 'createdAt',
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
    </PageContainer>
  );
}

/** One common issue: owner, its problems and their status, and the 批处理 actions behind a confirmation. */
export function CommonIssueDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<'resolve' | 'feedback' | null>(null);
  const [form] = Form.useForm<{ answer?: string; closureCode?: string; note?: string }>();
  const issue = useQuery({
    queryKey: [...assistanceKey, 'common-issue', id],
    queryFn: ({ signal }) => api.get<CommonIssueDetail>(`/assistance/common-issues/${id}`, undefined, signal),
    enabled: !!id,
  });
  const batch = useApiMutation(
    (body: Record<string, unknown>) => api.post<{ applied: number }>(`/assistance/common-issues/${id}/batch`, body),
    {
      onSuccess: (out) => {
        setOpen(null);
        form.resetFields();
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
        void queryClient.invalidateQueries({ queryKey: ['assistance-problems'] });
        void message.success(t('assistance.common.applied', { count: out?.applied ?? 0 }));
      },
    },
  );
  const problems = issue.data?.problems ?? [];
  const countFor = (action: 'resolve' | 'feedback') =>
    problems.filter((p) => (action === 'resolve' ? ['in_progress'] : ['assigned', 'in_progress']).includes(p.status))
      .length;
  const submit = (values: { answer?: string; closureCode?: string; note?: string }) => {
    if (!open) return;
    const action = open;
    modal.confirm({
      title: t('assistance.common.confirmTitle'),
      content: t(action === 'resolve' ? 'assistance.common.confirmResolve' : 'assistance.common.confirmFeedback', {
        count: countFor(action),
      }),
      okText: action === 'resolve' ? t('assistance.common.batchResolve') : t('assistance.common.batchFeedback'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: action === 'resolve', 'data-testid': 'batch-confirm-ok' } as ButtonProps,
      onOk: () =>
        batch
          .mutateAsync(
            action === 'resolve'
              ? { action, answer: values.answer, closureCode: values.closureCode }
              : { action, note: values.note },
          )
          .catch(() => undefined),
    });
  };

  return (
    <PageContainer
      title={issue.data?.title ?? t('assistance.common.title')}
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/assistance/common-issues')}>
          {t('assistance.common.back')}
        </Button>
      }
    >
      {issue.error ? <QueryError error={issue.error} onRetry={() => void issue.refetch()} /> : null}
      {issue.data ? (
        <Flex vertical gap={12}>
          <Card size="small">
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 3 }}
              items={[
                { key: 'owner', label: t('assistance.common.fields.owner'), children: issue.data.ownerOrgName ?? '—' },
                { key: 'n', label: t('assistance.common.fields.problems'), children: problems.length },
                { key: 'open', label: t('assistance.common.fields.open'), children: issue.data.open },
              ]}
            />
            {can('assistance:handle') ? (
              <Flex gap={8} wrap style={{ marginTop: 8 }}>
                <Button
                  disabled={countFor('feedback') === 0}
                  onClick={() => setOpen('feedback')}
                  data-testid="batch-feedback"
                >
                  {t('assistance.common.batchFeedback')}
                </Button>
                <Button
                  type="primary"
                  disabled={countFor('resolve') === 0}
                  onClick={() => setOpen('resolve')}
                  data-testid="batch-resolve"
                >
                  {t('assistance.common.batchResolve')}
                </Button>
              </Flex>
            ) : null}
          </Card>
          <Card size="small" title={t('assistance.common.problems')}>
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={problems}
              data-testid="common-issue-problems"
              columns={[
                {
                  title: t('assistance.fields.code'),
                  dataIndex: 'code',
                  render: (v: string, p) => <Link to={`/assistance/problems/${p.id}`}>{v}</Link>,
                },
                { title: t('assistance.fields.title'), dataIndex: 'title', ellipsis: true },
                { title: t('assistance.fields.enterprise'), dataIndex: 'enterpriseName', ellipsis: true },
                {
                  title: t('assistance.fields.status'),
                  dataIndex: 'status',
                  render: (s: string) => <StatusTag status={s} />,
                },
              ]}
            />
          </Card>
        </Flex>
      ) : null}
      <Modal
        open={!!open}
        title={open === 'resolve' ? t('assistance.common.batchResolve') : t('assistance.common.batchFeedback')}
        okText={open === 'resolve' ? t('assistance.common.batchResolve') : t('assistance.common.batchFeedback')}
        cancelText={t('common.cancel')}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        okButtonProps={{ 'data-testid': 'batch-ok' } as ButtonProps}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} onFinish={submit}>
          {open === 'resolve' ? (
            <>
              <Form.Item
                name="closureCode"
                label={t('assistance.fields.closureCode')}
                initialValue="resolved"
                rules={[{ required: true }]}
              >
                <Select options={BATCH_CLOSURES.map((c) => ({ value: c, label: t(`assistance.closure.${c}`) }))} />
              </Form.Item>
              <Form.Item
                name="answer"
                label={t('assistance.fields.answer')}
                rules={[{ required: true, whitespace: true, min: 2, message: t('assistance.form.required') }]}
              >
                <Input.TextArea rows={4} maxLength={5000} showCount data-testid="batch-answer" />
              </Form.Item>
            </>
          ) : (
            <Form.Item
              name="note"
              label={t('assistance.common.note')}
              rules={[{ required: true, whitespace: true, message: t('assistance.form.required') }]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="batch-note" />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </PageContainer>
  );
}

export default CommonIssuesList;
