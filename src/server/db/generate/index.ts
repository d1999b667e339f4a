/**
 * The data generator (issue #19, decision 0027): adds a city's, a province's or a nation's worth of parks, firms,
 * yearly and monthly indicators, facts, tenancies, 万人助万企 pairings and problems, 三个一批 projects and policies
 * on top of a migrated (usually demo-seeded) database, for benchmarks. Reproducible: the same seed, as-of date and
 * database give the same rows (ids included); every row satisfies the schema's constraints and foreign keys.
 *
 * Distributions (all drawn from the seeded Rng, never Math.random):
 * - firm size long-tailed: employees log-normal (median 9, σ 1.15), revenue = employees × a log-normal
 *   productivity per industry group, so the NBS size class and 规上 follow from the indicators as the app computes
 *   them (buildFacts, the same code as recomputeFacts);
 * - districts weighted log-normally (the capital city heavier), parks by district weight, land log-normal;
 * - tenants only in operating or completed parks, from the park's own district (a firm's region is always in the
 *   subtree of its park's region);
 * - problems more recent than old, older ones closed and rated, recent ones still open.
 */
import { sql } from 'drizzle-orm';
import { deadlinesFor } from '../../../domain/assistance/deadlines.ts';
import { DEFAULT_MILESTONES } from '../../../domain/parks.ts';
import { orgCodeCheckChar, USCC_CHARSET, usccCheckChar } from '../../../domain/uscc.ts';
import { buildFacts } from '../../modules/enterprises/facts.ts';
import { initialsOf } from '../../modules/enterprises/service.ts';
import { tsvectorLiteral } from '../../modules/policies/search.ts';
import { hashPassword } from '../../platform/auth.ts';
import type { Database } from '../client.ts';
import { settings, users } from '../schema/index.ts';
import { DEMO_PASSWORD } from '../seed/index.ts';
import { apportion, Rng, weighted } from './prng.ts';
import { CITIES, type ScaleSpec, SYNTHETIC_SOURCE, syntheticDistrictName } from './scales.ts';
import { openSink, pgArray, type TableDef } from './sink.ts';

export { parseScale, SCALES, type ScaleName, type ScaleSpec } from './scales.ts';

export interface GenerateOptions {
  scale: ScaleSpec;
  seed: number;
  /** The date the data is as of (YYYY-MM-DD); indicators cover the years before it. */
  asOf: string;
  /** Compute everything, write nothing (tests compare digests). */
  dryRun?: boolean;
  /** Compute the SHA-256 digest of every row (default true; costs about 5% of the run). */
  digest?: boolean;
  /** Firms per batch (default 5,000). */
  batchFirms?: number;
  log?: (msg: string) => void;
}

export interface GenerateResult {
  counts: Record<string, number>;
  digest: string;
  samples: Record<string, string[]>;
  /** USCCs of the first firms, in generation order. */
  firstUsccs: string[];
  provinceUser: string | null;
  ms: number;
}

export const GENERATOR_SETTING = 'generator:run';

// ---- table definitions (the columns we fill; the rest take their defaults) ----------------------------------

const T = (name: string, columns: string[]): TableDef => ({ name, columns });
const REGIONS = T('regions', ['code', 'name', 'level', 'kind', 'parent_code', 'path', 'source']);
const ORGS = T('orgs', ['id', 'name', 'kind', 'region_code', 'parent_id']);
const PARKS = T('parks', [
  'id',
  'code',
  'name',
  'region_code',
  'address',
  'lng',
  'lat',
  'category',
  'development_mode',
  'land_area_mu',
  'floor_area_m2',
  'planned_investment_wan',
  'industry_codes',
  'positioning',
  'stage',
  'recognition_level',
  'monitored_from',
]);
const MILESTONES = T('park_milestones', ['id', 'park_id', 'seq', 'key', 'name', 'planned_on', 'actual_on']);
const PARK_PLANS = T('park_investment_plans', ['park_id', 'year', 'planned_wan']);
const PARK_MONTHLY = T('park_monthly_investments', ['park_id', 'year', 'month', 'amount_wan', 'source']);
const ENTERPRISES = T('enterprises', [
  'id',
  'uscc',
  'name',
  'name_initials',
  'region_code',
  'industry_code',
  'founded_on',
  'registered_capital_wan',
  'legal_representative',
  'address',
]);
const QUALS = T('enterprise_qualifications', [
  'id',
  'enterprise_id',
  'type',
  'level',
  'certificate_no',
  'issued_on',
  'valid_until',
]);
const INDICATORS = T('enterprise_indicators', ['enterprise_id', 'year', 'key', 'value', 'source']);
const VALUES = T('enterprise_indicator_values', ['id', 'enterprise_id', 'year', 'key', 'source', 'value']);
const MONTHLY = T('enterprise_monthly_indicators', ['enterprise_id', 'year', 'month', 'key', 'value', 'source']);
const TENANCIES = T('tenancies', ['id', 'enterprise_id', 'park_id', 'area_m2', 'start_on']);
const FACTS = T('enterprise_facts', [
  'enterprise_id',
  'year',
  'region_code',
  'industry_code',
  'park_id',
  'size',
  'above_scale',
  'facts',
]);
const ISSUES = T('enterprise_data_issues', ['enterprise_id', 'year', 'key', 'kind', 'region_code', 'detail']);
const GROUPS = T('assistance_work_groups', ['id', 'region_code', 'name', 'org_id', 'leader_name']);
const CADRES = T('assistance_cadres', ['id', 'name', 'org', 'region_code', 'work_group_id']);
const PAIRINGS = T('assistance_pairings', [
  'id',
  'cadre_id',
  'enterprise_id',
  'firm_name',
  'firm_uscc',
  'region_code',
  'from_on',
]);
const PROBLEMS = T('assistance_problems', [
  'id',
  'code',
  'enterprise_id',
  'enterprise_name',
  'region_code',
  'source',
  'category',
  'title',
  'description',
  'priority',
  'complexity',
  'status',
  'org_id',
  'handler_name',
  'received_at',
  'received_on',
  'assign_by',
  'first_feedback_by',
  'due_on',
  'assigned_at',
  'accepted_at',
  'first_feedback_at',
  'resolved_at',
  'answer',
  'closure_code',
  'rating',
  'rated_at',
  'confirmed_by_firm',
  'closed_at',
]);
const PROJECTS = T('projects', [
  'id',
  'code',
  'name',
  'owner_name',
  'region_code',
  'industry_class',
  'industry_code',
  'total_investment_wan',
  'responsible_org_id',
  'responsible_unit',
  'responsible_person',
  'stage',
  'signed_on',
  'planned_start_on',
  'started_on',
  'planned_production_on',
  'production_on',
]);
const BATCH_ENTRIES = T('project_batch_entries', ['project_id', 'kind', 'batch_id']);
const PROJECT_PLANS = T('project_annual_plans', ['project_id', 'year', 'planned_wan']);
const PROJECT_MONTHLY = T('project_monthly_investments', ['project_id', 'year', 'month', 'amount_wan', 'source']);
const POLICIES = T('policies', [
  'id',
  'code',
  'title',
  'doc_no',
  'issuer_org_id',
  'issuer_name',
  'level',
  'region_code',
  'published_on',
  'effective_from',
  'expires_on',
  'apply_from',
  'apply_to',
  'summary',
  'body_html',
  'body_text',
  'tags',
  'channel',
  'budget_cap_yuan',
  'status',
  'search_vector',
]);
const CLAUSES = T('policy_clauses', [
  'id',
  'policy_id',
  'ordinal',
  'title',
  'benefit_type',
  'eligibility',
  'amount_formula',
  'cap_yuan',
  'once_per_enterprise',
  'data_sources',
  'facts_year',
]);

