import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrorsOf, isApiError, newIdempotencyKey } from '../../app/api';
import type { Activation, CreateUserInput, UserRow } from './api';

interface FormValues {
  username: string;
  displayName: string;
}

const FIELD_NAMES: (keyof FormValues)[] = ['username', 'displayName'];
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

/**
 * The system admin creates an account: username and name only. No role (the security admin grants it) and no
 * password (the answer's one-time activation code lets the user set their own) — 三权分立, issue #16.
 */
export function CreateUserModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: (created: Activation & { user: UserRow }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // One key per dialog: a retried or double-clicked submit creates the user once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);

  const close = () => {
    form.resetFields();
    setIdempotencyKey(newIdempotencyKey());
    setFormError(null);
    onClose();
  };

  const submit = async () => {
    const values = await form.validateFields();
    setFormError(null);
    setSubmitting(true);
    const body: CreateUserInput = { username: values.username.trim(), displayName: values.displayName.trim() };
    try {
      const created = await api.post<Activation & { user: UserRow }>('/users', body, {
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      form.resetFields();
      setIdempotencyKey(newIdempotencyKey());
      onCreated(created);
    } catch (e) {
      if (isApiError(e)) {
        setIdempotencyKey(newIdempotencyKey());
        const fields = fieldErrorsOf(e).filter((f) => FIELD_NAMES.includes(f.name as keyof FormValues));
        if (e.code === 'DUPLICATE' || e.code === 'CONFLICT') {
          form.setFields([{ name: 'username', errors: [e.message] }]);
        } else if (fields.length) {
          form.setFields(fields.map((f) => ({ name: f.name as keyof FormValues, errors: [f.message] })));
        } else {
          setFormError(e.message);
        }
      } else {
        setFormError(t('errors.unknown'));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('users.create')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      confirmLoading={submitting}
      forceRender
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('identity.users.createIntro')} />
      {formError ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={formError} data-testid="create-user-error" />
      ) : null}
      <Form<FormValues> form={form} name="createUser" layout="vertical" autoComplete="off">
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameHint')}
          rules={[
            { required: true, message: t('users.usernameRequired') },
            { pattern: USERNAME_PATTERN, message: t('users.usernameInvalid') },
          ]}
        >
          <Input maxLength={64} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('users.displayNameRequired') },
            { max: 64, message: t('users.displayNameTooLong') },
          ]}
        >
          <Input maxLength={64} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
