/**
 * Types and queries of the policies API (src/server/modules/policies/*: library, evaluate, facts catalogue, matching,
 * simulator, payouts, applications, portal). Names follow the module's API contract (issue #5).
 */
import { useQuery } from '@tanstack/react-query';
import { POLICY_STATUSES, POLICY_STEPS, type PolicyAction } from '../../../domain/policies.ts';
import type { FactDef, Localized } from '../../../domain/rules/catalogue.ts';
import type { Rule, TraceNode, Verdict } from '../../../domain/rules/types.ts';
import { ApiError, api, type Paged, type QueryParams } from '../../app/api';

export type { Rule, TraceNode, Verdict };

export const LEVELS = ['national', 'provincial', 'municipal', 'district'] as const;
export type Level = (typeof LEVELS)[number];
export const CHANNELS = ['mianshen', 'kuaishen', 'ordinary'] as const;
export type Channel = (typeof CHANNELS)[number];
export const STATUSES = POLICY_STATUSES;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];
/** What a clause may demand of the sources of the facts it reads (null = any source). */
export const MIN_SOURCES = ['official', 'verified_on_site'] as const;
export type MinSource = (typeof MIN_SOURCES)[number];

export const BENEFIT_TYPES = ['subsidy', 'reward', 'refund', 'tax', 'qualification'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];
export type Action = PolicyAction;
export { POLICY_STEPS };

export interface PolicyItem {
  id: string;
  code: string;
  title: string;
  docNo: string | null;
  issuerName: string;
  level: Level;
  channel: Channel;
  status: PolicyStatus;
  publishedOn: string | null;
  expiresOn: string | null;
  applyFrom: string | null;
  applyTo: string | null;
  tags: string[];
  summary: string | null;
  clauseCount: number;
  budgetCapYuan: string | number | null;
  /** Search snippet with the matched terms (plain text; the web marks them). */
  highlight?: string | null;
}

export interface Example {
  name: string;
  facts: Record<string, unknown>;
  asOf?: string | null;
  expected: { eligible: Verdict; amount: string | null };
  /** Filled by the server on read: what the evaluator says now. */
  actual?: { eligible: Verdict; amount: string | null; missing?: string[] } | null;
  passed?: boolean | null;
  mismatches?: string[];
}

export interface Clause {
  id?: string;
  ordinal?: number;
  title: string;
  benefitType: BenefitType;
  eligibility: Rule;
  amountFormula: string | null;
  capYuan: string | number | null;
  floorYuan: string | number | null;
  oncePerEnterprise: boolean;
  stackingGroup: string | null;
  dataSources: string[];
  needsConsent: boolean;
  factsYear: 'previous' | 'current';
  /** 数据来源要求 (issue #15): null = any source; 'official' = official or verified; 'verified_on_site' = verified only. */
  minSource?: MinSource | null;
  examples: Example[];
  /** Human sentences of the rule (describeRule on the server). */
  description?: { path: string; depth: number; text: string }[] | string[] | string | null;
}

export interface PolicyDetail {
  id: string;
  code: string;
  title: string;
  docNo: string | null;
  issuerOrgId: string | null;
  issuerName: string;
  level: Level;
  regionCode: string | null;
  publishedOn: string | null;
  effectiveFrom: string | null;
  expiresOn: string | null;
  applyFrom: string | null;
  applyTo: string | null;
  summary: string | null;
  bodyHtml: string | null;
  attachments: unknown[];
  tags: string[];
  channel: Channel;
  budgetCapYuan: string | number | null;
  publicityDays: number;
  publicityDayMode: 'calendar' | 'working';
  status: PolicyStatus;
  version: number;
  /** Workflow actions from the current status (the server's status machine). */
  actions?: Action[];
  /** Maker–checker (decision 0020): actions the current user would be refused, with the localized reason. */
  refusedActions?: { action: Action; code: string; message: string }[];
  createdBy?: string | null;
  submittedBy?: string | null;
  approvedBy?: string | null;
  publishedBy?: string | null;
  statusReason?: string | null;
  clauses: Clause[];
  updatedAt?: string;
}

export interface Issuer {
  id: string;
  name: string;
  kind?: string;
  regionCode?: string;
  policies?: number;
  published?: number;
}

/** One fact of the catalogue (src/domain/rules/catalogue.ts; pure, shared with the server). */
export type Fact = FactDef;

