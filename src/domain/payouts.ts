/**
 * 免申即享 payouts and 快申 applications: pure state machines (issue #5; rules.md §8.1 and §8.3).
 *
 * Source: rules.md §8.3 "For ELIGIBLE + MIANSHEN, create a payout list → publicity (公示) → optional 意愿确认 →
 * payment → receipt. Always run the credit blacklist check before payout." and §8.1 (广州黄埔: 数据比对 → 意愿确认 →
 * 拨付到账). The review by the issuing department before publicity follows the issue text ("payout list → review by
 * the issuing department → publicity for N days with objections → intent confirmation where required → approval →
 * disbursement records → treasury export").
 *
 * A batch moves draft → reviewed → publicity → approving → disbursed (or cancelled before publicity). Payouts in a
 * batch are approved one by one while the batch is `approving`; an approval needs the enterprise's consent where
 * the clause asks for it; an upheld objection removes a payout.
 */
import { addCalendarDays, DEFAULT_CALENDAR, type HolidayCalendar, isWorkingDay } from './assistance/deadlines.ts';

export const BATCH_STATUSES = ['draft', 'reviewed', 'publicity', 'approving', 'disbursed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const BATCH_ACTIONS = ['review', 'publish', 'close_publicity', 'cancel'] as const;
export type BatchAction = (typeof BATCH_ACTIONS)[number];

export const PAYOUT_STATUSES = ['pending', 'approved', 'paid', 'failed', 'removed', 'declined', 'excluded'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];

export type Consent = 'not_needed' | 'pending' | 'accepted' | 'declined';

const BATCH_MOVES: Record<BatchAction, { from: readonly BatchStatus[]; to: BatchStatus }> = {
  review: { from: ['draft'], to: 'reviewed' },
  publish: { from: ['reviewed'], to: 'publicity' },
  close_publicity: { from: ['publicity'], to: 'approving' },
  cancel: { from: ['draft', 'reviewed'], to: 'cancelled' },
};

export type Refusal = { ok: false; reason: string };
export type Verdict<T> = { ok: true; value: T } | Refusal;

/**
 * The next batch status for an action, or why not. `publicityEndsOn` and `today` are ISO dates; the publicity
 * period cannot be closed before it ends, nor while an objection is open.
 */
export function batchTransition(
  status: BatchStatus,
  action: BatchAction,
  ctx: { today: string; publicityEndsOn?: string | null; openObjections?: number } = { today: '' },
): Verdict<BatchStatus> {
  const move = BATCH_MOVES[action];
  if (!move.from.includes(status)) return { ok: false, reason: 'illegal_transition' };
  if (action === 'close_publicity') {
    if (ctx.publicityEndsOn && ctx.today < ctx.publicityEndsOn) return { ok: false, reason: 'publicity_running' };
    if ((ctx.openObjections ?? 0) > 0) return { ok: false, reason: 'objections_open' };
  }
  return { ok: true, value: move.to };
}

/** How a publicity period (公示期) is counted: calendar days, or working days (weekends and holidays skipped). */
export const PUBLICITY_DAY_MODES = ['calendar', 'working'] as const;
export type PublicityDayMode = (typeof PUBLICITY_DAY_MODES)[number];

/**
 * Publicity end date (公示期 N 天 / N 个工作日), the start day counted as day 1 (decision 0016).
 *
 * - `calendar`: the (N−1)-th calendar day after the start.
 * - `working`: the N-th working day counted from the start (the start itself when it is a working day; a period
 *   started on a weekend or holiday begins on the next working day), with the State Council holiday calendar and its
 *   adjusted working days (`src/domain/assistance/deadlines.ts`, the one the 13710 deadlines use). Source: rules.md
 *   §5.3 (Zhengzhou park recognition, process): "online publicity (5 working days, 2022-06-20 to 06-24)".
 *
 * N = 0 or 1 ends on the start day (calendar) or on the first working day (working).
 */
export function publicityEnd(
  startOn: string,
  days: number,
  mode: PublicityDayMode = 'calendar',
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): string {
  if (mode === 'calendar') return addCalendarDays(startOn, Math.max(0, days - 1));
  let d = startOn;
  while (!isWorkingDay(d, cal)) d = addCalendarDays(d, 1);
  for (let left = Math.max(1, days) - 1; left > 0; ) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d, cal)) left--;
  }
  return d;
}

