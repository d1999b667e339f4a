import { KeyOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Result, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';

interface ActivateForm {
  username: string;
  activationCode: string;
  newPassword: string;
  confirm: string;
}

/** Public page: the user turns the one-time activation code into their own password (issue #16). */
export default function ActivatePage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const [error, setError] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const onFinish = async (v: ActivateForm) => {
    setError(null);
    setBusy(true);
    try {
      await api.post(
        '/auth/activate',
        { username: v.username.trim(), activationCode: v.activationCode.trim(), newPassword: v.newPassword },
        { skipAuthRedirect: true },
      );
      setDone(true);
    } catch (e) {
      const violations = isApiError(e) ? (e.details as { violations?: unknown } | null)?.violations : null;
      const msg = isApiError(e) || e instanceof Error ? e.message : t('errors.unknown');
      setError(Array.isArray(violations) ? [msg, ...violations.map(String)] : [msg]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{
        minHeight: '100vh',
        padding: 16,
        background: `linear-gradient(160deg, ${token.colorPrimaryBg} 0%, ${token.colorBgLayout} 55%)`,
      }}
    >
      <Card style={{ width: '100%', maxWidth: 440 }} styles={{ body: { padding: 28 } }}>
        <Flex justify="flex-end" style={{ marginTop: -12, marginRight: -12 }}>
          <LanguageSwitch ghost />
        </Flex>
        <Flex vertical align="center" gap={8} style={{ marginBottom: 16 }}>
          <Logo size={44} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('identity.activation.pageTitle')}
          </Typography.Title>
        </Flex>
        {done ? (
          <Result
            status="success"
            title={t('identity.activation.done')}
            extra={
              <Link to="/login">
                <Button type="primary" data-testid="activate-to-login">
                  {t('identity.activation.back')}
                </Button>
              </Link>
            }
          />
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t('identity.activation.pageIntro')}</Typography.Paragraph>
            {error ? (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                data-testid="activate-error"
                title={error[0]}
                description={error.length > 1 ? error.slice(1).join('；') : undefined}
              />
            ) : null}
            <Form<ActivateForm> layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false}>
              <Form.Item
                name="username"
                label={t('auth.username')}
                rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
              >
                <Input prefix={<UserOutlined />} autoComplete="username" maxLength={64} />
              </Form.Item>
              <Form.Item
                name="activationCode"
                label={t('identity.activation.code')}
                rules={[{ required: true, whitespace: true, message: t('identity.activation.codeRequired') }]}
              >
                <Input prefix={<KeyOutlined />} autoComplete="off" maxLength={64} style={{ fontFamily: 'monospace' }} />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t('identity.activation.newPassword')}
                rules={[{ required: true, message: t('auth.passwordRequired') }]}
              >
                <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={256} />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t('identity.activation.confirmPassword')}
                dependencies={['newPassword']}
                rules={[
                  { required: true, message: t('auth.passwordRequired') },
                  ({ getFieldValue }) => ({
                    validator: (_, v) =>
                      !v || v === getFieldValue('newPassword')
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('identity.activation.mismatch'))),
                  }),
                ]}
              >
                <Input.Password prefix={<LockOutlined />} autoComplete="new-password" maxLength={256} />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} data-testid="activate-submit">
                {t('identity.activation.submit')}
              </Button>
            </Form>
            <Flex justify="center" style={{ marginTop: 12 }}>
              <Link to="/login">{t('identity.activation.back')}</Link>
            </Flex>
          </>
        )}
      </Card>
    </Flex>
  );
}
