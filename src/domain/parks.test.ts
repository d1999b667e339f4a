import { describe, expect, it } from 'vitest';
import {
  canMoveStage,
  investmentProgress,
  M2_PER_MU,
  milestoneStatus,
  occupancyRate,
  plotRatio,
  reportDueOn,
  reportState,
  weekStart,
} from './parks.ts';

describe('milestone node status with a fixed clock (issue #3)', () => {
  const today = '2026-11-22';
  it('done on or before the planned date → green', () => {
    expect(milestoneStatus('2026-10-01', '2026-09-30', today)).toBe('green');
    expect(milestoneStatus('2026-10-01', '2026-10-01', today)).toBe('green');
  });
  it('done after the planned date → yellow', () => {
    expect(milestoneStatus('2026-10-01', '2026-10-02', today)).toBe('yellow');
  });
  it('not done and the planned date passed → red', () => {
    expect(milestoneStatus('2026-11-21', null, today)).toBe('red');
  });
  it('not done and due within 7 days → at risk; later → pending', () => {
    expect(milestoneStatus('2026-11-22', null, today)).toBe('at_risk');
    expect(milestoneStatus('2026-11-29', null, today)).toBe('at_risk');
    expect(milestoneStatus('2026-11-30', null, today)).toBe('pending');
    expect(milestoneStatus(null, null, today)).toBe('pending');
  });
});

describe('park figures', () => {
  it('plot ratio from 亩 and m²', () => {
    expect(M2_PER_MU).toBeCloseTo(666.67, 2);
    expect(plotRatio(40_000, 30)).toBeCloseTo(2.0, 10);
    expect(plotRatio(1, 0)).toBeNull();
  });
  it('occupancy', () => {
    expect(occupancyRate(750, 1000)).toBe(0.75);
    expect(occupancyRate(0, 0)).toBeNull();
  });
  it('stages only move forward', () => {
    expect(canMoveStage('planned', 'land_acquired')).toBe(true);
    expect(canMoveStage('operating', 'completed')).toBe(false);
    expect(canMoveStage('filed', 'filed')).toBe(false);
  });
  it('investment progress against time (开封 case: +10.31 pp at the end of August)', () => {
    const p = investmentProgress(697.38, 906, '2019-08-31');
    expect(Math.round(p.gapPp! * 100) / 100).toBe(10.31);
  });
});

describe('progress reports', () => {
  it('weekly reports are due the Monday after the week; monthly on the 5th', () => {
    expect(weekStart('2026-11-22')).toBe('2026-11-16');
    expect(reportDueOn('week', '2026-11-16')).toBe('2026-11-23');
    expect(reportDueOn('month', '2026-11-01')).toBe('2026-12-05');
    expect(reportDueOn('month', '2026-12-01')).toBe('2027-01-05');
  });
  it('late and missing', () => {
    expect(reportState('2026-11-23', '2026-11-23', '2026-11-30')).toBe('submitted');
    expect(reportState('2026-11-23', '2026-11-24', '2026-11-30')).toBe('late');
    expect(reportState('2026-11-23', null, '2026-11-24')).toBe('missing');
    expect(reportState('2026-11-23', null, '2026-11-23')).toBe('open');
  });
});

describe('WGS-84 → GCJ-02', () => {
  it('shifts a Zhengzhou point by a few hundred metres, leaves points abroad alone', async () => {
    const { wgs84ToGcj02 } = await import('./geo.ts');
    const [lng, lat] = wgs84ToGcj02(113.6254, 34.7466);
    // published conversions of this point give ≈ (113.6317, 34.7453)
    expect(lng).toBeCloseTo(113.6317, 3);
    expect(lat).toBeCloseTo(34.7453, 3);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
  });
});
