import { ArrowLeftOutlined, CheckCircleFilled, EditOutlined, MinusCircleOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Descriptions,
  type DescriptionsProps,
  Flex,
  Row,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { PERFORMANCE_EVIDENCE, type ProjectDetail, useProject } from './api';
import { formatDate, formatPercent, formatWan, formatWanAsYi, todayShanghai } from './format';
import { GanttChart } from './GanttChart';
import { type PhaseRow, phaseRows } from './gantt';
import { InvestmentChart } from './InvestmentChart';
import { ProjectFormModal } from './ProjectForm';
import { AdvanceForm, InvestmentForm } from './ReportForms';
import { BatchTags, StageTag, ThresholdWarning, WarningTag } from './tags';

function Facts({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const items: DescriptionsProps['items'] = [
    { key: 'code', label: t('projects.fields.code'), children: <Typography.Text code>{project.code}</Typography.Text> },
    { key: 'owner', label: t('projects.fields.owner'), children: project.ownerName },
    { key: 'region', label: t('projects.fields.region'), children: project.regionName },
    {
      key: 'industry',
      label: t('projects.fields.industryClass'),
      children: (
        <Space size={6}>
          {t(`projects.industry.${project.industryClass}`)}
          <ThresholdWarning project={project} />
        </Space>
      ),
    },
    {
      key: 'investment',
      label: t('projects.fields.totalInvestment'),
      children: (
        <span data-testid="detail-investment">
          {t('projects.detail.amountWithYi', {
            wan: formatWan(project.totalInvestmentWan),
            yi: formatWanAsYi(project.totalInvestmentWan),
          })}
        </span>
      ),
    },
    {
      key: 'cumulative',
      label: t('projects.fields.cumulative'),
      children: t('projects.detail.cumulativeOf', {
        amount: formatWan(project.cumulativeWan),
        rate: formatPercent((project.cumulativeWan / project.totalInvestmentWan) * 100),
      }),
    },
    { key: 'unit', label: t('projects.fields.responsibleUnit'), children: project.responsibleUnit || '—' },
    { key: 'person', label: t('projects.fields.responsiblePerson'), children: project.responsiblePerson || '—' },
    { key: 'stage', label: t('projects.fields.stage'), children: <StageTag stage={project.stage} /> },
    { key: 'warning', label: t('projects.fields.warning'), children: <WarningTag level={project.warning} showNone /> },
    {
      key: 'batches',
      label: t('projects.fields.batches'),
      span: 'filled',
      children: <BatchTags batches={project.batches} />,
    },
    {
      key: 'evidence',
      label: t('projects.fields.evidence'),
      span: 'filled',
      children: (
        <Flex wrap gap="4px 16px">
          {PERFORMANCE_EVIDENCE.map((k) => (
            <span key={k} style={{ whiteSpace: 'nowrap' }}>
              {project.performanceEvidence[k] ? (
                <CheckCircleFilled style={{ color: '#52c41a' }} />
              ) : (
                <MinusCircleOutlined style={{ color: '#bfbfbf' }} />
              )}{' '}
              {t(`projects.evidence.${k}`)}
            </span>
          ))}
        </Flex>
      ),
    },
  ];
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, sm: 1, md: 2, xl: 3 }}
      items={items}
      data-testid="detail-facts"
      styles={{ label: { whiteSpace: 'nowrap' } }}
    />
  );
}

/** The Gantt's rows as text: phase, planned and actual spans, status (readable without hovering, and on phones). */
function PhaseTable({ project, today }: { project: ProjectDetail; today: string }) {
  const { t } = useTranslation();
  const rows = phaseRows(project, today);
  const span = (from: string, to: string) => `${formatDate(from)} → ${to}`;
  return (
    <Table<PhaseRow>
      size="small"
      pagination={false}
      rowKey="phase"
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      data-testid="phase-table"
      columns={[
        {
          title: t('projects.gantt.phase'),
          dataIndex: 'phase',
          key: 'phase',
          render: (phase: string) => (
            <span style={{ whiteSpace: 'nowrap' }} data-testid="phase-label">
              {t(`projects.phase.${phase}`)}
            </span>
          ),
        },
        {
          title: t('projects.gantt.planned'),
          key: 'planned',
          render: (_: unknown, r) => (r.planned ? span(r.planned.from, formatDate(r.planned.to)) : '—'),
        },
        {
          title: t('projects.gantt.actual'),
          key: 'actual',
          render: (_: unknown, r) =>
            r.actual
              ? span(r.actual.from, r.actual.inProgress ? t('projects.gantt.inProgress') : formatDate(r.actual.to))
              : '—',
        },
        {
          title: t('projects.gantt.status'),
          key: 'status',
          render: (_: unknown, r) =>
            r.planned?.overdue ? (
              <Tag color="red" data-testid="phase-overdue">
                {t('projects.gantt.overdue', { days: r.planned.overdueDays })}
              </Tag>
            ) : r.actual?.inProgress ? (
              <Tag color="blue">{t('projects.gantt.inProgress')}</Tag>
            ) : r.actual && r.actual.lateDays > 0 ? (
              <Tag color="orange">{t('projects.gantt.late', { days: r.actual.lateDays })}</Tag>
            ) : r.actual ? (
              <Tag color="green">{t('projects.gantt.reached')}</Tag>
            ) : (
              <Tag>{t('projects.gantt.pending')}</Tag>
            ),
        },
      ]}
    />
  );
}

