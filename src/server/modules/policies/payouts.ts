/**
 * 免申即享 payouts (issue #5; rules.md §8.1/§8.3): payout list from the eligible matches after the credit
 * blacklist check → review → publicity with objections → intent confirmation → approval against the budget cap
 * (atomic) → disbursement records → treasury export. State rules live in src/domain/payouts.ts.
 */
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import {
  type BatchAction,
  type BatchStatus,
  batchFitsBudget,
  batchTransition,
  canApprove,
  canConfirm,
  canDisburse,
  canObject,
  canRemovePayout,
  fenToYuan,
  publicityEnd,
  publicityLongEnough,
  selectPayouts,
  yuanToFen,
} from '../../../domain/payouts.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  enterpriseFacts,
  enterprises,
  payoutBatches,
  payoutObjections,
  payouts,
  policies,
  policyBudgets,
  policyClauses,
  policyMatches,
  settings,
} from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { type Scope, scopeWhere } from '../../platform/scope.ts';
import { recipientsFor } from '../identity/service.ts';
import { evaluateClause, policyManageWhere, recordVisible } from './matching.ts';

const REASONS: Record<string, [string, string]> = {
  illegal_transition: [
    '批次当前状态不允许该步骤（须按 草稿→审核→公示→审批→拨付 顺序）',
    'the batch cannot take this step from its status (draft → reviewed → publicity → approving → disbursed)',
  ],
  publicity_running: ['公示期尚未结束', 'the publicity period has not ended'],
  objections_open: ['还有未处理的异议', 'objections are still open'],
  not_in_publicity: ['只能在公示期内提出异议', 'objections can only be filed during publicity'],
  payout_not_pending: [
    '该笔拨付已处理（已批准、已移除或已拒绝）',
    'this payout was already handled (approved, removed or declined)',
  ],
  not_confirmable: ['只能在公示或审批阶段确认意愿', 'intent can be confirmed only during publicity or approval'],
  consent_not_needed: ['该条款无需意愿确认', 'this clause needs no intent confirmation'],
  already_confirmed: ['已确认过意愿', 'intent was already confirmed'],
  batch_not_approving: [
    '批次尚未进入审批阶段（须先结束公示）',
    'the batch is not in approval yet (close publicity first)',
  ],
  consent_declined: ['企业已放弃该笔资金', 'the enterprise declined this payout'],
  nothing_approved: ['批次中没有已批准的拨付', 'the batch holds no approved payout'],
  objection_decided: ['该异议已处理', 'the objection was already decided'],
  payouts_undecided: [
    '批次中还有待处理的拨付：请逐笔批准，或填写原因移出清单后再登记拨付',
    'payouts in the batch are still pending: approve them, or remove them with a reason, before recording the disbursement',
  ],
  not_removable: [
    '只能在草稿、已审核或审批阶段移出（公示期内须通过异议处理）',
    'payouts can be removed only while the batch is a draft, reviewed or in approval (during publicity, by an upheld objection)',
  ],
};

// ——— payout settings (issue #18): the shortest publicity, a setting of the city administrators ———

export const payoutSettingsSchema = z
  .object({
    /** The publicity of a batch lasts at least this many working days (rules.md §5.3: 5 working days). 0 = off. */
    minPublicityWorkingDays: z.number().int().min(0).max(30),
  })
  .strict();
export type PayoutSettings = z.infer<typeof payoutSettingsSchema>;
export const DEFAULT_PAYOUT_SETTINGS: PayoutSettings = { minPublicityWorkingDays: 5 };
const PAYOUT_SETTINGS_KEY = 'policies:payouts';

export async function payoutSettings(ex: Executor): Promise<PayoutSettings> {
  const [row] = await ex.select().from(settings).where(eq(settings.key, PAYOUT_SETTINGS_KEY));
  const parsed = payoutSettingsSchema.partial().safeParse(row?.value ?? {});
  return { ...DEFAULT_PAYOUT_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function savePayoutSettings(tx: Tx, deps: AppDeps, actor: Actor, value: PayoutSettings) {
  const before = await payoutSettings(tx);
  await tx
    .insert(settings)
    .values({ key: PAYOUT_SETTINGS_KEY, value, updatedBy: actor.userId })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedBy: actor.userId, updatedAt: new Date() } });
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.settings',
    entity: 'settings',
    entityId: PAYOUT_SETTINGS_KEY,
    summary: { before, after: value },
  });
  return value;
}

