/**
 * Provenance of enterprise figures (issue #15 "Trusted facts"; decision 0018; ../shared/domain/lessons.md and the
 * source wording of policy texts, e.g. 惠政办〔2025〕14号 「以园区运营方报送、区工信部门核实的数据为准」). No official text gives a
 * tolerance or a year-on-year factor: both are configurable choices (decision 0018). Pure: imported by the server and
 * the web app.
 *
 * Every reported value is kept per (enterprise, period, indicator, source). The figure every page, the size
 * class and the rules use — the *effective* value — is the value of the highest-ranked source present. The
 * default ranking for an indicator is: verified on site > the authoritative body for that indicator (tax bureau
 * for tax, power company for electricity, 人社局 for social insurance, the park operator for rent, the statistics
 * bureau for revenue, output, employees …) > any other official body > the firm's own report. The ranking is a
 * setting per indicator (`ProvenanceSettings.precedence`).
 *
 * Trust levels (what a policy clause can demand, `minSource`): 0 self-reported, 1 official (any bureau or the park
 * operator), 2 verified on site.
 */

export const SOURCES = [
  'self_reported',
  'statistics_bureau',
  'tax_bureau',
  'power_company',
  'hrss_bureau',
  'park_operator',
  'verified_on_site',
] as const;
export type Source = (typeof SOURCES)[number];

/** Sources that are an official body's (not the firm, not an on-site check). */
export const OFFICIAL_SOURCES = [
  'statistics_bureau',
  'tax_bureau',
  'power_company',
  'hrss_bureau',
  'park_operator',
] as const satisfies readonly Source[];

export const SOURCE_LABELS: Record<Source, { 'zh-CN': string; en: string }> = {
  self_reported: { 'zh-CN': '企业自报', en: 'Self-reported' },
  statistics_bureau: { 'zh-CN': '统计局', en: 'Statistics bureau' },
  tax_bureau: { 'zh-CN': '税务局', en: 'Tax bureau' },
  power_company: { 'zh-CN': '供电公司', en: 'Power company' },
  hrss_bureau: { 'zh-CN': '人社局', en: 'Human resources & social security bureau' },
  park_operator: { 'zh-CN': '园区运营方', en: 'Park operator' },
  verified_on_site: { 'zh-CN': '现场核实', en: 'Verified on site' },
};

export type TrustLevel = 0 | 1 | 2;
export const TRUST_SELF: TrustLevel = 0;
export const TRUST_OFFICIAL: TrustLevel = 1;
export const TRUST_VERIFIED: TrustLevel = 2;

export function trustOf(source: string): TrustLevel {
  if (source === 'verified_on_site') return TRUST_VERIFIED;
  if (source === 'self_reported') return TRUST_SELF;
  return TRUST_OFFICIAL;
}

/** What a policy clause may demand of the facts it reads: null = any source. */
export const MIN_SOURCES = ['official', 'verified_on_site'] as const;
export type MinSource = (typeof MIN_SOURCES)[number];

export function minTrustOf(minSource: MinSource | null | undefined | string): TrustLevel {
  if (minSource === 'verified_on_site') return TRUST_VERIFIED;
  if (minSource === 'official') return TRUST_OFFICIAL;
  return TRUST_SELF;
}

/** The body that holds an indicator's official figure (the default ranking puts it first among official ones). */
export function authoritativeSource(key: string): Source {
  if (key === 'tax_paid') return 'tax_bureau';
  if (key === 'electricity_kwh') return 'power_company';
  if (key.startsWith('ui_') || key === 'insured_avg') return 'hrss_bureau';
  if (key.startsWith('rent_')) return 'park_operator';
  return 'statistics_bureau';
}

/** Default ranking, best first: verified on site, the authoritative body, the other bodies, the firm's report. */
export function defaultPrecedence(key: string): Source[] {
  const auth = authoritativeSource(key);
  return ['verified_on_site', auth, ...OFFICIAL_SOURCES.filter((s) => s !== auth), 'self_reported'];
}

export interface ProvenanceSettings {
  /** A self-report further than this fraction from the official value is flagged 待核实 (0.1 = 10%). */
  tolerance: number;
  /** A year-on-year change by more than this factor (up or down) is a data-quality issue. */
  yoyFactor: number;
  /** Per indicator: sources best first. Indicators not listed use `defaultPrecedence`. */
  precedence: Record<string, Source[]>;
}

