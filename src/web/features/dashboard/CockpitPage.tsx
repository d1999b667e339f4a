/**
 * 驾驶舱: the landing page of city and district officials (issue #21), always scoped to the viewer. KPI tiles by
 * module with provenance, target progress (完成率 against 时序进度), alerts, district rankings with n, the offline map
 * shaded by a chosen KPI, an as-of date to look back, and a link to the big screen.
 */
import { DesktopOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Flex,
  Grid,
  List,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../app/api';
import { useSession } from '../../app/guards';
import { PageContainer } from '../../components/PageContainer';
import { QueryError } from '../../components/QueryError';
import { type DashboardSummary, type Tile, useSummary } from './api';
import { CockpitMap } from './CockpitMap';
import { num } from './format';
import { KpiTile, TargetBar } from './KpiTile';

export const GROUPS = ['parks', 'projects', 'firms', 'assistance', 'policies'] as const;
const ALERT_COLORS = { red: '#ff4d4f', orange: '#fa8c16', yellow: '#d4b106' } as const;

export function Alerts({ summary, dark = false }: { summary: DashboardSummary; dark?: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex gap={8} wrap data-testid="alerts">
      {summary.alerts.map((a) => (
        <Link key={a.key} to={a.href} data-testid={`alert-${a.key}`} title={a.items.join('、')}>
          <Tag
            icon={a.count > 0 ? <WarningOutlined /> : undefined}
            color={a.count > 0 ? ALERT_COLORS[a.level] : dark ? 'default' : undefined}
            style={{ fontSize: 13, padding: '2px 8px', marginInlineEnd: 0 }}
          >
            {t(`cockpit.alerts.${a.key}`)} {a.count}
          </Tag>
        </Link>
      ))}
    </Flex>
  );
}

export function Rankings({ summary, compact = false }: { summary: DashboardSummary; compact?: boolean }) {
  const { t } = useTranslation();
  if (!summary.rankings.some((r) => r.items.length > 0)) return <Empty description={t('cockpit.rankings.empty')} />;
  return (
    <Tabs
      size="small"
      items={summary.rankings.map((r) => ({
        key: r.key,
        label: t(`cockpit.rankings.${r.key}`),
        children: (
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            scroll={compact ? undefined : { y: 300 }}
            data-testid={`ranking-${r.key}`}
            dataSource={r.items}
            columns={[
              {
                title: t('cockpit.rankings.rank'),
                dataIndex: 'rank',
                width: 56,
                render: (v: number | null) =>
                  v ?? <Typography.Text type="secondary">{t('cockpit.rankings.notRanked')}</Typography.Text>,
              },
              { title: t('cockpit.rankings.district'), dataIndex: 'name', ellipsis: true },
              {
                title: t('cockpit.rankings.value'),
                dataIndex: 'value',
                align: 'right',
                render: (v: number | null) =>
                  `${num(v, r.unit === 'percent' ? 1 : 0)}${r.unit === 'percent' && v !== null ? '%' : ''}`,
              },
              { title: t('cockpit.rankings.n'), dataIndex: 'n', align: 'right', width: 72 },
            ]}
          />
        ),
      }))}
    />
  );
}

export function TargetList({ tiles, dark = false }: { tiles: Tile[]; dark?: boolean }) {
  const { t } = useTranslation();
  const withTarget = tiles.filter((x) => x.target != null);
  if (!withTarget.length) return <Typography.Text type="secondary">{t('cockpit.target.none')}</Typography.Text>;
  return (
    <List
      size="small"
      dataSource={withTarget}
      renderItem={(x) => (
        <List.Item style={{ display: 'block', paddingInline: 0 }}>
          <Typography.Text strong style={dark ? { color: '#e6f4ff' } : undefined}>
            {t(`cockpit.tile.${x.key}`)}
          </Typography.Text>
          <TargetBar tile={x} dark={dark} />
        </List.Item>
      )}
    />
  );
}

export default function CockpitPage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const compact = Grid.useBreakpoint().md === false;
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const region = params.get('region') ?? undefined;
  const summary = useSummary(region, asOf);
  const root = useSummary(undefined, asOf);
  const s = summary.error ? undefined : summary.data;
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const regionOptions = useMemo(() => {
    const r = root.data;
    if (!r) return [];
    return [{ value: r.region, label: r.regionName }, ...r.districts.map((d) => ({ value: d.code, label: d.name }))];
  }, [root.data]);

  const byGroup = (g: string) => s?.tiles.filter((x) => x.group === g) ?? [];
  return (
    <PageContainer
      title={
        <span data-testid="cockpit-title">
          {t('cockpit.title', { region: s?.regionName ?? me.scope.regionName ?? '' })}
        </span>
      }
      extra={
        <Space wrap>
          {regionOptions.length > 1 ? (
            <Select
              data-testid="cockpit-region"
              style={{ width: 150 }}
              value={s?.region}
              options={regionOptions}
              onChange={(v) => set('region', v === root.data?.region ? undefined : v)}
              aria-label={t('cockpit.region')}
            />
          ) : null}
          <DatePicker
            data-testid="cockpit-asof"
            allowClear
            placeholder={t('cockpit.today')}
            value={asOf ? dayjs(asOf) : null}
            disabledDate={(d) => d.isAfter(dayjs())}
            onChange={(d) => set('asOf', d ? d.format('YYYY-MM-DD') : undefined)}
            aria-label={t('cockpit.asOf')}
          />
          {!compact ? (
            <Button
              icon={<DesktopOutlined />}
              data-testid="open-screen"
              onClick={() => navigate(`/dashboard/screen${params.toString() ? `?${params}` : ''}`)}
            >
              {t('cockpit.bigScreen')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {summary.error ? (
        isApiError(summary.error) && summary.error.code === 'REGION_OUT_OF_SCOPE' ? (
          <Alert type="warning" showIcon message={summary.error.message} data-testid="cockpit-out-of-scope" />
        ) : (
          <QueryError error={summary.error} />
        )
      ) : null}
      {!s ? (
        summary.error ? null : (
          <Skeleton active />
        )
      ) : (
        <Flex vertical gap={16}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Typography.Text type="secondary" data-testid="cockpit-asof-text">
              {t('cockpit.asOf')}: {s.asOf}
            </Typography.Text>
            <Alerts summary={s} />
          </Flex>
          {GROUPS.map((g) => {
            const tiles = byGroup(g);
            if (!tiles.length) return null;
            return (
              <Card key={g} size="small" title={t(`cockpit.groups.${g}`)} data-testid={`group-${g}`}>
                {g === 'parks' ? (
                  <Flex gap={6} wrap style={{ marginBottom: 12 }} data-testid="parks-by-stage">
                    {Object.entries(s.parksByStage).map(([stage, n]) => (
                      <Tag key={stage} style={{ marginInlineEnd: 0 }}>
                        {t(`parks.stage.${stage}`, { defaultValue: stage })} {n}
                      </Tag>
                    ))}
                  </Flex>
                ) : null}
                <Row gutter={[12, 12]}>
                  {tiles.map((x) => (
                    <Col key={x.key} xs={12} sm={8} lg={6} xl={4}>
                      <KpiTile tile={x} />
                    </Col>
                  ))}
                </Row>
              </Card>
            );
          })}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Card size="small" title={t('cockpit.map.title')}>
                <div style={{ height: compact ? 320 : 440 }}>
                  <CockpitMap summary={s} height={compact ? 280 : 400} compact={compact} />
                </div>
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Card size="small" title={t('cockpit.rankings.title')} style={{ marginBottom: 16 }}>
                <Rankings summary={s} compact={compact} />
              </Card>
              <Card size="small" title={t('cockpit.target.title')} data-testid="targets-card">
                <TargetList tiles={s.tiles} />
                <Link to="/targets">{t('cockpit.nav.targets')}</Link>
              </Card>
            </Col>
          </Row>
        </Flex>
      )}
    </PageContainer>
  );
}