export function stateError(reason: string) {
  if (reason === 'consent_required') return new AppError('CONSENT_REQUIRED');
  const [zh, en] = REASONS[reason] ?? [reason, reason];
  return new AppError('PAYOUT_STATE_INVALID', { reasonZh: zh, reasonEn: en }, { reason });
}

async function policyInScope(ex: Executor, scope: Scope, policyId: string) {
  const [p] = await ex
    .select()
    .from(policies)
    .where(and(eq(policies.id, policyId), policyManageWhere(scope)));
  if (!p) throw new AppError('NOT_FOUND');
  return p;
}

/** Creates a draft batch from the current ELIGIBLE matches (blacklist, stacking and once-per-enterprise applied). */
export async function generateBatch(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, policyId: string, asOf: string) {
  const policy = await policyInScope(tx, scope, policyId);
  if (policy.channel !== 'mianshen' || policy.status !== 'published') throw new AppError('POLICY_NOT_MIANSHEN');
  await tx.execute(sql`select id from policies where id = ${policyId} for update`);
  const clauses = await tx.select().from(policyClauses).where(eq(policyClauses.policyId, policyId));
  const byClause = new Map(clauses.map((c) => [c.id, c]));
  const matches = await tx
    .select({
      enterpriseId: policyMatches.enterpriseId,
      clauseId: policyMatches.clauseId,
      amountYuan: policyMatches.amountYuan,
      factsYear: policyMatches.factsYear,
      regionCode: enterprises.regionCode,
      orgId: enterprises.orgId,
      name: enterprises.name,
      blacklisted: sql<string | null>`(select f.facts->>'credit_blacklisted' from enterprise_facts f
        where f.enterprise_id = ${policyMatches.enterpriseId} and f.year = ${policyMatches.factsYear})`,
    })
    .from(policyMatches)
    .innerJoin(enterprises, eq(enterprises.id, policyMatches.enterpriseId))
    .where(and(eq(policyMatches.policyId, policyId), eq(policyMatches.result, 'eligible')));
  const live = await tx
    .select({ enterpriseId: payouts.enterpriseId, clauseId: payouts.clauseId, status: payouts.status })
    .from(payouts)
    .innerJoin(payoutBatches, eq(payoutBatches.id, payouts.batchId))
    .where(
      and(
        eq(payouts.policyId, policyId),
        inArray(payouts.status, ['pending', 'approved', 'paid']),
        sql`${payoutBatches.status} <> 'cancelled'`,
      ),
    );
  const info = new Map(matches.map((m) => [`${m.enterpriseId}:${m.clauseId}`, m]));
  const sel = selectPayouts(
    matches
      .filter((m) => byClause.has(m.clauseId))
      .map((m) => ({
        enterpriseId: m.enterpriseId,
        clauseId: m.clauseId,
        amountFen: m.amountYuan === null ? 0 : yuanToFen(m.amountYuan),
        stackingGroup: byClause.get(m.clauseId)!.stackingGroup,
        // a payout pending or approved in a live batch is never listed twice; paid ones only for once-per-firm clauses
        oncePerEnterprise: true,
        blacklisted: m.blacklisted === 'true',
      })),
    new Set(
      live
        .filter((l) => l.status !== 'paid' || byClause.get(l.clauseId)?.oncePerEnterprise !== false)
        .map((l) => `${l.enterpriseId}:${l.clauseId}`),
    ),
  );
  const [{ n } = { n: 0 }] = await tx
    .select({ n: sql<number>`coalesce(max(${payoutBatches.number}), 0)::int` })
    .from(payoutBatches)
    .where(eq(payoutBatches.policyId, policyId));
  const [batch] = await tx
    .insert(payoutBatches)
    .values({
      policyId,
      number: n + 1,
      regionCode: policy.regionCode,
      publicityDays: policy.publicityDays,
      publicityDayMode: policy.publicityDayMode,
      excluded: sel.excluded.map((e) => ({
        enterpriseId: e.enterpriseId,
        enterpriseName: info.get(`${e.enterpriseId}:${e.clauseId}`)?.name ?? '',
        clauseId: e.clauseId,
        reason: e.reason,
      })),
      createdBy: actor.userId,
    })
    .returning();
  const rows = [];
  for (const p of sel.pay) {
    const m = info.get(`${p.enterpriseId}:${p.clauseId}`)!;
    const clause = byClause.get(p.clauseId)!;
    const [f] = await tx
      .select()
      .from(enterpriseFacts)
      .where(and(eq(enterpriseFacts.enterpriseId, p.enterpriseId), eq(enterpriseFacts.year, m.factsYear ?? 0)));
    const ev = evaluateClause(clause, f ?? null, asOf);
    rows.push({
      batchId: batch!.id,
      policyId,
      clauseId: p.clauseId,
      enterpriseId: p.enterpriseId,
      regionCode: m.regionCode,
      orgId: m.orgId,
      amountYuan: fenToYuan(p.amountFen),
      consent: clause.needsConsent ? ('pending' as const) : ('not_needed' as const),
      trace: { factsYear: m.factsYear, result: ev.result, trace: ev.trace },
    });
  }
  for (let i = 0; i < rows.length; i += 500) await tx.insert(payouts).values(rows.slice(i, i + 500));
  await deps.audit.write(tx, actor, {
    action: 'policies.payout-batch.generate',
    entity: 'payout_batch',
    entityId: batch!.id,
    regionCode: policy.regionCode,
    summary: { policyId, number: batch!.number, payouts: rows.length, excluded: sel.excluded.length },
  });
  return { id: batch!.id, number: batch!.number, payouts: rows.length, excluded: sel.excluded.length };
}

