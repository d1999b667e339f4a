/** Pure helpers of the map board: which city to draw, the focus box of a district, the ECharts option. */
import type { GeoCollection, MapPoint, ParkStage } from './api';
import { PARK_STAGES } from './api';
import type { ChartOption } from './EChart';
import { OVERDUE_COLOR, STAGE_COLORS } from './tags';

export interface RegionLite {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

/** The city (level 'city') a region belongs to, walking up the division tree. */
export function cityOf(code: string | null | undefined, byCode: Map<string, RegionLite>): string | null {
  let r = code ? byCode.get(code) : undefined;
  for (let i = 0; r && i < 8; i++) {
    if (r.level === 'city') return r.code;
    r = r.parentCode ? byCode.get(r.parentCode) : undefined;
  }
  return null;
}

/**
 * The city whose district shapes the map draws: the viewer's scope city (a district user → its parent city); for a
 * province-wide scope, or without a scope region, the city holding most of the visible parks.
 */
export function mapCity(
  scopeRegion: string | null,
  regions: readonly RegionLite[],
  points: readonly MapPoint[],
): string | null {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const own = cityOf(scopeRegion, byCode);
  if (own) return own;
  const counts = new Map<string, number>();
  for (const p of points) {
    const c = cityOf(p.regionCode, byCode);
    if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [c, n] of counts) if (!best || n > (counts.get(best) ?? 0)) best = c;
  return best;
}

type Position = [number, number];

/** ECharts' default aspect of geo maps: latitude drawn 1/0.75 taller than longitude. */
const ASPECT = 0.75;

function eachPosition(geometry: unknown, visit: (p: Position) => void) {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  const walk = (node: unknown) => {
    if (!Array.isArray(node)) return;
    if (typeof node[0] === 'number' && typeof node[1] === 'number') visit(node as Position);
    else for (const child of node) walk(child);
  };
  walk(g?.coordinates);
}

/** The bounding box of one district, widened by `margin` of its size on every side: [[west, north], [east, south]]. */
export function focusBox(geo: GeoCollection, code: string, margin = 0.25): [Position, Position] | null {
  const feature = geo.features.find((f) => f.properties.code === code);
  if (!feature) return null;
  let w = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  eachPosition(feature.geometry, ([x, y]) => {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  });
  if (!Number.isFinite(w)) return null;
  const dx = (e - w) * margin;
  const dy = (n - s) * margin;
  return [
    [w - dx, n + dy],
    [e + dx, s - dy],
  ];
}

type Ring = Position[];

/** The polygons of a GeoJSON geometry (Polygon or MultiPolygon), each as rings (outer first, then holes). */
function polygonsOf(geometry: unknown): Ring[][] {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return [g.coordinates as Ring[]];
  if (g?.type === 'MultiPolygon') return g.coordinates as Ring[][];
  return [];
}

function inRing([x, y]: Position, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function inGeometry(p: Position, geometry: unknown): boolean {
  return polygonsOf(geometry).some((rings) => inRing(p, rings[0]) && !rings.slice(1).some((h) => inRing(p, h)));
}

/**
 * Where to write a district's name so that it covers no park point: among positions inside the district, one whose
 * label box (`size`, in degrees) keeps clear of every point by `gap` and lies inside the district, preferring the
 * middle of the district, and away from the labels already placed (`taken`: boxes as [min, max] corners).
 */
export function labelPosition(
  geometry: unknown,
  points: readonly Position[],
  size: [number, number],
  gap: number,
  taken: readonly [Position, Position][] = [],
): Position | null {
  if (!polygonsOf(geometry).length) return null;
  let w = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  eachPosition(geometry, ([x, y]) => {
    w = Math.min(w, x);
    e = Math.max(e, x);
    s = Math.min(s, y);
    n = Math.max(n, y);
  });
  const centre: Position = [(w + e) / 2, (s + n) / 2];
  const diagonal = Math.hypot(e - w, n - s) || 1;
  const [hw, hh] = [size[0] / 2, size[1] / 2];
  const STEPS = 28;
  let best: Position | null = null;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let i = 1; i < STEPS; i++) {
    for (let j = 1; j < STEPS; j++) {
      const p: Position = [w + ((e - w) * i) / STEPS, s + ((n - s) * j) / STEPS];
      if (!inGeometry(p, geometry)) continue;
      const corners: Position[] = [
        [p[0] - hw, p[1] - hh],
        [p[0] + hw, p[1] - hh],
        [p[0] - hw, p[1] + hh],
        [p[0] + hw, p[1] + hh],
      ];
      const fits = corners.filter((c) => inGeometry(c, geometry)).length;
      let clearance = 4 * gap;
      for (const q of points) {
        const outside = Math.max(Math.abs(q[0] - p[0]) - hw, Math.abs(q[1] - p[1]) - hh);
        clearance = Math.min(clearance, outside);
      }
      const collides = taken.some(
        ([lo, hi]) => p[0] - hw < hi[0] && p[0] + hw > lo[0] && p[1] - hh < hi[1] && p[1] + hh > lo[1],
      );
      const score =
        (collides ? -20 : 0) +
        (clearance > gap ? 10 : 0) +
        fits * 2 +
        clearance / gap -
        (6 * Math.hypot(p[0] - centre[0], p[1] - centre[1])) / diagonal;
      if (score > bestScore) {
        bestScore = score;
        best = p;
      }
    }
  }
  return best;
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export interface PointDatum {
  name: string;
  value: [number, number];
  id: string;
  stage: ParkStage;
  overdue: boolean;
  regionName: string;
}

export function mapOption(args: {
  mapName: string;
  geo: GeoCollection;
  points: readonly MapPoint[];
  regionNames: Map<string, string>;
  focus: { code: string; name: string } | null;
  stageLabel: (stage: ParkStage) => string;
  overdueLabel: string;
  roam: boolean;
  compact: boolean;
}): ChartOption {
  const { geo, points, regionNames, focus } = args;
  const datum = (p: MapPoint): PointDatum => ({
    name: p.name,
    value: [p.lng, p.lat],
    id: p.id,
    stage: p.stage,
    overdue: p.overdue,
    regionName: regionNames.get(p.regionCode) ?? p.regionCode,
  });
  const stages = PARK_STAGES.filter((s) => points.some((p) => p.stage === s));
  const overdue = points.filter((p) => p.overdue);
  const box = focus ? focusBox(geo, focus.code) : null;

  // District names as a label layer above the points, each placed where it covers none of them.
  let [w, e, south, north] = [
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
  ];
  if (box) [w, e, north, south] = [box[0][0], box[1][0], box[0][1], box[1][1]];
  else
    for (const f of geo.features)
      eachPosition(f.geometry, ([x, y]) => {
        w = Math.min(w, x);
        e = Math.max(e, x);
        south = Math.min(south, y);
        north = Math.max(north, y);
      });
  const [viewW, viewH] = args.compact ? [340, 360] : [720, 560];
  const degPerPx = Math.max((e - w) / viewW, (north - south) / ASPECT / viewH);
  const fontSize = args.compact ? 10 : 12;
  const pointPositions = points.map((p) => [p.lng, p.lat] as Position);
  const taken: [Position, Position][] = [];
  const area = (g: unknown) => {
    let [x0, x1, y0, y1] = [180, -180, 90, -90];
    eachPosition(g, ([x, y]) => {
      [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
    });
    return (x1 - x0) * (y1 - y0);
  };
  // the smallest districts first: they have the fewest places to choose from
  const bySize = [...geo.features].sort((a, b) => area(a.geometry) - area(b.geometry));
  const labels = bySize.map((f) => {
    const name = f.properties.name;
    const size: [number, number] = [(name.length * fontSize + 6) * degPerPx, (fontSize + 6) * degPerPx * ASPECT];
    const value = labelPosition(f.geometry, pointPositions, size, 6 * degPerPx, taken);
    if (value)
      taken.push([
        [value[0] - size[0] / 2, value[1] - size[1] / 2],
        [value[0] + size[0] / 2, value[1] + size[1] / 2],
      ]);
    return { name, value };
  });

  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      confine: true,
      className: 'park-map-tooltip',
      formatter: (params: unknown) => {
        const p = params as { componentType?: string; name?: string; data?: PointDatum };
        if (p.componentType !== 'series' || !p.data) return escapeHtml(p.name ?? '');
        const d = p.data;
        const lines = [
          `<b>${escapeHtml(d.name)}</b>`,
          `${escapeHtml(d.regionName)} · ${escapeHtml(args.stageLabel(d.stage))}`,
        ];
        if (d.overdue) lines.push(`<span style="color:${OVERDUE_COLOR}">${escapeHtml(args.overdueLabel)}</span>`);
        return lines.join('<br/>');
      },
    },
    legend: {
      type: 'scroll',
      bottom: 4,
      left: 'center',
      backgroundColor: 'rgba(255, 255, 255, 0.85)',
      borderRadius: 4,
      padding: [4, 8],
      itemWidth: 12,
      itemHeight: 12,
      textStyle: { fontSize: args.compact ? 11 : 12 },
      data: [
        ...stages.map((s) => ({ name: args.stageLabel(s), icon: 'circle' })),
        ...(overdue.length
          ? [
              {
                name: args.overdueLabel,
                icon: 'circle',
                itemStyle: { color: '#fff', borderColor: OVERDUE_COLOR, borderWidth: 2 },
              },
            ]
          : []),
      ],
    },
    geo: {
      map: args.mapName,
      roam: args.roam,
      scaleLimit: { min: 0.8, max: 12 },
      selectedMode: false,
      top: 16,
      bottom: 48,
      left: 8,
      right: 8,
      ...(box ? { boundingCoords: box } : {}),
      aspectScale: ASPECT,
      label: { show: false },
      itemStyle: { areaColor: '#f2f6f3', borderColor: '#8fb5a0', borderWidth: 1 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#dcefe3' } },
      regions: focus
        ? [{ name: focus.name, itemStyle: { areaColor: '#e3f1e8', borderColor: '#1f7a4d', borderWidth: 2 } }]
        : [],
    },
    series: [
      {
        type: 'scatter' as const,
        id: 'district-labels',
        coordinateSystem: 'geo' as const,
        silent: true,
        symbolSize: 0,
        itemStyle: { color: 'transparent' },
        z: 5,
        tooltip: { show: false },
        label: {
          show: true,
          formatter: '{b}',
          position: 'inside',
          fontSize,
          color: '#2f4a3b',
          textBorderColor: '#fff',
          textBorderWidth: 3,
        },
        data: labels.filter((l) => l.value !== null),
      },
      ...stages.map((stage) => ({
        type: 'scatter' as const,
        name: args.stageLabel(stage),
        coordinateSystem: 'geo' as const,
        symbol: 'circle',
        symbolSize: args.compact ? 7 : 9,
        z: 3,
        itemStyle: { color: STAGE_COLORS[stage], borderColor: '#fff', borderWidth: 1, opacity: 0.9 },
        emphasis: { scale: 1.6 },
        data: points.filter((p) => p.stage === stage).map(datum),
      })),
      ...(overdue.length
        ? [
            {
              type: 'effectScatter' as const,
              name: args.overdueLabel,
              coordinateSystem: 'geo' as const,
              symbol: 'circle',
              symbolSize: args.compact ? 14 : 18,
              z: 4,
              showEffectOn: 'render' as const,
              rippleEffect: { brushType: 'stroke' as const, scale: 2.2, period: 3, color: OVERDUE_COLOR },
              itemStyle: { color: 'rgba(245, 34, 45, 0.12)', borderColor: OVERDUE_COLOR, borderWidth: 2 },
              data: overdue.map(datum),
            },
          ]
        : []),
    ],
  };
}
