/**
 * The facts the 梯度培育 assessment reads (rules.md §3, 工信部企业〔2022〕63号). Money in 万元, ratios as fractions
 * (0.04 = 4%). A key that is absent (undefined) is unknown; `null` for `stAward` and `makerChinaTop` means "none".
 */

export const TIERS = ['innovative_sme', 'srdi_sme', 'little_giant'] as const;
export type Tier = (typeof TIERS)[number];

export const IP_CLASSES = ['high_value_i', 'self_developed_i', 'i', 'ii', 'none'] as const;
export type IpClass = (typeof IP_CLASSES)[number];
export const PRODUCT_FIELDS = ['key_chain', 'six_basics', 'other'] as const;
export type ProductField = (typeof PRODUCT_FIELDS)[number];
export const RD_INSTITUTIONS = ['national', 'provincial', 'municipal', 'below_municipal', 'none'] as const;
export type RdInstitution = (typeof RD_INSTITUTIONS)[number];
export const AWARD_LEVELS = ['national', 'provincial', 'other'] as const;

export interface StAward {
  /** 国家级 / 省级 科技奖励 (other: a lower level, which no route counts) */
  level: (typeof AWARD_LEVELS)[number];
  /** rank of the firm among the awardee units (1 = first) */
  rank: number;
  /** years since the award (0 = this year or last year's award announced this year; ≤ 3 = 近三年) */
  yearsAgo: number;
}

export interface TierFacts {
  /** best class of valid IP related to the main product (rules.md §3.1 IP definitions) */
  ipClass?: IpClass;
  /** number of Ⅰ类 IP related to the main product and applied (小巨人 needs ≥ 2) */
  classIIpCount?: number;
  /** 上年度营业收入, 万元 */
  revenue?: number;
  /** 前年度营业收入, 万元 */
  revenuePrev?: number;
  /** 上年度主营业务收入, 万元 */
  mainBusinessRevenue?: number;
  /** 上年度研发费用, 万元 */
  rdExpense?: number;
  /** 前年度研发费用, 万元 */
  rdExpensePrev?: number;
  /** 上年度主营业务收入增长率 */
  mainBusinessGrowth?: number;
  /** 近2年主营业务收入平均增长率 */
  mainBusinessGrowth2y?: number;
  /** 上年度资产负债率 */
  debtRatio?: number;
  /** 上年度净利润率 */
  netMargin?: number;
  /** 主导产品属于《战略性新兴产业分类》 */
  strategicEmerging?: boolean;
  /** 从事特定细分市场年限 (years, to the end of last year) */
  nicheYears?: number;
  /** 主导产品所属领域 (§3.2 item 4) */
  productField?: ProductField;
  /** 中小企业数字化水平 level (0 = not assessed, 1, 2, 3, 4) */
  digitalLevel?: number;
  /** number of 质量管理 items held (省级以上质量奖, ISO 9001 etc., 自主品牌, 参与制修订标准) */
  qualityItems?: number;
  /** 地方特色指标 points (0–15) set by the province; used when no province indicator facts are given */
  localScore?: number;
  /** 上年度研发人员占职工总数比重 */
  rdStaffRatio?: number;
  /** level of the firm's own (or jointly built) R&D institution */
  rdInstitution?: RdInstitution;
  /** 近2年新增股权融资总额 (合格机构投资者实缴), 万元 */
  equityFinancing2y?: number;
  /** 近3年新增股权融资总额 (合格机构投资者实缴), 万元 */
  equityFinancing3y?: number;
  /** the best S&T award of the firm, or null for none */
  stAward?: StAward | null;
  /** 有效期内的 高新技术企业 / 国家级技术创新示范企业 / 知识产权优势企业 / 知识产权示范企业 */
  validHonour?: boolean;
  /** 近三年「创客中国」全国 50 强 (50) or 500 强 (500) 企业组, or null */
  makerChinaTop?: 50 | 500 | null;
  /** 主导产品全国细分市场占有率 */
  marketShare?: number;
  /** owns a competitive 自主品牌 */
  ownBrand?: boolean;
  /** ≥ 1 核心业务 supported by an information system */
  coreBusinessInfoSystem?: boolean;
  /** holds a relevant management-system certification or a developed country's product certification */
  certification?: boolean;
  /** located at a key link of an industrial chain, plays a 补短板/锻长板/填空白 role (小巨人 链) */
  keyChainRole?: boolean;
  /** main product in the fields of 小巨人 品 (核心基础零部件…, 制造强国十大重点领域, 网络强国) */
  priorityField?: boolean;
  /** province code (2 digits or a division code) whose 特色化 indicators apply */
  province?: string;
  /** values of the province's 特色化 indicators, by indicator id */
  local?: Record<string, number>;
}

export type FactKey = keyof TierFacts;