async function lockBatch(tx: Tx, scope: Scope, batchId: string) {
  const res = await tx.execute(sql`select id from payout_batches where id = ${batchId} for update`);
  if ((res as unknown as { rows: unknown[] }).rows.length === 0) throw new AppError('NOT_FOUND');
  const [row] = await tx
    .select({ b: payoutBatches, issuerOrgId: policies.issuerOrgId })
    .from(payoutBatches)
    .innerJoin(policies, eq(policies.id, payoutBatches.policyId))
    .where(eq(payoutBatches.id, batchId));
  if (!row || !recordVisible(scope, row.b.regionCode, [row.issuerOrgId])) throw new AppError('NOT_FOUND');
  return row.b;
}

/**
 * Maker–checker on money (decision 0020): the batch's author (who generated it) and its submitter (who reviewed
 * it into publicity) prepare; approving a payout and recording the disbursement need another official. The
 * system actor (seed, jobs) is not checked.
 */
export function checkBatchChecker(
  actor: Actor,
  b: { createdBy: string | null; reviewedBy: string | null },
  stepZh: string,
  stepEn: string,
) {
  if (!actor.userId) return;
  if (actor.userId === b.createdBy || actor.userId === b.reviewedBy)
    throw new AppError(
      'SAME_PERSON_APPROVAL',
      { stepZh, stepEn },
      { createdBy: b.createdBy, reviewedBy: b.reviewedBy },
    );
}

