import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Card,
  Descriptions,
  Flex,
  Form,
  type FormInstance,
  Image,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Skeleton,
  Space,
  Timeline,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import {
  ACTIONS,
  assistanceKey,
  CLOSURE_CODES,
  type ProblemAction,
  type ProblemDetail,
  problemAction,
  RATINGS,
  STOP_REASONS,
  useProblem,
} from './api';
import { Countdown, conflictMessage, StatusTag, useCategoryLabel } from './ui';

/** Which fields each action's form asks for; actions without fields are confirmed in a dialog. */
const ACTION_FIELDS: Partial<Record<ProblemAction, string[]>> = {
  assign: ['orgId', 'complexity'],
  feedback: ['note'],
  resolve: ['answer', 'closureCode'],
  transfer: ['orgId', 'reason'],
  return: ['reason'],
  request_extension: ['days', 'reason'],
  reject_extension: ['reason'],
  stop_clock: ['stopReason', 'note'],
  escalate: ['note'],
};
const DANGER: ProblemAction[] = ['close', 'withdraw', 'return', 'reject_extension'];
const CLOSED = ['resolved', 'rated', 'closed'];

type ActionValues = Record<string, unknown>;

/** Shown when a photo cannot be loaded (not readable for this user, or gone); no network request. */
const PHOTO_FALLBACK =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="88" height="88"><rect width="88" height="88" fill="#f0f0f0"/><path d="M28 58l12-14 9 10 7-8 10 12z" fill="#bfbfbf"/><circle cx="56" cy="34" r="5" fill="#bfbfbf"/></svg>',
  );

