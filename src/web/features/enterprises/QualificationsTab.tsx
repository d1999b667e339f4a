import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import {
  type EnterpriseDetail,
  enterpriseKey,
  enterprisesKey,
  QUAL_LEVELS,
  QUAL_TYPES,
  type Qualification,
  serverFieldErrors,
} from './api';
import { formatDay } from './format';
import { QualStateTag } from './tags';

const STATE_COLORS: Record<Qualification['state'], string> = { valid: 'green', expiring: 'orange', expired: 'gray' };

interface Values {
  type: string;
  level?: string | null;
  certificateNo?: string;
  issuedOn: Dayjs;
  validUntil?: Dayjs | null;
}

function AddModal({ e, open, onClose }: { e: EnterpriseDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/enterprises/${e.id}/qualifications`,
        {
          type: v.type,
          level: v.level ?? null,
          certificateNo: v.certificateNo?.trim() ?? '',
          issuedOn: v.issuedOn.format('YYYY-MM-DD'),
          validUntil: v.validUntil ? v.validUntil.format('YYYY-MM-DD') : null,
        },
        { headers: { 'Idempotency-Key': key } },
      );
      await queryClient.invalidateQueries({ queryKey: enterpriseKey(e.id) });
      void queryClient.invalidateQueries({ queryKey: [...enterprisesKey, 'list'] });
      void message.success(t('enterprises.qualifications.saved'));
      onClose();
    } catch (err) {
      setKey(newIdempotencyKey());
      const fields = serverFieldErrors(err, ['type', 'level', 'certificateNo', 'issuedOn', 'validUntil'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('enterprises.qualifications.add')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form<Values> form={form} layout="vertical" name="qualificationAdd">
        <Form.Item
          name="type"
          label={t('enterprises.qualifications.type')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <Select options={QUAL_TYPES.map((q) => ({ value: q, label: t(`enterprises.qualType.${q}`) }))} />
        </Form.Item>
        <Form.Item name="level" label={t('enterprises.qualifications.level')}>
          <Select allowClear options={QUAL_LEVELS.map((l) => ({ value: l, label: t(`enterprises.qualLevel.${l}`) }))} />
        </Form.Item>
        <Form.Item name="certificateNo" label={t('enterprises.qualifications.certificateNo')}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.Item
          name="issuedOn"
          label={t('enterprises.qualifications.issuedOn')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="validUntil"
          label={t('enterprises.qualifications.validUntil')}
          dependencies={['issuedOn']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_, v: Dayjs | null | undefined) => {
                const issued = getFieldValue('issuedOn') as Dayjs | undefined;
                return !v || !issued || !v.isBefore(issued, 'day')
                  ? Promise.resolve()
                  : Promise.reject(t('enterprises.qualifications.beforeIssued'));
              },
            }),
          ]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function QualificationsTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  const items = [...e.qualifications].sort((a, b) => b.issuedOn.localeCompare(a.issuedOn));
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Text type="secondary">{t('enterprises.qualifications.intro')}</Typography.Text>
        {can('enterprises:manage') ? (
          <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="qualification-add">
            {t('enterprises.qualifications.add')}
          </Button>
        ) : null}
      </Flex>
      {!items.length ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.qualifications.empty')} />
      ) : (
        <Timeline
          data-testid="qualification-timeline"
          items={items.map((q) => ({
            key: q.id,
            color: STATE_COLORS[q.state],
            content: (
              <Space orientation="vertical" size={2}>
                <Space wrap size={6}>
                  <Typography.Text strong>{t(`enterprises.qualType.${q.type}`)}</Typography.Text>
                  {q.level ? <Typography.Text>{t(`enterprises.qualLevel.${q.level}`)}</Typography.Text> : null}
                  <QualStateTag state={q.state} />
                </Space>
                <Typography.Text type="secondary">
                  {t('enterprises.qualifications.period', {
                    from: formatDay(q.issuedOn),
                    to: q.validUntil ? formatDay(q.validUntil) : t('enterprises.qualifications.noExpiry'),
                  })}
                  {q.certificateNo ? ` · ${t('enterprises.qualifications.certificateNo')} ${q.certificateNo}` : ''}
                </Typography.Text>
              </Space>
            ),
          }))}
        />
      )}
      {open ? <AddModal e={e} open={open} onClose={() => setOpen(false)} /> : null}
    </Space>
  );
}
