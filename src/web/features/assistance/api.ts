/**
 * Client of the 万人助万企 API (module `assistance`, issue #6): problems (诉求) and their workflow, visits, work groups
 * and pairings, KPIs and settings. Shapes follow the contract in the server module (src/server/modules/assistance);
 * optional fields are read defensively so that an added server field never breaks a page.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type Paged, type QueryParams } from '../../app/api';
import type { Category } from './format';

export { type Category, categoryLabel, countdown, pct } from './format';

export const assistanceKey = ['assistance'] as const;

export const PROBLEM_STATUSES = ['collected', 'assigned', 'in_progress', 'resolved', 'rated', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number] | (string & {});

export const CLOSURE_CODES = [
  'resolved',
  'partly_resolved',
  'explained_policy_limit',
  'explained_not_our_remit',
  'explained_firm_withdrew',
  'duplicate',
] as const;

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const STOP_REASONS = ['awaiting_firm_materials', 'awaiting_other_department'] as const;

export const SOURCES = ['enterprise', 'cadre', 'symposium', 'hotline'] as const;

/** Every workflow action the server may list for a caller, in the order the buttons are shown. */
export const ACTIONS = [
  'assign',
  'accept',
  'feedback',
  'resolve',
  'rate',
  'close',
  'transfer',
  'return',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'stop_clock',
  'resume_clock',
  'escalate',
  'withdraw',
] as const;
export type ProblemAction = (typeof ACTIONS)[number];

export interface ProblemItem {
  id: string;
  code: string;
  title: string;
  category: string;
  status: ProblemStatus;
  priority?: string | null;
  enterpriseId?: string;
  enterpriseName?: string | null;
  orgName?: string | null;
  handlerName?: string | null;
  receivedAt: string;
  dueAt?: string | null;
  /** The due day (deadlines are whole days, end of day China Standard Time). */
  dueOn?: string | null;
  overdue?: boolean;
  stopped?: boolean;
  rating?: Rating | null;
}

export interface ProblemEvent {
  id?: string;
  action: string;
  actorName?: string | null;
  at: string;
  note?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  visibleToFirm?: boolean;
}

export interface ProblemDetail extends Omit<ProblemItem, 'stopped'> {
  /** The stopped clock (since, reason shown to the firm, note), or null while it runs. */
  stopped?: { since?: string; reason: string; note?: string | null } | boolean | null;
  description?: string | null;
  source?: string;
  complexity?: string | null;
  orgId?: string | null;
  handlerUserId?: string | null;
  version: number;
  escalationLevel?: number | null;
  closureCode?: string | null;
  answer?: string | null;
  ratingComment?: string | null;
  confirmedByFirm?: boolean | null;
  attachmentFileIds?: string[];
  attachments?: { id: string; originalName?: string; mime?: string }[];
  clockStop?: { reason: string; note?: string | null; since?: string } | null;
  stopReason?: string | null;
  stopNote?: string | null;
  extension?: { days: number | null; reason?: string | null; status?: string } | null;
  extensionStatus?: 'none' | 'requested' | 'approved' | 'rejected' | null;
  extensionDays?: number | null;
  extensionReason?: string | null;
  reopenCount?: number | null;
  dueOn?: string | null;
  deadlines?: {
    assignBy?: string | null;
    firstFeedbackBy?: string | null;
    resolveBy?: string | null;
    dueOn?: string | null;
    dueAt?: string | null;
  } | null;
  events?: ProblemEvent[];
  actions?: string[];
}

export interface DuplicateSuggestion {
  id: string;
  code: string;
  title: string;
  similarity?: number;
}

export interface ProblemInput {
  enterpriseId?: string;
  source: string;
  category: string;
  title: string;
  description: string;
  priority?: string;
  complexity?: string;
  attachmentFileIds?: string[];
}

export interface Kpis {
  region?: string;
  from?: string | null;
  to?: string | null;
  collected: number;
  resolved: number;
  resolutionRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  overdue: number;
  openWithinDeadline?: number;
  rated?: number;
  avgFirstFeedbackHours?: number | null;
  avgResolutionDays?: number | null;
}

export interface RankingRow {
  code?: string;
  orgId?: string;
  name: string;
  n: number;
  resolutionRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  rank: number | null;
  belowMinSample: boolean;
}

export interface Visit {
  id: string;
  kind: 'visit' | 'symposium';
  date: string;
  enterpriseIds?: string[];
  enterpriseNames?: string[];
  enterprises?: { id: string; name: string }[];
  participants?: string[] | string;
  notes?: string | null;
  photoFileIds?: string[];
  location?: { lat: number; lng: number; accuracy?: number } | null;
  cadreName?: string | null;
  orgId?: string | null;
  orgName?: string | null;
  firmCount?: number;
  followUps?: string[] | string | null;
}

export interface VisitCalendarData {
  enterpriseId: string;
  enterpriseName: string;
  preferOnline: boolean;
  visitCapPerMonth: number;
  months: { month: string; visits: number; overCap: boolean }[];
  visits: Visit[];
}

export interface VisitWarning {
  code: 'VISIT_CAP_EXCEEDED' | 'PREFERS_ONLINE' | (string & {});
  enterpriseId: string;
  message: string;
}

export interface Group {
  id: string;
  name: string;
  regionCode?: string;
  regionName?: string | null;
  leaderName?: string | null;
  cadres?: number;
  pairings?: number;
  members?: { id: string; name: string; org?: string | null; phoneMasked?: string | null; pairings?: number }[];
}