export interface ClauseEvaluation {
  clauseId?: string;
  title?: string;
  eligible: Verdict;
  amount: string | null;
  missing: string[];
  trace?: TraceNode;
}

export interface SimulateResult {
  population: number;
  eligible: number;
  unknown: number;
  ineligible: number;
  totalCostYuan: string | number;
  byDistrict: { code: string; name: string; eligible: number; costYuan: string | number }[];
  byPark: { id?: string; code?: string; name: string; eligible: number; costYuan: string | number }[];
  bySize: { size?: string; code?: string; name?: string; eligible: number; costYuan: string | number }[];
  byIndustry: { section?: string; code?: string; name?: string; eligible: number; costYuan: string | number }[];
  nearMisses: {
    path: string;
    description: string;
    count: number;
    examples: { enterpriseId: string; name: string }[];
  }[];
}

export interface Funnel {
  matched: number;
  unknown: number;
  notified: number;
  read: number;
  applied: number;
  approved: number;
  paid: number;
  paidAmount: string | number;
}

export interface MissingFact {
  fact: string;
  label?: string;
  source?: string;
  /** The firm has the figure, but only from a source below the clause's demand: 需核实, not 缺少数据. */
  needsVerification?: boolean;
}

/** A fact a clause read for one firm, with where it came from (the explanation's 数据及来源 table). */
export interface ClauseFact {
  fact: string;
  label: string;
  value: number | string | boolean | null;
  /** An indicator's source, or 'derived' (computed) / 'registry' (登记信息). */
  source: string;
  sourceLabel?: string;
  trust: 0 | 1 | 2 | null;
}

/** GET /policies/:id/matches/:enterpriseId: one firm against every clause. */
export interface MatchDetail {
  clauses: {
    clauseId: string;
    title: string;
    result: string | null;
    amount: number | null;
    factsYear?: number | null;
    minSource?: MinSource | null;
    missing: MissingFact[];
    reasons: string[];
    facts?: ClauseFact[];
  }[];
}

export interface MatchRow {
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  regionName: string | null;
  parkName: string | null;
  clauseId: string;
  result: 'eligible' | 'ineligible' | 'unknown';
  amount: string | number | null;
  missing: MissingFact[];
  notifiedAt?: string | null;
  readAt?: string | null;
}

export interface PayoutBatch {
  id: string;
  policyId: string;
  number: number;
  status: string;
  publicityDays: number;
  publicityDayMode: 'calendar' | 'working';
  publicityStartsOn: string | null;
  publicityEndsOn: string | null;
  disbursementRef: string | null;
  disbursedAt: string | null;
  createdAt: string;
  /** Number of payouts. */
  payouts: number;
  totalYuan: number;
  excluded: { enterpriseId: string; enterpriseName: string; clauseId: string; reason: string }[];
}

/** An objection (异议) filed against a payout during publicity; `decision` is the decision note. */
export interface PayoutObjection {
  id: string;
  reason: string;
  status: 'open' | 'upheld' | 'dismissed';
  filedAt: string;
  decidedAt: string | null;
  decision: string | null;
}

/** GET /payout-batches/:id: the batch, the policy's budget in 元 (decimal strings; null cap = uncapped) and a page of payouts with their objections. */
export interface PayoutBatchDetail extends PayoutBatch {
  policyTitle: string;
  docNo: string;
  budgetCapYuan: string | null;
  committedYuan: string;
  remainingYuan: string | null;
  items: Paged<BatchPayout>;
}

export type BatchPayout = Payout & { objections: PayoutObjection[] };

export interface Payout {
  id: string;
  batchId: string;
  batchNumber: number;
  batchStatus: string;
  policyId: string;
  policyTitle: string;
  docNo: string;
  clauseId: string;
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  amountYuan: number;
  status: string;
  consent: string;
  bankAccount: string | null;
  removedReason: string | null;
  failureReason: string | null;
  publicityEndsOn: string | null;
  openObjections: number;
  approvedAt: string | null;
  paidAt: string | null;
}

export interface Application {
  id: string;
  policyId: string;
  policyTitle?: string;
  enterpriseId?: string;
  enterpriseName?: string;
  status: string;
  note?: string | null;
  facts?: Record<string, unknown>;
  decision?: string | null;
  reasons?: string | null;
  amountYuan?: string | number | null;
  submittedAt?: string;
  createdAt?: string;
  decidedAt?: string | null;
}

