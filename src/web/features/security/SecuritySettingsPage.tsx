import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Skeleton, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrorsOf, isApiError } from '../../app/api';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';

export interface SecuritySettings {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordMaxAgeDays: number;
  passwordHistory: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  absoluteSessionHours?: number;
  /** Second factor required for government and admin roles (issue #16). */
  totpRequiredForStaff?: boolean;
}

type Field = Exclude<keyof SecuritySettings, 'totpRequiredForStaff'>;

/** Bounds the form enforces; the server has the final word. */
const FIELDS: { name: Field; min: number; max: number; unit?: string }[] = [
  { name: 'passwordMinLength', min: 8, max: 64, unit: 'chars' },
  { name: 'passwordMinClasses', min: 1, max: 4, unit: 'classes' },
  { name: 'passwordMaxAgeDays', min: 0, max: 365, unit: 'days' },
  { name: 'passwordHistory', min: 0, max: 24, unit: 'times' },
  { name: 'lockoutThreshold', min: 3, max: 20, unit: 'times' },
  { name: 'lockoutMinutes', min: 1, max: 1440, unit: 'minutes' },
  { name: 'idleTimeoutMinutes', min: 5, max: 240, unit: 'minutes' },
  { name: 'absoluteSessionHours', min: 1, max: 24, unit: 'hours' },
];

const key = ['settings', 'security'] as const;

export default function SecuritySettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SecuritySettings>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<SecuritySettings>('/settings/security', undefined, signal),
  });

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const onFinish = async (values: SecuritySettings) => {
    setError(null);
    setSaving(true);
    try {
      // Send back every setting the server has, changed or not (the server rejects partial bodies).
      const saved = await api.put<SecuritySettings>('/settings/security', { ...settings.data, ...values });
      if (saved && typeof saved === 'object') queryClient.setQueryData(key, saved);
      else await queryClient.invalidateQueries({ queryKey: key });
      void message.success(t('common.saved'));
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (fields.length) form.setFields(fields.map((f) => ({ name: f.name as Field, errors: [f.message] })));
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSaving(false);
    }
  };

  if (settings.isError) {
    return (
      <PageContainer title={t('nav.security')}>
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} />
      </PageContainer>
    );
  }

  return (
    <PageContainer title={t('nav.security')}>
      <Card style={{ maxWidth: 880 }}>
        {settings.isLoading ? (
          <Skeleton active />
        ) : (
          <>
            {error ? (
              <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="security-error" />
            ) : null}
            <Form<SecuritySettings> form={form} name="security" layout="vertical" onFinish={(v) => void onFinish(v)}>
              <Row gutter={24}>
                {FIELDS.filter((f) => !settings.data || f.name in settings.data).map((f) => (
                  <Col xs={24} md={12} key={f.name}>
                    <Form.Item
                      name={f.name}
                      label={t(`security.${f.name}`)}
                      extra={t(`security.${f.name}Help`)}
                      rules={[
                        { required: true, message: t('security.required') },
                        {
                          type: 'number',
                          min: f.min,
                          max: f.max,
                          message: t('security.range', { min: f.min, max: f.max }),
                        },
                      ]}
                    >
                      <InputNumber
                        min={f.min}
                        max={f.max}
                        precision={0}
                        style={{ width: '100%' }}
                        suffix={f.unit ? t(`security.units.${f.unit}`) : undefined}
                      />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              {settings.data && 'totpRequiredForStaff' in settings.data ? (
                <Form.Item
                  name="totpRequiredForStaff"
                  label={t('identity.totp.policyLabel')}
                  extra={t('identity.totp.policyHelp')}
                  valuePropName="checked"
                >
                  <Switch data-testid="security-totp-required" />
                </Form.Item>
              ) : null}
              <Button type="primary" htmlType="submit" loading={saving} data-testid="security-save">
                {t('common.save')}
              </Button>
              <Button
                style={{ marginInlineStart: 8 }}
                onClick={() => settings.data && form.setFieldsValue(settings.data)}
              >
                {t('common.reset')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </PageContainer>
  );
}
