import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  authoritativeSource,
  boundsError,
  dataIssuesOf,
  defaultPrecedence,
  derivedTrust,
  effectiveValue,
  markNeedsVerification,
  maskFacts,
  minTrustOf,
  precedenceOf,
  relativeDeviation,
  reviewSelfReport,
  SOURCES,
  type Source,
  trustOf,
} from './provenance.ts';

describe('precedence', () => {
  it('puts on-site verification first, then the authoritative body, other bodies, and the firm last', () => {
    expect(defaultPrecedence('tax_paid')).toEqual([
      'verified_on_site',
      'tax_bureau',
      'statistics_bureau',
      'power_company',
      'hrss_bureau',
      'park_operator',
      'self_reported',
    ]);
    expect(defaultPrecedence('electricity_kwh').slice(0, 2)).toEqual(['verified_on_site', 'power_company']);
    expect(authoritativeSource('operating_revenue')).toBe('statistics_bureau');
    expect(authoritativeSource('employees_year_end')).toBe('statistics_bureau');
    expect(authoritativeSource('ui_months_paid')).toBe('hrss_bureau');
    expect(authoritativeSource('insured_avg')).toBe('hrss_bureau');
    expect(authoritativeSource('rent_paid')).toBe('park_operator');
  });

  it('every default ranking lists every source once', () => {
    for (const key of ['tax_paid', 'electricity_kwh', 'rent_area_m2', 'ui_paid_last_year', 'operating_revenue'])
      expect([...defaultPrecedence(key)].sort()).toEqual([...SOURCES].sort());
  });

  it('a setting reorders one indicator; the sources it leaves out follow in default order', () => {
    const s = { precedence: { tax_paid: ['statistics_bureau', 'tax_bureau'] as Source[] } };
    expect(precedenceOf('tax_paid', s)).toEqual([
      'statistics_bureau',
      'tax_bureau',
      'verified_on_site',
      'power_company',
      'hrss_bureau',
      'park_operator',
      'self_reported',
    ]);
    expect(precedenceOf('operating_revenue', s)).toEqual(defaultPrecedence('operating_revenue'));
  });

  it('the effective value is the highest-ranked source present; a rejected self-report is never used', () => {
    const ranking = defaultPrecedence('employees_year_end');
    const values = [
      { source: 'self_reported' as const, value: 118 },
      { source: 'statistics_bureau' as const, value: 100 },
      { source: 'tax_bureau' as const, value: 99 },
    ];
    expect(effectiveValue(values, ranking)).toMatchObject({ source: 'statistics_bureau', value: 100 });
    expect(effectiveValue([...values, { source: 'verified_on_site', value: 101 }], ranking)).toMatchObject({
      source: 'verified_on_site',
    });
    expect(effectiveValue([{ source: 'self_reported', value: 118 }], ranking)).toMatchObject({ value: 118 });
    expect(effectiveValue([{ source: 'self_reported', value: 118, rejected: true }], ranking)).toBeNull();
    expect(effectiveValue([], ranking)).toBeNull();
  });

  it('property: a self-report never wins where any other source is present (default rankings)', () => {
    fc.assert(
      fc.property(
        fc.subarray([...SOURCES], { minLength: 1 }),
        fc.constantFrom('tax_paid', 'operating_revenue', 'electricity_kwh', 'rent_paid', 'insured_avg'),
        (sources, key) => {
          const best = effectiveValue(
            sources.map((source, i) => ({ source, value: i })),
            defaultPrecedence(key),
          );
          if (sources.some((s) => s !== 'self_reported')) expect(best!.source).not.toBe('self_reported');
          else expect(best!.source).toBe('self_reported');
        },
      ),
    );
  });
});

