/**
 * 通知渠道 (issue #21): the org group robots (region admins), the mail server and webhook allow-list (system
 * admin) and the delivery log (both), as tabs shown by permission.
 */
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Skeleton,
  Switch,
  Table,
  type TableColumnsType,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import { formatDateTime } from '../../components/format';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { usePagedList } from '../../components/usePagedList';
import {
  type ChannelSettings,
  channelSettingsKey,
  type Delivery,
  type NoticeCategory,
  type Robot,
  robotsKey,
} from './api';

const CATEGORIES: NoticeCategory[] = ['supervision', 'deadline', 'workflow', 'system'];
const STATUS_COLORS: Record<Delivery['status'], string> = {
  pending: 'orange',
  sending: 'blue',
  sent: 'green',
  failed: 'red',
};

export default function ChannelsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const tabs = [
    can('notifications:robots')
      ? { key: 'robots', label: t('channels.admin.tabs.robots'), children: <RobotsTab /> }
      : null,
    can('system:manage')
      ? { key: 'settings', label: t('channels.admin.tabs.settings'), children: <SettingsTab /> }
      : null,
    { key: 'log', label: t('channels.admin.tabs.log'), children: <LogTab /> },
  ].filter((x) => x !== null);
  return (
    <PageContainer title={t('channels.admin.title')}>
      <Tabs items={tabs} destroyOnHidden data-testid="channels-tabs" />
    </PageContainer>
  );
}

// ------------------------------------------------------------------ robots

interface RobotForm {
  orgId: string;
  name: string;
  platform: Robot['platform'];
  url?: string;
  secret?: string;
  format: Robot['format'];
  categories: NoticeCategory[];
  enabled: boolean;
}

function RobotsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = usePagedList<Robot>({ key: robotsKey[0], path: '/notifications/robots' });
  const [editing, setEditing] = useState<Robot | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: robotsKey });
  const test = useApiMutation((id: string) => api.post<{ deliveryId: string }>(`/notifications/robots/${id}/test`), {
    onSuccess: () => void message.success(t('channels.robots.testQueued')),
  });
  const remove = useApiMutation((id: string) => api.delete(`/notifications/robots/${id}`), {
    onSuccess: async () => {
      void message.success(t('channels.robots.deleted'));
      await refresh();
    },
  });

  const columns: TableColumnsType<Robot> = [
    {
      title: t('channels.robots.name'),
      key: 'name',
      render: (_, r) => (
        <Flex vertical>
          <Typography.Text strong>{r.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {r.orgName}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('channels.robots.platform'),
      key: 'platform',
      render: (_, r) => (
        <Flex gap={4} wrap>
          <Tag color={r.platform === 'dingtalk' ? 'blue' : 'green'}>{t(`channels.robots.platforms.${r.platform}`)}</Tag>
          {r.platform === 'dingtalk' ? (
            <Tag>{r.hasSecret ? t('channels.robots.signed') : t('channels.robots.unsigned')}</Tag>
          ) : null}
          {r.enabled ? null : <Tag color="default">{t('channels.robots.disabled')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('channels.robots.url'),
      dataIndex: 'urlMasked',
      key: 'url',
      render: (v: string) => (
        <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('channels.robots.categories'),
      key: 'categories',
      render: (_, r) => (
        <Flex gap={4} wrap>
          {r.categories.map((c) => (
            <Tag key={c}>{t(`channels.categories.${c}`)}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => (
        <Flex gap={4} wrap>
          <Tooltip title={t('channels.robots.edit')}>
            <Button
              size="small"
              icon={<EditOutlined />}
              aria-label={t('channels.robots.edit')}
              onClick={() => setEditing(r)}
            />
          </Tooltip>
          <Button
            size="small"
            icon={<SendOutlined />}
            loading={test.isPending && test.variables === r.id}
            onClick={() => test.mutate(r.id)}
          >
            {t('channels.robots.test')}
          </Button>
          <Popconfirm
            title={t('channels.robots.deleteConfirm', { name: r.name })}
            onConfirm={() => remove.mutate(r.id)}
          >
            <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('channels.robots.delete')} />
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <Card>
      <Flex justify="space-between" align="start" gap={12} wrap style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, flex: '1 1 320px' }}>
          {t('channels.robots.intro')}
        </Typography.Paragraph>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="robot-add">
          {t('channels.robots.add')}
        </Button>
      </Flex>
      {list.query.isError && !list.query.data ? (
        <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<Robot>
          rowKey="id"
          columns={columns}
          {...list.tableProps}
          locale={{ emptyText: t('channels.robots.empty') }}
          data-testid="robots-table"
        />
      )}
      {editing ? (
        <RobotModal
          robot={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            void message.success(t('channels.robots.saved'));
            await refresh();
          }}
        />
      ) : null}
    </Card>
  );
}

function RobotModal({
  robot,
  onClose,
  onSaved,
}: {
  robot: Robot | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RobotForm>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const platform = Form.useWatch('platform', form) ?? robot?.platform ?? 'dingtalk';
  const orgs = useQuery({
    queryKey: ['orgs', 'robot-picker'],
    queryFn: ({ signal }) => api.get<Paged<{ id: string; name: string }>>('/orgs', { pageSize: 200 }, signal),
    enabled: !robot,
  });

  const submit = async (v: RobotForm) => {
    setError(null);
    setSaving(true);
    try {
      const body = {
        name: v.name,
        platform: v.platform,
        format: v.format,
        categories: v.categories,
        enabled: v.enabled,
        ...(v.url ? { url: v.url.trim() } : {}),
        ...(v.platform === 'dingtalk' && v.secret ? { secret: v.secret.trim() } : {}),
        ...(robot && v.platform !== 'dingtalk' && robot.hasSecret ? { secret: null } : {}),
      };
      if (robot) await api.put(`/notifications/robots/${robot.id}`, body);
      else await api.post('/notifications/robots', { ...body, orgId: v.orgId });
      await onSaved();
    } catch (e) {
      if (isApiError(e) && e.code === 'WEBHOOK_HOST_NOT_ALLOWED')
        form.setFields([{ name: 'url', errors: [e.message] }]);
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={robot ? t('channels.robots.edit') : t('channels.robots.add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      destroyOnHidden
      width={600}
    >
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="robot-error" />
      ) : null}
      <Form<RobotForm>
        form={form}
        layout="vertical"
        name="robot"
        initialValues={{
          name: robot?.name,
          platform: robot?.platform ?? 'dingtalk',
          format: robot?.format ?? 'markdown',
          categories: robot?.categories ?? ['supervision', 'deadline'],
          enabled: robot?.enabled ?? true,
        }}
        onFinish={(v) => void submit(v)}
      >
        {robot ? (
          <Form.Item label={t('channels.robots.org')}>
            <Typography.Text>{robot.orgName}</Typography.Text>
          </Form.Item>
        ) : (
          <Form.Item
            name="orgId"
            label={t('channels.robots.org')}
            rules={[{ required: true, message: t('channels.robots.required') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              loading={orgs.isLoading}
              placeholder={t('channels.robots.orgPlaceholder')}
              options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              data-testid="robot-org"
            />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={t('channels.robots.name')}
          rules={[{ required: true, whitespace: true, max: 60, message: t('channels.robots.required') }]}
        >
          <Input placeholder={t('channels.robots.namePlaceholder')} data-testid="robot-name" />
        </Form.Item>
        <Form.Item name="platform" label={t('channels.robots.platform')}>
          <Radio.Group
            optionType="button"
            options={(['dingtalk', 'wecom'] as const).map((p) => ({
              value: p,
              label: t(`channels.robots.platforms.${p}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('channels.robots.url')}
          extra={robot ? `${robot.urlMasked} — ${t('channels.robots.urlKeep')}` : undefined}
          rules={robot ? [] : [{ required: true, message: t('channels.robots.required') }]}
        >
          <Input
            placeholder={
              platform === 'dingtalk'
                ? t('channels.robots.urlPlaceholderDingtalk')
                : t('channels.robots.urlPlaceholderWecom')
            }
            data-testid="robot-url"
          />
        </Form.Item>
        {platform === 'dingtalk' ? (
          <Form.Item name="secret" label={t('channels.robots.secret')} extra={t('channels.robots.secretHelp')}>
            <Input.Password
              autoComplete="new-password"
              placeholder={robot?.hasSecret ? t('channels.robots.secretSet') : 'SEC…'}
              data-testid="robot-secret"
            />
          </Form.Item>
        ) : null}
        <Form.Item name="format" label={t('channels.robots.format')}>
          <Radio.Group
            options={(['markdown', 'text'] as const).map((f) => ({
              value: f,
              label: t(`channels.robots.formats.${f}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="categories" label={t('channels.robots.categories')}>
          <Checkbox.Group options={CATEGORIES.map((c) => ({ value: c, label: t(`channels.categories.${c}`) }))} />
        </Form.Item>
        <Form.Item name="enabled" label={t('channels.robots.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ------------------------------------------------------------------ settings (system admin)

interface SettingsForm {
  smtpEnabled: boolean;
  host?: string;
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  username?: string;
  password?: string;
  from?: string;
  allowList: string;
  publicBaseUrl?: string;
  backoffBaseSeconds: number;
  maxAttempts: number;
}

function SettingsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SettingsForm>();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const smtpEnabled = Form.useWatch('smtpEnabled', form);
  const settings = useQuery({
    queryKey: channelSettingsKey,
    queryFn: ({ signal }) => api.get<ChannelSettings>('/notifications/channel-settings', undefined, signal),
  });

  useEffect(() => {
    const s = settings.data;
    if (!s) return;
    form.setFieldsValue({
      smtpEnabled: !!s.smtp,
      host: s.smtp?.host,
      port: s.smtp?.port ?? 465,
      security: s.smtp?.security ?? 'tls',
      username: s.smtp?.username ?? undefined,
      password: undefined,
      from: s.smtp?.from,
      allowList: s.allowList.join('\n'),
      publicBaseUrl: s.publicBaseUrl ?? undefined,
      backoffBaseSeconds: s.backoffBaseSeconds,
      maxAttempts: s.maxAttempts,
    });
  }, [settings.data, form]);

  const submit = async (v: SettingsForm) => {
    setError(null);
    setSaving(true);
    try {
      const saved = await api.put<ChannelSettings>('/notifications/channel-settings', {
        smtp: v.smtpEnabled
          ? {
              host: v.host?.trim(),
              port: v.port,
              security: v.security,
              username: v.username?.trim() || null,
              ...(v.password ? { password: v.password } : {}),
              from: v.from?.trim(),
            }
          : null,
        allowList: v.allowList
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean),
        publicBaseUrl: v.publicBaseUrl?.trim() || null,
        backoffBaseSeconds: v.backoffBaseSeconds,
        maxAttempts: v.maxAttempts,
      });
      queryClient.setQueryData(channelSettingsKey, saved);
      void message.success(t('channels.settings.saved'));
    } catch (e) {
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSaving(false);
    }
  };

  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Skeleton active />;
  const required = [{ required: true, message: t('channels.robots.required') }];
  return (
    <Card style={{ maxWidth: 880 }}>
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form<SettingsForm> form={form} layout="vertical" name="channel-settings" onFinish={(v) => void submit(v)}>
        <Typography.Title level={5}>{t('channels.settings.smtp')}</Typography.Title>
        <Form.Item name="smtpEnabled" label={t('channels.settings.smtpEnabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {smtpEnabled ? (
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="host" label={t('channels.settings.host')} rules={required}>
                <Input placeholder="smtp.example.gov.cn" />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="port" label={t('channels.settings.port')} rules={required}>
                <InputNumber min={1} max={65535} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="security" label={t('channels.settings.security')} rules={required}>
                <Select
                  options={(['tls', 'starttls', 'none'] as const).map((s) => ({
                    value: s,
                    label: t(`channels.settings.securities.${s}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="username" label={t('channels.settings.username')}>
                <Input autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="password" label={t('channels.settings.password')}>
                <Input.Password
                  autoComplete="new-password"
                  placeholder={settings.data.smtp?.hasPassword ? t('channels.settings.passwordKeep') : undefined}
                />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="from" label={t('channels.settings.from')} rules={required}>
                <Input placeholder={t('channels.settings.fromPlaceholder')} />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
        <Form.Item
          name="allowList"
          label={t('channels.settings.allowList')}
          extra={t('channels.settings.allowListHelp')}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} data-testid="allow-list" />
        </Form.Item>
        <Form.Item
          name="publicBaseUrl"
          label={t('channels.settings.publicBaseUrl')}
          extra={t('channels.settings.publicBaseUrlHelp')}
        >
          <Input placeholder="https://miaopu.example.gov.cn" />
        </Form.Item>
        <Typography.Title level={5}>{t('channels.settings.retries')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="backoffBaseSeconds"
              label={t('channels.settings.backoff')}
              extra={t('channels.settings.backoffHelp')}
            >
              <InputNumber min={1} max={3600} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="maxAttempts" label={t('channels.settings.maxAttempts')}>
              <InputNumber min={1} max={10} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="channel-settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}

// ------------------------------------------------------------------ delivery log

function LogTab() {
  const { t } = useTranslation();
  const list = usePagedList<Delivery>({ key: 'notification-deliveries', path: '/notifications/deliveries' });
  const filters = list.state.filters;
  const set = (k: string, v: string | undefined) => list.setFilters({ ...filters, [k]: v });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);

  const columns: TableColumnsType<Delivery> = [
    {
      title: t('channels.log.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (v: string) => formatDateTime(v),
    },
    {
      title: t('channels.log.channel'),
      key: 'channel',
      render: (_, d) => (
        <Flex gap={4} wrap>
          <Tag>{t(`channels.log.channels.${d.channel}`)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(`channels.log.purposes.${d.purpose}`)}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('channels.log.target'),
      dataIndex: 'targetMasked',
      key: 'target',
      render: (v: string, d) => (
        <Flex vertical>
          <Typography.Text style={{ wordBreak: 'break-all', fontSize: 12 }}>{v}</Typography.Text>
          {d.subject ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 320 }} ellipsis={{ tooltip: d.subject }}>
              {d.subject}
            </Typography.Text>
          ) : null}
        </Flex>
      ),
    },
    {
      title: t('channels.log.status'),
      key: 'status',
      render: (_, d) => (
        <Flex vertical gap={2}>
          <span>
            <Tag color={d.status === 'pending' && d.attempts === 0 ? 'blue' : STATUS_COLORS[d.status]}>
              {t(`channels.log.statuses.${d.status === 'pending' && d.attempts === 0 ? 'queued' : d.status}`)}
            </Tag>
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('channels.log.attempts')} {d.attempts}/{d.maxAttempts}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('channels.log.lastError'),
      key: 'lastError',
      render: (_, d) =>
        d.lastError ? (
          <Flex vertical gap={2} style={{ maxWidth: 280 }}>
            <Typography.Text type={d.status === 'failed' ? 'danger' : 'warning'} style={{ fontSize: 12 }}>
              {d.lastError}
            </Typography.Text>
            {d.nextAttemptAt ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('channels.log.nextAttemptAt')} {formatDateTime(d.nextAttemptAt)}
              </Typography.Text>
            ) : null}
          </Flex>
        ) : (
          '—'
        ),
    },
    {
      title: t('channels.log.sentAt'),
      dataIndex: 'sentAt',
      key: 'sentAt',
      render: (v: string | null) => formatDateTime(v),
    },
  ];

  const option = (prefix: string, values: readonly string[]) =>
    values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }));

  return (
    <Card>
      <Flex gap={8} wrap style={{ marginBottom: 12 }} data-testid="delivery-filters">
        <Select
          style={{ width: 130 }}
          allowClear
          placeholder={t('channels.log.channel')}
          value={(filters.channel as string | undefined) ?? undefined}
          onChange={(v) => set('channel', v || undefined)}
          options={option('channels.log.channels', ['email', 'dingtalk', 'wecom'])}
          aria-label={t('channels.log.channel')}
        />
        <Select
          style={{ width: 130 }}
          allowClear
          placeholder={t('channels.log.status')}
          value={(filters.status as string | undefined) ?? undefined}
          onChange={(v) => set('status', v || undefined)}
          options={option('channels.log.statuses', ['pending', 'sending', 'sent', 'failed'])}
          aria-label={t('channels.log.status')}
        />
        <Select
          style={{ width: 110 }}
          allowClear
          placeholder={t('channels.log.purpose')}
          value={(filters.purpose as string | undefined) ?? undefined}
          onChange={(v) => set('purpose', v || undefined)}
          options={option('channels.log.purposes', ['notice', 'digest', 'test'])}
          aria-label={t('channels.log.purpose')}
        />
        <DatePicker.RangePicker
          value={range}
          onChange={(r) => {
            setRange(r);
            list.setFilters({
              ...filters,
              from: r?.[0]?.format('YYYY-MM-DD'),
              to: r?.[1]?.format('YYYY-MM-DD'),
            });
          }}
          aria-label={t('channels.log.dateRange')}
          style={{ maxWidth: 260 }}
        />
        <Input.Search
          allowClear
          placeholder={t('channels.log.search')}
          style={{ width: 200 }}
          onSearch={(q) => set('q', q.trim() || undefined)}
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.query.refetch()} aria-label={t('common.refresh')} />
      </Flex>
      {list.query.isError && !list.query.data ? (
        <QueryError error={list.query.error} onRetry={() => void list.query.refetch()} />
      ) : (
        <Table<Delivery> rowKey="id" columns={columns} {...list.tableProps} data-testid="deliveries-table" />
      )}
    </Card>
  );
}
