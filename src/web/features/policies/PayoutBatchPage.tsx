/**
 * A 免申即享 payout batch: the payouts (enterprise, amount, consent, objections), the batch workflow (review →
 * publicity → approving → disbursed), approval per payout with the remaining budget shown, objections,
 * disbursement (confirmed) and the treasury export.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { BatchAction, BatchStatus } from '../../../domain/payouts.ts';
import { api, newIdempotencyKey, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { downloadFile } from '../parks/api';
import { formatWan, formatYuan, type Payout, type PayoutBatch, policiesKey, usePolicy } from './api';

/** The batch moves of src/domain/payouts.ts (BATCH_MOVES), for the buttons; the server checks them again. */
const BATCH_MOVES_UI: { action: BatchAction; from: readonly BatchStatus[] }[] = [
  { action: 'review', from: ['draft'] },
  { action: 'publish', from: ['reviewed'] },
  { action: 'close_publicity', from: ['publicity'] },
  { action: 'cancel', from: ['draft', 'reviewed'] },
];

const BATCH_COLORS: Record<string, string> = {
  draft: 'default',
  reviewed: 'processing',
  publicity: 'gold',
  approving: 'cyan',
  disbursed: 'success',
  cancelled: 'error',
};

export function BatchStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={BATCH_COLORS[status] ?? 'default'} data-testid="batch-status">
      {t(`policies.batchStatus.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function PayoutStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color =
    status === 'paid' || status === 'approved'
      ? 'success'
      : status === 'failed' || status === 'removed' || status === 'excluded'
        ? 'error'
        : status === 'declined'
          ? 'warning'
          : 'default';
  return <Tag color={color}>{t(`policies.payoutStatus.${status}`, { defaultValue: status })}</Tag>;
}

type BatchBody = PayoutBatch & { policyTitle: string; docNo: string; items: Paged<Payout> };

export default function PayoutBatchPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const can = useCan();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [objecting, setObjecting] = useState<Payout | null>(null);
  const [disbursing, setDisbursing] = useState(false);
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const key = [...policiesKey, 'payout-batch', id, page] as const;
  const batch = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<BatchBody>(`/payout-batches/${id}`, page, signal),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: policiesKey });
  const transition = useApiMutation((action: string) => api.post(`/payout-batches/${id}/transition`, { action }), {
    onSuccess: async () => {
      await refresh();
      void message.success(t('policies.payouts.done'));
    },
  });
  const approve = useApiMutation((payoutId: string) => api.post(`/payouts/${payoutId}/approve`, {}), {
    onSuccess: async () => {
      await refresh();
      void message.success(t('policies.payouts.approved'));
    },
  });
  const policy = usePolicy(batch.data?.policyId);

  if (batch.isPending) return <Skeleton active />;
  if (batch.isError) return <QueryError error={batch.error} onRetry={() => void batch.refetch()} />;
  const b = batch.data;
  const payouts = b.items.items;
  const total = b.items.total;
  const cap = b.budgetCapYuan ?? policy.data?.budgetCapYuan ?? null;
  const approvedHere = payouts
    .filter((p) => p.status === 'approved' || p.status === 'paid')
    .reduce((sum, p) => sum + Number(p.amountYuan), 0);
  const moves = BATCH_MOVES_UI.filter((m) => m.from.includes(b.status as BatchStatus));
  const canPay = can('policies:payout');

  return (
    <PageContainer
      title={
        <Space wrap>
          {t('policies.payouts.batchTitle', { code: b.number })}
          <BatchStatusTag status={b.status} />
        </Space>
      }
      extra={
        <Space wrap>
          {canPay
            ? moves.map((m) => (
                <Button
                  key={m.action}
                  danger={m.action === 'cancel'}
                  type={m.action === 'cancel' ? 'default' : 'primary'}
                  onClick={() =>
                    modal.confirm({
                      title: t(`policies.batchAction.confirm.${m.action}`),
                      okType: m.action === 'cancel' ? 'danger' : 'primary',
                      onOk: () => transition.mutateAsync(m.action),
                    })
                  }
                  data-testid={`batch-${m.action}`}
                >
                  {t(`policies.batchAction.${m.action}`)}
                </Button>
              ))
            : null}
          {canPay && b.status === 'approving' ? (
            <Button type="primary" danger onClick={() => setDisbursing(true)} data-testid="batch-disburse">
              {t('policies.payouts.disburse')}
            </Button>
          ) : null}
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              void downloadFile(`/payout-batches/${id}/export.xlsx`, undefined, `payouts-${id.slice(0, 8)}.xlsx`).catch(
                (e) => message.error(e instanceof Error ? e.message : t('errors.unknown')),
              )
            }
            data-testid="batch-export"
          >
            {t('policies.payouts.export')}
          </Button>
        </Space>
      }
    >
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('policies.payouts.policy')}>
            <Link to={`/policies/${b.policyId}`}>{b.policyTitle}</Link>
            {b.docNo ? <Typography.Text type="secondary"> {b.docNo}</Typography.Text> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.total')}>
            {t('policies.payouts.countTotal', { count: b.payouts, total: formatYuan(b.totalYuan, lang) })}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.publicityUntil')}>
            {b.publicityStartsOn ? `${b.publicityStartsOn} ~ ` : ''}
            {b.publicityEndsOn ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.budgetCapYuan')}>{formatWan(cap, lang)}</Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.approvedHere')}>
            {formatYuan(approvedHere, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.remaining')}>
            <Typography.Text strong data-testid="budget-remaining">
              {b.remainingYuan !== undefined && b.remainingYuan !== null
                ? formatWan(b.remainingYuan, lang)
                : cap !== null
                  ? t('policies.payouts.remainingAtLeast', { amount: formatWan(Number(cap) - approvedHere, lang) })
                  : t('policies.payouts.noCap')}
            </Typography.Text>
          </Descriptions.Item>
          {b.disbursementRef ? (
            <Descriptions.Item label={t('policies.payouts.reference')}>{b.disbursementRef}</Descriptions.Item>
          ) : null}
        </Descriptions>
      </Card>
      {b.excluded.length ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('policies.payouts.excluded', { count: b.excluded.length })}
          description={b.excluded
            .slice(0, 10)
            .map((x) => `${x.enterpriseName}：${t(`policies.excludedReason.${x.reason}`, { defaultValue: x.reason })}`)
            .join('；')}
        />
      ) : null}
      <Card>
        <Table<Payout>
          size="small"
          rowKey="id"
          dataSource={payouts}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.payouts.empty')} />,
          }}
          data-testid="payouts-table"
          columns={[
            {
              title: t('policies.matches.enterprise'),
              key: 'name',
              render: (_, p) => <Link to={`/enterprises/${p.enterpriseId}`}>{p.enterpriseName}</Link>,
            },
            { title: t('policies.payouts.uscc'), dataIndex: 'uscc', render: (v) => v ?? '—' },
            {
              title: t('policies.payouts.amount'),
              dataIndex: 'amountYuan',
              align: 'right',
              render: (v) => formatYuan(v, lang),
            },
            {
              title: t('policies.payouts.status'),
              dataIndex: 'status',
              render: (s: string) => <PayoutStatusTag status={s} />,
            },
            {
              title: t('policies.payouts.consent'),
              dataIndex: 'consent',
              render: (c: string | null) => (c ? t(`policies.consent.${c}`, { defaultValue: c }) : '—'),
            },
            { title: t('policies.payouts.bankAccount'), dataIndex: 'bankAccount', render: (v) => v ?? '—' },
            {
              title: t('policies.payouts.objections'),
              key: 'objections',
              render: (_, p) =>
                p.openObjections ? (
                  <Tag color="warning">{t('policies.payouts.openObjections', { count: p.openObjections })}</Tag>
                ) : (
                  (p.removedReason ?? p.failureReason ?? '—')
                ),
            },
            {
              title: '',
              key: 'ops',
              render: (_, p) => (
                <Space size={0}>
                  {b.status === 'publicity' ? (
                    <Button size="small" type="link" onClick={() => setObjecting(p)}>
                      {t('policies.payouts.object')}
                    </Button>
                  ) : null}
                  {canPay && b.status === 'approving' && p.status === 'pending' ? (
                    <Button
                      size="small"
                      type="link"
                      onClick={() =>
                        modal.confirm({
                          title: t('policies.payouts.approveConfirm', {
                            name: p.enterpriseName,
                            amount: formatYuan(p.amountYuan, lang),
                          }),
                          content: t('policies.payouts.remainingIs', { remaining: formatWan(b.remainingYuan, lang) }),
                          onOk: () => approve.mutateAsync(p.id),
                        })
                      }
                      data-testid="payout-approve"
                    >
                      {t('policies.payouts.approve')}
                    </Button>
                  ) : null}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {objecting ? <ObjectionModal payout={objecting} onClose={() => setObjecting(null)} onDone={refresh} /> : null}
      {disbursing ? <DisburseModal batchId={id} onClose={() => setDisbursing(false)} onDone={refresh} /> : null}
    </PageContainer>
  );
}

function ObjectionModal({ payout, onClose, onDone }: { payout: Payout; onClose: () => void; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const file = useApiMutation((reason: string) => api.post(`/payouts/${payout.id}/objections`, { reason }), {
    onSuccess: async () => {
      await onDone();
      void message.success(t('policies.payouts.objected'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('policies.payouts.objectTitle', { name: payout.enterpriseName })}
      onOk={() => form.submit()}
      onCancel={onClose}
      okButtonProps={{ loading: file.isPending }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => file.mutate(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('policies.action.reason')}
          rules={[{ required: true, whitespace: true, message: t('policies.action.reasonRequired') }]}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DisburseModal({ batchId, onClose, onDone }: { batchId: string; onClose: () => void; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reference: string }>();
  const [key] = useState(newIdempotencyKey);
  const disburse = useApiMutation(
    (reference: string) =>
      api.post<{ paid: number; failed: number; paidYuan: string }>(
        `/payout-batches/${batchId}/disburse`,
        { reference },
        { headers: { 'Idempotency-Key': key } },
      ),
    {
      onSuccess: async (r) => {
        await onDone();
        void message.success(t('policies.payouts.disbursedDetail', { paid: r.paid, failed: r.failed }));
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t('policies.payouts.disburseConfirm')}
      onOk={() => form.submit()}
      onCancel={onClose}
      okText={t('policies.payouts.disburse')}
      okButtonProps={{ danger: true, loading: disburse.isPending }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t('policies.payouts.disburseExplain')} style={{ marginBottom: 12 }} />
      <Form form={form} layout="vertical" onFinish={(v) => disburse.mutate(v.reference.trim())}>
        <Form.Item
          name="reference"
          label={t('policies.payouts.reference')}
          rules={[{ required: true, whitespace: true, message: t('policies.payouts.referenceRequired') }]}
        >
          <Input maxLength={100} data-testid="disburse-reference" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
