/**
 * Demo enterprises: the three demo firms of issue #2 (one in 惠济区's operating park, the portal user's firm)
 * and 300 generated firms across Zhengzhou with yearly indicators (provenance: statistics bureau, tax bureau,
 * self-reported), qualifications and tenancies in operating parks. USCCs are synthetic but valid (GB 32100
 * check character computed); every name is marked （演示）. Phones and ID numbers are encrypted like real data.
 */
import { and, eq } from 'drizzle-orm';
import { DEFAULT_PROVENANCE_SETTINGS, reviewSelfReport } from '../../../domain/provenance.ts';
import { usccCheckChar } from '../../../domain/uscc.ts';
import { recomputeFacts } from '../../modules/enterprises/facts.ts';
import { initialsOf } from '../../modules/enterprises/service.ts';
import type { FieldCipher } from '../../platform/field-cipher.ts';
import type { Executor } from '../client.ts';
import {
  enterpriseContacts,
  enterpriseIndicators,
  enterpriseIndicatorValues,
  enterpriseQualifications,
  enterprises,
  parks,
  parkUnits,
  tenancies,
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

const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A syntactically valid synthetic USCC: 91 + division + MA + 7 characters + check. */
export function syntheticUscc(division: string, serial: number): string {
  let s = '';
  let n = serial;
  for (let i = 0; i < 7; i++) {
    s = CHARS[n % 31] + s;
    n = Math.floor(n / 31);
  }
  const first17 = `91${division}MA${s}`;
  return first17 + usccCheckChar(first17);
}

/**
 * Which demo firms carry which rule-language facts (issue #5): most have social-insurance data (人社局), some
 * deliberately none (so rules over them are UNKNOWN); some have ≤ 30 insured staff, some layoffs over the limit,
 * some only 10 months paid. The demo login firm ent-1 qualifies for 稳岗返还.
 */
interface RuleFactsProfile {
  key: string;
  ui: 'none' | 'normal' | 'layoffs' | 'ten_months';
  large: boolean;
  firstTimeAboveScale: boolean;
  longAboveScale: boolean;
  strategic: boolean | null;
  blacklisted: boolean | null;
  rent: boolean;
}

function ruleFactsProfile(key: string, industry: string, size: string): RuleFactsProfile {
  const n = key.startsWith('gen-') ? Number(key.slice(4)) : -1;
  const industrial = industry.startsWith('C');
  const base: RuleFactsProfile = {
    key,
    ui: 'normal',
    large: false,
    firstTimeAboveScale: false,
    longAboveScale: false,
    strategic: n % 4 === 1 ? true : n % 7 === 3 ? null : false,
    blacklisted: n % 37 === 5 ? true : n % 9 === 4 ? null : false,
    rent: n % 5 !== 2,
  };
  if (key === 'ent-1') return { ...base, ui: 'normal', strategic: true, blacklisted: false, rent: false };
  if (key === 'ent-2' || key === 'ent-3') return { ...base, strategic: key === 'ent-2', blacklisted: false };
  if (n < 0) return base;
  if (n % 9 === 2) base.ui = 'none';
  else if (n % 11 === 6) base.ui = 'layoffs';
  else if (n % 13 === 8) base.ui = 'ten_months';
  if (industrial && size === 'medium' && n % 10 === 0) base.large = true;
  else if (industrial && size === 'small' && n % 8 === 3) base.firstTimeAboveScale = true;
  else if (industrial && size === 'medium' && n % 10 === 5) base.longAboveScale = true;
  return base;
}

type AddIndicator = (key: string, value: number, source: typeof enterpriseIndicators.$inferInsert.source) => void;

/** 失业保险 figures for one year: insured ≈ employees, contributions 1% of wages (0.5% + 0.5%, 元). */
function addRuleFacts(
  add: AddIndicator,
  p: RuleFactsProfile,
  o: { employees: number; year: number; latest: boolean; rand: () => number },
) {
  const r = (a: number, b: number) => a + Math.floor(o.rand() * (b - a + 1));
  if (p.strategic !== null) add('strategic_emerging', p.strategic ? 1 : 0, 'verified_on_site');
  if (p.blacklisted !== null) add('credit_blacklisted', p.blacklisted ? 1 : 0, 'verified_on_site');
  if (p.ui === 'none') return;
  const insured = Math.max(1, Math.round(o.employees * (0.85 + o.rand() * 0.15)));
  const months = p.ui === 'ten_months' && o.latest ? 10 : r(12, 96);
  // within the limit: ≤ 5.5% (> 30 insured) or ≤ 20% (≤ 30 insured); over it for the 'layoffs' firms
  const limit = insured <= 30 ? 0.2 : 0.055;
  const claimants =
    p.ui === 'layoffs' && o.latest
      ? Math.floor(insured * limit) + r(1, Math.max(1, Math.round(insured * 0.05)))
      : p.key === 'ent-1'
        ? 1
        : Math.min(Math.floor(insured * limit), r(0, 2));
  const monthlyWage = r(5200, 9800);
  // 人社局's social-insurance records (the authoritative source of these figures, decision 0018)
  add('ui_months_paid', months, 'hrss_bureau');
  add('insured_avg', insured, 'hrss_bureau');
  add('ui_new_claimants', claimants, 'hrss_bureau');
  add('ui_paid_last_year', insured * monthlyWage * 12 * 0.01, 'hrss_bureau');
}

function mask(m: string) {
  return `${m.slice(0, 3)}****${m.slice(7)}`;
}

export async function seedDemoEnterprises(
  ex: Executor,
  cipher: FieldCipher,
  orgIdByKey: Map<string, string>,
  today: string,
): Promise<{ enterprises: number }> {
  const rand = mulberry32(20230515);
  // a second stream for the rule-language facts (issue #5), so the original demo figures stay as they were
  const rand2 = mulberry32(20261122);
  const between2 = (a: number, b: number) => a + Math.floor(rand2() * (b - a + 1));
  const between = (a: number, b: number) => a + Math.floor(rand() * (b - a + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const year = Number(today.slice(0, 4)) - 1;

  const operating = await ex
    .select()
    .from(parks)
    .where(and(eq(parks.stage, 'operating'), eq(parks.regionCode, '410108')));
  const hostPark = operating[0];
  // the demo park operator runs this operating park too, so its tenant is "a firm in that park"
  if (hostPark && orgIdByKey.get('op-yuepu')) {
    await ex
      .update(parks)
      .set({ operatorOrgId: orgIdByKey.get('op-yuepu')! })
      .where(eq(parks.id, hostPark.id));
  }
  const units = hostPark ? await ex.select().from(parkUnits).where(eq(parkUnits.parkId, hostPark.id)) : [];

  const named = [
    { key: 'ent-1', name: '郑州惠科精密制造有限公司（演示）', region: '410108', industry: 'C3484', size: 'small' },
    { key: 'ent-2', name: '郑州智联电子信息有限公司（演示）', region: '410108', industry: 'C3982', size: 'medium' },
    { key: 'ent-3', name: '杭州富春新材料科技有限公司（演示）', region: '330111', industry: 'C2927', size: 'small' },
  ];
  const districts = [
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
  ];
  const industries = [
    'C3411',
    'C3484',
    'C3982',
    'C2927',
    'C3311',
    'C3670',
    'C2710',
    'C1391',
    'I6510',
    'M7320',
    'F5191',
    'G5920',
  ];
  const words = ['精工', '智造', '新材', '电子', '科技', '机械', '生物', '数据', '环保', '食品'];

  const all = [
    ...named.map((n, i) => ({ ...n, orgId: orgIdByKey.get(n.key) ?? null, uscc: syntheticUscc(n.region, 1000 + i) })),
    ...Array.from({ length: 300 }, (_, i) => {
      const region = pick(districts);
      return {
        key: `gen-${i}`,
        name: `郑州${pick(words)}${pick(words)}${['实业', '科技', '制造', '技术'][i % 4]}有限公司${i + 1}号（演示）`,
        region,
        industry: pick(industries),
        size: pick(['micro', 'small', 'small', 'medium'] as const),
        orgId: null as string | null,
        uscc: syntheticUscc(region, 5000 + i * 7),
      };
    }),
  ];
  let n = 0;
  for (const e of all) {
    const [row] = await ex
      .insert(enterprises)
      .values({
        uscc: e.uscc,
        name: e.name,
        nameInitials: initialsOf(e.name),
        regionCode: e.region,
        industryCode: e.industry,
        foundedOn: `${between(2005, 2022)}-${String(between(1, 12)).padStart(2, '0')}-15`,
        registeredCapitalWan: between(50, 5000),
        legalRepresentative: `${pick(['张', '王', '李', '赵', '刘', '陈'])}${pick(['伟', '芳', '军', '磊', '静', '强', '洋'])}`,
        address: '（演示地址）',
        orgId: e.orgId,
      })
      .returning({ id: enterprises.id });
    const id = row!.id;
    let employees = e.size === 'micro' ? between(3, 18) : e.size === 'small' ? between(25, 280) : between(320, 900);
    let revenue =
      e.size === 'micro' ? between(50, 280) : e.size === 'small' ? between(400, 1900) : between(2500, 30000);
    const profile = ruleFactsProfile(e.key, e.industry, e.size);
    // a handful of large firms (工业: ≥ 1000 人 and ≥ 4亿元) and a few first-time 规上 industrial firms
    // (主营业务收入 below 2000万 the year before, above it last year: 2000 / 0.95 / 0.88 ≈ 2392)
    if (profile.large) {
      employees = between2(1100, 3200);
      revenue = between2(45_000, 160_000);
    } else if (profile.firstTimeAboveScale) revenue = between2(2150, 2380);
    else if (profile.longAboveScale) revenue = Math.max(revenue, between2(6000, 20_000));
    const indicators: (typeof enterpriseIndicators.$inferInsert)[] = [];
    for (const y of [year - 1, year]) {
      const f = y === year ? 1 : 0.88;
      const add = (key: string, value: number, source: typeof enterpriseIndicators.$inferInsert.source) =>
        indicators.push({ enterpriseId: id, year: y, key, value: Math.round(value * 100) / 100, source });
      add('employees_year_end', Math.round(employees * f), 'statistics_bureau');
      add('operating_revenue', revenue * f, 'statistics_bureau');
      add('main_business_revenue', revenue * f * 0.95, 'statistics_bureau');
      add('tax_paid', revenue * f * 0.04, 'tax_bureau');
      add('total_assets', revenue * f * 1.3, 'self_reported');
      add('total_liabilities', revenue * f * 0.6, 'self_reported');
      add('rd_expense', revenue * f * (0.01 + rand() * 0.05), 'self_reported');
      add('electricity_kwh', revenue * f * 90, 'power_company');
      add('land_area_mu', between(5, 40), 'verified_on_site');
      addRuleFacts(add, profile, { employees: Math.round(employees * f), year: y, latest: y === year, rand: rand2 });
    }
    if (profile.longAboveScale)
      // 规上 since four years before the data year (rules.md §8.4 b 连续3年稳规): older yearly figures
      for (const y of [year - 4, year - 3, year - 2]) {
        const f = 0.6 + (y - (year - 4)) * 0.08;
        for (const [key, value] of [
          ['employees_year_end', Math.round(employees * f)],
          ['operating_revenue', revenue * f],
          ['main_business_revenue', revenue * f * 0.95],
        ] as const)
          indicators.push({
            enterpriseId: id,
            year: y,
            key,
            value: Math.round(value * 100) / 100,
            source: 'statistics_bureau',
          });
      }
    if (e.key === 'ent-1') {
      // the demo login firm: R&D intensity 4.5% (研发费用后补助 eligible); rent facts left out (租金补贴: data missing)
      for (const ind of indicators)
        if (ind.key === 'rd_expense') {
          const rev = indicators.find((x) => x.key === 'operating_revenue' && x.year === ind.year)!.value;
          ind.value = Math.round(rev * 0.045 * 100) / 100;
        }
    }
    await ex.insert(enterpriseIndicators).values(indicators);
    // every figure is also the first version of its source (decision 0018)
    await ex.insert(enterpriseIndicatorValues).values(indicators);
    // the 数据核实 queue and the data-quality list of the demo (惠济区): a few firms' own reports that differ from
    // the statistics bureau's beyond the 10% tolerance, and a few electricity figures that jumped (a factor > 5;
    // no demo rule reads electricity, so the policies' demo results stay as they are)
    if (e.region === '410108' && e.key !== 'ent-1' && n % 9 === 4) {
      const official = indicators.find((x) => x.key === 'employees_year_end' && x.year === year)!;
      const claim = Math.round(official.value * 1.35);
      const review = reviewSelfReport(claim, official.value, DEFAULT_PROVENANCE_SETTINGS.tolerance);
      await ex.insert(enterpriseIndicatorValues).values({
        enterpriseId: id,
        year,
        key: 'employees_year_end',
        source: 'self_reported',
        value: claim,
        note: '含劳务派遣人员（演示）',
        reviewStatus: review.status,
        reviewFlag: review.flag,
        officialValue: official.value,
        officialSource: 'statistics_bureau',
      });
    }
    if (e.region === '410108' && e.key !== 'ent-1' && n % 11 === 6) {
      const kwh = indicators.find((x) => x.key === 'electricity_kwh' && x.year === year)!;
      kwh.value = Math.round(kwh.value * 9);
      for (const t of [enterpriseIndicators, enterpriseIndicatorValues] as const)
        await ex
          .update(t)
          .set({ value: kwh.value })
          .where(and(eq(t.enterpriseId, id), eq(t.year, year), eq(t.key, 'electricity_kwh')));
    }
    if (rand() < 0.3 || e.key === 'ent-1') {
      await ex.insert(enterpriseQualifications).values({
        enterpriseId: id,
        type: pick(['tech_sme', 'innovative_sme', 'high_tech'] as const),
        level: 'provincial',
        certificateNo: `DEMO-${n}`,
        issuedOn: `${year - 1}-06-30`,
        validUntil:
          e.key === 'ent-1'
            ? new Date(Date.parse(`${today}T00:00:00Z`) + 60 * 86_400_000).toISOString().slice(0, 10)
            : `${year + 2}-06-29`,
      });
    }
    if (e.key === 'ent-1' && hostPark && units[0]) {
      await ex.insert(tenancies).values({
        enterpriseId: id,
        parkId: hostPark.id,
        unitId: units[0].id,
        areaM2: units[0].areaM2,
        startOn: `${year}-03-01`,
      });
    } else if (hostPark && e.region === '410108' && rand() < 0.3 && units[n % units.length]) {
      const area = between(200, 800);
      await ex
        .insert(tenancies)
        .values({ enterpriseId: id, parkId: hostPark.id, areaM2: area, startOn: `${year}-01-01` });
      // rent facts of the park rent subsidy from the operator's lease ledger (园区运营方 租赁台账): the rented area
      // and the rent paid, 元 (18–32 元/㎡·月)
      if (profile.rent) {
        const rent = [year].flatMap((y) => [
          { enterpriseId: id, year: y, key: 'rent_area_m2', value: area, source: 'park_operator' as const },
          {
            enterpriseId: id,
            year: y,
            key: 'rent_paid',
            value: area * between2(18, 32) * 12,
            source: 'park_operator' as const,
          },
        ]);
        await ex.insert(enterpriseIndicators).values(rent);
        await ex.insert(enterpriseIndicatorValues).values(rent);
      }
    }
    if (e.key === 'ent-1' || rand() < 0.2) {
      const mobile = `13${between(0, 9)}${String(between(0, 99_999_999)).padStart(8, '0')}`;
      await ex.insert(enterpriseContacts).values({
        enterpriseId: id,
        name: `${pick(['张', '王', '李'])}经理`,
        role: '联系人',
        mobileEnc: cipher.encrypt(mobile),
        mobileIndex: cipher.index(mobile),
        mobileMasked: mask(mobile),
      });
    }
    await recomputeFacts(ex, id, today);
    n++;
  }
  return { enterprises: n };
}
