import { KeyOutlined, PlusOutlined, SafetyOutlined, StopOutlined, UnlockOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES } from '../../../domain/access.ts';
import { api } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { usePagedList } from '../../components/usePagedList';
import { ActivationCodeModal } from './ActivationCodeModal';
import type { Activation, UserRow } from './api';
import { CreateUserModal } from './CreateUserModal';
import { GrantModal } from './GrantModal';

interface Filters {
  q?: string;
  role?: string;
  status?: string;
}

export default function UsersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useSession();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Filters>();
  const [creating, setCreating] = useState(false);
  const list = usePagedList<UserRow>({ key: 'users', path: '/users', defaultSort: { sort: 'username', order: 'asc' } });
  const canManage = can('users:manage');
  const canGrant = can('users:grant');
  const [granting, setGranting] = useState<UserRow | null>(null);
  const [activation, setActivation] = useState<(Activation & { username: string; displayName: string }) | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const confirmStatus = (user: UserRow) => {
    const disabling = user.status === 'active';
    modal.confirm({
      title: disabling ? t('users.disableTitle') : t('users.enableTitle'),
      content: t(disabling ? 'users.disableConfirm' : 'users.enableConfirm', {
        name: user.displayName,
        username: user.username,
      }),
      okText: disabling ? t('users.disable') : t('users.enable'),
      okButtonProps: { danger: disabling },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.patch(`/users/${encodeURIComponent(user.id)}`, { status: disabling ? 'disabled' : 'active' });
          void message.success(disabling ? t('users.disabled') : t('users.enabled'));
          await refresh();
        } catch (e) {
          void message.error(e instanceof Error ? e.message : t('errors.unknown'));
        }
      },
    });
  };

  const confirmReset = (user: UserRow) => {
    modal.confirm({
      title: t('identity.users.resetTitle'),
      content: t('identity.users.resetConfirm', { name: user.displayName, username: user.username }),
      okText: t('identity.users.reset'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const a = await api.post<Activation>(`/users/${encodeURIComponent(user.id)}/reset-password`, {});
          setActivation({ ...a, username: user.username, displayName: user.displayName });
          await refresh();
        } catch (e) {
          void message.error(e instanceof Error ? e.message : t('errors.unknown'));
        }
      },
    });
  };

  const confirmTotpReset = (user: UserRow) => {
    modal.confirm({
      title: t('identity.users.totpReset'),
      content: t('identity.users.totpResetConfirm', { name: user.displayName, username: user.username }),
      okText: t('identity.users.totpReset'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.post(`/users/${encodeURIComponent(user.id)}/totp-reset`, {});
          void message.success(t('identity.users.totpResetDone'));
          await refresh();
        } catch (e) {
          void message.error(e instanceof Error ? e.message : t('errors.unknown'));
        }
      },
    });
  };

  const columns: TableColumnsType<UserRow> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      key: 'username',
      sorter: true,
      sortOrder: list.sortOrderOf('username'),
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    {
      title: t('users.displayName'),
      dataIndex: 'displayName',
      key: 'displayName',
      sorter: true,
      sortOrder: list.sortOrderOf('displayName'),
    },
    {
      title: t('users.role'),
      dataIndex: 'role',
      key: 'role',
      sorter: true,
      sortOrder: list.sortOrderOf('role'),
      render: (role: string) => <Tag color={role === 'pending' ? 'orange' : 'green'}>{t(`roles.${role}`, role)}</Tag>,
    },
    { title: t('users.org'), dataIndex: 'orgName', key: 'orgName', render: (v: string | null) => v ?? '—' },
    {
      title: t('users.scopeRegion'),
      dataIndex: 'scopeRegionCode',
      key: 'scopeRegionCode',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('users.status'),
      dataIndex: 'status',
      key: 'status',
      render: (_: unknown, u) => (
        <>
          <Tag color={u.status === 'active' ? 'success' : 'default'}>{t(`users.statuses.${u.status}`, u.status)}</Tag>
          {u.activationPending ? <Tag color="warning">{t('identity.users.pending')}</Tag> : null}
          {u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now() ? (
            <Tag color="error">{t('users.locked')}</Tag>
          ) : null}
        </>
      ),
    },
    {
      title: t('identity.users.totp'),
      dataIndex: 'totpEnabled',
      key: 'totpEnabled',
      render: (v: boolean) => (
        <Tag color={v ? 'blue' : 'default'}>{v ? t('identity.users.totpOn') : t('identity.users.totpOff')}</Tag>
      ),
    },
    {
      title: t('users.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      key: 'lastLoginAt',
      sorter: true,
      sortOrder: list.sortOrderOf('lastLoginAt'),
      render: (v: string | null) => formatDateTime(v),
    },
  ];
  if (canManage || canGrant) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, u) =>
        u.id === me.id ? null : (
          <Space size={4} wrap>
            {canGrant ? (
              <Button
                size="small"
                type="primary"
                ghost
                icon={<SafetyOutlined />}
                onClick={() => setGranting(u)}
                data-testid={`grant-${u.username}`}
              >
                {t('identity.users.grant')}
              </Button>
            ) : null}
            {canGrant && u.totpEnabled ? (
              <Button size="small" onClick={() => confirmTotpReset(u)}>
                {t('identity.users.totpReset')}
              </Button>
            ) : null}
            {canManage ? (
              <Button size="small" icon={<KeyOutlined />} onClick={() => confirmReset(u)}>
                {t('identity.users.reset')}
              </Button>
            ) : null}
            {canManage ? (
              u.status === 'active' ? (
                <Button size="small" danger icon={<StopOutlined />} onClick={() => confirmStatus(u)}>
                  {t('users.disable')}
                </Button>
              ) : (
                <Button size="small" icon={<UnlockOutlined />} onClick={() => confirmStatus(u)}>
                  {t('users.enable')}
                </Button>
              )
            ) : null}
          </Space>
        ),
    });
  }

  return (
    <PageContainer
      title={t('nav.users')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">
            {t('users.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <Form<Filters>
          form={form}
          name="userFilters"
          layout="inline"
          onFinish={(v) => list.setFilters({ q: v.q?.trim(), role: v.role, status: v.status })}
          style={{ rowGap: 12, marginBottom: 16 }}
        >
          <Form.Item name="q">
            <Input allowClear placeholder={t('users.searchPlaceholder')} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="role">
            <Select
              allowClear
              placeholder={t('users.role')}
              style={{ width: 160 }}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
          <Form.Item name="status">
            <Select
              allowClear
              placeholder={t('users.status')}
              style={{ width: 120 }}
              options={[
                { value: 'active', label: t('users.statuses.active') },
                { value: 'disabled', label: t('users.statuses.disabled') },
              ]}
            />
          </Form.Item>
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
          <Table<UserRow> rowKey="id" columns={columns} {...list.tableProps} data-testid="users-table" />
        )}
      </Card>
      {canManage ? (
        <CreateUserModal
          open={creating}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setActivation({ ...created, username: created.user.username, displayName: created.user.displayName });
            void message.success(t('users.created'));
            void refresh();
          }}
        />
      ) : null}
      {canGrant ? (
        <GrantModal
          user={granting}
          onClose={() => setGranting(null)}
          onGranted={() => {
            setGranting(null);
            void message.success(t('identity.users.granted'));
            void refresh();
          }}
        />
      ) : null}
      <ActivationCodeModal value={activation} onClose={() => setActivation(null)} />
    </PageContainer>
  );
}
