/**
 * The cockpit's map: the region's districts from the offline shapes (`/api/v1/geo/:code`, the parks module's map
 * source), shaded by a chosen KPI of the summary's district figures, parks as points (overdue ones marked red).
 * Nothing is loaded from the internet.
 */
import { Empty, Flex, Segmented, Select, Skeleton, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useGeo, useParkMap } from '../parks/api';
import { type ChartOption, EChart, registerGeo } from '../parks/EChart';
import { OVERDUE_COLOR } from '../parks/tags';
import type { DashboardSummary } from './api';
import { num } from './format';

export const SHADE_KEYS = ['firms', 'parks', 'floorAreaM2', 'investmentRate', 'problems'] as const;
export type ShadeKey = (typeof SHADE_KEYS)[number];
const SHADE_LABEL: Record<ShadeKey, string> = {
  firms: 'cockpit.tile.parks.firms',
  parks: 'cockpit.tile.parks.monitored',
  floorAreaM2: 'cockpit.tile.parks.floorAreaM2',
  investmentRate: 'cockpit.rankings.parks.investmentRate',
  problems: 'cockpit.tile.assistance.collected',
};

/** Light to deep green, by the value's share of the range. */
function shade(v: number | null, lo: number, hi: number, dark: boolean): string {
  if (v === null) return dark ? '#1c2a3a' : '#f0f0f0';
  const f = hi > lo ? (v - lo) / (hi - lo) : 1;
  const from = dark ? [30, 70, 60] : [222, 242, 230];
  const to = dark ? [40, 200, 120] : [26, 120, 72];
  const c = from.map((a, i) => Math.round(a + (to[i]! - a) * f));
  return `rgb(${c.join(',')})`;
}

export function CockpitMap({
  summary,
  height,
  dark = false,
  compact = false,
}: {
  summary: DashboardSummary;
  height: number | string;
  dark?: boolean;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const [by, setBy] = useState<ShadeKey>('firms');
  const geo = useGeo(summary.region);
  const points = useParkMap();
  const mapName = `cockpit-${summary.region}`;
  const option = useMemo<ChartOption | null>(() => {
    if (!geo.data) return null;
    registerGeo(mapName, geo.data);
    const values = new Map(summary.districts.map((d) => [d.code, d[by] as number | null]));
    const nums = [...values.values()].filter((v): v is number => v !== null);
    const lo = Math.min(...nums, 0);
    const hi = Math.max(...nums, 0);
    // a district's own shape (its towns have no shapes and no figures of their own): one colour, no scale
    const own = !geo.data.features.some((f) => values.has(f.properties.code ?? ''));
    const regions = geo.data.features.map((f) => ({
      name: f.properties.name,
      itemStyle: {
        areaColor: own
          ? dark
            ? '#1f4d3a'
            : '#cfe8d8'
          : shade(values.get(f.properties.code ?? '') ?? null, lo, hi, dark),
      },
    }));
    const codes = new Set(geo.data.features.map((f) => f.properties.code));
    const mine = (points.data?.items ?? []).filter((p) =>
      own ? p.regionCode === summary.region : codes.has(p.regionCode) || p.regionCode.startsWith('4101'),
    );
    const label = (code: string | null) => {
      const d = summary.districts.find((x) => x.code === code);
      return d ? `${d.name}\n${num(d[by] as number | null, by === 'investmentRate' ? 1 : 0)}` : '';
    };
    return {
      tooltip: { trigger: 'item' },
      geo: {
        map: mapName,
        roam: false,
        layoutCenter: ['50%', '50%'],
        layoutSize: '95%',
        regions,
        itemStyle: { borderColor: dark ? '#6fa8dc' : '#ffffff', borderWidth: 1 },
        emphasis: { disabled: true },
        label: {
          show: !compact,
          color: dark ? '#e6f4ff' : '#1f1f1f',
          fontSize: 11,
          formatter: (p: { name: string }) =>
            label(geo.data!.features.find((f) => f.properties.name === p.name)?.properties.code ?? null),
        },
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          name: t('cockpit.map.parks'),
          symbolSize: compact ? 4 : 6,
          itemStyle: { color: dark ? '#ffd666' : '#1677ff', opacity: 0.85 },
          data: mine.filter((p) => !p.overdue).map((p) => ({ name: p.name, value: [p.lng, p.lat] })),
        },
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          name: t('cockpit.map.overdue'),
          symbolSize: compact ? 5 : 8,
          itemStyle: { color: OVERDUE_COLOR },
          data: mine.filter((p) => p.overdue).map((p) => ({ name: p.name, value: [p.lng, p.lat] })),
        },
      ],
    } as ChartOption;
  }, [geo.data, points.data, summary, by, dark, compact, mapName, t]);

  if (geo.isLoading) return <Skeleton active />;
  if (!option) return <Empty description={t('cockpit.map.unavailable')} />;
  return (
    <Flex vertical gap={8} style={{ height: '100%' }}>
      {summary.districts.some((d) => d.parks > 0 || d.problems > 0) ? (
        <Flex gap={8} align="center" wrap>
          <Typography.Text style={dark ? { color: '#a6c8ff' } : undefined}>{t('cockpit.map.shadeBy')}</Typography.Text>
          {!dark ? (
            <Select
              size="small"
              style={{ minWidth: 160 }}
              value={by}
              onChange={(v) => setBy(v)}
              options={SHADE_KEYS.map((k) => ({ value: k, label: t(SHADE_LABEL[k]) }))}
              data-testid="map-shade"
            />
          ) : (
            <Segmented
              size="small"
              value={by}
              onChange={(v) => setBy(v as ShadeKey)}
              options={SHADE_KEYS.map((k) => ({ value: k, label: t(SHADE_LABEL[k]) }))}
              data-testid="map-shade"
            />
          )}
        </Flex>
      ) : null}
      <EChart
        option={option}
        style={{ height, flex: 1, minHeight: 0 }}
        ariaLabel={t('cockpit.map.title')}
        testId="cockpit-map"
      />
    </Flex>
  );
}
