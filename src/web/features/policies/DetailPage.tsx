/**
 * A policy: metadata, sanitised body (as the server sanitised it), clauses with rule sentences and example cases,
 * the workflow (submit → approve/reject → publish → expire/withdraw, confirmed), and for officials the funnel,
 * the matches, a rematch with job progress and the payout batches.
 */
import { DeleteOutlined, EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Progress,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { factDef } from '../../../domain/rules/catalogue.ts';
import { formatFactValue } from '../../../domain/rules/describe.ts';
import { api, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { useJob } from '../enterprises/api';
import { FactSourceTag, TrustTag } from '../enterprises/tags';
import {
  type Action,
  type Clause,
  type ClauseFact,
  descriptionLines,
  formatWan,
  formatYuan,
  type MatchDetail,
  type MatchRow,
  type MyPolicy,
  POLICY_STEPS,
  type PolicyDetail,
  policiesKey,
  policyKey,
  useFunnel,
  usePayoutBatches,
  usePolicy,
} from './api';
import { describeLines } from './describe';
import { ExamplesTable } from './ExamplesTable';
import { MissingAlerts, MissingCell } from './Missing';
import { ApplyModal } from './MyPoliciesPage';
import { BatchStatusTag } from './PayoutBatchPage';
import { ChannelTag, LevelTag, MinSourceTag, ServerHtml, StatusTag } from './tags';

export default function DetailPage() {
  const { id } = useParams<{ id: string }>();
  const policy = usePolicy(id);
  if (policy.isPending) return <Skeleton active />;
  if (policy.isError) return <QueryError error={policy.error} onRetry={() => void policy.refetch()} />;
  return <Detail policy={policy.data} />;
}

function Detail({ policy }: { policy: PolicyDetail }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const official = can('policies:manage') || can('policies:review') || can('policies:payout');
  const lang = i18n.language;
  // matches, funnel and payouts exist once a policy has been published
  const live = policy.status === 'published' || policy.status === 'expired' || policy.status === 'withdrawn';

  const tabs = [
    {
      key: 'text',
      label: t('policies.detail.text'),
      children: (
        <Card>
          {policy.summary ? <Alert type="info" title={policy.summary} style={{ marginBottom: 16 }} /> : null}
          {policy.bodyHtml ? (
            <ServerHtml html={policy.bodyHtml} testId="policy-body" />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.detail.noBody')} />
          )}
        </Card>
      ),
    },
    {
      key: 'clauses',
      label: t('policies.detail.clauses', { count: policy.clauses.length }),
      children: <ClausesView policy={policy} />,
    },
    ...(official && live
      ? [
          { key: 'matches', label: t('policies.detail.matches'), children: <MatchesView policy={policy} /> },
          ...(policy.channel === 'mianshen'
            ? [{ key: 'payouts', label: t('policies.detail.payouts'), children: <BatchesView policy={policy} /> }]
            : []),
        ]
      : []),
  ];

  return (
    <PageContainer
      title={
        <Space wrap>
          <span data-testid="policy-title-view">{policy.title}</span>
          <StatusTag status={policy.status} />
        </Space>
      }
      extra={<WorkflowButtons policy={policy} />}
    >
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }}>
          <Descriptions.Item label={t('policies.fields.docNo')}>{policy.docNo ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.issuer')}>{policy.issuerName}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.level')}>
            <LevelTag level={policy.level} />
            <ChannelTag channel={policy.channel} />
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.publishedOn')}>{policy.publishedOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.effective')}>
            {policy.effectiveFrom ?? '—'} ~ {policy.expiresOn ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('policies.fields.applyWindow')}>
            {policy.applyFrom ?? '—'} ~ {policy.applyTo ?? '—'}
          </Descriptions.Item>
          {official ? (
            <Descriptions.Item label={t('policies.fields.budgetCapYuan')}>
              {formatWan(policy.budgetCapYuan, lang)}
            </Descriptions.Item>
          ) : null}
          {official ? (
            <Descriptions.Item label={t('policies.fields.publicityDays')}>
              {t(policy.publicityDayMode === 'working' ? 'policies.detail.workingDays' : 'policies.detail.days', {
                count: policy.publicityDays,
              })}
            </Descriptions.Item>
          ) : null}
          <Descriptions.Item label={t('policies.fields.tags')}>
            {policy.tags.length ? policy.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {official && live ? <FunnelCard policyId={policy.id} /> : null}
      {can('policies:apply') && policy.status === 'published' ? <MyFitCard policyId={policy.id} /> : null}
      <Tabs items={tabs} data-testid="policy-tabs" />
    </PageContainer>
  );
}

