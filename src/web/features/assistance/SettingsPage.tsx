import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Divider,
  Flex,
  Form,
  InputNumber,
  Radio,
  Select,
  Skeleton,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrorsOf } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useApiMutation } from '../../components/useApiMutation';
import { type AssistanceSettings, assistanceKey, useSettings } from './api';
import { useCategoryLabel } from './ui';

const SETTING_KEYS = [
  'deadlineProfile',
  'disputeWindowDays',
  'extensionLeadDays',
  'confirmWindowDays',
  'visitCapPerMonth',
  'countBasicallySatisfied',
  'resolutionRequiresConfirmation',
  'minRankingSample',
] as const;

/**
 * Settings of 万人助万企 for the caller's region: the deadline profile (焦作 13710 by default, calendar or working
 * days), dispute window, extension lead time, the escalation (督办) ladder, the visit cap, how satisfaction and
 * resolution are counted, the ranking's minimum sample, and each category's default handling department.
 */
export default function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const settings = useSettings();
  const [form] = Form.useForm<AssistanceSettings>();
  const { categories, label } = useCategoryLabel();
  const orgs = useQuery({
    queryKey: ['orgs', 'all-for-assistance'],
    queryFn: ({ signal }) => api.get<{ items: { id: string; name: string }[] }>('/orgs', { pageSize: 100 }, signal),
    staleTime: 5 * 60_000,
  });
  // the caller's org list may not reach the city's bureaus: the categories' default departments carry their names
  const orgNames = new Map<string, string>();
  for (const c of categories) if (c.defaultOrgId) orgNames.set(c.defaultOrgId, c.defaultOrgName ?? c.defaultOrgId);
  for (const o of orgs.data?.items ?? []) orgNames.set(o.id, o.name);
  const orgOptions = [...orgNames].map(([value, label]) => ({ value, label }));

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  // The server's schema is strict: send exactly the settings' own keys.
  const save = useApiMutation(
    (v: AssistanceSettings) => {
      const { categoryOrgs, escalationLadder, ...rest } = { ...settings.data, ...v };
      const body: Record<string, unknown> = {};
      for (const key of SETTING_KEYS) body[key] = (rest as Record<string, unknown>)[key];
      body.escalationLadder = (escalationLadder ?? []).map((s) => ({
        afterDays: s.afterDays,
        level: s.level,
        ...(s.notifyRole ? { notifyRole: s.notifyRole } : {}),
        ...(s.notifyOrgId ? { notifyOrgId: s.notifyOrgId } : {}),
      }));
      body.categoryOrgs = Object.fromEntries(
        Object.entries(categoryOrgs ?? {}).map(([code, org]) => [code, org ?? null]),
      );
      return api.put<AssistanceSettings>('/assistance/settings', body);
    },
    {
      onSuccess: () => {
        void message.success(t('common.saved'));
        void queryClient.invalidateQueries({ queryKey: assistanceKey });
      },
      onError: (error) => {
        const fields = fieldErrorsOf(error);
        if (!fields.length) return false;
        form.setFields(fields.map((f) => ({ name: f.name.split('.') as never, errors: [f.message] })));
        return true;
      },
    },
  );

  if (settings.error) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!settings.data) return <Skeleton active />;
  const days = (name: (string | number)[], labelKey: string, min = 0) => (
    <Form.Item name={name} label={t(labelKey)} rules={[{ required: true }]}>
      <InputNumber min={min} max={365} precision={0} style={{ width: 140 }} />
    </Form.Item>
  );

  return (
    <PageContainer title={t('assistance.settings.title')}>
      <Form<AssistanceSettings>
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        style={{ maxWidth: 860 }}
      >
        <Card size="small" title={t('assistance.settings.deadlines')}>
          <Typography.Paragraph type="secondary">{t('assistance.settings.deadlinesHint')}</Typography.Paragraph>
          <Flex gap={16} wrap>
            {days(['deadlineProfile', 'assignWithinDays'], 'assistance.settings.assignWithinDays')}
            {days(['deadlineProfile', 'firstFeedbackDays'], 'assistance.settings.firstFeedbackDays')}
            {days(['deadlineProfile', 'ordinaryDays'], 'assistance.settings.ordinaryDays', 1)}
            {days(['deadlineProfile', 'complexDays'], 'assistance.settings.complexDays', 1)}
          </Flex>
          <Form.Item name={['deadlineProfile', 'mode']} label={t('assistance.settings.mode')}>
            <Radio.Group
              options={[
                { value: 'calendar', label: t('assistance.settings.calendarDays') },
                { value: 'working', label: t('assistance.settings.workingDays') },
              ]}
            />
          </Form.Item>
          <Flex gap={16} wrap>
            {days(['disputeWindowDays'], 'assistance.settings.disputeWindowDays')}
            {days(['extensionLeadDays'], 'assistance.settings.extensionLeadDays', 1)}
            {days(['confirmWindowDays'], 'assistance.settings.confirmWindowDays')}
          </Flex>
        </Card>
        <Card size="small" title={t('assistance.settings.escalation')} style={{ marginTop: 12 }}>
          <Form.List name="escalationLadder">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item
                      name={[f.name, 'afterDays']}
                      label={t('assistance.settings.afterDays')}
                      rules={[{ required: true }]}
                    >
                      <InputNumber min={0} max={365} precision={0} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'level']}
                      label={t('assistance.settings.level')}
                      rules={[{ required: true }]}
                    >
                      <InputNumber min={1} max={9} precision={0} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'notifyRole']} label={t('assistance.settings.notifyRole')}>
                      <Select
                        allowClear
                        style={{ width: 160 }}
                        options={['district_admin', 'city_admin'].map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'notifyOrgId']} label={t('assistance.settings.notifyOrg')}>
                      <Select
                        allowClear
                        showSearch={{ optionFilterProp: 'label' }}
                        style={{ width: 220 }}
                        options={orgOptions}
                      />
                    </Form.Item>
                    <MinusCircleOutlined
                      onClick={() => remove(f.name)}
                      aria-label={t('assistance.settings.removeStep')}
                    />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  style={{ display: 'flex' }}
                  onClick={() => add({ afterDays: 1, level: fields.length + 1 })}
                >
                  {t('assistance.settings.addStep')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Card size="small" title={t('assistance.settings.visitsAndKpis')} style={{ marginTop: 12 }}>
          <Flex gap={16} wrap>
            {days(['visitCapPerMonth'], 'assistance.settings.visitCapPerMonth', 1)}
            {days(['minRankingSample'], 'assistance.settings.minRankingSample', 1)}
          </Flex>
          <Form.Item
            name="countBasicallySatisfied"
            label={t('assistance.settings.countBasicallySatisfied')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
          <Form.Item
            name="resolutionRequiresConfirmation"
            label={t('assistance.settings.resolutionRequiresConfirmation')}
            valuePropName="checked"
          >
            <Switch />
          </Form.Item>
        </Card>
        <Card size="small" title={t('assistance.settings.categories')} style={{ marginTop: 12 }}>
          {categories.map((c) => (
            <Form.Item key={c.code} name={['categoryOrgs', c.code]} label={label(c.code)}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                style={{ maxWidth: 360 }}
                options={orgOptions}
                placeholder={c.defaultOrgName ?? undefined}
              />
            </Form.Item>
          ))}
        </Card>
        <Divider />
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="settings-save">
          {t('common.save')}
        </Button>
      </Form>
    </PageContainer>
  );
}