export async function transitionBatch(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  batchId: string,
  action: BatchAction,
  today: string,
) {
  const b = await lockBatch(tx, scope, batchId);
  const [open] = await tx
    .select({ n: count() })
    .from(payoutObjections)
    .innerJoin(payouts, eq(payouts.id, payoutObjections.payoutId))
    .where(and(eq(payouts.batchId, batchId), eq(payoutObjections.status, 'open')));
  const v = batchTransition(b.status, action, {
    today,
    publicityEndsOn: b.publicityEndsOn,
    openObjections: open?.n ?? 0,
  });
  if (!v.ok) throw stateError(v.reason);
  if (action === 'publish') {
    // The publicity must last the minimum (issue #18: a 0-day publicity was closed the day it started) …
    const { minPublicityWorkingDays } = await payoutSettings(tx);
    if (!publicityLongEnough(today, b.publicityDays, b.publicityDayMode, minPublicityWorkingDays))
      throw new AppError('PUBLICITY_TOO_SHORT', {
        days: b.publicityDays,
        min: minPublicityWorkingDays,
        until: publicityEnd(today, minPublicityWorkingDays, 'working'),
      });
    // … and the list must fit what is left of the policy's budget (it was publicised over budget with no warning).
    const [list] = await tx
      .select({ total: sql<string>`coalesce(sum(${payouts.amountYuan}), 0)::text` })
      .from(payouts)
      .where(and(eq(payouts.batchId, batchId), eq(payouts.status, 'pending')));
    const budget = await budgetOf(tx, b.policyId);
    const listFen = yuanToFen(list?.total ?? '0');
    if (
      budget.budgetCapYuan !== null &&
      !batchFitsBudget(yuanToFen(budget.budgetCapYuan), yuanToFen(budget.committedYuan), listFen)
    )
      throw new AppError('BATCH_OVER_BUDGET', {
        total: fenToYuan(listFen),
        remaining: budget.remainingYuan ?? '0',
        cap: budget.budgetCapYuan,
      });
  }
  const patch: Partial<typeof payoutBatches.$inferInsert> = { status: v.value, updatedAt: new Date() };
  if (action === 'review') Object.assign(patch, { reviewedBy: actor.userId, reviewedAt: new Date() });
  if (action === 'publish') {
    patch.publicityStartsOn = today;
    patch.publicityEndsOn = publicityEnd(today, b.publicityDays, b.publicityDayMode);
  }
  await tx.update(payoutBatches).set(patch).where(eq(payoutBatches.id, batchId));
  if (action === 'publish') await notifyBatch(tx, deps, batchId, 'publicity');
  await deps.audit.write(tx, actor, {
    action: `policies.payout-batch.${action}`,
    entity: 'payout_batch',
    entityId: batchId,
    regionCode: b.regionCode,
    summary: { from: b.status, to: v.value },
  });
  return { id: batchId, status: v.value as BatchStatus };
}

async function notifyBatch(tx: Tx, deps: AppDeps, batchId: string, kind: 'publicity' | 'paid') {
  const [b] = await tx
    .select({ title: policies.title, policyId: policies.id })
    .from(payoutBatches)
    .innerJoin(policies, eq(policies.id, payoutBatches.policyId))
    .where(eq(payoutBatches.id, batchId));
  const rows = await tx
    .select({ orgId: payouts.orgId, consent: payouts.consent, amount: payouts.amountYuan, id: payouts.id })
    .from(payouts)
    .where(and(eq(payouts.batchId, batchId), inArray(payouts.status, kind === 'paid' ? ['paid'] : ['pending'])));
  for (const r of rows) {
    if (!r.orgId) continue;
    const users = await recipientsFor(tx, { orgIds: [r.orgId], regionAdminsOf: [] });
    await deps.notifications.notify(
      tx,
      users.map((u) => u.id),
      kind === 'paid'
        ? {
            kind: 'policy.payout-paid',
            title: `「${b!.title}」资金 ${r.amount} 元已拨付`,
            link: '/my/payouts',
            entity: 'payout',
            entityId: r.id,
          }
        : {
            kind: 'policy.payout-publicity',
            title: `「${b!.title}」拨付名单公示：${r.amount} 元`,
            body: r.consent === 'pending' ? '请在“我的拨付”中确认是否接受（意愿确认）。' : '公示期内如有异议可提出。',
            link: '/my/payouts',
            entity: 'payout',
            entityId: r.id,
          },
    );
  }
}