function WorkflowButtons({ policy }: { policy: PolicyDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [acting, setActing] = useState<Action | null>(null);
  const offered = policy.actions ?? POLICY_STEPS.filter((s) => s.from === policy.status).map((s) => s.action);
  const steps = POLICY_STEPS.filter(
    (s) =>
      s.from === policy.status &&
      offered.includes(s.action) &&
      can(s.side === 'manage' ? 'policies:manage' : 'policies:review'),
  );
  const editable = (policy.status === 'draft' || policy.status === 'review') && can('policies:manage');
  const remove = useApiMutation(() => api.delete(`/policies/${policy.id}`), {
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: policiesKey });
      void message.success(t('policies.detail.deleted'));
      navigate('/policies');
    },
  });
  return (
    <Space wrap>
      {editable ? (
        <Link to={`/policies/${policy.id}/edit`}>
          <Button icon={<EditOutlined />} data-testid="policy-edit">
            {t('policies.edit')}
          </Button>
        </Link>
      ) : null}
      {policy.status === 'draft' && can('policies:manage') ? (
        <Button
          danger
          icon={<DeleteOutlined />}
          loading={remove.isPending}
          onClick={() =>
            modal.confirm({
              title: t('policies.detail.deleteConfirm', { title: policy.title }),
              okType: 'danger',
              okText: t('policies.delete'),
              onOk: () => remove.mutateAsync(),
            })
          }
          data-testid="policy-delete"
        >
          {t('policies.delete')}
        </Button>
      ) : null}
      {steps.map((s) => {
        // maker–checker: a step this user may not take is shown disabled with the server's reason
        const refused = policy.refusedActions?.find((r) => r.action === s.action);
        const button = (
          <Button
            key={s.action}
            type={s.action === 'reject' || s.action === 'withdraw' ? 'default' : 'primary'}
            danger={s.action === 'reject' || s.action === 'withdraw' || s.action === 'expire'}
            disabled={!!refused}
            onClick={() => setActing(s.action)}
            data-testid={`action-${s.action}`}
          >
            {t(`policies.action.${s.action}`)}
          </Button>
        );
        return refused ? (
          <Tooltip key={s.action} title={refused.message}>
            {button}
          </Tooltip>
        ) : (
          button
        );
      })}
      {steps
        .map((s) => policy.refusedActions?.find((r) => r.action === s.action))
        .filter((r) => !!r)
        .map((r) => (
          <Alert
            key={`refused-${r.action}`}
            type="info"
            showIcon
            message={r.message}
            data-testid={`refused-${r.action}`}
          />
        ))}
      {acting ? <TransitionModal policy={policy} action={acting} onClose={() => setActing(null)} /> : null}
    </Space>
  );
}

