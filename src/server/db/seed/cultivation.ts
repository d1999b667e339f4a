/**
 * Demo 梯度培育 data (issue #20): certification ROWS on demo enterprises of 惠济区 (410108) that reproduce seed 001's
 * 2022 figures — 42 创新型中小企业 recognised in 2022; 专精特新 29 municipal (13 new in 2022) and 4 provincial (2 new)
 * at the 2022 year end; 15 new against the target of 8 (187.5%) — plus the targets, then the first population
 * assessment. 惠济区 has too few demo firms for 42, so additional ones are created, all named （演示）.
 */
import { and, count, eq } from 'drizzle-orm';
import { assessPopulation, createCertification } from '../../modules/cultivation/service.ts';
import { recomputeFacts } from '../../modules/enterprises/facts.ts';
import { initialsOf } from '../../modules/enterprises/service.ts';
import type { Executor } from '../client.ts';
import { cultivationTargets, enterprises } from '../schema/index.ts';
import { syntheticUscc } from './enterprises.ts';

const HUIJI = '410108';

export async function seedDemoCultivation(ex: Executor, today: string) {
  const words = ['精工', '智能', '新材', '电子', '生物', '数据', '环保', '装备', '光电', '传感'];
  const [{ n } = { n: 0 }] = await ex
    .select({ n: count() })
    .from(enterprises)
    .where(and(eq(enterprises.regionCode, HUIJI), eq(enterprises.status, 'active')));
  for (let i = 0; i < Math.max(0, 44 - n); i++) {
    const name = `郑州惠济${words[i % 10]}${words[(i * 3 + 1) % 10]}科技有限公司${i + 1}号（演示）`;
    await ex.insert(enterprises).values({
      uscc: syntheticUscc(HUIJI, 90_000 + i * 13),
      name,
      nameInitials: initialsOf(name),
      regionCode: HUIJI,
      industryCode: ['C3484', 'C3982', 'C2927', 'C3670'][i % 4]!,
      foundedOn: `${2008 + (i % 12)}-06-15`,
      address: '（演示地址）',
    });
  }
  const firms = await ex
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(and(eq(enterprises.regionCode, HUIJI), eq(enterprises.status, 'active')))
    .orderBy(enterprises.uscc);
  // the demo login firm (ent-1) stays out of the tiers, so its self-assessment shows what it lacks
  const [ent1] = await ex
    .select({ id: enterprises.id })
    .from(enterprises)
    .where(eq(enterprises.name, '郑州惠科精密制造有限公司（演示）'));
  const pool = firms.filter((f) => f.id !== ent1?.id).map((f) => f.id);
  const cert = (
    id: string,
    tier: 'innovative_sme' | 'srdi_sme',
    level: 'provincial' | 'municipal',
    on: string,
    batch: string,
  ) =>
    createCertification(
      ex,
      {
        enterpriseId: id,
        regionCode: HUIJI,
        tier,
        level,
        batchNo: batch,
        authority: level === 'provincial' ? '河南省工业和信息化厅' : '郑州市工业和信息化局',
        recognisedOn: on,
      },
      '',
    );
  // 42 创新型 recognised in 2022 (two provincial batches)
  for (let i = 0; i < 42; i++)
    await cert(
      pool[i]!,
      'innovative_sme',
      'provincial',
      i < 20 ? '2022-09-20' : '2022-12-10',
      i < 20 ? '豫2022-1' : '豫2022-2',
    );
  // 专精特新 municipal: 16 recognised 2020–2021 and still valid at the 2022 year end, 13 new in 2022
  for (let i = 0; i < 29; i++)
    await cert(
      pool[i]!,
      'srdi_sme',
      'municipal',
      i < 8 ? '2020-11-20' : i < 16 ? '2021-10-15' : '2022-11-08',
      i < 8 ? '郑2020' : i < 16 ? '郑2021' : '郑2022',
    );
  // provincial: 2 before 2022, 2 new in 2022
  for (let i = 0; i < 4; i++)
    await cert(pool[i]!, 'srdi_sme', 'provincial', i < 2 ? '2021-06-30' : '2022-07-29', i < 2 ? '豫2021' : '豫2022');
  // 市定目标: 8 new 专精特新 in 2022 (seed 001); Fuyang: 50 小升规 by 2021 (seed 004)
  await ex.insert(cultivationTargets).values([
    { regionCode: HUIJI, year: 2022, metric: 'srdi_new', target: 8 },
    { regionCode: '330111', year: 2021, metric: 'scale_up_new', target: 50 },
  ]);
  for (const id of new Set(pool.slice(0, 42))) await recomputeFacts(ex, id, today);
  const assessed = await assessPopulation(ex, today);
  return { certifications: 42 + 29 + 4, assessed: assessed.written };
}
