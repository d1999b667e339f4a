/**
 * Demo targets (目标任务, issue #21), each from a seed document: Zhengzhou's ≥110亿元 industrial investment in its
 * parks in 2022 (seeds 000 and 003, "今年计划完成工业投资110亿元以上"), set by the province; the districts' shares of
 * it as the parks module holds them (demo: each district's 2022 plan × 1.05); 8 new 专精特新 for 惠济区 in 2022
 * (seed 001, 15 reached = 187.5%); Fuyang's 2021 targets (seed 004: 15 parks, 100万m², 500 firms, 50 小升规, 120
 * 科技型). Fuyang's "3 demonstration parks" has no cockpit indicator yet and is left out.
 */
import { and, eq, ne } from 'drizzle-orm';
import type { Executor } from '../client.ts';
import { regionInvestmentTargets, targets } from '../schema/index.ts';

export async function seedDemoTargets(ex: Executor): Promise<{ targets: number }> {
  const rows: (typeof targets.$inferInsert)[] = [
    {
      regionCode: '410100',
      indicator: 'parks.investmentWan',
      period: 'year',
      year: 2022,
      value: 1_100_000,
      basis: '郑州日报 2022-04-14、郑州晚报 2022-06-09：今年计划完成工业投资110亿元以上',
      setByRegion: '410000',
    },
    {
      regionCode: '410108',
      indicator: 'firms.srdiNew',
      period: 'year',
      year: 2022,
      value: 8,
      basis: '惠济区对政协提案的答复（2023-05-15）：2022年新增专精特新目标8家',
      setByRegion: '410100',
    },
    ...(
      [
        ['parks.monitored', 15, '小微企业创新园15个以上'],
        ['parks.floorAreaM2', 1_000_000, '园区建筑面积100万平方米'],
        ['parks.firms', 500, '入园企业500家'],
        ['firms.scaleUpNew', 50, '小升规企业50家'],
        ['firms.techSme', 120, '科技型中小企业120家'],
      ] as const
    ).map(([indicator, value, what]) => ({
      regionCode: '330111',
      indicator,
      period: 'year' as const,
      year: 2021,
      value,
      basis: `富阳日报 2020-01-20：到2021年${what}`,
      setByRegion: '330100',
    })),
  ];
  const districts = await ex
    .select()
    .from(regionInvestmentTargets)
    .where(and(eq(regionInvestmentTargets.year, 2022), ne(regionInvestmentTargets.regionCode, '410100')));
  for (const d of districts)
    rows.push({
      regionCode: d.regionCode,
      indicator: 'parks.investmentWan',
      period: 'year',
      year: 2022,
      value: Number(d.targetWan),
      basis: '市下达园区工业投资任务（演示：区县2022年计划×1.05）',
      setByRegion: '410100',
    });
  await ex.insert(targets).values(rows);
  return { targets: rows.length };
}
