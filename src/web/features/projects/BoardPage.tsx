import { RightOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Flex, Pagination, Row, Segmented, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useCan } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type BatchKind, type Kpis, type Project, useBatches, useDistricts, useKpis, useProjectPage } from './api';
import { ExportButton, ImportButton } from './ExcelButtons';
import { formatDate, formatNumber, formatPercent, formatPp, formatWanAsYi, formatYi } from './format';
import { StageTag, ThresholdWarning, WarningTag } from './tags';

const COLUMN_PAGE_SIZE = 8;

/** One KPI figure: label above, value below, an optional note. */
function Kpi({ label, value, note, testId }: { label: string; value: ReactNode; note?: ReactNode; testId: string }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {label}
      </Typography.Text>
      <div
        data-testid={testId}
        style={{ fontSize: 22, fontWeight: 600, lineHeight: 1.35, fontVariantNumeric: 'tabular-nums' }}
      >
        {value}
      </div>
      {note ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {note}
        </Typography.Text>
      ) : null}
    </div>
  );
}

function Unit({ children }: { children: ReactNode }) {
  return (
    <span style={{ fontSize: 13, fontWeight: 400, marginInlineStart: 4, display: 'inline-block' }}>{children}</span>
  );
}

/** 亿元 with the unit in small type. */
function Yi({ value }: { value: number }) {
  const { t } = useTranslation();
  return (
    <>
      {formatNumber(value)}
      <Unit>{t('projects.units.yi')}</Unit>
    </>
  );
}

function Count({ value }: { value: number }) {
  const { t } = useTranslation();
  return (
    <>
      {formatNumber(value, 0)}
      <Unit>{t('projects.units.count')}</Unit>
    </>
  );
}

function GapTag({ gap }: { gap: number | null }) {
  const { t } = useTranslation();
  if (gap === null) return null;
  const ahead = gap >= 0;
  return (
    <Tag
      color={ahead ? 'green' : 'red'}
      variant="solid"
      data-testid="kpi-gap"
      data-gap={ahead ? 'ahead' : 'behind'}
      style={{ whiteSpace: 'normal', marginInlineEnd: 0, marginTop: 2 }}
    >
      {t(ahead ? 'projects.kpi.gapAhead' : 'projects.kpi.gapBehind', { pp: formatPp(gap) })}
    </Tag>
  );
}

function KpiGrid({ kind, kpis }: { kind: BatchKind; kpis: Kpis }) {
  const { t } = useTranslation();
  const grid = (children: ReactNode) => (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', gap: '12px 16px' }}>
      {children}
    </div>
  );
  if (kind === 'sign') {
    const s = kpis.signed;
    return grid(
      <>
        <Kpi label={t('projects.kpi.count')} value={<Count value={s.count} />} testId="kpi-signed-count" />
        <Kpi label={t('projects.kpi.investment')} value={<Yi value={s.investment} />} testId="kpi-signed-investment" />
        <Kpi
          label={t('projects.kpi.performanceRate')}
          value={formatPercent(s.performanceRate)}
          note={t('projects.kpi.performedOf', { done: s.performedCount, total: s.count })}
          testId="kpi-signed-performanceRate"
        />
        <Kpi
          label={t('projects.kpi.startRate')}
          value={formatPercent(s.startRate)}
          note={t('projects.kpi.startedOf', { done: s.startedCount, total: s.startBaseCount })}
          testId="kpi-signed-startRate"
        />
      </>,
    );
  }
  if (kind === 'start') {
    const s = kpis.started;
    return grid(
      <>
        <Kpi label={t('projects.kpi.count')} value={<Count value={s.count} />} testId="kpi-started-count" />
        <Kpi label={t('projects.kpi.investment')} value={<Yi value={s.investment} />} testId="kpi-started-investment" />
        <Kpi
          label={t('projects.kpi.yearInvestment', { year: kpis.year })}
          value={<Yi value={s.yearInvestment} />}
          note={t('projects.kpi.yearPlan', { amount: formatYi(s.yearPlan) })}
          testId="kpi-started-yearInvestment"
        />
        <Kpi
          label={t('projects.kpi.yearCompletionRate')}
          value={formatPercent(s.yearCompletionRate)}
          note={<GapTag gap={s.timeProgressGapPp} />}
          testId="kpi-started-yearCompletionRate"
        />
      </>,
    );
  }
  const p = kpis.producing;
  return grid(
    <>
      <Kpi label={t('projects.kpi.count')} value={<Count value={p.count} />} testId="kpi-producing-count" />
      <Kpi label={t('projects.kpi.investment')} value={<Yi value={p.investment} />} testId="kpi-producing-investment" />
      <Kpi
        label={t('projects.kpi.completedInvestment')}
        value={<Yi value={p.completedInvestment} />}
        testId="kpi-producing-completedInvestment"
      />
      <Kpi
        label={t('projects.kpi.completionRate')}
        value={formatPercent(p.completionRate)}
        testId="kpi-producing-completionRate"
      />
      <Kpi
        label={t('projects.kpi.effectiveCount')}
        value={<Count value={p.effectiveCount} />}
        testId="kpi-producing-effectiveCount"
      />
      <Kpi
        label={t('projects.kpi.effectiveRate')}
        value={formatPercent(p.effectiveRate)}
        testId="kpi-producing-effectiveRate"
      />
    </>,
  );
}

