/** 政策库: Chinese full-text search with highlight, filters (level, channel, status, issuer, tag), sort and paging. */
import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Form, Grid, Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { CHANNELS, LEVELS, type PolicyItem, STATUSES, useIssuers } from './api';
import { ChannelTag, Highlight, LevelTag, Snippet, StatusTag } from './tags';

const FILTER_KEYS = ['q', 'level', 'channel', 'status', 'issuer', 'tag'] as const;
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

export default function ListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [searchParams, setSearchParams] = useSearchParams();
  const [initial] = useState<Filters>(() =>
    Object.fromEntries(FILTER_KEYS.map((k) => [k, searchParams.get(k) ?? undefined]).filter(([, v]) => v)),
  );
  const [form] = Form.useForm<Filters>();
  const list = usePagedList<PolicyItem>({ key: 'policies', path: '/policies', initialFilters: initial });
  const issuers = useIssuers();
  const compact = Grid.useBreakpoint().md === false;
  const w = (n: number) => (compact ? '100%' : n);
  const q = typeof list.state.filters.q === 'string' ? list.state.filters.q : undefined;

  const apply = (values: Filters) => {
    const filters: QueryParams = {};
    const next = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = values[k]?.trim();
      if (!v) continue;
      filters[k] = v;
      next.set(k, v);
    }
    list.setFilters(filters);
    setSearchParams(next, { replace: true });
  };

  const columns: TableColumnsType<PolicyItem> = [
    {
      title: t('policies.fields.title'),
      dataIndex: 'title',
      key: 'title',
      sorter: true,
      sortOrder: list.sortOrderOf('title'),
      render: (title: string, p) => (
        <div style={{ maxWidth: 520 }}>
          <Link to={`/policies/${p.id}`} data-testid="policy-link">
            <Highlight text={title} q={q} />
          </Link>
          {p.highlight ? (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="policy-snippet">
                <Snippet html={p.highlight} />
              </Typography.Text>
            </div>
          ) : null}
          <div>
            <Space size={[4, 4]} wrap>
              {p.tags.slice(0, 4).map((tag) => (
                <Typography.Text key={tag} type="secondary" style={{ fontSize: 12 }}>
                  #{tag}
                </Typography.Text>
              ))}
            </Space>
          </div>
        </div>
      ),
    },
    { title: t('policies.fields.docNo'), dataIndex: 'docNo', key: 'docNo', render: (v: string | null) => v ?? '—' },
    { title: t('policies.fields.issuer'), dataIndex: 'issuerName', key: 'issuer' },
    { title: t('policies.fields.level'), dataIndex: 'level', key: 'level', render: (l) => <LevelTag level={l} /> },
    {
      title: t('policies.fields.channel'),
      dataIndex: 'channel',
      key: 'channel',
      render: (c) => <ChannelTag channel={c} />,
    },
    { title: t('policies.fields.status'), dataIndex: 'status', key: 'status', render: (s) => <StatusTag status={s} /> },
    {
      title: t('policies.fields.publishedOn'),
      dataIndex: 'publishedOn',
      key: 'publishedOn',
      sorter: true,
      sortOrder: list.sortOrderOf('publishedOn'),
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('policies.fields.applyTo'),
      dataIndex: 'applyTo',
      key: 'applyTo',
      sorter: true,
      sortOrder: list.sortOrderOf('applyTo'),
      render: (v: string | null) => v ?? '—',
    },
  ];

  return (
    <PageContainer
      title={t('policies.nav.library')}
      extra={
        can('policies:manage') ? (
          <Link to="/policies/new">
            <Button type="primary" icon={<PlusOutlined />} data-testid="policy-create">
              {t('policies.list.create')}
            </Button>
          </Link>
        ) : null
      }
    >
      <Card>
        <Form<Filters>
          form={form}
          layout={compact ? 'vertical' : 'inline'}
          initialValues={initial}
          onFinish={apply}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input
              allowClear
              placeholder={t('policies.list.searchPlaceholder')}
              style={{ width: w(280) }}
              data-testid="policy-search"
            />
          </Form.Item>
          <Form.Item name="level">
            <Select
              allowClear
              placeholder={t('policies.fields.level')}
              style={{ width: w(110) }}
              options={LEVELS.map((l) => ({ value: l, label: t(`policies.level.${l}`) }))}
            />
          </Form.Item>
          <Form.Item name="channel">
            <Select
              allowClear
              placeholder={t('policies.fields.channel')}
              style={{ width: w(120) }}
              options={CHANNELS.map((c) => ({ value: c, label: t(`policies.channel.${c}`) }))}
            />
          </Form.Item>
          <Form.Item name="status">
            <Select
              allowClear
              placeholder={t('policies.fields.status')}
              style={{ width: w(110) }}
              options={STATUSES.map((s) => ({ value: s, label: t(`policies.status.${s}`) }))}
              data-testid="policy-filter-status"
            />
          </Form.Item>
          <Form.Item name="issuer">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('policies.fields.issuer')}
              style={{ width: w(180) }}
              popupMatchSelectWidth={false}
              loading={issuers.isLoading}
              options={(issuers.data ?? []).map((i) => ({
                value: i.id,
                label: i.policies !== undefined ? `${i.name} (${i.policies})` : i.name,
              }))}
            />
          </Form.Item>
          <Form.Item name="tag">
            <Input allowClear placeholder={t('policies.fields.tag')} style={{ width: w(120) }} />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" data-testid="policy-search-submit">
                {t('common.search')}
              </Button>
              <Button
                onClick={() => {
                  form.setFieldsValue(Object.fromEntries(FILTER_KEYS.map((k) => [k, undefined])));
                  apply({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<PolicyItem>
            rowKey="id"
            columns={columns}
            {...list.tableProps}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={
                    Object.keys(list.state.filters).length ? t('policies.list.emptyFiltered') : t('policies.list.empty')
                  }
                />
              ),
            }}
            data-testid="policies-table"
          />
        )}
      </Card>
    </PageContainer>
  );
}
