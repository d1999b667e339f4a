/**
 * Demo policy library (issue #5): the seeds' Zhengzhou gathered 882 policies from 28 departments (counted here
 * from rows, never typed in as a total). A handful of policies carry computable clauses with example cases taken
 * from rules.md §8.4 (稳岗返还, 小升规 reward, R&D subsidy, 专精特新 award, park rent subsidy); the rest are
 * realistic listings with 文号 and text, generated deterministically, mostly published before 2022-06-09.
 * Titles, 文号 and texts are demo data (演示), modelled on real notices, not copies of them.
 */
import { and, eq } from 'drizzle-orm';
import type { Rule } from '../../../domain/rules/types.ts';
import { htmlToText, sanitizeHtml } from '../../modules/policies/sanitize.ts';
import { searchVectorSql } from '../../modules/policies/search.ts';
import type { Executor } from '../client.ts';
import { type ClauseExample, orgs, policies, policyClauses } from '../schema/index.ts';

/** The 28 issuing departments: key of an existing demo org, or a new department created here. */
const DEPARTMENTS: { key: string; name?: string; abbr: string; region: string; topics: string[] }[] = [
  {
    key: 'gxj',
    abbr: '郑工信',
    region: '410100',
    topics: ['小微企业园建设', '专精特新企业培育', '制造业数字化转型', '工业企业技术改造', '中小企业公共服务'],
  },
  {
    key: 'rsj',
    abbr: '郑人社',
    region: '410100',
    topics: ['失业保险稳岗返还', '就业见习补贴', '职业技能提升补贴', '社会保险补贴', '高校毕业生就业'],
  },
  {
    key: 'zgj',
    abbr: '郑自然资规',
    region: '410100',
    topics: ['工业用地弹性出让', '标准地出让', '存量工业用地盘活', '产业用地容积率提升'],
  },
  {
    key: 'swj',
    abbr: '郑税发',
    region: '410100',
    topics: ['小微企业普惠性减税', '研发费用加计扣除', '增值税留抵退税', '六税两费减征'],
  },
  {
    key: 'jrzx',
    abbr: '郑金融',
    region: '410100',
    topics: ['普惠小微贷款', '企业上市挂牌奖励', '政府性融资担保', '应急转贷资金'],
  },
  {
    key: 'czj',
    name: '郑州市财政局',
    abbr: '郑财',
    region: '410100',
    topics: ['政府采购支持中小企业', '财政贴息', '专项资金管理', '中小企业发展专项资金'],
  },
  {
    key: 'kjj',
    name: '郑州市科学技术局',
    abbr: '郑科',
    region: '410100',
    topics: ['研发费用后补助', '高新技术企业认定奖励', '科技型中小企业评价', '科技创新券'],
  },
  {
    key: 'swuj',
    name: '郑州市商务局',
    abbr: '郑商务',
    region: '410100',
    topics: ['外贸稳增长', '跨境电商发展', '促进消费', '服务贸易创新'],
  },
  {
    key: 'fgw',
    name: '郑州市发展和改革委员会',
    abbr: '郑发改',
    region: '410100',
    topics: ['重大项目建设', '战略性新兴产业发展', '优化营商环境', '民营经济发展'],
  },
  {
    key: 'scjg',
    name: '郑州市市场监督管理局',
    abbr: '郑市监',
    region: '410100',
    topics: ['知识产权质押融资', '个体工商户帮扶', '质量品牌提升', '标准化资助'],
  },
  {
    key: 'fgj',
    name: '郑州市住房保障和房地产管理局',
    abbr: '郑房',
    region: '410100',
    topics: ['人才公寓保障', '租赁住房建设', '住房公积金支持'],
  },
  {
    key: 'sthj',
    name: '郑州市生态环境局',
    abbr: '郑环',
    region: '410100',
    topics: ['环评审批改革', '绿色低碳改造', '排污权交易'],
  },
  {
    key: 'jyj',
    name: '郑州市教育局',
    abbr: '郑教',
    region: '410100',
    topics: ['产教融合', '职业院校校企合作', '人才子女入学保障'],
  },
  {
    key: 'nyj',
    name: '郑州市农业农村局',
    abbr: '郑农',
    region: '410100',
    topics: ['农产品加工企业扶持', '农业产业化龙头企业', '乡村振兴产业'],
  },
  {
    key: 'wglj',
    name: '郑州市文化广电和旅游局',
    abbr: '郑文广旅',
    region: '410100',
    topics: ['文旅企业纾困', '文化产业发展专项资金', '夜间经济'],
  },
  {
    key: 'wjw',
    name: '郑州市卫生健康委员会',
    abbr: '郑卫健',
    region: '410100',
    topics: ['医药产业发展', '职业健康达标', '生物医药创新'],
  },
  {
    key: 'ybj',
    name: '郑州市医疗保障局',
    abbr: '郑医保',
    region: '410100',
    topics: ['医保缓缴', '职工医保单位缴费', '医保支付改革'],
  },
  {
    key: 'dsj',
    name: '郑州市大数据管理局',
    abbr: '郑数据',
    region: '410100',
    topics: ['数字经济发展', '企业上云用云', '数据要素市场'],
  },
  {
    key: 'jtj',
    name: '郑州市交通运输局',
    abbr: '郑交',
    region: '410100',
    topics: ['物流降本增效', '多式联运', '货运车辆通行'],
  },
  {
    key: 'tyjr',
    name: '郑州市退役军人事务局',
    abbr: '郑退役军人',
    region: '410100',
    topics: ['退役军人创业扶持', '退役军人就业补贴'],
  },
  {
    key: 'gzw',
    name: '郑州市人民政府国有资产监督管理委员会',
    abbr: '郑国资',
    region: '410100',
    topics: ['国有房屋租金减免', '国企与民企协同'],
  },
  {
    key: 'yshj',
    name: '郑州市营商环境建设局',
    abbr: '郑营商',
    region: '410100',
    topics: ['惠企政策直达', '免申即享改革', '一件事一次办'],
  },
  {
    key: 'gov-410108',
    abbr: '惠政',
    region: '410108',
    topics: ['小升规企业奖励', '小微企业园租金补贴', '楼宇经济', '招商引资奖励'],
  },
  { key: 'gov-410103', abbr: '二七政', region: '410103', topics: ['商贸企业发展', '老字号企业扶持', '楼宇经济'] },
  { key: 'gov-410105', abbr: '金政', region: '410105', topics: ['总部经济', '科技企业孵化', '现代服务业'] },
  { key: 'gov-410173', abbr: '郑港管', region: '410173', topics: ['航空物流', '电子信息产业', '临空经济'] },
  {
    key: 'gov-410172',
    abbr: '郑高管',
    region: '410172',
    topics: ['软件和信息技术服务', '科技成果转化', '创新创业载体'],
  },
  { key: 'gov-410185', abbr: '登政', region: '410185', topics: ['新材料产业', '小微企业园入园奖励', '文旅融合'] },
];