export const DEFAULT_PROVENANCE_SETTINGS: ProvenanceSettings = { tolerance: 0.1, yoyFactor: 5, precedence: {} };

/** The ranking used for an indicator: the setting's list (sources it leaves out follow in default order). */
export function precedenceOf(key: string, settings: Pick<ProvenanceSettings, 'precedence'>): Source[] {
  const set = settings.precedence[key];
  const base = defaultPrecedence(key);
  if (!set?.length) return base;
  return [...set, ...base.filter((s) => !set.includes(s))];
}

export interface ReportedValue<T = unknown> {
  source: Source;
  value: number;
  /** A rejected self-report is kept in the history but never used. */
  rejected?: boolean;
  ref?: T;
}

/** The effective value: the current value of the highest-ranked source present (null when none). */
export function effectiveValue<T>(values: readonly ReportedValue<T>[], ranking: readonly Source[]) {
  let best: ReportedValue<T> | null = null;
  let bestRank = Number.POSITIVE_INFINITY;
  for (const v of values) {
    if (v.rejected) continue;
    const r = ranking.indexOf(v.source);
    const rank = r < 0 ? ranking.length : r;
    if (rank < bestRank) {
      best = v;
      bestRank = rank;
    }
  }
  return best;
}

export type ReviewFlag = 'deviation' | 'no_official';
export type ReviewStatus = 'pending' | 'confirmed' | 'rejected' | 'not_required';

/**
 * How a new self-report is treated: where an official (or verified) value exists, a self-report within
 * `tolerance` of it needs no check; one further away is flagged `deviation` (待核实); where none exists the
 * self-report is used, marked self-reported, and queued as `no_official`.
 */
export function reviewSelfReport(
  selfValue: number,
  official: number | null,
  tolerance: number,
): { status: ReviewStatus; flag: ReviewFlag | null; deviation: number | null } {
  if (official === null) return { status: 'pending', flag: 'no_official', deviation: null };
  const deviation = relativeDeviation(selfValue, official);
  if (deviation <= tolerance + 1e-12) return { status: 'not_required', flag: null, deviation };
  return { status: 'pending', flag: 'deviation', deviation };
}

/** |a − b| / |b|; when b is 0: 0 if a is 0 too, else infinity. */
export function relativeDeviation(a: number, b: number): number {
  if (b === 0) return a === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.abs(a - b) / Math.abs(b);
}

/** Bounds of an indicator's value (inclusive); keys not listed may be any finite number (e.g. net profit). */
export const INDICATOR_BOUNDS: Record<string, { min: number; max?: number }> = {
  operating_revenue: { min: 0 },
  main_business_revenue: { min: 0 },
  tax_paid: { min: 0 },
  industrial_output: { min: 0 },
  total_assets: { min: 0 },
  total_liabilities: { min: 0 },
  employees_year_end: { min: 0 },
  employees_average: { min: 0 },
  rd_expense: { min: 0 },
  rd_staff: { min: 0 },
  energy_tce: { min: 0 },
  electricity_kwh: { min: 0 },
  pollutant_emissions: { min: 0 },
  land_area_mu: { min: 0 },
  ip_class1_high_value: { min: 0 },
  ip_class1_self_developed: { min: 0 },
  ip_class1: { min: 0 },
  ip_class2: { min: 0 },
  equity_financing: { min: 0 },
  ui_months_paid: { min: 0 },
  ui_paid_last_year: { min: 0 },
  insured_avg: { min: 0 },
  ui_new_claimants: { min: 0 },
  rent_area_m2: { min: 0 },
  rent_paid: { min: 0 },
  strategic_emerging: { min: 0, max: 1 },
  credit_blacklisted: { min: 0, max: 1 },
};

/** Derived shares that must lie in 0–1 (a value outside means an input is wrong). */
export const SHARE_FACTS = ['rd_intensity', 'rd_staff_share', 'layoff_rate'] as const;

/** Indicators whose year-on-year jump is checked. */
export const YOY_CHECKED = [
  'operating_revenue',
  'main_business_revenue',
  'tax_paid',
  'industrial_output',
  'employees_year_end',
  'electricity_kwh',
  'total_assets',
] as const;

/** Counts and 0/1 flags must be whole numbers. */
const WHOLE = new Set([
  'employees_year_end',
  'employees_average',
  'rd_staff',
  'ip_class1_high_value',
  'ip_class1_self_developed',
  'ip_class1',
  'ip_class2',
  'ui_months_paid',
  'insured_avg',
  'ui_new_claimants',
  'strategic_emerging',
  'credit_blacklisted',
]);

