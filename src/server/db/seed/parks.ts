/**
 * Demo parks from the seeds. Zhengzhou: 142 parks under key monitoring on 2022-06-09 with 2.6万亩 planned land
 * and 3,500万m² floor area (seed 003), 131 monitored on 2022-04-14 of which 72 newly planned, 14 parks
 * breaking ground that day (seed 000), 110亿元 industrial investment planned for 2022; the named parks of seeds
 * 000–003 (districts are demo assumptions where the seed does not say); 惠济区's two new parks (≈280亩,
 * 40万m², 25亿元; the fund town holds its land and planning certificates, 粤浦 has cleared its land: seed 001).
 * Fuyang: 11 recognised 小微企业创新园, 7 of them provincial (seed 004). Totals come from rows; generated
 * parks (marked （演示）) fill the rest with a fixed-seed PRNG. Milestones run to the present.
 */
import { wgs84ToGcj02 } from '../../../domain/geo.ts';
import { DEFAULT_MILESTONES, type ParkStage, reportDueOn, weekStart } from '../../../domain/parks.ts';
import { cityShapes } from '../../modules/parks/geo.ts';
import type { RegionIndex } from '../../platform/region-index.ts';
import type { Executor } from '../client.ts';
import {
  parkBuildings,
  parkInvestmentPlans,
  parkMilestones,
  parkMonthlyInvestments,
  parkReports,
  parkStageHistory,
  parks,
  parkUnits,
  regionInvestmentTargets,
} from '../schema/index.ts';

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` into integer parts proportional to `weights`, exactly. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]!++;
  return parts;
}

const addDays = (iso: string, d: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
const minDate = (a: string, b: string) => (a < b ? a : b);

/** Stage after n completed milestones of the default template. */
function stageAfter(done: number): ParkStage {
  if (done >= 9) return 'operating';
  if (done >= 8) return 'completed';
  if (done >= 6) return 'under_construction';
  if (done >= 4) return 'permitted';
  if (done >= 2) return 'land_acquired';
  if (done >= 1) return 'filed';
  return 'planned';
}
/** Planned offsets (days) of the template nodes from the ground-breaking date. */
const OFFSETS = [-300, -240, -180, -120, -60, 0, 300, 540, 600];

interface Named {
  name: string;
  region: string;
  land?: number;
  floor?: number;
  investment?: number;
  groundbreaking: string;
  done?: number;
  operator?: string;
  star?: { level: number; year: number };
  monitoredFrom?: string;
}

const ZZ_NAMED: Named[] = [
  { name: '中原小微企业园', region: '410102', groundbreaking: '2021-03-18' },
  { name: '芝麻街1958双创园', region: '410103', groundbreaking: '2019-05-10' },
  { name: '郑州科技创新园', region: '410172', groundbreaking: '2020-06-01' },
  { name: '深国际北方区域总部智慧港', region: '410102', groundbreaking: '2021-08-20' },
  { name: '锦荣国际时尚产业新城', region: '410103', groundbreaking: '2020-09-15' },
  { name: '中物科技园', region: '410103', groundbreaking: '2021-05-06' },
  { name: '登封新材料小微企业园', region: '410185', groundbreaking: '2022-04-14', operator: 'op-dengfeng' },
  { name: '中禾科创产业园', region: '410185', groundbreaking: '2022-04-14' },
  { name: '鲁庄镇铝精深加工小微企业园', region: '410181', groundbreaking: '2022-04-14' },
  { name: '巩义市产业孵化园', region: '410181', groundbreaking: '2019-03-01', star: { level: 2, year: 2021 } },
  {
    name: '惠济区粤浦科技智造谷',
    region: '410108',
    land: 160,
    floor: 220_000,
    investment: 140_000,
    groundbreaking: '2023-09-30',
    done: 1,
    operator: 'op-yuepu',
    monitoredFrom: '2022-03-15',
  },
  {
    name: '惠济区电子信息智能制造基金小镇',
    region: '410108',
    land: 120,
    floor: 180_000,
    investment: 110_000,
    groundbreaking: '2023-06-30',
    done: 4,
    monitoredFrom: '2022-03-15',
  },
];

const FY_NAMED = [
  '场口百丈小微企业创新园',
  '银湖创新中心小微企业创新园',
  '富春湾新城小微企业创新园',
  '东洲小微企业创新园',
  '新登小微企业创新园',
  '大源小微企业创新园',
  '春江小微企业创新园',
  '灵桥小微企业创新园',
  '万市小微企业创新园',
  '常安小微企业创新园',
  '渌渚小微企业创新园',
];

const ZZ_DISTRICTS = [
  '410102',
  '410103',
  '410104',
  '410105',
  '410106',
  '410108',
  '410122',
  '410181',
  '410182',
  '410183',
  '410184',
  '410185',
  '410171',
  '410172',
  '410173',
];
const THEMES = [
  '智能制造',
  '新材料',
  '电子信息',
  '生物医药',
  '装备制造',
  '食品加工',
  '现代物流',
  '科技创新',
  '数字经济',
  '汽车零部件',
  '节能环保',
  '服装服饰',
];
const INDUSTRY = ['C34', 'C30', 'C39', 'C27', 'C35', 'C13', 'G59', 'M73', 'I65', 'C36', 'N77', 'C18'];

export async function seedDemoParks(
  ex: Executor,
  regions: RegionIndex,
  orgIdByKey: Map<string, string>,
  today: string,
): Promise<{ parks: number }> {
  const rand = mulberry32(20220414);
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

  // district centroids (GCJ-02 shapes → approximately WGS-84)
  const centroid = new Map<string, [number, number]>();
  for (const city of ['410100', '330100']) {
    for (const f of cityShapes(city, regions)?.features ?? []) {
      const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
      const ring = (
        g.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]![0] : (g.coordinates as number[][][])[0]
      )!;
      const lng = ring.reduce((a, p) => a + p[0]!, 0) / ring.length;
      const lat = ring.reduce((a, p) => a + p[1]!, 0) / ring.length;
      const [gl, ga] = wgs84ToGcj02(lng, lat);
      if (f.properties.code) centroid.set(String(f.properties.code), [2 * lng - gl, 2 * lat - ga]);
    }
  }
  // functional zones have no shape: place them near their host districts
  centroid.set('410171', [113.78, 34.72]);
  centroid.set('410172', [113.55, 34.82]);
  centroid.set('410173', [113.84, 34.53]);
  const point = (region: string): [number, number] => {
    const c = centroid.get(region) ?? [113.65, 34.76];
    return [
      Math.round((c[0] + (rand() - 0.5) * 0.06) * 1e6) / 1e6,
      Math.round((c[1] + (rand() - 0.5) * 0.05) * 1e6) / 1e6,
    ];
  };

  interface Plan {
    values: typeof parks.$inferInsert;
    groundbreaking: string;
    done: number;
    startedOn142?: boolean;
  }
  const plans: Plan[] = [];

  // ---- Zhengzhou: 142 monitored on 2022-06-09 (59 older, 72 new in 2022 by 04-14, 11 between 04-15 and 06-09)
  const generatedCount = 142 - ZZ_NAMED.length;
  const namedLand = ZZ_NAMED.reduce((a, n) => a + (n.land ?? 0), 0);
  const namedFloor = ZZ_NAMED.reduce((a, n) => a + (n.floor ?? 0), 0);
  const sized = ZZ_NAMED.filter((n) => n.land).length;
  const weights = Array.from({ length: 142 - sized }, () => 0.4 + rand() * 1.2);
  const lands = split(2_600_000 - namedLand * 100, weights).map((v) => v / 100); // to 0.01 亩
  const floors = split(
    35_000_000 - namedFloor,
    weights.map((w, i) => w * (0.8 + ((i * 7) % 5) * 0.1)),
  );
  let k = 0;
  const monitoredFromFor = (i: number) =>
    i < 61
      ? addDays('2021-03-01', between(0, 280))
      : i < 131
        ? addDays('2022-01-05', between(0, 99))
        : addDays('2022-04-15', between(0, 55));
  const allZz: Named[] = [
    ...ZZ_NAMED,
    ...Array.from({ length: generatedCount }, (): Named => {
      const region = pick(ZZ_DISTRICTS);
      return {
        name: `${(regions.get(region)?.name ?? '').replace(/(回族区|区|市|县)$/, '').replace(/^郑州/, '')}${pick(THEMES)}小微企业园（演示）`,
        region,
        groundbreaking: addDays('2019-06-01', between(0, 1700)),
      };
    }),
  ];
  // 14 parks break ground on 2022-04-14 (the three named ones plus 11 of the newly planned)
  let started0414 = allZz.filter((n) => n.groundbreaking === '2022-04-14').length;
  const seen = new Set<string>();
  allZz.forEach((n, i) => {
    let name = n.name;
    while (seen.has(name)) name = name.replace('（演示）', `${between(2, 9)}期（演示）`);
    seen.add(name);
    const monitoredFrom = n.monitoredFrom ?? monitoredFromFor(i < ZZ_NAMED.length ? i * 5 : i);
    if (i >= ZZ_NAMED.length && started0414 < 14 && monitoredFrom >= '2022-01-05' && monitoredFrom <= '2022-04-14') {
      n.groundbreaking = '2022-04-14';
      started0414++;
    }
    const land = n.land ?? lands[k]!;
    const floor = n.floor ?? floors[k]!;
    if (!n.land) k++;
    // done nodes: those planned before today, with 25% of parks lagging 1–2 nodes
    const planned = OFFSETS.map((o) => addDays(n.groundbreaking, o));
    let done = n.done ?? planned.filter((d) => d <= today).length;
    if (n.done === undefined && rand() < 0.25 && done > 0 && done < 9) done = Math.max(0, done - between(1, 2));
    if (n.groundbreaking === '2022-04-14') done = Math.max(done, 6);
    const [lng, lat] = point(n.region);
    plans.push({
      values: {
        code: `ZZ-${String(i + 1).padStart(4, '0')}`,
        name,
        regionCode: n.region,
        address: `${regions.get(n.region)?.name ?? ''}（演示地址）`,
        lng,
        lat,
        category: rand() < 0.8 ? 'manufacturing' : 'producer_services',
        developmentMode: pick(['government', 'leading_enterprise', 'third_party', 'consortium'] as const),
        operatorOrgId: n.operator ? (orgIdByKey.get(n.operator) ?? null) : null,
        landAreaMu: land,
        floorAreaM2: floor,
        plannedInvestmentWan: n.investment ?? Math.round(land * between(600, 1400)),
        industryCodes: [pick(INDUSTRY)],
        positioning: `${pick(THEMES)}产业集聚`,
        stage: stageAfter(done),
        monitoredFrom,
        starLevel: n.star?.level ?? null,
        starYear: n.star?.year ?? null,
        recognitionLevel: n.star ? 'municipal' : null,
        recognizedOn: n.star ? '2022-07-13' : null,
        recognitionBatch: n.star ? '郑州市2021年度小微企业园认定评价' : null,
      },
      groundbreaking: n.groundbreaking,
      done,
    });
  });

  // ---- Fuyang: 11 recognised 小微企业创新园 (first batch 2019: 7 provincial)
  FY_NAMED.forEach((name, i) => {
    const [lng, lat] = point('330111');
    const gb = addDays('2017-03-01', between(0, 600));
    plans.push({
      values: {
        code: `FY-${String(i + 1).padStart(3, '0')}`,
        name,
        regionCode: '330111',
        address: '杭州市富阳区（演示地址）',
        lng,
        lat,
        category: 'manufacturing',
        developmentMode: pick(['government', 'third_party'] as const),
        landAreaMu: between(60, 220),
        floorAreaM2: between(60_000, 260_000),
        plannedInvestmentWan: between(30_000, 120_000),
        industryCodes: [pick(INDUSTRY)],
        positioning: '小微企业创新园',
        stage: 'operating',
        recognitionLevel: i < 7 ? 'provincial' : 'county',
        recognitionBatch: '富阳区首批小微企业创新园（2019）',
        recognizedOn: '2019-12-20',
        monitoredFrom: '2019-12-20',
      },
      groundbreaking: gb,
      done: 9,
    });
  });

  // ---- write parks, stage history, milestones
  const ids: string[] = [];
  for (let i = 0; i < plans.length; i += 100) {
    const rows = await ex
      .insert(parks)
      .values(plans.slice(i, i + 100).map((p) => p.values))
      .returning({ id: parks.id });
    ids.push(...rows.map((r) => r.id));
  }
  const milestones: (typeof parkMilestones.$inferInsert)[] = [];
  const history: (typeof parkStageHistory.$inferInsert)[] = [];
  plans.forEach((p, i) => {
    let last = '';
    DEFAULT_MILESTONES.forEach((m, j) => {
      const plannedOn = addDays(p.groundbreaking, OFFSETS[j]!);
      let actualOn: string | null = null;
      if (j < p.done) {
        actualOn =
          m.key === 'groundbreaking' && p.groundbreaking === '2022-04-14'
            ? '2022-04-14'
            : addDays(plannedOn, between(-20, 45));
        actualOn = minDate(actualOn, today);
        if (actualOn < last) actualOn = last;
        last = actualOn;
        const stage = stageAfter(j + 1);
        if (stageAfter(j) !== stage) history.push({ parkId: ids[i]!, stage, on: actualOn });
      }
      milestones.push({ parkId: ids[i]!, seq: j + 1, key: m.key, name: m.name, plannedOn, actualOn });
    });
    history.unshift({ parkId: ids[i]!, stage: 'planned', on: addDays(p.groundbreaking, -360) });
  });
  for (let i = 0; i < milestones.length; i += 1000)
    await ex.insert(parkMilestones).values(milestones.slice(i, i + 1000));
  for (let i = 0; i < history.length; i += 1000) await ex.insert(parkStageHistory).values(history.slice(i, i + 1000));

  // ---- 2022 industrial investment: 110亿 planned over Zhengzhou's 142 parks; January–May completed ≈ 38%
  const zz = plans.map((p, i) => ({ p, id: ids[i]! })).filter((x) => x.p.values.regionCode !== '330111');
  const plan2022 = split(
    1_100_000,
    zz.map((x) => x.p.values.plannedInvestmentWan as number),
  );
  await ex
    .insert(parkInvestmentPlans)
    .values(zz.map((x, i) => ({ parkId: x.id, year: 2022, plannedWan: plan2022[i]! })));
  const monthly: (typeof parkMonthlyInvestments.$inferInsert)[] = [];
  zz.forEach((x, i) => {
    const done = Math.round(plan2022[i]! * (0.25 + rand() * 0.3));
    split(done, [0.7, 0.8, 1, 1.1, 1.2]).forEach((amountWan, m) => {
      monthly.push({ parkId: x.id, year: 2022, month: m + 1, amountWan, source: 'reported' });
    });
  });
  for (let i = 0; i < monthly.length; i += 1000)
    await ex.insert(parkMonthlyInvestments).values(monthly.slice(i, i + 1000));
  const byRegion = new Map<string, number>();
  zz.forEach((x, i) => {
    byRegion.set(x.p.values.regionCode, (byRegion.get(x.p.values.regionCode) ?? 0) + plan2022[i]!);
  });
  await ex
    .insert(regionInvestmentTargets)
    .values([
      { regionCode: '410100', year: 2022, targetWan: 1_100_000 },
      ...[...byRegion].map(([regionCode, v]) => ({ regionCode, year: 2022, targetWan: Math.round(v * 1.05) })),
    ]);

  // ---- 惠济区 parks: weekly reports for the last six weeks (one late, one missing) and a building with units
  const huiji = plans.map((p, i) => ({ p, id: ids[i]! })).filter((x) => x.p.values.regionCode === '410108');
  const reports: (typeof parkReports.$inferInsert)[] = [];
  for (const x of huiji) {
    for (let w = 1; w <= 6; w++) {
      const periodStart = weekStart(addDays(today, -7 * w));
      const dueOn = reportDueOn('week', periodStart);
      if (w === 3) continue; // missing
      reports.push({
        parkId: x.id,
        period: 'week',
        periodStart,
        dueOn,
        submittedOn: w === 2 ? addDays(dueOn, 2) : dueOn,
        investmentWan: between(50, 400),
        progress: '按倒排工期推进前期手续办理，招商工作同步推进。',
        problems: w === 4 ? '土地摘牌前置手续需自然资源部门协调。' : '',
      });
    }
  }
  if (reports.length) await ex.insert(parkReports).values(reports);
  const operating = plans
    .map((p, i) => ({ p, id: ids[i]! }))
    .find((x) => x.p.values.stage === 'operating' && x.p.values.regionCode === '410108');
  for (const x of [operating].filter(Boolean) as { id: string }[]) {
    const [b] = await ex
      .insert(parkBuildings)
      .values({ parkId: x.id, name: '1号标准厂房', floors: 4 })
      .returning({ id: parkBuildings.id });
    const units: (typeof parkUnits.$inferInsert)[] = [];
    for (let f = 1; f <= 4; f++) {
      for (let u = 1; u <= 3; u++) {
        const area = f === 1 ? 1200 : 900;
        units.push({
          parkId: x.id,
          buildingId: b!.id,
          floor: f,
          code: `${f}0${u}`,
          areaM2: area,
          use: f === 4 && u === 3 ? 'office' : 'production',
          leasedM2: rand() < 0.75 ? area : 0,
        });
      }
    }
    await ex.insert(parkUnits).values(units);
  }
  return { parks: plans.length };
}
