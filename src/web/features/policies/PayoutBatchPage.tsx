/**
 * A 免申即享 payout batch: the payouts (enterprise, amount, consent, objections), the batch workflow (review →
 * publicity → approving → disbursed), the policy's budget (cap / committed / remaining, from the server), approval
 * per payout, objections filed and decided (采纳 removes the payout, 驳回 keeps it), disbursement (confirmed) and the
 * treasury export.
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
import { api, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { downloadFile } from '../parks/api';
import {
  type BatchPayout,
  formatYuan,
  type Payout,
  type PayoutBatchDetail,
  type PayoutObjection,
  policiesKey,
} from './api';

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

export default function PayoutBatchPage() {
  const { id = '' } = useParams<{ id: string }>();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const can = useCan();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [objecting, setObjecting] = useState<Payout | null>(null);
  const [removing, setRemoving] = useState<Payout | null>(null);
  const [deciding, setDeciding] = useState<{ objection: PayoutObjection; payout: Payout; upheld: boolean } | null>(
    null,
  );
  const [disbursing, setDisbursing] = useState(false);
  const [page, setPage] = useState({ page: 1, pageSize: 50 });
  const key = [...policiesKey, 'payout-batch', id, page] as const;
  const batch = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<PayoutBatchDetail>(`/payout-batches/${id}`, page, signal),
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

  if (batch.isPending) return <Skeleton active />;
  if (batch.isError) return <QueryError error={batch.error} onRetry={() => void batch.refetch()} />;
  const b = batch.data;
  const payouts = b.items.items;
  const total = b.items.total;
  const remaining = b.remainingYuan === null ? t('policies.payouts.noCap') : formatYuan(b.remainingYuan, lang);
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
            <div>
              {b.publicityStartsOn ? `${b.publicityStartsOn} ~ ` : ''}
              {b.publicityEndsOn ?? '—'}
              <Typography.Text type="secondary" data-testid="batch-publicity-days" style={{ display: 'block' }}>
                {t(b.publicityDayMode === 'working' ? 'policies.detail.workingDays' : 'policies.detail.days', {
                  count: b.publicityDays,
                })}
              </Typography.Text>
            </div>
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.budgetCap')}>
            <span data-testid="budget-cap">
              {b.budgetCapYuan === null ? t('policies.payouts.noCap') : formatYuan(b.budgetCapYuan, lang)}
            </span>
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.committed')}>
            <span data-testid="budget-committed">{formatYuan(b.committedYuan, lang)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.payouts.remaining')}>
            <Typography.Text strong type={remainingLow(b) ? 'danger' : undefined} data-testid="budget-remaining">
              {remaining}
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
        <Table<BatchPayout>
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
                p.objections.length ? (
                  <Space orientation="vertical" size={4} data-testid="payout-objections">
                    {p.openObjections ? (
                      <Tag color="warning">{t('policies.payouts.openObjections', { count: p.openObjections })}</Tag>
                    ) : null}
                    {p.objections.map((o) => (
                      <ObjectionLine
                        key={o.id}
                        objection={o}
                        canDecide={canPay}
                        onDecide={(upheld) => setDeciding({ objection: o, payout: p, upheld })}
                      />
                    ))}
                  </Space>
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
                  {canPay && ['draft', 'reviewed', 'approving'].includes(b.status) && p.status === 'pending' ? (
                    <Button size="small" type="link" danger onClick={() => setRemoving(p)} data-testid="payout-remove">
                      {t('policies.payouts.remove')}
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
                          content: t('policies.payouts.remainingIs', { remaining }),
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
      {deciding ? (
        <DecideObjectionModal
          objection={deciding.objection}
          payout={deciding.payout}
          upheld={deciding.upheld}
          onClose={() => setDeciding(null)}
          onDone={refresh}
        />
      ) : null}
      {objecting ? <ObjectionModal payout={objecting} onClose={() => setObjecting(null)} onDone={refresh} /> : null}
      {removing ? <RemoveModal payout={removing} onClose={() => setRemoving(null)} onDone={refresh} /> : null}
      {disbursing ? <DisburseModal batchId={id} onClose={() => setDisbursing(false)} onDone={refresh} /> : null}
    </PageContainer>
  );
}

/** Less than one payout's worth of budget left is worth a red figure; uncapped never is. */
function remainingLow(b: PayoutBatchDetail) {
  if (b.remainingYuan === null) return false;
  const pending = b.items.items.filter((p) => p.status === 'pending').map((p) => p.amountYuan);
  return pending.length > 0 && Number(b.remainingYuan) < Math.min(...pending);
}

