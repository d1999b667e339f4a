/**
 * 目标任务: the targets of the regions in scope with their progress (完成率 against 时序进度, from the cockpit tiles),
 * set by the level above: a city official adds, changes and deletes its districts' targets, by hand or by Excel.
 */
import { DeleteOutlined, DownloadOutlined, EditOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TARGET_INDICATOR_KEYS, TARGET_PERIODS, type TargetPeriod } from '../../../domain/targets.ts';
import { isApiError } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { downloadFile, importRowErrors } from '../projects/api';
import { useRegions } from '../regions/api';
import {
  createTarget,
  deleteTarget,
  importTargets,
  type Target,
  type TargetBody,
  targetsKey,
  updateTarget,
  useTargets,
} from './api';
import { num } from './format';
import { ProgressVsTime } from './KpiTile';

export default function TargetsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useSession();
  const can = useCan();
  const compact = Grid.useBreakpoint().md === false;
  const qc = useQueryClient();
  const [year, setYear] = useState<number | undefined>(undefined);
  const list = useTargets(year);
  const regions = useRegions(can('regions:read'));
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Target | null>(null);
  const [errors, setErrors] = useState<{ row: number; column: string; message: string }[]>([]);
  const [form] = Form.useForm<TargetBody>();
  const [editForm] = Form.useForm<{ value: number; basis: string }>();
  const manage = can('targets:manage');
  const settable = (regions.data?.items ?? []).filter((r) => r.inScope !== false && r.code !== me.scope.regionCode);
  const refresh = () => qc.invalidateQueries({ queryKey: targetsKey });
  const fail = (e: unknown) => message.error(isApiError(e) ? e.message : String(e));
  const periodText = (x: Pick<Target, 'period' | 'periodNo' | 'year'>) =>
    `${x.year} ${
      x.period === 'year'
        ? t('cockpit.targets.periods.year')
        : x.period === 'half'
          ? t('cockpit.targets.halfNo', { no: x.periodNo })
          : t('cockpit.targets.quarterNo', { no: x.periodNo })
    }`;
  const years = [...new Set([2021, 2022, 2023, 2024, 2025, 2026, new Date().getFullYear()])].sort();

  return (
    <PageContainer
      title={t('cockpit.targets.title')}
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder={t('cockpit.targets.year')}
            style={{ width: 110 }}
            value={year}
            onChange={setYear}
            options={years.map((y) => ({ value: y, label: String(y) }))}
            data-testid="targets-year"
          />
          <Button
            icon={<DownloadOutlined />}
            onClick={() => downloadFile('/targets/export.xlsx', { year }, 'targets.xlsx').catch(fail)}
          >
            {t('cockpit.targets.export')}
          </Button>
          {manage ? (
            <>
              <Button onClick={() => downloadFile('/targets/template.xlsx', undefined, 'template.xlsx').catch(fail)}>
                {t('cockpit.targets.template')}
              </Button>
              <Upload
                accept=".xlsx"
                showUploadList={false}
                beforeUpload={(file) => {
                  setErrors([]);
                  importTargets(file)
                    .then((r) => {
                      message.success(t('cockpit.targets.imported', r));
                      refresh();
                    })
                    .catch((e) => {
                      setErrors(importRowErrors(e));
                      fail(e);
                    });
                  return false;
                }}
              >
                <Button icon={<UploadOutlined />}>{t('cockpit.targets.import')}</Button>
              </Upload>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="target-add">
                {t('cockpit.targets.add')}
              </Button>
            </>
          ) : null}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('cockpit.targets.intro')}</Typography.Paragraph>
      {errors.length ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={errors.slice(0, 20).map((e) => (
            <div key={`${e.row}-${e.column}`}>
              {e.row}: {e.column} — {e.message}
            </div>
          ))}
        />
      ) : null}
      {list.error ? <QueryError error={list.error} /> : null}
      <Table<Target>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: compact ? 760 : undefined }}
        data-testid="targets-table"
        columns={[
          { title: t('cockpit.targets.region'), dataIndex: 'regionName', width: 110 },
          {
            title: t('cockpit.targets.indicator'),
            dataIndex: 'indicator',
            render: (v: string) => t(`cockpit.tile.${v}`, { defaultValue: v }),
          },
          { title: t('cockpit.targets.period'), key: 'period', width: 120, render: (_, x) => periodText(x) },
          { title: t('cockpit.targets.value'), dataIndex: 'value', align: 'right', render: (v: number) => num(v, 2) },
          {
            title: t('cockpit.targets.actual'),
            key: 'actual',
            align: 'right',
            render: (_, x) => num(x.progress?.actual ?? null, 2),
          },
          {
            title: t('cockpit.targets.progress'),
            key: 'progress',
            width: 220,
            render: (_, x) =>
              x.progress ? (
                <div data-testid={`progress-${x.regionCode}-${x.indicator}`}>
                  <ProgressVsTime rate={x.progress.completionRate} time={x.progress.timeProgress} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('cockpit.target.timeProgress')} {num(x.progress.timeProgress, 1)}% · {x.progress.asOf}
                  </Typography.Text>
                </div>
              ) : (
                '—'
              ),
          },
          {
            title: t('cockpit.targets.basis'),
            dataIndex: 'basis',
            ellipsis: true,
            responsive: ['lg'],
          },
          {
            key: 'actions',
            width: 110,
            render: (_, x) =>
              x.editable && manage ? (
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('cockpit.targets.edit')}
                    onClick={() => {
                      setEditing(x);
                      editForm.setFieldsValue({ value: x.value, basis: x.basis });
                    }}
                  />
                  <Popconfirm
                    title={t('cockpit.targets.deleteConfirm')}
                    onConfirm={() =>
                      deleteTarget(x.id)
                        .then(() => {
                          message.success(t('cockpit.targets.deleted'));
                          refresh();
                        })
                        .catch(fail)
                    }
                  >
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('cockpit.targets.delete')} />
                  </Popconfirm>
                </Space>
              ) : (
                <Tag>{t('cockpit.targets.setByAbove')}</Tag>
              ),
          },
        ]}
      />
      <Modal
        open={adding}
        title={t('cockpit.targets.add')}
        onCancel={() => setAdding(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<TargetBody>
          form={form}
          layout="vertical"
          initialValues={{ period: 'year', periodNo: 1, year: new Date().getFullYear() }}
          onFinish={(v) =>
            createTarget({ ...v, periodNo: v.period === 'year' ? 1 : v.periodNo })
              .then(() => {
                message.success(t('cockpit.targets.saved'));
                setAdding(false);
                form.resetFields();
                refresh();
              })
              .catch(fail)
          }
        >
          <Form.Item name="regionCode" label={t('cockpit.targets.region')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={settable.map((r) => ({ value: r.code, label: r.name }))}
            />
          </Form.Item>
          <Form.Item name="indicator" label={t('cockpit.targets.indicator')} rules={[{ required: true }]}>
            <Select options={TARGET_INDICATOR_KEYS.map((k) => ({ value: k, label: t(`cockpit.tile.${k}`) }))} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="year" label={t('cockpit.targets.year')} rules={[{ required: true }]}>
              <InputNumber min={2000} max={2100} />
            </Form.Item>
            <Form.Item name="period" label={t('cockpit.targets.period')} rules={[{ required: true }]}>
              <Select
                style={{ width: 110 }}
                options={TARGET_PERIODS.map((p: TargetPeriod) => ({
                  value: p,
                  label: t(`cockpit.targets.periods.${p}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="periodNo" label={t('cockpit.targets.periodNo')}>
              <InputNumber min={1} max={4} />
            </Form.Item>
          </Space>
          <Form.Item name="value" label={t('cockpit.targets.value')} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="basis" label={t('cockpit.targets.basis')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!editing}
        title={t('cockpit.targets.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => editForm.submit()}
        destroyOnHidden
      >
        <Form
          form={editForm}
          layout="vertical"
          onFinish={(v) =>
            editing &&
            updateTarget(editing.id, { version: editing.version, value: v.value, basis: v.basis })
              .then(() => {
                message.success(t('cockpit.targets.saved'));
                setEditing(null);
                refresh();
              })
              .catch(fail)
          }
        >
          <Form.Item name="value" label={t('cockpit.targets.value')} rules={[{ required: true }]}>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="basis" label={t('cockpit.targets.basis')}>
            <Input maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
