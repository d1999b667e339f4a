import { useQuery } from '@tanstack/react-query';
import { Form, Input, Modal, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADMIN_ROLES, ROLE_SCOPE, ROLES, type Role } from '../../../domain/access.ts';
import { api, fieldErrorsOf, isApiError, newIdempotencyKey, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import type { Org } from '../orgs/api';
import { buildRegionTree, toTreeSelect, useRegions } from '../regions/api';
import type { CreateUserInput } from './api';

interface FormValues {
  username: string;
  displayName: string;
  role: Role;
  orgId?: string;
  scopeRegionCode?: string;
  password: string;
}

const FIELD_NAMES: (keyof FormValues)[] = ['username', 'displayName', 'role', 'orgId', 'scopeRegionCode', 'password'];
const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,64}$/;

export function CreateUserModal({
  open,
  onClose,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  onCreated: () => void;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const [form] = Form.useForm<FormValues>();
  const [orgQuery, setOrgQuery] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  // One key per dialog: a retried or double-clicked submit creates the user once.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const role = Form.useWatch('role', form);
  const needsRegion = role ? ROLE_SCOPE[role] === 'region' : false;
  const needsOrg = role ? !ADMIN_ROLES.includes(role) : true;

  const orgs = useQuery({
    queryKey: ['orgs', 'options', orgQuery],
    queryFn: ({ signal }) => api.get<Paged<Org>>('/orgs', { q: orgQuery, page: 1, pageSize: 50 }, signal),
    enabled: open,
  });
  const regions = useRegions(open && can('regions:read'));
  const regionTree = useMemo(() => toTreeSelect(buildRegionTree(regions.data?.items ?? [])), [regions.data]);

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
    const body: CreateUserInput = {
      username: values.username.trim(),
      displayName: values.displayName.trim(),
      role: values.role,
      orgId: values.orgId ?? null,
      password: values.password,
      ...(ROLE_SCOPE[values.role] === 'region' ? { scopeRegionCode: values.scopeRegionCode } : {}),
    };
    try {
      await api.post('/users', body, { headers: { 'Idempotency-Key': idempotencyKey } });
      form.resetFields();
      setIdempotencyKey(newIdempotencyKey());
      onCreated();
    } catch (e) {
      if (isApiError(e)) {
        // A new attempt with changed values is a new request.
        setIdempotencyKey(newIdempotencyKey());
        const violations = (e.details as { violations?: unknown } | null)?.violations;
        const fields = fieldErrorsOf(e).filter((f) => FIELD_NAMES.includes(f.name as keyof FormValues));
        if (e.code === 'PASSWORD_POLICY' && Array.isArray(violations)) {
          form.setFields([{ name: 'password', errors: violations.map(String) }]);
        } else if (e.code === 'DUPLICATE' || e.code === 'CONFLICT') {
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
      {formError ? (
        <div role="alert" style={{ color: '#cf1322', marginBottom: 12 }} data-testid="create-user-error">
          {formError}
        </div>
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
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            onChange={() => form.setFieldsValue({ scopeRegionCode: undefined })}
          />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('users.org')}
          rules={[{ required: needsOrg, message: t('users.orgRequired') }]}
        >
          <Select
            allowClear
            showSearch={{ filterOption: false, onSearch: setOrgQuery }}
            loading={orgs.isFetching}
            notFoundContent={orgs.isFetching ? t('common.loading') : t('common.empty')}
            options={(orgs.data?.items ?? []).map((o) => ({
              value: o.id,
              label: `${o.name} · ${t(`orgKinds.${o.kind}`, o.kind)}`,
            }))}
          />
        </Form.Item>
        {needsRegion ? (
          <Form.Item
            name="scopeRegionCode"
            label={t('users.scopeRegion')}
            extra={t('users.scopeRegionHint')}
            rules={[{ required: true, message: t('users.scopeRegionRequired') }]}
          >
            <TreeSelect
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeData={regionTree}
              loading={regions.isLoading}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          name="password"
          label={t('users.initialPassword')}
          extra={t('users.initialPasswordHint')}
          rules={[
            { required: true, message: t('users.passwordRequired') },
            { min: 8, message: t('users.passwordTooShort', { min: 8 }) },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