function ProjectRow({ project }: { project: Project }) {
  const navigate = useNavigate();
  return (
    <button
      type="button"
      onClick={() => navigate(`/projects/${project.id}`)}
      data-testid="board-project"
      style={{
        display: 'block',
        width: '100%',
        textAlign: 'start',
        background: 'none',
        border: 'none',
        borderBottom: '1px solid #f0f0f0',
        padding: '8px 0',
        cursor: 'pointer',
        font: 'inherit',
      }}
    >
      <Flex align="center" gap={6} style={{ minWidth: 0 }}>
        <Typography.Text strong ellipsis style={{ flex: 1, minWidth: 0 }} title={project.name}>
          {project.name}
        </Typography.Text>
        <ThresholdWarning project={project} />
        <WarningTag level={project.warning} />
      </Flex>
      <Flex align="center" gap={8} wrap style={{ marginTop: 2 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {project.regionName} · {formatWanAsYi(project.totalInvestmentWan)}
        </Typography.Text>
        <StageTag stage={project.stage} />
      </Flex>
    </button>
  );
}

function KindColumn({
  kind,
  batch,
  region,
  kpis,
  kpisLoading,
}: {
  kind: BatchKind;
  batch: number;
  region: string | undefined;
  kpis: Kpis | undefined;
  kpisLoading: boolean;
}) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [onlyWarnings, setOnlyWarnings] = useState(false);
  const params = {
    batch,
    kind,
    region,
    warning: onlyWarnings ? 'any' : undefined,
    page,
    pageSize: COLUMN_PAGE_SIZE,
    sort: 'totalInvestment',
    order: 'desc',
  };
  const list = useProjectPage(params);
  const listLink = `/projects/list?${new URLSearchParams({
    batch: String(batch),
    kind,
    ...(region ? { region } : {}),
    ...(onlyWarnings ? { warning: 'any' } : {}),
  }).toString()}`;

  return (
    <Card
      title={
        <Flex align="center" gap={8}>
          <span>{t(`projects.kind.${kind}`)}</span>
        </Flex>
      }
      extra={
        <Link to={listLink} data-testid={`board-more-${kind}`}>
          {t('projects.board.viewAll')} <RightOutlined />
        </Link>
      }
      data-testid={`board-column-${kind}`}
      styles={{ body: { paddingTop: 16 } }}
      style={{ height: '100%' }}
    >
      {kpis ? <KpiGrid kind={kind} kpis={kpis} /> : <Skeleton active loading={kpisLoading} />}
      <Flex justify="space-between" align="center" style={{ marginTop: 20, marginBottom: 4 }} gap={8} wrap>
        <Typography.Text strong>{t('projects.board.projects')}</Typography.Text>
        <Segmented
          size="small"
          value={onlyWarnings ? 'warn' : 'all'}
          onChange={(v) => {
            setOnlyWarnings(v === 'warn');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('projects.board.all') },
            { value: 'warn', label: t('projects.board.onlyWarnings') },
          ]}
        />
      </Flex>
      {list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isLoading ? (
        <Skeleton active />
      ) : list.data && list.data.items.length > 0 ? (
        <div style={{ opacity: list.isPlaceholderData ? 0.5 : 1 }}>
          {list.data.items.map((p) => (
            <ProjectRow key={p.id} project={p} />
          ))}
          <Flex justify="end" style={{ marginTop: 12 }}>
            <Pagination
              size="small"
              simple
              current={page}
              pageSize={COLUMN_PAGE_SIZE}
              total={list.data.total}
              onChange={setPage}
              showSizeChanger={false}
            />
          </Flex>
        </div>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('projects.board.noProjects')} />
      )}
    </Card>
  );
}