function AnnualPlans({ project }: { project: ProjectDetail }) {
  const { t } = useTranslation();
  const years = new Set([...project.plans.map((p) => p.year), ...project.monthly.map((m) => m.year)]);
  const rows = [...years]
    .sort((a, b) => b - a)
    .map((year) => {
      const planned = project.plans.find((p) => p.year === year)?.plannedWan ?? null;
      const done = project.monthly.filter((m) => m.year === year).reduce((a, m) => a + m.amountWan, 0);
      return { year, planned, done, rate: planned ? (done / planned) * 100 : null };
    });
  return (
    <Table
      size="small"
      pagination={false}
      rowKey="year"
      dataSource={rows}
      scroll={{ x: 'max-content' }}
      data-testid="annual-plans"
      columns={[
        { title: t('projects.investment.year'), dataIndex: 'year', key: 'year' },
        {
          title: t('projects.investment.plan'),
          dataIndex: 'planned',
          key: 'planned',
          align: 'right',
          render: (v: number | null) => formatWan(v),
        },
        {
          title: t('projects.investment.done'),
          dataIndex: 'done',
          key: 'done',
          align: 'right',
          render: (v: number) => formatWan(v),
        },
        {
          title: t('projects.investment.rate'),
          dataIndex: 'rate',
          key: 'rate',
          align: 'right',
          render: (v: number | null) => formatPercent(v),
        },
      ]}
    />
  );
}

export default function DetailPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const { id } = useParams();
  const project = useProject(id);
  const today = todayShanghai();
  const [editing, setEditing] = useState(false);

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} data-testid="detail-back">
      {t('projects.detail.back')}
    </Button>
  );

  if (project.isError) {
    return (
      <PageContainer title={t('projects.nav.detail')} extra={back}>
        <QueryError error={project.error} onRetry={() => void project.refetch()} />
      </PageContainer>
    );
  }
  const p = project.data;
  if (!p) {
    return (
      <PageContainer title={t('projects.nav.detail')} extra={back}>
        <Skeleton active />
      </PageContainer>
    );
  }

  return (
    <PageContainer
      title={
        <Flex wrap align="center" gap={8}>
          <span data-testid="detail-name">{p.name}</span>
          <StageTag stage={p.stage} />
          <WarningTag level={p.warning} />
        </Flex>
      }
      extra={
        <Space wrap>
          {can('projects:manage') ? (
            <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="project-edit">
              {t('projects.form.edit')}
            </Button>
          ) : null}
          {back}
        </Space>
      }
    >
      {editing ? <ProjectFormModal open project={p} onClose={() => setEditing(false)} /> : null}
      <Flex vertical gap={16}>
        <Card>
          <Facts project={p} />
        </Card>
        <Card title={t('projects.gantt.title')} data-testid="gantt-card">
          <GanttChart project={p} today={today} />
          <div style={{ marginTop: 12 }}>
            <PhaseTable project={p} today={today} />
          </div>
        </Card>
        <Card title={t('projects.investment.title')} data-testid="investment-card">
          <Row gutter={[24, 16]}>
            <Col xs={24} xl={15}>
              <InvestmentChart project={p} />
            </Col>
            <Col xs={24} xl={9}>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                {t('projects.investment.plans')}
              </Typography.Title>
              <AnnualPlans project={p} />
            </Col>
          </Row>
        </Card>
        {can('projects:report') ? (
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}>
              <Card title={t('projects.advance.title')} style={{ height: '100%' }}>
                <AdvanceForm key={`${p.id}-${p.stage}`} project={p} />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={t('projects.investmentForm.title')} style={{ height: '100%' }}>
                <InvestmentForm project={p} />
              </Card>
            </Col>
          </Row>
        ) : null}
      </Flex>
    </PageContainer>
  );
}
