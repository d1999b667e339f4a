/**
 * 小微企业园 (park) rules, pure. Sources: ../shared/domain/rules.md §5.4 (park data: land 亩, floor area m²,
 * plot ratio = floor area / land area), DESIGN.md §5 (1 亩 = 666.67 m²), issue #3 (milestone colours, the
 * default node template, time-progress gap). Choices are in docs/decisions/0008-parks.md.
 */
import { type CivilDate, elapsedShareOfYear, parseCivilDate } from './projects.ts';

/** 1 亩 = 10000/15 m² (666.67 m², DESIGN.md §5). */
export const M2_PER_MU = 10_000 / 15;

/** 容积率: total floor area / land area, both in m² (rules.md §5.4). Null without land. */
export function plotRatio(floorAreaM2: number, landAreaMu: number): number | null {
  if (!(landAreaMu > 0)) return null;
  return floorAreaM2 / (landAreaMu * M2_PER_MU);
}

export const PARK_STAGES = [
  'planned',
  'filed',
  'land_acquired',
  'permitted',
  'under_construction',
  'completed',
  'operating',
] as const;
export type ParkStage = (typeof PARK_STAGES)[number];

/** A park's stage moves forward; skipping steps is allowed (a record may start mid-life), going back is not. */
export function canMoveStage(from: ParkStage, to: ParkStage): boolean {
  return PARK_STAGES.indexOf(to) > PARK_STAGES.indexOf(from);
}

export const PARK_CATEGORIES = ['manufacturing', 'producer_services'] as const;
export const DEVELOPMENT_MODES = ['government', 'leading_enterprise', 'third_party', 'consortium'] as const;
export const RECOGNITION_LEVELS = ['county', 'municipal', 'provincial'] as const;
export const UNIT_USES = ['production', 'office', 'warehouse', 'dormitory', 'canteen'] as const;

/** The default milestone template (倒排工期 nodes, issue #3), editable per park. */
export const DEFAULT_MILESTONES = [
  { key: 'filing', name: '备案' },
  { key: 'land_listing', name: '土地摘牌' },
  { key: 'property_certificate', name: '不动产权证' },
  { key: 'planning_permit', name: '建设工程规划许可证' },
  { key: 'construction_permit', name: '施工许可证' },
  { key: 'groundbreaking', name: '开工' },
  { key: 'topping_out', name: '主体封顶' },
  { key: 'completion_acceptance', name: '竣工验收' },
  { key: 'occupancy', name: '投用/入驻' },
] as const;

export type MilestoneStatus = 'green' | 'yellow' | 'red' | 'at_risk' | 'pending';

/**
 * Node status (issue #3): done on or before the planned date → green; done late → yellow; not done and the
 * planned date passed → red; not done and due within `atRiskDays` (default 7) → at_risk; otherwise pending.
 * Dates are civil dates (Asia/Shanghai) as YYYY-MM-DD; a node due today is at risk, not overdue.
 */
export function milestoneStatus(
  plannedOn: string | null,
  actualOn: string | null,
  today: string,
  atRiskDays = 7,
): MilestoneStatus {
  if (actualOn) return plannedOn && actualOn > plannedOn ? 'yellow' : 'green';
  if (!plannedOn) return 'pending';
  if (today > plannedOn) return 'red';
  return daysBetween(today, plannedOn) <= atRiskDays ? 'at_risk' : 'pending';
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 出租率 = leased area / leasable area; null without leasable area. */
export function occupancyRate(leasedM2: number, leasableM2: number): number | null {
  return leasableM2 > 0 ? leasedM2 / leasableM2 : null;
}

/** Investment progress against a yearly target with the time-progress gap (same rule as rules.md §7.2). */
export function investmentProgress(completedWan: number, targetWan: number, asOf: string) {
  const rate = targetWan > 0 ? completedWan / targetWan : null;
  const d: CivilDate = parseCivilDate(asOf);
  return {
    completionRate: rate,
    elapsedShare: elapsedShareOfYear(d),
    gapPp: rate === null ? null : (rate - elapsedShareOfYear(d)) * 100,
  };
}

export type ReportPeriod = 'week' | 'month';

/**
 * The due date of a progress report: weekly reports (Monday–Sunday) are due the Monday after the week,
 * monthly reports on the 5th of the next month (docs/decisions/0008-parks.md; configurable).
 */
export function reportDueOn(period: ReportPeriod, periodStart: string, dueDays = { week: 1, month: 5 }): string {
  const d = parseCivilDate(periodStart);
  if (period === 'week') {
    const t = Date.UTC(d.year, d.month - 1, d.day) + (6 + dueDays.week) * 86_400_000;
    return new Date(t).toISOString().slice(0, 10);
  }
  const t = Date.UTC(d.year, d.month, dueDays.month);
  return new Date(t).toISOString().slice(0, 10);
}

export type ReportState = 'submitted' | 'late' | 'missing' | 'open';

/** submitted on time / submitted late / not submitted and overdue (missing) / not yet due (open). */
export function reportState(dueOn: string, submittedOn: string | null, today: string): ReportState {
  if (submittedOn) return submittedOn > dueOn ? 'late' : 'submitted';
  return today > dueOn ? 'missing' : 'open';
}

/** Monday of the week containing `date`. */
export function weekStart(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - dow * 86_400_000).toISOString().slice(0, 10);
}
