/**
 * The cockpit summary (驾驶舱, issue #21): KPI tiles of one region on one date, scoped to the caller. Every value
 * comes from the SAME service function the owning module's endpoint uses (parks, projects, assistance, policies,
 * enterprises, cultivation); this file only calls them and arranges the results, with targets (module `targets`),
 * alerts and district rankings. The reports module imports `dashboardSummary` so that a report carries the
 * cockpit's figures for its period.
 */
import { asPercent, completionRate, type TargetPeriod, timeProgress } from '../../../domain/targets.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Scope } from '../../platform/scope.ts';
import { kpis as assistanceKpis, rankings as assistanceRankings } from '../assistance/kpis.ts';
import { settingsFor as assistanceSettings } from '../assistance/settings.ts';
import { kpis as cultivationKpis } from '../cultivation/service.ts';
import { expiringQualifications } from '../enterprises/qualifications.ts';
import { listEnterprises } from '../enterprises/service.ts';
import { parkInvestment, parkStats } from '../parks/service.ts';
import { policyStats } from '../policies/stats.ts';
import { batchAsOf, kpis as projectKpis, todayShanghai } from '../projects/service.ts';
import { targetsInForce } from '../targets/service.ts';

export type TileUnit = 'count' | 'mu' | 'm2' | 'wan' | 'yuan' | 'percent' | 'score';

export interface Tile {
  key: string;
  value: number | null;
  unit: TileUnit;
  /** The date the figure is as of (the registry and matching are current: today). */
  asOf: string;
  /** Where the figure comes from: `module:detail` (the web names it). */
  source: string;
  /** The list behind the tile (a web route with filters). */
  href: string;
  /** How it is computed, zh-CN and en (the provenance tooltip). */
  how: string;
  howEn: string;
  /** The endpoint that gives the same figure. */
  endpoint: string;
  group: 'parks' | 'projects' | 'firms' | 'assistance' | 'policies';
  /** Target of the period containing asOf (module `targets`), cumulative from the start of the year. */
  target?: number | null;
  targetPeriod?: { period: TargetPeriod; year: number; no: number; basis: string } | null;
  /** 完成率, percent (value / target). */
  completionRate?: number | null;
  /** 时序进度, percent of the target's period elapsed at the end of asOf. */
  timeProgress?: number | null;
  /** completionRate − timeProgress, percentage points (negative = behind). */
  gapPp?: number | null;
}

export interface Alert {
  key: 'overdueMilestones' | 'overdueProblems' | 'laggingInvestment' | 'expiringQualifications' | 'behindTarget';
  count: number;
  level: 'red' | 'orange' | 'yellow';
  href: string;
  how: string;
  howEn: string;
  /** Names of what is affected (districts, indicators), at most ten. */
  items: string[];
}

export interface Ranking {
  key: 'parks.firms' | 'parks.investmentRate' | 'assistance.resolutionRate';
  unit: TileUnit;
  href: string;
  how: string;
  howEn: string;
  items: { code: string; name: string; value: number | null; n: number; rank: number | null }[];
}

export interface DistrictFigures {
  code: string;
  name: string;
  parks: number;
  landMu: number;
  floorAreaM2: number;
  firms: number;
  investmentWan: number;
  investmentRate: number | null;
  problems: number;
}

export interface DashboardSummary {
  region: string;
  regionName: string;
  asOf: string;
  /** When the summary was computed (for the big screen's "updated at"). */
  generatedAt: string;
  tiles: Tile[];
  parksByStage: Record<string, number>;
  alerts: Alert[];
  rankings: Ranking[];
  districts: DistrictFigures[];
}

/** Who asks: their scope decides which regions they may ask for (a district admin: their district only). */
export interface SummaryActor {
  scope: Scope;
}

/** The region of a summary request: the caller's root by default; 403 outside the caller's subtree. */
export function summaryRegion(deps: Pick<AppDeps, 'regions'>, scope: Scope, regionCode?: string): string {
  if (scope.kind !== 'region' || !scope.rootRegion) throw new AppError('FORBIDDEN');
  const region = regionCode ?? scope.rootRegion;
  if (!deps.regions.get(region))
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'region', message: region }] });
  if (!scope.regionCodes.includes(region)) throw new AppError('REGION_OUT_OF_SCOPE', { region });
  return region;
}

