import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  progress: number;
  message: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: unknown;
}

export const jobsKey = ['jobs'] as const;

export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** One job, polled every second while it is queued or running. */
export function useJob(id: string | null) {
  return useQuery({
    queryKey: [...jobsKey, 'one', id],
    queryFn: ({ signal }) => api.get<Job>(`/jobs/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    refetchInterval: (q) => (q.state.data && !isActive(q.state.data.status) ? false : 1000),
  });
}

/** Job types are dotted ('audit.verify'); i18n keys use underscores ('jobs.types.audit_verify'). */
export function jobTypeLabel(t: (key: string, fallback: string) => string, type: string): string {
  return t(`jobs.types.${type.replace(/[.-]/g, '_')}`, type);
}

export const STATUS_COLORS: Record<JobStatus, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

export function progressStatus(status: JobStatus): 'normal' | 'active' | 'success' | 'exception' {
  if (status === 'running') return 'active';
  if (status === 'succeeded') return 'success';
  if (status === 'failed') return 'exception';
  return 'normal';
}
