import { ClusterOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  type ButtonProps,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { assistanceKey, PROBLEM_STATUSES, type ProblemItem } from './api';
import { Countdown, ExportButton, StatusTag, useCategoryLabel } from './ui';

/**
 * 诉求办理: the problems the caller may handle (a department sees those assigned to it, an administrator its region),
 * filtered by status, category, overdue and department, searched by code/title/firm, sorted by due date.
 */
export default function ProblemsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { categories, label } = useCategoryLabel();
  const list = usePagedList<ProblemItem>({
    key: 'assistance-problems',
    path: '/assistance/problems',
    defaultSort: { sort: 'dueOn', order: 'asc' },
  });
  const { state, setFilters, sortOrderOf } = list;
  const orgs = useQuery({
    queryKey: ['orgs', 'all-for-assistance'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/orgs', { pageSize: 100 }, signal),
    enabled: can('orgs:read'),
    staleTime: 5 * 60_000,
  });
  const set = (key: string, value: string | undefined) => setFilters({ ...state.filters, [key]: value });
  // 归并为共性问题: selected rows grouped under one lead unit (the server requires assistance:manage)
  const canMerge = can('assistance:manage');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [merging, setMerging] = useState(false);
  const [mergeForm] = Form.useForm<{ title: string; ownerOrgId: string }>();
  const merge = useApiMutation(
    (v: { title: string; ownerOrgId: string }) =>
      api.post<{ id: string }>('/assistance/common-issues', { ...v, problemIds: selected }),
    {
      onSuccess: (row) => {
        setMerging(false);
        setSelected([]);
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
        void queryClient.invalidateQueries({ queryKey: ['assistance-problems'] });
        void message.success(t('assistance.common.created'));
        if (row?.id) navigate(`/assistance/common-issues/${row.id}`);
      },
    },
  );

  const columns: TableColumnsType<ProblemItem> = [
    {
      title: t('assistance.fields.code'),
      dataIndex: 'code',
      key: 'code',
      render: (code: string, p) => <Link to={`/assistance/problems/${p.id}`}>{code}</Link>,
    },
    {
      title: t('assistance.fields.title'),
      dataIndex: 'title',
      key: 'title',
      ellipsis: true,
      width: 260,
      render: (title: string, p) => <Link to={`/assistance/problems/${p.id}`}>{title}</Link>,
    },
    { title: t('assistance.fields.enterprise'), dataIndex: 'enterpriseName', key: 'enterprise', ellipsis: true },
    { title: t('assistance.fields.category'), dataIndex: 'category', key: 'category', render: (c: string) => label(c) },
    {
      title: t('assistance.fields.status'),
      dataIndex: 'status',
      key: 'status',
      render: (s: string) => <StatusTag status={s} />,
    },
    {
      title: t('assistance.fields.org'),
      key: 'org',
      render: (_: unknown, p) => [p.orgName, p.handlerName].filter(Boolean).join(' · ') || '—',
    },
    {
      title: t('assistance.fields.receivedAt'),
      dataIndex: 'receivedAt',
      key: 'receivedAt',
      sorter: true,
      sortOrder: sortOrderOf('receivedAt'),
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('assistance.fields.dueAt'),
      dataIndex: 'dueAt',
      key: 'dueOn',
      sorter: true,
      sortOrder: sortOrderOf('dueOn'),
      render: (v: string | null, p) => (
        <Flex vertical>
          <span>{p.dueOn ?? formatDateTime(v)}</span>
          {['resolved', 'rated', 'closed', 'withdrawn'].includes(p.status) ? null : (
            <Countdown dueAt={v} stopped={p.stopped} />
          )}
        </Flex>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('assistance.problems.title')}
      extra={
        <Flex gap={8} wrap>
          <ExportButton
            path="/assistance/problems/export"
            params={list.params}
            fallbackName="problems.xlsx"
            testId="problems-export"
          />
          {can('assistance:submit') ? (
            <Button icon={<PlusOutlined />} onClick={() => navigate('/assistance/submit')}>
              {t('assistance.problems.record')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('assistance.list.searchPlaceholder')}
          style={{ width: 260 }}
          onSearch={(q) => set('q', q)}
          data-testid="problem-search"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('assistance.fields.status')}
          options={PROBLEM_STATUSES.map((s) => ({ value: s, label: t(`assistance.status.${s}`) }))}
          onChange={(v?: string) => set('status', v)}
          data-testid="status-filter"
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('assistance.fields.category')}
          options={categories.map((c) => ({ value: c.code, label: label(c.code) }))}
          onChange={(v?: string) => set('category', v)}
        />
        <Select
          allowClear
          style={{ width: 140 }}
          placeholder={t('assistance.problems.overdue')}
          options={[
            { value: 'true', label: t('assistance.problems.overdueOnly') },
            { value: 'false', label: t('assistance.problems.notOverdue') },
          ]}
          onChange={(v?: string) => set('overdue', v)}
          data-testid="overdue-filter"
        />
        {canMerge ? (
          <Button
            icon={<ClusterOutlined />}
            disabled={selected.length === 0}
            onClick={() => setMerging(true)}
            data-testid="merge-common"
          >
            {t('assistance.common.merge')}
            {selected.length ? ` (${selected.length})` : ''}
          </Button>
        ) : null}
        {can('orgs:read') ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            placeholder={t('assistance.fields.org')}
            options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
            onChange={(v?: string) => set('orgId', v)}
          />
        ) : null}
      </Flex>
      {list.query.error ? <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} /> : null}
      <Table<ProblemItem>
        rowKey="id"
        size="middle"
        columns={columns}
        {...list.tableProps}
        locale={{ emptyText: <Empty description={t('assistance.problems.empty')} /> }}
        rowClassName={(p) => (p.overdue ? 'assistance-overdue' : '')}
        rowSelection={
          canMerge
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys.map(String)),
                preserveSelectedRowKeys: true,
              }
            : undefined
        }
        data-testid="problems-table"
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('assistance.problems.scopeHint')}
      </Typography.Text>
      <Modal
        open={merging}
        title={t('assistance.common.merge')}
        okText={t('assistance.common.merge')}
        cancelText={t('common.cancel')}
        onCancel={() => setMerging(false)}
        onOk={() => mergeForm.submit()}
        confirmLoading={merge.isPending}
        okButtonProps={{ 'data-testid': 'merge-ok' } as ButtonProps}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {t('assistance.common.mergeHint', { count: selected.length })}
        </Typography.Paragraph>
        <Form form={mergeForm} layout="vertical" preserve={false} onFinish={(v) => merge.mutate(v)}>
          <Form.Item
            name="title"
            label={t('assistance.common.fields.title')}
            rules={[{ required: true, whitespace: true, min: 2, message: t('assistance.form.required') }]}
          >
            <Input maxLength={200} data-testid="merge-title" />
          </Form.Item>
          <Form.Item
            name="ownerOrgId"
            label={t('assistance.common.fields.owner')}
            rules={[{ required: true, message: t('assistance.form.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              data-testid="merge-owner"
            />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