function TransitionModal({ policy, action, onClose }: { policy: PolicyDetail; action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const step = POLICY_STEPS.find((s) => s.from === policy.status && s.action === action);
  const [form] = Form.useForm<{ reason?: string }>();
  const run = useApiMutation(
    (reason: string | undefined) =>
      api.post<PolicyDetail>(`/policies/${policy.id}/transition`, { action, ...(reason ? { reason } : {}) }),
    {
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: policiesKey });
        await queryClient.invalidateQueries({ queryKey: policyKey(policy.id) });
        void message.success(t(`policies.action.done.${action}`));
        onClose();
      },
    },
  );
  return (
    <Modal
      open
      title={t(`policies.action.confirm.${action}`, { title: policy.title })}
      okText={t(`policies.action.${action}`)}
      okButtonProps={{
        danger: action === 'reject' || action === 'withdraw' || action === 'expire',
        loading: run.isPending,
      }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="transition-modal"
    >
      <Typography.Paragraph>{t(`policies.action.explain.${action}`)}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => run.mutate(v.reason?.trim() || undefined)}>
        <Form.Item
          name="reason"
          hidden={!step?.needsReason}
          label={t('policies.action.reason')}
          rules={
            step?.needsReason
              ? [{ required: true, whitespace: true, message: t('policies.action.reasonRequired') }]
              : []
          }
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="transition-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ClausesView({ policy }: { policy: PolicyDetail }) {
  const { t, i18n } = useTranslation();
  if (!policy.clauses.length) return <Empty description={t('policies.detail.noClauses')} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      {policy.clauses.map((c: Clause, i) => {
        const lines = descriptionLines(c.description);
        const shown = lines.length ? lines : describeLines(c.eligibility, i18n.language);
        return (
          <Card
            key={c.id ?? i}
            size="small"
            title={`${i + 1}. ${c.title || t('policies.editor.clauseN', { n: i + 1 })}`}
            extra={
              <Space size={4} wrap>
                <Tag>{t(`policies.benefit.${c.benefitType}`)}</Tag>
                <MinSourceTag minSource={c.minSource} />
                {c.needsConsent ? <Tag color="purple">{t('policies.clause.needsConsent')}</Tag> : null}
                {c.stackingGroup ? <Tag>{t('policies.clause.stackingTag', { group: c.stackingGroup })}</Tag> : null}
              </Space>
            }
            data-testid="clause-card"
          >
            <Typography.Text strong>{t('policies.clause.eligibility')}</Typography.Text>
            <div style={{ whiteSpace: 'pre-wrap', margin: '4px 0 12px' }} data-testid="clause-description">
              {shown.map((l, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: sentence lines
                <div key={j}>{l}</div>
              ))}
            </div>
            <div style={{ marginBottom: 12 }} data-testid="clause-min-source-line">
              <Typography.Text strong>{t('policies.clause.minSource')}</Typography.Text>{' '}
              {t(`policies.minSource.${c.minSource ?? 'any'}`)}
            </div>
            {c.amountFormula ? (
              <div style={{ marginBottom: 12 }}>
                <Typography.Text strong>{t('policies.clause.amount')}</Typography.Text>{' '}
                <Typography.Text code>{c.amountFormula}</Typography.Text>
                {c.capYuan ? (
                  <Typography.Text type="secondary">
                    {' '}
                    {t('policies.clause.capIs', { cap: formatYuan(c.capYuan, i18n.language) })}
                  </Typography.Text>
                ) : null}
              </div>
            ) : null}
            <Typography.Text strong>{t('policies.clause.examples')}</Typography.Text>
            <ExamplesTable clause={c} policyId={policy.id} readOnly />
          </Card>
        );
      })}
    </Space>
  );
}