// ---- vocabulary ---------------------------------------------------------------------------------------------

/** GB/T 4754-2017 classes with a weight, a productivity median (万元 revenue per employee) and a name word. */
const INDUSTRIES: [code: string, weight: number, productivity: number, word: string][] = [
  ['C3484', 8, 38, '机械'],
  ['C3411', 4, 45, '动力'],
  ['C3982', 6, 42, '电子'],
  ['C3971', 3, 40, '电子'],
  ['C2927', 5, 36, '新材'],
  ['C3089', 4, 34, '建材'],
  ['C3311', 4, 35, '金属'],
  ['C3360', 3, 33, '表面'],
  ['C3670', 5, 48, '汽配'],
  ['C2710', 2, 55, '药业'],
  ['C1391', 3, 50, '食品'],
  ['C1810', 4, 22, '服饰'],
  ['C2641', 2, 60, '化工'],
  ['C3825', 2, 44, '电气'],
  ['C4090', 2, 40, '仪器'],
  ['I6510', 5, 30, '软件'],
  ['I6520', 2, 28, '信息'],
  ['M7320', 2, 25, '检测'],
  ['M7350', 1, 22, '设计'],
  ['G5920', 3, 30, '物流'],
  ['F5191', 4, 80, '商贸'],
  ['L7212', 1, 20, '咨询'],
];
const pickIndustry = weighted(
  INDUSTRIES,
  INDUSTRIES.map((i) => i[1]),
);
const PARK_INDUSTRY = INDUSTRIES.filter((i) => i[0].startsWith('C'));
const NAME_A = [
  '恒',
  '华',
  '瑞',
  '宏',
  '鑫',
  '博',
  '远',
  '正',
  '嘉',
  '中',
  '天',
  '金',
  '新',
  '海',
  '盛',
  '隆',
  '信',
  '德',
];
const NAME_B = [
  '达',
  '宇',
  '源',
  '泰',
  '通',
  '诚',
  '安',
  '丰',
  '凯',
  '力',
  '创',
  '联',
  '科',
  '昌',
  '和',
  '成',
  '晟',
  '辉',
];
const NAME_SUFFIX = ['有限公司', '有限公司', '有限公司', '股份有限公司', '科技有限公司', '实业有限公司'];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '强',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
];
const PROBLEM_CATEGORIES = [
  'policy',
  'finance',
  'labour',
  'land',
  'approval',
  'utilities',
  'logistics',
  'market',
  'legal',
  'other',
] as const;
const pickCategory = weighted(PROBLEM_CATEGORIES, [20, 18, 14, 8, 10, 8, 5, 8, 4, 5]);
const PROBLEM_TITLES: Record<(typeof PROBLEM_CATEGORIES)[number], string[]> = {
  policy: ['咨询研发费用加计扣除政策', '申请技改补助的条件和流程', '稳岗返还政策适用范围'],
  finance: ['流动资金贷款续贷困难', '申请应急转贷资金', '设备融资租赁对接'],
  labour: ['招聘技术工人困难', '员工社保转移接续', '职业技能培训补贴申领'],
  land: ['扩建用地指标', '厂房不动产权证办理', '园区标准厂房租赁'],
  approval: ['环评审批进度', '消防验收排期', '施工许可办理'],
  utilities: ['双回路供电改造', '天然气接入', '供水管网压力不足'],
  logistics: ['货车通行证办理', '园区道路破损', '物流成本偏高'],
  market: ['参加展会补贴', '产品进入政府采购目录', '拓展海外市场'],
  legal: ['合同纠纷调解', '知识产权维权', '劳动争议咨询'],
  other: ['企业周边环境整治', '员工子女入学', '园区食堂配套'],
};
const PROJECT_WORDS = ['智能制造', '新材料', '电子信息', '装备制造', '生物医药', '现代物流', '食品加工', '新能源'];
const PROJECT_KINDS = ['产业园', '生产基地', '扩建项目', '技改项目', '研发中心', '产业化项目'];

// ---- dates ----------------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const toMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const addDays = (d: string, n: number) => iso(toMs(d) + n * DAY);
/** A timestamp at hour h (China Standard Time) of a civil date. */
const at = (d: string, h: number) => new Date(toMs(d) + (h - 8) * 3_600_000).toISOString();
const hoursAfter = (ts: string, h: number) => new Date(Date.parse(ts) + h * 3_600_000).toISOString();
const round2 = (v: number) => Math.round(v * 100) / 100;
const earlier = (a: string, b: string) => (a.localeCompare(b) <= 0 ? a : b);

// ---- USCC -----------------------------------------------------------------------------------------------------

/** 31^6 · 30: serials map onto six-character bodies whose first character is not '0' (the demo's all start '0'). */
const BODY_SPACE = 30 * 31 ** 5;
const BODY_MULT = 387_420_489; // 3^18: coprime with 2, 3, 5 and 31, so the map below is a bijection

/**
 * A valid USCC (GB 32100): 9 (工商) 1 (企业) + 6-digit division + organisation code MA + 6 characters + its
 * GB 11714 check + the USCC check. Serial → body is a bijection (an affine map mod 30·31^5 offset by the seed),
 * so the firms of one run never share a code, and the bodies never start with '0' like the demo seed's.
 */
