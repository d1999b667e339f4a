/** Types and queries of the enterprises API (src/server/modules/enterprises/routes.ts). */
import { useQuery } from '@tanstack/react-query';
import { INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS, industryName } from '../../../domain/industries.ts';
import { ApiError, api, buildUrl, readCookie } from '../../app/api';
import i18n, { currentLanguage } from '../../app/i18n';

export { INDUSTRY_DIVISIONS, INDUSTRY_SECTIONS, industryName };

export const SIZES = ['large', 'medium', 'small', 'micro', 'unknown'] as const;
export type Size = (typeof SIZES)[number];
export const STATUSES = ['active', 'exited', 'deregistered'] as const;
export type EnterpriseStatus = (typeof STATUSES)[number];
export const QUAL_TYPES = [
  'high_tech',
  'tech_sme',
  'innovative_sme',
  'srdi_sme',
  'little_giant',
  'single_champion',
  'listed',
] as const;
export type QualType = (typeof QUAL_TYPES)[number];
export const QUAL_LEVELS = ['national', 'provincial', 'municipal'] as const;
/** Where a figure comes from (issue #15 "Trusted facts"), in the order the report form offers them. */
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

/** Trust of a source: 0 = 企业自报, 1 = 官方 (a bureau or the park operator), 2 = 现场核实. */
export type Trust = 0 | 1 | 2;
export function trustOf(source: string): Trust {
  if (source === 'self_reported') return 0;
  if (source === 'verified_on_site') return 2;
  return 1;
}