function FunnelCard({ policyId }: { policyId: string }) {
  const { t, i18n } = useTranslation();
  const funnel = useFunnel(policyId);
  if (funnel.isError) return null;
  const f = funnel.data;
  const steps = ['matched', 'unknown', 'notified', 'read', 'applied', 'approved', 'paid'] as const;
  return (
    <Card
      size="small"
      title={t('policies.funnel.title')}
      style={{ marginBottom: 16 }}
      loading={funnel.isPending}
      data-testid="funnel"
    >
      {f ? (
        <Row gutter={[12, 12]}>
          {steps.map((s) => (
            <Col key={s} xs={8} md={3}>
              <Statistic title={t(`policies.funnel.${s}`)} value={f[s] ?? 0} data-testid={`funnel-${s}`} />
            </Col>
          ))}
          <Col xs={24} md={3}>
            <Statistic title={t('policies.funnel.paidAmount')} value={formatWan(f.paidAmount, i18n.language)} />
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}

function MatchesView({ policy }: { policy: PolicyDetail }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<string | undefined>('eligible');
  const [q, setQ] = useState('');
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);
  const matches = useQuery({
    queryKey: [...policiesKey, 'matches', policy.id, result, q, page],
    queryFn: ({ signal }) =>
      api.get<Paged<MatchRow>>(
        `/policies/${policy.id}/matches`,
        { result, q, page: page.page, pageSize: page.pageSize },
        signal,
      ),
  });
  const rematch = useApiMutation(() => api.post<{ jobId: string }>(`/policies/${policy.id}/rematch`, {}), {
    onSuccess: (r) => setJobId(r.jobId),
  });
  const done = job.data?.status === 'succeeded' || job.data?.status === 'failed';
  useEffect(() => {
    if (done) void queryClient.invalidateQueries({ queryKey: policiesKey });
  }, [done, queryClient]);
  const [tracing, setTracing] = useState<MatchRow | null>(null);
  const clauseTitle = (id: string) => {
    const i = policy.clauses.findIndex((c) => c.id === id);
    return i >= 0 ? `${i + 1}. ${policy.clauses[i]?.title ?? ''}` : id;
  };

  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          value={result}
          onChange={(v) => {
            setResult(v);
            setPage((p) => ({ ...p, page: 1 }));
          }}
          allowClear
          placeholder={t('policies.matches.result')}
          style={{ width: 140 }}
          options={(['eligible', 'unknown', 'ineligible'] as const).map((r) => ({
            value: r,
            label: t(`policies.verdict.${r}`),
          }))}
          data-testid="matches-result"
        />
        <Input.Search
          allowClear
          placeholder={t('policies.matches.search')}
          onSearch={(v) => {
            setQ(v.trim());
            setPage((p) => ({ ...p, page: 1 }));
          }}
          style={{ width: 240 }}
        />
        {can('policies:manage') && policy.status === 'published' ? (
          <Button
            icon={<ReloadOutlined />}
            loading={rematch.isPending || (!!jobId && !done)}
            onClick={() => rematch.mutate()}
            data-testid="rematch"
          >
            {t('policies.matches.rematch')}
          </Button>
        ) : null}
        {jobId && job.data ? (
          <Space data-testid="rematch-progress">
            <Progress
              percent={job.data.progress ?? 0}
              size="small"
              style={{ width: 160 }}
              status={
                job.data.status === 'failed' ? 'exception' : job.data.status === 'succeeded' ? 'success' : 'active'
              }
            />
            <Typography.Text type="secondary">{t(`policies.job.${job.data.status}`)}</Typography.Text>
          </Space>
        ) : null}
      </Space>
      {matches.isError ? (
        <QueryError error={matches.error} onRetry={() => void matches.refetch()} />
      ) : (
        <Table<MatchRow>
          size="small"
          rowKey={(r) => `${r.enterpriseId}:${r.clauseId}`}
          loading={matches.isLoading}
          dataSource={matches.data?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page.page,
            pageSize: page.pageSize,
            total: matches.data?.total ?? 0,
            showTotal: (n) => t('common.total', { count: n }),
            onChange: (p, s) => setPage({ page: p, pageSize: s }),
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.matches.empty')} />,
          }}
          data-testid="matches-table"
          columns={[
            {
              title: t('policies.matches.enterprise'),
              key: 'name',
              render: (_, r) => <Link to={`/enterprises/${r.enterpriseId}`}>{r.enterpriseName}</Link>,
            },
            {
              title: '',
              key: 'why',
              render: (_, r) => (
                <Button size="small" type="link" onClick={() => setTracing(r)} data-testid="match-why">
                  {t('policies.matches.why')}
                </Button>
              ),
            },
            { title: t('policies.matches.region'), dataIndex: 'regionName', render: (v) => v ?? '—' },
            { title: t('policies.matches.park'), dataIndex: 'parkName', render: (v) => v ?? '—' },
            { title: t('policies.matches.clause'), dataIndex: 'clauseId', render: (id: string) => clauseTitle(id) },
            {
              title: t('policies.matches.result'),
              dataIndex: 'result',
              render: (r: MatchRow['result']) => (
                <Tag color={r === 'eligible' ? 'success' : r === 'unknown' ? 'warning' : 'default'}>
                  {t(`policies.verdict.${r}`)}
                </Tag>
              ),
            },
            { title: t('policies.matches.amount'), dataIndex: 'amount', render: (v) => formatYuan(v, i18n.language) },
            {
              title: t('policies.matches.missing'),
              key: 'missing',
              render: (_, r) => <MissingCell missing={r.missing} />,
            },
          ]}
        />
      )}
      {tracing ? <MatchTrace policyId={policy.id} row={tracing} onClose={() => setTracing(null)} /> : null}
    </Card>
  );
}

