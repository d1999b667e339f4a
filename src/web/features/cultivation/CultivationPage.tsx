/**
 * 梯度培育 (issue #20) for officials: the ladder funnel and KPIs of a region and year, the near-miss list (with
 * export and 加入培育库), the pool, the certifications with 复核 dates, targets, and the self-assessment.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Grid,
  Input,
  InputNumber,
  Progress,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../app/session';
import { PageContainer } from '../../components/PageContainer';
import {
  addToPool,
  getCertifications,
  getKpis,
  getNearMisses,
  getPool,
  getScaleUp,
  getTargets,
  type NearMiss,
  setTarget,
  TIERS,
  type Tier,
  updatePool,
} from './api';
import { conditionText, SelfAssessment } from './SelfAssessment';

function Overview({ region }: { region: string | undefined }) {
  const { t } = useTranslation();
  const [year, setYear] = useState(new Date().getFullYear() - 1);
  const q = useQuery({ queryKey: ['cultivation', 'kpis', region, year], queryFn: () => getKpis(region, year) });
  const k = q.data;
  const steps = k
    ? [
        { key: 'innovative_sme', total: k.innovativeSme.total, new: k.innovativeSme.new },
        {
          key: 'srdi_sme',
          total: k.srdi.municipal.total + k.srdi.provincial.total,
          new: k.srdi.new,
        },
        { key: 'little_giant', total: k.littleGiant.total, new: k.littleGiant.new },
      ]
    : [];
  const max = Math.max(1, ...steps.map((s) => s.total));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <Typography.Text>{t('cultivation.year')}</Typography.Text>
        <InputNumber data-testid="kpi-year" min={2000} max={2100} value={year} onChange={(v) => v && setYear(v)} />
      </Space>
      {k && (
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Card title={t('cultivation.funnel')} data-testid="ladder-funnel">
              {steps.map((s) => (
                <div key={s.key} style={{ marginBottom: 12 }}>
                  <Typography.Text>{t(`cultivation.tier.${s.key}`)}</Typography.Text>
                  <Progress percent={Math.round((s.total / max) * 100)} format={() => `${s.total}`} />
                  <Typography.Text type="secondary">{t('cultivation.newInYear', { n: s.new })}</Typography.Text>
                </div>
              ))}
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('cultivation.srdiTitle')}>
              <Row gutter={[8, 8]}>
                <Col span={12}>
                  <Statistic
                    title={t('cultivation.municipal')}
                    value={k.srdi.municipal.total}
                    suffix={t('cultivation.newSuffix', { n: k.srdi.municipal.new })}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('cultivation.provincial')}
                    value={k.srdi.provincial.total}
                    suffix={t('cultivation.newSuffix', { n: k.srdi.provincial.new })}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('cultivation.srdiNew')}
                    value={k.srdi.new}
                    suffix={k.srdi.target !== null ? `/ ${k.srdi.target}` : ''}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    data-testid="srdi-rate"
                    title={t('cultivation.completionRate')}
                    value={k.srdi.completionRate ?? '—'}
                    suffix={k.srdi.completionRate !== null ? '%' : ''}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('cultivation.scaleUpNew')}
                    value={k.scaleUp.new}
                    suffix={k.scaleUp.target !== null ? `/ ${k.scaleUp.target}` : ''}
                  />
                </Col>
              </Row>
            </Card>
          </Col>
        </Row>
      )}
    </Space>
  );
}

function NearMisses() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [tier, setTier] = useState<Tier>('srdi_sme');
  const narrow = !Grid.useBreakpoint().sm;
  const q = useQuery({ queryKey: ['cultivation', 'near', tier], queryFn: () => getNearMisses(tier) });
  const add = useMutation({
    mutationFn: (id: string) => addToPool(id, tier),
    onSuccess: () => {
      message.success(t('cultivation.pool.added'));
      void qc.invalidateQueries({ queryKey: ['cultivation'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Segmented
          vertical={narrow}
          value={tier}
          onChange={(v) => setTier(v as Tier)}
          options={TIERS.map((x) => ({ value: x, label: t(`cultivation.tier.${x}`) }))}
        />
        <Button icon={<DownloadOutlined />} href={`/api/v1/cultivation/near-misses/export?tier=${tier}`}>
          {t('cultivation.export')}
        </Button>
      </Space>
      <Typography.Text type="secondary">{t('cultivation.near.hint')}</Typography.Text>
      <Table<NearMiss>
        data-testid="near-miss-table"
        rowKey="enterpriseId"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 640 }}
        locale={{ emptyText: <Empty description={t('cultivation.near.empty')} /> }}
        columns={[
          {
            title: t('cultivation.firm'),
            dataIndex: 'name',
            width: 220,
            render: (name: string, r) => <Link to={`/cultivation/enterprises/${r.enterpriseId}`}>{name}</Link>,
          },
          {
            title: t('cultivation.lacks'),
            key: 'lacks',
            render: (_, r) => (
              <Space direction="vertical" size={0}>
                {r.shortfalls.map((s) => (
                  <Typography.Text key={s.id}>{conditionText(s, t)}</Typography.Text>
                ))}
                {r.selfReported && <Tag color="orange">{t('cultivation.selfReported')}</Tag>}
              </Space>
            ),
          },
          {
            title: '',
            key: 'act',
            width: 120,
            render: (_, r) =>
              r.inPool ? (
                <Tag color="blue">{t('cultivation.pool.inPool')}</Tag>
              ) : (
                <Button size="small" data-testid="add-to-pool" onClick={() => add.mutate(r.enterpriseId)}>
                  {t('cultivation.pool.add')}
                </Button>
              ),
          },
        ]}
      />
    </Space>
  );
}

function ScaleUp() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['cultivation', 'scale-up'], queryFn: getScaleUp });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('cultivation.scaleUp.hint', { year: q.data?.year ?? '' })}</Typography.Text>
      <Table
        data-testid="scale-up-table"
        rowKey="enterpriseId"
        size="small"
        loading={q.isLoading}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Empty description={t('cultivation.scaleUp.empty')} /> }}
        columns={[
          {
            title: t('cultivation.firm'),
            dataIndex: 'name',
            width: 220,
            render: (name: string, r) => <Link to={`/cultivation/enterprises/${r.enterpriseId}`}>{name}</Link>,
          },
          {
            title: t('cultivation.scaleUp.revenue'),
            key: 'rev',
            align: 'right',
            render: (_, r) => `${r.revenue?.toLocaleString() ?? '—'} / ${r.threshold?.toLocaleString() ?? '—'}`,
          },
          {
            title: t('cultivation.scaleUp.share'),
            dataIndex: 'share',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`),
          },
          {
            title: t('cultivation.scaleUp.growth'),
            dataIndex: 'growth',
            align: 'right',
            render: (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`),
          },
        ]}
      />
    </Space>
  );
}

function Pool() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['cultivation', 'pool'], queryFn: getPool });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (v: { id: string; note?: string; status?: 'active' | 'recognised' | 'withdrawn' }) =>
      updatePool(v.id, v),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['cultivation', 'pool'] }),
  });
  return (
    <Table
      data-testid="pool-table"
      rowKey="id"
      dataSource={q.data?.items ?? []}
      scroll={{ x: 640 }}
      locale={{ emptyText: <Empty description={t('cultivation.pool.empty')} /> }}
      columns={[
        { title: t('cultivation.firm'), dataIndex: 'name', width: 220 },
        {
          title: t('cultivation.targetTier'),
          dataIndex: 'targetTier',
          render: (v: Tier) => t(`cultivation.tier.${v}`),
        },
        {
          title: t('cultivation.status'),
          key: 'status',
          render: (_, r) => (
            <Select
              size="small"
              value={r.status}
              style={{ width: 110 }}
              onChange={(status) => save.mutate({ id: r.id, status })}
              options={['active', 'recognised', 'withdrawn'].map((s) => ({
                value: s,
                label: t(`cultivation.poolStatus.${s}`),
              }))}
            />
          ),
        },
        {
          title: t('cultivation.notes'),
          key: 'notes',
          render: (_, r) => (
            <Space direction="vertical" size={2} style={{ width: '100%' }}>
              {r.notes.map((n) => (
                <Typography.Text key={n.at} type="secondary">
                  {n.at.slice(0, 10)} {n.by}：{n.text}
                </Typography.Text>
              ))}
              <Space.Compact style={{ width: '100%' }}>
                <Input
                  size="small"
                  value={notes[r.id] ?? ''}
                  placeholder={t('cultivation.notePlaceholder')}
                  onChange={(e) => setNotes({ ...notes, [r.id]: e.target.value })}
                />
                <Button
                  size="small"
                  disabled={!notes[r.id]?.trim()}
                  onClick={() => {
                    save.mutate({ id: r.id, note: notes[r.id] });
                    setNotes({ ...notes, [r.id]: '' });
                  }}
                >
                  {t('cultivation.addNote')}
                </Button>
              </Space.Compact>
            </Space>
          ),
        },
      ]}
    />
  );
}

function Certifications() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['cultivation', 'certs'], queryFn: getCertifications });
  return (
    <Table
      rowKey="id"
      size="small"
      dataSource={q.data?.items ?? []}
      scroll={{ x: 720 }}
      locale={{ emptyText: <Empty description={t('cultivation.certs.empty')} /> }}
      columns={[
        { title: t('cultivation.firm'), dataIndex: 'name', width: 220 },
        { title: t('cultivation.tierCol'), dataIndex: 'tier', render: (v: Tier) => t(`cultivation.tier.${v}`) },
        { title: t('cultivation.level'), dataIndex: 'level', render: (v: string) => t(`cultivation.levelName.${v}`) },
        { title: t('cultivation.batch'), dataIndex: 'batchNo' },
        { title: t('cultivation.recognisedOn'), dataIndex: 'recognisedOn' },
        { title: t('cultivation.validUntil'), dataIndex: 'validUntil' },
        {
          title: t('cultivation.status'),
          key: 's',
          render: (_, r) =>
            r.revokedOn ? (
              <Tag color="red">{t('cultivation.revoked')}</Tag>
            ) : r.expired ? (
              <Tag>{t('cultivation.expired')}</Tag>
            ) : r.reviewDue ? (
              <Tag color="orange">{t('cultivation.reviewDue')}</Tag>
            ) : (
              <Tag color="green">{t('cultivation.valid')}</Tag>
            ),
        },
      ]}
    />
  );
}

function Targets({ region }: { region: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const q = useQuery({ queryKey: ['cultivation', 'targets', region], queryFn: () => getTargets(region) });
  const save = useMutation({
    mutationFn: setTarget,
    onSuccess: () => {
      message.success(t('cultivation.saved'));
      void qc.invalidateQueries({ queryKey: ['cultivation'] });
    },
    onError: (e: Error) => message.error(e.message),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Form
        layout="inline"
        initialValues={{ year: new Date().getFullYear(), metric: 'srdi_new' }}
        onFinish={(v: { year: number; metric: string; target: number }) => save.mutate({ ...v, region })}
      >
        <Form.Item name="year" label={t('cultivation.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="metric" label={t('cultivation.metric')}>
          <Select
            style={{ width: 180 }}
            options={['srdi_new', 'scale_up_new', 'innovative_new', 'little_giant_new'].map((m) => ({
              value: m,
              label: t(`cultivation.metricName.${m}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="target" label={t('cultivation.target')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100000} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('cultivation.save')}
        </Button>
      </Form>
      <Table
        rowKey={(r) => `${r.regionCode}-${r.year}-${r.metric}`}
        size="small"
        dataSource={q.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('cultivation.targets.empty')} /> }}
        columns={[
          { title: t('cultivation.region'), dataIndex: 'regionCode' },
          { title: t('cultivation.year'), dataIndex: 'year' },
          {
            title: t('cultivation.metric'),
            dataIndex: 'metric',
            render: (m: string) => t(`cultivation.metricName.${m}`),
          },
          { title: t('cultivation.target'), dataIndex: 'target' },
        ]}
      />
    </Space>
  );
}

export default function CultivationPage() {
  const { t } = useTranslation();
  const me = useMe();
  const region = me.data?.scope?.regionCode ?? undefined;
  return (
    <PageContainer title={t('cultivation.title')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'overview', label: t('cultivation.tabs.overview'), children: <Overview region={region} /> },
          { key: 'near', label: t('cultivation.tabs.near'), children: <NearMisses /> },
          { key: 'pool', label: t('cultivation.tabs.pool'), children: <Pool /> },
          { key: 'scaleUp', label: t('cultivation.tabs.scaleUp'), children: <ScaleUp /> },
          { key: 'certs', label: t('cultivation.tabs.certs'), children: <Certifications /> },
          { key: 'targets', label: t('cultivation.tabs.targets'), children: <Targets region={region ?? '410100'} /> },
          { key: 'self', label: t('cultivation.tabs.self'), children: <SelfAssessment /> },
        ]}
      />
    </PageContainer>
  );
}
