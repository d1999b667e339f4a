import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Form, Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { INDUSTRY_CLASSES, PROJECT_STAGES } from '../../../domain/projects.ts';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { BATCH_KINDS, type Project, useBatches, useDistricts, WARNING_LEVELS } from './api';
import { ExportButton } from './ExcelButtons';
import { formatDate, formatWan, formatWanAsYi } from './format';
import { ProjectFormModal } from './ProjectForm';
import { BatchTags, StageTag, ThresholdWarning, WarningTag } from './tags';

const FILTER_KEYS = ['batch', 'kind', 'region', 'stage', 'industryClass', 'warning', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string | number>>;

/** Filters from the address (so the board's "view all" links and a reload keep them). */
function filtersOf(search: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value) out[key] = key === 'batch' ? Number(value) : value;
  }
  return out;
}

export default function ListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const initial = useMemo(() => filtersOf(search), [search]);
  const [form] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);
  const list = usePagedList<Project>({
    key: 'projects',
    path: '/projects',
    initialFilters: initial as QueryParams,
    defaultSort: { sort: 'code', order: 'asc' },
  });
  const batches = useBatches();
  const { setFilters } = list;

  // The address changed under the page (the menu item, the browser's back button): follow it.
  const searchKey = search.toString();
  const appliedKey = JSON.stringify(list.state.filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the address changes, not when filters do.
  useEffect(() => {
    const fromUrl = filtersOf(new URLSearchParams(searchKey));
    if (JSON.stringify(fromUrl) === appliedKey) return;
    form.resetFields();
    form.setFieldsValue({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])), ...fromUrl });
    setFilters(fromUrl as QueryParams);
  }, [searchKey]);
  const districts = useDistricts(can('regions:read'));

  const apply = (values: Filters) => {
    const filters: Filters = {};
    for (const key of FILTER_KEYS) {
      const v = values[key];
      const clean = typeof v === 'string' ? v.trim() : v;
      if (clean !== undefined && clean !== '' && clean !== null) filters[key] = clean;
    }
    list.setFilters(filters as QueryParams);
    setSearch(new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)])), { replace: true });
  };

  const reset = () => {
    form.resetFields();
    form.setFieldsValue(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
    apply({});
  };

  const columns: TableColumnsType<Project> = [
    {
      title: t('projects.fields.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      sortOrder: list.sortOrderOf('code'),
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('projects.fields.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: list.sortOrderOf('name'),
      render: (_: unknown, p) => (
        <Space size={6} style={{ maxWidth: 360 }}>
          <Link to={`/projects/${p.id}`} onClick={(e) => e.stopPropagation()}>
            {p.name}
          </Link>
          <ThresholdWarning project={p} />
        </Space>
      ),
    },
    {
      title: t('projects.fields.region'),
      dataIndex: 'regionName',
      key: 'regionCode',
      sorter: true,
      sortOrder: list.sortOrderOf('regionCode'),
      render: (_: unknown, p) => <span data-testid="project-region">{p.regionName}</span>,
    },
    {
      title: t('projects.fields.industryClass'),
      dataIndex: 'industryClass',
      key: 'industryClass',
      render: (v: string) => t(`projects.industry.${v}`),
    },
    {
      title: t('projects.fields.totalInvestment'),
      dataIndex: 'totalInvestmentWan',
      key: 'totalInvestment',
      align: 'right',
      sorter: true,
      sortOrder: list.sortOrderOf('totalInvestment'),
      render: (v: number) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatWan(v)}
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatWanAsYi(v)}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('projects.fields.stage'),
      dataIndex: 'stage',
      key: 'stage',
      sorter: true,
      sortOrder: list.sortOrderOf('stage'),
      render: (_: unknown, p) => <StageTag stage={p.stage} />,
    },
    {
      title: t('projects.fields.plannedStartOn'),
      dataIndex: 'plannedStartOn',
      key: 'plannedStartOn',
      sorter: true,
      sortOrder: list.sortOrderOf('plannedStartOn'),
      render: (v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(v)}</span>,
    },
    {
      title: t('projects.fields.warning'),
      dataIndex: 'warning',
      key: 'warning',
      render: (_: unknown, p) => <WarningTag level={p.warning} />,
    },
    {
      title: t('projects.fields.batches'),
      dataIndex: 'batches',
      key: 'batches',
      render: (_: unknown, p) => <BatchTags batches={p.batches} />,
    },
  ];

  const batchOptions = [...(batches.data?.items ?? [])]
    .sort((a, b) => b.heldOn.localeCompare(a.heldOn))
    .map((b) => ({ value: b.number, label: t('projects.batch.option', { number: b.number, date: b.heldOn }) }));

  const exportFilters: QueryParams = {
    ...(list.state.filters as QueryParams),
    sort: list.state.sort,
    order: list.state.sort ? list.state.order : undefined,
  };

  return (
    <PageContainer
      title={t('projects.list.title')}
      extra={
        <Space wrap>
          {can('projects:manage') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              data-testid="project-create"
            >
              {t('projects.form.create')}
            </Button>
          ) : null}
          <ExportButton filters={exportFilters} />
        </Space>
      }
    >
      {creating ? (
        <ProjectFormModal open onClose={() => setCreating(false)} onSaved={(p) => navigate(`/projects/${p.id}`)} />
      ) : null}
      <Card>
        <Form<Filters>
          form={form}
          name="projectFilters"
          layout="inline"
          initialValues={initial}
          onFinish={apply}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input allowClear placeholder={t('projects.filters.q')} style={{ width: 220 }} data-testid="filter-q" />
          </Form.Item>
          <Form.Item name="batch">
            <Select
              allowClear
              placeholder={t('projects.filters.batch')}
              style={{ width: 150 }}
              options={batchOptions}
              loading={batches.isLoading}
              data-testid="filter-batch"
            />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('projects.filters.kind')}
              style={{ width: 130 }}
              options={BATCH_KINDS.map((k) => ({ value: k, label: t(`projects.kind.${k}`) }))}
              data-testid="filter-kind"
            />
          </Form.Item>
          {(districts.data?.length ?? 0) > 1 ? (
            <Form.Item name="region">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('projects.filters.region')}
                style={{ width: 150 }}
                options={(districts.data ?? []).map((r) => ({ value: r.code, label: r.name }))}
                data-testid="filter-region"
              />
            </Form.Item>
          ) : null}
          <Form.Item name="stage">
            <Select
              allowClear
              placeholder={t('projects.filters.stage')}
              style={{ width: 130 }}
              options={PROJECT_STAGES.map((s) => ({ value: s, label: t(`projects.stage.${s}`) }))}
              data-testid="filter-stage"
            />
          </Form.Item>
          <Form.Item name="industryClass">
            <Select
              allowClear
              placeholder={t('projects.filters.industryClass')}
              style={{ width: 170 }}
              popupMatchSelectWidth={false}
              options={INDUSTRY_CLASSES.map((c) => ({ value: c, label: t(`projects.industry.${c}`) }))}
              data-testid="filter-industry"
            />
          </Form.Item>
          <Form.Item name="warning">
            <Select
              allowClear
              placeholder={t('projects.filters.warning')}
              style={{ width: 140 }}
              options={[
                { value: 'any', label: t('projects.warning.any') },
                ...WARNING_LEVELS.map((w) => ({ value: w, label: t(`projects.warning.${w}`) })),
              ]}
              data-testid="filter-warning"
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" data-testid="filter-submit">
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button onClick={reset}>{t('common.reset')}</Button>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<Project>
            rowKey="id"
            columns={columns}
            {...list.tableProps}
            onRow={(p) => ({
              onClick: () => navigate(`/projects/${p.id}`),
              style: { cursor: 'pointer' },
              'data-testid': 'project-row',
            })}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={t('projects.list.empty')}
                  data-testid="projects-empty"
                >
                  <Button onClick={reset}>{t('projects.list.clearFilters')}</Button>
                </Empty>
              ),
            }}
            data-testid="projects-table"
          />
        )}
      </Card>
    </PageContainer>
  );
}