/** Org choices for assign/transfer: the org list for officials who may read it, else the categories' departments. */
function useOrgOptions(enabled: boolean) {
  const can = useCan();
  const { categories } = useCategoryLabel();
  const orgs = useQuery({
    queryKey: ['orgs', 'all-for-assistance'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/orgs', { pageSize: 100 }, signal),
    enabled: enabled && can('orgs:read'),
    staleTime: 5 * 60_000,
  });
  const options = new Map<string, string>();
  for (const c of categories) if (c.defaultOrgId) options.set(c.defaultOrgId, c.defaultOrgName ?? c.defaultOrgId);
  for (const o of orgs.data?.items ?? []) options.set(o.id, o.name);
  return [...options].map(([value, label]) => ({ value, label }));
}

/** 办理人 (optional) for the assign form: the active handlers of the chosen org the caller may assign to. */
function HandlerField({ form }: { form: FormInstance<ActionValues> }) {
  const { t } = useTranslation();
  const orgId = Form.useWatch('orgId', form) as string | undefined;
  const handlers = useQuery({
    queryKey: [...assistanceKey, 'handlers', orgId],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; displayName: string }[] }>('/assistance/handlers', { orgId }, signal),
    enabled: !!orgId,
    retry: false,
    staleTime: 60_000,
  });
  return (
    <Form.Item name="handlerUserId" label={t('assistance.fields.handler')} extra={t('assistance.detail.handlerHint')}>
      <Select
        allowClear
        disabled={!orgId}
        loading={handlers.isFetching}
        placeholder={t('assistance.detail.handlerPlaceholder')}
        options={(handlers.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
        notFoundContent={handlers.isError ? t('assistance.detail.handlerUnavailable') : undefined}
        data-testid="handler-select"
      />
    </Form.Item>
  );
}

/**
 * One problem: its facts, the deadline countdown, a stopped clock's reason (shown to the firm too), the timeline
 * (the firm sees only the events meant for it — the server filters), and only the actions the server allows the
 * caller; every action sends the problem's `version`, and a 409 asks the user to reload.
 */
export default function ProblemDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const problem = useProblem(id);
  const { label, categories } = useCategoryLabel();
  const [open, setOpen] = useState<ProblemAction | null>(null);
  const [conflict, setConflict] = useState<{ title: string; detail: string | null } | null>(null);
  const [form] = Form.useForm<ActionValues>();
  const [rateForm] = Form.useForm<{ rating: string; comment?: string }>();
  const orgOptions = useOrgOptions(open === 'assign' || open === 'transfer');

  const act = useApiMutation(
    (vars: { action: ProblemAction; values: ActionValues }) => {
      const p = problem.data!;
      const { stopReason, ...rest } = vars.values;
      const body: Record<string, unknown> = { ...rest, action: vars.action, version: p.version };
      if (stopReason) body.reason = stopReason;
      return problemAction(p.id, body as { action: string; version: number });
    },
    {
      onSuccess: (updated, vars) => {
        setOpen(null);
        setConflict(null);
        form.resetFields();
        rateForm.resetFields();
        if (updated && typeof updated === 'object' && 'id' in updated)
          queryClient.setQueryData([...assistanceKey, 'problem', id], updated);
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
        void queryClient.invalidateQueries({ queryKey: ['assistance-problems'] });
        void message.success(t('assistance.detail.done', { action: t(`assistance.action.${vars.action}`) }));
      },
      onError: (error) => {
        const msg = conflictMessage(error, t);
        if (!msg) return false;
        setOpen(null);
        // The server checks the state before the version: a refused action on a problem whose version moved on
        // means someone else changed it meanwhile — say so, with the server's reason below.
        const sent = problem.data?.version;
        setConflict({ title: msg, detail: null });
        void api
          .get<ProblemDetail>(`/assistance/problems/${id}`)
          .then((fresh) => {
            if (fresh.version !== sent && msg !== t('assistance.detail.conflict'))
              setConflict({ title: t('assistance.detail.conflict'), detail: msg });
          })
          .catch(() => undefined);
        return true;
      },
    },
  );

  if (problem.error) return <QueryError error={problem.error} onRetry={() => void problem.refetch()} />;
  if (!problem.data) return <Skeleton active />;
  const p: ProblemDetail = problem.data;
  const allowed = ACTIONS.filter((a) => (p.actions ?? []).includes(a) && a !== 'rate');
  const canRate = (p.actions ?? []).includes('rate');
  const stop = typeof p.stopped === 'object' && p.stopped ? p.stopped : (p.clockStop ?? null);
  const stopReason = stop?.reason ?? p.stopReason;
  const stopNote = stop?.note ?? p.stopNote;
  const dueAt = p.dueAt ?? p.deadlines?.dueAt ?? p.deadlines?.resolveBy ?? p.deadlines?.dueOn ?? p.dueOn;
  // deadlines are whole days (end of that day, China Standard Time): show the day, count down to its end
  const dueDay = p.deadlines?.dueOn ?? p.dueOn ?? null;
  const ext =
    p.extension ??
    (p.extensionStatus
      ? { days: p.extensionDays ?? null, reason: p.extensionReason, status: p.extensionStatus }
      : null);
  const extension = ext && ext.status !== 'none' && ext.days ? ext : null;
  const photos = p.attachments?.map((a) => a.id) ?? p.attachmentFileIds ?? [];

  const start = (action: ProblemAction) => {
    if (ACTION_FIELDS[action]) {
      form.resetFields();
      setOpen(action);
      return;
    }
    modal.confirm({
      title: t('assistance.detail.confirmTitle', { action: t(`assistance.action.${action}`) }),
      content: t(`assistance.confirm.${action}`, { defaultValue: t('assistance.confirm.default') }),
      okText: t(`assistance.action.${action}`),
      okButtonProps: { danger: DANGER.includes(action), 'data-testid': 'confirm-ok' } as ButtonProps,
      cancelText: t('common.cancel'),
      onOk: () => act.mutateAsync({ action, values: {} }).catch(() => undefined),
    });
  };

  const fields = open ? (ACTION_FIELDS[open] ?? []) : [];

  return (
    <PageContainer
      title={
        <Space wrap>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate(-1)}
            aria-label={t('assistance.detail.back')}
          />
          <span data-testid="problem-title">{p.title}</span>
          <StatusTag status={p.status} testId="problem-status" />
        </Space>
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 960 }}>
        {conflict ? (
          <Alert
            type="warning"
            showIcon
            title={conflict.title}
            description={conflict.detail ?? undefined}
            data-testid="conflict"
            action={
              <Button
                size="small"
                icon={<ReloadOutlined />}
                onClick={() => {
                  setConflict(null);
                  void problem.refetch();
                }}
              >
                {t('assistance.detail.reload')}
              </Button>
            }
          />
        ) : null}
        {stopReason ? (
          <Alert
            type="info"
            showIcon
            data-testid="clock-stopped"
            title={t('assistance.detail.clockStopped', {
              reason: t(`assistance.stopReason.${stopReason}`, { defaultValue: stopReason }),
            })}
            description={stopNote ?? undefined}
          />
        ) : null}
        <Card size="small">
          <Descriptions
            column={{ xs: 1, sm: 2, md: 2 }}
            size="small"
            items={[
              { key: 'code', label: t('assistance.fields.code'), children: p.code },
              { key: 'category', label: t('assistance.fields.category'), children: label(p.category) },
              { key: 'enterprise', label: t('assistance.fields.enterprise'), children: p.enterpriseName ?? '—' },
              { key: 'received', label: t('assistance.fields.receivedAt'), children: formatDateTime(p.receivedAt) },
              {
                key: 'due',
                label: t('assistance.fields.dueAt'),
                children: (
                  <Space orientation="vertical" size={0}>
                    <span>{dueDay ?? formatDateTime(dueAt)}</span>
                    {CLOSED.includes(p.status) ? null : (
                      <Countdown dueAt={dueAt} stopped={!!stopReason || !!p.stopped} testId="countdown" />
                    )}
                  </Space>
                ),
              },
              {
                key: 'org',
                label: t('assistance.fields.org'),
                children: [p.orgName, p.handlerName].filter(Boolean).join(' · ') || '—',
              },
              ...(p.escalationLevel
                ? [
                    {
                      key: 'esc',
                      label: t('assistance.fields.escalation'),
                      children: t('assistance.detail.level', { level: p.escalationLevel }),
                    },
                  ]
                : []),
              ...(extension
                ? [
                    {
                      key: 'ext',
                      label: t('assistance.fields.extension'),
                      children: `${t('assistance.detail.extensionDays', { days: extension.days })} ${extension.status ? t(`assistance.extensionStatus.${extension.status}`, { defaultValue: extension.status }) : ''}`,
                    },
                  ]
                : []),
              {
                key: 'desc',
                label: t('assistance.fields.description'),
                span: 'filled',
                children: (
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                    {p.description}
                  </Typography.Paragraph>
                ),
              },
            ]}
          />
          {photos.length ? (
            <Image.PreviewGroup>
              <Flex gap={8} wrap style={{ marginTop: 8 }} data-testid="problem-photos">
                {photos.map((fid) => (
                  <Image
                    key={fid}
                    src={`/api/v1/assistance/problems/${p.id}/attachments/${fid}`}
                    width={88}
                    height={88}
                    style={{ objectFit: 'cover' }}
                    fallback={PHOTO_FALLBACK}
                    alt=""
                  />
                ))}
              </Flex>
            </Image.PreviewGroup>
          ) : null}
        </Card>
        {p.answer || p.closureCode ? (
          <Card
            size="small"
            title={CLOSED.includes(p.status) ? t('assistance.detail.answer') : t('assistance.detail.previousAnswer')}
            data-testid="problem-answer"
          >
            {p.closureCode ? (
              <Typography.Text strong>
                {t(`assistance.closure.${p.closureCode}`, { defaultValue: p.closureCode })}
              </Typography.Text>
            ) : null}
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{p.answer}</Typography.Paragraph>
            {p.rating ? (
              <Typography.Text type="secondary" data-testid="problem-rating">
                {t('assistance.detail.rated', { rating: t(`assistance.rating.${p.rating}`) })}
                {p.ratingComment ? ` — ${p.ratingComment}` : ''}
              </Typography.Text>
            ) : null}
          </Card>
        ) : null}
        {canRate ? (
          <Card size="small" title={t('assistance.rate.title')} data-testid="rate-card">
            <Form
              form={rateForm}
              layout="vertical"
              onFinish={(v) => {
                const go = () => act.mutateAsync({ action: 'rate', values: v }).catch(() => undefined);
                if (v.rating !== 'unsatisfied') return go();
                modal.confirm({
                  title: t('assistance.rate.unsatisfiedTitle'),
                  content: t('assistance.rate.unsatisfiedConfirm'),
                  okText: t('assistance.rate.submit'),
                  okButtonProps: { 'data-testid': 'confirm-ok' } as ButtonProps,
                  cancelText: t('common.cancel'),
                  onOk: go,
                });
              }}
            >
              <Form.Item name="rating" rules={[{ required: true, message: t('assistance.rate.required') }]}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  options={RATINGS.map((r) => ({ value: r, label: t(`assistance.rating.${r}`) }))}
                  data-testid="rating"
                />
              </Form.Item>
              <Form.Item name="comment" label={t('assistance.rate.comment')}>
                <Input.TextArea rows={3} maxLength={500} showCount data-testid="rating-comment" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={act.isPending} data-testid="rate-submit">
                {t('assistance.rate.submit')}
              </Button>
            </Form>
          </Card>
        ) : null}
        {allowed.length ? (
          <Card size="small" title={t('assistance.detail.actions')}>
            <Flex gap={8} wrap data-testid="problem-actions">
              {allowed.map((a, i) => (
                <Button
                  key={a}
                  type={i === 0 ? 'primary' : 'default'}
                  danger={DANGER.includes(a)}
                  onClick={() => start(a)}
                  data-testid={`action-${a}`}
                >
                  {t(`assistance.action.${a}`)}
                </Button>
              ))}
            </Flex>
          </Card>
        ) : null}
        <Card size="small" title={t('assistance.detail.timeline')}>
          <Timeline
            data-testid="problem-timeline"
            items={(p.events ?? []).map((e, i) => ({
              key: e.id ?? String(i),
              content: (
                <div>
                  <Typography.Text strong>
                    {t(`assistance.event.${e.action}`, {
                      defaultValue: t(`assistance.action.${e.action}`, { defaultValue: e.action }),
                    })}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
                    {formatDateTime(e.at)}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                  </Typography.Text>
                  {e.note ? <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div> : null}
                </div>
              ),
            }))}
          />
        </Card>
      </Space>
      <Modal
        open={!!open}
        title={open ? t(`assistance.action.${open}`) : ''}
        okText={open ? t(`assistance.action.${open}`) : ''}
        cancelText={t('common.cancel')}
        onCancel={() => setOpen(null)}
        onOk={() => form.submit()}
        confirmLoading={act.isPending}
        okButtonProps={{ danger: !!open && DANGER.includes(open), 'data-testid': 'action-ok' } as ButtonProps}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(values) => open && act.mutate({ action: open, values })}
          preserve={false}
        >
          {fields.includes('orgId') ? (
            <Form.Item
              name="orgId"
              label={t('assistance.fields.org')}
              initialValue={
                open === 'assign'
                  ? (categories.find((c) => c.code === p.category)?.defaultOrgId ?? undefined)
                  : undefined
              }
              rules={[{ required: true, message: t('assistance.form.required') }]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={orgOptions}
                data-testid="org-select"
                onChange={() => form.setFieldValue('handlerUserId', undefined)}
              />
            </Form.Item>
          ) : null}
          {open === 'assign' ? <HandlerField form={form} /> : null}
          {fields.includes('complexity') ? (
            <Form.Item
              name="complexity"
              label={t('assistance.fields.complexity')}
              initialValue={p.complexity ?? 'ordinary'}
            >
              <Radio.Group
                options={['ordinary', 'complex'].map((c) => ({ value: c, label: t(`assistance.complexity.${c}`) }))}
              />
            </Form.Item>
          ) : null}
          {fields.includes('closureCode') ? (
            <Form.Item
              name="closureCode"
              label={t('assistance.fields.closureCode')}
              initialValue="resolved"
              rules={[{ required: true }]}
            >
              <Select
                options={CLOSURE_CODES.map((c) => ({ value: c, label: t(`assistance.closure.${c}`) }))}
                data-testid="closure-select"
              />
            </Form.Item>
          ) : null}
          {fields.includes('answer') ? (
            <Form.Item
              name="answer"
              label={t('assistance.fields.answer')}
              rules={[{ required: true, whitespace: true, message: t('assistance.form.required') }]}
            >
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="answer-input" />
            </Form.Item>
          ) : null}
          {fields.includes('days') ? (
            <Form.Item
              name="days"
              label={t('assistance.fields.extensionDays')}
              rules={[{ required: true, message: t('assistance.form.required') }]}
            >
              <InputNumber min={1} max={90} precision={0} style={{ width: 160 }} />
            </Form.Item>
          ) : null}
          {fields.includes('stopReason') ? (
            <Form.Item
              name="stopReason"
              label={t('assistance.fields.stopReason')}
              rules={[{ required: true, message: t('assistance.form.required') }]}
            >
              <Select options={STOP_REASONS.map((r) => ({ value: r, label: t(`assistance.stopReason.${r}`) }))} />
            </Form.Item>
          ) : null}
          {fields.includes('reason') ? (
            <Form.Item
              name="reason"
              label={t('assistance.fields.reason')}
              rules={[{ required: true, whitespace: true, message: t('assistance.form.required') }]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount data-testid="reason-input" />
            </Form.Item>
          ) : null}
          {fields.includes('note') ? (
            <Form.Item
              name="note"
              label={t('assistance.fields.note')}
              rules={
                open === 'feedback'
                  ? [{ required: true, whitespace: true, message: t('assistance.form.required') }]
                  : []
              }
            >
              <Input.TextArea rows={3} maxLength={1000} showCount data-testid="note-input" />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </PageContainer>
  );
}
