/**
 * 数据质量 (issue #15): the plausibility problems in the firms' yearly figures — negative values, values out of the
 * plausible range, jumps against the year before — counted per kind and listed page by page.
 */
import {
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  List,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { DATA_ISSUE_KINDS, type DataIssueKind, type DataQualityItem, useDistricts } from './api';
import { indicatorLabel, issueText } from './format';
import { IssueKindTag } from './tags';

const FILTER_KEYS = ['region', 'year', 'kind', 'q'] as const;
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

const KIND_COLORS: Record<DataIssueKind, string> = {
  negative: '#cf1322',
  out_of_range: '#d48806',
  yoy_jump: '#d4380d',
};

export default function DataQualityPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState(() => filtersFrom(searchParams));
  const [form] = Form.useForm<Filters>();
  const compact = Grid.useBreakpoint().md === false;
  const list = usePagedList<DataQualityItem>({
    key: 'data-quality',
    path: '/enterprises/data-quality',
    initialFilters: initial,
  });
  const districts = useDistricts(can('regions:read'));
  const regions = (districts.data?.items ?? []).filter((r) => r.inScope !== false);
  const counts = (list.query.data as { counts?: Record<DataIssueKind, number> } | undefined)?.counts;
  const thisYear = new Date().getFullYear();
  const width = (w: number) => (compact ? '100%' : w);
  const [moreFilters, setMoreFilters] = useState(() => !!(initial.region || initial.year));
  const hideMore = compact && !moreFilters;

  // the URL may change under the page (a link from the enterprise list): follow it
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

  const pickKind = (kind: DataIssueKind) => {
    const values = { ...form.getFieldsValue(), kind: state.filters.kind === kind ? undefined : kind };
    form.setFieldsValue(values);
    applyFilters(values);
  };

  const empty = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        Object.keys(list.state.filters).length ? t('enterprises.quality.emptyFiltered') : t('enterprises.quality.empty')
      }
    />
  );

  const columns: TableColumnsType<DataQualityItem> = [
    {
      title: t('enterprises.fields.name'),
      key: 'name',
      render: (_: unknown, r) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/enterprises/${r.enterpriseId}`} data-testid="quality-firm">
            {r.enterpriseName}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
            {r.uscc}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('enterprises.fields.region'), dataIndex: 'regionName', key: 'region' },
    {
      title: t('enterprises.verify.indicator'),
      key: 'key',
      render: (_: unknown, r) => t('enterprises.verify.yearKey', { year: r.year, name: indicatorLabel(r.key) }),
    },
    {
      title: t('enterprises.quality.kindTitle'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: DataIssueKind) => <IssueKindTag kind={k} />,
    },
    { title: t('enterprises.quality.detail'), key: 'detail', render: (_: unknown, r) => issueText(r) },
  ];

  return (
    <PageContainer title={t('enterprises.nav.dataQuality')}>
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }} data-testid="quality-counts">
        {DATA_ISSUE_KINDS.map((k) => (
          <Col key={k} xs={8} md={8}>
            <Card
              size="small"
              hoverable
              onClick={() => pickKind(k)}
              style={state.filters.kind === k ? { borderColor: KIND_COLORS[k] } : undefined}
              data-testid={`quality-count-${k}`}
            >
              <Statistic
                title={t(`enterprises.quality.kind.${k}`)}
                value={counts?.[k] ?? '—'}
                styles={{ content: { color: KIND_COLORS[k] } }}
              />
            </Card>
          </Col>
        ))}
      </Row>
      <Card>
        <Typography.Paragraph type="secondary">{t('enterprises.quality.intro')}</Typography.Paragraph>
        <Form<Filters>
          form={form}
          name="qualityFilters"
          layout={compact ? 'vertical' : 'inline'}
          initialValues={initial}
          onFinish={applyFilters}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('enterprises.verify.searchPlaceholder')}
              style={{ width: width(240) }}
              data-testid="quality-search"
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
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('enterprises.quality.kindTitle')}
              style={{ width: width(150) }}
              options={DATA_ISSUE_KINDS.map((k) => ({ value: k, label: t(`enterprises.quality.kind.${k}`) }))}
              data-testid="quality-kind"
            />
          </Form.Item>
          <Form.Item>
            <Space wrap>
              <Button type="primary" htmlType="submit" data-testid="quality-filter-submit">
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
        ) : compact ? (
          <List<DataQualityItem>
            loading={list.tableProps.loading}
            dataSource={list.tableProps.dataSource}
            locale={{ emptyText: empty }}
            pagination={
              (list.query.data?.total ?? 0) > 0
                ? {
                    current: list.tableProps.pagination.current,
                    pageSize: list.tableProps.pagination.pageSize,
                    total: list.tableProps.pagination.total,
                    size: 'small',
                    showTotal: list.tableProps.pagination.showTotal,
                    onChange: (p, size) => list.setPage(p, size),
                  }
                : false
            }
            data-testid="quality-cards"
            renderItem={(r) => (
              <List.Item style={{ display: 'block', paddingInline: 0 }}>
                <Flex justify="space-between" align="start" gap={8}>
                  <Link to={`/enterprises/${r.enterpriseId}`} data-testid="quality-firm">
                    {r.enterpriseName}
                  </Link>
                  <IssueKindTag kind={r.kind} />
                </Flex>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.regionName} · {t('enterprises.verify.yearKey', { year: r.year, name: indicatorLabel(r.key) })}
                </Typography.Text>
                <div>{issueText(r)}</div>
              </List.Item>
            )}
          />
        ) : (
          <Table<DataQualityItem>
            rowKey={(r) => `${r.enterpriseId}:${r.year}:${r.key}:${r.kind}`}
            columns={columns}
            {...list.tableProps}
            locale={{ emptyText: empty }}
            data-testid="quality-table"
          />
        )}
      </Card>
    </PageContainer>
  );
}
