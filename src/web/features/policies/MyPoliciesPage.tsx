/**
 * 我的政策 (enterprise portal): eligible / maybe (data missing: which facts, which department holds them; or 需核实:
 * the firm's own figure where the clause demands official data) / new,
 * each with the reasons in plain sentences, the amount and the deadline; 快申 apply with the facts prefilled; my
 * applications; my payouts with intent confirmation (意愿确认) where the policy asks for it.
 */
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, newIdempotencyKey } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { ApplicationStatusTag } from './ApplicationsPage';
import { type Application, formatYuan, listOf, type MyPayout, type MyPolicy, policiesKey, useMyPolicies } from './api';
import { MissingAlerts, splitMissing } from './Missing';
import { BatchStatusTag, PayoutStatusTag } from './PayoutBatchPage';
import { ChannelTag } from './tags';

type Tab = 'eligible' | 'maybe' | 'new';

export default function MyPoliciesPage() {
  const { t } = useTranslation();
  const my = useMyPolicies();
  const [applying, setApplying] = useState<MyPolicy | null>(null);
  if (my.isPending) return <Skeleton active />;
  if (my.isError) return <QueryError error={my.error} onRetry={() => void my.refetch()} />;
  const tab = (key: Tab) => ({
    key,
    label: (
      <Space size={4}>
        {t(`policies.my.tab.${key}`)}
        <Badge
          count={my.data[key].length}
          showZero
          color={key === 'eligible' ? '#52c41a' : key === 'maybe' ? '#faad14' : '#1677ff'}
        />
      </Space>
    ),
    children: <Cards items={my.data[key]} kind={key} onApply={setApplying} />,
  });
  return (
    <PageContainer title={t('policies.nav.my')}>
      <Tabs
        data-testid="my-policies"
        items={[
          tab('eligible'),
          tab('maybe'),
          tab('new'),
          { key: 'applications', label: t('policies.my.tab.applications'), children: <MyApplications /> },
          { key: 'payouts', label: t('policies.my.tab.payouts'), children: <MyPayouts /> },
        ]}
      />
      {applying ? <ApplyModal policy={applying} onClose={() => setApplying(null)} /> : null}
    </PageContainer>
  );
}

