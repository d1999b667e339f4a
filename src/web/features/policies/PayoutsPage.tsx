/** 兑现管理: the published 免申即享 policies and their payout batches. */
import { Card, Empty, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { formatWan, formatYuan, type PolicyItem, usePayoutBatches } from './api';
import { BatchStatusTag } from './PayoutBatchPage';
import { StatusTag } from './tags';

function Batches({ policyId }: { policyId: string }) {
  const { t, i18n } = useTranslation();
  const batches = usePayoutBatches(policyId);
  if (batches.isPending) return <Typography.Text type="secondary">…</Typography.Text>;
  if (batches.isError || !batches.data?.length)
    return <Typography.Text type="secondary">{t('policies.payouts.noBatches')}</Typography.Text>;
  return (
    <Space direction="vertical" size={2}>
      {batches.data.map((b) => (
        <Space key={b.id} size={6} wrap>
          <Link to={`/policies/payouts/batches/${b.id}`} data-testid="batch-link">
            {t('policies.payouts.batchTitle', { code: b.number })}
          </Link>
          <BatchStatusTag status={b.status} />
          <Typography.Text type="secondary">
            {t('policies.payouts.countTotal', {
              count: b.payouts,
              total: formatYuan(b.totalYuan, i18n.language),
            })}
          </Typography.Text>
        </Space>
      ))}
    </Space>
  );
}

export default function PayoutsPage() {
  const { t, i18n } = useTranslation();
  const list = usePagedList<PolicyItem>({
    key: 'policies',
    path: '/policies',
    initialFilters: { channel: 'mianshen' },
    pageSize: 10,
  });
  return (
    <PageContainer title={t('policies.nav.payouts')}>
      <Card>
        <Typography.Paragraph type="secondary">{t('policies.payouts.intro')}</Typography.Paragraph>
        {list.query.isError ? (
          <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
        ) : (
          <Table<PolicyItem>
            rowKey="id"
            {...list.tableProps}
            locale={{
              emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('policies.payouts.noPolicies')} />,
            }}
            columns={[
              {
                title: t('policies.fields.title'),
                key: 'title',
                render: (_, p) => <Link to={`/policies/${p.id}`}>{p.title}</Link>,
              },
              { title: t('policies.fields.issuer'), dataIndex: 'issuerName' },
              { title: t('policies.fields.status'), dataIndex: 'status', render: (s) => <StatusTag status={s} /> },
              {
                title: t('policies.fields.budgetCapYuan'),
                dataIndex: 'budgetCapYuan',
                render: (v) => formatWan(v, i18n.language),
              },
              { title: t('policies.payouts.batches'), key: 'batches', render: (_, p) => <Batches policyId={p.id} /> },
            ]}
          />
        )}
      </Card>
    </PageContainer>
  );
}