export function generatedUscc(division: string, serial: number, seed: number): string {
  let n = (Number((BigInt(serial) * BigInt(BODY_MULT)) % BigInt(BODY_SPACE)) + (seed % BODY_SPACE)) % BODY_SPACE;
  n += 31 ** 5;
  let body = '';
  for (let i = 0; i < 6; i++) {
    body = USCC_CHARSET[n % 31] + body;
    n = Math.floor(n / 31);
  }
  const org8 = `MA${body}`;
  const first17 = `91${division}${org8}${orgCodeCheckChar(org8)}`;
  return first17 + usccCheckChar(first17);
}

// ---- the generator --------------------------------------------------------------------------------------------

interface RegionRow {
  code: string;
  name: string;
  level: string;
  kind: string;
  parentCode: string | null;
  path: string;
}

interface District {
  code: string;
  name: string;
  cityCode: string;
  cityName: string;
  division: string;
  towns: string[];
  weight: number;
  govOrgId: string | null;
  lng: number;
  lat: number;
}

interface ParkRef {
  id: string;
  district: number;
  regionCode: string;
  floor: number;
  startOn: string;
  quota: number;
  industry: string;
}

interface FirmRef {
  id: string;
  name: string;
  uscc: string;
  regionCode: string;
  district: number;
  paired: boolean;
  employees: number;
}

