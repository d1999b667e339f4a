import { Button, Card, Input, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { buildRegionTree, inScopeCount, type RegionNode, useRegions } from './api';

/** Keeps the nodes matching `q` (by name or code) and their ancestors. */
function filterTree(nodes: readonly RegionNode[], q: string): RegionNode[] {
  const out: RegionNode[] = [];
  for (const n of nodes) {
    const children = n.children ? filterTree(n.children, q) : [];
    if (n.name.includes(q) || n.code.startsWith(q) || children.length) {
      out.push({ ...n, children: children.length ? children : undefined });
    }
  }
  return out;
}

/** Opened by default: the ancestors shown for context and the top regions of the caller's scope. */
function defaultExpanded(nodes: readonly RegionNode[], parentInScope = false, acc: string[] = []): string[] {
  for (const n of nodes) {
    const inScope = n.inScope !== false;
    if (n.children?.length && (!inScope || !parentInScope)) {
      acc.push(n.code);
      defaultExpanded(n.children, inScope, acc);
    }
  }
  return acc;
}

function collectCodes(nodes: readonly RegionNode[], acc: string[] = []): string[] {
  for (const n of nodes) {
    if (n.children?.length) {
      acc.push(n.code);
      collectCodes(n.children, acc);
    }
  }
  return acc;
}

const LEVEL_COLORS: Record<string, string> = { province: 'purple', city: 'blue', district: 'cyan', town: 'default' };

export default function RegionsPage() {
  const { t } = useTranslation();
  const regions = useRegions();
  const [q, setQ] = useState('');
  const [expanded, setExpanded] = useState<string[] | null>(null);

  const tree = useMemo(() => buildRegionTree(regions.data?.items ?? []), [regions.data]);
  const query = q.trim();
  const shown = useMemo(() => (query ? filterTree(tree, query) : tree), [tree, query]);
  const allCodes = useMemo(() => collectCodes(shown), [shown]);
  // A search opens everything it kept.
  const initial = useMemo(() => defaultExpanded(tree), [tree]);
  const expandedKeys = query ? allCodes : (expanded ?? initial);

  const columns: TableColumnsType<RegionNode> = [
    {
      title: t('regions.name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, r) =>
        r.inScope === false ? (
          <Typography.Text type="secondary">
            {name} <Tag>{t('regions.context')}</Tag>
          </Typography.Text>
        ) : (
          name
        ),
    },
    {
      title: t('regions.code'),
      dataIndex: 'code',
      key: 'code',
      render: (code: string) => <Typography.Text code>{code}</Typography.Text>,
    },
    {
      title: t('regions.level'),
      dataIndex: 'level',
      key: 'level',
      render: (level: string) => <Tag color={LEVEL_COLORS[level]}>{t(`regionLevels.${level}`, level)}</Tag>,
    },
    {
      title: t('regions.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (kind: string) => (
        <Tag color={kind === 'dev_zone' ? 'gold' : 'green'}>{t(`regionKinds.${kind}`, kind)}</Tag>
      ),
    },
  ];

  if (regions.isError) {
    return (
      <PageContainer title={t('nav.regions')}>
        <QueryError error={regions.error} onRetry={() => void regions.refetch()} />
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={t('nav.regions')}
      extra={
        <Typography.Text type="secondary" data-testid="regions-total">
          {t('regions.total', { count: inScopeCount(regions.data?.items) ?? 0 })}
        </Typography.Text>
      }
    >
      <Card>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('regions.searchPlaceholder')}
            onSearch={setQ}
            onChange={(e) => {
              if (!e.target.value) setQ('');
            }}
            style={{ width: 260, maxWidth: '100%' }}
          />
          <Button onClick={() => setExpanded(allCodes)} disabled={!!query}>
            {t('regions.expandAll')}
          </Button>
          <Button onClick={() => setExpanded([])} disabled={!!query}>
            {t('regions.collapseAll')}
          </Button>
        </Space>
        <Table<RegionNode>
          rowKey="code"
          size="middle"
          columns={columns}
          dataSource={shown}
          loading={regions.isLoading}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowKeys: expandedKeys,
            onExpandedRowsChange: (keys) => setExpanded(keys.map(String)),
          }}
          data-testid="regions-table"
        />
      </Card>
    </PageContainer>
  );
}