async function lockPayout(tx: Tx, payoutId: string) {
  const res = await tx.execute(sql`select id from payouts where id = ${payoutId} for update`);
  if ((res as unknown as { rows: unknown[] }).rows.length === 0) throw new AppError('NOT_FOUND');
  const [row] = await tx
    .select({
      p: payouts,
      batchStatus: payoutBatches.status,
      batchRegion: payoutBatches.regionCode,
      batchCreatedBy: payoutBatches.createdBy,
      batchReviewedBy: payoutBatches.reviewedBy,
      issuerOrgId: policies.issuerOrgId,
    })
    .from(payouts)
    .innerJoin(payoutBatches, eq(payoutBatches.id, payouts.batchId))
    .innerJoin(policies, eq(policies.id, payouts.policyId))
    .where(eq(payouts.id, payoutId));
  return row!;
}

export async function fileObjection(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  payoutId: string,
  reason: string,
) {
  const { p, batchStatus, issuerOrgId } = await lockPayout(tx, payoutId);
  if (!recordVisible(scope, p.regionCode, [p.orgId, issuerOrgId])) throw new AppError('NOT_FOUND');
  const v = canObject(batchStatus, p.status);
  if (!v.ok) throw stateError(v.reason);
  const [o] = await tx.insert(payoutObjections).values({ payoutId, reason, filedBy: actor.userId }).returning();
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.object',
    entity: 'payout',
    entityId: payoutId,
    regionCode: p.regionCode,
    summary: { objectionId: o!.id },
  });
  return { id: o!.id, status: o!.status };
}

export async function decideObjection(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  objectionId: string,
  upheld: boolean,
  note: string,
) {
  const [o] = await tx.select().from(payoutObjections).where(eq(payoutObjections.id, objectionId));
  if (!o) throw new AppError('NOT_FOUND');
  const { p, batchRegion, issuerOrgId } = await lockPayout(tx, o.payoutId);
  if (!recordVisible(scope, batchRegion, [issuerOrgId])) throw new AppError('NOT_FOUND');
  if (o.status !== 'open') throw stateError('objection_decided');
  await tx
    .update(payoutObjections)
    .set({
      status: upheld ? 'upheld' : 'dismissed',
      decisionNote: note,
      decidedBy: actor.userId,
      decidedAt: new Date(),
    })
    .where(eq(payoutObjections.id, objectionId));
  if (upheld && p.status === 'pending') {
    await tx.update(payouts).set({ status: 'removed', removedReason: o.reason }).where(eq(payouts.id, p.id));
  }
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.objection-decide',
    entity: 'payout',
    entityId: p.id,
    regionCode: p.regionCode,
    summary: { objectionId, upheld },
  });
  return { id: objectionId, status: upheld ? 'upheld' : 'dismissed', payoutStatus: upheld ? 'removed' : p.status };
}

export async function confirmPayout(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  payoutId: string,
  body: { accept: boolean; bankAccountLast4?: string },
) {
  const { p, batchStatus } = await lockPayout(tx, payoutId);
  if (scope.kind !== 'org' || !p.orgId || p.orgId !== scope.orgId) throw new AppError('NOT_FOUND');
  const v = canConfirm(batchStatus, p.status, p.consent);
  if (!v.ok) throw stateError(v.reason);
  await tx
    .update(payouts)
    .set({
      consent: body.accept ? 'accepted' : 'declined',
      status: body.accept ? 'pending' : 'declined',
      bankAccountLast4: body.bankAccountLast4 ?? p.bankAccountLast4,
    })
    .where(eq(payouts.id, payoutId));
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.confirm',
    entity: 'payout',
    entityId: payoutId,
    regionCode: p.regionCode,
    summary: { accept: body.accept },
  });
  return { id: payoutId, consent: body.accept ? 'accepted' : 'declined' };
}

/**
 * Approves one payout. The budget check and the increment are ONE statement on the budget row
 * (UPDATE … SET committed = committed + amount WHERE committed + amount <= cap RETURNING): under concurrent
 * approvals PostgreSQL serialises on the row lock and re-checks the WHERE on the latest version, so the cap is
 * never exceeded.
 */