const ASSISTANCE_FROM = '2021-06-01';
const round = (v: number, dp = 2) => Math.round(v * 10 ** dp) / 10 ** dp;
const pct = (fraction: number | null) => (fraction === null ? null : round(fraction * 100, 2));

export async function dashboardSummary(
  deps: AppDeps,
  actor: SummaryActor,
  opts: { regionCode?: string; asOf?: string } = {},
): Promise<DashboardSummary> {
  const { db } = deps.database;
  const scope = actor.scope;
  const region = summaryRegion(deps, scope, opts.regionCode);
  const today = todayShanghai(deps.clock.now());
  const asOf = opts.asOf ?? today;
  const year = Number(asOf.slice(0, 4));
  const codes = deps.regions.subtree(region);
  const q = (s: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) if (v !== undefined && v !== '') p.set(k, String(v));
    const t = p.toString();
    return t ? `?${t}` : '';
  };

  // ---- the modules' own figures (the same functions their endpoints call) ----
  const parks = await parkStats(deps, scope, { region, asOf });
  const investment = await parkInvestment(deps, scope, { year, asOf, region }, today);
  const batch = await batchAsOf(deps, asOf);
  const projects = batch === null ? null : await projectKpis(deps, scope, { batch, region, asOf });
  const st = await assistanceSettings(db, deps.regions, region);
  const help = await assistanceKpis(db, { regionCodes: codes, from: ASSISTANCE_FROM, to: asOf }, st);
  const policy = await policyStats(deps, scope, { region, asOf });
  const dataYear = year - 1;
  const firmCount = async (f: Parameters<typeof listEnterprises>[2], y = dataYear) =>
    (await listEnterprises(db, scope, { region: codes, ...f }, { page: 1, pageSize: 1 }, y)).total;
  const firmsTotal = await firmCount({ status: 'active' });
  const firmsAbove = await firmCount({ aboveScale: true });
  const firmsTech = await firmCount({ qualification: 'tech_sme' }, year);
  const ladder = await cultivationKpis(db, codes, region, year);

  const tiles: Tile[] = [];
  const add = (t: Omit<Tile, 'asOf'> & { asOf?: string }) => tiles.push({ asOf, ...t });
  const parksHref = `/parks${q({ region: region === scope.rootRegion ? undefined : region })}`;
  add({
    key: 'parks.monitored',
    group: 'parks',
    value: parks.monitoredParks,
    unit: 'count',
    source: 'parks:registry',
    href: parksHref,
    endpoint: `/api/v1/parks/stats${q({ region, asOf })}`,
    how: '重点监测小微企业园数：监测起始日不晚于该日、且未结束监测的园区（园区台账）。',
    howEn:
      'Parks under key monitoring on the date: monitoring began on or before it and had not ended (park registry).',
  });
  add({
    key: 'parks.landMu',
    group: 'parks',
    value: parks.landAreaMu,
    unit: 'mu',
    source: 'parks:registry',
    href: parksHref,
    endpoint: `/api/v1/parks/stats${q({ region, asOf })}`,
    how: '上述园区规划占地面积之和（亩）。',
    howEn: 'Sum of the planned land area of those parks (mu).',
  });
  add({
    key: 'parks.floorAreaM2',
    group: 'parks',
    value: parks.floorAreaM2,
    unit: 'm2',
    source: 'parks:registry',
    href: parksHref,
    endpoint: `/api/v1/parks/stats${q({ region, asOf })}`,
    how: '上述园区规划建筑面积之和（平方米）。',
    howEn: 'Sum of the planned floor area of those parks (m²).',
  });
  add({
    key: 'parks.firms',
    group: 'parks',
    value: parks.firms,
    unit: 'count',
    source: 'enterprises:tenancies',
    href: parksHref,
    endpoint: `/api/v1/parks/stats${q({ region, asOf })}`,
    how: '入园企业数：在上述园区有租约、且该日租约有效（起租日不晚于该日，未到期）的企业，按企业去重。',
    howEn: 'Firms settled in those parks: distinct firms with a tenancy running on the date (started, not yet ended).',
  });
  add({
    key: 'parks.investmentWan',
    group: 'parks',
    value: investment.total.completedWan,
    unit: 'wan',
    source: 'parks:monthly-investment',
    href: `/parks/investment${q({ year })}`,
    endpoint: `/api/v1/parks/investment${q({ year, asOf, region })}`,
    how: '园区工业投资：当年1月至该日所在月各园区上报的月度完成投资之和（万元）。',
    howEn:
      'Industrial investment in the parks: monthly completed investment reported from January to the month of the date (10k yuan).',
  });
  add({
    key: 'parks.overdue',
    group: 'parks',
    value: parks.overdueParks,
    unit: 'count',
    source: 'parks:milestones',
    href: `/parks${q({ region: region === scope.rootRegion ? undefined : region, overdue: 'true' })}`,
    endpoint: `/api/v1/parks/stats${q({ region, asOf })}`,
    how: '有节点逾期（计划日期已过、尚未完成）的监测园区数（倒排工期）。',
    howEn: 'Monitored parks with a milestone past its planned date and not done (milestone schedule).',
  });

  if (projects && batch !== null) {
    const projHref = `/projects/list${q({ batch, region: region === scope.rootRegion ? undefined : region })}`;
    const endpoint = `/api/v1/projects/kpis${q({ batch, region, asOf })}`;
    const src = 'projects:batches';
    add({
      key: 'projects.total',
      group: 'projects',
      value: projects.total.count,
      unit: 'count',
      source: src,
      href: projHref,
      endpoint,
      how: `第${batch}期「三个一批」项目数（签约、开工、投产三类之和；该日之前最近一期）。`,
      howEn: `Projects of batch ${batch} of the three-batches programme (signed + started + producing; the latest batch held by the date).`,
    });
    add({
      key: 'projects.investmentYi',
      group: 'projects',
      value: projects.total.investment,
      unit: 'wan',
      source: src,
      href: projHref,
      endpoint,
      how: '上述项目总投资之和（亿元，显示时换算）。',
      howEn: 'Total investment of those projects (100 million yuan).',
    });
    add({
      key: 'projects.performanceRate',
      group: 'projects',
      value: projects.signed.performanceRate,
      unit: 'percent',
      source: src,
      href: projHref,
      endpoint,
      how: '履约率 = 已履约签约项目数 ÷ 签约一批项目数（rules.md §7.2）。',
      howEn: 'Contract performance rate = performed signed projects ÷ signed projects (rules.md §7.2).',
    });
    add({
      key: 'projects.startRate',
      group: 'projects',
      value: projects.signed.startRate,
      unit: 'percent',
      source: src,
      href: projHref,
      endpoint,
      how: '开工率 = 已开工项目数 ÷ 应开工项目数（rules.md §7.2）。',
      howEn: 'Start rate = started projects ÷ projects due to start (rules.md §7.2).',
    });
    add({
      key: 'projects.yearCompletionRate',
      group: 'projects',
      value: projects.started.yearCompletionRate,
      unit: 'percent',
      source: src,
      href: projHref,
      endpoint,
      how: '开工一批年度投资完成率 = 年度已完成投资 ÷ 年度计划投资。',
      howEn: 'Started projects: investment completed this year ÷ the year’s planned investment.',
    });
    add({
      key: 'projects.effectiveRate',
      group: 'projects',
      value: projects.producing.effectiveRate,
      unit: 'percent',
      source: src,
      href: projHref,
      endpoint,
      how: '达效率 = 达效项目数 ÷ 投产一批项目数（rules.md §7.2）。',
      howEn: 'Effect-reached rate = projects at designed effect ÷ producing projects (rules.md §7.2).',
    });
  }

  const entHref = (f: Record<string, string | number | undefined>) =>
    `/enterprises${q({ region: region === scope.rootRegion ? undefined : region, ...f })}`;
  add({
    key: 'firms.total',
    group: 'firms',
    value: firmsTotal,
    unit: 'count',
    asOf: today,
    source: 'enterprises:registry',
    href: entHref({ status: 'active' }),
    endpoint: `/api/v1/enterprises${q({ region, status: 'active', pageSize: 1 })}`,
    how: '企业库中存续（在册）的企业数，按统一社会信用代码；企业库为当前状态，不随日期回溯。',
    howEn: 'Active firms in the registry (by USCC); the registry is current and does not go back in time.',
  });
  add({
    key: 'firms.aboveScale',
    group: 'firms',
    value: firmsAbove,
    unit: 'count',
    asOf: today,
    source: 'enterprises:facts',
    href: entHref({ aboveScale: 'true', year: dataYear }),
    endpoint: `/api/v1/enterprises${q({ region, aboveScale: 'true', year: dataYear, pageSize: 1 })}`,
    how: `规上企业数：${dataYear}年企业事实（统计局等来源的有效值）判定为规模以上的企业。`,
    howEn: `Above-scale firms: firms whose ${dataYear} facts (effective values, statistics bureau first) are above the threshold.`,
  });
  add({
    key: 'firms.techSme',
    group: 'firms',
    value: firmsTech,
    unit: 'count',
    asOf: today,
    source: 'enterprises:qualifications',
    href: entHref({ qualification: 'tech_sme', year }),
    endpoint: `/api/v1/enterprises${q({ region, qualification: 'tech_sme', year, pageSize: 1 })}`,
    how: `科技型中小企业：${year}年内仍有效的科技型中小企业资格。`,
    howEn: `Tech-based SMEs: firms with a tech-based SME qualification valid in ${year}.`,
  });
  const ladderHref = `/cultivation${q({ region: region === scope.rootRegion ? undefined : region })}`;
  const ladderEndpoint = `/api/v1/cultivation/kpis${q({ region, year })}`;
  const ladderTiles: [string, number, string, string][] = [
    [
      'firms.innovativeSme',
      ladder.innovativeSme.total,
      '创新型中小企业：认定记录中在年末仍有效的企业数。',
      'Innovative SMEs: firms with a recognition valid at the year end.',
    ],
    [
      'firms.srdi',
      ladder.srdi.municipal.total + ladder.srdi.provincial.total,
      '专精特新中小企业（市级＋省级）：认定记录中在年末仍有效的企业数。',
      'SRDI SMEs (municipal + provincial): firms with a recognition valid at the year end.',
    ],
    [
      'firms.srdiNew',
      ladder.srdi.new,
      `${year}年新认定的专精特新中小企业数（按认定日期，整年口径）。`,
      `SRDI SMEs newly recognised in ${year} (by recognition date, whole year).`,
    ],
    [
      'firms.littleGiant',
      ladder.littleGiant.total,
      '专精特新“小巨人”：认定记录中在年末仍有效的企业数。',
      'Little giants: firms with a recognition valid at the year end.',
    ],
    [
      'firms.scaleUpNew',
      ladder.scaleUp.new,
      `${year}年首次进入规上的企业数（小升规，企业事实）。`,
      `Firms above scale for the first time in ${year} (scale-up, from the facts).`,
    ],
  ];
  for (const [key, value, how, howEn] of ladderTiles)
    add({
      key,
      group: 'firms',
      value,
      unit: 'count',
      asOf: `${year}-12-31` < today ? `${year}-12-31` : today,
      source: 'cultivation:certifications',
      href: ladderHref,
      endpoint: ladderEndpoint,
      how,
      howEn,
    });

  const helpHref = `/assistance/problems`;
  const helpEndpoint = `/api/v1/assistance/kpis${q({ region, from: ASSISTANCE_FROM, to: asOf })}`;
  const helpTiles: [string, number | null, TileUnit, string, string][] = [
    [
      'assistance.collected',
      help.collected,
      'count',
      `收集问题数：${ASSISTANCE_FROM}（活动开展）至该日受理的企业诉求。`,
      `Problems collected from ${ASSISTANCE_FROM} (start of the campaign) to the date.`,
    ],
    [
      'assistance.resolved',
      help.resolved,
      'count',
      '已解决问题数：截至该日办结且结论为已解决或部分解决的诉求。',
      'Problems solved by the end of the date (resolved or partly resolved).',
    ],
    [
      'assistance.resolutionRate',
      pct(help.resolutionRate),
      'percent',
      '解决率 = 已解决 ÷ 收集（rules.md §6.4）。',
      'Resolution rate = solved ÷ collected (rules.md §6.4).',
    ],
    [
      'assistance.onTimeRate',
      pct(help.onTimeRate),
      'percent',
      '按期办结率 = 按期解决 ÷（已解决＋逾期未办结）（rules.md §6.4）。',
      'On-time rate = solved on time ÷ (solved + overdue open) (rules.md §6.4).',
    ],
    [
      'assistance.satisfactionRate',
      pct(help.satisfactionRate),
      'percent',
      '满意率：企业评价中满意（及按设置计入的基本满意）的占比。',
      'Satisfaction: share of firm ratings that are satisfied (and basically satisfied, per the setting).',
    ],
    [
      'assistance.overdue',
      help.overdue,
      'count',
      '逾期未办结的诉求数（截至该日）。',
      'Problems open past their deadline at the end of the date.',
    ],
  ];
  for (const [key, value, unit, how, howEn] of helpTiles)
    add({
      key,
      group: 'assistance',
      value,
      unit,
      source: 'assistance:problems',
      href: key === 'assistance.overdue' ? `${helpHref}?overdue=true` : helpHref,
      endpoint: helpEndpoint,
      how,
      howEn,
    });

  const polEndpoint = `/api/v1/policies/stats${q({ region, asOf })}`;
  add({
    key: 'policies.count',
    group: 'policies',
    value: policy.policies,
    unit: 'count',
    source: 'policies:library',
    href: '/policies',
    endpoint: polEndpoint,
    how: '政策库条数：该日及之前发布（含其后失效）、适用于本区域（本级、下级及上级）的政策。',
    howEn: 'Policies in the library: published on or before the date (incl. later expired), applying to the region.',
  });
  add({
    key: 'policies.issuers',
    group: 'policies',
    value: policy.issuers,
    unit: 'count',
    source: 'policies:library',
    href: '/policies',
    endpoint: polEndpoint,
    how: '上述政策的发文单位数（按单位去重）。',
    howEn: 'Issuing departments of those policies (distinct).',
  });
  add({
    key: 'policies.matchedFirms',
    group: 'policies',
    value: policy.matchedFirms,
    unit: 'count',
    asOf: today,
    source: 'policies:matching',
    href: '/policies',
    endpoint: polEndpoint,
    how: '当前匹配结果中至少符合一条政策条款的企业数（每晚及发布时重新匹配）。',
    howEn:
      'Firms eligible for at least one policy clause in the current matching results (rematched nightly and on publish).',
  });
  add({
    key: 'policies.paidYuan',
    group: 'policies',
    value: policy.paidYuan,
    unit: 'yuan',
    source: 'policies:payouts',
    href: '/policies/payouts',
    endpoint: polEndpoint,
    how: '已兑付奖补资金：截至该日日终，状态为已拨付的兑付记录金额之和（元）。',
    howEn: 'Money paid: payouts recorded as paid by the end of the date (yuan).',
  });

  // ---- targets: 完成率 and 时序进度 ----
  const inForce = await targetsInForce(db, region, asOf);
  for (const tile of tiles) {
    const t = inForce.get(tile.key);
    if (!t) continue;
    const rate = completionRate(tile.value, t.value);
    const progress = timeProgress(t.period, t.year, t.periodNo, asOf);
    tile.target = t.value;
    tile.targetPeriod = { period: t.period, year: t.year, no: t.periodNo, basis: t.basis };
    tile.completionRate = asPercent(rate);
    tile.timeProgress = asPercent(progress);
    tile.gapPp = rate === null ? null : round((rate - progress) * 100, 2);
  }

  // ---- districts (children of the region), rankings with n ----
  const children = deps.regions.all().filter((r) => r.parentCode === region);
  const investBy = new Map(investment.regions.map((r) => [r.regionCode, r]));
  const parksBy = new Map(parks.byRegion.map((r) => [r.regionCode, r]));
  const helpRank =
    children.length > 0
      ? await assistanceRankings(
          db,
          deps.regions,
          { root: region, by: 'district', from: ASSISTANCE_FROM, to: asOf, rankBy: 'resolutionRate' },
          codes,
          st,
        )
      : [];
  const districts: DistrictFigures[] = children.map((ch) => {
    const sub = new Set(deps.regions.subtree(ch.code));
    let p = 0;
    let land = 0;
    let floor = 0;
    let firms = 0;
    for (const [code, r] of parksBy)
      if (sub.has(code)) {
        p += r.parks;
        land += r.landAreaMu;
        floor += r.floorAreaM2;
        firms += r.firms;
      }
    let done = 0;
    let target = 0;
    for (const [code, r] of investBy)
      if (sub.has(code)) {
        done += r.completedWan;
        target += r.targetWan;
      }
    const h = helpRank.find((u) => u.code === ch.code);
    return {
      code: ch.code,
      name: ch.name,
      parks: p,
      landMu: round(land),
      floorAreaM2: round(floor),
      firms,
      investmentWan: round(done),
      investmentRate: target > 0 ? round((done / target) * 100) : null,
      problems: h?.n ?? 0,
    };
  });
  const ranked = (values: { code: string; name: string; value: number | null; n: number }[]) => {
    const sorted = values
      .filter((v) => v.n > 0)
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.code.localeCompare(b.code));
    return sorted.map((v, i) => ({ ...v, rank: v.value === null ? null : i + 1 }));
  };
  const rankings: Ranking[] = [];
  if (children.length > 0) {
    rankings.push({
      key: 'parks.firms',
      unit: 'count',
      href: '/parks',
      how: '各区县（市）监测园区的入园企业数；n 为监测园区数。',
      howEn: 'Firms settled in each district’s monitored parks; n = monitored parks.',
      items: ranked(districts.map((d) => ({ code: d.code, name: d.name, value: d.firms, n: d.parks }))),
    });
    rankings.push({
      key: 'parks.investmentRate',
      unit: 'percent',
      href: `/parks/investment${q({ year })}`,
      how: '园区工业投资完成率 = 当年完成投资 ÷ 目标（无目标时为计划）；n 为园区数。',
      howEn: 'Park investment completion = completed this year ÷ target (plan when no target); n = parks.',
      items: ranked(
        districts.map((d) => ({
          code: d.code,
          name: d.name,
          value: d.investmentRate,
          n: investment.regions
            .filter((r) => deps.regions.subtree(d.code).includes(r.regionCode))
            .reduce((a, r) => a + r.parks, 0),
        })),
      ),
    });
    rankings.push({
      key: 'assistance.resolutionRate',
      unit: 'percent',
      href: '/assistance',
      how: `问题解决率排名（万人助万企模块的排名，样本少于 ${st.minRankingSample} 件不排名）；n 为收集问题数。`,
      howEn: `Resolution rate ranking (the assistance module’s; fewer than ${st.minRankingSample} problems are not ranked); n = problems.`,
      items: helpRank.map((u) => ({
        code: u.code ?? u.key,
        name: u.name,
        value: pct(u.resolutionRate),
        n: u.n,
        rank: u.rank ?? null,
      })),
    });
  }

  // ---- alerts ----
  const alerts: Alert[] = [];
  const lagging = investment.regions.filter((r) => r.gapPp !== null && r.gapPp < -10);
  const behind = tiles.filter((t) => t.gapPp !== undefined && t.gapPp !== null && t.gapPp < -10);
  alerts.push(
    {
      key: 'overdueMilestones',
      count: parks.overdueParks,
      level: parks.overdueParks > 0 ? 'red' : 'yellow',
      href: `/parks${q({ region: region === scope.rootRegion ? undefined : region, overdue: 'true' })}`,
      how: '有节点逾期的监测园区（计划日期已过、尚未完成）。',
      howEn: 'Monitored parks with a milestone past its planned date.',
      items: [],
    },
    {
      key: 'overdueProblems',
      count: help.overdue,
      level: help.overdue > 0 ? 'red' : 'yellow',
      href: '/assistance/problems?overdue=true',
      how: '超过办理时限仍未办结的企业诉求。',
      howEn: 'Firm problems open past their deadline.',
      items: [],
    },
    {
      key: 'laggingInvestment',
      count: lagging.length,
      level: lagging.length > 0 ? 'orange' : 'yellow',
      href: `/parks/investment${q({ year })}`,
      how: '园区工业投资完成率落后时序进度 10 个百分点以上的区县（市）。',
      howEn: 'Districts whose park investment completion trails the time progress by more than 10 points.',
      items: lagging.slice(0, 10).map((r) => r.regionName),
    },
  );
  const exp = await expiringQualifications(db, scope, codes, asOf);
  alerts.push({
    key: 'expiringQualifications',
    count: exp.count,
    level: exp.count > 0 ? 'orange' : 'yellow',
    href: ladderHref,
    how: '90 天内到期的企业资质（高新、科技型、创新型、专精特新等），需提前复核。',
    howEn: 'Firm qualifications expiring within 90 days (high-tech, tech SME, innovative, SRDI …); review ahead.',
    items: exp.types,
  });
  alerts.push({
    key: 'behindTarget',
    count: behind.length,
    level: behind.length > 0 ? 'orange' : 'yellow',
    href: '/targets',
    how: '完成率落后时序进度 10 个百分点以上的目标任务。',
    howEn: 'Targets whose completion trails the time progress by more than 10 points.',
    items: behind.map((t) => t.key),
  });

  return {
    region,
    regionName: deps.regions.get(region)?.name ?? region,
    asOf,
    generatedAt: deps.clock.now().toISOString(),
    tiles,
    parksByStage: parks.byStage,
    alerts,
    rankings,
    districts,
  };
}
