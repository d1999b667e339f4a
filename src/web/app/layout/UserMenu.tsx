import {
  BellOutlined,
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Dropdown, type MenuProps, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useCan, useSession } from '../guards';
import { markSessionEnded } from '../session';

/** How long signing out waits for the server before it leaves for the login page anyway. */
const LOGOUT_WAIT_MS = 3_000;

export function UserMenu({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const logout = async () => {
    // The server ends the session; the user leaves at once if it answers, after LOGOUT_WAIT_MS if it is busy
    // (the request still completes and clears the cookie).
    await Promise.race([
      api.post('/auth/logout').catch(() => undefined), // the session may be gone already; leave anyway
      new Promise((resolve) => setTimeout(resolve, LOGOUT_WAIT_MS)),
    ]);
    markSessionEnded();
    await navigate('/login', { replace: true });
    queryClient.clear();
    void message.success(t('auth.loggedOut'));
  };

  const items: MenuProps['items'] = [
    {
      key: 'who',
      type: 'group',
      label: (
        <div style={{ lineHeight: 1.6, padding: '4px 0' }} data-testid="user-info">
          <div>
            <Typography.Text strong>{me.displayName}</Typography.Text>{' '}
            <Typography.Text type="secondary">({me.username})</Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary">{t(`roles.${me.role}`)}</Typography.Text>
          </div>
          {me.org ? (
            <div>
              <Typography.Text type="secondary">{me.org.name}</Typography.Text>
            </div>
          ) : null}
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'password', icon: <KeyOutlined />, label: t('nav.password') },
    { key: 'totp', icon: <SafetyOutlined />, label: t('identity.totp.menu') },
    ...(can('notifications:read')
      ? [{ key: 'notifications', icon: <BellOutlined />, label: t('channels.prefs.menu') }]
      : []),
    { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
  ];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'password') navigate('/profile/password');
    if (key === 'totp') navigate('/profile/totp');
    if (key === 'notifications') navigate('/profile/notifications');
    if (key === 'logout') void logout();
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" data-testid="user-menu" aria-label={t('user.menu')} style={{ paddingInline: 6 }}>
        <Space size={6}>
          <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#1f7a4d' }} />
          {compact ? null : (
            <span style={{ maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {me.displayName}
            </span>
          )}
          {compact ? null : <DownOutlined style={{ fontSize: 10 }} />}
        </Space>
      </Button>
    </Dropdown>
  );
}
