/**
 * Policy library rules, pure (issue #5). Sources: ../shared/domain/rules.md §8.1 (免申即享 / 快申快享 channels),
 * §8.3 (the recommended policy data model: level 国/省/市/区, channel, clause benefit types) and the
 * decisions in docs/decisions/0012-policies.md (the status machine and who may take which step).
 */

/** Issuing level (rules.md §8.3: 国/省/市/区). */
export const POLICY_LEVELS = ['national', 'provincial', 'municipal', 'district'] as const;
export type PolicyLevel = (typeof POLICY_LEVELS)[number];

/**
 * Channel (rules.md §8.1): 免申即享 when scope, review standard and comparison data are all clear; otherwise
 * 快申快享 (simplified application, payout ≤ 60 working days); `ordinary` for a normal application.
 */
export const POLICY_CHANNELS = ['mianshen', 'kuaishen', 'ordinary'] as const;
export type PolicyChannel = (typeof POLICY_CHANNELS)[number];

/** Clause benefit types (rules.md §8.3: SUBSIDY | REWARD | REFUND | TAX | QUALIFICATION). */
export const BENEFIT_TYPES = ['subsidy', 'reward', 'refund', 'tax', 'qualification'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/** Which year's facts a clause reads: 上年度 (the previous calendar year, the usual case) or the current one. */
export const FACTS_YEARS = ['previous', 'current'] as const;
export type FactsYear = (typeof FACTS_YEARS)[number];

/**
 * Status machine (decision 0012): draft → review → approved → published → expired, with
 * reject (review → draft), withdraw (review → draft by the author; published → withdrawn: 废止/撤回 before expiry).
 */
export const POLICY_STATUSES = ['draft', 'review', 'approved', 'published', 'expired', 'withdrawn'] as const;
export type PolicyStatus = (typeof POLICY_STATUSES)[number];

export const POLICY_ACTIONS = ['submit', 'approve', 'reject', 'publish', 'expire', 'withdraw'] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export const STATUS_LABELS: Record<PolicyStatus, { 'zh-CN': string; en: string }> = {
  draft: { 'zh-CN': '草稿', en: 'draft' },
  review: { 'zh-CN': '审核中', en: 'under review' },
  approved: { 'zh-CN': '审核通过待发布', en: 'approved' },
  published: { 'zh-CN': '已发布', en: 'published' },
  expired: { 'zh-CN': '已失效', en: 'expired' },
  withdrawn: { 'zh-CN': '已撤回', en: 'withdrawn' },
};

export const ACTION_LABELS: Record<PolicyAction, { 'zh-CN': string; en: string }> = {
  submit: { 'zh-CN': '提交审核', en: 'submit' },
  approve: { 'zh-CN': '审核通过', en: 'approve' },
  reject: { 'zh-CN': '退回修改', en: 'reject' },
  publish: { 'zh-CN': '发布', en: 'publish' },
  expire: { 'zh-CN': '设为失效', en: 'expire' },
  withdraw: { 'zh-CN': '撤回', en: 'withdraw' },
};

/** Who may take a step: the author side (policies:manage) or the reviewing side (policies:review). */
export type ActionSide = 'manage' | 'review';

interface Step {
  from: PolicyStatus;
  action: PolicyAction;
  to: PolicyStatus;
  side: ActionSide;
  /** A reason must be given (reject, withdraw of a published policy). */
  needsReason: boolean;
}

export const POLICY_STEPS: readonly Step[] = [
  { from: 'draft', action: 'submit', to: 'review', side: 'manage', needsReason: false },
  { from: 'review', action: 'approve', to: 'approved', side: 'review', needsReason: false },
  { from: 'review', action: 'reject', to: 'draft', side: 'review', needsReason: true },
  { from: 'review', action: 'withdraw', to: 'draft', side: 'manage', needsReason: false },
  { from: 'approved', action: 'reject', to: 'draft', side: 'review', needsReason: true },
  { from: 'approved', action: 'publish', to: 'published', side: 'review', needsReason: false },
  { from: 'published', action: 'expire', to: 'expired', side: 'review', needsReason: false },
  { from: 'published', action: 'withdraw', to: 'withdrawn', side: 'review', needsReason: true },
];

/** The step an action takes from a status, or null when the transition is not allowed. */
export function policyStep(from: PolicyStatus, action: PolicyAction): Step | null {
  return POLICY_STEPS.find((s) => s.from === from && s.action === action) ?? null;
}

/** Actions available from a status (for the UI's buttons). */
export function actionsFrom(from: PolicyStatus): PolicyAction[] {
  return POLICY_STEPS.filter((s) => s.from === from).map((s) => s.action);
}

/** Only drafts and policies under review may be edited; only drafts deleted. */
export const isEditable = (s: PolicyStatus) => s === 'draft' || s === 'review';
export const isDeletable = (s: PolicyStatus) => s === 'draft';
/** Statuses every business role (and the public page, for `published`) may see. */
export const PUBLIC_STATUSES: readonly PolicyStatus[] = ['published', 'expired'];

/**
 * Whether a published policy is past its expiry date on `today` (ISO dates compare as strings). A policy
 * without an expiry date does not expire by date.
 */
export function isPastExpiry(expiresOn: string | null, today: string): boolean {
  return !!expiresOn && expiresOn < today;
}

/** Whether the application window is open on `today` (open ends count as open). */
export function applicationOpen(applyFrom: string | null, applyTo: string | null, today: string): boolean {
  return (!applyFrom || applyFrom <= today) && (!applyTo || today <= applyTo);
}

/** The facts year a clause reads on `asOf`: 上年度 = asOf's year − 1 (rules.md §8.4 a "上年度"). */
export function factsYearOf(factsYear: FactsYear, asOf: string): number {
  const y = Number(asOf.slice(0, 4));
  return factsYear === 'previous' ? y - 1 : y;
}