/** Why a value cannot be stored for an indicator (bounds, whole numbers), or null when it can. */
export function boundsError(key: string, value: number): { min?: number; max?: number; whole?: boolean } | null {
  if (!Number.isFinite(value)) return {};
  const b = INDICATOR_BOUNDS[key];
  if (b && value < b.min) return { min: b.min, max: b.max };
  if (b?.max !== undefined && value > b.max) return { min: b.min, max: b.max };
  if (WHOLE.has(key) && !Number.isInteger(value)) return { whole: true };
  return null;
}

export type DataIssueKind = 'negative' | 'out_of_range' | 'yoy_jump';
export interface DataIssue {
  year: number;
  key: string;
  kind: DataIssueKind;
  detail: { value?: number; prev?: number; factor?: number; min?: number; max?: number };
}

/**
 * Data-quality issues of one enterprise: stored values outside their bounds (imported before the bounds held),
 * derived shares outside 0–1, and year-on-year changes by more than `yoyFactor` (either way).
 */
export function dataIssuesOf(
  byYear: ReadonlyMap<number, Readonly<Record<string, number | undefined>>>,
  derivedByYear: ReadonlyMap<number, Readonly<Record<string, number | null | undefined>>>,
  yoyFactor: number,
): DataIssue[] {
  const out: DataIssue[] = [];
  for (const [year, cur] of [...byYear].sort((a, b) => a[0] - b[0])) {
    for (const [key, value] of Object.entries(cur)) {
      if (value === undefined) continue;
      const b = INDICATOR_BOUNDS[key];
      if (b && value < b.min) out.push({ year, key, kind: 'negative', detail: { value, min: b.min } });
      else if (b?.max !== undefined && value > b.max)
        out.push({ year, key, kind: 'out_of_range', detail: { value, min: b.min, max: b.max } });
    }
    const prev = byYear.get(year - 1);
    if (prev)
      for (const key of YOY_CHECKED) {
        const a = prev[key];
        const c = cur[key];
        if (a === undefined || c === undefined || a <= 0 || c < 0) continue;
        const factor = c === 0 ? Number.POSITIVE_INFINITY : Math.max(c / a, a / c);
        if (factor > yoyFactor)
          out.push({
            year,
            key,
            kind: 'yoy_jump',
            detail: { value: c, prev: a, factor: Number.isFinite(factor) ? Math.round(factor * 100) / 100 : undefined },
          });
      }
    const derived = derivedByYear.get(year) ?? {};
    for (const key of SHARE_FACTS) {
      const v = derived[key];
      if (v !== null && v !== undefined && (v < 0 || v > 1))
        out.push({
          year,
          key,
          kind: 'out_of_range',
          detail: { value: Math.round(v * 10_000) / 10_000, min: 0, max: 1 },
        });
    }
  }
  return out;
}

/** The trust of a fact derived from several inputs: the lowest of theirs (a missing input adds nothing). */
export function derivedTrust(
  trust: Readonly<Record<string, TrustLevel | undefined>>,
  inputs: readonly string[],
): TrustLevel | undefined {
  let t: TrustLevel | undefined;
  for (const k of inputs) {
    const v = trust[k];
    if (v !== undefined && (t === undefined || v < t)) t = v;
  }
  return t;
}

/** Prefix of a missing fact that the firm has, but only from a source below the clause's demand. */
export const NEEDS_VERIFICATION = 'verify:';

/**
 * The facts a clause demanding `minTrust` may read: those below it are removed (so the rule finds them missing,
 * and the verdict is UNKNOWN, never eligible). Facts without a trust entry (registry, qualifications) are kept.
 */
export function maskFacts(
  facts: Readonly<Record<string, unknown>>,
  trust: Readonly<Record<string, number | undefined>> | undefined,
  minTrust: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...facts };
  if (minTrust <= 0 || !trust) return out;
  for (const [k, t] of Object.entries(trust)) if (t !== undefined && t < minTrust) out[k] = undefined;
  return out;
}

/** Names each missing fact the base (unmasked) facts hold as needing verification (`verify:<fact>`). */
export function markNeedsVerification(missing: readonly string[], base: Readonly<Record<string, unknown>>): string[] {
  return missing.map((k) =>
    base[k] !== undefined && base[k] !== null && !k.startsWith(NEEDS_VERIFICATION) ? `${NEEDS_VERIFICATION}${k}` : k,
  );
}