export async function approvePayout(tx: Tx, deps: AppDeps, actor: Actor, scope: Scope, payoutId: string) {
  const { p, batchStatus, batchRegion, issuerOrgId, batchCreatedBy, batchReviewedBy } = await lockPayout(tx, payoutId);
  if (!recordVisible(scope, batchRegion, [issuerOrgId])) throw new AppError('NOT_FOUND');
  const v = canApprove(batchStatus, p.status, p.consent);
  if (!v.ok) throw stateError(v.reason);
  checkBatchChecker(actor, { createdBy: batchCreatedBy, reviewedBy: batchReviewedBy }, '批准拨付', 'approve it');
  const [policy] = await tx.select({ cap: policies.budgetCapYuan }).from(policies).where(eq(policies.id, p.policyId));
  const cap = policy?.cap ?? null;
  await tx.insert(policyBudgets).values({ policyId: p.policyId, capYuan: cap }).onConflictDoNothing();
  const updated = await tx.execute(sql`
    update policy_budgets
       set committed_yuan = committed_yuan + ${p.amountYuan}::numeric, cap_yuan = ${cap}::numeric, updated_at = now()
     where policy_id = ${p.policyId}
       and (${cap}::numeric is null or committed_yuan + ${p.amountYuan}::numeric <= ${cap}::numeric)
     returning committed_yuan`);
  if ((updated as unknown as { rows: unknown[] }).rows.length === 0) {
    const [b] = await tx.select().from(policyBudgets).where(eq(policyBudgets.policyId, p.policyId));
    throw new AppError('BUDGET_EXCEEDED', { cap, committed: b?.committedYuan ?? '0', amount: p.amountYuan });
  }
  await tx
    .update(payouts)
    .set({ status: 'approved', approvedBy: actor.userId, approvedAt: new Date() })
    .where(eq(payouts.id, payoutId));
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.approve',
    entity: 'payout',
    entityId: payoutId,
    regionCode: p.regionCode,
    summary: { amountYuan: p.amountYuan },
  });
  return { id: payoutId, status: 'approved' as const };
}

/**
 * Removes one pending payout from a batch with a reason (移出清单; issue #18: there was no way to remove or reject a
 * payout except by upholding an objection). Any official who may run the batch's payouts; audited.
 */
export async function removePayout(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  payoutId: string,
  reason: string,
) {
  const { p, batchStatus, batchRegion, issuerOrgId } = await lockPayout(tx, payoutId);
  if (!recordVisible(scope, batchRegion, [issuerOrgId])) throw new AppError('NOT_FOUND');
  const v = canRemovePayout(batchStatus, p.status);
  if (!v.ok) throw stateError(v.reason);
  await tx.update(payouts).set({ status: 'removed', removedReason: reason }).where(eq(payouts.id, payoutId));
  await deps.audit.write(tx, actor, {
    action: 'policies.payout.remove',
    entity: 'payout',
    entityId: payoutId,
    regionCode: p.regionCode,
    summary: { amountYuan: p.amountYuan, reason, batchStatus },
  });
  return { id: payoutId, status: 'removed' as const, reason };
}

