/**
 * 大屏: the cockpit for a 1920×1080 wall screen (issue #21). Fills the viewport without scrolling (every panel has a
 * fixed share of the height and clips its content), dark, large figures, and refreshes itself (default every 60 s,
 * `?refresh=` seconds, 10–3600). Same figures as the cockpit: the same summary endpoint.
 */
import { FullscreenExitOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, Flex, Result, Typography, theme } from 'antd';
import { type CSSProperties, type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../../app/guards';
import { hasPermission } from '../../app/session';
import { type Tile, useSummary } from './api';
import { CockpitMap } from './CockpitMap';
import { Alerts, TargetList } from './CockpitPage';
import { num } from './format';
import { KpiTile } from './KpiTile';

const PANEL: CSSProperties = {
  background: 'rgba(9, 30, 60, 0.72)',
  border: '1px solid #1d4f91',
  borderRadius: 6,
  padding: '8px 12px',
  overflow: 'hidden',
  minHeight: 0,
  display: 'flex',
  flexDirection: 'column',
};

function Panel({
  title,
  children,
  style,
  testId,
}: {
  title: string;
  children: ReactNode;
  style?: CSSProperties;
  testId?: string;
}) {
  return (
    <section style={{ ...PANEL, ...style }} data-testid={testId}>
      <Typography.Text strong style={{ color: '#69b1ff', fontSize: 16, marginBottom: 6, flex: 'none' }}>
        {title}
      </Typography.Text>
      <div style={{ flex: 1, minHeight: 0, overflow: 'hidden' }}>{children}</div>
    </section>
  );
}

function TileGrid({ tiles, columns }: { tiles: Tile[]; columns: number }) {
  return (
    <div style={{ display: 'grid', gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, gap: 8 }}>
      {tiles.map((x) => (
        <KpiTile key={x.key} tile={x} dark size="large" />
      ))}
    </div>
  );
}

export default function BigScreenPage() {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const refresh = Math.min(3600, Math.max(10, Number(params.get('refresh')) || 60));
  const allowed = hasPermission(me, 'dashboard:cockpit');
  const summary = useSummary(
    params.get('region') ?? undefined,
    params.get('asOf') ?? undefined,
    allowed ? refresh * 1000 : undefined,
  );
  const s = summary.data;

  // no scrollbars on the wall screen, whatever the page around it set
  useEffect(() => {
    const prev = document.body.style.overflow;
    document.body.style.overflow = 'hidden';
    return () => {
      document.body.style.overflow = prev;
    };
  }, []);

  if (!allowed) return <Result status="403" title="403" extra={<Link to="/">{t('nav.dashboard')}</Link>} />;
  const group = (g: string) => s?.tiles.filter((x) => x.group === g) ?? [];
  const pick = (keys: string[]) => keys.map((k) => s?.tiles.find((x) => x.key === k)).filter((x): x is Tile => !!x);
  const ranking = s?.rankings.find((r) => r.key === 'parks.firms');

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm }}>
      <div
        data-testid="big-screen"
        style={{
          position: 'fixed',
          inset: 0,
          overflow: 'hidden',
          background: 'radial-gradient(ellipse at center, #0b2a55 0%, #050f24 70%)',
          color: '#e6f4ff',
          display: 'grid',
          gridTemplateRows: '64px minmax(0, 1fr)',
          padding: 12,
          gap: 12,
          boxSizing: 'border-box',
        }}
      >
        <Flex align="center" justify="space-between" style={{ minWidth: 0 }}>
          <Typography.Title
            level={2}
            style={{ margin: 0, color: '#e6f4ff', letterSpacing: 2 }}
            data-testid="screen-title"
          >
            {t('cockpit.screenTitle', { region: s?.regionName ?? me.scope.regionName ?? '' })}
          </Typography.Title>
          <Flex gap={16} align="center">
            <Typography.Text style={{ color: '#a6c8ff', fontSize: 15 }}>
              {t('cockpit.asOf')}: {s?.asOf ?? '—'} ·{' '}
              {t('cockpit.updatedAt', {
                time: s ? new Date(s.generatedAt).toLocaleTimeString(undefined, { hour12: false }) : '—',
              })}{' '}
              · {t('cockpit.refreshEvery', { seconds: refresh })}
            </Typography.Text>
            <Button
              icon={<FullscreenExitOutlined />}
              onClick={() => navigate(`/cockpit${params.toString() ? `?${params}` : ''}`)}
            >
              {t('cockpit.exitScreen')}
            </Button>
          </Flex>
        </Flex>
        {s ? (
          <div
            style={{
              display: 'grid',
              gridTemplateColumns: '1fr 1.45fr 1fr',
              gap: 12,
              minHeight: 0,
            }}
          >
            <div
              style={{ display: 'grid', gridTemplateRows: 'minmax(0, 1.2fr) minmax(0, 1fr)', gap: 12, minHeight: 0 }}
            >
              <Panel title={t('cockpit.groups.parks')} testId="screen-parks">
                <TileGrid tiles={group('parks')} columns={2} />
              </Panel>
              <Panel title={t('cockpit.groups.projects')}>
                <TileGrid tiles={group('projects')} columns={2} />
              </Panel>
            </div>
            <div style={{ display: 'grid', gridTemplateRows: 'minmax(0, 1fr) auto', gap: 12, minHeight: 0 }}>
              <Panel title={t('cockpit.map.title')}>
                <CockpitMap summary={s} height="100%" dark />
              </Panel>
              <section style={{ ...PANEL, flexDirection: 'row', gap: 16 }}>
                <Alerts summary={s} dark />
              </section>
            </div>
            <div
              style={{
                display: 'grid',
                gridTemplateRows: 'minmax(0, 1fr) minmax(0, 1fr) minmax(0, 0.9fr)',
                gap: 12,
                minHeight: 0,
              }}
            >
              <Panel title={`${t('cockpit.groups.firms')} · ${t('cockpit.groups.assistance')}`}>
                <TileGrid
                  tiles={pick([
                    'firms.total',
                    'firms.aboveScale',
                    'firms.srdi',
                    'assistance.collected',
                    'assistance.resolutionRate',
                    'assistance.onTimeRate',
                  ])}
                  columns={3}
                />
              </Panel>
              <Panel title={t('cockpit.groups.policies')}>
                <TileGrid tiles={group('policies')} columns={2} />
              </Panel>
              <Panel
                title={
                  ranking
                    ? `${t('cockpit.rankings.title')} · ${t(`cockpit.rankings.${ranking.key}`)}`
                    : t('cockpit.target.title')
                }
              >
                {ranking ? (
                  <div
                    data-testid="screen-ranking"
                    style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 16 }}
                  >
                    {ranking.items.slice(0, 10).map((i) => (
                      <Flex key={i.code} justify="space-between" style={{ fontSize: 14, lineHeight: '24px' }}>
                        <span>
                          {i.rank ?? '—'}. {i.name}
                        </span>
                        <span style={{ color: '#ffd666' }}>
                          {num(i.value, 0)} <span style={{ color: '#a6c8ff', fontSize: 12 }}>n={i.n}</span>
                        </span>
                      </Flex>
                    ))}
                  </div>
                ) : (
                  <TargetList tiles={s.tiles} dark />
                )}
              </Panel>
            </div>
          </div>
        ) : (
          <Typography.Text style={{ color: '#a6c8ff' }}>…</Typography.Text>
        )}
      </div>
    </ConfigProvider>
  );
}