export interface Pairing {
  id: string;
  cadreId: string;
  cadreName?: string | null;
  cadreOrg?: string | null;
  enterpriseId: string;
  enterpriseName?: string | null;
  firmName?: string | null;
  regionCode?: string | null;
  regionName?: string | null;
  fromOn?: string | null;
  toOn?: string | null;
  groupName?: string | null;
}

/** The paired firm's name whichever field the server fills. */
export const firmOf = (p: Pairing) => p.enterpriseName ?? p.firmName ?? p.enterpriseId;

export interface Coverage {
  enterprisesInScope: number;
  paired: number;
  coverageRate: number | null;
  cadres: number;
  visits: number;
  symposia: number;
  cadresWithoutVisit: { cadreId: string; name: string; org?: string | null; reason?: string | null }[];
}

export interface DeadlineProfile {
  assignWithinDays: number;
  firstFeedbackDays: number;
  ordinaryDays: number;
  complexDays: number;
  mode: 'calendar' | 'working';
}

export interface EscalationStep {
  afterDays: number;
  level: number;
  notifyRole?: 'district_admin' | 'city_admin' | null;
  notifyOrgId?: string | null;
}

export interface AssistanceSettings {
  region?: string;
  deadlineProfile: DeadlineProfile;
  disputeWindowDays: number;
  extensionLeadDays?: number;
  /** Days the firm has to rate an answer before the office may close it unrated. */
  confirmWindowDays?: number;
  escalationLadder: EscalationStep[];
  visitCapPerMonth: number;
  countBasicallySatisfied: boolean;
  resolutionRequiresConfirmation: boolean;
  minRankingSample: number;
  categoryOrgs?: Record<string, string | null>;
  /** The region whose own settings apply (null: the defaults). */
  definedAt?: string | null;
}

export function useCategories() {
  return useQuery({
    queryKey: [...assistanceKey, 'categories'],
    queryFn: async ({ signal }) => {
      const r = await api.get<Category[] | { items: Category[] }>('/assistance/categories', undefined, signal);
      return Array.isArray(r) ? r : r.items;
    },
    staleTime: 5 * 60_000,
  });
}

export function useProblem(id: string | undefined) {
  return useQuery({
    queryKey: [...assistanceKey, 'problem', id],
    queryFn: ({ signal }) => api.get<ProblemDetail>(`/assistance/problems/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** Creates a problem; the answer is the problem (or `{ problem }`) plus duplicate suggestions. */
export async function createProblem(body: ProblemInput, idempotencyKey: string) {
  const r = await api.post<(ProblemDetail | { problem: ProblemDetail }) & { duplicates?: DuplicateSuggestion[] }>(
    '/assistance/problems',
    body,
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  const problem = 'problem' in r ? r.problem : r;
  return { ...problem, duplicates: r.duplicates ?? [] };
}

export function findDuplicates(params: QueryParams, signal?: AbortSignal) {
  return api
    .get<DuplicateSuggestion[] | { items: DuplicateSuggestion[] }>('/assistance/problems/duplicates', params, signal)
    .then((r) => (Array.isArray(r) ? r : r.items));
}

export function problemAction(id: string, body: { action: string; version: number } & Record<string, unknown>) {
  return api.post<ProblemDetail>(`/assistance/problems/${id}/actions`, body);
}

export function useKpis(params: QueryParams) {
  return useQuery({
    queryKey: [...assistanceKey, 'kpis', params],
    queryFn: ({ signal }) => api.get<Kpis>('/assistance/kpis', params, signal),
  });
}

export interface Rankings {
  items: RankingRow[];
  from?: string;
  to?: string;
  minSample?: number;
  rankBy?: string;
}

export function useRankings(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: [...assistanceKey, 'rankings', params],
    queryFn: async ({ signal }): Promise<Rankings> => {
      const r = await api.get<RankingRow[] | Rankings>('/assistance/rankings', params, signal);
      return Array.isArray(r) ? { items: r } : r;
    },
    enabled,
  });
}

export function useSettings(region?: string) {
  return useQuery({
    queryKey: [...assistanceKey, 'settings', region ?? ''],
    queryFn: ({ signal }) => api.get<AssistanceSettings>('/assistance/settings', { region }, signal),
  });
}

export function useCoverage(params: QueryParams, enabled = true) {
  return useQuery({
    queryKey: [...assistanceKey, 'coverage', params],
    queryFn: ({ signal }) => api.get<Coverage>('/assistance/coverage', params, signal),
    enabled,
  });
}

export function useGroups() {
  return useQuery({
    queryKey: [...assistanceKey, 'groups'],
    queryFn: async ({ signal }) => {
      const r = await api.get<Group[] | Paged<Group>>('/assistance/groups', { pageSize: 100 }, signal);
      return Array.isArray(r) ? { items: r, total: r.length } : r;
    },
  });
}

export function useGroup(id: string | null) {
  return useQuery({
    queryKey: [...assistanceKey, 'group', id],
    queryFn: ({ signal }) => api.get<Group>(`/assistance/groups/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** The enterprises a cadre may submit for (its pairings) or, for officials, enterprises matching a search. */
export function usePairedEnterprises(enabled: boolean) {
  return useQuery({
    queryKey: [...assistanceKey, 'pairings', 'mine'],
    queryFn: ({ signal }) => api.get<Paged<Pairing>>('/assistance/pairings', { pageSize: 100 }, signal),
    enabled,
  });
}

export function useCalendar(enterpriseId: string | null, from?: string, to?: string) {
  return useQuery({
    queryKey: [...assistanceKey, 'calendar', enterpriseId, from, to],
    queryFn: ({ signal }) =>
      api.get<VisitCalendarData>(`/assistance/enterprises/${enterpriseId}/calendar`, { from, to }, signal),
    enabled: !!enterpriseId,
  });
}
