import { Button, Card, Form, Input, Select, Table, type TableColumnsType, Tag, TreeSelect, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_KINDS } from '../../../domain/access.ts';
import type { QueryParams } from '../../app/api';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { buildRegionTree, toTreeSelect, useRegions } from '../regions/api';
import type { Org } from './api';

interface Filters {
  q?: string;
  kind?: string;
  regionCode?: string;
}

export default function OrgsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<Filters>();
  const list = usePagedList<Org>({ key: 'orgs', path: '/orgs', defaultSort: { sort: 'name', order: 'asc' } });
  const regions = useRegions(can('regions:read'));
  const regionTree = useMemo(() => toTreeSelect(buildRegionTree(regions.data?.items ?? [])), [regions.data]);

  const columns: TableColumnsType<Org> = [
    {
      title: t('orgs.name'),
      dataIndex: 'name',
      key: 'name',
      sorter: true,
      sortOrder: list.sortOrderOf('name'),
      render: (name: string) => <Typography.Text strong>{name}</Typography.Text>,
    },
    {
      title: t('orgs.kind'),
      dataIndex: 'kind',
      key: 'kind',
      sorter: true,
      sortOrder: list.sortOrderOf('kind'),
      render: (kind: string) => <Tag>{t(`orgKinds.${kind}`, kind)}</Tag>,
    },
    {
      title: t('orgs.region'),
      dataIndex: 'regionName',
      key: 'regionCode',
      sorter: true,
      sortOrder: list.sortOrderOf('regionCode'),
      render: (_: unknown, org) =>
        org.regionName ? (
          <span>
            {org.regionName} <Typography.Text type="secondary">({org.regionCode})</Typography.Text>
          </span>
        ) : (
          (org.regionCode ?? '—')
        ),
    },
  ];

  const onSearch = (values: Filters) => {
    const filters: QueryParams = { q: values.q?.trim(), kind: values.kind, regionCode: values.regionCode };
    list.setFilters(filters);
  };

  return (
    <PageContainer title={t('nav.orgs')}>
      <Card>
        <Form<Filters>
          form={form}
          name="orgFilters"
          layout="inline"
          onFinish={onSearch}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input allowClear placeholder={t('orgs.searchPlaceholder')} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="kind">
            <Select
              allowClear
              placeholder={t('orgs.kind')}
              style={{ width: 160 }}
              options={ORG_KINDS.map((k) => ({ value: k, label: t(`orgKinds.${k}`) }))}
            />
          </Form.Item>
          {can('regions:read') ? (
            <Form.Item name="regionCode">
              <TreeSelect
                allowClear
                showSearch={{ treeNodeFilterProp: 'title' }}
                placeholder={t('orgs.region')}
                style={{ width: 220 }}
                treeData={regionTree}
                loading={regions.isLoading}
                popupMatchSelectWidth={false}
              />
            </Form.Item>
          ) : null}
          <Form.Item>
            <Button type="primary" htmlType="submit">
              {t('common.search')}
            </Button>
          </Form.Item>
          <Form.Item>
            <Button
              onClick={() => {
                form.resetFields();
                list.setFilters({});
              }}
            >
              {t('common.reset')}
            </Button>
          </Form.Item>
        </Form>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<Org> rowKey="id" columns={columns} {...list.tableProps} data-testid="orgs-table" />
        )}
      </Card>
    </PageContainer>
  );
}
