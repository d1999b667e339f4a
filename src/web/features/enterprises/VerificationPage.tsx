/**
 * 数据核实 (issue #15 "Trusted facts"): the queue of firms' self-reported figures that differ from the official
 * figure beyond the tolerance or have no official figure. A reviewer confirms one (it becomes a 现场核实 figure and
 * the firm is told) or rejects it with a reason. Filters, sorting and paging on the server; Excel export; cards on a
 * phone.
 */
import { CheckOutlined, CloseOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Modal,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, isApiError, type QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { downloadFile } from '../parks/api';
import { policiesKey } from '../policies/api';
import {
  enterprisesKey,
  INDICATOR_KEYS,
  type IndicatorReview,
  REVIEW_FLAGS,
  REVIEW_STATUSES,
  serverFieldErrors,
  useDistricts,
} from './api';
import { EvidenceLink, EvidenceUpload } from './Evidence';
import { formatDeviation, formatIndicator, indicatorLabel } from './format';
import { ReviewFlagTag, ReviewStatusTag, SourceTag } from './tags';

const FILTER_KEYS = ['status', 'region', 'year', 'key', 'flag', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;
const STATUS_OPTIONS = [...REVIEW_STATUSES, 'all'] as const;
const DEFAULT_STATUS = 'pending';

function filtersFrom(params: URLSearchParams): Filters {
  const out: Filters = { status: DEFAULT_STATUS };
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) out[key] = v;
  }
  return out;
}

type Decision = 'confirm' | 'reject';

