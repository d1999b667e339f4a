/** Types and queries of the parks API (src/server/modules/parks/routes.ts). */
import { useQuery } from '@tanstack/react-query';
import {
  DEVELOPMENT_MODES,
  type MilestoneStatus,
  PARK_CATEGORIES,
  PARK_STAGES,
  type ParkStage,
  RECOGNITION_LEVELS,
  type ReportState,
  UNIT_USES,
} from '../../../domain/parks.ts';
import { ApiError, api, buildUrl, type QueryParams, readCookie, stepUpRetry } from '../../app/api';
import i18n, { currentLanguage } from '../../app/i18n';

export type { MilestoneStatus, ParkStage, ReportState };
export { DEVELOPMENT_MODES, PARK_CATEGORIES, PARK_STAGES, RECOGNITION_LEVELS, UNIT_USES };

export type ParkCategory = (typeof PARK_CATEGORIES)[number];
export type DevelopmentMode = (typeof DEVELOPMENT_MODES)[number];
export type RecognitionLevel = (typeof RECOGNITION_LEVELS)[number];
export type UnitUse = (typeof UNIT_USES)[number];
export type ReportPeriod = 'week' | 'month';

export interface Park {
  id: string;
  code: string;
  name: string;
  regionCode: string;
  regionName: string;
  address: string;
  lng: number | null;
  lat: number | null;
  category: ParkCategory;
  developmentMode: DevelopmentMode;
  operatorOrgId: string | null;
  landAreaMu: number;
  floorAreaM2: number;
  plotRatio: number | null;
  plannedInvestmentWan: number;
  industryCodes: string[];
  positioning: string;
  stage: ParkStage;
  recognitionLevel: RecognitionLevel | null;
  recognitionBatch: string | null;
  recognizedOn: string | null;
  starLevel: number | null;
  starYear: number | null;
  monitoredFrom: string | null;
  monitoredUntil: string | null;
  overdue: boolean;
  version: number;
}

export interface Milestone {
  key: string;
  name: string;
  plannedOn: string | null;
  actualOn: string | null;
  status: MilestoneStatus;
}

export interface TimelineEvent {
  date: string;
  kind: 'stage' | 'milestone' | 'report' | 'recognition' | 'rating' | string;
  title: string;
  status: string | null;
}

export interface ParkReport {
  id: string;
  period: ReportPeriod;
  periodStart: string;
  dueOn: string;
  submittedOn: string | null;
  state: ReportState;
  investmentWan: number;
  progress: string;
  problems: string;
}

export interface ParkUnit {
  id: string;
  floor: number;
  code: string;
  areaM2: number;
  use: UnitUse;
  leasable: boolean;
  leasedM2: number;
}

export interface ParkBuilding {
  id: string;
  name: string;
  floors: number;
  units: ParkUnit[];
}

/** A plan change request (decision 0020): the approved plan when it was made beside the proposal. */
export type PlanChangePlan =
  | { kind: 'milestones'; milestones: { key: string; name: string; plannedOn: string | null }[] }
  | { kind: 'investment_plan'; year: number; plannedWan: number };

export interface PlanChange {
  id: string;
  parkId: string;
  parkName: string;
  kind: 'milestones' | 'investment_plan';
  status: 'pending' | 'approved' | 'returned';
  original: PlanChangePlan;
  proposal: PlanChangePlan;
  reason: string;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: string;
  decidedByName: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
}

export interface ParkDetail extends Park {
  milestones: Milestone[];
  planChanges?: PlanChange[];
  timeline: TimelineEvent[];
  investment: {
    plans: { year: number; plannedWan: number }[];
    monthly: { year: number; month: number; amountWan: number; source: string }[];
    cumulativeWan: number;
  };
  reports: ParkReport[];
  buildings: ParkBuilding[];
  occupancy: { leasableM2: number; leasedM2: number; rate: number | null };
}

export interface ParkStats {
  asOf: string;
  region: string | null;
  monitoredParks: number;
  landAreaMu: number;
  floorAreaM2: number;
  plannedInvestmentWan: number;
  overdueParks: number;
  byStage: Partial<Record<ParkStage, number>>;
  byRegion: { regionCode: string; regionName: string; parks: number; landAreaMu: number; floorAreaM2: number }[];
}

export interface MapPoint {
  id: string;
  name: string;
  regionCode: string;
  stage: ParkStage;
  overdue: boolean;
  lng: number;
  lat: number;
}

