import { Button, Card, Empty, Flex, Input, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { firmOf, type Pairing } from './api';

/** 我的包联企业 (cadre, phone-first): the firms paired with the cadre, with shortcuts to their calendar and 代提诉求. */
export default function PairedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const list = usePagedList<Pairing>({ key: 'assistance-pairings', path: '/assistance/pairings', pageSize: 20 });
  const { state, setFilters, setPage } = list;
  return (
    <PageContainer title={t('assistance.paired.title')}>
      <Space orientation="vertical" style={{ width: '100%', maxWidth: 720 }} size={12}>
        <Input.Search
          allowClear
          placeholder={t('assistance.paired.search')}
          onSearch={(q) => setFilters({ ...state.filters, q })}
        />
        {list.query.error ? <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} /> : null}
        <List<Pairing>
          loading={list.query.isLoading}
          dataSource={list.query.data?.items ?? []}
          locale={{ emptyText: <Empty description={t('assistance.paired.empty')} /> }}
          pagination={{
            current: state.page,
            pageSize: state.pageSize,
            total: list.query.data?.total ?? 0,
            onChange: (p) => setPage(p),
            size: 'small',
            hideOnSinglePage: true,
          }}
          renderItem={(p) => (
            <List.Item style={{ paddingInline: 0 }}>
              <Card size="small" style={{ width: '100%' }} data-testid="paired-card">
                <Typography.Text strong>{firmOf(p)}</Typography.Text>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {[p.groupName, p.fromOn ? t('assistance.paired.since', { date: p.fromOn.slice(0, 10) }) : null]
                      .filter(Boolean)
                      .join(' · ')}
                  </Typography.Text>
                </div>
                <Flex gap={8} wrap style={{ marginTop: 8 }}>
                  <Button size="small" onClick={() => navigate(`/assistance/submit?enterpriseId=${p.enterpriseId}`)}>
                    {t('assistance.paired.submit')}
                  </Button>
                  <Button size="small" onClick={() => navigate(`/assistance/visits?enterpriseId=${p.enterpriseId}`)}>
                    {t('assistance.paired.calendar')}
                  </Button>
                </Flex>
              </Card>
            </List.Item>
          )}
        />
      </Space>
    </PageContainer>
  );
}