export async function generate(database: Database, opts: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  const spec = opts.scale;
  const log = opts.log ?? (() => {});
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  if (spec.postgresOnly && database.kind !== 'postgres' && !opts.dryRun)
    throw new GeneratorError(
      `scale "${spec.name}" (${spec.firms.toLocaleString('en')} firms) needs PostgreSQL: set DATABASE_URL (PGlite, the embedded database, is single-connection and in-memory-heavy; it is not meant for this size)`,
    );
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new GeneratorError(`asOf must be YYYY-MM-DD, got ${opts.asOf}`);
  const raw = database.raw;
  const [marker] = (await raw(`select value from settings where key = $1`, [GENERATOR_SETTING])).rows;
  if (marker && !opts.dryRun)
    throw new GeneratorError(
      `this database already holds generated data (${JSON.stringify(marker.value)}); generate into a fresh database`,
    );

  // ---- what is there already -------------------------------------------------------------------------------
  const allRegions = (
    await raw(`select code, name, level, kind, parent_code as "parentCode", path from regions order by path`)
  ).rows as unknown as RegionRow[];
  if (allRegions.length === 0) throw new GeneratorError('the database has no regions: run migrations and the seed');
  const byCode = new Map(allRegions.map((r) => [r.code, r]));
  for (const root of spec.roots)
    if (!byCode.has(root)) throw new GeneratorError(`root region ${root} is not in the regions table`);
  const existingOrgs = (
    await raw(`select id, name, kind, region_code as "regionCode" from orgs order by name, region_code`)
  ).rows as { id: string; name: string; kind: string; regionCode: string }[];
  const batches = (
    await raw(`select id, number, level, held_on::text as "heldOn" from project_batches order by held_on, number`)
  ).rows as { id: string; number: number; level: string; heldOn: string }[];

  const rng = new Rng(opts.seed, spec.name);
  const { sink, release } = await openSink(database, { dryRun: opts.dryRun, digest: opts.digest });
  if (!opts.dryRun)
    await raw(`insert into settings (key, value) values ($1, $2::jsonb)`, [
      GENERATOR_SETTING,
      JSON.stringify({ status: 'running', scale: spec.name, seed: opts.seed, asOf: opts.asOf }),
    ]);
  let provinceUser: string | null = null;
  try {
    const firstUsccs: string[] = [];
    const asOfYear = Number(opts.asOf.slice(0, 4));
    const years = Array.from({ length: spec.indicatorYears }, (_, i) => asOfYear - spec.indicatorYears + i);

    // ---- regions and orgs --------------------------------------------------------------------------------
    const setup = sink.batch();
    const rr = rng.fork('regions');
    const districts: District[] = [];
    const numericAncestor = (code: string): string => {
      let cur = byCode.get(code);
      while (cur && !/^\d{6}$/.test(cur.code)) cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
      return cur?.code ?? code.slice(0, 6);
    };
    const govOf = (code: string) =>
      existingOrgs.find((o) => o.kind === 'district_government' && o.regionCode === code)?.id ?? null;
    const issuerOrgs = new Map<string, { id: string; name: string }[]>(); // city code → bureaus and departments
    const cityCentre = new Map<string, [number, number]>();
    const centreOf = (cityCode: string): [number, number] => {
      let c = cityCentre.get(cityCode);
      if (!c) {
        // inside China's Henan/Zhejiang boxes, stable per city
        const h = new Rng(Number(cityCode.slice(0, 6).replace(/\D/g, '')) || 1, 'centre');
        c = cityCode.startsWith('33')
          ? [h.uniform(118.5, 121.8), h.uniform(27.5, 30.8)]
          : [h.uniform(111.5, 115.5), h.uniform(32.2, 36.0)];
        if (cityCode === '410100') c = [113.62, 34.75];
        cityCentre.set(cityCode, c);
      }
      return c;
    };
    const addDistrict = (code: string, name: string, cityCode: string, cityName: string, weight: number) => {
      const [lng, lat] = centreOf(cityCode);
      const towns = allRegions.filter((r) => r.parentCode === code && r.level === 'town').map((r) => r.code);
      districts.push({
        code,
        name,
        cityCode,
        cityName,
        division: numericAncestor(code),
        towns,
        weight,
        govOrgId: govOf(code),
        lng: lng + rr.uniform(-0.35, 0.35),
        lat: lat + rr.uniform(-0.25, 0.25),
      });
    };
    const orgRow = (name: string, kind: string, region: string, parent: string | null = null) => {
      const id = rr.uuid();
      setup.add(ORGS, [id, name, kind, region, parent]);
      return id;
    };
    for (const root of spec.roots) {
      const rootRow = byCode.get(root)!;
      const existingCities =
        rootRow.level === 'city' ? [rootRow] : allRegions.filter((r) => r.parentCode === root && r.level === 'city');
      for (const city of existingCities) {
        const ds = allRegions.filter((r) => r.parentCode === city.code && r.level === 'district');
        // the capital (Zhengzhou) carries about a fifth of a province's firms
        const capitalBoost = rootRow.level === 'province' && city.code === '410100' ? 2.2 : 1;
        for (const d of ds) addDistrict(d.code, d.name, city.code, city.name, capitalBoost * rr.lognormal(1, 0.35));
        const bureaus = existingOrgs.filter(
          (o) => o.regionCode === city.code && (o.kind === 'bureau' || o.kind === 'department'),
        );
        if (bureaus.length === 0)
          bureaus.push({
            id: orgRow(`${city.name}工业和信息化局（生成）`, 'bureau', city.code),
            name: `${city.name}工业和信息化局（生成）`,
            kind: 'bureau',
            regionCode: city.code,
          });
        issuerOrgs.set(city.code, bureaus);
        // a city with no districts in the tree (杭州 holds only 富阳区) gets synthetic ones at national scale
        if (ds.length < 2 && spec.addCities > 0) addSyntheticDistricts(city.code, city.name);
      }
      if (rootRow.level === 'province') {
        const provinceOrg = existingOrgs.find((o) => o.regionCode === root && o.kind === 'bureau');
        const provinceName = `${rootRow.name.replace(/省$/, '')}省工业和信息化厅（生成）`;
        const provinceOrgId = provinceOrg?.id ?? orgRow(provinceName, 'bureau', root);
        issuerOrgs.set(root, [{ id: provinceOrgId, name: provinceName }]);
        for (const c of (CITIES[root] ?? []).slice(0, spec.addCities)) {
          if (byCode.has(c.code)) continue;
          setup.add(REGIONS, [c.code, c.name, 'city', 'admin', root, `${rootRow.path}${c.code}/`, SYNTHETIC_SOURCE]);
          byCode.set(c.code, {
            ...c,
            level: 'city',
            kind: 'admin',
            parentCode: root,
            path: `${rootRow.path}${c.code}/`,
          });
          const bureauName = `${c.name}工业和信息化局（生成）`;
          issuerOrgs.set(c.code, [{ id: orgRow(bureauName, 'bureau', c.code), name: bureauName }]);
          addSyntheticDistricts(c.code, c.name);
        }
      }
    }
    function addSyntheticDistricts(cityCode: string, cityName: string) {
      const city = byCode.get(cityCode)!;
      for (let k = 0; k < spec.districtsPerCity; k++) {
        const code = `${cityCode.slice(0, 4)}G${String(k + 1).padStart(2, '0')}`;
        if (byCode.has(code)) continue;
        const name = syntheticDistrictName(cityName, k);
        setup.add(REGIONS, [code, name, 'district', 'admin', cityCode, `${city.path}${code}/`, SYNTHETIC_SOURCE]);
        byCode.set(code, {
          code,
          name,
          level: 'district',
          kind: 'admin',
          parentCode: cityCode,
          path: `${city.path}${code}/`,
        });
        addDistrict(code, name, cityCode, cityName, rr.lognormal(1, 0.45));
        districts[districts.length - 1]!.govOrgId = orgRow(`${name}人民政府`, 'district_government', code);
      }
    }
    if (districts.length === 0) throw new GeneratorError(`no districts under ${spec.roots.join(', ')}`);
    const districtWeights = districts.map((d) => d.weight);
    const pickDistrict = weighted(
      districts.map((_, i) => i),
      districtWeights,
    );

    // ---- parks -------------------------------------------------------------------------------------------
    const pr = rng.fork('parks');
    const parks: ParkRef[] = [];
    const parksPerDistrict = apportion(spec.parks, districtWeights);
    const pickStage = weighted(
      ['planned', 'filed', 'land_acquired', 'permitted', 'under_construction', 'completed', 'operating'] as const,
      [4, 4, 5, 4, 16, 9, 58],
    );
    const STAGE_NODES: Record<string, number> = {
      planned: 0,
      filed: 1,
      land_acquired: 3,
      permitted: 5,
      under_construction: 6,
      completed: 8,
      operating: 9,
    };
    let parkSerial = 0;
    districts.forEach((d, di) => {
      for (let k = 0; k < parksPerDistrict[di]!; k++) {
        const id = pr.uuid();
        const serial = ++parkSerial;
        const stage = pickStage(pr);
        const land = round2(Math.min(1200, Math.max(20, pr.lognormal(85, 0.55))));
        const floor = round2(land * 666.67 * pr.uniform(1.1, 2.4));
        const ind = pr.pick(PARK_INDUSTRY);
        const nodes = STAGE_NODES[stage]!;
        // monitoring began when the land was in hand (or at filing); parks only planned are not monitored yet
        const startOn = addDays(opts.asOf, -pr.int(200 + nodes * 120, 400 + nodes * 260));
        const monitoredFrom = nodes >= 1 ? startOn : null;
        const category = pr.chance(0.85) ? 'manufacturing' : 'producer_services';
        const name = `${d.name.replace(/（生成）$/, '')}${pr.pick(NAME_A)}${pr.pick(NAME_B)}${ind[3]}小微企业园`;
        const setupPlanned = round2(floor * pr.uniform(0.18, 0.42));
        setup.add(PARKS, [
          id,
          `GEN-${d.code}-${String(serial).padStart(5, '0')}`,
          `${name}${serial}号（生成）`,
          d.code,
          `${d.name}${pr.pick(NAME_A)}${pr.pick(NAME_B)}路${pr.int(1, 999)}号（生成地址）`,
          Math.round((d.lng + pr.uniform(-0.12, 0.12)) * 1e6) / 1e6,
          Math.round((d.lat + pr.uniform(-0.1, 0.1)) * 1e6) / 1e6,
          category,
          pr.pick(['government', 'leading_enterprise', 'third_party', 'third_party', 'consortium']),
          land,
          floor,
          setupPlanned,
          JSON.stringify([ind[0].slice(0, 3)]),
          `${ind[3]}产业集聚`,
          stage,
          stage === 'operating' && pr.chance(0.4) ? pr.pick(['county', 'municipal', 'provincial']) : null,
          monitoredFrom,
        ]);
        // 倒排工期: nodes planned from the start, done for the stages passed (some late), the next one maybe overdue
        DEFAULT_MILESTONES.forEach((m, i) => {
          const planned = addDays(startOn, 45 + i * pr.int(45, 80));
          const done = i < nodes;
          const actual = done ? addDays(planned, pr.chance(0.25) ? pr.int(1, 40) : -pr.int(0, 20)) : null;
          setup.add(MILESTONES, [
            pr.uuid(),
            id,
            i + 1,
            m.key,
            m.name,
            planned,
            actual && actual > opts.asOf ? opts.asOf : actual,
          ]);
        });
        const building = nodes >= 3 && nodes < 9;
        const total = Number(setupPlanned);
        for (const y of [...years, asOfYear]) {
          const plan = round2((total / 3) * pr.uniform(0.6, 1.2));
          setup.add(PARK_PLANS, [id, y, plan]);
          if (!building && !(stage === 'operating' && y < asOfYear)) continue;
          const months = y === asOfYear ? Number(opts.asOf.slice(5, 7)) - 1 : 12;
          for (let m = 1; m <= months; m++)
            setup.add(PARK_MONTHLY, [id, y, m, round2((plan / 12) * pr.uniform(0.5, 1.4)), 'reported']);
        }
        // tenants: about 60% of the floor area let, ~900 m² a firm, in parks that are open
        const open = stage === 'operating' || stage === 'completed';
        parks.push({
          id,
          district: di,
          regionCode: d.code,
          floor,
          startOn: addDays(startOn, 400),
          quota: open ? Math.max(3, Math.round((floor * 0.6) / pr.uniform(600, 1400))) : 0,
          industry: ind[0],
        });
      }
    });
    const parksOf = districts.map(() => [] as ParkRef[]);
    for (const p of parks) parksOf[p.district]!.push(p);

    // ---- work groups and cadres --------------------------------------------------------------------------
    const ar = rng.fork('assistance');
    const firmsPerDistrict = apportion(spec.firms, districtWeights);
    const cadresOf = districts.map(() => [] as string[]);
    districts.forEach((d, di) => {
      const groupId = ar.uuid();
      setup.add(GROUPS, [
        groupId,
        d.code,
        `${d.name.replace(/（生成）$/, '')}万人助万企工作组（生成）`,
        d.govOrgId,
        personName(ar),
      ]);
      const n = Math.max(1, Math.round((firmsPerDistrict[di]! * 0.62) / 12));
      for (let k = 0; k < n; k++) {
        const id = ar.uuid();
        cadresOf[di]!.push(id);
        setup.add(CADRES, [
          id,
          personName(ar),
          `${d.name.replace(/（生成）$/, '')}${ar.pick(['工信局', '发改委', '商务局', '街道办'])}`,
          d.code,
          groupId,
        ]);
      }
    });
    await sink.write(setup);
    log(`[${elapsed()}] regions, orgs, ${parks.length} parks, work groups and cadres`);

    // ---- firms -------------------------------------------------------------------------------------------
    const fr = rng.fork('firms');
    const firms: FirmRef[] = [];
    const names = new Set<string>();
    const initialsMemo = new Map<string, string>();
    const ini = (w: string) => {
      let v = initialsMemo.get(w);
      if (v === undefined) {
        v = initialsOf(w);
        initialsMemo.set(w, v);
      }
      return v;
    };
    // firms are generated district by district, in batches; tenants fill their district's parks in turn
    const monthlyKeys = ['revenue', 'tax', 'electricity'] as const;
    const monthlyPerFirm = 12 * monthlyKeys.length;
    let monthlyLeft = spec.monthlyRows;
    let firmsLeft = spec.firms;
    const batchFirms = opts.batchFirms ?? 5_000;
    let batch = sink.batch();
    let inBatch = 0;
    let pending: Promise<void> = Promise.resolve();
    const flush = async (what: string) => {
      await pending; // at most one batch in flight while the next is built
      const b = batch;
      pending = sink.write(b);
      batch = sink.batch();
      inBatch = 0;
      log(`[${elapsed()}] ${what}`);
    };
    let serial = 0;
    for (let di = 0; di < districts.length; di++) {
      const d = districts[di]!;
      const dParks = parksOf[di]!;
      const quota = dParks.reduce((a, p) => a + p.quota, 0);
      const n = firmsPerDistrict[di]!;
      let parkCursor = 0;
      let tenantsLeft = Math.min(quota, Math.round(n * 0.45));
      for (let k = 0; k < n; k++, serial++, firmsLeft--) {
        const id = fr.uuid();
        const industry = pickIndustry(fr);
        const [code, , productivity, word] = industry;
        const industrial = code.startsWith('C');
        // long tail: most firms are micro, a few hundred employees are rare, thousands rarer still
        const employees = Math.max(1, Math.min(12_000, Math.round(fr.lognormal(9, 1.15))));
        const revenue = Math.max(8, employees * fr.lognormal(productivity, 0.55));
        const regionCode = d.towns.length && fr.chance(0.35) ? fr.pick(d.towns) : d.code;
        const stem = d.cityName.replace(/市$/, '');
        // a name unique in the run: 城市 + 字号 (two characters, a third on a clash, then a number) + 行业 + 组织形式
        const pieces = [stem, fr.pick(NAME_A), fr.pick(NAME_B), word, fr.pick(NAME_SUFFIX)];
        let name = pieces.join('');
        if (names.has(name)) {
          pieces.splice(3, 0, fr.pick(NAME_B));
          name = pieces.join('');
        }
        for (let t = 2; names.has(name); t++) name = `${pieces.slice(0, 4).join('')}${t}${pieces[4]}`;
        names.add(name);
        const initials =
          pieces.map(ini).join('') + (name.length > pieces.join('').length ? name.replace(/\D/g, '') : '');
        const uscc = generatedUscc(d.division, serial, opts.seed);
        if (firstUsccs.length < 20) firstUsccs.push(uscc);
        const age = Math.min(40, Math.max(1, fr.lognormal(8, 0.7)));
        const foundedOn = addDays(`${asOfYear}-01-01`, -Math.round(age * 365 + fr.int(0, 364)));
        batch.add(ENTERPRISES, [
          id,
          uscc,
          name,
          initials,
          regionCode,
          code,
          foundedOn,
          round2(Math.max(3, revenue * fr.lognormal(0.25, 0.8))),
          `${fr.pick(SURNAMES)}${fr.pick(GIVEN)}${fr.chance(0.4) ? fr.pick(GIVEN) : ''}`,
          `${d.name.replace(/（生成）$/, '')}${fr.pick(NAME_A)}${fr.pick(NAME_B)}路${fr.int(1, 999)}号（生成地址）`,
        ]);
        // yearly indicators, older years deflated by a growth path
        const indicators: { year: number; key: string; value: number; source: string }[] = [];
        const rdShare = industrial || code.startsWith('I') ? fr.uniform(0.002, fr.chance(0.2) ? 0.08 : 0.03) : 0.002;
        let f = 1;
        const yearly: { year: number; employees: number; revenue: number }[] = [];
        for (let yi = years.length - 1; yi >= 0; yi--) {
          yearly.unshift({
            year: years[yi]!,
            employees: Math.max(1, Math.round(employees * f ** 0.5)),
            revenue: revenue * f,
          });
          f /= 1 + Math.max(-0.25, Math.min(0.5, 0.06 + 0.12 * fr.normal()));
        }
        const taxRate = fr.uniform(0.015, 0.06);
        const assetsRatio = fr.uniform(0.7, 1.9);
        const kwhPerWan = industrial ? fr.uniform(60, 220) : fr.uniform(8, 30);
        for (const y of yearly) {
          const add = (key: string, value: number, source: string) =>
            indicators.push({ year: y.year, key, value: round2(value), source });
          add('employees_year_end', y.employees, 'statistics_bureau');
          add('operating_revenue', y.revenue, 'statistics_bureau');
          add('main_business_revenue', y.revenue * 0.94, 'statistics_bureau');
          add('tax_paid', y.revenue * taxRate, 'tax_bureau');
          add('total_assets', y.revenue * assetsRatio, 'self_reported');
          add('rd_expense', y.revenue * rdShare, 'self_reported');
          add('electricity_kwh', y.revenue * kwhPerWan, 'power_company');
        }
        for (const r of indicators) {
          batch.add(INDICATORS, [id, r.year, r.key, r.value, r.source]);
          batch.add(VALUES, [fr.uuid(), id, r.year, r.key, r.source, r.value]);
        }
        // qualifications: R&D-heavy firms are 科技型, some of them further up the ladder
        const quals: { type: string; level: string | null; issuedOn: string; validUntil: string | null }[] = [];
        const q = (type: string, level: string, p: number) => {
          if (!fr.chance(p)) return;
          const issuedOn = addDays(opts.asOf, -fr.int(30, 1000));
          const validUntil = addDays(issuedOn, 3 * 365);
          quals.push({ type, level, issuedOn, validUntil });
          batch.add(QUALS, [fr.uuid(), id, type, level, `GEN-${quals.length}-${serial}`, issuedOn, validUntil]);
        };
        if (rdShare > 0.03) q('tech_sme', 'provincial', 0.55);
        if (rdShare > 0.02 && employees >= 10) q('innovative_sme', 'provincial', 0.3);
        if (rdShare > 0.03 && employees >= 50) q('high_tech', 'national', 0.35);
        if (rdShare > 0.03 && employees >= 30 && revenue > 2000) q('srdi_sme', 'provincial', 0.25);
        if (rdShare > 0.04 && employees >= 150 && revenue > 10_000) q('little_giant', 'national', 0.15);
        // monthly figures (last 12 months of the latest year), exactly spec.monthlyRows rows: selection sampling
        if (monthlyLeft > 0 && fr.next() < Math.ceil(monthlyLeft / monthlyPerFirm) / firmsLeft) {
          const y = years[years.length - 1]!;
          const base = yearly[yearly.length - 1]!.revenue;
          for (let m = 1; m <= 12 && monthlyLeft > 0; m++) {
            const season = 1 + 0.15 * Math.sin(((m - 3) / 12) * 2 * Math.PI) + 0.08 * fr.normal();
            const rev = round2(Math.max(0.1, (base / 12) * season));
            for (const key of monthlyKeys) {
              if (monthlyLeft <= 0) break;
              const value = key === 'revenue' ? rev : key === 'tax' ? round2(rev * taxRate) : round2(rev * kwhPerWan);
              batch.add(MONTHLY, [
                id,
                y,
                m,
                key,
                value,
                key === 'tax' ? 'tax_bureau' : key === 'electricity' ? 'power_company' : 'statistics_bureau',
              ]);
              monthlyLeft--;
            }
          }
        }
        // tenancy: in one of the district's open parks, while places are left
        let parkId: string | null = null;
        if (tenantsLeft > 0 && dParks.length && fr.next() < tenantsLeft / (n - k)) {
          for (let t = 0; t < dParks.length; t++) {
            const p = dParks[(parkCursor + t) % dParks.length]!;
            if (p.quota > 0) {
              p.quota--;
              parkCursor = (parkCursor + t + 1) % dParks.length;
              parkId = p.id;
              const start = addDays(p.startOn, fr.int(0, Math.max(1, (toMs(opts.asOf) - toMs(p.startOn)) / DAY - 1)));
              batch.add(TENANCIES, [
                fr.uuid(),
                id,
                p.id,
                round2(Math.max(80, fr.lognormal(700, 0.6))),
                earlier(start, opts.asOf),
              ]);
              tenantsLeft--;
              break;
            }
          }
        }
        // facts and data-quality issues: the same builder as recomputeFacts
        const built = buildFacts(
          {
            enterprise: { id, regionCode, industryCode: code, foundedOn, status: 'active' },
            indicators: indicators as Parameters<typeof buildFacts>[0]['indicators'],
            qualifications: quals as Parameters<typeof buildFacts>[0]['qualifications'],
            parkId,
          },
          opts.asOf,
          5,
        );
        for (const row of built.facts)
          batch.add(FACTS, [
            id,
            row.year,
            row.regionCode,
            row.industryCode,
            row.parkId ?? null,
            row.size,
            row.aboveScale ?? null,
            JSON.stringify(row.facts),
          ]);
        for (const i of built.issues)
          batch.add(ISSUES, [id, i.year, i.key, i.kind, i.regionCode, JSON.stringify(i.detail)]);
        // 包联: larger firms are almost always paired with a cadre
        const paired = fr.chance(employees >= 50 ? 0.95 : employees >= 10 ? 0.75 : 0.5);
        if (paired) {
          batch.add(PAIRINGS, [
            fr.uuid(),
            fr.pick(cadresOf[di]!),
            id,
            name,
            uscc,
            regionCode,
            addDays(opts.asOf, -fr.int(30, 900)),
          ]);
        }
        firms.push({ id, name, uscc, regionCode, district: di, paired, employees });
        if (++inBatch >= batchFirms)
          await flush(`firms ${(serial + 1).toLocaleString('en')}/${spec.firms.toLocaleString('en')}`);
        else if (inBatch % 500 === 0) await new Promise((r) => setImmediate(r)); // let the socket drain
      }
    }
    if (inBatch) await flush(`firms ${spec.firms.toLocaleString('en')}/${spec.firms.toLocaleString('en')}`);

    // ---- problems ----------------------------------------------------------------------------------------
    const qr = rng.fork('problems');
    const pairedFirms = firms.filter((x) => x.paired);
    const deadlineMemo = new Map<string, ReturnType<typeof deadlinesFor>>();
    const spanDays = 3 * 365;
    const CLOSURES = [
      'resolved',
      'resolved',
      'resolved',
      'resolved',
      'partly_resolved',
      'explained_policy_limit',
      'explained_not_our_remit',
      'duplicate',
    ] as const;
    for (let i = 0; i < spec.problems; i++) {
      const firm = pairedFirms.length && qr.chance(0.85) ? qr.pick(pairedFirms) : qr.pick(firms);
      const d = districts[firm.district]!;
      // more recent problems than old ones (the programme grew)
      const ago = Math.floor(spanDays * qr.next() ** 1.6) + 1;
      const receivedOn = addDays(opts.asOf, -ago);
      const complexity = qr.chance(0.12) ? 'complex' : 'ordinary';
      const dk = `${receivedOn}|${complexity}`;
      let dl = deadlineMemo.get(dk);
      if (!dl) {
        dl = deadlinesFor(receivedOn, complexity);
        deadlineMemo.set(dk, dl);
      }
      const category = pickCategory(qr);
      const receivedAt = at(receivedOn, qr.int(8, 18));
      const budgetDays = complexity === 'complex' ? 30 : 7;
      const resolveIn = Math.max(1, Math.round(qr.lognormal(budgetDays * 0.55, 0.6)));
      const resolveOn = addDays(receivedOn, resolveIn);
      const resolved = resolveOn < opts.asOf;
      const assigned = ago > 1 || qr.chance(0.5);
      const status = !assigned
        ? 'collected'
        : !resolved
          ? qr.chance(0.3)
            ? 'assigned'
            : 'in_progress'
          : ago > 20
            ? 'closed'
            : qr.pick(['resolved', 'rated', 'closed'] as const);
      const assignedAt = assigned ? hoursAfter(receivedAt, qr.int(1, 20)) : null;
      const acceptedAt = assignedAt ? hoursAfter(assignedAt, qr.int(1, 6)) : null;
      const firstFeedbackAt =
        status !== 'collected' && status !== 'assigned' ? hoursAfter(receivedAt, qr.int(20, 70)) : null;
      const resolvedAt = resolved && assigned ? at(resolveOn, qr.int(9, 19)) : null;
      const closureCode = resolvedAt ? qr.pick(CLOSURES) : null;
      const rated = resolvedAt && (status === 'rated' || status === 'closed') && closureCode !== 'duplicate';
      const rating = rated
        ? qr.chance(0.86)
          ? 'satisfied'
          : qr.chance(0.8)
            ? 'basically_satisfied'
            : 'unsatisfied'
        : null;
      const ratedAt = rating && resolvedAt ? hoursAfter(resolvedAt, qr.int(4, 60)) : null;
      const closedAt = status === 'closed' && resolvedAt ? hoursAfter(ratedAt ?? resolvedAt, qr.int(2, 48)) : null;
      batch.add(PROBLEMS, [
        qr.uuid(),
        `WQ${receivedOn.slice(0, 4)}-G${String(i + 1).padStart(7, '0')}`,
        firm.id,
        firm.name,
        firm.regionCode,
        qr.pick(['cadre', 'cadre', 'cadre', 'enterprise', 'symposium', 'hotline']),
        category,
        qr.pick(PROBLEM_TITLES[category]),
        '（生成数据）企业反映的问题，经包联干部核实后录入。',
        qr.chance(0.06) ? 'high' : qr.chance(0.01) ? 'urgent' : 'normal',
        complexity,
        status,
        assigned ? (d.govOrgId ?? null) : null,
        assigned ? personName(qr) : null,
        receivedAt,
        receivedOn,
        dl.assignBy,
        dl.firstFeedbackBy,
        dl.resolveBy,
        assignedAt,
        acceptedAt,
        firstFeedbackAt,
        resolvedAt,
        resolvedAt
          ? closureCode?.startsWith('explained')
            ? '经核实，已向企业说明情况及政策依据。'
            : '已协调解决，并向企业书面答复。'
          : null,
        closureCode,
        rating,
        ratedAt,
        rating !== null && rating !== 'unsatisfied',
        closedAt,
      ]);
      if (++inBatch >= batchFirms * 5)
        await flush(`problems ${(i + 1).toLocaleString('en')}/${spec.problems.toLocaleString('en')}`);
      else if (inBatch % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
    if (inBatch) await flush(`problems ${spec.problems.toLocaleString('en')}/${spec.problems.toLocaleString('en')}`);

    // ---- 三个一批 projects ----------------------------------------------------------------------------------
    const jr = rng.fork('projects');
    const pickClass = weighted(
      [
        'manufacturing',
        'investment_attraction',
        'strategic_emerging',
        'infrastructure',
        'modern_services',
        'social_livelihood',
        'other',
      ] as const,
      [40, 15, 18, 10, 10, 5, 2],
    );
    for (let i = 0; i < spec.projects; i++) {
      const id = jr.uuid();
      const d = districts[pickDistrict(jr)]!;
      const owner = jr.pick(firms);
      const total = round2(Math.min(2_000_000, Math.max(5_000, jr.lognormal(60_000, 0.9))));
      // the batch it was signed at, and later batches for its start and production
      let stage: 'signed' | 'started' | 'producing' = 'signed';
      let signedOn = addDays(opts.asOf, -jr.int(60, 1000));
      const entries: [string, string][] = [];
      let startedOn: string | null = null;
      let productionOn: string | null = null;
      if (batches.length) {
        const bi = jr.int(0, batches.length - 1);
        const b = batches[bi]!;
        signedOn = b.heldOn;
        entries.push(['sign', b.id]);
        if (bi + 1 < batches.length && jr.chance(0.7)) {
          const sb = batches[jr.int(bi + 1, batches.length - 1)]!;
          stage = 'started';
          startedOn = addDays(sb.heldOn, jr.int(0, 10));
          entries.push(['start', sb.id]);
          const later = batches.findIndex((x) => x.heldOn > startedOn!);
          if (later >= 0 && jr.chance(0.5)) {
            const pb = batches[jr.int(later, batches.length - 1)]!;
            stage = 'producing';
            productionOn = addDays(pb.heldOn, jr.int(0, 10));
            entries.push(['produce', pb.id]);
          }
        }
      }
      const plannedStart = addDays(signedOn, jr.int(60, 200));
      const plannedProduction = addDays(plannedStart, jr.int(300, 700));
      batch.add(PROJECTS, [
        id,
        `GEN-3P-${String(i + 1).padStart(6, '0')}`,
        `${d.name.replace(/（生成）$/, '')}${jr.pick(PROJECT_WORDS)}${jr.pick(PROJECT_KINDS)}（生成）`,
        owner.name,
        d.code,
        pickClass(jr),
        jr.pick(INDUSTRIES)[0],
        total,
        d.govOrgId,
        `${d.name.replace(/（生成）$/, '')}${jr.pick(['人民政府', '工信局', '发改委'])}`,
        personName(jr),
        stage,
        signedOn,
        plannedStart,
        startedOn,
        plannedProduction,
        productionOn,
      ]);
      for (const [kind, batchId] of entries) batch.add(BATCH_ENTRIES, [id, kind, batchId]);
      const firstYear = Number(signedOn.slice(0, 4));
      for (let y = firstYear; y <= asOfYear; y++)
        batch.add(PROJECT_PLANS, [id, y, round2((total / 3) * jr.uniform(0.5, 1.2))]);
      if (startedOn) {
        // monthly completed investment from the start, at most the last 24 months before asOf
        const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
        const end = monthIndex(opts.asOf);
        for (let m = Math.max(monthIndex(startedOn), end - 24); m < end; m++)
          batch.add(PROJECT_MONTHLY, [
            id,
            Math.floor(m / 12),
            (m % 12) + 1,
            round2((total / 30) * jr.uniform(0.3, 1.5)),
            jr.chance(0.2) ? 'statistics' : 'reported',
          ]);
      }
      if (++inBatch >= batchFirms * 2)
        await flush(`projects ${(i + 1).toLocaleString('en')}/${spec.projects.toLocaleString('en')}`);
    }
    if (inBatch) await flush(`projects ${spec.projects.toLocaleString('en')}/${spec.projects.toLocaleString('en')}`);

    // ---- policies ----------------------------------------------------------------------------------------
    const lr = rng.fork('policies');
    const issuers = [...issuerOrgs.entries()];
    for (let i = 0; i < spec.policies; i++) {
      const id = lr.uuid();
      const [region, orgsHere] = lr.pick(issuers);
      const issuer = lr.pick(orgsHere);
      const level = region.endsWith('0000') ? 'provincial' : 'municipal';
      const topic = lr.pick([
        '研发费用后补助',
        '技术改造奖补',
        '小升规奖励',
        '专精特新奖励',
        '稳岗补贴',
        '园区租金补贴',
        '首台套奖励',
        '融资贴息',
      ]);
      const title = `${issuer.name.replace(/（生成）$/, '')}关于${topic}的实施办法（生成${i + 1}）`;
      const publishedOn = addDays(opts.asOf, -lr.int(10, 900));
      const summary = `对符合条件的企业给予${topic}支持。`;
      const body = `${summary}申报企业须在本地区依法登记注册，上年度经营正常，信用良好。（生成数据）`;
      const docNo = `${issuer.name.slice(0, 2)}${lr.pick(['工信', '政', '财'])}〔${publishedOn.slice(0, 4)}〕${lr.int(1, 200)}号`;
      const vector = tsvectorLiteral({ title, issuer: issuer.name, docNo, summary, tags: [topic], body });
      batch.add(POLICIES, [
        id,
        `GEN-POL-${String(i + 1).padStart(6, '0')}`,
        title,
        docNo,
        issuer.id,
        issuer.name,
        level,
        region,
        publishedOn,
        publishedOn,
        addDays(publishedOn, 3 * 365),
        publishedOn,
        addDays(publishedOn, 365),
        summary,
        `<p>${body}</p>`,
        body,
        pgArray([topic]),
        lr.pick(['mianshen', 'kuaishen', 'ordinary', 'ordinary']),
        lr.chance(0.5) ? `${lr.int(100, 5000) * 10_000}.00` : null,
        'published',
        vector,
      ]);
      const clauses = lr.int(1, 3);
      for (let c = 1; c <= clauses; c++) {
        const threshold = Math.round(lr.lognormal(1500, 0.8));
        const rule = {
          all: [
            { fact: 'operating_revenue', op: 'gte', value: threshold },
            lr.chance(0.5)
              ? { fact: 'rd_intensity', op: 'gte', value: round2(lr.uniform(0.01, 0.05)) }
              : { fact: 'industry_code', op: 'prefix', value: 'C' },
            ...(lr.chance(0.3) ? [{ qualification: lr.pick(['tech_sme', 'innovative_sme', 'srdi_sme']) }] : []),
          ],
        };
        batch.add(CLAUSES, [
          lr.uuid(),
          id,
          c,
          `第${c}条 ${topic}`,
          lr.pick(['subsidy', 'reward', 'subsidy']),
          JSON.stringify(rule),
          lr.chance(0.5) ? `${lr.int(5, 50) * 10_000}` : null,
          `${lr.int(10, 100) * 10_000}.00`,
          true,
          pgArray(['统计局', '税务局']),
          'previous',
        ]);
      }
    }
    if (inBatch || batch.rows) await flush(`policies ${spec.policies.toLocaleString('en')}`);
    await pending;
    await sink.commit();

    // ---- a province-level login for the cockpit benchmark (demo databases only) ---------------------------
    if (!opts.dryRun && spec.roots.includes('410000')) {
      const [demo] = (await raw(`select id from users where username = 'city.admin'`)).rows;
      const orgId = issuerOrgs.get('410000')?.[0]?.id;
      if (demo && orgId) {
        const [exists] = (await raw(`select id from users where username = 'province.admin'`)).rows;
        if (!exists)
          await database.db.insert(users).values({
            username: 'province.admin',
            displayName: '省工信厅管理员（生成）',
            role: 'city_admin',
            orgId,
            scopeRegionCode: '410000',
            passwordHash: await hashPassword(DEMO_PASSWORD),
          });
        provinceUser = 'province.admin';
      }
    }
    const counts = Object.fromEntries(sink.counts);
    if (!opts.dryRun) {
      await database.db
        .update(settings)
        .set({
          value: { status: 'done', scale: spec.name, seed: opts.seed, asOf: opts.asOf, counts, digest: sink.digest() },
          updatedAt: sql`now()`,
        })
        .where(sql`${settings.key} = ${GENERATOR_SETTING}`);
      log(`[${elapsed()}] analyze`);
      await database.exec('analyze');
    }
    log(`[${elapsed()}] done`);
    return {
      counts,
      digest: sink.digest(),
      samples: Object.fromEntries(sink.samples),
      firstUsccs,
      provinceUser,
      ms: Date.now() - started,
    };
  } catch (e) {
    await sink.rollback();
    if (!opts.dryRun) {
      if (sink.kind === 'postgres')
        await raw(`delete from settings where key = $1`, [GENERATOR_SETTING]).catch(() => {});
      else
        await raw(`update settings set value = value || '{"status":"failed"}'::jsonb where key = $1`, [
          GENERATOR_SETTING,
        ]).catch(() => {});
    }
    throw e;
  } finally {
    release();
  }
}

function personName(r: Rng) {
  return `${r.pick(SURNAMES)}${r.pick(GIVEN)}${r.chance(0.5) ? r.pick(GIVEN) : ''}`;
}

export class GeneratorError extends Error {}

/** Row counts of the tables the generator fills (for progress and tests). */
export async function tableCounts(database: Database, tables: readonly string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await database.raw(`select count(*)::int as n from ${t}`)).rows[0]?.n ?? 0);
  return out;
}
