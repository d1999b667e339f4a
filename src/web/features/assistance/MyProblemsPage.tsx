import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Input, List, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { assistanceKey, PROBLEM_STATUSES, type ProblemItem, type VisitCalendarData } from './api';
import { Countdown, StatusTag, useCategoryLabel } from './ui';

/** 无事不扰: the firm says it prefers online contact; visiting cadres then get a warning. */
function PreferOnline() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const own = useQuery({
    queryKey: ['enterprises', 'own'],
    queryFn: ({ signal }) => api.get<Paged<{ id: string }>>('/enterprises', { pageSize: 1 }, signal),
  });
  const id = own.data?.items[0]?.id;
  const current = useQuery({
    queryKey: [...assistanceKey, 'calendar', id, 'preference'],
    queryFn: ({ signal }) => api.get<VisitCalendarData>(`/assistance/enterprises/${id}/calendar`, undefined, signal),
    enabled: !!id,
  });
  const save = useApiMutation(
    (preferOnline: boolean) => api.put(`/assistance/enterprises/${id}/preferences`, { preferOnline }),
    {
      onSuccess: () => {
        void message.success(t('common.saved'));
        void queryClient.invalidateQueries({ queryKey: [...assistanceKey, 'calendar'] });
      },
    },
  );
  if (!id || !current.data) return null;
  return (
    <Card size="small" styles={{ body: { padding: 12 } }}>
      <Flex justify="space-between" align="center" gap={12}>
        <div>
          <Typography.Text>{t('assistance.mine.preferOnline')}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('assistance.mine.preferOnlineHint')}
            </Typography.Text>
          </div>
        </div>
        <Switch
          checked={save.isPending ? save.variables : current.data.preferOnline}
          loading={save.isPending}
          onChange={(v) => save.mutate(v)}
          data-testid="prefer-online"
        />
      </Flex>
    </Card>
  );
}

/**
 * 我的诉求 (enterprise) and 代提诉求 (cadre: its paired firms' problems), phone-first: one card per problem with its
 * state and the time left; the server scopes the list to what the caller may see.
 */
export default function MyProblemsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const cadre = can('assistance:visit');
  const { label } = useCategoryLabel();
  const list = usePagedList<ProblemItem>({
    key: 'assistance-problems',
    path: '/assistance/problems',
    pageSize: 10,
    defaultSort: { sort: 'receivedAt', order: 'desc' },
  });
  const { state, setFilters, setPage } = list;
  const items = list.query.data?.items ?? [];

  return (
    <PageContainer
      title={cadre ? t('assistance.mine.cadreTitle') : t('assistance.mine.title')}
      extra={
        can('assistance:submit') ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => navigate('/assistance/submit')}
            data-testid="new-problem"
          >
            {cadre ? t('assistance.mine.newOnBehalf') : t('assistance.mine.new')}
          </Button>
        ) : null
      }
    >
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {cadre ? null : <PreferOnline />}
        <Flex gap={8} wrap>
          <Input.Search
            allowClear
            placeholder={t('assistance.list.searchPlaceholder')}
            style={{ flex: '1 1 200px' }}
            onSearch={(q) => setFilters({ ...state.filters, q })}
            data-testid="problem-search"
          />
          <Select
            allowClear
            style={{ flex: '0 0 140px' }}
            placeholder={t('assistance.fields.status')}
            options={PROBLEM_STATUSES.map((s) => ({ value: s, label: t(`assistance.status.${s}`) }))}
            onChange={(status?: string) => setFilters({ ...state.filters, status })}
          />
        </Flex>
        {list.query.error ? <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} /> : null}
        <List<ProblemItem>
          loading={list.query.isLoading}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('assistance.mine.empty')} /> }}
          pagination={
            (list.query.data?.total ?? 0) > state.pageSize
              ? {
                  current: state.page,
                  pageSize: state.pageSize,
                  total: list.query.data?.total ?? 0,
                  onChange: (p) => setPage(p),
                  size: 'small',
                  align: 'center',
                }
              : false
          }
          renderItem={(p) => (
            <List.Item style={{ paddingInline: 0, borderBlockEnd: 'none' }}>
              <Link to={`/assistance/problems/${p.id}`} style={{ width: '100%' }} data-testid="problem-card">
                <Card size="small" hoverable styles={{ body: { padding: 12 } }}>
                  <Flex justify="space-between" align="start" gap={8}>
                    <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }}>
                      {p.title}
                    </Typography.Text>
                    <StatusTag status={p.status} />
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {p.code} · {label(p.category)}
                    {cadre && p.enterpriseName ? ` · ${p.enterpriseName}` : ''}
                  </Typography.Text>
                  <Flex justify="space-between" wrap gap={4} style={{ marginTop: 4, fontSize: 13 }}>
                    <span>{formatDateTime(p.receivedAt)}</span>
                    {['resolved', 'rated', 'closed', 'withdrawn'].includes(p.status) ? null : (
                      <Countdown dueAt={p.dueAt} stopped={p.stopped} />
                    )}
                  </Flex>
                </Card>
              </Link>
            </List.Item>
          )}
        />
      </Space>
    </PageContainer>
  );
}
