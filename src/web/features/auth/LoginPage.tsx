import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Input, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { isAllowedNext, landingPath } from '../../app/routes';
import { type Me, markSessionEstablished, meQueryKey, usePublicInfo } from '../../app/session';
import { DemoBadge } from '../../components/DemoBadge';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { Logo } from '../../components/Logo';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const info = usePublicInfo();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  /** The account has a second factor: the form also asks for the authenticator code (issue #16). */
  const [needCode, setNeedCode] = useState(false);
  const expired = params.get('expired') === '1';
  const next = params.get('next');

  const onFinish = async (values: LoginForm) => {
    setError(null);
    setSubmitting(true);
    try {
      const { user } = await api.post<{ user: Me }>(
        '/auth/login',
        {
          username: values.username.trim(),
          password: values.password,
          ...(needCode && values.totpCode ? { totpCode: values.totpCode.trim() } : {}),
        },
        { skipAuthRedirect: true },
      );
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, user);
      markSessionEstablished();
      if (user.mustChangePassword) navigate('/profile/password', { replace: true });
      else if (user.mfaEnrolmentRequired) navigate('/profile/totp', { replace: true });
      // city and district officials land on their cockpit (issue #21), the others on their first page
      else navigate(isAllowedNext(next) ? next : landingPath(user.permissions), { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'MFA_REQUIRED') {
        setNeedCode(true);
        setError(null);
        return;
      }
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSubmitting(false);
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
      <Card style={{ width: '100%', maxWidth: 400 }} styles={{ body: { padding: 28 } }}>
        <Flex justify="flex-end" style={{ marginTop: -12, marginRight: -12 }}>
          <LanguageSwitch ghost />
        </Flex>
        <Flex vertical align="center" gap={8} style={{ marginBottom: 24 }}>
          <Logo size={52} />
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="product-name">
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          {info.data?.demo ? <DemoBadge /> : null}
        </Flex>
        {expired ? (
          <Alert
            type="warning"
            showIcon
            title={t('auth.expired')}
            style={{ marginBottom: 16 }}
            data-testid="expired-notice"
          />
        ) : null}
        {error ? (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        ) : null}
        <Form<LoginForm> layout="vertical" onFinish={(v) => void onFinish(v)} requiredMark={false} size="large">
          <Form.Item
            name="username"
            label={t('auth.username')}
            rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus maxLength={64} />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('auth.password')}
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" maxLength={256} />
          </Form.Item>
          {needCode ? (
            <>
              <Alert type="info" showIcon title={t('identity.totp.loginPrompt')} style={{ marginBottom: 16 }} />
              <Form.Item
                name="totpCode"
                label={t('identity.totp.code')}
                rules={[
                  { required: true, message: t('identity.totp.codeRequired') },
                  { pattern: /^\d{6}$/, message: t('identity.totp.codeFormat') },
                ]}
              >
                <Input
                  prefix={<SafetyOutlined />}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={6}
                  autoFocus
                  data-testid="login-totp"
                />
              </Form.Item>
            </>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('auth.submit')}
          </Button>
        </Form>
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Link to="/activate" data-testid="activate-link">
            {t('identity.activation.link')}
          </Link>
        </Flex>
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 16, fontSize: 12 }}>
        {t('app.footer', { version: info.data?.version ?? '' })}
      </Typography.Text>
    </Flex>
  );
}
