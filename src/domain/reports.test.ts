import { describe, expect, it } from 'vitest';
import { isoWeek, periodContaining, periodLabel, periodStartingOn, periodsDueOn, previousPeriod } from './reports.ts';

describe('report periods (Asia/Shanghai calendar days)', () => {
  it('a week runs Monday to Sunday, a month from the 1st to its last day', () => {
    expect(periodContaining('weekly', '2026-12-06')).toEqual({
      type: 'weekly',
      start: '2026-11-30',
      end: '2026-12-06',
    });
    expect(periodContaining('weekly', '2026-11-30')).toEqual({
      type: 'weekly',
      start: '2026-11-30',
      end: '2026-12-06',
    });
    expect(periodContaining('monthly', '2024-02-10')).toEqual({
      type: 'monthly',
      start: '2024-02-01',
      end: '2024-02-29',
    });
    expect(periodContaining('monthly', '2026-12-31').end).toBe('2026-12-31');
    expect(previousPeriod(periodContaining('monthly', '2026-01-15'))).toEqual({
      type: 'monthly',
      start: '2025-12-01',
      end: '2025-12-31',
    });
    expect(periodStartingOn('weekly', '2026-12-01')).toBeNull();
    expect(periodStartingOn('monthly', '2026-12-01')?.end).toBe('2026-12-31');
    expect(periodStartingOn('monthly', '2026-02-30')).toBeNull();
  });

  it('weekly reports are due on Mondays, monthly ones on the 1st (both when a Monday is the 1st)', () => {
    expect(periodsDueOn('2026-12-07')).toEqual([{ type: 'weekly', start: '2026-11-30', end: '2026-12-06' }]);
    expect(periodsDueOn('2026-12-01')).toEqual([{ type: 'monthly', start: '2026-11-01', end: '2026-11-30' }]);
    expect(periodsDueOn('2026-06-01')).toEqual([
      { type: 'weekly', start: '2026-05-25', end: '2026-05-31' },
      { type: 'monthly', start: '2026-05-01', end: '2026-05-31' },
    ]);
    expect(periodsDueOn('2026-12-08')).toEqual([]);
  });

  it('labels use ISO weeks (a week belongs to the year of its Thursday)', () => {
    expect(isoWeek('2021-01-03')).toEqual({ year: 2020, week: 53 });
    expect(isoWeek('2026-12-28')).toEqual({ year: 2026, week: 53 });
    expect(periodLabel(periodContaining('weekly', '2022-06-01'))).toBe('2022年第22周（5月30日—6月5日）');
    expect(periodLabel(periodContaining('weekly', '2022-06-01'), 'en')).toBe('Week 22, 2022 (30 May – 5 Jun)');
    expect(periodLabel(periodContaining('monthly', '2022-06-09'))).toBe('2022年6月');
    expect(periodLabel(periodContaining('monthly', '2022-06-09'), 'en')).toBe('Jun 2022');
  });
});
