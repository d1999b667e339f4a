import { EyeOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Empty, Flex, Form, Input, Modal, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import { type Contact, type EnterpriseDetail, enterpriseKey, serverFieldErrors } from './api';

const MOBILE_SHAPE = /^1\d{10}$/;
const ID_SHAPE = /^\d{17}[\dXx]$/;

/** Asks for a reason, reveals one contact's full phone and ID number (audited), shows them until closed. */
function RevealModal({ e, contact, onClose }: { e: EnterpriseDetail; contact: Contact; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<{ mobile: string | null; idNo: string | null } | null>(null);

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      setRevealed(
        await api.post<{ mobile: string | null; idNo: string | null }>(
          `/enterprises/${e.id}/contacts/${contact.id}/reveal`,
          { reason: v.reason.trim() },
        ),
      );
    } catch (err) {
      const fields = serverFieldErrors(err, ['reason'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('enterprises.contacts.revealTitle', { name: contact.name })}
      onCancel={() => {
        // the full values live only in this dialog's state: closing forgets them
        setRevealed(null);
        onClose();
      }}
      footer={
        revealed
          ? [
              <Button key="close" type="primary" onClick={onClose}>
                {t('common.close')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                {t('common.cancel')}
              </Button>,
              <Button key="ok" type="primary" loading={busy} onClick={() => void submit()} data-testid="reveal-submit">
                {t('enterprises.contacts.revealConfirm')}
              </Button>,
            ]
      }
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        icon={<LockOutlined />}
        title={t('enterprises.contacts.auditNotice')}
        style={{ marginBottom: 12 }}
      />
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      {revealed ? (
        <Descriptions
          size="small"
          column={1}
          bordered
          data-testid="revealed"
          items={[
            {
              key: 'mobile',
              label: t('enterprises.contacts.mobile'),
              children: <span data-testid="revealed-mobile">{revealed.mobile ?? '—'}</span>,
            },
            {
              key: 'idNo',
              label: t('enterprises.contacts.idNo'),
              children: <span data-testid="revealed-idno">{revealed.idNo ?? '—'}</span>,
            },
          ]}
        />
      ) : (
        <Form form={form} layout="vertical" name="reveal">
          <Form.Item
            name="reason"
            label={t('enterprises.contacts.reason')}
            rules={[
              { required: true, message: t('enterprises.contacts.reasonRequired') },
              {
                validator: (_, v: string | undefined) =>
                  !v || v.trim().length >= 4
                    ? Promise.resolve()
                    : Promise.reject(t('enterprises.contacts.reasonShort')),
              },
            ]}
          >
            <Input.TextArea
              rows={3}
              maxLength={200}
              showCount
              placeholder={t('enterprises.contacts.reasonPlaceholder')}
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

interface AddValues {
  name: string;
  role?: string;
  mobile?: string;
  idNo?: string;
}

function AddModal({ e, onClose }: { e: EnterpriseDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AddValues>();
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
        `/enterprises/${e.id}/contacts`,
        {
          name: v.name.trim(),
          role: v.role?.trim() ?? '',
          mobile: v.mobile?.trim() || null,
          idNo: v.idNo?.trim() || null,
        },
        { headers: { 'Idempotency-Key': key } },
      );
      await queryClient.invalidateQueries({ queryKey: enterpriseKey(e.id) });
      void message.success(t('enterprises.contacts.saved'));
      onClose();
    } catch (err) {
      setKey(newIdempotencyKey());
      const fields = serverFieldErrors(err, ['name', 'role', 'mobile', 'idNo'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('enterprises.contacts.add')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Typography.Paragraph type="secondary">{t('enterprises.contacts.encryptedNote')}</Typography.Paragraph>
      <Form<AddValues> form={form} layout="vertical" name="contactAdd">
        <Form.Item
          name="name"
          label={t('enterprises.contacts.name')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label={t('enterprises.contacts.role')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={t('enterprises.contacts.mobile')}
          rules={[{ pattern: MOBILE_SHAPE, message: t('enterprises.contacts.mobileShape') }]}
        >
          <Input maxLength={20} inputMode="tel" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="idNo"
          label={t('enterprises.contacts.idNo')}
          rules={[{ pattern: ID_SHAPE, message: t('enterprises.contacts.idShape') }]}
        >
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function ContactsTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const [reveal, setReveal] = useState<Contact | null>(null);
  const [adding, setAdding] = useState(false);
  const canReveal = can('pii:reveal');
  return (
    <div data-testid="contacts-tab">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('enterprises.contacts.intro')}</Typography.Text>
        {can('enterprises:manage') ? (
          <Button icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="contact-add">
            {t('enterprises.contacts.add')}
          </Button>
        ) : null}
      </Flex>
      <Table<Contact>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={e.contacts}
        data-testid="contacts-table"
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.contacts.empty')} />,
        }}
        columns={[
          { title: t('enterprises.contacts.name'), dataIndex: 'name', key: 'name' },
          { title: t('enterprises.contacts.role'), dataIndex: 'role', key: 'role', render: (r: string) => r || '—' },
          {
            title: t('enterprises.contacts.mobile'),
            dataIndex: 'mobile',
            key: 'mobile',
            render: (m: string | null) => <span data-testid="contact-mobile">{m ?? '—'}</span>,
          },
          {
            title: t('enterprises.contacts.idNo'),
            dataIndex: 'idNo',
            key: 'idNo',
            render: (m: string | null) => <span data-testid="contact-idno">{m ?? '—'}</span>,
          },
          ...(canReveal
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, c: Contact) =>
                    c.mobile || c.idNo ? (
                      <Button
                        size="small"
                        icon={<EyeOutlined />}
                        onClick={() => setReveal(c)}
                        data-testid="reveal-open"
                      >
                        {t('enterprises.contacts.reveal')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {reveal ? <RevealModal e={e} contact={reveal} onClose={() => setReveal(null)} /> : null}
      {adding ? <AddModal e={e} onClose={() => setAdding(false)} /> : null}
    </div>
  );
}
