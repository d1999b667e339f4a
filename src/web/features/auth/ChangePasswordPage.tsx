import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { useSession } from '../../app/guards';
import { landingPath } from '../../app/routes';
import { meQueryKey } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

function violationsOf(details: unknown): string[] {
  const v = (details as { violations?: unknown } | null)?.violations;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordForm>();
  const [error, setError] = useState<{ message: string; violations: string[] } | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const onFinish = async (values: PasswordForm) => {
    setError(null);
    setSubmitting(true);
    try {
      await api.post('/auth/change-password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.resetFields();
      void message.success(t('password.changed'));
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      if (me.mustChangePassword) navigate(landingPath(me.permissions), { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'WRONG_PASSWORD') {
        form.setFields([{ name: 'currentPassword', errors: [e.message] }]);
      } else if (isApiError(e)) {
        setError({ message: e.message, violations: violationsOf(e.details) });
      } else {
        setError({ message: t('errors.unknown'), violations: [] });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <PageContainer title={t('nav.password')}>
      <Card style={{ maxWidth: 520 }}>
        {me.mustChangePassword ? (
          <Alert type="warning" showIcon title={t('password.mustChange')} style={{ marginBottom: 16 }} />
        ) : null}
        {error ? (
          <Alert
            type="error"
            showIcon
            title={error.message}
            description={
              error.violations.length ? (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {error.violations.map((v) => (
                    <li key={v}>{v}</li>
                  ))}
                </ul>
              ) : undefined
            }
            style={{ marginBottom: 16 }}
            data-testid="password-error"
          />
        ) : null}
        <Form<PasswordForm> form={form} name="changePassword" layout="vertical" onFinish={(v) => void onFinish(v)}>
          <Form.Item
            name="currentPassword"
            label={t('password.current')}
            rules={[{ required: true, message: t('password.currentRequired') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('password.new')}
            extra={t('password.hint')}
            rules={[
              { required: true, message: t('password.newRequired') },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  value && value === getFieldValue('currentPassword')
                    ? Promise.reject(new Error(t('password.sameAsCurrent')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="confirmPassword"
            label={t('password.confirm')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('password.confirmRequired') },
              ({ getFieldValue }) => ({
                validator: (_, value: string | undefined) =>
                  !value || value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('password.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {t('password.submit')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
