import { describe, expect, it } from 'vitest';
import {
  BATCH_ACTIONS,
  BATCH_STATUSES,
  type BatchAction,
  type BatchStatus,
  batchFitsBudget,
  batchTransition,
  canApprove,
  canConfirm,
  canDisburse,
  canObject,
  canRemovePayout,
  decideApplication,
  fenToYuan,
  fitsBudget,
  PAYOUT_STATUSES,
  publicityEnd,
  publicityLongEnough,
  selectPayouts,
  yuanToFen,
} from '../src/domain/payouts.ts';

describe('payout batch state machine (rules.md §8.3)', () => {
  it('moves draft → reviewed → publicity → approving and refuses skips', () => {
    expect(batchTransition('draft', 'review')).toEqual({ ok: true, value: 'reviewed' });
    expect(batchTransition('reviewed', 'publish')).toEqual({ ok: true, value: 'publicity' });
    expect(batchTransition('draft', 'publish')).toEqual({ ok: false, reason: 'illegal_transition' });
    expect(batchTransition('publicity', 'cancel').ok).toBe(false);
    expect(batchTransition('disbursed', 'review').ok).toBe(false);
  });
  it('keeps publicity open until its end date and while objections are open', () => {
    const ctx = { today: '2026-03-05', publicityEndsOn: '2026-03-07', openObjections: 0 };
    expect(batchTransition('publicity', 'close_publicity', ctx)).toEqual({ ok: false, reason: 'publicity_running' });
    expect(batchTransition('publicity', 'close_publicity', { ...ctx, today: '2026-03-07' }).ok).toBe(true);
    expect(batchTransition('publicity', 'close_publicity', { ...ctx, today: '2026-03-08', openObjections: 1 })).toEqual(
      { ok: false, reason: 'objections_open' },
    );
  });
  it('computes the publicity end counting the first day', () => {
    expect(publicityEnd('2026-02-25', 7)).toBe('2026-03-03');
    expect(publicityEnd('2026-01-01', 1)).toBe('2026-01-01');
    expect(publicityEnd('2026-02-25', 7, 'calendar')).toBe('2026-03-03');
  });
  it('requires consent before approval where the clause asks for it', () => {
    expect(canApprove('approving', 'pending', 'pending')).toEqual({ ok: false, reason: 'consent_required' });
    expect(canApprove('approving', 'pending', 'declined').ok).toBe(false);
    expect(canApprove('approving', 'pending', 'accepted').ok).toBe(true);
    expect(canApprove('approving', 'pending', 'not_needed').ok).toBe(true);
    expect(canApprove('publicity', 'pending', 'not_needed')).toEqual({ ok: false, reason: 'batch_not_approving' });
    expect(canApprove('approving', 'removed', 'not_needed').ok).toBe(false);
  });
  it('allows objections only during publicity and confirmations once', () => {
    expect(canObject('publicity', 'pending').ok).toBe(true);
    expect(canObject('approving', 'pending').ok).toBe(false);
    expect(canConfirm('publicity', 'pending', 'pending').ok).toBe(true);
    expect(canConfirm('publicity', 'pending', 'accepted')).toEqual({ ok: false, reason: 'already_confirmed' });
    expect(canConfirm('draft', 'pending', 'pending').ok).toBe(false);
    expect(canDisburse('approving', 0).ok).toBe(false);
    expect(canDisburse('approving', 3).ok).toBe(true);
  });
});

describe('payout selection', () => {
  it('excludes blacklisted firms, keeps the highest of a stacking group (从高不重复) and pays once', () => {
    const sel = selectPayouts(
      [
        { enterpriseId: 'a', clauseId: 'c1', amountFen: 100, stackingGroup: 'g' },
        { enterpriseId: 'a', clauseId: 'c2', amountFen: 300, stackingGroup: 'g' },
        { enterpriseId: 'a', clauseId: 'c3', amountFen: 50 },
        { enterpriseId: 'b', clauseId: 'c1', amountFen: 100, blacklisted: true },
        { enterpriseId: 'c', clauseId: 'c1', amountFen: 100, oncePerEnterprise: true },
        { enterpriseId: 'd', clauseId: 'c1', amountFen: 0 },
      ],
      new Set(['c:c1']),
    );
    expect(sel.pay.map((p) => `${p.enterpriseId}:${p.clauseId}`).sort()).toEqual(['a:c2', 'a:c3']);
    const reasons = Object.fromEntries(sel.excluded.map((e) => [`${e.enterpriseId}:${e.clauseId}`, e.reason]));
    expect(reasons).toEqual({
      'a:c1': 'stacking',
      'b:c1': 'credit_blacklisted',
      'c:c1': 'already_paid',
      'd:c1': 'zero_amount',
    });
  });
  it('checks the budget exactly in 分', () => {
    expect(yuanToFen('12345.60')).toBe(1_234_560);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(fenToYuan(1_234_560)).toBe('12345.60');
    expect(fitsBudget(1000, 900, 100)).toBe(true);
    expect(fitsBudget(1000, 901, 100)).toBe(false);
    expect(fitsBudget(null, 1e12, 1)).toBe(true);
  });
  it('decides a submitted application once', () => {
    expect(decideApplication('submitted', 'returned')).toEqual({ ok: true, value: 'returned' });
    expect(decideApplication('approved', 'rejected').ok).toBe(false);
  });
});

