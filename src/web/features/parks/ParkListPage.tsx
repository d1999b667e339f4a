import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Grid,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tooltip,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import {
  downloadFile,
  PARK_CATEGORIES,
  PARK_STAGES,
  type Park,
  RECOGNITION_LEVELS,
  type RecognitionLevel,
  useDistricts,
} from './api';
import { formatFixed, formatNumber, formatYi } from './format';
import { ImportModal } from './ImportModal';
import { ParkFormModal } from './ParkForms';
import { StatsStrip } from './StatsStrip';
import { OverdueTag, RecognitionTag, StageTag, Stars } from './tags';

/** The list's filters, as in the URL (so that /parks?overdue=true can be linked to). */
const FILTER_KEYS = [
  'q',
  'region',
  'stage',
  'category',
  'recognitionLevel',
  'starLevel',
  'industry',
  'overdue',
] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string>>;

const INDUSTRY_PATTERN = /^[A-Ta-t](\d{0,4})$/;

function filtersFrom(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const key of FILTER_KEYS) {
    const v = params.get(key);
    if (v) out[key] = v;
  }
  return out;
}

export default function ParkListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState(() => filtersFrom(searchParams));
  const [form] = Form.useForm<Filters>();
  const list = usePagedList<Park>({
    key: 'parks',
    path: '/parks',
    initialFilters: initial,
    defaultSort: { sort: 'code', order: 'asc' },
  });
  const districts = useDistricts(can('regions:read'));
  const [importOpen, setImportOpen] = useState(false);
  const [createOpen, setCreateOpen] = useState(false);
  const compact = Grid.useBreakpoint().md === false;
  // On a phone only the search box shows until the user asks for the other filters.
  const [moreFilters, setMoreFilters] = useState(() => Object.keys(initial).some((k) => k !== 'q'));
  const hideMore = compact && !moreFilters;
  const filterWidth = (w: number) => (compact ? '100%' : w);
  const [exporting, setExporting] = useState(false);
  const region = typeof list.state.filters.region === 'string' ? list.state.filters.region : undefined;

  // The URL can change under the page (a link to /parks?overdue=true, back/forward): follow it.
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
      if (key === 'industry' && v) v = v.toUpperCase();
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
      const { page: _p, pageSize: _s, sort: _o, order: _d, ...filters } = list.params;
      await downloadFile('/parks/export', filters, 'parks.xlsx');
    } catch (e) {
      void message.error(e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<Park> = [
    {
      title: t('parks.fields.code'),
      dataIndex: 'code',
      key: 'code',
      sorter: true,
      sortOrder: list.sortOrderOf('code'),
    },
    {
      title: t('parks.fields.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: list.sortOrderOf('name'),
      render: (name: string, park) => (
        <Link to={`/parks/${park.id}`} data-testid="park-link">
          {name}
        </Link>
      ),
    },
    {
      title: t('parks.fields.region'),
      dataIndex: 'regionName',
      key: 'regionCode',
      sorter: true,
      sortOrder: list.sortOrderOf('regionCode'),
      render: (name: string) => <span data-testid="park-region">{name}</span>,
    },
    {
      title: t('parks.fields.stage'),
      dataIndex: 'stage',
      key: 'stage',
      sorter: true,
      sortOrder: list.sortOrderOf('stage'),
      render: (_: unknown, park) => <StageTag stage={park.stage} />,
    },
    {
      title: t('parks.fields.landAreaMu'),
      dataIndex: 'landAreaMu',
      key: 'landAreaMu',
      sorter: true,
      sortOrder: list.sortOrderOf('landAreaMu'),
      align: 'right',
      render: (v: number) => formatNumber(v, 2),
    },
    {
      title: t('parks.fields.floorAreaM2'),
      dataIndex: 'floorAreaM2',
      key: 'floorAreaM2',
      sorter: true,
      sortOrder: list.sortOrderOf('floorAreaM2'),
      align: 'right',
      render: (v: number) => formatNumber(v, 0),
    },
    {
      title: t('parks.fields.plotRatio'),
      dataIndex: 'plotRatio',
      key: 'plotRatio',
      align: 'right',
      render: (v: number | null) => formatFixed(v, 2),
    },
    {
      title: t('parks.fields.plannedInvestmentWan'),
      dataIndex: 'plannedInvestmentWan',
      key: 'plannedInvestment',
      sorter: true,
      sortOrder: list.sortOrderOf('plannedInvestment'),
      align: 'right',
      render: (v: number) => (
        <Tooltip title={formatYi(v)}>
          <span>{formatNumber(v, 0)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('parks.fields.recognitionStars'),
      key: 'starLevel',
      sorter: true,
      sortOrder: list.sortOrderOf('starLevel'),
      render: (_: unknown, park) =>
        park.recognitionLevel || park.starLevel ? (
          <Space size={4} wrap>
            <RecognitionTag level={park.recognitionLevel} />
            <Stars level={park.starLevel} />
          </Space>
        ) : (
          '—'
        ),
    },
    {
      title: t('parks.fields.overdue'),
      dataIndex: 'overdue',
      key: 'overdue',
      render: (overdue: boolean) => (overdue ? <OverdueTag /> : null),
    },
  ];

  const selectOptions = <T extends string>(values: readonly T[], prefix: string) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

  return (
    <PageContainer
      title={t('parks.nav.list')}
      extra={
        <Space wrap>
          <Button
            icon={<DownloadOutlined />}
            loading={exporting}
            onClick={() => void exportList()}
            data-testid="export"
          >
            {t('parks.list.export')}
          </Button>
          {can('parks:manage') ? (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreateOpen(true)}
              data-testid="park-create"
            >
              {t('parks.form.create')}
            </Button>
          ) : null}
          {can('parks:manage') ? (
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="import-open">
              {t('parks.import.open')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <StatsStrip region={region} />
      <Card>
        <Form<Filters>
          form={form}
          name="parkFilters"
          layout={compact ? 'vertical' : 'inline'}
          initialValues={initial}
          onFinish={applyFilters}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input allowClear placeholder={t('parks.list.searchPlaceholder')} style={{ width: filterWidth(200) }} />
          </Form.Item>
          {can('regions:read') ? (
            <Form.Item name="region" hidden={hideMore}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('parks.fields.region')}
                style={{ width: filterWidth(180) }}
                loading={districts.isLoading}
                options={(districts.data?.items ?? [])
                  .filter((r) => r.inScope !== false)
                  .map((r) => ({ value: r.code, label: r.name }))}
                data-testid="filter-region"
              />
            </Form.Item>
          ) : null}
          <Form.Item name="stage" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('parks.fields.stage')}
              style={{ width: filterWidth(130) }}
              options={selectOptions(PARK_STAGES, 'parks.stage')}
            />
          </Form.Item>
          <Form.Item name="category" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('parks.fields.category')}
              style={{ width: filterWidth(150) }}
              options={selectOptions(PARK_CATEGORIES, 'parks.category')}
            />
          </Form.Item>
          <Form.Item name="recognitionLevel" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('parks.fields.recognitionLevel')}
              style={{ width: filterWidth(130) }}
              options={[
                ...selectOptions<RecognitionLevel>(RECOGNITION_LEVELS, 'parks.recognition'),
                { value: 'none', label: t('parks.recognition.none') },
              ]}
            />
          </Form.Item>
          <Form.Item name="starLevel" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('parks.fields.starLevel')}
              style={{ width: filterWidth(110) }}
              options={[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t('parks.starsTitle', { count: n }) }))}
            />
          </Form.Item>
          <Form.Item
            name="industry"
            hidden={hideMore}
            rules={[{ pattern: INDUSTRY_PATTERN, message: t('parks.list.industryInvalid') }]}
          >
            <Input
              allowClear
              placeholder={t('parks.list.industryPlaceholder')}
              style={{ width: filterWidth(180) }}
              maxLength={5}
            />
          </Form.Item>
          <Form.Item name="overdue" hidden={hideMore}>
            <Select
              allowClear
              placeholder={t('parks.fields.overdue')}
              style={{ width: filterWidth(150) }}
              options={[
                { value: 'true', label: t('parks.list.overdueYes') },
                { value: 'false', label: t('parks.list.overdueNo') },
              ]}
              data-testid="filter-overdue"
            />
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
                  {moreFilters ? t('parks.list.fewerFilters') : t('parks.list.moreFilters')}
                </Button>
              ) : null}
            </Space>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<Park>
            rowKey="id"
            columns={columns}
            {...list.tableProps}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    Object.keys(list.state.filters).length ? t('parks.list.emptyFiltered') : t('parks.list.empty')
                  }
                />
              ),
            }}
            data-testid="parks-table"
          />
        )}
      </Card>
      <ImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      {can('parks:manage') ? <ParkFormModal open={createOpen} onClose={() => setCreateOpen(false)} /> : null}
    </PageContainer>
  );
}
