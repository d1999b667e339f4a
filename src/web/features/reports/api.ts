import { useQuery } from '@tanstack/react-query';
import { api, type QueryParams } from '../../app/api';

export type ReportPeriodType = 'weekly' | 'monthly';
export type ReportFormat = 'pdf' | 'xlsx';

/** One archived report (GET /api/v1/reports). */
export interface ReportItem {
  id: string;
  periodType: ReportPeriodType;
  periodStart: string;
  periodEnd: string;
  regionCode: string;
  regionName: string;
  title: string;
  pdfSize: number;
  xlsxSize: number;
  generatedAt: string;
  generatedByUsername: string | null;
  scheduled: boolean;
}

export interface GenerateAnswer {
  jobId: string;
  periodStart: string;
  periodEnd: string;
  title: string;
}

export const reportsKey = ['reports'] as const;

export function generateReport(body: { periodType: ReportPeriodType; date: string; region: string }) {
  return api.post<GenerateAnswer>('/reports', body);
}

/** Regions a report can be asked for: the caller's city and districts (towns have no reports). */
export function useReportRegions() {
  return useQuery({
    queryKey: [...reportsKey, 'regions'],
    queryFn: ({ signal }) =>
      api.get<{ items: { code: string; name: string; level: string; inScope?: boolean }[] }>(
        '/regions',
        undefined,
        signal,
      ),
    select: (d) => d.items.filter((r) => r.inScope !== false && (r.level === 'city' || r.level === 'district')),
    staleTime: 5 * 60_000,
  });
}

export function fileQuery(format: ReportFormat): QueryParams {
  return { format };
}