export const TOTAL_POLICIES = 882;

interface DemoClause {
  title: string;
  benefitType: 'subsidy' | 'reward' | 'refund' | 'tax' | 'qualification';
  eligibility: Rule;
  amountFormula: string | null;
  capYuan?: string;
  floorYuan?: string;
  stackingGroup?: string;
  oncePerEnterprise?: boolean;
  dataSources: string[];
  needsConsent?: boolean;
  factsYear?: 'previous' | 'current';
  /** The lowest source the clause accepts (decision 0018); omitted = any. */
  minSource?: 'official' | 'verified_on_site';
  examples: ClauseExample[];
}

export interface DemoPolicy {
  code: string;
  dept: string;
  title: string;
  docNo: string;
  issuerName?: string;
  level: 'national' | 'provincial' | 'municipal' | 'district';
  channel: 'mianshen' | 'kuaishen' | 'ordinary';
  status: 'draft' | 'review' | 'approved' | 'published' | 'expired';
  publishedOn: string | null;
  effectiveFrom: string | null;
  expiresOn: string | null;
  applyFrom: string | null;
  applyTo: string | null;
  summary: string;
  bodyHtml: string;
  tags: string[];
  budgetCapYuan: string | null;
  clauses: DemoClause[];
}

const ex = (
  name: string,
  facts: Record<string, unknown>,
  eligible: boolean | null,
  amount: string | null,
  extra: Partial<ClauseExample> & { missing?: string[] } = {},
): ClauseExample => ({
  name,
  facts,
  asOf: extra.asOf ?? '2026-03-01',
  ...(extra.qualifications ? { qualifications: extra.qualifications } : {}),
  expected: { eligible, amount, ...(extra.missing ? { missing: extra.missing } : {}) },
});

const body = (sections: [string, string][]) =>
  sections.map(([h, p]) => `<h3>${h}</h3>${p.startsWith('<') ? p : `<p>${p}</p>`}`).join('');

/** rules.md §8.4 a: eligible iff monthsPaid ≥ 12 && (insuredAvg ≤ 30 ? layoffRate ≤ 0.20 : layoffRate ≤ 0.055). */
const WENGANG_RULE: Rule = {
  all: [
    { fact: 'ui_months_paid', op: 'gte', value: 12 },
    {
      any: [
        {
          all: [
            { fact: 'insured_avg', op: 'lte', value: 30 },
            { fact: 'layoff_rate', op: 'lte', value: 0.2 },
          ],
        },
        {
          all: [
            { fact: 'insured_avg', op: 'gt', value: 30 },
            { fact: 'layoff_rate', op: 'lte', value: 0.055 },
          ],
        },
      ],
    },
  ],
};

