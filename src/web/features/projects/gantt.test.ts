import { describe, expect, it } from 'vitest';
import type { Project } from './api';
import { phaseRows, timeRange } from './gantt';

const base: Project = {
  id: 'p',
  code: '3P-0001',
  name: 'test',
  ownerName: 'owner',
  regionCode: '410102',
  regionName: '中原区',
  industryClass: 'manufacturing',
  industryCode: null,
  totalInvestmentWan: 50_000,
  responsibleUnit: 'unit',
  responsiblePerson: 'person',
  stage: 'performed',
  signedOn: '2022-04-15',
  plannedPerformanceOn: '2022-05-15',
  performedOn: '2022-04-18',
  plannedStartOn: '2022-05-26',
  startedOn: null,
  plannedProductionOn: '2023-11-17',
  productionOn: null,
  plannedEffectiveOn: null,
  effectiveOn: null,
  performanceEvidence: {},
  warning: 'red',
  warnings: [],
  batches: [],
  version: 1,
};

describe('Gantt phases', () => {
  it('a performed project whose planned start has passed: the start phase is overdue and in progress', () => {
    const rows = phaseRows(base, '2022-07-01');
    expect(rows.map((r) => r.phase)).toEqual(['signToPerform', 'performToStart', 'startToProduce', 'produceToEffect']);
    expect(rows[0]).toEqual({
      phase: 'signToPerform',
      planned: { from: '2022-04-15', to: '2022-05-15', overdue: false, overdueDays: 0 },
      actual: { from: '2022-04-15', to: '2022-04-18', inProgress: false, lateDays: 0 },
    });
    expect(rows[1]!.planned).toEqual({ from: '2022-05-15', to: '2022-05-26', overdue: true, overdueDays: 36 });
    expect(rows[1]!.actual).toEqual({ from: '2022-04-18', to: '2022-07-01', inProgress: true, lateDays: 0 });
    // Planned production still ahead: not overdue, nothing actual yet.
    expect(rows[2]!.planned?.overdue).toBe(false);
    expect(rows[2]!.actual).toBeNull();
    // No planned effect date: no planned bar.
    expect(rows[3]).toEqual({ phase: 'produceToEffect', planned: null, actual: null });
    expect(timeRange(rows, '2022-07-01')).toEqual({ min: '2022-04-15', max: '2023-11-17' });
  });

  it('a finished project: late milestones are measured, and today stays off the axis', () => {
    const done: Project = {
      ...base,
      stage: 'effective',
      startedOn: '2022-06-10',
      productionOn: '2023-11-17',
      plannedEffectiveOn: '2024-01-01',
      effectiveOn: '2023-12-20',
      warning: 'none',
    };
    const rows = phaseRows(done, '2026-11-22');
    expect(rows.every((r) => r.actual && !r.actual.inProgress)).toBe(true);
    expect(rows.every((r) => !r.planned?.overdue)).toBe(true);
    expect(rows[1]!.actual?.lateDays).toBe(15);
    expect(timeRange(rows, '2026-11-22')).toEqual({ min: '2022-04-15', max: '2024-01-01' });
  });
});
