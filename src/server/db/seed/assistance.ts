/**
 * Demo data of 万人助万企 (issue #6), built from rows so the KPI endpoint reproduces the published figures:
 * - 郑州 (seed 003, 正观新闻·郑州晚报 2022-06, "截至目前" = end of May 2022): 211 work groups, 5,084 cadres, pairings
 *   with 12,327 enterprises, 24,570 visits, 9,493 symposia, 11,449 problems collected 2021-06 … 2022-05-31 of
 *   which 11,423 solved by 2022-05-31 (the other 26 arrived in the last week of May and were solved in June,
 *   within their 7-day deadline).
 * - 惠济区 (seed 001, reply of 2023-05-15): 633 problems collected since the campaign began, 227 of them in 2023,
 *   200 solved, 7 within their deadline and still being handled; the other 20 of 2023 were closed with an
 *   explanation (政策限制 / 非本级事权 / 企业撤回 / 重复), not solved (decision 0014); 惠济 has the best 办结率 and
 *   满意率 of the six urban districts in 2023.
 * - The registry holds ~300 firms, so most pairings name firms of the 「四上」 roster without a registry row
 *   (enterprise_id null); historical problems name those firms and carry no timeline. Activity continues to the
 *   present at a lower volume; the demo firm 郑州惠科精密制造 has problems in every state, paired with `cadre`.
 */
import { and, eq, inArray, like, sql } from 'drizzle-orm';
import { deadlinesFor } from '../../../domain/assistance/deadlines.ts';
import { maskMobile } from '../../../domain/personal-data.ts';
import { CATEGORIES, DEFAULT_ASSISTANCE_SETTINGS } from '../../modules/assistance/settings.ts';
import type { FieldCipher } from '../../platform/field-cipher.ts';
import type { Executor } from '../client.ts';
import {
  type assistanceCadres,
  assistanceCommonIssues,
  type assistancePairings,
  assistancePreferences,
  assistanceProblemEvents,
  assistanceProblems,
  assistanceVisits,
  assistanceWorkGroups,
  enterprises,
  orgs,
  regions,
  settings,
  users,
} from '../schema/index.ts';
import { syntheticUscc } from './enterprises.ts';

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

/**
 * Bulk insert through one JSON parameter (jsonb_populate_recordset): far faster than thousands of bound
 * parameters on PGlite. Columns missing from a row are null; columns no row names take their defaults.
 */
