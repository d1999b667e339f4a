/** Types and calls of the 三个一批 API (src/server/modules/projects/routes.ts). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IndustryClass, ProjectStage } from '../../../domain/projects.ts';
import { ApiError, api, buildUrl, type Paged, type QueryParams, readCookie, stepUpRetry } from '../../app/api';
import i18n, { currentLanguage } from '../../app/i18n';
import type { Region } from '../regions/api';

export type BatchKind = 'sign' | 'start' | 'produce';
export type WarningLevel = 'none' | 'yellow' | 'orange' | 'red';
export type AdvanceStage = Exclude<ProjectStage, 'signed'>;

export const BATCH_KINDS: readonly BatchKind[] = ['sign', 'start', 'produce'];
export const WARNING_LEVELS: readonly WarningLevel[] = ['none', 'yellow', 'orange', 'red'];
/** The 履约 evidence checklist (PROJECT_SETTINGS.performanceEvidence on the server). */
export const PERFORMANCE_EVIDENCE = [
  'company_registered',
  'land_or_premises',
  'capital_in_place',
  'construction_begun',
] as const;
export const INVESTMENT_SOURCES = ['reported', 'statistics', 'verified'] as const;
export type InvestmentSource = (typeof INVESTMENT_SOURCES)[number];

export interface Batch {
  id: string;
  number: number;
  level: string;
  heldOn: string;
  title: string;
  counts: Record<BatchKind, number>;
  investmentWan: Record<BatchKind, number>;
}

export interface BatchEntry {
  kind: BatchKind;
  number: number;
  level: string;
  heldOn: string;
}

export interface Project {
  id: string;
  code: string;
  name: string;
  ownerName: string;
  regionCode: string;
  regionName: string;
  industryClass: IndustryClass;
  industryCode: string | null;
  totalInvestmentWan: number;
  responsibleUnit: string;
  responsiblePerson: string;
  stage: ProjectStage;
  signedOn: string | null;
  plannedPerformanceOn: string | null;
  performedOn: string | null;
  plannedStartOn: string | null;
  startedOn: string | null;
  plannedProductionOn: string | null;
  productionOn: string | null;
  plannedEffectiveOn: string | null;
  effectiveOn: string | null;
  performanceEvidence: Record<string, boolean>;
  warning: WarningLevel;
  warnings: string[];
  batches: BatchEntry[];
  version: number;
}

export interface ProjectDetail extends Project {
  plans: { year: number; plannedWan: number }[];
  monthly: { year: number; month: number; amountWan: number; source: string }[];
  cumulativeWan: number;
}

export interface Kpis {
  batch: { number: number; level: string; heldOn: string; title: string };
  region: string | null;
  asOf: string;
  year: number;
  total: { count: number; investment: number };
  signed: {
    count: number;
    investment: number;
    performedCount: number;
    performanceRate: number | null;
    startBase: string;
    startBaseCount: number;
    startedCount: number;
    startRate: number | null;
  };
  started: {
    count: number;
    investment: number;
    yearPlan: number;
    yearInvestment: number;
    yearCompletionRate: number | null;
    timeProgressGapPp: number | null;
  };
  producing: {
    count: number;
    investment: number;
    completedInvestment: number;
    completionRate: number | null;
    inProductionCount: number;
    effectiveCount: number;
    effectiveRate: number | null;
  };
}

/** One row error of a rejected import (details.rows of IMPORT_ROWS_INVALID). */
export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export const projectsKey = ['projects'] as const;

export function useBatches() {
  return useQuery({
    queryKey: [...projectsKey, 'batches'],
    queryFn: ({ signal }) => api.get<{ items: Batch[] }>('/projects/batches', undefined, signal),
    staleTime: 60_000,
  });
}

export function useKpis(batch: number | undefined, region: string | undefined) {
  return useQuery({
    queryKey: [...projectsKey, 'kpis', { batch, region }],
    queryFn: ({ signal }) => api.get<Kpis>('/projects/kpis', { batch, region }, signal),
    enabled: batch !== undefined,
    placeholderData: keepPreviousData,
  });
}

export function useProjectPage(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: [...projectsKey, 'list', params],
    queryFn: ({ signal }) => api.get<Paged<Project>>('/projects', params, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useProject(id: string | undefined) {
  return useQuery({
    queryKey: [...projectsKey, 'detail', id],
    queryFn: ({ signal }) => api.get<ProjectDetail>(`/projects/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
  });
}

/** Districts inside the caller's scope, for the region selectors. */
export function useDistricts(enabled = true) {
  return useQuery({
    queryKey: ['regions', 'district'],
    queryFn: ({ signal }) => api.get<{ items: Region[] }>('/regions', { level: 'district' }, signal),
    select: (data) => data.items.filter((r) => r.inScope !== false),
    staleTime: 5 * 60_000,
    enabled,
  });
}

// ---- file download and upload (outside the JSON client) ---------------------------------------------

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body.error?.code) {
      return new ApiError(
        res.status,
        body.error.code,
        body.error.message || i18n.t('errors.unknown'),
        body.error.details,
      );
    }
  } catch {
    // not JSON
  }
  return new ApiError(res.status, `HTTP_${res.status}`, i18n.t('errors.http', { status: res.status }));
}

/** The file name of a Content-Disposition header (RFC 5987 `filename*` first). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      // malformed: fall through
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1] ?? fallback;
}

/** Downloads a file answered by GET `path` (an .xlsx) and hands it to the browser as a download. */
export async function downloadFile(path: string, query: QueryParams | undefined, fallbackName: string): Promise<void> {
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
  a.download = filenameOf(res.headers.get('content-disposition'), fallbackName);
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

/** POST /projects/import (multipart, field "file"): the number of projects created, or an ApiError. */
export async function importProjects(file: File): Promise<{ created: number }> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(buildUrl('/projects/import'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLanguage(), 'x-csrf-token': await csrf() },
      body: form,
    });
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as { created: number };
}

/** Row errors of an IMPORT_ROWS_INVALID answer. */
export function importRowErrors(error: unknown): ImportRowError[] {
  if (!(error instanceof ApiError) || error.code !== 'IMPORT_ROWS_INVALID') return [];
  const rows = (error.details as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as ImportRowError[]) : [];
}

export const advanceProject = (
  id: string,
  body: { stage: AdvanceStage; date: string; evidence?: Record<string, boolean> },
) => api.post<{ id: string; stage: string; version: number }>(`/projects/${encodeURIComponent(id)}/advance`, body);

export const recordInvestment = (
  id: string,
  body: { year: number; month: number; amountWan: number; source: InvestmentSource },
) => api.put<{ ok: true }>(`/projects/${encodeURIComponent(id)}/investments`, body);

/** The body of POST /projects (inputSchema in routes.ts); PATCH takes any part of it plus the record's version. */
export interface ProjectInput {
  code: string;
  name: string;
  ownerName: string;
  regionCode: string;
  industryClass: IndustryClass;
  industryCode?: string | null;
  totalInvestmentWan: number;
  responsibleUnit: string;
  responsiblePerson?: string;
  signedOn?: string | null;
  plannedPerformanceOn?: string | null;
  plannedStartOn?: string | null;
  plannedProductionOn?: string | null;
  plannedEffectiveOn?: string | null;
}

export const createProject = (body: ProjectInput, idempotencyKey: string) =>
  api.post<Project>('/projects', body, { headers: { 'Idempotency-Key': idempotencyKey } });

export const updateProject = (id: string, body: Partial<ProjectInput> & { version: number }) =>
  api.patch<{ id: string; version: number }>(`/projects/${encodeURIComponent(id)}`, body);