describe('publicity in working days (decision 0016)', () => {
  it("rules.md §5.3's case: 5 working days from Monday 2022-06-20 end on Friday 2022-06-24", () => {
    expect(publicityEnd('2022-06-20', 5, 'working')).toBe('2022-06-24');
    // the same period in calendar days would end on Friday too; 7 calendar days would not
    expect(publicityEnd('2022-06-20', 7, 'working')).toBe('2022-06-28');
    expect(publicityEnd('2022-06-20', 7, 'calendar')).toBe('2022-06-26');
  });

  it('skips weekends and holidays and counts the adjusted working days (2025 National Day)', () => {
    // Fri 09-26 (1), Sun 09-28 adjusted working day (2), 09-29 (3), 09-30 (4), 10-01…10-08 off, Thu 10-09 (5),
    // Fri 10-10 (6), Sat 10-11 adjusted working day (7), Mon 10-13 (8)
    expect(publicityEnd('2025-09-26', 5, 'working')).toBe('2025-10-09');
    expect(publicityEnd('2025-09-26', 7, 'working')).toBe('2025-10-11');
    expect(publicityEnd('2025-09-26', 8, 'working')).toBe('2025-10-13');
  });

  it('a period started on a weekend or holiday begins on the next working day; 0 or 1 day ends there', () => {
    expect(publicityEnd('2026-10-03', 1, 'working')).toBe('2026-10-08');
    expect(publicityEnd('2026-10-03', 0, 'working')).toBe('2026-10-08');
    expect(publicityEnd('2026-12-05', 5, 'working')).toBe('2026-12-11'); // Saturday → Mon 12-07 … Fri 12-11
    expect(publicityEnd('2026-12-07', 1, 'working')).toBe('2026-12-07');
  });
});

describe('the whole payout state table (issue #18)', () => {
  // Every batch status × batch action: the one legal move of each action, everything else refused.
  const expected: Record<BatchStatus, Record<BatchAction, BatchStatus | null>> = {
    draft: { review: 'reviewed', publish: null, close_publicity: null, cancel: 'cancelled' },
    reviewed: { review: null, publish: 'publicity', close_publicity: null, cancel: 'cancelled' },
    publicity: { review: null, publish: null, close_publicity: 'approving', cancel: null },
    approving: { review: null, publish: null, close_publicity: null, cancel: null },
    disbursed: { review: null, publish: null, close_publicity: null, cancel: null },
    cancelled: { review: null, publish: null, close_publicity: null, cancel: null },
  };
  const pairs = BATCH_STATUSES.flatMap((s) => BATCH_ACTIONS.map((a) => [s, a] as const));

  it('covers all 24 status × action pairs', () => {
    expect(pairs.length).toBe(24);
    for (const [status, action] of pairs) {
      const v = batchTransition(status, action, {
        today: '2026-06-30',
        publicityEndsOn: '2026-06-24',
        openObjections: 0,
      });
      const want = expected[status][action];
      if (want === null) expect(v, `${status} × ${action}`).toEqual({ ok: false, reason: 'illegal_transition' });
      else expect(v, `${status} × ${action}`).toEqual({ ok: true, value: want });
    }
  });

  it('removes a pending payout while the batch is prepared or in approval, never during publicity or after', () => {
    const removable: BatchStatus[] = ['draft', 'reviewed', 'approving'];
    for (const batch of BATCH_STATUSES)
      for (const payout of PAYOUT_STATUSES) {
        const v = canRemovePayout(batch, payout);
        const ok = removable.includes(batch) && payout === 'pending';
        expect(v.ok, `${batch} × ${payout}`).toBe(ok);
        if (!v.ok) expect(v.reason).toBe(removable.includes(batch) ? 'payout_not_pending' : 'not_removable');
      }
  });

  it('refuses a disbursement while any payout is undecided, or with nothing approved', () => {
    expect(canDisburse('approving', 3, 14)).toEqual({ ok: false, reason: 'payouts_undecided' });
    expect(canDisburse('approving', 0, 0)).toEqual({ ok: false, reason: 'nothing_approved' });
    expect(canDisburse('approving', 3, 0)).toEqual({ ok: true, value: 'disbursed' });
    for (const s of BATCH_STATUSES.filter((x) => x !== 'approving'))
      expect(canDisburse(s, 3, 0)).toEqual({ ok: false, reason: 'batch_not_approving' });
  });

  it('publicity must last at least the minimum working days (default 5; 0 days is never enough)', () => {
    // Monday 2022-06-20: 5 working days end Friday 06-24 (rules.md §5.3)
    expect(publicityLongEnough('2022-06-20', 5, 'working', 5)).toBe(true);
    expect(publicityLongEnough('2022-06-20', 4, 'working', 5)).toBe(false);
    expect(publicityLongEnough('2022-06-20', 5, 'calendar', 5)).toBe(true); // Mon–Fri
    // started on a Wednesday, 5 calendar days end on Sunday: only 3 working days
    expect(publicityLongEnough('2022-06-22', 5, 'calendar', 5)).toBe(false);
    expect(publicityLongEnough('2022-06-22', 7, 'calendar', 5)).toBe(true); // ends Tuesday 06-28
    expect(publicityLongEnough('2022-06-20', 0, 'calendar', 5)).toBe(false);
    expect(publicityLongEnough('2022-06-20', 0, 'calendar', 0)).toBe(true); // minimum switched off
  });

  it("a batch's list must fit what is left of the cap, in 分", () => {
    expect(batchFitsBudget(100_000, 60_000, 40_000)).toBe(true);
    expect(batchFitsBudget(100_000, 60_000, 40_001)).toBe(false);
    expect(batchFitsBudget(null, 10 ** 12, 10 ** 12)).toBe(true);
  });
});