export interface GeoCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { name: string; code: string | null }; geometry: unknown }[];
  source?: string;
}

export interface ReportSummary {
  period: ReportPeriod;
  periodStart: string;
  dueOn: string;
  items: {
    parkId: string;
    parkName: string;
    regionCode: string;
    regionName: string;
    state: ReportState;
    submittedOn: string | null;
  }[];
  districts: {
    regionCode: string;
    regionName: string;
    expected: number;
    submitted: number;
    late: number;
    missing: number;
    open: number;
  }[];
}

export interface InvestmentSummary {
  year: number;
  asOf: string;
  elapsedShare: number;
  total: { completedWan: number; targetWan: number; completionRate: number | null; gapPp: number | null };
  regions: {
    regionCode: string;
    regionName: string;
    parks: number;
    completedWan: number;
    plannedWan: number;
    targetWan: number;
    completionRate: number | null;
    gapPp: number | null;
  }[];
}

export interface ImportRowError {
  sheet: string;
  row: number;
  column: string;
  message: string;
}

export const parksKey = ['parks'] as const;

export function useParkStats(region?: string) {
  return useQuery({
    queryKey: [...parksKey, 'stats', region ?? null],
    queryFn: ({ signal }) => api.get<ParkStats>('/parks/stats', { region }, signal),
  });
}

export function useParkMap() {
  return useQuery({
    queryKey: [...parksKey, 'map'],
    queryFn: ({ signal }) => api.get<{ items: MapPoint[] }>('/parks/map', undefined, signal),
  });
}

export function useGeo(code: string | null) {
  return useQuery({
    queryKey: ['geo', code],
    queryFn: ({ signal }) => api.get<GeoCollection>(`/geo/${encodeURIComponent(code ?? '')}`, undefined, signal),
    enabled: !!code,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function parkKey(id: string) {
  return [...parksKey, 'detail', id] as const;
}

export function usePark(id: string | undefined) {
  return useQuery({
    queryKey: parkKey(id ?? ''),
    queryFn: ({ signal }) => api.get<ParkDetail>(`/parks/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

export function useReportSummary(period: ReportPeriod, periodStart: string | undefined) {
  return useQuery({
    queryKey: [...parksKey, 'reports', period, periodStart ?? null],
    queryFn: ({ signal }) => api.get<ReportSummary>('/parks/reports', { period, periodStart }, signal),
  });
}

export function useInvestmentSummary(year: number, asOf: string | undefined) {
  return useQuery({
    queryKey: [...parksKey, 'investment', year, asOf ?? null],
    queryFn: ({ signal }) => api.get<InvestmentSummary>('/parks/investment', { year, asOf }, signal),
  });
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

/** The filename of a download from `content-disposition` (RFC 6266 filename* first). */
function filenameOf(res: Response, fallback: string): string {
  const header = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // malformed: use the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
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

/** Downloads a file answered by GET (Excel export, template) and hands it to the browser. */
export async function downloadFile(path: string, query: QueryParams | undefined, fallbackName: string) {
  let res: Response;
  try {
    res = await fetch(buildUrl(path, query), {
      credentials: 'same-origin',
      headers: { 'Accept-Language': currentLanguage() },
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (await stepUpRetry(error)) return downloadFile(path, query, fallbackName); // issue #16: after a fresh code
    throw error;
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(res, fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function csrf(): Promise<string> {
  const fromCookie = readCookie('miaopu_csrf');
  if (fromCookie) return fromCookie;
  const body = await api.get<{ token?: string }>('/auth/csrf');
  return readCookie('miaopu_csrf') ?? body.token ?? '';
}

/** POSTs one file as multipart/form-data (field "file"), with the CSRF header the API requires. */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(buildUrl(path), {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLanguage(), 'x-csrf-token': await csrf() },
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
}

/** Row errors of an IMPORT_ROWS_INVALID answer. */
export function importRowsOf(error: unknown): ImportRowError[] | null {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_ROWS_INVALID') return null;
  const rows = (error.details as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as ImportRowError[]) : [];
}

/** Field messages of a VALIDATION_FAILED answer, whatever the field prefix, for showing under a form. */
export function validationMessages(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const fields = (error.details as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields)) return [];
  // Entries without a message add nothing to the (localized) error message shown above them.
  return fields
    .filter(
      (f): f is { field: string; message: string } =>
        typeof f?.field === 'string' && typeof f?.message === 'string' && f.message !== '',
    )
    .map((f) => `${f.field.replace(/^body\./, '')}: ${f.message}`);
}