const OBJECTION_COLORS: Record<PayoutObjection['status'], string> = {
  open: 'warning',
  upheld: 'error',
  dismissed: 'default',
};

function ObjectionLine({
  objection: o,
  canDecide,
  onDecide,
}: {
  objection: PayoutObjection;
  canDecide: boolean;
  onDecide: (upheld: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 320 }} data-testid="objection">
      <Space size={4} wrap>
        <Tag color={OBJECTION_COLORS[o.status]}>{t(`policies.objectionStatus.${o.status}`)}</Tag>
        <Typography.Text type="secondary">{formatDateTime(o.filedAt)}</Typography.Text>
      </Space>
      <Typography.Paragraph style={{ margin: 0, whiteSpace: 'normal' }} ellipsis={{ rows: 2, tooltip: o.reason }}>
        {o.reason}
      </Typography.Paragraph>
      {o.status !== 'open' && o.decision ? (
        <Typography.Text type="secondary" style={{ whiteSpace: 'normal' }}>
          {t('policies.payouts.decisionNote', { note: o.decision })}
        </Typography.Text>
      ) : null}
      {o.status === 'open' && canDecide ? (
        <Space size={0}>
          <Button size="small" type="link" danger onClick={() => onDecide(true)} data-testid="objection-uphold">
            {t('policies.payouts.uphold')}
          </Button>
          <Button size="small" type="link" onClick={() => onDecide(false)} data-testid="objection-dismiss">
            {t('policies.payouts.dismiss')}
          </Button>
        </Space>
      ) : null}
    </div>
  );
}

/** 采纳 (upheld: the payout leaves the list, irreversible) or 驳回 (dismissed) with an optional decision note. */
function DecideObjectionModal({
  objection,
  payout,
  upheld,
  onClose,
  onDone,
}: {
  objection: PayoutObjection;
  payout: Payout;
  upheld: boolean;
  onClose: () => void;
  onDone: () => unknown;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const [key] = useState(newIdempotencyKey);
  const decide = useApiMutation(
    (note: string) =>
      api.post<{ status: string; payoutStatus: string }>(
        `/payout-objections/${objection.id}/decide`,
        { upheld, note },
        { headers: { 'Idempotency-Key': key } },
      ),
    {
      onSuccess: async () => {
        await onDone();
        void message.success(t(upheld ? 'policies.payouts.upheldDone' : 'policies.payouts.dismissedDone'));
        onClose();
      },
    },
  );
  const amount = formatYuan(payout.amountYuan, i18n.language);
  return (
    <Modal
      open
      title={t(upheld ? 'policies.payouts.upholdTitle' : 'policies.payouts.dismissTitle', {
        name: payout.enterpriseName,
      })}
      onOk={() => form.submit()}
      onCancel={onClose}
      okText={t(upheld ? 'policies.payouts.uphold' : 'policies.payouts.dismiss')}
      okButtonProps={{ danger: upheld, loading: decide.isPending, 'data-testid': 'objection-decide-ok' }}
      destroyOnHidden
    >
      <Alert
        type={upheld ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 12 }}
        title={t(upheld ? 'policies.payouts.upholdExplain' : 'policies.payouts.dismissExplain', {
          name: payout.enterpriseName,
          amount,
        })}
        description={t('policies.payouts.objectionReason', { reason: objection.reason })}
      />
      <Form form={form} layout="vertical" onFinish={(v) => decide.mutate((v.note ?? '').trim())}>
        <Form.Item name="note" label={t('policies.payouts.decisionNoteLabel')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 移出清单: one pending payout leaves the batch with a reason (issue #18); the server applies the same rule. */
function RemoveModal({ payout, onClose, onDone }: { payout: Payout; onClose: () => void; onDone: () => unknown }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const remove = useApiMutation((reason: string) => api.post(`/payouts/${payout.id}/remove`, { reason }), {
    onSuccess: async () => {
      await onDone();
      void message.success(t('policies.payouts.removed'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('policies.payouts.removeTitle', { name: payout.enterpriseName })}
      onOk={() => form.submit()}
      onCancel={onClose}
      okText={t('policies.payouts.remove')}
      okButtonProps={{ danger: true, loading: remove.isPending }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={(v) => remove.mutate(v.reason.trim())}>
        <Form.Item
          name="reason"
          label={t('policies.action.reason')}
          extra={t('policies.payouts.removeHint')}
          rules={[
            { required: true, whitespace: true, message: t('policies.action.reasonRequired') },
            { min: 2, message: t('policies.action.reasonRequired') },
          ]}
        >
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={200} showCount />
        </Form.Item>
      </Form>
    </Modal>
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