/** Whether an objection may be filed against a payout now (only during publicity, only on a live payout). */
export function canObject(batch: BatchStatus, payout: PayoutStatus): Verdict<true> {
  if (batch !== 'publicity') return { ok: false, reason: 'not_in_publicity' };
  if (payout !== 'pending') return { ok: false, reason: 'payout_not_pending' };
  return { ok: true, value: true };
}

/** The enterprise's intent confirmation (意愿确认): during publicity or approval, while the payout is pending. */
export function canConfirm(batch: BatchStatus, payout: PayoutStatus, consent: Consent): Verdict<Consent> {
  if (batch !== 'publicity' && batch !== 'approving') return { ok: false, reason: 'not_confirmable' };
  if (payout !== 'pending') return { ok: false, reason: 'payout_not_pending' };
  if (consent === 'not_needed') return { ok: false, reason: 'consent_not_needed' };
  if (consent !== 'pending') return { ok: false, reason: 'already_confirmed' };
  return { ok: true, value: consent };
}

/** Approval of one payout: the batch must be past publicity, the payout pending and consent given if needed. */
export function canApprove(batch: BatchStatus, payout: PayoutStatus, consent: Consent): Verdict<'approved'> {
  if (batch !== 'approving') return { ok: false, reason: 'batch_not_approving' };
  if (payout !== 'pending') return { ok: false, reason: 'payout_not_pending' };
  if (consent === 'pending') return { ok: false, reason: 'consent_required' };
  if (consent === 'declined') return { ok: false, reason: 'consent_declined' };
  return { ok: true, value: 'approved' };
}

/**
 * Disbursement: the batch must be approving, hold at least one approved payout, and no payout may still be
 * pending (issue #18: a batch recorded as 已拨付 kept 14 payouts pending for ever). Undecided payouts are approved
 * or removed with a reason first.
 */
export function canDisburse(batch: BatchStatus, approvedCount: number, pendingCount = 0): Verdict<'disbursed'> {
  if (batch !== 'approving') return { ok: false, reason: 'batch_not_approving' };
  if (pendingCount > 0) return { ok: false, reason: 'payouts_undecided' };
  if (approvedCount === 0) return { ok: false, reason: 'nothing_approved' };
  return { ok: true, value: 'disbursed' };
}

/**
 * Removing one payout from a batch (移出清单, with a reason): while the batch is prepared (draft, reviewed) or in
 * approval, and only a pending payout. During publicity a payout leaves the list only by an upheld objection, so the
 * list the public saw stays the list that is decided.
 */
export function canRemovePayout(batch: BatchStatus, payout: PayoutStatus): Verdict<'removed'> {
  if (batch !== 'draft' && batch !== 'reviewed' && batch !== 'approving') return { ok: false, reason: 'not_removable' };
  if (payout !== 'pending') return { ok: false, reason: 'payout_not_pending' };
  return { ok: true, value: 'removed' };
}

/**
 * The shortest publicity a batch may have (issue #18; rules.md §5.3 "online publicity (5 working days)"): the
 * period of `days` in `mode` starting on `startOn` must last at least until the `minWorkingDays`-th working day.
 * The minimum is a setting (default 5 working days, decision 0016).
 */
export function publicityLongEnough(
  startOn: string,
  days: number,
  mode: PublicityDayMode,
  minWorkingDays: number,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
): boolean {
  if (minWorkingDays <= 0) return true;
  if (days <= 0) return false;
  return publicityEnd(startOn, days, mode, cal) >= publicityEnd(startOn, minWorkingDays, 'working', cal);
}

/**
 * Publicising a batch commits the policy to its list: the list's total (pending payouts, in 分) plus what earlier
 * batches committed must fit the cap (issue #18: a batch was publicised over its budget with no warning).
 */