function BatchesView({ policy }: { policy: PolicyDetail }) {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const queryClient = useQueryClient();
  const batches = usePayoutBatches(policy.id);
  const generate = useApiMutation(() => api.post<{ id: string }>(`/policies/${policy.id}/payouts/generate`, {}), {
    onSuccess: async (b) => {
      await queryClient.invalidateQueries({ queryKey: [...policiesKey, 'payout-batches', policy.id] });
      if (b?.id) navigate(`/policies/payouts/batches/${b.id}`);
    },
  });
  return (
    <Card>
      {can('policies:payout') && policy.status === 'published' ? (
        <Button
          type="primary"
          style={{ marginBottom: 12 }}
          loading={generate.isPending}
          onClick={() =>
            modal.confirm({
              title: t('policies.payouts.generateConfirm'),
              content: t('policies.payouts.generateExplain'),
              onOk: () => generate.mutateAsync(),
            })
          }
          data-testid="payouts-generate"
        >
          {t('policies.payouts.generate')}
        </Button>
      ) : null}
      {batches.isError ? (
        <QueryError error={batches.error} onRetry={() => void batches.refetch()} />
      ) : (
        <Table
          size="small"
          rowKey="id"
          loading={batches.isLoading}
          dataSource={batches.data ?? []}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.payouts.noBatches')} />,
          }}
          columns={[
            {
              title: t('policies.payouts.batch'),
              key: 'code',
              render: (_, b) => (
                <Link to={`/policies/payouts/batches/${b.id}`} data-testid="batch-link">
                  {t('policies.payouts.batchTitle', { code: b.number })}
                </Link>
              ),
            },
            {
              title: t('policies.payouts.status'),
              dataIndex: 'status',
              render: (s: string) => <BatchStatusTag status={s} />,
            },
            { title: t('policies.payouts.count'), dataIndex: 'payouts' },
            { title: t('policies.payouts.total'), dataIndex: 'totalYuan', render: (v) => formatYuan(v, i18n.language) },
            { title: t('policies.payouts.publicityUntil'), dataIndex: 'publicityEndsOn', render: (v) => v ?? '—' },
          ]}
        />
      )}
    </Card>
  );
}

