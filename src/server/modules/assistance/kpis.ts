/**
 * KPIs from rows (rules.md §6.4). A problem counts in a period by its date of receipt; whether it is solved or
 * open is judged as of the end of `to` (China Standard Time), so actions after `to` do not change a past report
 * (decision 0014). Solved = a solving closure code (resolved, partly resolved) with resolved_at ≤ end of `to`
 * (and, with `resolutionRequiresConfirmation`, confirmed by the firm); finished = solved or closed otherwise
 * (explained, duplicate, withdrawn); open = not finished.
 */
import { and, inArray, type SQL, sql } from 'drizzle-orm';
import {
  onTimeRate,
  percent1,
  type RankBy,
  rankUnits,
  resolutionRate,
  satisfactionRate,
} from '../../../domain/assistance/kpis.ts';
import type { Executor } from '../../db/client.ts';
import { assistanceCadres, assistancePairings, assistanceProblems, orgs } from '../../db/schema/index.ts';
import type { RegionIndex } from '../../platform/region-index.ts';
import { endOfDay } from './problems.ts';
import type { AssistanceSettings } from './settings.ts';

export interface KpiQuery {
  regionCodes: string[];
  from: string;
  to: string;
  orgId?: string;
  cadreId?: string;
}

const COUNTS = [
  'collected',
  'solved',
  'solved_on_time',
  'finished',
  'overdue',
  'open_within',
  'satisfied',
  'basic',
  'unsatisfied',
] as const;

interface Agg {
  key: string;
  collected: number;
  solved: number;
  solved_on_time: number;
  finished: number;
  overdue: number;
  open_within: number;
  satisfied: number;
  basic: number;
  unsatisfied: number;
  avg_feedback_h: number | null;
  avg_resolution_d: number | null;
}

async function aggregate(
  ex: Executor,
  q: KpiQuery,
  st: Pick<AssistanceSettings, 'resolutionRequiresConfirmation'>,
  groupBy: SQL | null,
): Promise<Agg[]> {
  const p = assistanceProblems;
  const end = sql`${endOfDay(q.to).toISOString()}::timestamptz`;
  const solved = sql`(${p.closureCode} in ('resolved','partly_resolved') and ${p.resolvedAt} < ${end}${
    st.resolutionRequiresConfirmation ? sql` and ${p.confirmedByFirm}` : sql``
  })`;
  const finished = sql`(${p.resolvedAt} < ${end} or ${p.closedAt} < ${end})`;
  const rated = sql`(${p.rating} is not null and ${p.ratedAt} < ${end})`;
  const conds: SQL[] = [
    inArray(p.regionCode, q.regionCodes.length ? q.regionCodes : ['-']),
    sql`${p.receivedOn} >= ${q.from}::date`,
    sql`${p.receivedOn} <= ${q.to}::date`,
  ];
  if (q.orgId) conds.push(sql`${p.orgId} = ${q.orgId}`);
  if (q.cadreId) {
    conds.push(
      sql`(${p.enterpriseId} in (select ${assistancePairings.enterpriseId} from ${assistancePairings} where ${assistancePairings.cadreId} = ${q.cadreId}) or ${p.submittedBy} in (select ${assistanceCadres.userId} from ${assistanceCadres} where ${assistanceCadres.id} = ${q.cadreId}))`,
    );
  }
  const key = groupBy ?? sql`'all'`;
  const res = await ex.execute(sql`
    select ${key} as key,
      count(*)::int as collected,
      count(*) filter (where ${solved})::int as solved,
      count(*) filter (where ${solved} and ${p.resolvedAt} < (${p.dueOn} + 1)::timestamp at time zone 'Asia/Shanghai')::int as solved_on_time,
      count(*) filter (where ${finished})::int as finished,
      count(*) filter (where not ${finished} and ${p.dueOn} < ${q.to}::date)::int as overdue,
      count(*) filter (where not ${finished} and ${p.dueOn} >= ${q.to}::date)::int as open_within,
      count(*) filter (where ${rated} and ${p.rating} = 'satisfied')::int as satisfied,
      count(*) filter (where ${rated} and ${p.rating} = 'basically_satisfied')::int as basic,
      count(*) filter (where ${rated} and ${p.rating} = 'unsatisfied')::int as unsatisfied,
      (avg(extract(epoch from (${p.firstFeedbackAt} - ${p.receivedAt}))) filter (where ${p.firstFeedbackAt} < ${end}) / 3600)::float8 as avg_feedback_h,
      (avg(extract(epoch from (${p.resolvedAt} - ${p.receivedAt}))) filter (where ${solved}) / 86400)::float8 as avg_resolution_d
    from ${p}
    where ${and(...conds)}
    group by 1`);
  return (res as unknown as { rows: Agg[] }).rows.map((r) => ({
    ...r,
    key: String(r.key),
    collected: Number(r.collected),
    solved: Number(r.solved),
    solved_on_time: Number(r.solved_on_time),
    finished: Number(r.finished),
    overdue: Number(r.overdue),
    open_within: Number(r.open_within),
    satisfied: Number(r.satisfied),
    basic: Number(r.basic),
    unsatisfied: Number(r.unsatisfied),
    avg_feedback_h: r.avg_feedback_h === null ? null : Number(r.avg_feedback_h),
    avg_resolution_d: r.avg_resolution_d === null ? null : Number(r.avg_resolution_d),
  }));
}

