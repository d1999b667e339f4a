/** The phases of a project's pipeline with planned and actual spans, for the Gantt timeline (pure). */
import type { Project } from './api';

export const PHASES = ['signToPerform', 'performToStart', 'startToProduce', 'produceToEffect'] as const;
export type Phase = (typeof PHASES)[number];

export interface Span {
  from: string;
  to: string;
}

export interface PhaseRow {
  phase: Phase;
  /** Planned span; `overdue` when its planned end has passed and the milestone is not reached. */
  planned: (Span & { overdue: boolean; overdueDays: number }) | null;
  /** Actual span; `inProgress` when the phase has begun and is not finished (drawn up to today). */
  actual: (Span & { inProgress: boolean; lateDays: number }) | null;
}

interface Milestone {
  planned: string | null;
  actual: string | null;
}

function milestones(p: Project): Milestone[] {
  return [
    { planned: p.signedOn, actual: p.signedOn },
    { planned: p.plannedPerformanceOn, actual: p.performedOn },
    { planned: p.plannedStartOn, actual: p.startedOn },
    { planned: p.plannedProductionOn, actual: p.productionOn },
    { planned: p.plannedEffectiveOn, actual: p.effectiveOn },
  ];
}

const days = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const min = (a: string, b: string) => (a < b ? a : b);

export function phaseRows(p: Project, today: string): PhaseRow[] {
  const ms = milestones(p);
  return PHASES.map((phase, i) => {
    const begin = ms[i]!;
    const end = ms[i + 1]!;
    let planned: PhaseRow['planned'] = null;
    const plannedFrom = begin.planned ?? begin.actual;
    if (end.planned && plannedFrom) {
      const overdue = !end.actual && end.planned < today;
      planned = {
        from: min(plannedFrom, end.planned),
        to: end.planned,
        overdue,
        overdueDays: overdue ? days(end.planned, today) : 0,
      };
    }
    let actual: PhaseRow['actual'] = null;
    if (begin.actual) {
      const to = end.actual ?? today;
      actual = {
        from: min(begin.actual, to),
        to,
        inProgress: !end.actual,
        lateDays: end.actual && end.planned ? Math.max(0, days(end.planned, end.actual)) : 0,
      };
    }
    return { phase, planned, actual };
  });
}

/**
 * The first and last day any bar touches, for the time axis; today is included while something is still open (a
 * phase in progress or overdue), so a finished project is not squeezed against an empty stretch up to today.
 */
export function timeRange(rows: PhaseRow[], today: string): { min: string; max: string } | null {
  const all = rows.flatMap((r) => [r.planned?.from, r.planned?.to, r.actual?.from, r.actual?.to]).filter(Boolean);
  if (all.length === 0) return null;
  const open = rows.some((r) => r.actual?.inProgress || r.planned?.overdue);
  const sorted = [...(all as string[]), ...(open ? [today] : [])].sort();
  return { min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
