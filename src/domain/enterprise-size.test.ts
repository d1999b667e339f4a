import { describe, expect, it } from 'vitest';
import { aboveScale, classifySize, sizeGroupOf } from './enterprise-size.ts';

describe('enterprise size (国统字〔2017〕213号, rules.md §2)', () => {
  it('工业 X = 1500, Y = 1000 → small (rules.md §2.3 worked example)', () => {
    expect(classifySize('industry', { employees: 1500, revenue: 1000 }).size).toBe('small');
  });
  it('large and medium need every lower bound', () => {
    expect(classifySize('industry', { employees: 1000, revenue: 40000 }).size).toBe('large');
    expect(classifySize('industry', { employees: 999, revenue: 40000 }).size).toBe('medium');
    expect(classifySize('industry', { employees: 300, revenue: 2000 }).size).toBe('medium');
  });
  it('micro needs only one indicator below the small bound', () => {
    expect(classifySize('industry', { employees: 19, revenue: 50_000 }).size).toBe('micro');
    expect(classifySize('retail', { employees: 9, revenue: null }).size).toBe('micro');
  });
  it('a missing indicator that could decide the tier gives unknown and names it', () => {
    const d = classifySize('industry', { employees: 500, revenue: null });
    expect(d.size).toBe('unknown');
    expect(d.missing).toEqual(['revenue']);
  });
  it('other groups use their own indicators', () => {
    expect(classifySize('construction', { revenue: 6000, assets: 5000 }).size).toBe('medium');
    expect(classifySize('software_it', { employees: 50, revenue: 60 }).size).toBe('small');
    expect(classifySize('other', { employees: 120 }).size).toBe('medium');
    expect(classifySize('leasing_business', { employees: 100, assets: 7999 }).size).toBe('small');
  });
  it('maps GB/T 4754 codes to the table groups', () => {
    expect(sizeGroupOf('C3411')).toBe('industry');
    expect(sizeGroupOf('D44')).toBe('industry');
    expect(sizeGroupOf('F5211')).toBe('retail');
    expect(sizeGroupOf('G53')).toBe('other');
    expect(sizeGroupOf('G5411')).toBe('transport');
    expect(sizeGroupOf('G59')).toBe('warehousing');
    expect(sizeGroupOf('I6510')).toBe('software_it');
    expect(sizeGroupOf('K7010')).toBe('real_estate_development');
    expect(sizeGroupOf('K7040')).toBe('other');
  });
});

describe('规模以上 (rules.md §2.4)', () => {
  it('industry at 2000万元 main-business revenue', () => {
    expect(aboveScale({ industryCode: 'C3411', revenueWan: 2000 }, '2025-12-31').above).toBe(true);
    expect(aboveScale({ industryCode: 'C3411', revenueWan: 1999.99 }, '2025-12-31').above).toBe(false);
    expect(aboveScale({ industryCode: 'C3411', revenueWan: null }, '2025-12-31').above).toBeNull();
  });
  it('services thresholds depend on the date (the rule changed)', () => {
    const firm = { industryCode: 'L7211', revenueWan: 800, employees: 60 };
    expect(aboveScale(firm, '2018-12-31').above).toBe(true);
    expect(aboveScale(firm, '2024-12-31').above).toBe(false);
    expect(aboveScale({ industryCode: 'I6510', revenueWan: 1500 }, '2024-12-31').above).toBe(false);
    expect(aboveScale({ industryCode: 'M7320', revenueWan: 1500 }, '2024-12-31').above).toBe(true);
  });
  it('retail 500万, hospitality 200万, real-estate development always', () => {
    expect(aboveScale({ industryCode: 'F5212', revenueWan: 500 }, '2024-01-01').above).toBe(true);
    expect(aboveScale({ industryCode: 'H6210', revenueWan: 199 }, '2024-01-01').above).toBe(false);
    expect(aboveScale({ industryCode: 'K7010' }, '2024-01-01').above).toBe(true);
  });
});

describe('GB/T 4754-2017 codes', () => {
  it('has 20 sections and 97 divisions, and normalises codes', async () => {
    const { INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS, normalizeIndustryCode, industryName } = await import(
      './industries.ts'
    );
    expect(Object.keys(INDUSTRY_SECTIONS)).toHaveLength(20);
    expect(Object.keys(INDUSTRY_DIVISIONS)).toHaveLength(97);
    expect(normalizeIndustryCode('3411')).toBe('C3411');
    expect(normalizeIndustryCode('c34')).toBe('C34');
    expect(normalizeIndustryCode('A3411')).toBeNull();
    expect(normalizeIndustryCode('C98')).toBeNull();
    expect(industryName('C3411')).toBe('通用设备制造业');
    expect(sizeGroupOf('G5910')).toBe('transport');
    expect(sizeGroupOf('G5920')).toBe('warehousing');
  });
});