/** Records the disbursement of a batch: approved payouts become paid, or failed (their budget is released). */
export async function disburseBatch(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  batchId: string,
  body: { reference: string; failed?: { payoutId: string; reason: string }[] },
) {
  const b = await lockBatch(tx, scope, batchId);
  const approved = await tx
    .select()
    .from(payouts)
    .where(and(eq(payouts.batchId, batchId), eq(payouts.status, 'approved')));
  const [undecided] = await tx
    .select({ n: count() })
    .from(payouts)
    .where(and(eq(payouts.batchId, batchId), eq(payouts.status, 'pending')));
  checkBatchChecker(actor, b, '登记拨付', 'record the disbursement');
  const v = canDisburse(b.status, approved.length, undecided?.n ?? 0);
  if (!v.ok) throw stateError(v.reason);
  const failed = new Map((body.failed ?? []).map((f) => [f.payoutId, f.reason]));
  let paidFen = 0;
  let releasedFen = 0;
  for (const p of approved) {
    if (failed.has(p.id)) {
      releasedFen += yuanToFen(p.amountYuan);
      await tx
        .update(payouts)
        .set({ status: 'failed', failureReason: failed.get(p.id)! })
        .where(eq(payouts.id, p.id));
    } else {
      paidFen += yuanToFen(p.amountYuan);
      await tx.update(payouts).set({ status: 'paid', paidAt: new Date() }).where(eq(payouts.id, p.id));
    }
  }
  if (releasedFen > 0) {
    await tx.execute(sql`update policy_budgets set committed_yuan = committed_yuan - ${fenToYuan(releasedFen)}::numeric
      where policy_id = ${b.policyId}`);
  }
  await tx
    .update(payoutBatches)
    .set({ status: 'disbursed', disbursementRef: body.reference, disbursedAt: new Date(), updatedAt: new Date() })
    .where(eq(payoutBatches.id, batchId));
  await notifyBatch(tx, deps, batchId, 'paid');
  await deps.audit.write(tx, actor, {
    action: 'policies.payout-batch.disburse',
    entity: 'payout_batch',
    entityId: batchId,
    regionCode: b.regionCode,
    summary: { reference: body.reference, paid: approved.length - failed.size, paidYuan: fenToYuan(paidFen) },
  });
  return {
    id: batchId,
    status: 'disbursed' as const,
    paid: approved.filter((p) => !failed.has(p.id)).length,
    failed: approved.filter((p) => failed.has(p.id)).length,
    paidYuan: fenToYuan(paidFen),
  };
}

export async function listBatches(ex: Executor, scope: Scope, policyId: string) {
  await policyInScope(ex, scope, policyId);
  const rows = await ex
    .select({
      b: payoutBatches,
      payouts: sql<number>`(select count(*)::int from payouts p where p.batch_id = ${payoutBatches.id})`,
      totalYuan: sql<string>`(select coalesce(sum(p.amount_yuan), 0)::text from payouts p where p.batch_id = ${payoutBatches.id} and p.status not in ('removed', 'declined', 'failed'))`,
    })
    .from(payoutBatches)
    .where(eq(payoutBatches.policyId, policyId))
    .orderBy(desc(payoutBatches.number));
  return rows;
}

