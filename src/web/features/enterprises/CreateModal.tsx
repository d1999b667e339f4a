import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, isApiError, newIdempotencyKey } from '../../app/api';
import { enterprisesKey, INDUSTRY_DIVISIONS, STATUSES, serverFieldErrors, useDistricts } from './api';

interface Values {
  uscc: string;
  name: string;
  regionCode: string;
  industryCode: string;
  foundedOn?: Dayjs | null;
  registeredCapitalWan?: number | null;
  legalRepresentative?: string;
  address?: string;
  status?: string;
}

const FIELDS: (keyof Values)[] = [
  'uscc',
  'name',
  'regionCode',
  'industryCode',
  'foundedOn',
  'registeredCapitalWan',
  'legalRepresentative',
  'address',
  'status',
];
const USCC_SHAPE = /^[0-9A-Z]{18}$/;
const INDUSTRY_SHAPE = /^[A-T]?\d{2}(\d{1,2})?$/;

/** 新增企业: client checks for shape, the server's field errors under the fields, USCC warnings afterwards. */
export function CreateModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const districts = useDistricts(open);
  const industryOptions = useMemo(
    () =>
      Object.entries(INDUSTRY_DIVISIONS).map(([div, d]) => ({
        value: `${d.section}${div}`,
        label: `${d.section}${div} ${d.name}`,
      })),
    [],
  );

  const close = () => {
    form.resetFields();
    setFormError(null);
    setKey(newIdempotencyKey());
    onClose();
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setFormError(null);
    try {
      const body = {
        uscc: v.uscc.trim(),
        name: v.name.trim(),
        regionCode: v.regionCode,
        industryCode: v.industryCode.trim().toUpperCase(),
        foundedOn: v.foundedOn ? v.foundedOn.format('YYYY-MM-DD') : null,
        registeredCapitalWan: v.registeredCapitalWan ?? null,
        legalRepresentative: v.legalRepresentative?.trim() ?? '',
        address: v.address?.trim() ?? '',
        status: v.status ?? 'active',
      };
      const r = await api.post<{ id: string; uscc: string; warnings: string[] }>('/enterprises', body, {
        headers: { 'Idempotency-Key': key },
      });
      await queryClient.invalidateQueries({ queryKey: enterprisesKey });
      close();
      void message.success(t('enterprises.create.done'));
      if (r.warnings.length) {
        modal.warning({
          title: t('enterprises.create.warningsTitle'),
          content: (
            <ul data-testid="create-warnings" style={{ paddingInlineStart: 18, margin: 0 }}>
              {r.warnings.map((w) => (
                <li key={w}>{t(`enterprises.usccWarning.${w}`, { defaultValue: w })}</li>
              ))}
            </ul>
          ),
        });
      }
      void navigate(`/enterprises/${r.id}`);
    } catch (e) {
      setKey(newIdempotencyKey());
      const fields = serverFieldErrors(e, FIELDS);
      if (fields.length) form.setFields(fields);
      else setFormError(isApiError(e) || e instanceof Error ? e.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('enterprises.create.title')}
      onCancel={close}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ id: 'enterprise-create-submit' }}
    >
      {formError ? <Alert type="error" showIcon title={formError} style={{ marginBottom: 12 }} /> : null}
      <Form<Values> form={form} layout="vertical" name="enterpriseCreate" initialValues={{ status: 'active' }}>
        <Form.Item
          name="uscc"
          label={t('enterprises.fields.uscc')}
          normalize={(v: string) => v?.toUpperCase()}
          rules={[
            { required: true, message: t('enterprises.create.required') },
            {
              validator: (_, v: string | undefined) =>
                !v || USCC_SHAPE.test(v.trim()) ? Promise.resolve() : Promise.reject(t('enterprises.create.usccShape')),
            },
          ]}
        >
          <Input maxLength={20} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('enterprises.fields.name')}
          rules={[
            { required: true, message: t('enterprises.create.required') },
            { min: 2, max: 200, message: t('enterprises.create.nameLength') },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={t('enterprises.fields.region')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={districts.isLoading}
            options={(districts.data?.items ?? [])
              .filter((r) => r.inScope !== false)
              .map((r) => ({ value: r.code, label: r.name }))}
          />
        </Form.Item>
        <Form.Item
          name="industryCode"
          label={t('enterprises.fields.industry')}
          extra={t('enterprises.create.industryHint')}
          normalize={(v: string) => v?.toUpperCase()}
          rules={[
            { required: true, message: t('enterprises.create.required') },
            {
              validator: (_, v: string | undefined) =>
                !v || INDUSTRY_SHAPE.test(v.trim())
                  ? Promise.resolve()
                  : Promise.reject(t('enterprises.create.industryShape')),
            },
          ]}
        >
          <AutoComplete
            options={industryOptions}
            showSearch={{
              filterOption: (input, option) =>
                String(option?.label ?? '')
                  .toUpperCase()
                  .includes(input.toUpperCase()),
            }}
          />
        </Form.Item>
        <Form.Item name="foundedOn" label={t('enterprises.fields.foundedOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="registeredCapitalWan" label={t('enterprises.fields.registeredCapitalWan')}>
          <InputNumber min={0} max={1e10} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="legalRepresentative" label={t('enterprises.fields.legalRepresentative')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="address" label={t('enterprises.fields.address')}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="status" label={t('enterprises.fields.status')}>
          <Select options={STATUSES.map((s) => ({ value: s, label: t(`enterprises.status.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
