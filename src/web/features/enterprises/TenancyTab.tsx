import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  InputNumber,
  Modal,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, newIdempotencyKey, type Paged } from '../../app/api';
import { useCan } from '../../app/guards';
import type { Park, ParkDetail } from '../parks/api';
import { type EnterpriseDetail, enterpriseKey, enterprisesKey, serverFieldErrors, type Tenancy } from './api';
import { formatDay, formatNumber } from './format';

interface Values {
  parkId: string;
  unitId?: string | null;
  areaM2: number;
  startOn: Dayjs;
  endOn?: Dayjs | null;
}

function AddModal({ e, open, onClose }: { e: EnterpriseDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const parkId = Form.useWatch('parkId', form);

  const parks = useQuery({
    queryKey: ['parks', 'options', search],
    queryFn: ({ signal }) => api.get<Paged<Park>>('/parks', { q: search || undefined, pageSize: 50 }, signal),
    enabled: open,
  });
  const park = useQuery({
    queryKey: ['parks', 'detail', parkId ?? ''],
    queryFn: ({ signal }) => api.get<ParkDetail>(`/parks/${encodeURIComponent(parkId ?? '')}`, undefined, signal),
    enabled: !!parkId,
  });
  const units = (park.data?.buildings ?? []).flatMap((b) =>
    b.units
      .filter((u) => u.leasable)
      .map((u) => ({
        value: u.id,
        label: `${b.name} · ${u.code}（${formatNumber(u.areaM2, 0)} m²）`,
      })),
  );

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/enterprises/${e.id}/tenancies`,
        {
          parkId: v.parkId,
          unitId: v.unitId ?? null,
          areaM2: v.areaM2,
          startOn: v.startOn.format('YYYY-MM-DD'),
          endOn: v.endOn ? v.endOn.format('YYYY-MM-DD') : null,
        },
        { headers: { 'Idempotency-Key': key } },
      );
      await queryClient.invalidateQueries({ queryKey: enterpriseKey(e.id) });
      void queryClient.invalidateQueries({ queryKey: [...enterprisesKey, 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['parks'] });
      void message.success(t('enterprises.tenancy.saved'));
      onClose();
    } catch (err) {
      setKey(newIdempotencyKey());
      const fields = serverFieldErrors(err, ['parkId', 'unitId', 'areaM2', 'startOn', 'endOn'] as const);
      if (fields.length) form.setFields(fields);
      else setError(err instanceof Error ? err.message : t('errors.unknown'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('enterprises.tenancy.add')}
      onCancel={onClose}
      onOk={() => void submit()}
      okText={t('common.save')}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} /> : null}
      <Form<Values> form={form} layout="vertical" name="tenancyAdd">
        <Form.Item
          name="parkId"
          label={t('enterprises.tenancy.park')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: setSearch }}
            loading={parks.isFetching}
            options={(parks.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.regionName}）` }))}
            onChange={() => form.setFieldValue('unitId', undefined)}
            notFoundContent={parks.isFetching ? null : t('enterprises.tenancy.noPark')}
          />
        </Form.Item>
        <Form.Item name="unitId" label={t('enterprises.tenancy.unitOptional')}>
          <Select allowClear disabled={!parkId} loading={park.isFetching} options={units} />
        </Form.Item>
        <Form.Item
          name="areaM2"
          label={t('enterprises.tenancy.areaM2')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <InputNumber min={0.01} max={1e6} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          name="startOn"
          label={t('enterprises.tenancy.startOn')}
          rules={[{ required: true, message: t('enterprises.create.required') }]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="endOn" label={t('enterprises.tenancy.endOn')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function TenancyTab({ e }: { e: EnterpriseDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const [open, setOpen] = useState(false);
  return (
    <div>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('enterprises.tenancy.intro')}</Typography.Text>
        {can('enterprises:manage') ? (
          <Button icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="tenancy-add">
            {t('enterprises.tenancy.add')}
          </Button>
        ) : null}
      </Flex>
      <Table<Tenancy>
        size="small"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={e.tenancies}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('enterprises.tenancy.empty')} />,
        }}
        data-testid="tenancy-table"
        columns={[
          {
            title: t('enterprises.tenancy.park'),
            dataIndex: 'parkName',
            key: 'park',
            render: (name: string, r) => (can('parks:read') ? <Link to={`/parks/${r.parkId}`}>{name}</Link> : name),
          },
          { title: t('enterprises.tenancy.unit'), dataIndex: 'unitCode', key: 'unit', render: (c) => c ?? '—' },
          {
            title: t('enterprises.tenancy.areaM2'),
            dataIndex: 'areaM2',
            key: 'area',
            align: 'right',
            render: (v: number) => formatNumber(v, 2),
          },
          { title: t('enterprises.tenancy.startOn'), dataIndex: 'startOn', key: 'start', render: formatDay },
          { title: t('enterprises.tenancy.endOn'), dataIndex: 'endOn', key: 'end', render: formatDay },
          {
            title: t('enterprises.tenancy.status'),
            dataIndex: 'status',
            key: 'status',
            render: (s: string) => (
              <Tag color={s === 'active' ? 'success' : 'default'}>
                {t(`enterprises.tenancyStatus.${s}`, { defaultValue: s })}
              </Tag>
            ),
          },
        ]}
      />
      {open ? <AddModal e={e} open={open} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}
