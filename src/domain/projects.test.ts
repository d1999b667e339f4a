import { describe, expect, it } from 'vitest';
import {
  addMonths,
  annualCompletionRate,
  batchKpis,
  belowInclusionThreshold,
  canAdvance,
  delayWarning,
  elapsedShareOfYear,
  type KpiProject,
  percent,
  startRate,
  timeProgressGapPp,
} from './projects.ts';

describe('三个一批 KPI formulas (rules.md §7.2)', () => {
  it('驻马店: 30 started of 42 signed → 71.4%', () => {
    expect(percent(startRate(30, 42))).toBe(71.4);
  });
  it('开封 2019 1–8月: 697.38 / 906 → 76.97%, +10.31 pp against time progress at the end of August', () => {
    const r = annualCompletionRate(697.38, 906);
    expect(percent(r, 2)).toBe(76.97);
    expect(elapsedShareOfYear({ year: 2019, month: 8, day: 31 })).toBeCloseTo(8 / 12, 12);
    expect(Math.round(timeProgressGapPp(r, { year: 2019, month: 8, day: 31 })! * 100) / 100).toBe(10.31);
  });
  it('a zero denominator is "no figure", not 0%', () => {
    expect(startRate(0, 0)).toBeNull();
    expect(percent(null)).toBeNull();
  });
});

describe('delay warnings (rules.md §7.1)', () => {
  const asOf = '2026-11-22';
  const daysAgo = (n: number) => {
    const d = new Date(Date.UTC(2026, 10, 22) - n * 86_400_000);
    return d.toISOString().slice(0, 10);
  };
  it.each([
    [20, 'none'],
    [45, 'yellow'],
    [100, 'orange'],
    [200, 'red'],
  ])('planned start %i days ago, not started → %s', (days, level) => {
    expect(delayWarning(daysAgo(days), null, asOf)).toBe(level);
  });
  it('a started project has no warning; a month is a calendar month', () => {
    expect(delayWarning(daysAgo(200), daysAgo(10), asOf)).toBe('none');
    expect(delayWarning('2026-10-22', null, '2026-11-22')).toBe('none');
    expect(delayWarning('2026-10-22', null, '2026-11-23')).toBe('yellow');
    expect(addMonths({ year: 2026, month: 1, day: 31 }, 1)).toEqual({ year: 2026, month: 2, day: 28 });
  });
});

describe('pipeline and thresholds', () => {
  it('moves one step forward only', () => {
    expect(canAdvance('signed', 'performed')).toBe(true);
    expect(canAdvance('signed', 'started')).toBe(false);
    expect(canAdvance('producing', 'started')).toBe(false);
  });
  it('warns below the inclusion threshold of the class (manufacturing ≥ 3亿)', () => {
    expect(belowInclusionThreshold('manufacturing', 29_999)).toBe(true);
    expect(belowInclusionThreshold('manufacturing', 30_000)).toBe(false);
    expect(belowInclusionThreshold('infrastructure', 90_000)).toBe(true);
    expect(belowInclusionThreshold('other', 1)).toBe(false);
  });
});

describe('batch KPIs', () => {
  const p = (over: Partial<KpiProject>): KpiProject => ({
    totalInvestmentWan: 10_000,
    performedOn: null,
    plannedStartOn: null,
    startedOn: null,
    productionOn: null,
    effectiveOn: null,
    yearPlanWan: 0,
    yearCompletedWan: 0,
    cumulativeCompletedWan: 0,
    ...over,
  });
  it('counts only what happened by asOf and uses the due projects as the start-rate base', () => {
    const signed = [
      p({ performedOn: '2022-04-20', plannedStartOn: '2022-05-01', startedOn: '2022-05-10' }),
      p({ performedOn: '2022-04-20', plannedStartOn: '2022-05-01' }),
      p({ performedOn: '2022-04-20', plannedStartOn: '2022-09-01' }),
      p({ performedOn: '2022-07-01', plannedStartOn: '2022-08-01' }),
    ];
    const k = batchKpis({ signed, started: [], producing: [], asOf: '2022-05-31' });
    expect(k.signed.performanceRate).toBe(3 / 4);
    expect(k.signed.startBaseCount).toBe(2);
    expect(k.signed.startRate).toBe(1 / 2);
    expect(
      batchKpis({ signed, started: [], producing: [], asOf: '2022-05-31', startRateBase: 'signed' }).signed.startRate,
    ).toBe(1 / 4);
  });
  it('sums investment and effect', () => {
    const producing = [
      p({ totalInvestmentWan: 100, cumulativeCompletedWan: 80, productionOn: '2022-01-01', effectiveOn: '2022-03-01' }),
      p({ totalInvestmentWan: 100, cumulativeCompletedWan: 40, productionOn: '2022-01-01' }),
    ];
    const k = batchKpis({ signed: [], started: [], producing, asOf: '2022-05-31' });
    expect(k.producing.completionRate).toBe(0.6);
    expect(k.producing.effectiveRate).toBe(0.5);
  });
});
