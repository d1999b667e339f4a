import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../app/api';
import { useSession } from '../../app/guards';
import { meQueryKey } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';

interface Setup {
  secret: string;
  uri: string;
  qrSvg: string;
}

const CODE_RULES = (t: (k: string) => string) => [
  { required: true, message: t('identity.totp.codeRequired') },
  { pattern: /^\d{6}$/, message: t('identity.totp.codeFormat') },
];

/** The user's own second factor (issue #16): enrol with a QR code (drawn by the server, offline) and a first code. */
export default function TotpPage() {
  const { t } = useTranslation();
  const me = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  const start = () => run(async () => setSetup(await api.post<Setup>('/auth/totp/setup')));
  const confirm = (v: { code: string }) =>
    run(async () => {
      await api.post('/auth/totp/confirm', { code: v.code.trim() });
      setSetup(null);
      void message.success(t('identity.totp.enrolled'));
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    });
  const disable = (v: { code: string }) =>
    run(async () => {
      await api.post('/auth/totp/disable', { code: v.code.trim() });
      void message.success(t('identity.totp.disabled'));
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
    });

  return (
    <PageContainer title={t('identity.totp.title')}>
      <Card style={{ maxWidth: 720 }}>
        <Typography.Paragraph>{t('identity.totp.intro')}</Typography.Paragraph>
        {me.mfaEnrolmentRequired ? (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('identity.totp.required')} />
        ) : null}
        {error ? (
          <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} data-testid="totp-error" />
        ) : null}
        {me.totpEnabled ? (
          <>
            <Result
              status="success"
              icon={<SafetyCertificateOutlined />}
              title={t('identity.totp.statusOn')}
              style={{ padding: '16px 0' }}
            />
            {!me.totpRequired ? (
              <Form layout="inline" onFinish={(v) => void disable(v)}>
                <Typography.Text type="secondary" style={{ marginRight: 12 }}>
                  {t('identity.totp.disableIntro')}
                </Typography.Text>
                <Form.Item name="code" rules={CODE_RULES(t)}>
                  <Input
                    placeholder={t('identity.totp.code')}
                    maxLength={6}
                    inputMode="numeric"
                    style={{ width: 140 }}
                  />
                </Form.Item>
                <Button danger htmlType="submit" loading={busy}>
                  {t('identity.totp.disable')}
                </Button>
              </Form>
            ) : null}
          </>
        ) : setup ? (
          <Flex vertical gap={16}>
            <Typography.Text strong>{t('identity.totp.scan')}</Typography.Text>
            <Flex gap={24} wrap align="center">
              <div
                style={{ width: 200, height: 200, border: '1px solid #f0f0f0' }}
                data-testid="totp-qr"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: SVG drawn by our own server from the otpauth URI
                dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
              />
              <Space direction="vertical">
                <Typography.Text type="secondary">{t('identity.totp.secret')}</Typography.Text>
                <Typography.Text code copyable style={{ fontSize: 15 }} data-testid="totp-secret">
                  {setup.secret.match(/.{1,4}/g)?.join(' ')}
                </Typography.Text>
              </Space>
            </Flex>
            <Typography.Text strong>{t('identity.totp.enterCode')}</Typography.Text>
            <Form layout="inline" onFinish={(v) => void confirm(v)}>
              <Form.Item name="code" rules={CODE_RULES(t)}>
                <Input
                  placeholder={t('identity.totp.code')}
                  maxLength={6}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  style={{ width: 160 }}
                  data-testid="totp-code"
                />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-confirm">
                {t('identity.totp.confirm')}
              </Button>
            </Form>
          </Flex>
        ) : (
          <>
            <Typography.Paragraph type="secondary">{t('identity.totp.statusOff')}</Typography.Paragraph>
            <Button type="primary" onClick={() => void start()} loading={busy} data-testid="totp-start">
              {t('identity.totp.start')}
            </Button>
          </>
        )}
      </Card>
    </PageContainer>
  );
}
