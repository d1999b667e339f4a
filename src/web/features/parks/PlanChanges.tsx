import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { type PlanChange, parkKey, parksKey } from './api';
import { formatDay } from './format';
import { milestoneName } from './timeline';

const STATUS_COLOR = { pending: 'gold', approved: 'green', returned: 'default' } as const;

/** The approved plan beside the proposal: one row per node (or the year's figure). */
function PlanCompare({ change }: { change: PlanChange }) {
  const { t } = useTranslation();
  const o = change.original;
  const p = change.proposal;
  if (o.kind === 'investment_plan' && p.kind === 'investment_plan') {
    return (
      <Descriptions size="small" column={2} bordered>
        <Descriptions.Item label={t('parks.planChanges.original')}>
          {t('parks.planChanges.year', { year: o.year, wan: o.plannedWan })}
        </Descriptions.Item>
        <Descriptions.Item label={t('parks.planChanges.proposal')}>
          <Typography.Text strong>{t('parks.planChanges.year', { year: p.year, wan: p.plannedWan })}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
    );
  }
  const before = o.kind === 'milestones' ? o.milestones : [];
  const after = p.kind === 'milestones' ? p.milestones : [];
  const keys = [...new Set([...before.map((m) => m.key), ...after.map((m) => m.key)])];
  const rows = keys.map((key) => {
    const b = before.find((m) => m.key === key);
    const a = after.find((m) => m.key === key);
    return { key, name: milestoneName(t, (a ?? b)!), was: b?.plannedOn ?? null, now: a ? a.plannedOn : undefined };
  });
  return (
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t('parks.milestones.node'), dataIndex: 'name', key: 'name' },
        {
          title: t('parks.planChanges.original'),
          dataIndex: 'was',
          key: 'was',
          render: (v: string | null) => formatDay(v),
        },
        {
          title: t('parks.planChanges.proposal'),
          dataIndex: 'now',
          key: 'now',
          render: (v: string | null | undefined, r) =>
            v === undefined ? (
              <Typography.Text delete>{formatDay(r.was)}</Typography.Text>
            ) : v !== r.was ? (
              <Typography.Text strong type="warning">
                {formatDay(v)}
              </Typography.Text>
            ) : (
              formatDay(v)
            ),
        },
      ]}
    />
  );
}

function Decide({ change }: { change: PlanChange }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ note: string }>();
  const decide = async (decision: 'approve' | 'return', note = '') => {
    setBusy(true);
    try {
      await api.post(`/parks/${change.parkId}/plan-changes/${change.id}/decision`, { decision, note });
      await queryClient.invalidateQueries({ queryKey: parkKey(change.parkId) });
      void queryClient.invalidateQueries({ queryKey: parksKey });
      void queryClient.invalidateQueries({ queryKey: ['plan-changes'] });
      void message.success(t(decision === 'approve' ? 'parks.planChanges.approved' : 'parks.planChanges.returned'));
      setReturning(false);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space>
      <Button
        type="primary"
        icon={<CheckOutlined />}
        loading={busy}
        onClick={() => decide('approve')}
        data-testid={`plan-change-approve-${change.id}`}
      >
        {t('parks.planChanges.approve')}
      </Button>
      <Button icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="plan-change-return">
        {t('parks.planChanges.return')}
      </Button>
      <Modal
        open={returning}
        title={t('parks.planChanges.returnTitle')}
        onCancel={() => setReturning(false)}
        onOk={() => form.validateFields().then((v) => decide('return', v.note))}
        confirmLoading={busy}
        okText={t('parks.planChanges.return')}
        cancelText={t('common.cancel')}
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="note"
            label={t('parks.planChanges.returnNote')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="plan-change-note" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/** One request: status, who and when, reason, the two plans side by side, and approve/return for approvers. */
export function PlanChangeCard({ change, showPark = false }: { change: PlanChange; showPark?: boolean }) {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Card
      size="small"
      data-testid="plan-change"
      title={
        <Space wrap>
          {showPark ? <Typography.Text strong>{change.parkName}</Typography.Text> : null}
          <span>{t(`parks.planChanges.kind.${change.kind}`)}</span>
          <Tag color={STATUS_COLOR[change.status]}>{t(`parks.planChanges.status.${change.status}`)}</Tag>
        </Space>
      }
      extra={change.status === 'pending' && can('parks:manage') ? <Decide change={change} /> : null}
      style={{ marginBottom: 12 }}
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 8 }}>
        <Descriptions.Item label={t('parks.planChanges.requestedBy')}>
          {change.requestedByName ?? '—'} · {formatDay(change.requestedAt.slice(0, 10))}
        </Descriptions.Item>
        {change.reason ? (
          <Descriptions.Item label={t('parks.planChanges.reason')}>{change.reason}</Descriptions.Item>
        ) : null}
        {change.decidedByName ? (
          <Descriptions.Item label={t('parks.planChanges.decidedBy')}>
            {change.decidedByName}
            {change.decisionNote ? ` · ${change.decisionNote}` : ''}
          </Descriptions.Item>
        ) : null}
      </Descriptions>
      <PlanCompare change={change} />
    </Card>
  );
}

/** The park's requests of one kind (pending first), with a hint while one is pending. */
export function PlanChangesPanel({ changes, kind }: { changes: PlanChange[] | undefined; kind: PlanChange['kind'] }) {
  const { t } = useTranslation();
  const list = (changes ?? []).filter((c) => c.kind === kind).slice(0, 3);
  if (!list.length) return null;
  const pending = list.some((c) => c.status === 'pending');
  return (
    <div data-testid={`plan-changes-${kind}`} style={{ marginBottom: 12 }}>
      {pending ? (
        <Alert type="warning" showIcon title={t('parks.planChanges.pendingHint')} style={{ marginBottom: 12 }} />
      ) : null}
      {list.map((c) => (
        <PlanChangeCard key={c.id} change={c} />
      ))}
    </div>
  );
}