async function bulkInsert<T extends Record<string, unknown>>(
  ex: Executor,
  table: string,
  rows: T[],
  returning?: string[],
): Promise<Record<string, unknown>[]> {
  const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))].map(snake);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += 4000) {
    const json = JSON.stringify(
      rows.slice(i, i + 4000).map((r) =>
        Object.fromEntries(
          Object.entries(r)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [snake(k), v instanceof Date ? v.toISOString() : v]),
        ),
      ),
    );
    const list = cols.map((c) => `"${c}"`).join(', ');
    const res = await ex.execute(
      sql`insert into ${sql.identifier(table)} (${sql.raw(list)}) select ${sql.raw(list)} from jsonb_populate_recordset(null::${sql.identifier(table)}, ${json}::jsonb)${sql.raw(returning ? ` returning ${returning.join(', ')}` : '')}`,
    );
    out.push(...((res as unknown as { rows: Record<string, unknown>[] }).rows ?? []));
  }
  return out;
}

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function chineseNumber(n: number) {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

const addDay = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const spanDays = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
const at = (d: string, hour: number) => new Date(`${d}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const hoursAfter = (t: Date, h: number) => new Date(t.getTime() + h * 3_600_000);

/** The published figures the demo reproduces (read by the tests, never by the KPI code). */
export const ASSISTANCE_SEED_FIGURES = {
  city: {
    groups: 211,
    cadres: 5084,
    pairedFirms: 12327,
    visits: 24570,
    symposia: 9493,
    collected: 11449,
    solved: 11423,
  },
  huiji: { cumulative: 633, year2023: 227, solved2023: 200, openWithin2023: 7 },
} as const;

type Outcome = 'solved' | 'solved_late' | 'explained' | 'unsatisfied_explained' | 'open_within' | 'overdue_then_solved';

interface Spec {
  region: string;
  n: number;
  from: string;
  to: string;
  /** The outcome of the i-th problem. */
  outcome: (i: number) => Outcome;
  /** Solving must happen by this day (the report date), except for the outcomes that by definition come after. */
  cutoff: string;
  /** Share of 基本满意 among solved problems' ratings. */
  basicShare: number;
}

export async function seedDemoAssistance(
  ex: Executor,
  cipher: FieldCipher,
  orgIdByKey: Map<string, string>,
  today: string,
): Promise<{ problems: number; cadres: number; pairings: number; visits: number }> {
  const rand = mulberry32(20210601);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const allRegions = await ex.select().from(regions).where(eq(regions.parentCode, '410100'));
  const districts = allRegions.filter((r) => r.level === 'district').sort((a, b) => a.code.localeCompare(b.code));
  const name = (code: string) => allRegions.find((r) => r.code === code)?.name ?? code;
  const govOrgs = await ex
    .select({ id: orgs.id, regionCode: orgs.regionCode })
    .from(orgs)
    .where(eq(orgs.kind, 'district_government'));
  const govOf = (code: string) => govOrgs.find((o) => o.regionCode === code)?.id ?? null;
  const userOf = async (username: string) =>
    (await ex.select().from(users).where(eq(users.username, username)))[0] ?? null;
  const cadreUser = await userOf('cadre');
  const handlerUser = await userOf('dept.handler');
  const firmUser = await userOf('enterprise');
  const huijiAdmin = await userOf('huiji.admin');

  // ------------------------------------------------------------ settings (13710 defaults + default departments)
  const cityOrgs = {
    policy: orgIdByKey.get('gxj') ?? null,
    finance: orgIdByKey.get('jrzx') ?? null,
    labour: orgIdByKey.get('rsj') ?? null,
    land: orgIdByKey.get('zgj') ?? null,
    approval: orgIdByKey.get('gxj') ?? null,
  };
  await ex
    .insert(settings)
    .values({ key: 'assistance:410100', value: { ...DEFAULT_ASSISTANCE_SETTINGS, categoryOrgs: cityOrgs } })
    .onConflictDoNothing();
  const huijiGov = govOf('410108');
  await ex
    .insert(settings)
    .values({
      key: 'assistance:410108',
      value: {
        ...DEFAULT_ASSISTANCE_SETTINGS,
        categoryOrgs: {
          ...cityOrgs,
          utilities: huijiGov,
          logistics: huijiGov,
          market: huijiGov,
          legal: huijiGov,
          other: huijiGov,
        },
      },
    })
    .onConflictDoNothing();

  // ------------------------------------------------------------ 211 work groups
  const groupPlan: { region: string; name: string; orgId: string | null }[] = [];
  for (let i = 1; i <= 20; i++)
    groupPlan.push({ region: '410100', name: `郑州市万人助万企市级第${chineseNumber(i)}工作组`, orgId: null });
  for (let i = 1; i <= 12; i++) {
    groupPlan.push({
      region: '410108',
      name: `惠济区万人助万企第${chineseNumber(i)}工作组`,
      orgId: i === 1 ? (orgIdByKey.get('wg-huiji-1') ?? null) : null,
    });
  }
  const others = districts.filter((d) => d.code !== '410108');
  for (let i = 0; groupPlan.length < ASSISTANCE_SEED_FIGURES.city.groups; i++) {
    const d = others[i % others.length]!;
    const k = groupPlan.filter((g) => g.region === d.code).length + 1;
    groupPlan.push({ region: d.code, name: `${d.name}万人助万企第${chineseNumber(k)}工作组`, orgId: null });
  }
  const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
  const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国红志文斌宇浩凯鹏飞';
  const personName = () => `${pick([...SURNAMES])}${pick([...GIVEN])}${rand() < 0.6 ? pick([...GIVEN]) : ''}`;
  const groups = await ex
    .insert(assistanceWorkGroups)
    .values(
      groupPlan.map((g) => ({
        regionCode: g.region,
        name: g.name,
        orgId: g.orgId,
        leaderName: `${personName()}（组长）`,
        leaderUserId: g.orgId && huijiAdmin ? huijiAdmin.id : null,
      })),
    )
    .returning({
      id: assistanceWorkGroups.id,
      regionCode: assistanceWorkGroups.regionCode,
      name: assistanceWorkGroups.name,
    });

  // ------------------------------------------------------------ 5,084 cadres (lightweight; the demo login is one of them)
  const cadreRows: (typeof assistanceCadres.$inferInsert)[] = [];
  for (let i = 0; i < ASSISTANCE_SEED_FIGURES.city.cadres; i++) {
    const g = groups[i % groups.length]!;
    const isDemo = i === groups.findIndex((x) => x.name === '惠济区万人助万企第一工作组');
    const unit =
      g.regionCode === '410100'
        ? pick(['郑州市工业和信息化局', '郑州市发展和改革委员会', '郑州市商务局', '郑州市科学技术局'])
        : `${name(g.regionCode)}${pick(['人民政府办公室', '科技和工业信息化局', '发展和改革委员会', '商务局', '市场监督管理局', '街道办事处'])}`;
    const phone = isDemo || i < groups.length ? `139${String(37_000_000 + i).padStart(8, '0')}` : null;
    cadreRows.push({
      userId: isDemo && cadreUser ? cadreUser.id : null,
      name: isDemo && cadreUser ? cadreUser.displayName : personName(),
      org: isDemo ? '惠济区科技和工业信息化局' : unit,
      regionCode: g.regionCode,
      workGroupId: g.id,
      phoneEnc: phone ? cipher.encrypt(phone) : null,
      phoneMasked: phone ? maskMobile(phone) : null,
    });
  }
  const cadres = (await bulkInsert(ex, 'assistance_cadres', cadreRows, ['id', 'region_code', 'user_id'])).map((r) => ({
    id: String(r.id),
    regionCode: String(r.region_code),
    userId: (r.user_id as string | null) ?? null,
  }));
  const demoCadre = cadres.find((c) => cadreUser && c.userId === cadreUser.id) ?? null;
  const cadresIn = new Map<string, string[]>();
  for (const c of cadres) cadresIn.set(c.regionCode, [...(cadresIn.get(c.regionCode) ?? []), c.id]);
  const cityCadres = cadresIn.get('410100') ?? [];

  // ------------------------------------------------------------ pairings with 12,327 firms
  const codes = districts.map((d) => d.code);
  const registry = await ex
    .select({
      id: enterprises.id,
      name: enterprises.name,
      uscc: enterprises.uscc,
      regionCode: enterprises.regionCode,
      orgId: enterprises.orgId,
    })
    .from(enterprises)
    .where(inArray(enterprises.regionCode, codes));
  const ent1 = registry.find((e) => e.orgId && e.orgId === orgIdByKey.get('ent-1')) ?? null;
  const ent2 = registry.find((e) => e.orgId && e.orgId === orgIdByKey.get('ent-2')) ?? null;
  const pairRows: (typeof assistancePairings.$inferInsert)[] = [];
  const cadreFor = (region: string, k: number) => {
    const local = cadresIn.get(region) ?? [];
    return k % 9 === 0 && cityCadres.length
      ? cityCadres[k % cityCadres.length]!
      : (local[k % local.length] ?? cityCadres[0]!);
  };
  const from = (k: number) => addDay('2021-06-15', k % 100);
  registry.forEach((e, k) => {
    const demo = demoCadre && (e.id === ent1?.id || e.id === ent2?.id);
    pairRows.push({
      cadreId: demo ? demoCadre.id : cadreFor(e.regionCode, k),
      enterpriseId: e.id,
      firmName: e.name,
      firmUscc: e.uscc,
      regionCode: e.regionCode,
      fromOn: from(k),
    });
  });
  // the demo cadre is also paired with a few more registry firms of 惠济
  if (demoCadre) {
    for (const e of registry
      .filter((x) => x.regionCode === '410108' && x.id !== ent1?.id && x.id !== ent2?.id)
      .slice(0, 4)) {
      pairRows.push({
        cadreId: demoCadre.id,
        enterpriseId: e.id,
        firmName: e.name,
        firmUscc: e.uscc,
        regionCode: '410108',
        fromOn: '2023-02-01',
      });
    }
  }
  const WORDS = [
    '精工',
    '智造',
    '新材',
    '电子',
    '科技',
    '机械',
    '生物',
    '数据',
    '环保',
    '食品',
    '纺织',
    '建材',
    '物流',
    '医药',
    '汽配',
  ];
  const weights = districts.map((d) => (d.code === '410108' ? 6 : d.kind === 'dev_zone' ? 5 : 7));
  const totalW = weights.reduce((a, b) => a + b, 0);
  const roster: { name: string; region: string }[] = [];
  const rosterN = ASSISTANCE_SEED_FIGURES.city.pairedFirms - registry.length;
  for (let i = 0; i < rosterN; i++) {
    let x = (i * 7919) % totalW;
    let di = 0;
    while (x >= weights[di]!) x -= weights[di++]!;
    const d = districts[di]!;
    const firm = `${d.name.replace(/(区|市|县)$/, '')}${pick(WORDS)}${pick(WORDS)}${['实业', '科技', '制造', '技术', '贸易'][i % 5]}有限公司（四上名录${i + 1}）`;
    roster.push({ name: firm, region: d.code });
    pairRows.push({
      cadreId: cadreFor(d.code, i),
      enterpriseId: null,
      firmName: firm,
      firmUscc: syntheticUscc(d.code.slice(0, 4) === '4101' && /^\d{6}$/.test(d.code) ? d.code : '410100', 200_000 + i),
      regionCode: d.code,
      fromOn: from(i),
    });
  }
  await bulkInsert(ex, 'assistance_pairings', pairRows);

  // ------------------------------------------------------------ visits (bulk in SQL) and a few recent ones
  const cadreOrder = sql`(select id, region_code, org, row_number() over (order by region_code, id) - 1 as rn from assistance_cadres)`;
  await ex.execute(sql`
    insert into assistance_visits (kind, visited_on, region_code, org_name, cadre_ids, firm_count, notes)
    select 'visit', date '2021-06-01' + ((g * 365) / ${ASSISTANCE_SEED_FIGURES.city.visits})::int, c.region_code, c.org,
      array[c.id], 1, '走访包联企业，了解生产经营情况，宣传惠企政策'
    from generate_series(0, ${ASSISTANCE_SEED_FIGURES.city.visits - 1}) g
    join ${cadreOrder} c on c.rn = g % ${ASSISTANCE_SEED_FIGURES.city.cadres}`);
  await ex.execute(sql`
    insert into assistance_visits (kind, visited_on, region_code, org_name, cadre_ids, firm_count, notes)
    select 'symposium', date '2021-06-01' + ((g * 365) / ${ASSISTANCE_SEED_FIGURES.city.symposia})::int, c.region_code, c.org,
      array[c.id], 6 + g % 10, '召开政企座谈会，现场收集企业诉求'
    from generate_series(0, ${ASSISTANCE_SEED_FIGURES.city.symposia - 1}) g
    join ${cadreOrder} c on c.rn = (g * 7) % ${ASSISTANCE_SEED_FIGURES.city.cadres}`);
  // continuing activity: 40 visits a month from June 2022 to last month
  const months = spanDays('2022-06-01', `${today.slice(0, 7)}-01`) / 30;
  await ex.execute(sql`
    insert into assistance_visits (kind, visited_on, region_code, org_name, cadre_ids, firm_count, notes)
    select case when g % 5 = 0 then 'symposium' else 'visit' end,
      date '2022-06-01' + ((g * ${spanDays('2022-06-01', `${today.slice(0, 7)}-01`)}) / ${Math.max(1, Math.round(months * 40))})::int,
      c.region_code, c.org, array[c.id], 1, '日常走访'
    from generate_series(0, ${Math.max(1, Math.round(months * 40)) - 1}) g
    join ${cadreOrder} c on c.rn = (g * 13) % ${ASSISTANCE_SEED_FIGURES.city.cadres}`);
  if (ent1 && demoCadre) {
    await ex.insert(assistanceVisits).values([
      {
        kind: 'visit',
        visitedOn: addDay(today, -2),
        regionCode: '410108',
        orgId: orgIdByKey.get('wg-huiji-1') ?? null,
        orgName: '惠济区万人助万企第一工作组',
        cadreIds: [demoCadre.id],
        enterpriseIds: [ent1.id],
        participants: [cadreUser?.displayName ?? '助企干部', '企业负责人'],
        notes: '了解数控技工招聘困难，现场收集用工诉求',
        followUps: ['对接市人社局招聘专场'],
      },
      {
        kind: 'visit',
        visitedOn: addDay(today, -1),
        regionCode: '410108',
        orgId: orgIdByKey.get('rsj') ?? null,
        orgName: '郑州市人力资源和社会保障局',
        enterpriseIds: [ent1.id],
        participants: ['市人社局就业处'],
        notes: '上门宣讲稳岗返还和以工代训政策',
      },
    ]);
    if (ent2) {
      await ex.insert(assistancePreferences).values({ enterpriseId: ent2.id, preferOnline: true });
    }
  }

  // ------------------------------------------------------------ problems
  const cats = CATEGORIES.map((c) => c.code);
  const catWeights = [22, 14, 16, 8, 10, 8, 5, 7, 4, 6];
  const catTotal = catWeights.reduce((a, b) => a + b, 0);
  const TITLES: Record<string, string[]> = {
    policy: ['咨询研发费用加计扣除政策', '申报专精特新企业需要哪些材料', '技改补贴政策适用范围咨询'],
    finance: ['流动资金贷款到期续贷困难', '申请政府性融资担保', '应收账款融资渠道不畅'],
    labour: ['数控技工招聘困难', '稳岗返还资金申领', '高校毕业生就业见习补贴申报'],
    land: ['厂房扩建用地指标', '不动产权证办理滞后', '园区标准厂房租赁'],
    approval: ['环评审批进度咨询', '施工许可办理时限长', '消防验收材料要求不明确'],
    utilities: ['厂区用电增容', '天然气管道接入', '园区停水频繁'],
    logistics: ['货车通行证办理', '园区周边公交线路不足', '物流配送成本高'],
    market: ['产品进入政府采购目录', '产销对接需求', '参加展会补贴'],
    legal: ['合同纠纷法律咨询', '商标被仿冒维权', '劳动争议调解'],
    other: ['企业周边道路照明', '员工子女入学', '厂区周边环境整治'],
  };
  const catFor = (k: number) => {
    let x = (k * 37) % catTotal;
    let i = 0;
    while (x >= catWeights[i]!) x -= catWeights[i++]!;
    return cats[i]!;
  };
  const orgFor = (category: string, region: string) =>
    (cityOrgs as Record<string, string | null>)[category] ?? govOf(region) ?? orgIdByKey.get('gxj')!;
  const rosterIn = new Map<string, string[]>();
  for (const r of roster) rosterIn.set(r.region, [...(rosterIn.get(r.region) ?? []), r.name]);
  const firmIn = (region: string, k: number) => {
    const xs = rosterIn.get(region) ?? ['（演示企业）'];
    return xs[(k * 31) % xs.length]!;
  };
  let serial = 0;
  const problemRows: (typeof assistanceProblems.$inferInsert)[] = [];
  const generate = (s: Spec) => {
    const span = spanDays(s.from, s.to);
    for (let i = 0; i < s.n; i++) {
      serial++;
      const outcome = s.outcome(i);
      const receivedOn =
        outcome === 'open_within' ? addDay(s.to, -(i % 5)) : addDay(s.from, Math.floor((i * (span + 1)) / s.n));
      const category = catFor(serial);
      const complexity = serial % 9 === 0 ? 'complex' : 'ordinary';
      const d = deadlinesFor(receivedOn, complexity);
      const receivedAt = at(receivedOn, 9 + (serial % 8));
      const assignedAt = hoursAfter(receivedAt, 3 + (serial % 18));
      const firstFeedbackAt = hoursAfter(receivedAt, 20 + (serial % 40));
      const budget = complexity === 'complex' ? 30 : 7;
      let resolveDay: string | null = addDay(receivedOn, 1 + (serial % Math.max(1, budget - 1)));
      if (['solved', 'explained', 'unsatisfied_explained'].includes(outcome) && resolveDay > s.cutoff) {
        resolveDay = s.cutoff;
      }
      if (outcome === 'solved_late') resolveDay = addDay(d.resolveBy, 1 + (serial % 3));
      if (outcome === 'overdue_then_solved') resolveDay = addDay(s.cutoff, 10 + (serial % 20));
      if (outcome === 'open_within') resolveDay = addDay([d.resolveBy, s.cutoff].sort()[1]!, -(serial % 2));
      if (outcome === 'open_within' && resolveDay <= s.cutoff) resolveDay = addDay(s.cutoff, 2);
      const resolvedAt = resolveDay ? at(resolveDay, 18) : null;
      const explained = outcome === 'explained' || outcome === 'unsatisfied_explained';
      const closureCode = explained
        ? (
            [
              'explained_policy_limit',
              'explained_not_our_remit',
              'explained_policy_limit',
              'duplicate',
              'explained_firm_withdrew',
            ] as const
          )[serial % 5]!
        : serial % 11 === 0
          ? 'partly_resolved'
          : 'resolved';
      const rating =
        outcome === 'unsatisfied_explained'
          ? 'unsatisfied'
          : closureCode === 'duplicate' || closureCode === 'explained_firm_withdrew'
            ? null
            : explained
              ? 'basically_satisfied'
              : (serial * 13) % 100 < s.basicShare * 100
                ? 'basically_satisfied'
                : 'satisfied';
      const ratedAt = rating && resolvedAt ? hoursAfter(resolvedAt, 26) : null;
      const closedAt = resolvedAt ? hoursAfter(resolvedAt, 50) : null;
      const orgId = orgFor(category, s.region);
      problemRows.push({
        code: `WQ${receivedOn.slice(0, 4)}-S${String(serial).padStart(6, '0')}`,
        enterpriseId: null,
        enterpriseName: firmIn(s.region, serial),
        regionCode: s.region,
        source: (['cadre', 'cadre', 'symposium', 'enterprise', 'hotline'] as const)[serial % 5]!,
        category,
        title: TITLES[category]![serial % 3]!,
        description: '（演示）企业反映的问题，经包联干部核实后录入。',
        priority: serial % 17 === 0 ? 'high' : 'normal',
        complexity,
        status: 'closed',
        orgId,
        handlerName: personName(),
        receivedAt,
        receivedOn,
        assignBy: d.assignBy,
        firstFeedbackBy: d.firstFeedbackBy,
        dueOn: d.resolveBy,
        assignedAt,
        acceptedAt: hoursAfter(assignedAt, 2),
        firstFeedbackAt,
        resolvedAt,
        answer: explained ? '经核实，已向企业说明情况及政策依据。' : '已协调解决，并向企业书面答复。',
        closureCode,
        rating,
        ratedAt,
        confirmedByFirm: rating !== null && rating !== 'unsatisfied' && !explained,
        closedAt,
        reopenCount: outcome === 'unsatisfied_explained' ? 1 : 0,
        escalationLevel: outcome === 'overdue_then_solved' || outcome === 'solved_late' ? 1 : 0,
      });
    }
  };

  // 郑州 2021-06-01 … 2022-05-31: 11,449 collected, 11,423 solved by the end of May (26 solved in June)
  const windowOthers = ASSISTANCE_SEED_FIGURES.city.collected - 300;
  const otherCodes = districts.filter((d) => d.code !== '410108');
  const shareOf = (d: (typeof districts)[number]) => (d.kind === 'dev_zone' ? 5 : 7);
  const shareTotal = otherCodes.reduce((a, d) => a + shareOf(d), 0);
  let assigned = 0;
  otherCodes.forEach((d, k) => {
    const n =
      k === otherCodes.length - 1 ? windowOthers - assigned : Math.floor((windowOthers * shareOf(d)) / shareTotal);
    assigned += n;
    const lateHere = k < 13 ? 2 : 0; // 13 districts × 2 = 26 solved in June 2022
    generate({
      region: d.code,
      n,
      from: '2021-06-01',
      to: '2022-05-31',
      cutoff: '2022-05-31',
      basicShare: 0.08,
      outcome: (i) => (i >= n - lateHere ? 'open_within' : 'solved'),
    });
  });
  generate({
    region: '410108',
    n: 300,
    from: '2021-06-01',
    to: '2022-05-31',
    cutoff: '2022-05-31',
    basicShare: 0.05,
    outcome: () => 'solved',
  });
  // 惠济 2022-06 … 2022-12: 106 (633 − 300 − 227)
  generate({
    region: '410108',
    n: 106,
    from: '2022-06-01',
    to: '2022-12-31',
    cutoff: '2022-12-31',
    basicShare: 0.06,
    outcome: () => 'solved',
  });
  // 惠济 2023-01-01 … 2023-05-15: 227 = 200 solved + 7 within their deadline + 20 closed with an explanation
  generate({
    region: '410108',
    n: 227,
    from: '2023-01-01',
    to: '2023-05-15',
    cutoff: '2023-05-15',
    basicShare: 0.06,
    outcome: (i) => (i >= 220 ? 'open_within' : i % 11 === 5 ? 'explained' : 'solved'),
  });
  // the other districts in 2022-06 … 2022-12 and 2023-01-01 … 2023-05-15 (lower 办结率 and 满意率 than 惠济)
  otherCodes.forEach((d, k) => {
    generate({
      region: d.code,
      n: 40 + (k % 4) * 10,
      from: '2022-06-01',
      to: '2022-12-31',
      cutoff: '2022-12-31',
      basicShare: 0.1,
      outcome: () => 'solved',
    });
    const n = d.code === '410106' ? 64 : 120 + ((k * 37) % 140);
    generate({
      region: d.code,
      n,
      from: '2023-01-01',
      to: '2023-05-15',
      cutoff: '2023-05-15',
      basicShare: 0.12,
      outcome: (i) =>
        i >= n - 4
          ? 'open_within'
          : i % 9 === 2
            ? 'overdue_then_solved'
            : i % 13 === 4
              ? 'unsatisfied_explained'
              : i % 17 === 6
                ? 'explained'
                : i % 10 === 7
                  ? 'solved_late'
                  : 'solved',
    });
  });
  // continuing activity: 2023-05-16 … 45 days ago, every district
  const recentFrom = addDay(today, -45);
  districts.forEach((d, k) => {
    generate({
      region: d.code,
      n: 60 + (k % 5) * 12,
      from: '2023-05-16',
      to: addDay(recentFrom, -1),
      cutoff: addDay(recentFrom, -1),
      basicShare: 0.08,
      outcome: () => 'solved',
    });
  });
  await bulkInsert(ex, 'assistance_problems', problemRows);

  // the last 45 days: a few open problems per district (assigned / in progress, some overdue), with a timeline
  const recentRows: (typeof assistanceProblems.$inferInsert)[] = [];
  districts.forEach((d, k) => {
    for (let j = 0; j < 4; j++) {
      serial++;
      const receivedOn = addDay(today, -(3 + ((k + j * 11) % 40)));
      const category = catFor(serial);
      const dl = deadlinesFor(receivedOn, 'ordinary');
      const receivedAt = at(receivedOn, 10);
      const open = j < 3;
      recentRows.push({
        code: `WQ${receivedOn.slice(0, 4)}-S${String(serial).padStart(6, '0')}`,
        enterpriseName: firmIn(d.code, serial),
        regionCode: d.code,
        source: 'cadre',
        category,
        title: TITLES[category]![j % 3]!,
        description: '（演示）近期收集的企业诉求。',
        complexity: 'ordinary',
        status: open ? (j === 0 ? 'assigned' : 'in_progress') : 'resolved',
        orgId: orgFor(category, d.code),
        handlerName: personName(),
        receivedAt,
        receivedOn,
        assignBy: dl.assignBy,
        firstFeedbackBy: dl.firstFeedbackBy,
        dueOn: dl.resolveBy,
        assignedAt: hoursAfter(receivedAt, 5),
        acceptedAt: j === 0 ? null : hoursAfter(receivedAt, 8),
        firstFeedbackAt: j === 0 ? null : hoursAfter(receivedAt, 30),
        resolvedAt: open ? null : hoursAfter(receivedAt, 96),
        answer: open ? null : '已协调解决，并向企业书面答复。',
        closureCode: open ? null : 'resolved',
        // overdue ones were escalated up the whole ladder already (the daily 督办 job has nothing to add)
        escalationLevel: open && dl.resolveBy < today ? 2 : 0,
      });
    }
  });
  await ex.insert(assistanceProblems).values(recentRows);

  // ------------------------------------------------------------ the demo firm's problems, in every state, with timelines
  let demoProblems = 0;
  if (ent1) {
    const rsj = orgIdByKey.get('rsj')!;
    const mk = async (
      k: number,
      p: Partial<typeof assistanceProblems.$inferInsert> & { title: string; category: string; receivedOn: string },
      events: { action: string; hoursAfter: number; note: string; visibleToFirm?: boolean; by?: string }[],
    ) => {
      const dl = deadlinesFor(p.receivedOn, (p.complexity as 'ordinary' | 'complex') ?? 'ordinary');
      const receivedAt = at(p.receivedOn, 9);
      const [row] = await ex
        .insert(assistanceProblems)
        .values({
          code: `WQ${p.receivedOn.slice(0, 4)}-D${String(k).padStart(6, '0')}`,
          enterpriseId: ent1.id,
          enterpriseName: ent1.name,
          regionCode: '410108',
          source: 'enterprise',
          description: '',
          receivedAt,
          assignBy: dl.assignBy,
          firstFeedbackBy: dl.firstFeedbackBy,
          dueOn: dl.resolveBy,
          submittedBy: firmUser?.id ?? null,
          ...p,
        })
        .returning();
      await ex.insert(assistanceProblemEvents).values(
        events.map((e) => ({
          problemId: row!.id,
          action: e.action,
          actorName: e.by ?? '',
          at: hoursAfter(receivedAt, e.hoursAfter),
          note: e.note,
          visibleToFirm: e.visibleToFirm ?? true,
        })),
      );
      demoProblems++;
      return row!;
    };
    const firmName = firmUser?.displayName ?? '企业联系人';
    const handlerName = handlerUser?.displayName ?? '市人社局办理人';
    await mk(
      1,
      {
        title: '咨询稳岗返还政策申领条件',
        category: 'labour',
        receivedOn: addDay(today, -1),
        description: '我公司 2025 年未裁员，想了解稳岗返还的申领条件和办理渠道。',
        status: 'collected',
      },
      [{ action: 'submit', hoursAfter: 0, note: '企业提交：咨询稳岗返还政策申领条件', by: firmName }],
    );
    await mk(
      2,
      {
        title: '数控技工招聘困难，缺口约 20 人',
        category: 'labour',
        receivedOn: addDay(today, -3),
        description: '新产线投产后数控车工、加工中心操作工缺口约 20 人，希望对接招聘专场和职业院校。',
        source: 'cadre',
        submittedBy: cadreUser?.id ?? null,
        status: 'assigned',
        orgId: rsj,
        handlerUserId: handlerUser?.id ?? null,
        handlerName,
        assignedAt: at(addDay(today, -3), 15),
      },
      [
        {
          action: 'submit',
          hoursAfter: 0,
          note: '干部代为提交：数控技工招聘困难',
          by: cadreUser?.displayName ?? '助企干部',
        },
        {
          action: 'assign',
          hoursAfter: 6,
          note: `交办至 郑州市人力资源和社会保障局（责任人 ${handlerName}）`,
          by: '惠济区管理员',
        },
      ],
    );
    await mk(
      3,
      {
        title: '社会保险补贴申报材料退回',
        category: 'labour',
        receivedOn: addDay(today, -6),
        description: '申报社会保险补贴被告知材料不全，但未说明缺哪些材料。',
        status: 'in_progress',
        orgId: rsj,
        handlerUserId: handlerUser?.id ?? null,
        handlerName,
        assignedAt: at(addDay(today, -6), 14),
        acceptedAt: at(addDay(today, -5), 9),
        firstFeedbackAt: at(addDay(today, -4), 10),
        stoppedAt: at(addDay(today, -2), 11),
        stopReason: 'awaiting_firm_materials',
        stopNote: '请企业补充 2025 年 1–10 月社保缴费明细',
      },
      [
        { action: 'submit', hoursAfter: 0, note: '企业提交：社会保险补贴申报材料退回', by: firmName },
        { action: 'assign', hoursAfter: 5, note: '交办至 郑州市人力资源和社会保障局', by: '惠济区管理员' },
        { action: 'accept', hoursAfter: 24, note: '已签收，开始办理', by: handlerName },
        { action: 'feedback', hoursAfter: 49, note: '已联系企业财务，说明需补充的材料清单', by: handlerName },
        {
          action: 'stop_clock',
          hoursAfter: 98,
          note: '暂停计时（等待企业补充材料）：请企业补充 2025 年 1–10 月社保缴费明细',
          by: handlerName,
        },
      ],
    );
    await mk(
      4,
      {
        title: '高校毕业生就业见习补贴何时到账',
        category: 'labour',
        receivedOn: addDay(today, -12),
        description: '今年接收 6 名见习生，见习补贴申报已 3 个月未到账。',
        status: 'resolved',
        orgId: rsj,
        handlerUserId: handlerUser?.id ?? null,
        handlerName,
        assignedAt: at(addDay(today, -12), 13),
        acceptedAt: at(addDay(today, -11), 9),
        firstFeedbackAt: at(addDay(today, -10), 9),
        resolvedAt: at(addDay(today, -2), 16),
        answer: '经核查，贵公司见习补贴已于本月审核通过，资金将在 10 个工作日内拨付至企业对公账户。',
        closureCode: 'resolved',
      },
      [
        { action: 'submit', hoursAfter: 0, note: '企业提交：高校毕业生就业见习补贴何时到账', by: firmName },
        { action: 'assign', hoursAfter: 4, note: '交办至 郑州市人力资源和社会保障局', by: '惠济区管理员' },
        { action: 'accept', hoursAfter: 24, note: '已签收，开始办理', by: handlerName },
        { action: 'feedback', hoursAfter: 48, note: '已与就业见习基地管理科核对申报批次', by: handlerName },
        {
          action: 'resolve',
          hoursAfter: 247,
          note: '经核查，贵公司见习补贴已于本月审核通过，资金将在 10 个工作日内拨付。',
          by: handlerName,
        },
      ],
    );
    await mk(
      5,
      {
        title: '厂区东侧道路夜间无照明',
        category: 'other',
        receivedOn: addDay(today, -40),
        description: '员工夜班下班经过的厂区东侧道路没有路灯，存在安全隐患。',
        status: 'closed',
        orgId: huijiGov,
        handlerName: '惠济区城管局联络员',
        assignedAt: at(addDay(today, -40), 12),
        acceptedAt: at(addDay(today, -39), 9),
        firstFeedbackAt: at(addDay(today, -38), 9),
        resolvedAt: at(addDay(today, -34), 17),
        answer: '已协调安装路灯 12 盏，并于本周亮灯。',
        closureCode: 'resolved',
        rating: 'satisfied',
        ratedAt: at(addDay(today, -33), 10),
        confirmedByFirm: true,
        closedAt: at(addDay(today, -32), 10),
      },
      [
        { action: 'submit', hoursAfter: 0, note: '企业提交：厂区东侧道路夜间无照明', by: firmName },
        { action: 'assign', hoursAfter: 3, note: '交办至 惠济区人民政府', by: '惠济区管理员' },
        { action: 'resolve', hoursAfter: 152, note: '已协调安装路灯 12 盏，并于本周亮灯。', by: '惠济区城管局联络员' },
        { action: 'rate', hoursAfter: 169, note: '企业评价：满意', by: firmName },
        { action: 'close', hoursAfter: 193, note: '销号', by: '惠济区管理员' },
      ],
    );
  }

  // ------------------------------------------------------------ common issues (one in 惠济, one in 二七)
  for (const [region, title] of [
    ['410108', '园区周边公交线路不足，员工通勤难'],
    ['410103', '老旧厂区用电增容排队时间长'],
  ] as const) {
    const owner = govOf(region);
    if (!owner) continue;
    const open = await ex
      .select({ id: assistanceProblems.id })
      .from(assistanceProblems)
      .where(
        and(
          eq(assistanceProblems.regionCode, region),
          inArray(assistanceProblems.status, ['assigned', 'in_progress']),
          like(assistanceProblems.code, 'WQ%-S%'),
        ),
      )
      .limit(3);
    const [ci] = await ex
      .insert(assistanceCommonIssues)
      .values({ title, ownerOrgId: owner, regionCode: region })
      .returning();
    if (open.length) {
      await ex
        .update(assistanceProblems)
        .set({ commonIssueId: ci!.id })
        .where(
          inArray(
            assistanceProblems.id,
            open.map((o) => o.id),
          ),
        );
    }
  }

  return {
    problems: problemRows.length + recentRows.length + demoProblems,
    cadres: cadres.length,
    pairings: pairRows.length,
    visits: ASSISTANCE_SEED_FIGURES.city.visits + ASSISTANCE_SEED_FIGURES.city.symposia,
  };
}