export default function VerificationPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState(() => filtersFrom(searchParams));
  const [form] = Form.useForm<Filters>();
  const compact = Grid.useBreakpoint().md === false;
  const list = usePagedList<IndicatorReview>({
    key: 'indicator-reviews',
    path: '/indicator-reviews',
    initialFilters: initial,
    defaultSort: { sort: 'enteredAt', order: 'desc' },
  });
  const districts = useDistricts(can('regions:read'));
  const regions = (districts.data?.items ?? []).filter((r) => r.inScope !== false);
  const [deciding, setDeciding] = useState<{ item: IndicatorReview; decision: Decision } | null>(null);
  const [exporting, setExporting] = useState(false);
  const thisYear = new Date().getFullYear();
  const width = (w: number) => (compact ? '100%' : w);
  const [moreFilters, setMoreFilters] = useState(() =>
    (['region', 'year', 'key', 'flag'] as const).some((k) => initial[k]),
  );
  const hideMore = compact && !moreFilters;

  const applyFilters = (values: Filters) => {
    const filters: QueryParams = {};
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      let v = values[key];
      if (typeof v === 'string') v = v.trim();
      if (v === undefined || v === null || v === '') continue;
      filters[key] = String(v);
      if (!(key === 'status' && v === DEFAULT_STATUS)) next.set(key, String(v));
    }
    list.setFilters(filters);
    setSearchParams(next, { replace: true });
  };

  const exportList = async () => {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...filters } = list.params;
      await downloadFile('/indicator-reviews/export', filters, `${t('enterprises.verify.fileName')}.xlsx`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setExporting(false);
    }
  };

  const filtered = Object.entries(list.state.filters).some(([k, v]) => k !== 'status' && v);
  const status = String(list.state.filters.status ?? DEFAULT_STATUS);
  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        filtered
          ? t('enterprises.verify.emptyFiltered')
          : status === 'pending'
            ? t('enterprises.verify.emptyPending')
            : t('enterprises.verify.empty')
      }
      data-testid="verify-empty"
    />
  );

  const actions = (r: IndicatorReview, block = false) =>
    r.status === 'pending' ? (
      <Space size={block ? 8 : 4} wrap style={block ? { width: '100%' } : undefined}>
        <Button
          size={block ? 'middle' : 'small'}
          type="primary"
          icon={<CheckOutlined />}
          onClick={() => setDeciding({ item: r, decision: 'confirm' })}
          data-testid="verify-confirm"
        >
          {t('enterprises.verify.confirm')}
        </Button>
        <Button
          size={block ? 'middle' : 'small'}
          danger
          icon={<CloseOutlined />}
          onClick={() => setDeciding({ item: r, decision: 'reject' })}
          data-testid="verify-reject"
        >
          {t('enterprises.verify.reject')}
        </Button>
      </Space>
    ) : (
      <Space orientation="vertical" size={0}>
        {r.reviewedAt ? (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatDateTime(r.reviewedAt)} · {r.reviewedByName ?? '—'}
          </Typography.Text>
        ) : null}
        {r.reviewNote ? (
          <Typography.Text
            style={{ fontSize: 12, maxWidth: block ? undefined : 180 }}
            ellipsis={block ? undefined : { tooltip: r.reviewNote }}
          >
            {block ? t('enterprises.history.reviewNote') : null}
            {r.reviewNote}
          </Typography.Text>
        ) : null}
      </Space>
    );

  const official = (r: IndicatorReview) =>
    r.officialValue !== null && r.officialSource ? (
      <Space size={4} wrap>
        <span>{formatIndicator(r.key, r.officialValue)}</span>
        <SourceTag source={r.officialSource} />
      </Space>
    ) : (
      <Typography.Text type="secondary">{t('enterprises.indicators.noOfficial')}</Typography.Text>
    );

  const deviation = (r: IndicatorReview) => (
    <Typography.Text type={r.flag === 'deviation' ? 'danger' : undefined} data-testid="verify-deviation">
      {formatDeviation(r.deviation)}
    </Typography.Text>
  );

  const columns: TableColumnsType<IndicatorReview> = [
    {
      title: t('enterprises.verify.firm'),
      key: 'name',
      sorter: true,
      sortOrder: list.sortOrderOf('name'),
      render: (_: unknown, r) => (
        <div style={{ maxWidth: 200 }}>
          <Link to={`/enterprises/${r.enterpriseId}`} data-testid="verify-firm">
            {r.enterpriseName}
          </Link>
          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
            {r.regionName} · <span style={{ fontFamily: 'monospace' }}>{r.uscc}</span>
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('enterprises.verify.indicator'),
      key: 'key',
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0} data-testid="verify-indicator">
          <span>{indicatorLabel(r.key)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('enterprises.list.year', { year: r.year })}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('enterprises.verify.selfSubmitted'),
      key: 'enteredAt',
      sorter: true,
      sortOrder: list.sortOrderOf('enteredAt'),
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{formatIndicator(r.key, r.value)}</Typography.Text>
          {r.note ? (
            <Typography.Text style={{ fontSize: 12, maxWidth: 200 }} ellipsis={{ tooltip: r.note }}>
              {r.note}
            </Typography.Text>
          ) : null}
          <EvidenceLink fileId={r.evidenceFileId} />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.enteredByName ? `${r.enteredByName} · ` : ''}
            {formatDateTime(r.enteredAt)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t('enterprises.verify.officialDeviation'),
      key: 'deviation',
      sorter: true,
      sortOrder: list.sortOrderOf('deviation'),
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={2}>
          {official(r)}
          {r.deviation !== null ? (
            <span>
              {t('enterprises.verify.deviation')} {deviation(r)}
            </span>
          ) : null}
          <Space size={4} wrap>
            <ReviewFlagTag flag={r.flag} short />
            {r.status !== 'pending' ? <ReviewStatusTag status={r.status} /> : null}
          </Space>
        </Space>
      ),
    },
    { title: t('common.actions'), key: 'actions', fixed: 'right', render: (_: unknown, r) => actions(r) },
  ];

  const pagination = list.tableProps.pagination;

  return (
    <PageContainer
      title={t('enterprises.nav.verification')}
      extra={
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          onClick={() => void exportList()}
          data-testid="verify-export"
        >
          {t('enterprises.list.export')}
        </Button>
      }
    >
      <Card>
        <Typography.Paragraph type="secondary">{t('enterprises.verify.intro')}</Typography.Paragraph>
        <Form<Filters>
          form={form}
          name="verifyFilters"
          layout={compact ? 'vertical' : 'inline'}
          initialValues={initial}
          onFinish={applyFilters}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="status">
            <Select
              style={{ width: width(130) }}
              options={STATUS_OPTIONS.map((s) => ({
                value: s,
                label: s === 'all' ? t('enterprises.verify.allStatuses') : t(`enterprises.review.status.${s}`),
              }))}
              data-testid="verify-status"
            />
          </Form.Item>
          {regions.length > 1 ? (
            <Form.Item name="region" hidden={hideMore}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('enterprises.fields.region')}
                style={{ width: width(140) }}
                options={regions.map((r) => ({ value: r.code, label: r.name }))}
                data-testid="verify-region"
              />
            </Form.Item>
          ) : null}
          <Form.Item name="year" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.indicators.year')}
              style={{ width: width(110) }}
              options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({
                value: String(y),
                label: t('enterprises.list.year', { year: y }),
              }))}
            />
          </Form.Item>
          <Form.Item name="key" hidden={hideMore}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('enterprises.indicators.key')}
              style={{ width: width(180) }}
              popupMatchSelectWidth={false}
              options={INDICATOR_KEYS.map((k) => ({ value: k, label: indicatorLabel(k) }))}
            />
          </Form.Item>
          <Form.Item name="flag" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.verify.flag')}
              style={{ width: width(170) }}
              popupMatchSelectWidth={false}
              options={REVIEW_FLAGS.map((f) => ({ value: f, label: t(`enterprises.review.flag.${f}`) }))}
            />
          </Form.Item>
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('enterprises.verify.searchPlaceholder')}
              style={{ width: width(220) }}
              data-testid="verify-search"
            />
          </Form.Item>
          <Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" data-testid="verify-filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  const reset = { status: DEFAULT_STATUS };
                  form.setFieldsValue({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])), ...reset });
                  applyFilters(reset);
                }}
              >
                {t('common.reset')}
              </Button>
              {compact ? (
                <Button type="link" onClick={() => setMoreFilters((v) => !v)}>
                  {moreFilters ? t('enterprises.list.fewerFilters') : t('enterprises.list.moreFilters')}
                </Button>
              ) : null}
            </Space>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : compact ? (
          <List<IndicatorReview>
            loading={list.tableProps.loading}
            dataSource={list.tableProps.dataSource}
            locale={{ emptyText: empty }}
            pagination={
              (list.query.data?.total ?? 0) > 0
                ? {
                    current: pagination.current,
                    pageSize: pagination.pageSize,
                    total: pagination.total,
                    size: 'small',
                    showTotal: pagination.showTotal,
                    onChange: (p, s) => list.setPage(p, s),
                  }
                : false
            }
            data-testid="verify-cards"
            renderItem={(r) => (
              <List.Item style={{ paddingInline: 0 }}>
                <Card size="small" style={{ width: '100%' }} data-testid="verify-card">
                  <Flex justify="space-between" align="start" gap={8}>
                    <Link to={`/enterprises/${r.enterpriseId}`} style={{ fontWeight: 600 }} data-testid="verify-firm">
                      {r.enterpriseName}
                    </Link>
                    <ReviewStatusTag status={r.status} />
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.regionName} · {t('enterprises.verify.yearKey', { year: r.year, name: indicatorLabel(r.key) })}
                  </Typography.Text>
                  <Descriptions
                    size="small"
                    column={1}
                    style={{ marginTop: 8 }}
                    items={[
                      {
                        key: 'self',
                        label: t('enterprises.verify.selfValue'),
                        children: <Typography.Text strong>{formatIndicator(r.key, r.value)}</Typography.Text>,
                      },
                      { key: 'official', label: t('enterprises.verify.officialValue'), children: official(r) },
                      {
                        key: 'deviation',
                        label: t('enterprises.verify.deviation'),
                        children: (
                          <Space size={4} wrap>
                            {deviation(r)}
                            <ReviewFlagTag flag={r.flag} short />
                          </Space>
                        ),
                      },
                      {
                        key: 'submitted',
                        label: t('enterprises.verify.submitted'),
                        children: `${r.enteredByName ? `${r.enteredByName} · ` : ''}${formatDateTime(r.enteredAt)}`,
                      },
                      ...(r.note || r.evidenceFileId
                        ? [
                            {
                              key: 'note',
                              label: t('enterprises.verify.note'),
                              children: (
                                <Space orientation="vertical" size={0}>
                                  {r.note ? <span>{r.note}</span> : null}
                                  <EvidenceLink fileId={r.evidenceFileId} />
                                </Space>
                              ),
                            },
                          ]
                        : []),
                    ]}
                  />
                  <div style={{ marginTop: 8 }}>{actions(r, true)}</div>
                </Card>
              </List.Item>
            )}
          />
        ) : (
          <Table<IndicatorReview>
            rowKey="id"
            size="middle"
            columns={columns}
            {...list.tableProps}
            locale={{ emptyText: empty }}
            data-testid="verify-table"
          />
        )}
      </Card>
      {deciding ? (
        <DecideModal item={deciding.item} decision={deciding.decision} onClose={() => setDeciding(null)} />
      ) : null}
    </PageContainer>
  );
}