export default function BoardPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [search, setSearch] = useSearchParams();
  const batches = useBatches();
  const districts = useDistricts(can('regions:read'));

  const sortedBatches = useMemo(
    () => [...(batches.data?.items ?? [])].sort((a, b) => a.heldOn.localeCompare(b.heldOn) || a.number - b.number),
    [batches.data],
  );
  const latest = sortedBatches[sortedBatches.length - 1]?.number;
  const fromUrl = Number(search.get('batch'));
  const batch = sortedBatches.some((b) => b.number === fromUrl) ? fromUrl : latest;
  const region = search.get('region') || undefined;
  const kpis = useKpis(batch, region);

  const setParam = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(key, value);
    else next.delete(key);
    setSearch(next, { replace: true });
  };

  const districtOptions = (districts.data ?? []).map((r) => ({ value: r.code, label: r.name }));

  const controls = (
    <Space wrap size={8}>
      <Select
        value={batch}
        onChange={(v: number) => setParam('batch', String(v))}
        loading={batches.isLoading}
        style={{ width: 200 }}
        aria-label={t('projects.filters.batch')}
        data-testid="batch-select"
        options={[...sortedBatches].reverse().map((b) => ({
          value: b.number,
          label: t('projects.batch.option', { number: b.number, date: b.heldOn }),
        }))}
      />
      {districtOptions.length > 1 ? (
        <Select
          allowClear
          value={region}
          onChange={(v: string | undefined) => setParam('region', v)}
          placeholder={t('projects.filters.allRegions')}
          style={{ width: 160 }}
          aria-label={t('projects.filters.region')}
          data-testid="region-select"
          options={districtOptions}
          showSearch={{ optionFilterProp: 'label' }}
        />
      ) : null}
      {batch !== undefined ? <ExportButton filters={{ batch, region }} /> : null}
      {can('projects:manage') ? <ImportButton /> : null}
    </Space>
  );

  let body: ReactNode;
  if (batches.isError) body = <QueryError error={batches.error} onRetry={() => void batches.refetch()} />;
  else if (batches.isLoading) body = <Skeleton active />;
  else if (batch === undefined) body = <Empty description={t('projects.board.noBatches')} />;
  else
    body = (
      <>
        {kpis.isError ? (
          <div style={{ marginBottom: 16 }}>
            <QueryError error={kpis.error} onRetry={() => void kpis.refetch()} />
          </div>
        ) : null}
        <Card size="small" style={{ marginBottom: 16 }} data-testid="board-summary">
          <Flex wrap gap="4px 24px" align="center">
            <Typography.Text strong>{t('projects.batch.title', { number: batch })}</Typography.Text>
            {kpis.data ? (
              <>
                <Typography.Text type="secondary">
                  {t('projects.board.heldOn', { date: formatDate(kpis.data.batch.heldOn) })}
                </Typography.Text>
                <Typography.Text data-testid="board-asof">
                  {t('projects.board.asOf', { date: formatDate(kpis.data.asOf) })}
                </Typography.Text>
                <Typography.Text>
                  {t('projects.board.total', {
                    count: kpis.data.total.count,
                    amount: formatYi(kpis.data.total.investment),
                  })}
                </Typography.Text>
              </>
            ) : null}
          </Flex>
        </Card>
        <Row gutter={[16, 16]} style={{ opacity: kpis.isPlaceholderData ? 0.6 : 1 }}>
          {(['sign', 'start', 'produce'] as const).map((kind) => (
            <Col key={kind} xs={24} xl={8}>
              <KindColumn
                key={`${kind}-${batch}-${region ?? ''}`}
                kind={kind}
                batch={batch}
                region={region}
                kpis={kpis.data}
                kpisLoading={kpis.isLoading}
              />
            </Col>
          ))}
        </Row>
      </>
    );

  return (
    <PageContainer title={t('projects.board.title')} extra={controls}>
      {body}
    </PageContainer>
  );
}