export interface MyPolicy {
  policyId: string;
  title: string;
  docNo: string | null;
  issuerName: string;
  channel: Channel;
  applyTo: string | null;
  /** false once the application window has closed (快申 / ordinary policies) */
  applicationOpen: boolean;
  amount: string | number | null;
  publishedOn?: string | null;
  reasons: string[];
  missing?: MissingFact[];
}

export interface MyPolicies {
  eligible: MyPolicy[];
  maybe: MyPolicy[];
  new: MyPolicy[];
}

export type MyPayout = Payout;

export const policiesKey = ['policies'] as const;

export const policyKey = (id: string) => [...policiesKey, 'detail', id] as const;

const noRetryOn4xx = (count: number, error: Error) => !(error instanceof ApiError && error.status < 500) && count < 2;

export function usePolicy(id: string | undefined) {
  return useQuery({
    queryKey: policyKey(id ?? ''),
    queryFn: ({ signal }) => api.get<PolicyDetail>(`/policies/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    retry: noRetryOn4xx,
  });
}

export function useIssuers() {
  return useQuery({
    queryKey: [...policiesKey, 'issuers'],
    queryFn: async ({ signal }) => listOf<Issuer>(await api.get<unknown>('/policies/issuers', undefined, signal)),
    staleTime: 5 * 60_000,
  });
}

export function useFunnel(id: string, enabled = true) {
  return useQuery({
    queryKey: [...policiesKey, 'funnel', id],
    queryFn: ({ signal }) => api.get<Funnel>(`/policies/${encodeURIComponent(id)}/funnel`, undefined, signal),
    enabled,
    retry: noRetryOn4xx,
  });
}

export function usePayoutBatches(policyId: string, enabled = true) {
  return useQuery({
    queryKey: [...policiesKey, 'payout-batches', policyId],
    queryFn: async ({ signal }) =>
      listOf<PayoutBatch>(
        await api.get<unknown>(`/policies/${encodeURIComponent(policyId)}/payout-batches`, undefined, signal),
      ),
    enabled,
    retry: noRetryOn4xx,
  });
}

export function useMyPolicies() {
  return useQuery({
    queryKey: [...policiesKey, 'my'],
    queryFn: ({ signal }) => api.get<MyPolicies>('/my/policies', undefined, signal),
  });
}

export async function listPublic(query: QueryParams, signal?: AbortSignal) {
  return api.get<Paged<PolicyItem>>('/api/public/policies', query, signal);
}

/** `[...]`, `{ items: [...] }` or another named array field → the array. */
export function listOf<T>(body: unknown, fields: string[] = ['items']): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === 'object') {
    for (const f of fields) {
      const v = (body as Record<string, unknown>)[f];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

/** A localized catalogue text ({ 'zh-CN', en } or a plain string). */
export function textIn(value: Localized | string | undefined | null, lang: string): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  return lang === 'en' ? value.en : value['zh-CN'];
}

/** 元 amounts as "1,234.50 元" / "CNY 1,234.50". */
export function formatYuan(value: string | number | null | undefined, lang: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const digits = Number.isInteger(n) ? 0 : 2;
  const s = n.toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    minimumFractionDigits: digits,
    maximumFractionDigits: 2,
  });
  return lang === 'en' ? `CNY ${s}` : `${s} 元`;
}

/** Amounts in 万元 for large sums (budgets, totals). */
export function formatWan(value: string | number | null | undefined, lang: string): string {
  if (value === null || value === undefined || value === '') return '—';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const wan = (n / 10_000).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 2 });
  return lang === 'en' ? `CNY ${wan} 10k` : `${wan} 万元`;
}

/** The server's clause description as lines. */
export function descriptionLines(d: Clause['description']): string[] {
  if (!d) return [];
  if (!Array.isArray(d)) return d.split('\n').filter(Boolean);
  return d.map((l) => {
    if (typeof l === 'string') return l;
    const heading = /[:：]$/.test(l.text);
    return `${'\u3000'.repeat(l.depth)}${heading ? '' : '· '}${l.text}`;
  });
}

/** Decodes the server's search snippet (HTML-escaped text with hits in <mark>…</mark>) into parts. */
export function snippetParts(html: string): { text: string; hit: boolean }[] {
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&#x27;/g, "'")
      .replace(/&amp;/g, '&');
  return html.split(/<mark>(.*?)<\/mark>/s).map((text, i) => ({ text: decode(text), hit: i % 2 === 1 }));
}