function Cards({ items, kind, onApply }: { items: MyPolicy[]; kind: Tab; onApply: (p: MyPolicy) => void }) {
  const { t, i18n } = useTranslation();
  if (!items.length) return <Empty description={t(`policies.my.empty.${kind}`)} />;
  return (
    <Row gutter={[16, 16]}>
      {items.map((p) => (
        <Col key={p.policyId} xs={24} lg={12}>
          <Card
            size="small"
            title={
              <Link to={`/policies/${p.policyId}`} style={{ whiteSpace: 'normal' }} data-testid="my-policy-title">
                {p.title}
              </Link>
            }
            extra={
              <Space size={0}>
                {kind !== 'eligible' && splitMissing(p.missing).verify.length ? (
                  <Tag color="orange" data-testid="my-policy-verify-tag">
                    {t('policies.verify.short')}
                  </Tag>
                ) : null}
                <ChannelTag channel={p.channel} />
              </Space>
            }
            data-testid={`my-policy-${kind}`}
          >
            <Space direction="vertical" style={{ width: '100%' }} size={6}>
              <Typography.Text type="secondary">
                {p.issuerName}
                {p.docNo ? ` · ${p.docNo}` : ''}
              </Typography.Text>
              <Space wrap>
                {p.amount ? (
                  <Typography.Text strong style={{ color: '#389e0d' }} data-testid="my-policy-amount">
                    {t('policies.my.amount', { amount: formatYuan(p.amount, i18n.language) })}
                  </Typography.Text>
                ) : null}
                {p.applyTo && p.applicationOpen ? (
                  <Tag color="orange">{t('policies.my.deadline', { date: p.applyTo })}</Tag>
                ) : null}
                {p.applicationOpen ? null : (
                  <Tag data-testid="my-policy-closed">{t('policies.my.closed', { date: p.applyTo ?? '' })}</Tag>
                )}
              </Space>
              <div data-testid="my-policy-reasons">
                <Typography.Text strong>{t('policies.my.reasons')}</Typography.Text>
                <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
                  {p.reasons.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ul>
              </div>
              <MissingAlerts missing={p.missing} testId="my-policy-missing" />
              {p.channel === 'mianshen' && kind === 'eligible' ? (
                <Typography.Text type="secondary">{t('policies.my.mianshenHint')}</Typography.Text>
              ) : null}
              {p.channel === 'kuaishen' && kind !== 'new' && p.applicationOpen ? (
                <Button type="primary" onClick={() => onApply(p)} data-testid="my-apply">
                  {t('policies.my.apply')}
                </Button>
              ) : null}
            </Space>
          </Card>
        </Col>
      ))}
    </Row>
  );
}

export function ApplyModal({ policy, onClose }: { policy: MyPolicy; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [key] = useState(newIdempotencyKey);
  const [form] = Form.useForm<{ note?: string }>();
  const [facts, setFacts] = useState<Record<string, unknown> | null>(null);
  const apply = useApiMutation(
    (note: string | undefined) =>
      api.post<Application>(`/policies/${policy.policyId}/applications`, note ? { note } : {}, {
        headers: { 'Idempotency-Key': key },
      }),
    {
      onSuccess: async (a) => {
        setFacts(a.facts ?? {});
        await queryClient.invalidateQueries({ queryKey: [...policiesKey, 'my'] });
        void message.success(t('policies.my.applied'));
      },
    },
  );
  return (
    <Modal
      open
      title={t('policies.my.applyTitle', { title: policy.title })}
      onCancel={onClose}
      onOk={() => (facts ? onClose() : form.submit())}
      okText={facts ? t('common.close') : t('policies.my.submit')}
      okButtonProps={{ loading: apply.isPending }}
      destroyOnHidden
    >
      {facts ? (
        <Alert type="success" showIcon title={t('policies.my.appliedDetail')} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('policies.my.prefillHint')}</Typography.Paragraph>
          <Typography.Paragraph>
            {policy.reasons.map((r) => (
              <div key={r}>· {r}</div>
            ))}
          </Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={(v) => apply.mutate(v.note?.trim() || undefined)}>
            <Form.Item name="note" label={t('policies.my.note')}>
              <Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

function MyApplications() {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: [...policiesKey, 'my', 'applications'],
    queryFn: async ({ signal }) => listOf<Application>(await api.get<unknown>('/my/applications', undefined, signal)),
  });
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Table<Application>
      rowKey="id"
      loading={q.isPending}
      dataSource={q.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.my.noApplications')} />,
      }}
      columns={[
        {
          title: t('policies.applications.policy'),
          key: 'policy',
          render: (_, a) => <Link to={`/policies/${a.policyId}`}>{a.policyTitle ?? a.policyId}</Link>,
        },
        {
          title: t('policies.fields.status'),
          dataIndex: 'status',
          render: (s: string) => <ApplicationStatusTag status={s} />,
        },
        { title: t('policies.applications.reasons'), dataIndex: 'reasons', render: (v) => v ?? '—' },
        { title: t('policies.payouts.amount'), dataIndex: 'amountYuan', render: (v) => formatYuan(v, i18n.language) },
      ]}
    />
  );
}

function MyPayouts() {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: [...policiesKey, 'my', 'payouts'],
    queryFn: async ({ signal }) => listOf<MyPayout>(await api.get<unknown>('/my/payouts', undefined, signal)),
  });
  const confirm = useApiMutation(
    (v: { id: string; accept: boolean }) => api.post(`/payouts/${v.id}/confirm`, { accept: v.accept }),
    {
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: [...policiesKey, 'my', 'payouts'] });
        void message.success(t('policies.my.confirmed'));
      },
    },
  );
  if (q.isError) return <QueryError error={q.error} onRetry={() => void q.refetch()} />;
  return (
    <Table<MyPayout>
      rowKey="id"
      loading={q.isPending}
      dataSource={q.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.my.noPayouts')} /> }}
      columns={[
        {
          title: t('policies.applications.policy'),
          key: 'policy',
          render: (_, p) => <Link to={`/policies/${p.policyId}`}>{p.policyTitle}</Link>,
        },
        {
          title: t('policies.payouts.batch'),
          key: 'batch',
          render: (_, p) => <BatchStatusTag status={p.batchStatus} />,
        },
        { title: t('policies.payouts.amount'), dataIndex: 'amountYuan', render: (v) => formatYuan(v, i18n.language) },
        {
          title: t('policies.fields.status'),
          dataIndex: 'status',
          render: (s: string) => <PayoutStatusTag status={s} />,
        },
        {
          title: t('policies.payouts.consent'),
          key: 'consent',
          render: (_, p) =>
            p.consent === 'pending' ? (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  icon={<CheckOutlined />}
                  onClick={() =>
                    modal.confirm({
                      title: t('policies.my.acceptConfirm', { amount: formatYuan(p.amountYuan, i18n.language) }),
                      onOk: () => confirm.mutateAsync({ id: p.id, accept: true }),
                    })
                  }
                  data-testid="payout-accept"
                >
                  {t('policies.my.accept')}
                </Button>
                <Button
                  size="small"
                  danger
                  icon={<CloseOutlined />}
                  onClick={() =>
                    modal.confirm({
                      title: t('policies.my.declineConfirm'),
                      okType: 'danger',
                      onOk: () => confirm.mutateAsync({ id: p.id, accept: false }),
                    })
                  }
                >
                  {t('policies.my.decline')}
                </Button>
              </Space>
            ) : p.consent ? (
              t(`policies.consent.${p.consent}`, { defaultValue: p.consent })
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
