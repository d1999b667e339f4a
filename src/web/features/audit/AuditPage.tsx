import { Button, Card, DatePicker, Form, Input, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { AuditCheckpointLine, AuditVerifyButton, AuditVerifyProgress } from './AuditVerifyCard';

export interface AuditEntry {
  id: string | number;
  at: string;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  regionCode: string | null;
  result: string;
  ip: string | null;
  /** Structured (an object) on the server; older records may hold text. */
  summary: unknown;
}

/** One-line text of a record's summary: text as is, an object as compact JSON. */
export function summaryText(summary: unknown): string {
  if (summary === null || summary === undefined) return '';
  if (typeof summary === 'string') return summary;
  if (typeof summary === 'object' && Object.keys(summary).length === 0) return '';
  try {
    return JSON.stringify(summary);
  } catch {
    return String(summary);
  }
}

interface Filters {
  actor?: string;
  action?: string;
  entity?: string;
  result?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const RESULTS = ['success', 'failure'];

export default function AuditPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<Filters>();
  const [jobId, setJobId] = useState<string | null>(null);
  const list = usePagedList<AuditEntry>({ key: 'audit', path: '/audit', defaultSort: { sort: 'at', order: 'desc' } });

  const onSearch = (v: Filters) => {
    const [from, to] = v.range ?? [null, null];
    list.setFilters({
      actor: v.actor?.trim(),
      action: v.action?.trim(),
      entity: v.entity?.trim(),
      result: v.result,
      // Whole days in the browser's time zone (Asia/Shanghai on the intranet), sent as ISO 8601 instants.
      from: from ? from.startOf('day').toISOString() : undefined,
      to: to ? to.endOf('day').toISOString() : undefined,
    });
  };

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.at'),
      dataIndex: 'at',
      key: 'at',
      sorter: true,
      sortOrder: list.sortOrderOf('at'),
      render: (v: string) => formatDateTime(v, true),
    },
    {
      title: t('audit.actor'),
      dataIndex: 'actorUsername',
      key: 'actorUsername',
      sorter: true,
      sortOrder: list.sortOrderOf('actorUsername'),
      render: (_: unknown, e) =>
        e.actorUsername ? (
          <span>
            {e.actorUsername}
            {e.actorRole ? (
              <Typography.Text type="secondary"> · {t(`roles.${e.actorRole}`, e.actorRole)}</Typography.Text>
            ) : null}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      sorter: true,
      sortOrder: list.sortOrderOf('action'),
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('audit.entity'),
      dataIndex: 'entity',
      key: 'entity',
      render: (_: unknown, e) =>
        e.entity ? (
          <span>
            {e.entity}
            {e.entityId ? <Typography.Text type="secondary"> #{e.entityId}</Typography.Text> : null}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('audit.result'),
      dataIndex: 'result',
      key: 'result',
      render: (v: string) => (
        <Tag color={v === 'success' ? 'success' : v === 'failure' ? 'error' : 'default'}>
          {t(`audit.results.${v}`, v)}
        </Tag>
      ),
    },
    { title: t('audit.region'), dataIndex: 'regionCode', key: 'regionCode', render: (v: string | null) => v ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', render: (v: string | null) => v ?? '—' },
    {
      title: t('audit.summary'),
      dataIndex: 'summary',
      key: 'summary',
      render: (v: unknown) => {
        const text = summaryText(v);
        return text ? (
          <Typography.Text style={{ maxWidth: 320, fontSize: 12 }} ellipsis={{ tooltip: text }}>
            {text}
          </Typography.Text>
        ) : (
          '—'
        );
      },
    },
  ];

  return (
    <PageContainer title={t('nav.audit')} extra={can('jobs:run') ? <AuditVerifyButton onStarted={setJobId} /> : null}>
      {jobId ? <AuditVerifyProgress jobId={jobId} onClose={() => setJobId(null)} /> : null}
      <Card>
        <Typography.Paragraph type="secondary">{t('audit.readOnly')}</Typography.Paragraph>
        <AuditCheckpointLine />
        <Form<Filters>
          form={form}
          name="auditFilters"
          layout="inline"
          onFinish={onSearch}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="actor">
            <Input allowClear placeholder={t('audit.actor')} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="action">
            <Input allowClear placeholder={t('audit.action')} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="entity">
            <Input allowClear placeholder={t('audit.entity')} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item name="result">
            <Select
              allowClear
              placeholder={t('audit.result')}
              style={{ width: 120 }}
              options={RESULTS.map((r) => ({ value: r, label: t(`audit.results.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="range">
            <DatePicker.RangePicker allowEmpty={[true, true]} style={{ maxWidth: '100%' }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              onClick={() => {
                form.resetFields();
                list.setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<AuditEntry> rowKey="id" columns={columns} {...list.tableProps} data-testid="audit-table" />
        )}
      </Card>
    </PageContainer>
  );
}
