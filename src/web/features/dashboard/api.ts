/** Types and queries of the cockpit and targets APIs (src/server/modules/dashboard, src/server/modules/targets). */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TargetPeriod } from '../../../domain/targets.ts';
import type { DashboardSummary, Tile } from '../../../server/modules/dashboard/summary.ts';
import { ApiError, api, buildUrl, readCookie } from '../../app/api';
import i18n, { currentLanguage } from '../../app/i18n';

export type { DashboardSummary, Tile };

export const summaryKey = ['dashboard', 'summary'] as const;

export function useSummary(region: string | undefined, asOf: string | undefined, refetchMs?: number) {
  return useQuery({
    queryKey: [...summaryKey, region ?? '', asOf ?? ''],
    queryFn: ({ signal }) => api.get<DashboardSummary>('/dashboard/summary', { region, asOf }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: refetchMs,
    refetchIntervalInBackground: !!refetchMs,
  });
}

export interface Target {
  id: string;
  regionCode: string;
  regionName: string;
  indicator: string;
  period: TargetPeriod;
  year: number;
  periodNo: number;
  start: string;
  end: string;
  value: number;
  basis: string;
  setByRegion: string | null;
  version: number;
  editable: boolean;
  progress: {
    asOf: string;
    actual: number | null;
    completionRate: number | null;
    timeProgress: number;
    gapPp: number | null;
  } | null;
}

export const targetsKey = ['targets'] as const;

export function useTargets(year: number | undefined) {
  return useQuery({
    queryKey: [...targetsKey, year ?? ''],
    queryFn: ({ signal }) => api.get<{ items: Target[] }>('/targets', { year, progress: 'true' }, signal),
  });
}

export interface TargetBody {
  regionCode: string;
  indicator: string;
  period: TargetPeriod;
  year: number;
  periodNo: number;
  value: number;
  basis?: string;
}

export const createTarget = (body: TargetBody) => api.post<Target>('/targets', body);
export const updateTarget = (id: string, body: { version: number; value?: number; basis?: string }) =>
  api.patch<Target>(`/targets/${encodeURIComponent(id)}`, body);
export const deleteTarget = (id: string) => api.delete<{ ok: true }>(`/targets/${encodeURIComponent(id)}`);

async function csrf(): Promise<string> {
  const fromCookie = readCookie('miaopu_csrf');
  if (fromCookie) return fromCookie;
  const body = await api.get<{ token?: string }>('/auth/csrf');
  return readCookie('miaopu_csrf') ?? body.token ?? '';
}

/** POST /targets/import (multipart, field "file"). */
export async function importTargets(file: File): Promise<{ created: number; updated: number }> {
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(buildUrl('/targets/import'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': currentLanguage(), 'x-csrf-token': await csrf() },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  }
  const body = (await res.json().catch(() => ({}))) as {
    created?: number;
    updated?: number;
    error?: { code?: string; message?: string; details?: unknown };
  };
  if (!res.ok)
    throw new ApiError(
      res.status,
      body.error?.code ?? 'UNKNOWN',
      body.error?.message ?? i18n.t('errors.unknown'),
      body.error?.details,
    );
  return { created: body.created ?? 0, updated: body.updated ?? 0 };
}
