import { Card, Col, Flex, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryError } from '../../components/QueryError';
import { PARK_STAGES, useParkStats } from './api';
import { formatFixed, formatMu, formatNumber, formatWanM2, formatWanMu, formatYi } from './format';
import { OVERDUE_COLOR, STAGE_COLORS } from './tags';

function Tile({ title, value, extra, testId }: { title: string; value: ReactNode; extra?: ReactNode; testId: string }) {
  return (
    <Card size="small" data-testid={testId} style={{ height: '100%' }}>
      <Statistic title={title} value={0} formatter={() => value} styles={{ content: { fontSize: 22 } }} />
      {extra ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {extra}
        </Typography.Text>
      ) : null}
    </Card>
  );
}

/** Totals of the parks under monitoring today (GET /parks/stats), for the viewer's scope or a chosen district. */
export function StatsStrip({ region }: { region?: string }) {
  const { t } = useTranslation();
  const stats = useParkStats(region);
  if (stats.isError) return <QueryError error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  if (!s) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <div data-testid="parks-stats" style={{ marginBottom: 16 }}>
      <Row gutter={[12, 12]}>
        <Col xs={12} md={8} xl={4}>
          <Tile
            testId="stat-monitored"
            title={t('parks.stats.monitored')}
            value={`${formatNumber(s.monitoredParks, 0)} ${t('parks.measure.parks')}`}
            extra={t('parks.stats.asOf', { date: s.asOf })}
          />
        </Col>
        <Col xs={12} md={8} xl={5}>
          <Tile
            testId="stat-land"
            title={t('parks.stats.land')}
            value={formatWanMu(s.landAreaMu)}
            extra={formatMu(s.landAreaMu)}
          />
        </Col>
        <Col xs={12} md={8} xl={5}>
          <Tile
            testId="stat-floor"
            title={t('parks.stats.floor')}
            value={formatWanM2(s.floorAreaM2)}
            extra={`${formatNumber(s.floorAreaM2, 0)} ${t('parks.measure.m2')}`}
          />
        </Col>
        <Col xs={12} md={8} xl={5}>
          <Tile
            testId="stat-investment"
            title={t('parks.stats.investment')}
            value={formatYi(s.plannedInvestmentWan)}
            extra={`${formatFixed(s.plannedInvestmentWan, 0)} ${t('parks.measure.wan')}`}
          />
        </Col>
        <Col xs={24} md={8} xl={5}>
          <Tile
            testId="stat-overdue"
            title={t('parks.stats.overdue')}
            value={
              <Link to="/parks?overdue=true" style={{ color: s.overdueParks ? OVERDUE_COLOR : undefined }}>
                {formatNumber(s.overdueParks, 0)} {t('parks.measure.parks')}
              </Link>
            }
            extra={t('parks.stats.overdueHint')}
          />
        </Col>
      </Row>
      <Flex wrap gap={6} align="center" style={{ marginTop: 12 }} data-testid="stats-by-stage">
        <Typography.Text type="secondary">{t('parks.stats.byStage')}</Typography.Text>
        {PARK_STAGES.map((stage) => (
          <Tag key={stage} color={s.byStage[stage] ? STAGE_COLORS[stage] : undefined}>
            {t(`parks.stage.${stage}`)} {s.byStage[stage] ?? 0}
          </Tag>
        ))}
      </Flex>
    </div>
  );
}