/**
 * The computable demo policies (rules.md §8.4 and the issue's list). The published ones have no `expiresOn`: the
 * daily expiry job (decision 0012) would otherwise expire them as soon as the demo runs past their printed 执行期限
 * (the 稳岗返还 notice runs to 2025-12-31), and the demo would lose its matches, payouts and 我的政策 results. The
 * printed end date is noted next to each `expiresOn` (and the 稳岗返还 text keeps its 执行期限 section).
 */
export const DEMO_POLICIES: DemoPolicy[] = [
  {
    code: 'ZZ-RSJ-2025-WG',
    dept: 'rsj',
    title: '郑州市人力资源和社会保障局 郑州市财政局 关于做好2025年失业保险稳岗返还工作的通知',
    docNo: '郑人社〔2025〕18号',
    issuerName: '郑州市人力资源和社会保障局 郑州市财政局',
    level: 'municipal',
    channel: 'mianshen',
    status: 'published',
    publishedOn: '2025-04-15',
    effectiveFrom: '2025-01-01',
    expiresOn: null, // printed: 2025-12-31 (kept open in the demo, see above)
    applyFrom: '2025-04-15',
    applyTo: '2025-12-31',
    summary:
      '参保缴纳失业保险满12个月、上年度未裁员或裁员率不高于5.5%（参保职工30人及以下的企业不高于20%）的企业，大型企业按上年度实际缴纳失业保险费的30%、中小微企业按60%返还，采取「免申即享」方式经数据比对直接拨付。',
    bodyHtml: body([
      [
        '一、返还对象',
        '在本市依法参加失业保险并足额缴费满12个月的企业，上年度未裁员或裁员率不高于全国城镇调查失业率控制目标（5.5%）；参保职工30人（含）以下的企业，裁员率不高于企业参保职工总数的20%。',
      ],
      [
        '二、返还标准',
        '大型企业按企业及其职工上年度实际缴纳失业保险费的30%返还，中小微企业按60%返还。社会团体、基金会、社会服务机构、律师事务所、会计师事务所、以单位形式参保的个体工商户参照中小微企业执行。',
      ],
      [
        '三、办理方式',
        '<ul><li>数据比对：人社部门会同税务部门比对参保缴费、失业保险金领取数据，生成返还名单；</li><li>公示：名单公示5个工作日；</li><li>拨付：无异议的直接拨付至企业单位账户，企业无需申请。</li></ul>',
      ],
      ['四、裁员率计算', '裁员率 = 上年度新增领取失业保险金人数 ÷ 上年度月均参保人数。'],
      ['五、执行期限', '本通知执行至2025年12月31日。'],
    ]),
    tags: ['稳岗', '失业保险', '免申即享', '就业'],
    budgetCapYuan: '30000000.00',
    clauses: [
      {
        title: '失业保险稳岗返还',
        benefitType: 'refund',
        eligibility: WENGANG_RULE,
        amountFormula: 'ui_paid_last_year * if(size == "large", 0.3, 0.6)',
        dataSources: ['市人社局 失业保险参保缴费数据', '市税务局 社保费征收数据', '市统计局 企业规模'],
        needsConsent: false,
        examples: [
          ex(
            '中型企业（中小微60%）',
            {
              ui_months_paid: 36,
              insured_avg: 120,
              ui_new_claimants: 3,
              layoff_rate: 0.025,
              ui_paid_last_year: 86400,
              size: 'medium',
            },
            true,
            '51840.00',
          ),
          ex(
            '大型企业（30%）',
            {
              ui_months_paid: 60,
              insured_avg: 1500,
              ui_new_claimants: 45,
              layoff_rate: 0.03,
              ui_paid_last_year: 1200000,
              size: 'large',
            },
            true,
            '360000.00',
          ),
          ex(
            '参保30人及以下、裁员率15%（20%以内）',
            {
              ui_months_paid: 24,
              insured_avg: 20,
              ui_new_claimants: 3,
              layoff_rate: 0.15,
              ui_paid_last_year: 14400,
              size: 'micro',
            },
            true,
            '8640.00',
          ),
          ex(
            '裁员率8%超过5.5%',
            {
              ui_months_paid: 48,
              insured_avg: 200,
              ui_new_claimants: 16,
              layoff_rate: 0.08,
              ui_paid_last_year: 150000,
              size: 'medium',
            },
            false,
            null,
          ),
          ex(
            '仅缴费10个月',
            {
              ui_months_paid: 10,
              insured_avg: 50,
              ui_new_claimants: 0,
              layoff_rate: 0,
              ui_paid_last_year: 30000,
              size: 'small',
            },
            false,
            null,
          ),
          ex(
            '缺少参保人数（结果待定，指明缺失数据）',
            { ui_months_paid: 30, ui_paid_last_year: 50000, size: 'small' },
            null,
            null,
            { missing: ['insured_avg'] },
          ),
        ],
      },
    ],
  },
  {
    code: 'HJ-GOV-2025-XSG',
    dept: 'gov-410108',
    title: '惠济区人民政府关于印发惠济区促进工业企业「小升规」奖励办法的通知',
    docNo: '惠政〔2025〕9号',
    level: 'district',
    channel: 'kuaishen',
    status: 'published',
    publishedOn: '2025-03-20',
    effectiveFrom: '2025-01-01',
    expiresOn: null, // printed: 2027-12-31 (kept open in the demo, see above)
    applyFrom: '2025-04-01',
    applyTo: '2025-10-31',
    summary:
      '参照杭州市余杭区「高质量发展68条」第49条：首次纳入规上工业统计的企业奖励20万元，属战略性新兴产业的再奖励10万元；入规后连续3年保持规上的，再给予一次性奖励30万元。',
    bodyHtml: body([
      [
        '一、首次入规奖励',
        '对2024年度首次纳入规模以上工业统计的企业，给予一次性奖励20万元；属于战略性新兴产业的，再奖励10万元。',
      ],
      [
        '二、稳规奖励',
        '对入规后连续3年保持规模以上的工业企业，给予一次性奖励30万元（2021年度入规、2022—2024年度均在库的企业）。',
      ],
      ['三、申报方式', '企业通过苗圃平台「快申快享」提交申请，系统自动带出统计部门数据，区工信部门审核后拨付。'],
      ['四、其他', '同一企业同一年度享受本区同类奖励的，按从高原则不重复享受。列入严重失信主体名单的企业不予奖励。'],
    ]),
    tags: ['小升规', '规上企业', '奖励', '工业'],
    budgetCapYuan: '8000000.00',
    clauses: [
      {
        title: '首次入规奖励（20万元，战略性新兴产业另加10万元）',
        benefitType: 'reward',
        eligibility: {
          all: [
            { fact: 'above_scale', op: 'eq', value: true },
            { fact: 'first_above_scale_year', op: 'eq', value: 2024 },
            { fact: 'industry_code', op: 'prefix', value: 'C' },
          ],
        },
        amountFormula: '200000 + if(strategic_emerging == true, 100000, 0)',
        dataSources: ['市统计局 规上企业名录', '市发改委 战略性新兴产业企业名单'],
        examples: [
          ex(
            '2024年首次入规的一般制造业企业',
            { above_scale: true, first_above_scale_year: 2024, industry_code: 'C3484', strategic_emerging: false },
            true,
            '200000.00',
          ),
          ex(
            '2024年首次入规的战略性新兴产业企业',
            { above_scale: true, first_above_scale_year: 2024, industry_code: 'C3963', strategic_emerging: true },
            true,
            '300000.00',
          ),
          ex(
            '2022年入规（非首次入规年度）',
            { above_scale: true, first_above_scale_year: 2022, industry_code: 'C3484', strategic_emerging: false },
            false,
            null,
          ),
          ex(
            '未标注战略性新兴产业（金额待定）',
            { above_scale: true, first_above_scale_year: 2024, industry_code: 'C3484' },
            true,
            null,
            { missing: ['strategic_emerging'] },
          ),
        ],
      },
      {
        title: '入规后连续3年稳规奖励（30万元）',
        benefitType: 'reward',
        eligibility: {
          all: [
            { fact: 'first_above_scale_year', op: 'eq', value: 2021 },
            { fact: 'above_scale_years_consecutive', op: 'gte', value: 4 },
          ],
        },
        amountFormula: '300000',
        dataSources: ['市统计局 规上企业名录'],
        examples: [
          ex(
            '2021年入规、2022—2024年均在库',
            { first_above_scale_year: 2021, above_scale_years_consecutive: 4 },
            true,
            '300000.00',
          ),
          ex('2021年入规、2024年退库', { first_above_scale_year: 2021, above_scale_years_consecutive: 3 }, false, null),
        ],
      },
    ],
  },
  {
    code: 'ZZ-KJJ-2025-RD',
    dept: 'kjj',
    title: '郑州市科学技术局 郑州市财政局关于开展2025年度企业研发费用后补助工作的通知',
    docNo: '郑科〔2025〕21号',
    issuerName: '郑州市科学技术局 郑州市财政局',
    level: 'municipal',
    channel: 'kuaishen',
    status: 'published',
    publishedOn: '2025-05-10',
    effectiveFrom: '2025-05-10',
    expiresOn: null, // printed: 2025-12-31 (kept open in the demo, see above)
    applyFrom: '2025-05-10',
    applyTo: '2025-08-31',
    summary: '对上年度经税务部门研发费用加计扣除核定的研发投入，按10%给予后补助，单个企业最高50万元。',
    bodyHtml: body([
      ['一、支持对象', '在本市注册、上年度享受研发费用加计扣除政策且研发投入强度不低于3%的企业。'],
      ['二、补助标准', '按经税务部门核定的上年度研发费用的10%给予补助，单个企业最高不超过50万元。'],
      ['三、数据来源', '研发费用以税务部门加计扣除核定数为准，研发投入强度由平台按营业收入计算。'],
    ]),
    tags: ['研发', '科技', '补助'],
    budgetCapYuan: '20000000.00',
    clauses: [
      {
        title: '研发费用后补助（10%，最高50万元）',
        benefitType: 'subsidy',
        eligibility: {
          all: [
            { fact: 'rd_expense', op: 'gt', value: 0 },
            { fact: 'rd_intensity', op: 'gte', value: 0.03 },
          ],
        },
        amountFormula: 'min(500000, 0.1 * rd_expense * 10000)',
        capYuan: '500000.00',
        dataSources: ['市税务局 研发费用加计扣除核定数据', '市统计局 营业收入'],
        examples: [
          ex(
            '研发费用320万元、强度5%',
            { rd_expense: 320, operating_revenue: 6400, rd_intensity: 0.05 },
            true,
            '320000.00',
          ),
          ex(
            '研发费用800万元（封顶50万元）',
            { rd_expense: 800, operating_revenue: 10000, rd_intensity: 0.08 },
            true,
            '500000.00',
          ),
          ex('研发强度2%不足3%', { rd_expense: 100, operating_revenue: 5000, rd_intensity: 0.02 }, false, null),
        ],
      },
    ],
  },
  {
    code: 'ZZ-GXJ-2025-ZJTX',
    dept: 'gxj',
    title: '郑州市工业和信息化局关于兑现2025年度专精特新企业奖励资金的通知',
    docNo: '郑工信〔2025〕33号',
    level: 'municipal',
    channel: 'mianshen',
    status: 'published',
    publishedOn: '2025-06-18',
    effectiveFrom: '2025-06-18',
    expiresOn: null, // printed: 2026-06-30 (kept open in the demo, see above)
    applyFrom: '2025-06-18',
    applyTo: '2026-06-30',
    summary:
      '对新认定的省级专精特新中小企业奖励20万元、国家级专精特新「小巨人」企业奖励50万元，同一企业按从高不重复原则享受，依据认定名单免申即享。',
    bodyHtml: body([
      [
        '一、奖励标准',
        '<ol><li>对有效期内的河南省专精特新中小企业，一次性奖励20万元；</li><li>对有效期内的国家级专精特新「小巨人」企业，一次性奖励50万元。</li></ol>',
      ],
      ['二、兑现方式', '依据工业和信息化部门认定名单比对生成兑现清单，经公示无异议后拨付，企业无需申请。'],
      ['三、不重复享受', '同一企业同时符合多项的，按最高标准奖励，不重复享受（从高不重复）。'],
    ]),
    tags: ['专精特新', '小巨人', '免申即享', '梯度培育'],
    budgetCapYuan: '50000000.00',
    clauses: [
      {
        title: '省级专精特新中小企业奖励（20万元）',
        benefitType: 'reward',
        eligibility: { qualification: 'srdi_sme', level: 'provincial' },
        amountFormula: '200000',
        stackingGroup: 'srdi-award',
        dataSources: ['市工信局 专精特新企业认定名单'],
        examples: [
          ex('持有效省级专精特新认定', {}, true, '200000.00', {
            qualifications: [
              { type: 'srdi_sme', level: 'provincial', issuedOn: '2024-12-01', validUntil: '2027-11-30' },
            ],
          }),
          ex('认定已过期', {}, false, null, {
            qualifications: [
              { type: 'srdi_sme', level: 'provincial', issuedOn: '2021-12-01', validUntil: '2024-11-30' },
            ],
          }),
        ],
      },
      {
        title: '国家级专精特新「小巨人」企业奖励（50万元）',
        benefitType: 'reward',
        eligibility: { qualification: 'little_giant', level: 'national' },
        amountFormula: '500000',
        stackingGroup: 'srdi-award',
        dataSources: ['市工信局 专精特新「小巨人」名单'],
        examples: [
          ex('国家级小巨人', {}, true, '500000.00', {
            qualifications: [
              { type: 'little_giant', level: 'national', issuedOn: '2025-07-01', validUntil: '2028-06-30' },
            ],
          }),
          ex('无小巨人认定', {}, false, null, { qualifications: [] }),
        ],
      },
    ],
  },
  {
    code: 'HJ-GOV-2025-RENT',
    dept: 'gov-410108',
    title: '惠济区小微企业园入园企业租金补贴实施细则',
    docNo: '惠政办〔2025〕14号',
    issuerName: '惠济区人民政府办公室',
    level: 'district',
    channel: 'mianshen',
    status: 'published',
    publishedOn: '2025-02-28',
    effectiveFrom: '2025-01-01',
    expiresOn: null, // printed: 2026-12-31 (kept open in the demo, see above)
    applyFrom: '2025-03-01',
    applyTo: '2026-12-31',
    summary:
      '入驻认定小微企业园的小微企业，按实际租用面积每平方米每月10元给予租金补贴，每家每年最高20万元，且不超过实付租金的50%。',
    bodyHtml: body([
      ['一、补贴对象', '租用本区认定的小微企业园厂房、从事生产制造的小型、微型企业。'],
      [
        '二、补贴标准',
        '按实际租用面积每平方米每月10元（每年120元）给予补贴，不超过上年度实付租金的50%，每家企业每年最高20万元。',
      ],
      ['三、数据来源', '租用面积和实付租金以园区运营方报送、区工信部门核实的数据为准。'],
    ]),
    tags: ['小微企业园', '租金补贴', '免申即享'],
    budgetCapYuan: '6000000.00',
    clauses: [
      {
        title: '园区租金补贴（10元/㎡·月，最高20万元）',
        benefitType: 'subsidy',
        eligibility: {
          all: [
            { fact: 'rent_area_m2', op: 'gt', value: 0 },
            { fact: 'size', op: 'in', value: ['small', 'micro'] },
          ],
        },
        amountFormula: 'min(rent_area_m2 * 120, rent_paid * 0.5)',
        capYuan: '200000.00',
        dataSources: ['园区运营方 租赁台账', '市统计局 企业规模'],
        needsConsent: true,
        // 「以园区运营方报送、区工信部门核实的数据为准」: a firm's own rent figures pay nothing until verified
        minSource: 'official',
        examples: [
          ex('小型企业租用1200㎡', { rent_area_m2: 1200, rent_paid: 432000, size: 'small' }, true, '144000.00'),
          ex(
            '微型企业租用3000㎡（封顶20万元）',
            { rent_area_m2: 3000, rent_paid: 1080000, size: 'micro' },
            true,
            '200000.00',
          ),
          ex('中型企业不属补贴对象', { rent_area_m2: 2000, rent_paid: 720000, size: 'medium' }, false, null),
        ],
      },
    ],
  },
  {
    code: 'EQ-GOV-2026-DRAFT',
    dept: 'gov-410103',
    title: '二七区支持商贸企业升规纳统若干措施（征求意见稿）',
    docNo: '',
    level: 'district',
    channel: 'kuaishen',
    status: 'draft',
    publishedOn: null,
    effectiveFrom: '2026-01-01',
    expiresOn: '2027-12-31',
    applyFrom: null,
    applyTo: null,
    summary: '对首次纳入限额以上统计的批发零售、住宿餐饮企业给予一次性奖励10万元。',
    bodyHtml: body([
      ['一、奖励对象', '首次纳入限额以上统计的批发和零售业、住宿和餐饮业企业。'],
      ['二、奖励标准', '一次性奖励10万元。'],
    ]),
    tags: ['升规纳统', '商贸'],
    budgetCapYuan: '2000000.00',
    clauses: [
      {
        title: '首次纳统奖励（10万元）',
        benefitType: 'reward',
        eligibility: {
          all: [
            { fact: 'first_above_scale_year', op: 'eq', value: 2025 },
            {
              any: [
                { fact: 'industry_code', op: 'prefix', value: 'F' },
                { fact: 'industry_code', op: 'prefix', value: 'H' },
              ],
            },
          ],
        },
        amountFormula: '100000',
        dataSources: ['市统计局 限上企业名录'],
        examples: [
          ex('2025年首次纳统的零售企业', { first_above_scale_year: 2025, industry_code: 'F5261' }, true, '100000.00'),
          ex('制造业企业', { first_above_scale_year: 2025, industry_code: 'C3484' }, false, null),
        ],
      },
    ],
  },
  {
    code: 'ZZ-GXJ-2026-REVIEW',
    dept: 'gxj',
    title: '郑州市制造业企业数字化改造奖补办法（送审稿）',
    docNo: '',
    level: 'municipal',
    channel: 'kuaishen',
    status: 'review',
    publishedOn: null,
    effectiveFrom: '2026-01-01',
    expiresOn: '2028-12-31',
    applyFrom: null,
    applyTo: null,
    summary: '对规上制造业企业数字化改造项目，按设备和软件投入的10%给予奖补，最高200万元。',
    bodyHtml: body([
      ['一、支持对象', '本市规模以上制造业企业。'],
      ['二、奖补标准', '按数字化改造设备、软件投入的10%给予奖补，单个企业最高200万元。'],
    ]),
    tags: ['数字化转型', '智能制造'],
    budgetCapYuan: null,
    clauses: [
      {
        title: '数字化改造奖补',
        benefitType: 'subsidy',
        eligibility: {
          all: [
            { fact: 'above_scale', op: 'eq', value: true },
            { fact: 'industry_code', op: 'prefix', value: 'C' },
          ],
        },
        amountFormula: null,
        dataSources: ['市统计局 规上企业名录'],
        examples: [ex('规上制造业企业', { above_scale: true, industry_code: 'C3484' }, true, null)],
      },
    ],
  },
];

