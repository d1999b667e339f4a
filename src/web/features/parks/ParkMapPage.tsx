import { Alert, Badge, Card, Col, Collapse, Empty, Flex, Grid, List, Row, Skeleton, Space, Typography } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError } from '../../app/api';
import { useCan, useSession } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { useRegions } from '../regions/api';
import { type MapPoint, PARK_STAGES, type ParkStage, useGeo, useParkMap } from './api';
import { type ChartClick, EChart, registerGeo } from './EChart';
import { mapCity, mapOption, type PointDatum } from './mapOption';
import { OVERDUE_COLOR, STAGE_COLORS } from './tags';

function PanelList({ points, regionNames }: { points: readonly MapPoint[]; regionNames: Map<string, string> }) {
  return (
    <List
      size="small"
      dataSource={[...points]}
      renderItem={(p) => (
        <List.Item style={{ paddingInline: 0 }}>
          <Flex vertical style={{ minWidth: 0 }}>
            <Link to={`/parks/${p.id}`}>{p.name}</Link>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {regionNames.get(p.regionCode) ?? p.regionCode}
            </Typography.Text>
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** 挂图作战: the viewer's city drawn from offline district shapes, parks as points coloured by stage. */
export default function ParkMapPage() {
  const { t } = useTranslation();
  const me = useSession();
  const can = useCan();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const compact = screens.md === false;
  const regions = useRegions(can('regions:read'));
  const map = useParkMap();
  const points = map.data?.items ?? [];
  const regionItems = regions.data?.items ?? [];
  const canRegions = can('regions:read');
  // Without the division tree (no regions:read) the city cannot be resolved: the page then lists the parks only.
  const city = map.data && regions.data ? mapCity(me.scope.regionCode, regionItems, points) : null;
  const cityUnknown = !!map.data && (!canRegions || (!!regions.data && !city));
  const geo = useGeo(city);

  const regionNames = useMemo(() => new Map(regionItems.map((r) => [r.code, r.name])), [regionItems]);
  const scopeRegion = regionItems.find((r) => r.code === me.scope.regionCode);
  const focusCode =
    scopeRegion && (scopeRegion.level === 'district' || scopeRegion.level === 'town')
      ? scopeRegion.level === 'district'
        ? scopeRegion.code
        : scopeRegion.parentCode
      : null;

  const option = useMemo(() => {
    if (!geo.data || !city) return null;
    const mapName = `miaopu-${city}`;
    registerGeo(mapName, geo.data);
    const focusFeature = focusCode ? geo.data.features.find((f) => f.properties.code === focusCode) : undefined;
    return mapOption({
      mapName,
      geo: geo.data,
      points,
      regionNames,
      focus: focusFeature ? { code: focusCode!, name: focusFeature.properties.name } : null,
      stageLabel: (s) => t(`parks.stage.${s}`),
      overdueLabel: t('parks.overdueTag'),
      roam: !compact,
      compact,
    });
  }, [geo.data, city, focusCode, points, regionNames, t, compact]);

  const byStage = useMemo(() => {
    const counts = new Map<ParkStage, number>();
    for (const p of points) counts.set(p.stage, (counts.get(p.stage) ?? 0) + 1);
    return counts;
  }, [points]);
  const overdue = points.filter((p) => p.overdue);
  const shapeCodes = new Set((geo.data?.features ?? []).map((f) => f.properties.code));
  const withoutShape = [...new Set(points.filter((p) => !shapeCodes.has(p.regionCode)).map((p) => p.regionCode))]
    .map((c) => regionNames.get(c) ?? c)
    .sort();

  const onClick = (params: ChartClick) => {
    const d = params.data as PointDatum | undefined;
    if (params.componentType === 'series' && d?.id) navigate(`/parks/${d.id}`);
  };

  const noShapes = !!city && isApiError(geo.error) && geo.error.status === 404;
  const mapHeight = compact ? 420 : 'max(520px, calc(100vh - 240px))';

  let mapBody: ReactNode;
  if (map.isError) mapBody = <QueryError error={map.error} onRetry={() => void map.refetch()} />;
  else if (geo.isError && !noShapes) mapBody = <QueryError error={geo.error} onRetry={() => void geo.refetch()} />;
  else if (noShapes || cityUnknown)
    mapBody = <Alert type="info" showIcon title={t('parks.map.noShapes')} description={t('parks.map.noShapesHint')} />;
  else if (!option) mapBody = <Skeleton.Node active style={{ width: '100%', height: 420 }} />;
  else
    mapBody = (
      <EChart
        option={option}
        onClick={onClick}
        style={{ height: mapHeight }}
        ariaLabel={t('parks.map.aria', { count: points.length })}
        testId="park-map"
      />
    );

  return (
    <PageContainer title={t('parks.nav.map')}>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={17}>
          <Card styles={{ body: { padding: compact ? 8 : 12 } }}>
            {mapBody}
            <Flex vertical gap={2} style={{ marginTop: 8 }}>
              {withoutShape.length && geo.data ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="map-zones-note">
                  {t('parks.map.zonesNote', { zones: withoutShape.join('、') })}
                </Typography.Text>
              ) : null}
              {geo.data?.source ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('parks.map.source', { source: geo.data.source })}
                </Typography.Text>
              ) : null}
            </Flex>
          </Card>
        </Col>
        <Col xs={24} lg={7}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('parks.map.byStage')} data-testid="map-by-stage">
              {map.data ? (
                <Flex vertical gap={6}>
                  {PARK_STAGES.map((stage) => (
                    <Flex key={stage} justify="space-between" align="center">
                      <Badge color={STAGE_COLORS[stage]} text={t(`parks.stage.${stage}`)} />
                      <Typography.Text strong={!!byStage.get(stage)}>{byStage.get(stage) ?? 0}</Typography.Text>
                    </Flex>
                  ))}
                  <Flex justify="space-between" style={{ borderTop: '1px solid #f0f0f0', paddingTop: 6 }}>
                    <Typography.Text>{t('parks.map.total')}</Typography.Text>
                    <Typography.Text strong data-testid="map-total">
                      {points.length}
                    </Typography.Text>
                  </Flex>
                </Flex>
              ) : (
                <Skeleton active paragraph={{ rows: 4 }} />
              )}
            </Card>
            <Card
              size="small"
              title={
                <Space>
                  <Badge color={OVERDUE_COLOR} />
                  {t('parks.map.overdueList', { count: overdue.length })}
                </Space>
              }
              extra={overdue.length ? <Link to="/parks?overdue=true">{t('parks.map.openList')}</Link> : null}
              data-testid="map-overdue"
            >
              {overdue.length ? (
                <PanelList points={overdue} regionNames={regionNames} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('parks.map.noOverdue')} />
              )}
            </Card>
            <Collapse
              size="small"
              items={[
                {
                  key: 'all',
                  label: t('parks.map.allParks', { count: points.length }),
                  forceRender: true,
                  children: (
                    <nav aria-label={t('parks.map.allParksAria')} data-testid="map-park-list">
                      <div style={{ maxHeight: 320, overflowY: 'auto' }}>
                        <PanelList points={points} regionNames={regionNames} />
                      </div>
                    </nav>
                  ),
                },
              ]}
            />
          </Space>
        </Col>
      </Row>
    </PageContainer>
  );
}