/** Review of a self-reported figure against the official one. */
export const REVIEW_STATUSES = ['pending', 'confirmed', 'rejected', 'not_required'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_FLAGS = ['deviation', 'no_official'] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

/** Plausibility checks of the yearly figures. */
export const DATA_ISSUE_KINDS = ['negative', 'out_of_range', 'yoy_jump'] as const;
export type DataIssueKind = (typeof DATA_ISSUE_KINDS)[number];

/** Yearly indicators (as in src/server/modules/enterprises/facts.ts) and their units (i18n keys of units.*). */
export const INDICATORS = {
  operating_revenue: 'wan',
  main_business_revenue: 'wan',
  tax_paid: 'wan',
  industrial_output: 'wan',
  value_added: 'wan',
  net_profit: 'wan',
  total_assets: 'wan',
  total_liabilities: 'wan',
  employees_year_end: 'persons',
  employees_average: 'persons',
  rd_expense: 'wan',
  rd_staff: 'persons',
  energy_tce: 'tce',
  electricity_kwh: 'kwh',
  pollutant_emissions: 'tonnes',
  land_area_mu: 'mu',
  ip_class1_high_value: 'items',
  ip_class1_self_developed: 'items',
  ip_class1: 'items',
  ip_class2: 'items',
  equity_financing: 'wan',
  ui_months_paid: 'months',
  ui_paid_last_year: 'yuan',
  insured_avg: 'persons',
  ui_new_claimants: 'persons',
  rent_area_m2: 'm2',
  rent_paid: 'yuan',
  strategic_emerging: 'flag',
  credit_blacklisted: 'flag',
} as const;
export type IndicatorKey = keyof typeof INDICATORS;
export const INDICATOR_KEYS = Object.keys(INDICATORS) as IndicatorKey[];

/** Derived ratios in the facts (never typed in): kind decides the display. */
export const RATIOS = {
  rd_intensity: 'share',
  debt_ratio: 'share',
  revenue_growth: 'share',
  rd_staff_share: 'share',
  tax_per_mu: 'wanPerMu',
  output_per_mu: 'wanPerMu',
} as const;
export type RatioKey = keyof typeof RATIOS;

export interface EnterpriseItem {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
  regionName: string;
  industryCode: string;
  legalRepresentative: string;
  status: EnterpriseStatus;
  foundedOn: string | null;
  size: Size | null;
  aboveScale: boolean | null;
  usccWarnings: string[];
  /** Number of plausibility problems in the firm's figures (list filter `dataIssues=true`). */
  dataIssues?: number;
}

export interface SizeReason {
  tier: 'large' | 'medium' | 'small' | 'micro';
  indicator: 'employees' | 'revenue' | 'assets';
  value: number | null;
  bound: number;
  met: boolean | null;
}

export interface Qualification {
  id: string;
  type: QualType;
  level: (typeof QUAL_LEVELS)[number] | null;
  certificateNo: string;
  issuedOn: string;
  validUntil: string | null;
  state: 'valid' | 'expiring' | 'expired';
}

/** The effective figure of a (year, key): the winner by source precedence. */
export interface Indicator {
  year: number;
  key: IndicatorKey;
  value: number;
  source: Source;
  enteredBy: string | null;
  enteredByName?: string | null;
  enteredAt: string;
}

/** The current figure of one source for a (year, key), with its review when it is a self-report. */
export interface IndicatorValue {
  id: string;
  year: number;
  key: IndicatorKey;
  source: Source;
  value: number;
  version: number;
  enteredAt: string;
  enteredByName: string | null;
  note: string | null;
  evidenceFileId: string | null;
  reviewStatus: ReviewStatus | null;
  reviewFlag: ReviewFlag | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  reviewedByName: string | null;
}

/** One version in a figure's history (newest first). */
export interface IndicatorVersion extends IndicatorValue {
  current: boolean;
}

export interface DataIssueDetail {
  value?: number;
  prev?: number;
  factor?: number;
  min?: number;
  max?: number;
}

export interface DataIssue {
  year: number;
  key: IndicatorKey;
  kind: DataIssueKind;
  detail: DataIssueDetail;
}

/** PUT /enterprises/:id/indicators answers with what is in effect now and how the figure is reviewed. */
export interface IndicatorSaved {
  ok: true;
  effective: { value: number; source: Source } | null;
  review: { status: ReviewStatus | null; flag: ReviewFlag | null };
}

/** A row of the verification queue (GET /indicator-reviews). */
export interface IndicatorReview {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  regionCode: string;
  regionName: string;
  year: number;
  key: IndicatorKey;
  value: number;
  officialValue: number | null;
  officialSource: Source | null;
  /** Fraction: 0.25 = 25 %. */
  deviation: number | null;
  flag: ReviewFlag | null;
  status: ReviewStatus;
  enteredAt: string;
  enteredByName: string | null;
  note: string | null;
  evidenceFileId: string | null;
  reviewNote: string | null;
  reviewedAt: string | null;
  reviewedByName: string | null;
}

/** A row of GET /enterprises/data-quality. */
export interface DataQualityItem {
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  regionName: string;
  year: number;
  key: IndicatorKey;
  kind: DataIssueKind;
  detail: DataIssueDetail;
}

export interface Tenancy {
  id: string;
  parkId: string;
  parkName: string;
  unitId: string | null;
  unitCode: string | null;
  areaM2: number;
  startOn: string;
  endOn: string | null;
  status: string;
}

export interface Contact {
  id: string;
  name: string;
  role: string;
  mobile: string | null;
  idNo: string | null;
}

export interface FactsRow {
  year: number;
  size: Size;
  aboveScale: boolean | null;
  parkId: string | null;
  facts: Record<string, unknown>;
}

export interface EnterpriseDetail {
  id: string;
  uscc: string;
  name: string;
  regionCode: string;
  regionName: string;
  industryCode: string;
  foundedOn: string | null;
  registeredCapitalWan: number | null;
  legalRepresentative: string;
  address: string;
  status: EnterpriseStatus;
  usccWarnings: string[];
  size: {
    year: number;
    size: Size;
    decision: { size: Size; group: string; reasons: SizeReason[]; missing: SizeReason['indicator'][] };
    aboveScale: boolean | null;
    aboveScaleRule: string | null;
  } | null;
  facts: FactsRow[];
  qualifications: Qualification[];
  indicators: Indicator[];
  /** The current figure of every source per (year, key) (issue #15). */
  indicatorValues?: IndicatorValue[];
  dataIssues?: DataIssue[];
  tenancies: Tenancy[];
  contacts: Contact[];
}

export interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  progress: number;
  message: string | null;
  result: unknown;
}

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export const enterprisesKey = ['enterprises'] as const;

