import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError, setStepUpHandler } from '../../app/api';

/**
 * Step-up (issue #16): when a PII reveal or an export answers STEP_UP_REQUIRED, ask for a fresh authenticator code,
 * POST it to /auth/step-up, and let the original request be sent again. Mounted once in the app shell.
 */
export function StepUpHost() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  const pending = useRef<((ok: boolean) => void) | null>(null);

  useEffect(() => {
    setStepUpHandler(
      () =>
        new Promise<boolean>((resolve) => {
          pending.current?.(false);
          pending.current = resolve;
          setError(null);
          form.resetFields();
          setOpen(true);
        }),
    );
    return () => setStepUpHandler(null);
  }, [form]);

  const finish = (ok: boolean) => {
    setOpen(false);
    pending.current?.(ok);
    pending.current = null;
  };

  const submit = async () => {
    const { code } = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/step-up', { code: code.trim() });
      finish(true);
    } catch (e) {
      setError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('identity.totp.stepUpTitle')}
      okText={t('identity.totp.stepUpOk')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={() => finish(false)}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('identity.totp.stepUpIntro')}</Typography.Paragraph>
      {error ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} data-testid="stepup-error" />
      ) : null}
      <Form form={form} layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          name="code"
          label={t('identity.totp.code')}
          rules={[
            { required: true, message: t('identity.totp.codeRequired') },
            { pattern: /^\d{6}$/, message: t('identity.totp.codeFormat') },
          ]}
        >
          <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" autoFocus data-testid="stepup-code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
