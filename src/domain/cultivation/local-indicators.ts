/**
 * 地方特色指标 (rules.md §3.2 item 9): 1–3 indicators per province, 15 points in all. They are data: a province's set
 * is a `LocalIndicatorSet`, passed to the engine in `AssessOptions.localIndicators`. The set below is an EXAMPLE
 * (演示) to show the shape and to test the mechanism; it is not an official provincial text — replace it with the
 * province's published indicators (the calculator also accepts a ready `localScore`).
 */
import type { LocalIndicatorSet } from './engine.ts';

export const EXAMPLE_LOCAL_INDICATORS: readonly LocalIndicatorSet[] = [
  {
    province: '41',
    name: { 'zh-CN': '河南省特色化指标（演示，非官方）', en: 'Henan 特色化 indicators (example, not official)' },
    source: 'example',
    indicators: [
      {
        id: 'tax_growth',
        name: { 'zh-CN': '上年度纳税额增长率', en: 'Tax paid growth last year' },
        unit: 'ratio',
        bands: [
          [0.1, 5],
          [0.05, 3],
          [0, 1],
        ],
      },
      {
        id: 'employee_growth',
        name: { 'zh-CN': '上年度从业人员增长率', en: 'Employee growth last year' },
        unit: 'ratio',
        bands: [
          [0.1, 5],
          [0.05, 3],
          [0, 1],
        ],
      },
      {
        id: 'province_honour',
        name: { 'zh-CN': '获得省级以上荣誉（1 是，0 否）', en: 'Provincial or higher honour (1 yes, 0 no)' },
        unit: 'flag',
        bands: [[1, 5]],
      },
    ],
  },
];
