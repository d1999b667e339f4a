import { CheckOutlined, SettingOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Empty, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import { internalLink, markNotificationRead, type Notification, notificationsKey, readAllNotifications } from './api';

export default function NotificationsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = usePagedList<Notification>({ key: 'notifications', path: '/notifications', pageSize: 20 });

  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationsKey });
  const markRead = useApiMutation((id: string) => markNotificationRead(id), { onSuccess: refresh });
  const markAll = useApiMutation(readAllNotifications, {
    onSuccess: async (data) => {
      void message.success(t('notifications.markedAll', { count: data?.updated ?? 0 }));
      await refresh();
    },
  });

  if (list.query.isError && !list.query.data) {
    return (
      <PageContainer title={t('nav.notifications')}>
        <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={t('nav.notifications')}
      extra={
        <Flex gap={8} wrap>
          <Button icon={<SettingOutlined />} onClick={() => navigate('/profile/notifications')}>
            {t('channels.prefs.menu')}
          </Button>
          <Button icon={<CheckOutlined />} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            {t('notifications.markAllRead')}
          </Button>
        </Flex>
      }
    >
      <Card>
        <List
          loading={list.tableProps.loading}
          dataSource={list.tableProps.dataSource}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />,
          }}
          pagination={
            (list.query.data?.total ?? 0) > 0
              ? {
                  ...list.tableProps.pagination,
                  onChange: (page, pageSize) => list.setPage(page, pageSize),
                }
              : false
          }
          renderItem={(n) => {
            const link = internalLink(n.link);
            return (
              <List.Item
                data-testid="notification-item"
                actions={[
                  link ? (
                    <Button key="open" type="link" size="small" onClick={() => navigate(link)}>
                      {t('notifications.open')}
                    </Button>
                  ) : null,
                  n.readAt ? null : (
                    <Button
                      key="read"
                      type="link"
                      size="small"
                      loading={markRead.isPending && markRead.variables === n.id}
                      onClick={() => markRead.mutate(n.id)}
                    >
                      {t('notifications.markRead')}
                    </Button>
                  ),
                ].filter(Boolean)}
              >
                <List.Item.Meta
                  avatar={<Badge status={n.readAt ? 'default' : 'processing'} />}
                  title={
                    <Flex gap={8} wrap align="baseline">
                      <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatDateTime(n.createdAt)}
                      </Typography.Text>
                    </Flex>
                  }
                  description={n.body}
                />
              </List.Item>
            );
          }}
        />
      </Card>
    </PageContainer>
  );
}
