import { describe, expect, it } from 'vitest';
import {
  asPercent,
  completionRate,
  periodBounds,
  periodOf,
  progressGapPp,
  TARGET_INDICATOR_KEYS,
  timeProgress,
} from './targets.ts';

describe('完成率 and 时序进度 (rules.md §7.2)', () => {
  it('开封 2019 1–8月: 697.38 of 906 亿元 = 76.97%, 8/12 of the year elapsed, +10.3 pp ahead', () => {
    const rate = completionRate(697.38, 906);
    expect(asPercent(rate)).toBe(76.97);
    const tp = timeProgress('year', 2019, 1, '2019-08-31');
    expect(tp).toBeCloseTo(8 / 12, 10);
    expect(progressGapPp(rate, tp)!).toBeCloseTo(10.3, 1);
  });

  it('惠济区 2022: 15 new 专精特新 against a target of 8 → 187.5% (seed 001)', () => {
    expect(asPercent(completionRate(15, 8), 1)).toBe(187.5);
  });

  it('no target, a zero target or no actual gives no rate', () => {
    expect(completionRate(5, null)).toBeNull();
    expect(completionRate(5, 0)).toBeNull();
    expect(completionRate(null, 10)).toBeNull();
    expect(progressGapPp(null, 0.5)).toBeNull();
  });

  it('time progress counts months, the current one by its elapsed days (Asia/Shanghai dates)', () => {
    // 9 June 2022: 5 whole months + 9/30 of June
    expect(timeProgress('year', 2022, 1, '2022-06-09')).toBeCloseTo((5 + 9 / 30) / 12, 10);
    // the first half: the same months over 6
    expect(timeProgress('half', 2022, 1, '2022-06-09')).toBeCloseTo((5 + 9 / 30) / 6, 10);
    // second quarter: April and May done, 9/30 of June → (2 + 0.3) / 3
    expect(timeProgress('quarter', 2022, 2, '2022-06-09')).toBeCloseTo(2.3 / 3, 10);
    // end of a leap February
    expect(timeProgress('quarter', 2024, 1, '2024-02-29')).toBeCloseTo(2 / 3, 10);
  });

  it('before the period 0, after it 1', () => {
    expect(timeProgress('half', 2022, 2, '2022-06-30')).toBe(0);
    expect(timeProgress('quarter', 2022, 1, '2022-04-01')).toBe(1);
    expect(timeProgress('year', 2021, 1, '2022-01-01')).toBe(1);
    expect(timeProgress('year', 2023, 1, '2022-12-31')).toBe(0);
    expect(timeProgress('year', 2022, 1, '2022-12-31')).toBe(1);
  });

  it('period bounds and the period containing a date', () => {
    expect(periodBounds('year', 2021, 1)).toEqual({ start: '2021-01-01', end: '2021-12-31' });
    expect(periodBounds('half', 2022, 2)).toEqual({ start: '2022-07-01', end: '2022-12-31' });
    expect(periodBounds('quarter', 2024, 1)).toEqual({ start: '2024-01-01', end: '2024-03-31' });
    expect(periodOf('quarter', '2022-06-09')).toEqual({ year: 2022, no: 2 });
    expect(periodOf('half', '2022-07-01')).toEqual({ year: 2022, no: 2 });
    expect(() => periodBounds('quarter', 2022, 5)).toThrow(RangeError);
  });

  it('targets name cockpit tiles', () => {
    expect(TARGET_INDICATOR_KEYS).toContain('parks.investmentWan');
    expect(TARGET_INDICATOR_KEYS).toContain('firms.srdiNew');
  });
});