export function enterpriseKey(id: string) {
  return [...enterprisesKey, 'detail', id] as const;
}

export function useEnterprise(id: string | undefined) {
  return useQuery({
    queryKey: enterpriseKey(id ?? ''),
    queryFn: ({ signal }) =>
      api.get<EnterpriseDetail>(`/enterprises/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useIndicatorHistory(id: string, year: number | undefined, key: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...enterpriseKey(id), 'history', year ?? null, key ?? null],
    queryFn: ({ signal }) =>
      api.get<{ items: IndicatorVersion[] }>(
        `/enterprises/${encodeURIComponent(id)}/indicators/history`,
        { year, key },
        signal,
      ),
    enabled,
  });
}

/** Where an uploaded file is downloaded (scope-checked by the server, always as an attachment). */
export function fileContentUrl(fileId: string): string {
  return buildUrl(`/files/${encodeURIComponent(fileId)}/content`);
}

export function useDistricts(enabled = true) {
  return useQuery({
    queryKey: ['regions', 'district'],
    queryFn: ({ signal }) =>
      api.get<{ items: { code: string; name: string; kind: string; inScope?: boolean }[] }>(
        '/regions',
        { level: 'district' },
        signal,
      ),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/** Polls a job every second until it has finished. */
export function useJob(id: string | null) {
  return useQuery({
    queryKey: ['jobs', 'one', id],
    queryFn: ({ signal }) => api.get<Job>(`/jobs/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    refetchInterval: (q) =>
      q.state.data && (q.state.data.status === 'succeeded' || q.state.data.status === 'failed') ? false : 1000,
  });
}

/** "C3484 · 通用设备制造业" (division name from GB/T 4754-2017). */
export function industryLabel(code: string): string {
  const name = industryName(code);
  return name ? `${code} · ${name}` : code;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; details?: unknown } } | null = null;
  try {
    body = await res.json();
  } catch {
    // not JSON
  }
  const e = body?.error;
  if (e && typeof e.code === 'string')
    return new ApiError(res.status, e.code, e.message || i18n.t('errors.unknown'), e.details);
  return new ApiError(res.status, `HTTP_${res.status}`, i18n.t('errors.http', { status: res.status }));
}

async function csrf(): Promise<string> {
  const fromCookie = readCookie('miaopu_csrf');
  if (fromCookie) return fromCookie;
  const body = await api.get<{ token?: string }>('/auth/csrf');
  return readCookie('miaopu_csrf') ?? body.token ?? '';
}

/** POSTs one file as multipart/form-data (field "file") with the CSRF header and an Idempotency-Key. */
export async function uploadImport(file: File, idempotencyKey: string): Promise<{ jobId: string; fileId: string }> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(buildUrl('/enterprises/import'), {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Accept-Language': currentLanguage(),
        'x-csrf-token': await csrf(),
        'Idempotency-Key': idempotencyKey,
      },
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as { jobId: string; fileId: string };
}

/** Server field errors (`details.fields[]`), by form field name (a `body.` prefix dropped). */
export function serverFieldErrors<K extends string>(
  error: unknown,
  allowed: readonly K[],
): { name: K; errors: string[] }[] {
  if (!(error instanceof ApiError)) return [];
  const fields = (error.details as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return [];
  const out = new Map<string, string[]>();
  for (const f of fields) {
    if (typeof f?.field !== 'string' || typeof f?.message !== 'string') continue;
    const name = f.field.replace(/^body\./, '');
    out.set(name, [...(out.get(name) ?? []), f.message || error.message]);
  }
  return [...out]
    .filter(([name]) => (allowed as readonly string[]).includes(name))
    .map(([name, errors]) => ({ name: name as K, errors }));
}
