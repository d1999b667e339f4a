/** 申报审核: 快申 applications in the caller's scope, with a decide dialog (approve / reject / return, reasons). */
import { useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { type Application, formatYuan } from './api';
import { factLabel, formatFactValue } from './describe';

const APP_STATUSES = ['submitted', 'approved', 'rejected', 'returned'] as const;

export function ApplicationStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color =
    status === 'approved'
      ? 'success'
      : status === 'rejected'
        ? 'error'
        : status === 'returned'
          ? 'warning'
          : 'processing';
  return (
    <Tag color={color} data-testid="application-status">
      {t(`policies.applicationStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export default function ApplicationsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<string | undefined>('submitted');
  const list = usePagedList<Application>({
    key: 'policy-applications',
    path: '/applications',
    initialFilters: { status: 'submitted' },
  });
  const [deciding, setDeciding] = useState<Application | null>(null);
  return (
    <PageContainer title={t('policies.nav.applications')}>
      <Card>
        <Space style={{ marginBottom: 12 }}>
          <Select
            allowClear
            value={status}
            placeholder={t('policies.fields.status')}
            onChange={(v) => {
              setStatus(v);
              list.setFilters(v ? { status: v } : {});
            }}
            style={{ width: 140 }}
            options={APP_STATUSES.map((s) => ({ value: s, label: t(`policies.applicationStatus.${s}`) }))}
          />
        </Space>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<Application>
            rowKey="id"
            {...list.tableProps}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.applications.empty')} />,
            }}
            data-testid="applications-table"
            columns={[
              {
                title: t('policies.applications.policy'),
                key: 'policy',
                render: (_, a) => <Link to={`/policies/${a.policyId}`}>{a.policyTitle ?? a.policyId}</Link>,
              },
              { title: t('policies.matches.enterprise'), dataIndex: 'enterpriseName', render: (v) => v ?? '—' },
              {
                title: t('policies.fields.status'),
                dataIndex: 'status',
                render: (s: string) => <ApplicationStatusTag status={s} />,
              },
              {
                title: t('policies.applications.submittedAt'),
                key: 'at',
                render: (_, a) => (a.submittedAt ?? a.createdAt ?? '').slice(0, 10) || '—',
              },
              {
                title: t('policies.payouts.amount'),
                dataIndex: 'amountYuan',
                render: (v) => formatYuan(v, i18n.language),
              },
              {
                title: '',
                key: 'ops',
                render: (_, a) =>
                  a.status === 'submitted' ? (
                    <Button size="small" type="link" onClick={() => setDeciding(a)} data-testid="application-decide">
                      {t('policies.applications.decide')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
      {deciding ? <DecideModal application={deciding} onClose={() => setDeciding(null)} /> : null}
    </PageContainer>
  );
}

function DecideModal({ application, onClose }: { application: Application; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{
    decision: 'approved' | 'rejected' | 'returned';
    reasons: string;
    amountYuan?: number;
  }>();
  const decision = Form.useWatch('decision', form);
  const decide = useApiMutation(
    (v: { decision: string; reasons: string; amountYuan?: number }) =>
      api.post(`/applications/${application.id}/decide`, v),
    {
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: ['policy-applications'] });
        void message.success(t('policies.applications.decided'));
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('policies.applications.decideTitle', { name: application.enterpriseName ?? '' })}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ loading: decide.isPending, danger: decision === 'rejected' }}
      destroyOnHidden
    >
      {application.facts ? (
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: 12 }}
          title={t('policies.applications.facts')}
        >
          {Object.entries(application.facts)
            .slice(0, 12)
            .map(([k, v]) => (
              <Descriptions.Item key={k} label={factLabel(k)}>
                {formatFactValue(k, v)}
              </Descriptions.Item>
            ))}
        </Descriptions>
      ) : null}
      {application.note ? <p>{application.note}</p> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ decision: 'approved' }}
        onFinish={(v) => decide.mutate({ ...v, reasons: v.reasons.trim() })}
      >
        <Form.Item name="decision" label={t('policies.applications.decision')}>
          <Select
            options={(['approved', 'rejected', 'returned'] as const).map((d) => ({
              value: d,
              label: t(`policies.applicationStatus.${d}`),
            }))}
          />
        </Form.Item>
        {decision === 'approved' ? (
          <Form.Item name="amountYuan" label={t('policies.payouts.amount')}>
            <InputNumber min={0} style={{ width: '100%' }} suffix={t('policies.unit.yuan')} />
          </Form.Item>
        ) : null}
        <Form.Item
          name="reasons"
          label={t('policies.applications.reasons')}
          rules={[{ required: true, whitespace: true, message: t('policies.action.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