/** Why a firm matched (or not): per clause, the reasons in plain sentences and the missing facts with their holder. */
function MatchTrace({ policyId, row, onClose }: { policyId: string; row: MatchRow; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const detail = useQuery({
    queryKey: [...policiesKey, 'match', policyId, row.enterpriseId],
    queryFn: ({ signal }) =>
      api.get<MatchDetail>(`/policies/${policyId}/matches/${row.enterpriseId}`, undefined, signal),
  });
  return (
    <Drawer open onClose={onClose} title={row.enterpriseName} size="large" data-testid="match-trace">
      {detail.isPending ? <Skeleton active /> : null}
      {detail.isError ? <QueryError error={detail.error} onRetry={() => void detail.refetch()} /> : null}
      {detail.data?.clauses.map((c) => (
        <Card
          key={c.clauseId}
          size="small"
          title={<span style={{ whiteSpace: 'normal' }}>{c.title}</span>}
          extra={<MinSourceTag minSource={c.minSource} />}
          style={{ marginBottom: 12 }}
        >
          <Space style={{ marginBottom: 8 }}>
            <Tag color={c.result === 'eligible' ? 'success' : c.result === 'unknown' ? 'warning' : 'default'}>
              {t(`policies.verdict.${c.result ?? 'unknown'}`, { defaultValue: c.result ?? '' })}
            </Tag>
            {c.amount !== null ? formatYuan(c.amount, i18n.language) : null}
          </Space>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {c.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
          {c.missing.length ? (
            <div style={{ marginTop: 8 }}>
              <MissingAlerts missing={c.missing} />
            </div>
          ) : null}
          {c.facts?.length ? <FactsTable facts={c.facts} /> : null}
        </Card>
      ))}
    </Drawer>
  );
}

/**
 * For an enterprise user: this policy against its own facts (GET /my/policies/:id, which also marks the push as
 * read for the funnel), with the reasons, the amount and 快申 apply.
 */
function MyFitCard({ policyId }: { policyId: string }) {
  const { t, i18n } = useTranslation();
  const [applying, setApplying] = useState(false);
  const fit = useQuery({
    queryKey: [...policiesKey, 'my', 'one', policyId],
    queryFn: ({ signal }) => api.get<MyPolicy>(`/my/policies/${policyId}`, undefined, signal),
    retry: false,
  });
  if (!fit.data) return null;
  const p = fit.data;
  return (
    <Card size="small" title={t('policies.my.fitTitle')} style={{ marginBottom: 16 }} data-testid="my-policy-fit">
      <Space direction="vertical" style={{ width: '100%' }} size={6}>
        {p.amount !== null && p.amount !== undefined ? (
          <Typography.Text strong style={{ color: '#389e0d' }}>
            {t('policies.my.amount', { amount: formatYuan(p.amount, i18n.language) })}
          </Typography.Text>
        ) : null}
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {p.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
        <MissingAlerts missing={p.missing} />
        {p.channel === 'kuaishen' && p.reasons.length ? (
          <Button type="primary" onClick={() => setApplying(true)} style={{ alignSelf: 'flex-start' }}>
            {t('policies.my.apply')}
          </Button>
        ) : null}
      </Space>
      {applying ? <ApplyModal policy={p} onClose={() => setApplying(false)} /> : null}
    </Card>
  );
}

const FACT_SOURCES = new Set([
  'self_reported',
  'statistics_bureau',
  'tax_bureau',
  'power_company',
  'hrss_bureau',
  'park_operator',
  'verified_on_site',
  'derived',
  'registry',
]);

/** 数据及来源: every fact the clause read for this firm, its value, where it came from and how far it is trusted. */
function FactsTable({ facts }: { facts: ClauseFact[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <div style={{ marginTop: 12 }} data-testid="clause-facts">
      <Typography.Text strong>{t('policies.facts.title')}</Typography.Text>
      <Table<ClauseFact>
        size="small"
        rowKey="fact"
        pagination={false}
        scroll={{ x: 'max-content' }}
        style={{ marginTop: 4 }}
        dataSource={facts}
        columns={[
          { title: t('policies.facts.fact'), dataIndex: 'label', key: 'label' },
          {
            title: t('policies.facts.value'),
            key: 'value',
            render: (_, f) =>
              f.value === null || f.value === undefined ? (
                <Typography.Text type="secondary">{t('policies.facts.none')}</Typography.Text>
              ) : (
                formatFactValue(factDef(f.fact), f.value, locale)
              ),
          },
          {
            title: t('policies.facts.source'),
            key: 'source',
            render: (_, f) =>
              FACT_SOURCES.has(f.source) ? (
                <FactSourceTag source={f.source as Parameters<typeof FactSourceTag>[0]['source']} />
              ) : (
                (f.sourceLabel ?? f.source)
              ),
          },
          {
            title: t('policies.facts.trust'),
            key: 'trust',
            render: (_, f) => (f.trust === null || f.trust === undefined ? '—' : <TrustTag trust={f.trust} />),
          },
        ]}
      />
    </div>
  );
}