describe('self-report tolerance', () => {
  it('within the tolerance needs no check; beyond it is flagged; without an official value it is queued', () => {
    expect(reviewSelfReport(110, 100, 0.1)).toEqual({ status: 'not_required', flag: null, deviation: 0.1 });
    expect(reviewSelfReport(90, 100, 0.1).status).toBe('not_required');
    expect(reviewSelfReport(111, 100, 0.1)).toMatchObject({ status: 'pending', flag: 'deviation' });
    expect(reviewSelfReport(118, 100, 0.1).deviation).toBeCloseTo(0.18);
    expect(reviewSelfReport(50, null, 0.1)).toEqual({ status: 'pending', flag: 'no_official', deviation: null });
    expect(reviewSelfReport(0, 0, 0.1).status).toBe('not_required');
    expect(reviewSelfReport(1, 0, 0.1).status).toBe('pending');
    expect(reviewSelfReport(125, 100, 0.3).status).toBe('not_required');
  });

  it('relative deviation is symmetric in sign and measured against the official value', () => {
    expect(relativeDeviation(80, 100)).toBeCloseTo(0.2);
    expect(relativeDeviation(-80, -100)).toBeCloseTo(0.2);
    expect(relativeDeviation(5, 0)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('bounds and data quality', () => {
  it('refuses negative tax, revenue, employees and land; counts must be whole; profit may be negative', () => {
    expect(boundsError('tax_paid', -1)).toEqual({ min: 0, max: undefined });
    expect(boundsError('operating_revenue', -0.01)).not.toBeNull();
    expect(boundsError('employees_year_end', -3)).not.toBeNull();
    expect(boundsError('land_area_mu', -1)).not.toBeNull();
    expect(boundsError('employees_year_end', 10.5)).toEqual({ whole: true });
    expect(boundsError('strategic_emerging', 2)).toEqual({ min: 0, max: 1 });
    expect(boundsError('net_profit', -500)).toBeNull();
    expect(boundsError('tax_paid', 0)).toBeNull();
    expect(boundsError('tax_paid', Number.NaN)).toEqual({});
  });

  it('lists stored values out of bounds, shares outside 0–1 and year-on-year jumps beyond the factor', () => {
    const byYear = new Map<number, Record<string, number>>([
      [2024, { operating_revenue: 1000, tax_paid: 40, employees_year_end: 50 }],
      [2025, { operating_revenue: 6000, tax_paid: -2, employees_year_end: 9 }],
    ]);
    const derived = new Map([[2025, { rd_staff_share: 1.4, rd_intensity: 0.05 }]]);
    const issues = dataIssuesOf(byYear, derived, 5);
    expect(issues).toContainEqual({
      year: 2025,
      key: 'operating_revenue',
      kind: 'yoy_jump',
      detail: { value: 6000, prev: 1000, factor: 6 },
    });
    // 50 → 9 is a fall by 5.56×: a jump too
    expect(issues).toContainEqual(expect.objectContaining({ key: 'employees_year_end', kind: 'yoy_jump' }));
    expect(issues).toContainEqual(expect.objectContaining({ key: 'tax_paid', kind: 'negative' }));
    expect(issues).toContainEqual(expect.objectContaining({ key: 'rd_staff_share', kind: 'out_of_range' }));
    expect(issues.some((i) => i.key === 'rd_intensity')).toBe(false);
    // a factor of exactly 5 is not beyond 5
    const edge = dataIssuesOf(
      new Map([
        [2024, { tax_paid: 10 }],
        [2025, { tax_paid: 50 }],
      ]),
      new Map(),
      5,
    );
    expect(edge).toEqual([]);
  });
});

describe('trust and masking', () => {
  it('trust levels: self-reported 0, any official body 1, verified on site 2', () => {
    expect(trustOf('self_reported')).toBe(0);
    for (const s of ['statistics_bureau', 'tax_bureau', 'power_company', 'hrss_bureau', 'park_operator'])
      expect(trustOf(s)).toBe(1);
    expect(trustOf('verified_on_site')).toBe(2);
    expect(minTrustOf(null)).toBe(0);
    expect(minTrustOf('official')).toBe(1);
    expect(minTrustOf('verified_on_site')).toBe(2);
  });

  it('a derived fact is as trusted as its least trusted input', () => {
    expect(derivedTrust({ rd_expense: 0, operating_revenue: 1 }, ['rd_expense', 'operating_revenue'])).toBe(0);
    expect(derivedTrust({ rd_expense: 2, operating_revenue: 1 }, ['rd_expense', 'operating_revenue'])).toBe(1);
    expect(derivedTrust({}, ['x'])).toBeUndefined();
  });

  it('masks the facts below the demanded trust, keeps registry facts, and names them as needing verification', () => {
    const facts = { rent_area_m2: 1200, rent_paid: 432000, size: 'small', region_code: '410108' };
    const trust = { rent_area_m2: 0, rent_paid: 2, size: 1 };
    expect(maskFacts(facts, trust, 1)).toEqual({ ...facts, rent_area_m2: undefined });
    expect(maskFacts(facts, trust, 2)).toEqual({ ...facts, rent_area_m2: undefined, size: undefined });
    expect(maskFacts(facts, trust, 0)).toEqual(facts);
    expect(maskFacts(facts, undefined, 2)).toEqual(facts);
    expect(markNeedsVerification(['rent_area_m2', 'ui_months_paid'], facts)).toEqual([
      'verify:rent_area_m2',
      'ui_months_paid',
    ]);
  });
});
