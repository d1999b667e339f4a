/**
 * Demo data for 三个一批, reproducing seed 003 (郑州晚报 2022-06-09) from rows: at the 4th event (期) Zhengzhou
 * tracked 签约 37 projects (434亿, 履约率 100%, 开工率 84%), 开工 206 (2,349亿; 406亿 invested this year =
 * 53.5% of the annual plan) and 投产 160 (1,182.5亿; 844亿 invested = 71.4%; 136 达效 = 85%), "截至5月底".
 * The KPI endpoint computes those figures from these rows; nothing here is a typed-in total of a KPI.
 * Amounts are split over generated projects with a fixed-seed PRNG; names other than the seven projects the
 * report names are invented and marked （演示）. Batch dates other than the 4th (April 2022) are approximate.
 */
import type { IndustryClass } from '../../../domain/projects.ts';
import { INCLUSION_THRESHOLD_WAN } from '../../../domain/projects.ts';
import type { Executor } from '../client.ts';
import {
  projectAnnualPlans,
  projectBatchEntries,
  projectBatches,
  projectMonthlyInvestments,
  projects,
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

/** Splits `total` (integer 万元) into parts proportional to `weights`, exactly. */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]!++;
  return parts;
}

function daysBetween(a: string, b: string) {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
function addDays(iso: string, days: number) {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const BATCHES = [
  { number: 1, heldOn: '2021-05-28', title: '第一期「三个一批」项目建设活动（演示日期）' },
  { number: 2, heldOn: '2021-09-28', title: '第二期「三个一批」项目建设活动（演示日期）' },
  { number: 3, heldOn: '2021-12-28', title: '第三期「三个一批」项目建设活动（演示日期）' },
  { number: 4, heldOn: '2022-04-15', title: '第四期「三个一批」项目建设活动' },
];

interface Named {
  name: string;
  owner: string;
  region: string;
  industryClass: IndustryClass;
  amountWan: number;
  list: 'start' | 'produce';
  effective?: boolean;
}

/** The seven projects seed 003 names (districts and amounts are demo assumptions). */
const NAMED: Named[] = [
  {
    name: '尊绅光电年产1500万片柔性显示模组项目',
    owner: '尊绅光电（演示）',
    region: '410184',
    industryClass: 'manufacturing',
    amountWan: 300_000,
    list: 'produce',
    effective: true,
  },
  {
    name: '超聚变数字技术有限公司智能制造产业链项目（二期）',
    owner: '超聚变数字技术有限公司',
    region: '410173',
    industryClass: 'strategic_emerging',
    amountWan: 500_000,
    list: 'produce',
    effective: true,
  },
  {
    name: '安图生物体外诊断产业园项目',
    owner: '安图生物',
    region: '410171',
    industryClass: 'strategic_emerging',
    amountWan: 420_000,
    list: 'start',
  },
  {
    name: '新密古城保护和有机更新项目',
    owner: '新密市城市更新投资主体（演示）',
    region: '410183',
    industryClass: 'social_livelihood',
    amountWan: 350_000,
    list: 'start',
  },
  {
    name: '商代王城遗址项目',
    owner: '管城回族区文旅投资主体（演示）',
    region: '410104',
    industryClass: 'social_livelihood',
    amountWan: 260_000,
    list: 'start',
  },
  {
    name: '河南明晟实业有限公司年产50万吨航空航天、汽车用铝及超硬3C材料生产项目（一期）',
    owner: '河南明晟实业有限公司',
    region: '410181',
    industryClass: 'manufacturing',
    amountWan: 320_000,
    list: 'produce',
    effective: false,
  },
  {
    name: '天凯东南绿色建筑科技（河南）有限公司装配式钢结构件及管桁架生产线项目',
    owner: '天凯东南绿色建筑科技（河南）有限公司',
    region: '410182',
    industryClass: 'manufacturing',
    amountWan: 100_000,
    list: 'produce',
    effective: false,
  },
];

const PRODUCTS = [
  '智能装备制造',
  '新能源汽车零部件',
  '电子信息产业园',
  '生物医药研发生产基地',
  '新材料产业化',
  '冷链物流园',
  '智慧仓储中心',
  '数据中心',
  '高端铝精深加工',
  '装配式建筑部品',
  '食品精深加工',
  '环保装备',
  '现代服务业综合体',
  '职业教育实训基地',
  '医院扩建',
  '城市道路改造',
];
const DISTRICT_WEIGHT = [
  '410102',
  '410103',
  '410104',
  '410105',
  '410106',
  '410108',
  '410122',
  '410171',
  '410172',
  '410173',
  '410181',
  '410182',
  '410183',
  '410184',
  '410185',
  '4101Z1',
];

const CLASS_FOR_PRODUCT: IndustryClass[] = [
  'manufacturing',
  'manufacturing',
  'strategic_emerging',
  'strategic_emerging',
  'manufacturing',
  'modern_services',
  'modern_services',
  'other',
  'manufacturing',
  'manufacturing',
  'investment_attraction',
  'manufacturing',
  'modern_services',
  'social_livelihood',
  'social_livelihood',
  'infrastructure',
];

export interface DemoProjectsResult {
  projects: number;
  batches: number;
}

export async function seedDemoProjects(
  ex: Executor,
  regionNames: Map<string, string>,
  govOrgByRegion: Map<string, string>,
  today: string,
): Promise<DemoProjectsResult> {
  const rand = mulberry32(20220609);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));

  const batchIds = new Map<number, string>();
  for (const b of BATCHES) {
    const [row] = await ex
      .insert(projectBatches)
      .values({ ...b, level: 'province' })
      .returning({ id: projectBatches.id });
    batchIds.set(b.number, row!.id);
  }

  type P = typeof projects.$inferInsert & { entries: { kind: 'sign' | 'start' | 'produce'; batch: number }[] };
  const all: P[] = [];
  let seq = 0;
  const base = (region: string, name: string, owner: string, cls: IndustryClass, amount: number): P => {
    seq++;
    const gov = govOrgByRegion.get(region);
    return {
      code: `3P-${String(seq).padStart(4, '0')}`,
      name,
      ownerName: owner,
      regionCode: region,
      industryClass: cls,
      totalInvestmentWan: amount,
      responsibleOrgId: gov ?? null,
      responsibleUnit: regionNames.get(region)
        ? `${regionNames.get(region)}${region.startsWith('41017') || region === '4101Z1' ? '管理委员会' : '人民政府'}`
        : '郑州市发展和改革委员会',
      responsiblePerson: pick(['张', '王', '李', '赵', '刘', '陈', '杨']) + pick(['伟', '芳', '军', '磊', '静', '强']),
      entries: [],
    };
  };
  const generated = (count: number, total: number) => {
    const weights = Array.from({ length: count }, () => 0.25 + rand() * 1.5);
    return split(total, weights).map((amount) => {
      const region = pick(DISTRICT_WEIGHT);
      const i = Math.floor(rand() * PRODUCTS.length);
      let cls = CLASS_FOR_PRODUCT[i]!;
      if ((INCLUSION_THRESHOLD_WAN[cls] ?? 0) > amount)
        cls = amount >= 30_000 ? 'manufacturing' : 'investment_attraction';
      const short = (regionNames.get(region) ?? '')
        .replace(/^郑州/, '')
        .replace(/(回族区|区|市|县)$/, '')
        .slice(0, 4);
      const owner = `郑州${short}${pick(['恒', '盛', '嘉', '华', '宏', '瑞', '鼎', '泰'])}${pick(['昌', '达', '源', '科', '联', '创'])}实业有限公司（演示）`;
      return base(region, `${owner.replace('有限公司（演示）', '')}${PRODUCTS[i]}项目`, owner, cls, amount);
    });
  };

  // ---- 签约一批, 4th event: 37 projects, 434亿; all performed; 25 due to start by 2022-05-31, 21 of them started.
  const signed = generated(37, 4_340_000);
  signed.forEach((p, i) => {
    p.signedOn = '2022-04-15';
    p.plannedPerformanceOn = '2022-05-15';
    p.performedOn = addDays('2022-04-15', between(3, 30));
    p.performanceEvidence = { company_registered: true, land_or_premises: i % 3 !== 0, capital_in_place: i % 2 === 0 };
    if (i < 25) {
      p.plannedStartOn = addDays('2022-04-20', between(0, 40));
      if (i < 21) {
        p.startedOn = [p.performedOn, p.plannedStartOn].sort()[1]!;
        if (p.startedOn > '2022-05-31') p.startedOn = '2022-05-31';
        p.stage = 'started';
      } else p.stage = 'performed';
    } else {
      p.plannedStartOn = addDays('2022-06-10', between(0, 100));
      p.stage = 'performed';
    }
    p.plannedProductionOn = addDays(p.plannedStartOn!, 540);
    p.entries.push({ kind: 'sign', batch: 4 });
  });

  // ---- 开工一批: 206 projects, 2,349亿; 2022 plan 758.88亿; 406亿 done Jan–May.
  const namedStart = NAMED.filter((n) => n.list === 'start').map((n) =>
    base(n.region, n.name, n.owner, n.industryClass, n.amountWan),
  );
  const startTotal = 23_490_000 - namedStart.reduce((a, p) => a + p.totalInvestmentWan, 0);
  const started = [...namedStart, ...generated(206 - namedStart.length, startTotal)];
  const plans = split(
    7_588_800,
    started.map((p) => p.totalInvestmentWan * (0.2 + rand() * 0.25)),
  );
  const done2022 = split(
    4_060_000,
    plans.map((pl) => pl * (0.35 + rand() * 0.4)),
  );
  const startPlans: { idx: number; plan: number; done: number }[] = [];
  started.forEach((p, i) => {
    const signedBatch = i % 5 === 0 ? 2 : i % 5 === 1 ? 3 : 4;
    p.signedOn = BATCHES[signedBatch - 1]!.heldOn;
    p.performedOn = addDays(p.signedOn, between(5, 40));
    p.plannedStartOn = addDays('2022-03-01', between(0, 40));
    p.startedOn = [p.plannedStartOn, p.performedOn].sort()[1]!;
    if (p.startedOn > '2022-04-15') p.startedOn = '2022-04-15';
    p.plannedProductionOn = addDays('2023-06-30', between(0, 365));
    p.stage = 'started';
    p.performanceEvidence = { company_registered: true, land_or_premises: true, construction_begun: true };
    if (signedBatch < 4) p.entries.push({ kind: 'sign', batch: signedBatch });
    p.entries.push({ kind: 'start', batch: 4 });
    startPlans.push({ idx: all.length + i, plan: plans[i]!, done: done2022[i]! });
  });
  all.push(...signed);
  for (const sp of startPlans) sp.idx += signed.length;
  all.push(...started);

  // ---- 投产一批: 160 projects, 1,182.5亿; 844亿 completed; 136 reached effect by 2022-05-31.
  const namedProduce = NAMED.filter((n) => n.list === 'produce');
  const producing = [
    ...namedProduce.map((n) => base(n.region, n.name, n.owner, n.industryClass, n.amountWan)),
    ...generated(160 - namedProduce.length, 11_825_000 - namedProduce.reduce((a, n) => a + n.amountWan, 0)),
  ];
  const completed = split(
    8_440_000,
    producing.map((p) => p.totalInvestmentWan * (0.55 + rand() * 0.3)),
  );
  // 136 effective: the named "effective" ones plus generated ones; the two in trial production are not.
  const effectiveIdx = new Set<number>();
  namedProduce.forEach((n, i) => {
    if (n.effective) effectiveIdx.add(i);
  });
  for (let i = namedProduce.length; effectiveIdx.size < 136 && i < producing.length; i++) effectiveIdx.add(i);
  const produceStart = all.length;
  producing.forEach((p, i) => {
    const startBatch = i % 4 === 0 ? 1 : i % 4 === 1 ? 2 : i % 4 === 2 ? 3 : null;
    // dates agree with the batches a project appears in: signed at its sign event, started at its start event
    const signBatch = startBatch && startBatch > 1 ? startBatch - 1 : null;
    p.signedOn = signBatch ? BATCHES[signBatch - 1]!.heldOn : addDays('2020-03-01', between(0, 200));
    p.startedOn = startBatch
      ? addDays(BATCHES[startBatch - 1]!.heldOn, between(0, 10))
      : addDays(p.signedOn, between(40, 120));
    p.plannedStartOn = addDays(p.startedOn, -between(0, 15));
    p.performedOn = addDays(
      p.signedOn,
      Math.min(between(5, 30), Math.max(1, daysBetween(p.signedOn, p.plannedStartOn))),
    );
    p.plannedProductionOn = addDays('2022-01-10', between(0, 90));
    p.productionOn = p.plannedProductionOn > '2022-04-15' ? '2022-04-15' : p.plannedProductionOn;
    p.plannedEffectiveOn = addDays(p.productionOn, 45);
    if (effectiveIdx.has(i)) {
      p.effectiveOn = addDays(p.productionOn, between(10, 40));
      if (p.effectiveOn > '2022-05-31') p.effectiveOn = '2022-05-31';
      p.stage = 'effective';
    } else p.stage = 'producing';
    p.performanceEvidence = { company_registered: true, land_or_premises: true, construction_begun: true };
    if (signBatch) p.entries.push({ kind: 'sign', batch: signBatch });
    if (startBatch) p.entries.push({ kind: 'start', batch: startBatch });
    p.entries.push({ kind: 'produce', batch: 4 });
  });
  all.push(...producing);

  // ---- a recent event (demo activity up to the present): eight signed projects around today, so every delay
  // colour and the below-threshold warning occur in the data
  const recentHeld = addDays(today, -120);
  const recentBatch = { number: 22, heldOn: recentHeld, title: '第二十二期「三个一批」项目建设活动（演示）' };
  const [recentRow] = await ex
    .insert(projectBatches)
    .values({ ...recentBatch, level: 'province' })
    .returning({ id: projectBatches.id });
  batchIds.set(22, recentRow!.id);
  const offsets = [-20, -45, -70, -100, -130, 30, 60, -10];
  offsets.forEach((off, i) => {
    const region = DISTRICT_WEIGHT[i * 2]!;
    const amount = i === 7 ? 25_000 : between(30_000, 200_000);
    const p = base(
      region,
      `近期签约${PRODUCTS[i]}项目（演示）`,
      `郑州近期签约企业${i + 1}号有限公司（演示）`,
      'manufacturing',
      amount,
    );
    p.signedOn = recentHeld;
    p.performedOn = addDays(recentHeld, 10);
    p.performanceEvidence = { company_registered: true };
    p.plannedStartOn = addDays(today, off);
    p.stage = 'performed';
    p.entries.push({ kind: 'sign', batch: 22 });
    all.push(p);
  });

  // ---- write
  const ids: string[] = [];
  for (let i = 0; i < all.length; i += 100) {
    const chunk = all.slice(i, i + 100);
    const rows = await ex
      .insert(projects)
      .values(chunk.map(({ entries: _e, ...p }) => p))
      .returning({ id: projects.id });
    ids.push(...rows.map((r) => r.id));
  }
  const entries = all.flatMap((p, i) =>
    p.entries.map((e) => ({ projectId: ids[i]!, kind: e.kind, batchId: batchIds.get(e.batch)! })),
  );
  for (let i = 0; i < entries.length; i += 500) await ex.insert(projectBatchEntries).values(entries.slice(i, i + 500));

  const plansRows = startPlans.map((sp) => ({ projectId: ids[sp.idx]!, year: 2022, plannedWan: sp.plan }));
  for (let i = 0; i < plansRows.length; i += 500)
    await ex.insert(projectAnnualPlans).values(plansRows.slice(i, i + 500));

  const monthly: (typeof projectMonthlyInvestments.$inferInsert)[] = [];
  for (const sp of startPlans) {
    const months = split(sp.done, [0.8, 0.9, 1, 1.1, 1.2]);
    months.forEach((amountWan, m) => {
      monthly.push({ projectId: ids[sp.idx]!, year: 2022, month: m + 1, amountWan, source: 'reported' });
    });
  }
  producing.forEach((p, i) => {
    const s = p.startedOn!;
    const startYm = Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
    const endYm = 2022 * 12 + 4; // May 2022
    const n = Math.max(1, endYm - startYm + 1);
    const parts = split(
      completed[i]!,
      Array.from({ length: n }, () => 1),
    );
    parts.forEach((amountWan, k) => {
      const ym = startYm + k;
      monthly.push({
        projectId: ids[produceStart + i]!,
        year: Math.floor(ym / 12),
        month: (ym % 12) + 1,
        amountWan,
        source: 'statistics',
      });
    });
  });
  for (let i = 0; i < monthly.length; i += 1000)
    await ex.insert(projectMonthlyInvestments).values(monthly.slice(i, i + 1000));
  return { projects: all.length, batches: BATCHES.length + 1 };
}
