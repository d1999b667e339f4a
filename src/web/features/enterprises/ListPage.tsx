import { DownloadOutlined, PlusOutlined, UploadOutlined, WarningOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Grid,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { downloadFile } from '../parks/api';
import {
  type EnterpriseItem,
  INDUSTRY_DIVISIONS,
  INDUSTRY_SECTIONS,
  industryName,
  QUAL_TYPES,
  SIZES,
  STATUSES,
  useDistricts,
} from './api';
import { CreateModal } from './CreateModal';
import { ImportModal } from './ImportModal';
import { AboveScaleTag, SizeTag, StatusTag } from './tags';

/** The list's filters, as in the URL. */
const FILTER_KEYS = [
  'q',
  'region',
  'industry',
  'size',
  'qualification',
  'aboveScale',
  'status',
  'year',
  'dataIssues',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

function filtersFrom(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) out[key] = v;
  }
  return out;
}

/** The facts year the server uses when none is given: last year (Asia/Shanghai is close enough here). */
const LAST_YEAR = new Date().getFullYear() - 1;

export default function ListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState(() => filtersFrom(searchParams));
  const [form] = Form.useForm<Filters>();
  const list = usePagedList<EnterpriseItem>({
    key: 'enterprises',
    path: '/enterprises',
    initialFilters: initial,
    defaultSort: { sort: 'name', order: 'asc' },
  });
  const districts = useDistricts(can('regions:read'));
  const [importOpen, setImportOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);
  const compact = Grid.useBreakpoint().md === false;
  const [moreFilters, setMoreFilters] = useState(() => Object.keys(initial).some((k) => k !== 'q'));
  const hideMore = compact && !moreFilters;
  const filterWidth = (w: number) => (compact ? '100%' : w);
  const [exporting, setExporting] = useState(false);

  const urlFilters = JSON.stringify(filtersFrom(searchParams));
  const { setFilters, state } = list;
  useEffect(() => {
    const next = JSON.parse(urlFilters) as Filters;
    if (JSON.stringify(state.filters) === urlFilters) return;
    form.setFieldsValue({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])), ...next });
    setFilters(next);
  }, [urlFilters, state.filters, form, setFilters]);

  const applyFilters = (values: Filters) => {
    const filters: QueryParams = {};
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      let v = values[key];
      if (typeof v === 'string') v = v.trim();
      if (v === undefined || v === null || v === '') continue;
      filters[key] = String(v);
      next.set(key, String(v));
    }
    list.setFilters(filters);
    setSearchParams(next, { replace: true });
  };

  const exportList = async () => {
    setExporting(true);
    try {
      const { page: _p, pageSize: _s, ...filters } = list.params;
      await downloadFile('/enterprises/export', filters, 'enterprises.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setExporting(false);
    }
  };

  const industryOptions = useMemo(
    () =>
      Object.entries(INDUSTRY_SECTIONS).map(([section, name]) => ({
        label: `${section} ${name}`,
        options: [
          { value: section, label: `${section} ${name}` },
          ...Object.entries(INDUSTRY_DIVISIONS)
            .filter(([, d]) => d.section === section)
            .map(([div, d]) => ({ value: `${section}${div}`, label: `${section}${div} ${d.name}` })),
        ],
      })),
    [],
  );
  const years = Array.from({ length: 6 }, (_, i) => LAST_YEAR + 1 - i);

  const columns: TableColumnsType<EnterpriseItem> = [
    {
      title: t('enterprises.fields.uscc'),
      dataIndex: 'uscc',
      key: 'uscc',
      sorter: true,
      sortOrder: list.sortOrderOf('uscc'),
      render: (uscc: string, e) => (
        <Space size={4}>
          <Typography.Text style={{ fontFamily: 'monospace' }}>{uscc}</Typography.Text>
          {e.usccWarnings.length ? (
            <Tooltip
              title={
                <div>
                  <div>{t('enterprises.list.usccWarnings')}</div>
                  {e.usccWarnings.map((w) => (
                    <div key={w}>· {t(`enterprises.usccWarning.${w}`, { defaultValue: w })}</div>
                  ))}
                </div>
              }
            >
              <WarningOutlined
                style={{ color: '#d48806' }}
                aria-label={t('enterprises.list.usccWarnings')}
                data-testid="uscc-warning"
              />
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    {
      title: t('enterprises.fields.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: list.sortOrderOf('name'),
      render: (name: string, e) => (
        <Link to={`/enterprises/${e.id}`} data-testid="enterprise-link">
          {name}
        </Link>
      ),
    },
    {
      title: t('enterprises.fields.region'),
      dataIndex: 'regionName',
      key: 'regionCode',
      sorter: true,
      sortOrder: list.sortOrderOf('regionCode'),
      render: (name: string) => <span data-testid="enterprise-region">{name}</span>,
    },
    {
      title: t('enterprises.fields.industry'),
      dataIndex: 'industryCode',
      key: 'industry',
      render: (code: string) => (
        <span>
          {code}
          {industryName(code) ? <Typography.Text type="secondary"> {industryName(code)}</Typography.Text> : null}
        </span>
      ),
    },
    { title: t('enterprises.fields.legalRepresentative'), dataIndex: 'legalRepresentative', key: 'rep' },
    {
      title: t('enterprises.fields.size'),
      dataIndex: 'size',
      key: 'size',
      render: (s: EnterpriseItem['size']) => <SizeTag size={s} />,
    },
    {
      title: t('enterprises.fields.aboveScale'),
      dataIndex: 'aboveScale',
      key: 'aboveScale',
      render: (v: boolean | null) => <AboveScaleTag above={v} />,
    },
    {
      title: t('enterprises.fields.status'),
      dataIndex: 'status',
      key: 'status',
      render: (s: EnterpriseItem['status']) => <StatusTag status={s} />,
    },
    {
      title: t('enterprises.list.dataQuality'),
      dataIndex: 'dataIssues',
      key: 'dataIssues',
      align: 'center',
      render: (n: number | undefined, e) =>
        n ? (
          <Tooltip title={t('enterprises.list.dataIssues', { count: n })}>
            <Link
              to={`/enterprises/data-quality?q=${encodeURIComponent(e.uscc)}`}
              aria-label={t('enterprises.list.dataIssues', { count: n })}
              data-testid="data-issues-link"
            >
              <Badge count={n} overflowCount={99} />
            </Link>
          </Tooltip>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
  ];

  return (
    <PageContainer
      title={t('enterprises.nav.list')}
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void exportList()}
            data-testid="export"
          >
            {t('enterprises.list.export')}
          </Button>
          {can('enterprises:manage') ? (
            <>
              <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="import-open">
                {t('enterprises.import.open')}
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setCreateOpen(true)}
                data-testid="create-open"
              >
                {t('enterprises.create.open')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <Card>
        <Form<Filters>
          form={form}
          name="enterpriseFilters"
          layout={compact ? 'vertical' : 'inline'}
          initialValues={initial}
          onFinish={applyFilters}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('enterprises.list.searchPlaceholder')}
              style={{ width: filterWidth(280) }}
              data-testid="search"
            />
          </Form.Item>
          {can('regions:read') ? (
            <Form.Item name="region" hidden={hideMore}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('enterprises.fields.region')}
                style={{ width: filterWidth(150) }}
                loading={districts.isLoading}
                options={(districts.data?.items ?? [])
                  .filter((r) => r.inScope !== false)
                  .map((r) => ({ value: r.code, label: r.name }))}
                data-testid="filter-region"
              />
            </Form.Item>
          ) : null}
          <Form.Item name="industry" hidden={hideMore}>
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('enterprises.fields.industry')}
              style={{ width: filterWidth(220) }}
              options={industryOptions}
              popupMatchSelectWidth={false}
              data-testid="filter-industry"
            />
          </Form.Item>
          <Form.Item name="size" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.fields.size')}
              style={{ width: filterWidth(110) }}
              options={SIZES.map((s) => ({ value: s, label: t(`enterprises.size.${s}`) }))}
              data-testid="filter-size"
            />
          </Form.Item>
          <Form.Item name="qualification" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.fields.qualification')}
              style={{ width: filterWidth(180) }}
              popupMatchSelectWidth={false}
              options={QUAL_TYPES.map((q) => ({ value: q, label: t(`enterprises.qualType.${q}`) }))}
            />
          </Form.Item>
          <Form.Item name="aboveScale" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.fields.aboveScale')}
              style={{ width: filterWidth(110) }}
              options={[
                { value: 'true', label: t('enterprises.aboveScale.yes') },
                { value: 'false', label: t('enterprises.aboveScale.no') },
              ]}
            />
          </Form.Item>
          <Form.Item name="status" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.fields.status')}
              style={{ width: filterWidth(110) }}
              options={STATUSES.map((s) => ({ value: s, label: t(`enterprises.status.${s}`) }))}
            />
          </Form.Item>
          <Form.Item name="year" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('enterprises.list.yearDefault', { year: LAST_YEAR })}
              style={{ width: filterWidth(150) }}
              options={years.map((y) => ({ value: String(y), label: t('enterprises.list.year', { year: y }) }))}
            />
          </Form.Item>
          <Form.Item
            name="dataIssues"
            hidden={hideMore}
            valuePropName="checked"
            getValueProps={(v) => ({ checked: v === 'true' || v === true })}
            normalize={(v: boolean) => (v ? 'true' : undefined)}
          >
            <Checkbox data-testid="filter-data-issues">{t('enterprises.list.onlyDataIssues')}</Checkbox>
          </Form.Item>
          <Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" data-testid="filter-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.setFieldsValue(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
                  applyFilters({});
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
        ) : (
          <Table<EnterpriseItem>
            rowKey="id"
            columns={columns}
            {...list.tableProps}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    Object.keys(list.state.filters).length
                      ? t('enterprises.list.emptyFiltered')
                      : t('enterprises.list.empty')
                  }
                />
              ),
            }}
            data-testid="enterprises-table"
          />
        )}
      </Card>
      {importOpen ? <ImportModal open={importOpen} onClose={() => setImportOpen(false)} /> : null}
      {createOpen ? <CreateModal open={createOpen} onClose={() => setCreateOpen(false)} /> : null}
    </PageContainer>
  );
}
