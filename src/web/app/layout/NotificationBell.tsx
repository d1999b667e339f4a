import { BellOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, Flex, List, Popover, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { formatDateTime } from '../../components/format';
import { useApiMutation } from '../../components/useApiMutation';
import {
  fetchUnreadCount,
  type Notification,
  notificationsKey,
  openNotification,
  readAllNotifications,
  unreadCountKey,
} from '../../features/notifications/api';
import { api, type Paged } from '../api';

const POLL_MS = 60_000;

export function NotificationBell() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);

  const unread = useQuery({
    queryKey: unreadCountKey,
    queryFn: ({ signal }) => fetchUnreadCount(signal),
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
  });
  const latest = useQuery({
    queryKey: [...notificationsKey, 'latest'],
    queryFn: ({ signal }) => api.get<Paged<Notification>>('/notifications', { page: 1, pageSize: 5 }, signal),
    enabled: open,
    staleTime: 0,
  });
  const markAll = useApiMutation(readAllNotifications, {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });

  const count = unread.data?.count ?? 0;

  const onItem = async (n: Notification) => {
    setOpen(false);
    await openNotification(n, navigate);
    await queryClient.invalidateQueries({ queryKey: notificationsKey });
  };

  const content = (
    <div style={{ width: 'min(340px, 86vw)' }} data-testid="notification-popover">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('notifications.latest')}</Typography.Text>
        <Button
          type="link"
          size="small"
          disabled={count === 0}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          {t('notifications.markAllRead')}
        </Button>
      </Flex>
      {latest.isLoading ? (
        <Flex justify="center" style={{ padding: 24 }}>
          <Spin />
        </Flex>
      ) : latest.data && latest.data.items.length > 0 ? (
        <List
          size="small"
          dataSource={latest.data.items}
          renderItem={(n) => (
            <List.Item
              style={{ cursor: 'pointer', paddingInline: 4 }}
              onClick={() => void onItem(n)}
              extra={n.readAt ? null : <Badge status="processing" />}
            >
              <List.Item.Meta
                title={<Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>}
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatDateTime(n.createdAt)}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      )}
      <div style={{ textAlign: 'center', borderTop: '1px solid rgba(5,5,5,0.06)', paddingTop: 8 }}>
        <Link to="/notifications" onClick={() => setOpen(false)}>
          {t('notifications.viewAll')}
        </Link>
      </div>
    </div>
  );

  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false}>
      <Button
        type="text"
        aria-label={t('notifications.bell', { count })}
        data-testid="notification-bell"
        icon={
          <Badge count={count} size="small" overflowCount={99} data-testid="unread-count">
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}