/** Deterministic PRNG (mulberry32) so the demo library is the same on every start. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Title patterns: issuer d, place p (郑州市 or the district), topic t, year y. */
const TITLE_PATTERNS = [
  (d: string, p: string, t: string) => `${d}关于印发《${p}${t}实施办法》的通知`,
  (d: string, _p: string, t: string, y: number) => `${d}关于开展${y}年度${t}申报工作的通知`,
  (_d: string, p: string, t: string) => `${p}支持${t}的若干措施`,
  (d: string, _p: string, t: string) => `${d}关于进一步做好${t}工作的通知`,
  (_d: string, p: string, t: string) => `${p}${t}专项资金管理办法（试行）`,
  (d: string, _p: string, t: string, y: number) => `${d}关于公布${y}年度${t}名单的通知`,
];
const FORWARDED = [
  { issuer: '工业和信息化部 财政部', level: 'national' as const, docPrefix: '工信部联企业' },
  { issuer: '人力资源社会保障部 财政部', level: 'national' as const, docPrefix: '人社部发' },
  { issuer: '河南省人民政府办公厅', level: 'provincial' as const, docPrefix: '豫政办' },
  { issuer: '河南省工业和信息化厅', level: 'provincial' as const, docPrefix: '豫工信企业' },
];

function isoDay(ms: number) {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The generated listings: published (or since expired) before 2022-06-09, spread over the 28 departments. */
export function generatedListings(count: number, deptNames: Map<string, string>): DemoPolicy[] {
  const rand = rng(20220609);
  const out: DemoPolicy[] = [];
  const serial = new Map<string, number>();
  const start = Date.UTC(2018, 0, 1);
  const end = Date.UTC(2022, 5, 8);
  for (let i = 0; i < count; i++) {
    const d = DEPARTMENTS[i % DEPARTMENTS.length]!;
    const deptName = deptNames.get(d.key)!;
    const topic = d.topics[Math.floor(rand() * d.topics.length)]!;
    const published = start + Math.floor(rand() * (end - start));
    const year = new Date(published).getUTCFullYear();
    const forwarded = d.region === '410100' && rand() < 0.08 ? FORWARDED[Math.floor(rand() * FORWARDED.length)]! : null;
    const prefix = forwarded ? forwarded.docPrefix : d.abbr;
    const key = `${prefix}-${year}`;
    const n = (serial.get(key) ?? Math.floor(rand() * 5)) + 1 + Math.floor(rand() * 3);
    serial.set(key, n);
    const pattern = TITLE_PATTERNS[Math.floor(rand() * TITLE_PATTERNS.length)]!;
    const title = forwarded
      ? `${deptName}关于转发${forwarded.issuer}《关于${topic}的通知》的通知`
      : pattern(
          deptName,
          d.region === '410100' ? '郑州市' : deptName.replace(/(人民政府|管理委员会)$/, ''),
          topic,
          year,
        );
    const validYears = 1 + Math.floor(rand() * 5);
    const expires = `${year + validYears}-12-31`;
    const channelRoll = rand();
    const channel = channelRoll < 0.12 ? 'mianshen' : channelRoll < 0.4 ? 'kuaishen' : 'ordinary';
    const level = forwarded ? forwarded.level : d.region === '410100' ? 'municipal' : 'district';
    const pub = isoDay(published);
    out.push({
      code: `ZZ-${String(i + 1).padStart(4, '0')}`,
      dept: d.key,
      title,
      docNo: `${prefix}〔${year}〕${n}号`,
      issuerName: forwarded ? `${deptName}（转发${forwarded.issuer}）` : deptName,
      level,
      channel,
      status: expires < '2022-06-09' ? 'expired' : 'published',
      publishedOn: pub,
      effectiveFrom: pub,
      expiresOn: expires,
      applyFrom: channel === 'ordinary' ? null : pub,
      applyTo: channel === 'ordinary' ? null : `${year}-12-31`,
      summary: `为贯彻落实${forwarded ? forwarded.issuer : '市委、市政府'}关于${topic}的部署，${deptName}明确了${topic}的支持对象、支持标准和办理流程。`,
      bodyHtml: `<p>各有关单位：</p><p>为进一步做好${topic}工作，现就有关事项通知如下。</p><h3>一、支持对象</h3><p>在本市依法登记注册、纳税信用良好的企业。</p><h3>二、支持内容</h3><p>对符合条件的企业按规定给予支持，具体标准见附件。</p><h3>三、办理流程</h3><p>${channel === 'mianshen' ? '通过数据比对生成名单，经公示后直接兑现，企业无需申请。' : '企业在规定时间内通过平台提交申请，主管部门审核后兑现。'}</p><p>${deptName}</p><p>${pub}</p>`,
      tags: [topic.slice(0, 6)],
      budgetCapYuan: null,
      clauses: [],
    });
  }
  return out;
}

/** Seeds the 28 departments' library. Returns counts (computed from rows written). */
export async function seedDemoPolicies(tx: Executor, orgIds: Map<string, string>) {
  const deptIds = new Map<string, string>();
  const deptNames = new Map<string, string>();
  for (const d of DEPARTMENTS) {
    let id = orgIds.get(d.key);
    if (!id) {
      await tx.insert(orgs).values({ name: d.name!, kind: 'department', regionCode: d.region }).onConflictDoNothing();
      const [row] = await tx
        .select({ id: orgs.id })
        .from(orgs)
        .where(and(eq(orgs.name, d.name!), eq(orgs.regionCode, d.region)));
      id = row!.id;
    }
    const [org] = await tx.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, id));
    deptIds.set(d.key, id);
    deptNames.set(d.key, org!.name);
  }
  const all = [...DEMO_POLICIES, ...generatedListings(TOTAL_POLICIES - DEMO_POLICIES.length, deptNames)];
  const regionOf = new Map(DEPARTMENTS.map((d) => [d.key, d.region]));
  const ids = new Map<string, string>();
  for (let i = 0; i < all.length; i += 200) {
    const chunk = all.slice(i, i + 200);
    const rows = await tx
      .insert(policies)
      .values(
        chunk.map((p) => {
          const bodyHtml = sanitizeHtml(p.bodyHtml);
          const bodyText = htmlToText(bodyHtml);
          const issuerName = p.issuerName ?? deptNames.get(p.dept)!;
          return {
            code: p.code,
            title: p.title,
            docNo: p.docNo,
            issuerOrgId: deptIds.get(p.dept)!,
            issuerName,
            level: p.level,
            regionCode: regionOf.get(p.dept)!,
            publishedOn: p.publishedOn,
            effectiveFrom: p.effectiveFrom,
            expiresOn: p.expiresOn,
            applyFrom: p.applyFrom,
            applyTo: p.applyTo,
            summary: p.summary,
            bodyHtml,
            bodyText,
            tags: p.tags,
            channel: p.channel,
            budgetCapYuan: p.budgetCapYuan,
            // 公示 5 working days (rules.md §5.3; the payout minimum, issue #18)
            publicityDays: 5,
            publicityDayMode: 'working' as const,
            status: p.status,
            searchVector: searchVectorSql({
              title: p.title,
              issuer: issuerName,
              docNo: p.docNo,
              summary: p.summary,
              tags: p.tags,
              body: bodyText,
            }) as unknown as string,
          };
        }),
      )
      .returning({ id: policies.id, code: policies.code });
    for (const r of rows) ids.set(r.code, r.id);
  }
  const clauseRows = DEMO_POLICIES.flatMap((p) =>
    p.clauses.map((c, i) => ({
      policyId: ids.get(p.code)!,
      ordinal: i + 1,
      title: c.title,
      benefitType: c.benefitType,
      eligibility: c.eligibility,
      amountFormula: c.amountFormula,
      capYuan: c.capYuan ?? null,
      floorYuan: c.floorYuan ?? null,
      oncePerEnterprise: c.oncePerEnterprise ?? true,
      stackingGroup: c.stackingGroup ?? null,
      dataSources: c.dataSources,
      needsConsent: c.needsConsent ?? false,
      factsYear: c.factsYear ?? ('previous' as const),
      minSource: c.minSource ?? null,
      examples: c.examples,
    })),
  );
  if (clauseRows.length) await tx.insert(policyClauses).values(clauseRows);
  return { policies: ids.size, clauses: clauseRows.length, departments: deptIds.size, policyIds: ids };
}
