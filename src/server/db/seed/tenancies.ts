/**
 * Demo tenancies (issue #21): on 2022-06-09 Zhengzhou's 142 monitored parks held 5,100 firms (已集聚入园企业5100家,
 * seed 003). The demo enterprises of issue #2 are few and mostly rent in 惠济区 from 2025 on, so this adds
 * lightweight firms (registry row only: no indicators, no facts, no contacts; names marked （演示）) with a tenancy
 * each that started before 2022-06-09 and is still running, spread over the 142 parks in proportion to their floor
 * area. The firms-in-parks figure is then COUNTED from tenancy rows (parks stats, cockpit), never typed in.
 * Everything is written with multi-row inserts (a few hundred milliseconds on PGlite).
 */
import { and, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { initialsOf } from '../../modules/enterprises/service.ts';
import type { Executor } from '../client.ts';
import { enterprises, parks, tenancies } from '../schema/index.ts';
import { syntheticUscc } from './enterprises.ts';

/** Seed 003: 重点监测小微企业园142个 … 已集聚入园企业5100家 (Zhengzhou Evening News, 9 June 2022). */
export const FIRMS_IN_PARKS_2022_06_09 = 5100;
const AS_OF = '2022-06-09';

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

/** Splits `total` into integer parts proportional to `weights` (largest remainders), exactly. */
export function splitProportional(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (sum > 0 ? (total * w) / sum : 0));
  const parts = raw.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k]![1]]!++;
  return parts;
}

const INDUSTRIES: Record<string, string[]> = {
  C34: ['C3411', 'C3484', 'C3491'],
  C30: ['C3031', 'C3089'],
  C39: ['C3982', 'C3971', 'C3990'],
  C27: ['C2720', 'C2770'],
  C35: ['C3511', 'C3599'],
  C13: ['C1391', 'C1371'],
  G59: ['G5920', 'G5990'],
  M73: ['M7320', 'M7350'],
  I65: ['I6510', 'I6520'],
  C36: ['C3670', 'C3660'],
  N77: ['N7721', 'N7723'],
  C18: ['C1810', 'C1830'],
};
const WORDS = ['精工', '智造', '新材', '电子', '科技', '机械', '生物', '数据', '环保', '食品', '精密', '光电'];
const SUFFIX = ['实业', '科技', '制造', '技术'];

const addDays = (iso: string, d: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);

export async function seedDemoTenancies(ex: Executor): Promise<{ enterprises: number; tenancies: number }> {
  const rand = mulberry32(20220609);
  const monitored = and(
    sql`${parks.regionCode} like '4101%'`,
    lte(parks.monitoredFrom, AS_OF),
    or(isNull(parks.monitoredUntil), sql`${parks.monitoredUntil} > ${AS_OF}::date`),
  );
  const zz = await ex
    .select({
      id: parks.id,
      regionCode: parks.regionCode,
      floor: parks.floorAreaM2,
      from: parks.monitoredFrom,
      industry: sql<string>`${parks.industryCodes}->>0`,
    })
    .from(parks)
    .where(monitored)
    .orderBy(parks.code);
  // tenancies already running on that day (the hand-made demo firms) count towards the figure
  const [have] = await ex
    .select({ n: count() })
    .from(tenancies)
    .innerJoin(parks, eq(parks.id, tenancies.parkId))
    .where(
      and(
        monitored,
        lte(tenancies.startOn, AS_OF),
        or(isNull(tenancies.endOn), sql`${tenancies.endOn} > ${AS_OF}::date`),
      ),
    );
  const need = FIRMS_IN_PARKS_2022_06_09 - (have?.n ?? 0);
  if (need <= 0 || zz.length === 0) return { enterprises: 0, tenancies: 0 };
  const perPark = splitProportional(
    need,
    zz.map((p) => Number(p.floor)),
  );
  const firms: (typeof enterprises.$inferInsert)[] = [];
  const leases: { park: number; areaM2: number; startOn: string }[] = [];
  let serial = 0;
  // pinyin initials per word, memoised (the names are built from a dozen words; pinyin per name took a second)
  const memo = new Map<string, string>();
  const ini = (w: string) => {
    let v = memo.get(w);
    if (v === undefined) {
      v = initialsOf(w);
      memo.set(w, v);
    }
    return v;
  };
  zz.forEach((p, i) => {
    const n = perPark[i]!;
    // about 60% of a park's floor area is let to its firms, unevenly
    const areas = splitProportional(
      Math.max(n * 50, Math.round(Number(p.floor) * 0.6)),
      Array.from({ length: n }, () => 0.3 + rand()),
    );
    const codes = INDUSTRIES[p.industry ?? ''] ?? ['C3484'];
    // firms moved in between a year before monitoring began (or 2019) and the day before the report
    const earliest = p.from && p.from > '2020-01-01' ? addDays(p.from, -365) : '2019-01-01';
    const span = Math.max(1, (Date.parse(`${AS_OF}T00:00:00Z`) - Date.parse(`${earliest}T00:00:00Z`)) / 86_400_000 - 1);
    for (let k = 0; k < n; k++) {
      const s = serial++;
      const startOn = addDays(earliest, Math.floor(rand() * span));
      const parts = [
        '郑州',
        WORDS[s % WORDS.length]!,
        WORDS[Math.floor(s / WORDS.length) % WORDS.length]!,
        SUFFIX[s % 4]!,
      ];
      const name = `${parts.join('')}有限公司园${s + 1}号（演示）`;
      firms.push({
        uscc: syntheticUscc(p.regionCode, 3_000_000 + s),
        name,
        nameInitials: `${parts.map(ini).join('')}${ini('有限公司园')}${s + 1}${ini('号（演示）')}`,
        regionCode: p.regionCode,
        industryCode: codes[s % codes.length]!,
        foundedOn: addDays(startOn, -(200 + Math.floor(rand() * 2500))),
        registeredCapitalWan: 50 + Math.floor(rand() * 950),
        address: '（演示地址）',
      });
      leases.push({ park: i, areaM2: areas[k]!, startOn });
    }
  });
  const ids: string[] = [];
  for (let i = 0; i < firms.length; i += 1000) {
    const rows = await ex
      .insert(enterprises)
      .values(firms.slice(i, i + 1000))
      .returning({ id: enterprises.id });
    ids.push(...rows.map((r) => r.id));
  }
  const rows = leases.map((l, i) => ({
    enterpriseId: ids[i]!,
    parkId: zz[l.park]!.id,
    areaM2: l.areaM2,
    startOn: l.startOn,
  }));
  for (let i = 0; i < rows.length; i += 2000) await ex.insert(tenancies).values(rows.slice(i, i + 2000));
  return { enterprises: firms.length, tenancies: rows.length };
}