export function batchFitsBudget(capFen: number | null, committedFen: number, listFen: number): boolean {
  return fitsBudget(capFen, committedFen, listFen);
}

/**
 * Budget check (the cap is never exceeded): amounts in 分 (integers) so the comparison is exact. The server
 * performs the same check atomically in SQL (UPDATE … WHERE committed + amount <= cap); this is the rule.
 */
export function fitsBudget(capFen: number | null, committedFen: number, amountFen: number): boolean {
  return capFen === null || committedFen + amountFen <= capFen;
}

/**
 * Who gets paid, from the eligible matches of one policy (rules.md §8.3: oncePerEnterprise, stackingGroup 从高不重复,
 * credit blacklist before payout). Per enterprise: clauses of one stacking group pay only the highest amount;
 * a once-per-enterprise clause already paid to the firm is skipped; blacklisted firms are excluded with a reason.
 */
export interface PayoutCandidate {
  enterpriseId: string;
  clauseId: string;
  amountFen: number;
  stackingGroup?: string | null;
  oncePerEnterprise?: boolean;
  blacklisted?: boolean | null;
}
export interface PayoutSelection {
  pay: PayoutCandidate[];
  excluded: (PayoutCandidate & { reason: 'credit_blacklisted' | 'stacking' | 'already_paid' | 'zero_amount' })[];
}

export function selectPayouts(candidates: PayoutCandidate[], alreadyPaid: ReadonlySet<string>): PayoutSelection {
  const out: PayoutSelection = { pay: [], excluded: [] };
  const byEnterprise = new Map<string, PayoutCandidate[]>();
  for (const c of candidates) byEnterprise.set(c.enterpriseId, [...(byEnterprise.get(c.enterpriseId) ?? []), c]);
  for (const list of byEnterprise.values()) {
    const best = new Map<string, PayoutCandidate>();
    for (const c of list) {
      if (c.blacklisted === true) {
        out.excluded.push({ ...c, reason: 'credit_blacklisted' });
        continue;
      }
      if (c.oncePerEnterprise && alreadyPaid.has(`${c.enterpriseId}:${c.clauseId}`)) {
        out.excluded.push({ ...c, reason: 'already_paid' });
        continue;
      }
      if (c.amountFen <= 0) {
        out.excluded.push({ ...c, reason: 'zero_amount' });
        continue;
      }
      const group = c.stackingGroup ? `g:${c.stackingGroup}` : `c:${c.clauseId}`;
      const prior = best.get(group);
      if (!prior) best.set(group, c);
      else if (c.amountFen > prior.amountFen || (c.amountFen === prior.amountFen && c.clauseId < prior.clauseId)) {
        out.excluded.push({ ...prior, reason: 'stacking' });
        best.set(group, c);
      } else out.excluded.push({ ...c, reason: 'stacking' });
    }
    out.pay.push(...best.values());
  }
  return out;
}

/** 快申 application decisions: submitted → approved | rejected | returned; a returned one may be resubmitted. */
export const APPLICATION_STATUSES = ['submitted', 'approved', 'rejected', 'returned'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export type ApplicationDecision = 'approved' | 'rejected' | 'returned';

export function decideApplication(
  status: ApplicationStatus,
  decision: ApplicationDecision,
): Verdict<ApplicationStatus> {
  if (status !== 'submitted') return { ok: false, reason: 'illegal_transition' };
  return { ok: true, value: decision };
}

/** 元 (decimal string or number) to 分 (integer), exact for 2-place decimals. */
export function yuanToFen(yuan: string | number): number {
  const s = typeof yuan === 'number' ? yuan.toFixed(2) : yuan;
  const neg = s.startsWith('-');
  const [i, f = ''] = (neg ? s.slice(1) : s).split('.');
  const fen = Number(i) * 100 + Number(`${f}00`.slice(0, 2));
  return neg ? -fen : fen;
}

export function fenToYuan(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  return `${neg ? '-' : ''}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