export async function batchById(ex: Executor, scope: Scope, batchId: string) {
  const [row] = await ex
    .select({ b: payoutBatches, policyTitle: policies.title, docNo: policies.docNo })
    .from(payoutBatches)
    .innerJoin(policies, eq(policies.id, payoutBatches.policyId))
    .where(
      and(
        eq(payoutBatches.id, batchId),
        scopeWhere(scope, { region: payoutBatches.regionCode, org: policies.issuerOrgId }),
      ),
    );
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function payoutsOf(
  ex: Executor,
  where: ReturnType<typeof and>,
  paging: { page: number; pageSize: number },
) {
  const rows = await ex
    .select({
      p: payouts,
      enterpriseName: enterprises.name,
      uscc: enterprises.uscc,
      policyTitle: policies.title,
      docNo: policies.docNo,
      batchNumber: payoutBatches.number,
      batchStatus: payoutBatches.status,
      publicityEndsOn: payoutBatches.publicityEndsOn,
      openObjections: sql<number>`(select count(*)::int from payout_objections o where o.payout_id = ${payouts.id} and o.status = 'open')`,
    })
    .from(payouts)
    .innerJoin(enterprises, eq(enterprises.id, payouts.enterpriseId))
    .innerJoin(payoutBatches, eq(payoutBatches.id, payouts.batchId))
    .innerJoin(policies, eq(policies.id, payouts.policyId))
    .where(where)
    .orderBy(asc(enterprises.name), asc(payouts.id))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  const [t] = await ex.select({ n: count() }).from(payouts).where(where);
  return { rows, total: t?.n ?? 0 };
}

/**
 * The policy's budget as the batch page shows it: cap (null = uncapped), the amount committed by approvals
 * (policy_budgets; released again for failed disbursements) and what remains (cap − committed; null when uncapped).
 * Decimal strings in 元, computed in fen so no float rounding creeps in.
 */
export async function budgetOf(ex: Executor, policyId: string) {
  const [row] = await ex
    .select({ cap: policies.budgetCapYuan, committed: policyBudgets.committedYuan })
    .from(policies)
    .leftJoin(policyBudgets, eq(policyBudgets.policyId, policies.id))
    .where(eq(policies.id, policyId));
  const cap = row?.cap ?? null;
  const committedFen = row?.committed ? yuanToFen(row.committed) : 0;
  return {
    budgetCapYuan: cap === null ? null : fenToYuan(yuanToFen(cap)),
    committedYuan: fenToYuan(committedFen),
    remainingYuan: cap === null ? null : fenToYuan(yuanToFen(cap) - committedFen),
  };
}

/** The objections filed against the given payouts (oldest first), grouped by payout; who filed them is not shown. */
export async function objectionsOf(ex: Executor, payoutIds: string[]) {
  const byPayout = new Map<
    string,
    {
      id: string;
      reason: string;
      status: (typeof payoutObjections.$inferSelect)['status'];
      filedAt: string;
      decidedAt: string | null;
      decision: string | null;
    }[]
  >();
  if (payoutIds.length === 0) return byPayout;
  const rows = await ex
    .select()
    .from(payoutObjections)
    .where(inArray(payoutObjections.payoutId, payoutIds))
    .orderBy(asc(payoutObjections.createdAt), asc(payoutObjections.id));
  for (const o of rows) {
    const list = byPayout.get(o.payoutId) ?? [];
    list.push({
      id: o.id,
      reason: o.reason,
      status: o.status,
      filedAt: o.createdAt.toISOString(),
      decidedAt: o.decidedAt ? o.decidedAt.toISOString() : null,
      decision: o.status === 'open' ? null : (o.decisionNote ?? ''),
    });
    byPayout.set(o.payoutId, list);
  }
  return byPayout;
}

/** Masks an account for the treasury list: only the last 4 digits the firm confirmed. */
export function maskedAccount(last4: string | null) {
  return last4 ? `基本存款账户 ****${last4}` : '基本存款账户（以财政国库登记为准）';
}

/** Treasury export (.xlsx): 序号, 企业名称, 统一社会信用代码, 开户行/账号 (masked), 金额(元), 政策文号, 批次 + 合计. */
export async function exportBatch(ex: Executor, scope: Scope, batchId: string) {
  const { b, docNo, policyTitle } = await batchById(ex, scope, batchId);
  const rows = await ex
    .select({ p: payouts, name: enterprises.name, uscc: enterprises.uscc })
    .from(payouts)
    .innerJoin(enterprises, eq(enterprises.id, payouts.enterpriseId))
    .where(and(eq(payouts.batchId, batchId), inArray(payouts.status, ['approved', 'paid'])))
    .orderBy(asc(enterprises.name));
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('拨付清单');
  ws.addRow([`${policyTitle} 第${b.number}批 免申即享拨付清单`]);
  ws.addRow(['序号', '企业名称', '统一社会信用代码', '开户行/账号', '金额(元)', '政策文号', '批次']);
  let fen = 0;
  rows.forEach((r, i) => {
    fen += yuanToFen(r.p.amountYuan);
    ws.addRow([i + 1, r.name, r.uscc, maskedAccount(r.p.bankAccountLast4), Number(r.p.amountYuan), docNo, b.number]);
  });
  ws.addRow(['合计', '', '', '', fen / 100, '', '']);
  ws.getColumn(2).width = 40;
  ws.getColumn(3).width = 22;
  ws.getColumn(4).width = 30;
  ws.getColumn(5).numFmt = '#,##0.00';
  ws.getColumn(5).width = 16;
  ws.getColumn(6).width = 24;
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    bytes: buf,
    filename: `拨付清单-${docNo || policyTitle}-第${b.number}批.xlsx`,
    audit: { rows: rows.length, totalYuan: fen / 100, regionCode: b.regionCode, docNo, batch: b.number },
  };
}