interface DecideValues {
  note: string;
  evidenceFileId?: string | null;
}

/** 核实通过 / 驳回 one self-report: the modal is the confirmation; both need a note (a rejection's reason). */
function DecideModal({ item, decision, onClose }: { item: IndicatorReview; decision: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<DecideValues>();
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = decision === 'confirm';

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['indicator-reviews'] });
    void queryClient.invalidateQueries({ queryKey: enterprisesKey });
    void queryClient.invalidateQueries({ queryKey: policiesKey });
  };

  const submit = async (v: DecideValues) => {
    setBusy(true);
    setError(null);
    try {
      const note = v.note.trim();
      await api.post(`/indicator-reviews/${encodeURIComponent(item.id)}/${decision}`, {
        note,
        ...(confirm && v.evidenceFileId ? { evidenceFileId: v.evidenceFileId } : {}),
      });
      await refresh();
      void message.success(t(confirm ? 'enterprises.verify.confirmed' : 'enterprises.verify.rejected'));
      onClose();
    } catch (e) {
      if (isApiError(e) && e.status === 409) {
        // someone else decided it meanwhile: show the server's words and the fresh list
        void message.warning(e.message);
        await refresh();
        onClose();
        return;
      }
      const fields = serverFieldErrors(e, ['note', 'evidenceFileId'] as const);
      if (fields.length) form.setFields(fields);
      else setError(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t(confirm ? 'enterprises.verify.confirmTitle' : 'enterprises.verify.rejectTitle')}
      okText={t(confirm ? 'enterprises.verify.confirmOk' : 'enterprises.verify.rejectOk')}
      okButtonProps={{ danger: !confirm, disabled: uploading, 'data-testid': 'verify-ok' }}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="verify-modal"
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Descriptions
        size="small"
        column={1}
        bordered
        style={{ marginBottom: 12 }}
        items={[
          { key: 'firm', label: t('enterprises.verify.firm'), children: item.enterpriseName },
          {
            key: 'indicator',
            label: t('enterprises.verify.indicator'),
            children: t('enterprises.verify.yearKey', { year: item.year, name: indicatorLabel(item.key) }),
          },
          {
            key: 'self',
            label: t('enterprises.verify.selfValue'),
            children: <Typography.Text strong>{formatIndicator(item.key, item.value)}</Typography.Text>,
          },
          {
            key: 'official',
            label: t('enterprises.verify.officialValue'),
            children:
              item.officialValue !== null && item.officialSource ? (
                <Space size={4} wrap>
                  {formatIndicator(item.key, item.officialValue)}
                  <SourceTag source={item.officialSource} />
                  <Typography.Text type="secondary">({formatDeviation(item.deviation)})</Typography.Text>
                </Space>
              ) : (
                t('enterprises.indicators.noOfficial')
              ),
          },
        ]}
      />
      <Alert
        type={confirm ? 'info' : 'warning'}
        showIcon
        title={t(confirm ? 'enterprises.verify.confirmExplain' : 'enterprises.verify.rejectExplain')}
        style={{ marginBottom: 12 }}
      />
      <Form<DecideValues> form={form} layout="vertical" name="verifyDecision" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="note"
          label={t(confirm ? 'enterprises.verify.confirmNote' : 'enterprises.verify.rejectNote')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t(confirm ? 'enterprises.verify.confirmNoteRequired' : 'enterprises.verify.rejectNoteRequired'),
            },
            { max: 500 },
          ]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 6 }}
            maxLength={500}
            showCount
            placeholder={t(
              confirm ? 'enterprises.verify.confirmNotePlaceholder' : 'enterprises.verify.rejectNotePlaceholder',
            )}
            data-testid="verify-note"
          />
        </Form.Item>
        {confirm ? (
          <Form.Item
            name="evidenceFileId"
            label={t('enterprises.evidence.label')}
            extra={t('enterprises.evidence.hint')}
          >
            <EvidenceUpload onBusy={setUploading} testId="verify-evidence" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
