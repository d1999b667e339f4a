/**
 * Scales of the data generator (issue #19) and the synthetic parts of the division tree they need. The demo tree
 * (regions.json) holds 河南省 → 郑州市 with its districts and towns and 浙江省 → 杭州市 → 富阳区; a province or
 * national scale adds the other prefecture-level cities under their real GB/T 2260 codes and names, each with
 * synthetic districts under codes of our own (`<city4>G<nn>`, source "Miaopu generator (synthetic)"), so they can
 * never collide with a real NBS code.
 */

export type ScaleName = 'tiny' | 'city' | 'province' | 'national';

export interface ScaleSpec {
  name: ScaleName;
  /** Roots of the generated data (every park and firm lies in one of their subtrees). */
  roots: string[];
  /** Prefecture-level cities added with synthetic districts (codes from CITIES, per root province). */
  addCities: number;
  districtsPerCity: number;
  parks: number;
  firms: number;
  /** Years of yearly indicators (the years before asOf's year). */
  indicatorYears: number;
  monthlyRows: number;
  problems: number;
  projects: number;
  policies: number;
  /** PostgreSQL only (too large for the embedded database). */
  postgresOnly: boolean;
}

export const SCALES: Record<ScaleName, ScaleSpec> = {
  /** For tests: the province layout (two added cities) with a few hundred rows. */
  tiny: {
    name: 'tiny',
    roots: ['410000'],
    addCities: 2,
    districtsPerCity: 2,
    parks: 24,
    firms: 300,
    indicatorYears: 3,
    monthlyRows: 1_000,
    problems: 400,
    projects: 30,
    policies: 6,
    postgresOnly: false,
  },
  city: {
    name: 'city',
    roots: ['410100'],
    addCities: 0,
    districtsPerCity: 0,
    parks: 150,
    firms: 10_000,
    indicatorYears: 3,
    monthlyRows: 100_000,
    problems: 25_000,
    projects: 1_000,
    policies: 100,
    postgresOnly: false,
  },
  province: {
    name: 'province',
    roots: ['410000'],
    addCities: 16,
    districtsPerCity: 8,
    parks: 1_500,
    firms: 200_000,
    indicatorYears: 3,
    monthlyRows: 2_000_000,
    problems: 500_000,
    projects: 20_000,
    policies: 2_000,
    postgresOnly: false,
  },
  national: {
    name: 'national',
    roots: ['410000', '330000'],
    addCities: 16,
    districtsPerCity: 10,
    parks: 15_000,
    firms: 2_000_000,
    indicatorYears: 3,
    monthlyRows: 20_000_000,
    problems: 5_000_000,
    projects: 200_000,
    policies: 20_000,
    postgresOnly: true,
  },
};

/** Prefecture-level cities (GB/T 2260) that the demo tree lacks, per province. */
export const CITIES: Record<string, { code: string; name: string }[]> = {
  '410000': [
    { code: '410200', name: '开封市' },
    { code: '410300', name: '洛阳市' },
    { code: '410400', name: '平顶山市' },
    { code: '410500', name: '安阳市' },
    { code: '410600', name: '鹤壁市' },
    { code: '410700', name: '新乡市' },
    { code: '410800', name: '焦作市' },
    { code: '410900', name: '濮阳市' },
    { code: '411000', name: '许昌市' },
    { code: '411100', name: '漯河市' },
    { code: '411200', name: '三门峡市' },
    { code: '411300', name: '南阳市' },
    { code: '411400', name: '商丘市' },
    { code: '411500', name: '信阳市' },
    { code: '411600', name: '周口市' },
    { code: '411700', name: '驻马店市' },
  ],
  '330000': [
    { code: '330200', name: '宁波市' },
    { code: '330300', name: '温州市' },
    { code: '330400', name: '嘉兴市' },
    { code: '330500', name: '湖州市' },
    { code: '330600', name: '绍兴市' },
    { code: '330700', name: '金华市' },
    { code: '330800', name: '衢州市' },
    { code: '330900', name: '舟山市' },
    { code: '331000', name: '台州市' },
    { code: '331100', name: '丽水市' },
  ],
};

export const SYNTHETIC_SOURCE = 'Miaopu generator (synthetic, issue #19)';

const DISTRICT_WORDS = ['东城', '西城', '南湖', '北山', '中原', '新区', '高新', '港区', '滨河', '经开', '产业', '临空'];

/** The name of the k-th synthetic district of a city. */
export function syntheticDistrictName(cityName: string, k: number): string {
  const stem = cityName.replace(/市$/, '');
  const w = DISTRICT_WORDS[k % DISTRICT_WORDS.length]!;
  return `${stem}${w}${k >= DISTRICT_WORDS.length ? Math.floor(k / DISTRICT_WORDS.length) + 1 : ''}区（生成）`;
}

export function parseScale(name: string): ScaleSpec {
  const s = SCALES[name as ScaleName];
  if (!s) throw new Error(`unknown scale "${name}": use one of ${Object.keys(SCALES).join(', ')}`);
  return s;
}