function figures(a: Agg | undefined, st: Pick<AssistanceSettings, 'countBasicallySatisfied'>) {
  const x = a ?? {
    key: '',
    collected: 0,
    solved: 0,
    solved_on_time: 0,
    finished: 0,
    overdue: 0,
    open_within: 0,
    satisfied: 0,
    basic: 0,
    unsatisfied: 0,
    avg_feedback_h: null,
    avg_resolution_d: null,
  };
  const rRate = resolutionRate(x.solved, x.collected);
  const oRate = onTimeRate(x.solved_on_time, x.solved, x.overdue);
  const sRate = satisfactionRate(
    { satisfied: x.satisfied, basicallySatisfied: x.basic, unsatisfied: x.unsatisfied },
    st.countBasicallySatisfied,
  );
  return {
    collected: x.collected,
    resolved: x.solved,
    resolvedOnTime: x.solved_on_time,
    closedOtherwise: x.finished - x.solved,
    resolutionRate: rRate,
    onTimeRate: oRate,
    satisfactionRate: sRate,
    overdue: x.overdue,
    openWithinDeadline: x.open_within,
    rated: x.satisfied + x.basic + x.unsatisfied,
    ratings: { satisfied: x.satisfied, basicallySatisfied: x.basic, unsatisfied: x.unsatisfied },
    avgFirstFeedbackHours: x.avg_feedback_h === null ? null : Math.round(x.avg_feedback_h * 10) / 10,
    avgResolutionDays: x.avg_resolution_d === null ? null : Math.round(x.avg_resolution_d * 10) / 10,
    display: {
      resolutionRate: percent1(rRate),
      onTimeRate: percent1(oRate),
      satisfactionRate: percent1(sRate),
    },
  };
}

export async function kpis(ex: Executor, q: KpiQuery, st: AssistanceSettings) {
  const [a] = await aggregate(ex, q, st, null);
  return {
    from: q.from,
    to: q.to,
    countBasicallySatisfied: st.countBasicallySatisfied,
    resolutionRequiresConfirmation: st.resolutionRequiresConfirmation,
    ...figures(a, st),
  };
}

/** Rankings of the districts under `root` or of the handling departments, with n and the minimum sample. */
export async function rankings(
  ex: Executor,
  regions: RegionIndex,
  q: { root: string; by: 'district' | 'department'; from: string; to: string; rankBy: RankBy },
  regionCodes: string[],
  st: AssistanceSettings,
) {
  const p = assistanceProblems;
  if (q.by === 'department') {
    const rows = await aggregate(ex, { regionCodes, from: q.from, to: q.to }, st, sql`${p.orgId}::text`);
    const ids = rows.map((r) => r.key).filter((k) => k !== 'null');
    const names = ids.length
      ? await ex.select({ id: orgs.id, name: orgs.name }).from(orgs).where(inArray(orgs.id, ids))
      : [];
    const units = rows
      .filter((r) => r.key !== 'null')
      .map((r) => {
        const f = figures(r, st);
        return {
          key: r.key,
          orgId: r.key,
          code: null as string | null,
          name: names.find((x) => x.id === r.key)?.name ?? r.key,
          n: f.collected,
          resolved: f.resolved,
          resolutionRate: f.resolutionRate,
          onTimeRate: f.onTimeRate,
          satisfactionRate: f.satisfactionRate,
        };
      });
    return rankUnits(units, q.rankBy, st.minRankingSample);
  }
  // districts: the children of the root; each problem's region is mapped to its child of the root
  const children = regions.all().filter((r) => r.parentCode === q.root);
  const rows = await aggregate(ex, { regionCodes, from: q.from, to: q.to }, st, sql`${p.regionCode}`);
  const units = children.map((ch) => {
    const sub = new Set(regions.subtree(ch.code));
    const mine = rows.filter((r) => sub.has(r.key));
    const sum: Agg = {
      key: ch.code,
      collected: 0,
      solved: 0,
      solved_on_time: 0,
      finished: 0,
      overdue: 0,
      open_within: 0,
      satisfied: 0,
      basic: 0,
      unsatisfied: 0,
      avg_feedback_h: null,
      avg_resolution_d: null,
    };
    for (const r of mine) {
      for (const k of COUNTS) sum[k] += r[k];
    }
    const f = figures(sum, st);
    return {
      key: ch.code,
      code: ch.code as string | null,
      orgId: null as string | null,
      name: ch.name,
      n: f.collected,
      resolved: f.resolved,
      resolutionRate: f.resolutionRate,
      onTimeRate: f.onTimeRate,
      satisfactionRate: f.satisfactionRate,
    };
  });
  return rankUnits(
    units.filter((u) => u.n > 0),
    q.rankBy,
    st.minRankingSample,
  );
}
