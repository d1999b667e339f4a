import { PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, newIdempotencyKey } from '../../app/api';
import { useCan } from '../../app/guards';
import {
  type ParkBuilding,
  type ParkDetail,
  type ParkUnit,
  parkKey,
  UNIT_USES,
  type UnitUse,
  validationMessages,
} from './api';
import { formatNumber, formatShare } from './format';

interface BuildingForm {
  name: string;
  floors: number;
}
interface UnitForm {
  buildingId: string;
  floor: number;
  code: string;
  areaM2: number;
  use: UnitUse;
  leasable: boolean;
}

type Dialog = { kind: 'building' } | { kind: 'unit'; buildingId?: string } | null;

function AddDialog({ park, dialog, onClose }: { park: ParkDetail; dialog: Dialog; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [buildingForm] = Form.useForm<BuildingForm>();
  const [unitForm] = Form.useForm<UnitForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string[] | null>(null);
  const [key, setKey] = useState(newIdempotencyKey);
  const buildingId = Form.useWatch('buildingId', unitForm);
  const building = park.buildings.find((b) => b.id === buildingId);

  const close = () => {
    buildingForm.resetFields();
    unitForm.resetFields();
    setError(null);
    setKey(newIdempotencyKey());
    onClose();
  };

  const submit = async () => {
    const isBuilding = dialog?.kind === 'building';
    const body = isBuilding ? await buildingForm.validateFields() : await unitForm.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post(
        `/parks/${park.id}/${isBuilding ? 'buildings' : 'units'}`,
        isBuilding
          ? { ...body, name: (body as BuildingForm).name.trim() }
          : { ...body, code: (body as UnitForm).code.trim() },
        { headers: { 'Idempotency-Key': key } },
      );
      await queryClient.invalidateQueries({ queryKey: parkKey(park.id) });
      void message.success(t(isBuilding ? 'parks.units.buildingAdded' : 'parks.units.unitAdded'));
      close();
    } catch (e) {
      setKey(newIdempotencyKey());
      setError([e instanceof Error ? e.message : t('errors.unknown'), ...validationMessages(e)]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!dialog}
      title={t(dialog?.kind === 'building' ? 'parks.units.addBuilding' : 'parks.units.addUnit')}
      okText={t('common.create')}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={close}
      confirmLoading={busy}
      destroyOnHidden
    >
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error[0]}
          description={error.length > 1 ? error.slice(1).join('; ') : undefined}
          style={{ marginBottom: 12 }}
        />
      ) : null}
      {dialog?.kind === 'building' ? (
        <Form<BuildingForm> form={buildingForm} name="addBuilding" layout="vertical" initialValues={{ floors: 1 }}>
          <Form.Item
            name="name"
            label={t('parks.units.buildingName')}
            rules={[
              { required: true, whitespace: true, message: t('parks.units.buildingNameRequired') },
              { max: 50, message: t('parks.reports.tooLong', { max: 50 }) },
            ]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="floors" label={t('parks.units.floors')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      ) : dialog?.kind === 'unit' ? (
        <Form<UnitForm>
          form={unitForm}
          name="addUnit"
          layout="vertical"
          initialValues={{ buildingId: dialog.buildingId, floor: 1, use: 'production', leasable: true }}
        >
          <Form.Item
            name="buildingId"
            label={t('parks.units.building')}
            rules={[{ required: true, message: t('parks.units.buildingRequired') }]}
          >
            <Select options={park.buildings.map((b) => ({ value: b.id, label: b.name }))} />
          </Form.Item>
          <Form.Item
            name="floor"
            label={t('parks.units.floor')}
            rules={[{ required: true }]}
            extra={building ? t('parks.units.floorHint', { floors: building.floors }) : undefined}
          >
            <InputNumber min={1} max={building?.floors ?? 100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('parks.units.code')}
            rules={[
              { required: true, whitespace: true, message: t('parks.units.codeRequired') },
              { max: 30, message: t('parks.reports.tooLong', { max: 30 }) },
            ]}
          >
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item
            name="areaM2"
            label={t('parks.units.areaM2')}
            rules={[{ required: true, message: t('parks.units.areaRequired') }]}
          >
            <InputNumber min={0.01} max={1e6} precision={2} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="use" label={t('parks.units.use')} rules={[{ required: true }]}>
            <Select options={UNIT_USES.map((u) => ({ value: u, label: t(`parks.units.uses.${u}`) }))} />
          </Form.Item>
          <Form.Item name="leasable" label={t('parks.units.leasable')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      ) : null}
    </Modal>
  );
}

function BuildingCard({
  building,
  canEdit,
  onAddUnit,
}: {
  building: ParkBuilding;
  canEdit: boolean;
  onAddUnit: () => void;
}) {
  const { t } = useTranslation();
  const leasable = building.units.filter((u) => u.leasable).reduce((a, u) => a + u.areaM2, 0);
  const leased = building.units.filter((u) => u.leasable).reduce((a, u) => a + u.leasedM2, 0);
  return (
    <Card
      size="small"
      title={
        <Space wrap>
          {building.name}
          <Tag>{t('parks.units.floorsCount', { count: building.floors })}</Tag>
          <Tag color="green">
            {t('parks.units.occupancy')} {formatShare(leasable > 0 ? leased / leasable : null)}
          </Tag>
        </Space>
      }
      extra={
        canEdit ? (
          <Button size="small" icon={<PlusOutlined />} onClick={onAddUnit}>
            {t('parks.units.addUnit')}
          </Button>
        ) : null
      }
      style={{ marginBottom: 12 }}
    >
      <Table<ParkUnit>
        rowKey="id"
        size="small"
        pagination={building.units.length > 20 ? { pageSize: 20 } : false}
        scroll={{ x: 'max-content' }}
        dataSource={building.units}
        locale={{ emptyText: t('parks.units.noUnits') }}
        columns={[
          { title: t('parks.units.floor'), dataIndex: 'floor', key: 'floor', align: 'right' },
          { title: t('parks.units.code'), dataIndex: 'code', key: 'code' },
          {
            title: t('parks.units.areaM2'),
            dataIndex: 'areaM2',
            key: 'areaM2',
            align: 'right',
            render: (v: number) => formatNumber(v, 2),
          },
          {
            title: t('parks.units.use'),
            dataIndex: 'use',
            key: 'use',
            render: (u: UnitUse) => t(`parks.units.uses.${u}`),
          },
          {
            title: t('parks.units.leasable'),
            dataIndex: 'leasable',
            key: 'leasable',
            render: (v: boolean) => (v ? t('parks.units.yes') : t('parks.units.no')),
          },
          {
            title: t('parks.units.leasedM2'),
            dataIndex: 'leasedM2',
            key: 'leasedM2',
            align: 'right',
            render: (v: number) => formatNumber(v, 2),
          },
        ]}
      />
    </Card>
  );
}

/** 楼宇房源: buildings and their units, occupancy = leased area / leasable area. */
export function UnitsTab({ park }: { park: ParkDetail }) {
  const { t } = useTranslation();
  const can = useCan();
  const canEdit = can('parks:report');
  const [dialog, setDialog] = useState<Dialog>(null);
  const { occupancy } = park;

  return (
    <div data-testid="park-units">
      <Row gutter={[12, 12]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('parks.units.buildings')} value={park.buildings.length} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('parks.units.leasableM2')}
              value={0}
              formatter={() => `${formatNumber(occupancy.leasableM2, 0)} ${t('parks.measure.m2')}`}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic
              title={t('parks.units.leased')}
              value={0}
              formatter={() => `${formatNumber(occupancy.leasedM2, 0)} ${t('parks.measure.m2')}`}
            />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Flex vertical gap={4}>
              <span style={{ color: 'rgba(0,0,0,0.45)' }}>{t('parks.units.occupancy')}</span>
              <Progress
                percent={occupancy.rate === null ? 0 : Math.round(occupancy.rate * 1000) / 10}
                format={() => formatShare(occupancy.rate)}
                size="small"
              />
            </Flex>
          </Card>
        </Col>
      </Row>
      {canEdit ? (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'building' })} data-testid="building-add">
            {t('parks.units.addBuilding')}
          </Button>
          <Button icon={<PlusOutlined />} disabled={!park.buildings.length} onClick={() => setDialog({ kind: 'unit' })}>
            {t('parks.units.addUnit')}
          </Button>
        </Space>
      ) : null}
      {park.buildings.length ? (
        park.buildings.map((b) => (
          <BuildingCard
            key={b.id}
            building={b}
            canEdit={canEdit}
            onAddUnit={() => setDialog({ kind: 'unit', buildingId: b.id })}
          />
        ))
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('parks.units.noBuildings')} />
      )}
      {canEdit ? <AddDialog park={park} dialog={dialog} onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
