import { useQuery } from '@tanstack/react-query';
import { Alert, Form, Modal, Select, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_SCOPE, ROLES, type Role } from '../../../domain/access.ts';
import { api, fieldErrorsOf, isApiError, type Paged } from '../../app/api';
import type { Org } from '../orgs/api';
import { buildRegionTree, toTreeSelect, useRegions } from '../regions/api';
import type { GrantInput, UserRow } from './api';

interface FormValues {
  role: Role;
  orgId?: string;
  scopeRegionCode?: string;
}

type TreeOption = ReturnType<typeof toTreeSelect>[number];
function enableAll(nodes: TreeOption[]): TreeOption[] {
  return nodes.map((n) => ({ ...n, disabled: false, children: n.children ? enableAll(n.children) : undefined }));
}

/** The security admin grants a role and scope (三权分立, issue #16); the server enforces every rule. */
export function GrantModal({
  user,
  onClose,
  onGranted,
}: {
  user: UserRow | null;
  onClose: () => void;
  onGranted: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [orgQuery, setOrgQuery] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const role = Form.useWatch('role', form);
  // watched, so that picking an org lifts the region's "required" at once (the region then follows the org)
  const pickedOrg = Form.useWatch('orgId', form);
  const scopeKind = role ? ROLE_SCOPE[role] : 'none';
  const open = user !== null;

  useEffect(() => {
    if (user) {
      form.setFieldsValue({
        role: user.role,
        orgId: user.orgId ?? undefined,
        scopeRegionCode: user.scopeRegionCode ?? undefined,
      });
      setFormError(null);
    }
  }, [user, form]);

  const orgs = useQuery({
    queryKey: ['orgs', 'options', orgQuery],
    queryFn: ({ signal }) => api.get<Paged<Org>>('/orgs', { q: orgQuery, page: 1, pageSize: 50 }, signal),
    enabled: open,
  });
  const regions = useRegions(open);
  // The security admin's own scope holds no region, yet it may grant any: every node is selectable here.
  const regionTree = useMemo(
    () => enableAll(toTreeSelect(buildRegionTree((regions.data?.items ?? []).map((r) => ({ ...r, inScope: true }))))),
    [regions.data],
  );

  const submit = async () => {
    if (!user) return;
    const values = await form.validateFields();
    setFormError(null);
    setSubmitting(true);
    const body: GrantInput = {
      role: values.role,
      orgId: values.orgId ?? null,
      ...(ROLE_SCOPE[values.role] === 'region' ? { scopeRegionCode: values.scopeRegionCode ?? null } : {}),
    };
    try {
      await api.put(`/users/${encodeURIComponent(user.id)}/grant`, body);
      onGranted();
    } catch (e) {
      const fields = fieldErrorsOf(e);
      if (fields.length) form.setFields(fields.map((f) => ({ name: f.name as keyof FormValues, errors: [f.message] })));
      setFormError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title={user ? t('identity.users.grantTitle', { name: user.displayName, username: user.username }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      confirmLoading={submitting}
      okButtonProps={{ id: 'grant-save' }}
      forceRender
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('identity.users.grantIntro')} />
      {formError ? (
        <Alert type="error" showIcon style={{ marginBottom: 12 }} title={formError} data-testid="grant-error" />
      ) : null}
      <Form<FormValues> form={form} name="grant" layout="vertical" autoComplete="off">
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select
            data-testid="grant-role"
            options={ROLES.map((r) => ({
              value: r,
              label: r === 'pending' ? t('identity.users.roleNone') : t(`roles.${r}`),
            }))}
            onChange={() => form.setFieldsValue({ scopeRegionCode: undefined })}
          />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={t('users.org')}
          rules={[{ required: scopeKind === 'org', message: t('users.orgRequired') }]}
        >
          <Select
            allowClear
            data-testid="grant-org"
            showSearch={{ filterOption: false, onSearch: setOrgQuery }}
            loading={orgs.isFetching}
            notFoundContent={orgs.isFetching ? t('common.loading') : t('common.empty')}
            options={(orgs.data?.items ?? []).map((o) => ({
              value: o.id,
              label: `${o.name} · ${t(`orgKinds.${o.kind}`, o.kind)}`,
            }))}
          />
        </Form.Item>
        {scopeKind === 'region' ? (
          <Form.Item
            name="scopeRegionCode"
            label={t('users.scopeRegion')}
            extra={t('users.scopeRegionHint')}
            rules={[{ required: !pickedOrg, message: t('users.scopeRegionRequired') }]}
          >
            <TreeSelect
              data-testid="grant-region"
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeData={regionTree}
              loading={regions.isLoading}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
