/**
 * 万人助万企 KPIs (pure), rules.md §6.4:
 * - 问题解决率 = 已解决问题数 / 收集问题总数 (周口 1669 / 1693 = 98.58%, paper.ce.cn 2021-12-09);
 * - 按期办结率 = problems solved by their deadline / problems due (or solved) in the period [DERIVED];
 * - 企业满意率 = (满意 [+ 基本满意]) / rated problems; whether 基本满意 counts is a setting [DERIVED];
 * - rankings show n and leave units under a minimum sample unranked (lessons.md §5 item 10).
 * Rates are fractions 0..1 truncated (rounded down) to 4 decimal places, and shown as percentages truncated to
 * one decimal: the seeds do so (郑州 11423 / 11449 = 0.99773… is published as 99.7%, 003 seed; 周口 1669 / 1693 =
 * 0.98582… as 98.58%), and truncation never overstates a result (decision 0014). null when the denominator is 0.
 */

export function rate(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  // the epsilon keeps exact quotients (0.29 * 10000 = 2899.9999…) from losing a unit
  return Math.floor((numerator / denominator) * 10_000 + 1e-9) / 10_000;
}

/** 解决率: solved / collected. */
export function resolutionRate(solved: number, collected: number) {
  return rate(solved, collected);
}

export interface RatingCounts {
  satisfied: number;
  basicallySatisfied: number;
  unsatisfied: number;
}

/** 满意率 over rated problems; 基本满意 counts as satisfied when `countBasicallySatisfied`. */
export function satisfactionRate(c: RatingCounts, countBasicallySatisfied: boolean) {
  const rated = c.satisfied + c.basicallySatisfied + c.unsatisfied;
  return rate(c.satisfied + (countBasicallySatisfied ? c.basicallySatisfied : 0), rated);
}

/** 按期办结率: solved on time / (solved + still open past the deadline). */
export function onTimeRate(solvedOnTime: number, solved: number, openOverdue: number) {
  return rate(solvedOnTime, solved + openOverdue);
}

export interface RankInput {
  key: string;
  n: number;
  resolutionRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
}

export type RankBy = 'resolutionRate' | 'onTimeRate' | 'satisfactionRate';

/**
 * Ranks units by `by` (descending; ties share a rank, 1,1,3). Units with n < minSample, or without the rate,
 * get rank null and `belowMinSample` so a unit with 3 problems cannot top a table (lessons.md §5 item 10).
 */
export function rankUnits<T extends RankInput>(
  units: readonly T[],
  by: RankBy,
  minSample: number,
): (T & { rank: number | null; belowMinSample: boolean })[] {
  const eligible = units.filter((u) => u.n >= minSample && u[by] !== null);
  const sorted = [...eligible].sort((a, b) => (b[by] as number) - (a[by] as number));
  const rankOf = new Map<string, number>();
  sorted.forEach((u, i) => {
    const prev = sorted[i - 1];
    rankOf.set(u.key, prev && prev[by] === u[by] ? rankOf.get(prev.key)! : i + 1);
  });
  return [...units]
    .map((u) => ({ ...u, rank: rankOf.get(u.key) ?? null, belowMinSample: u.n < minSample }))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) || b.n - a.n);
}

/** Shown as a percentage truncated to one decimal (0.9977 → "99.7%"). */
export function percent1(r: number | null) {
  return r === null ? '—' : `${(Math.floor(r * 1000 + 1e-9) / 10).toFixed(1)}%`;
}
