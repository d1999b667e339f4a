/**
 * Plan change requests (issue #16, decision 0020). A park operator does not change a milestone's plan date or a
 * yearly investment plan directly: the change becomes a request that the district (parks:manage over the park's
 * region) approves or returns with a note. Until then park_milestones / park_investment_plans keep the approved
 * plan, so the overdue status is judged against it. District and city admins edit directly (they are the
 * approvers); whoever made a request cannot decide it. Actual completion dates are facts the operator reports and
 * apply at once.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { can } from '../../../domain/access.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  type PlanChangeProposal,
  parkInvestmentPlans,
  parkMilestones,
  parkPlanChanges,
  parks,
  users,
} from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Scope } from '../../platform/scope.ts';
import { recipientsFor } from '../identity/service.ts';
import * as q from './queries.ts';
import { type MilestoneInput, setInvestmentPlan, setMilestones } from './service.ts';

export type PlanChangeRow = typeof parkPlanChanges.$inferSelect;

/** Whether the caller edits plans directly (an approver) or files a request. */
export const editsPlansDirectly = (scope: Scope) => can(scope.role, 'parks:manage');

const planOf = (list: { key: string; name: string; plannedOn: string | null }[]) =>
  list.map((m) => ({ key: m.key, name: m.name, plannedOn: m.plannedOn }));

async function notifyDistrict(tx: Tx, deps: AppDeps, park: q.ParkRow, title: string, body: string) {
  const recipients = await recipientsFor(tx, { orgIds: [], regionAdminsOf: [park.regionCode] });
  await deps.notifications.notify(
    tx,
    recipients.map((r) => r.id),
    { kind: 'park.plan-change', title, body, link: `/parks/${park.id}`, entity: 'park', entityId: park.id },
  );
}

/** Files (or replaces) the pending request of this kind (and year, for investment plans) for the park. */
async function fileRequest(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  park: q.ParkRow,
  proposal: PlanChangeProposal,
  original: PlanChangeProposal,
  reason: string,
) {
  const same: SQL[] = [
    eq(parkPlanChanges.parkId, park.id),
    eq(parkPlanChanges.kind, proposal.kind),
    eq(parkPlanChanges.status, 'pending'),
  ];
  if (proposal.kind === 'investment_plan')
    same.push(sql`(${parkPlanChanges.proposal}->>'year')::int = ${proposal.year}`);
  const [pending] = await tx
    .select()
    .from(parkPlanChanges)
    .where(and(...same))
    .for('update');
  let row: PlanChangeRow;
  if (pending) {
    [row] = (await tx
      .update(parkPlanChanges)
      .set({ proposal, reason, requestedBy: actor.userId!, requestedAt: new Date() })
      .where(eq(parkPlanChanges.id, pending.id))
      .returning()) as [PlanChangeRow];
  } else {
    [row] = (await tx
      .insert(parkPlanChanges)
      .values({
        parkId: park.id,
        regionCode: park.regionCode,
        kind: proposal.kind,
        proposal,
        original,
        reason,
        requestedBy: actor.userId!,
      })
      .returning()) as [PlanChangeRow];
  }
  await deps.audit.write(tx, actor, {
    action: 'park.plan-change.request',
    entity: 'park',
    entityId: park.id,
    regionCode: park.regionCode,
    summary: { changeId: row.id, kind: proposal.kind, original, proposal, replaced: !!pending },
  });
  await notifyDistrict(
    tx,
    deps,
    park,
    `【计划变更申请】${park.name}：${proposal.kind === 'milestones' ? '节点计划' : `${proposal.year} 年投资计划`}`,
    reason || '园区运营方提交了计划变更申请，请审核。',
  );
  return { id: row.id, status: row.status };
}

/**
 * PUT …/milestones. Approvers replace the schedule; an operator's actual dates apply at once and any change of
 * plan (dates, names, nodes, order) becomes a pending request. Returns the request, or null when applied.
 */
export async function putMilestones(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  list: MilestoneInput[],
  reason: string,
  today: string,
) {
  if (editsPlansDirectly(scope)) {
    await setMilestones(tx, deps, actor, scope, id, list, today);
    return null;
  }
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const keys = new Set<string>();
  for (const m of list) {
    if (keys.has(m.key))
      throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'key', message: `duplicate ${m.key}` }] });
    keys.add(m.key);
    if (m.actualOn && m.actualOn > today)
      throw new AppError(
        'DATE_IN_FUTURE',
        {},
        { fields: [{ field: `body.milestones.${m.key}.actualOn`, node: m.name }] },
      );
  }
  const before = await tx
    .select()
    .from(parkMilestones)
    .where(eq(parkMilestones.parkId, id))
    .orderBy(asc(parkMilestones.seq));
  // actual dates of existing nodes are reports of fact: applied now
  const actuals: { key: string; before: string | null; after: string | null }[] = [];
  for (const m of list) {
    const prev = before.find((b) => b.key === m.key);
    if (prev && prev.actualOn !== m.actualOn) {
      await tx.update(parkMilestones).set({ actualOn: m.actualOn }).where(eq(parkMilestones.id, prev.id));
      actuals.push({ key: m.key, before: prev.actualOn, after: m.actualOn });
    }
  }
  if (actuals.length)
    await deps.audit.write(tx, actor, {
      action: 'park.milestones.actual',
      entity: 'park',
      entityId: id,
      regionCode: current.park.regionCode,
      summary: { actuals },
    });
  if (JSON.stringify(planOf(before)) === JSON.stringify(planOf(list))) return null;
  return fileRequest(
    tx,
    deps,
    actor,
    current.park,
    { kind: 'milestones', milestones: list.map((m) => ({ ...planOf([m])[0]!, actualOn: m.actualOn })) },
    { kind: 'milestones', milestones: planOf(before) },
    reason,
  );
}

/** PUT …/plans: approvers set the yearly plan; an operator files a request. */
export async function putInvestmentPlan(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  v: { year: number; plannedWan: number },
  reason: string,
) {
  if (editsPlansDirectly(scope)) {
    await setInvestmentPlan(tx, deps, actor, scope, id, v);
    return null;
  }
  const current = await q.getPark(tx, scope, id);
  if (!current) throw new AppError('NOT_FOUND');
  const [plan] = await tx
    .select()
    .from(parkInvestmentPlans)
    .where(and(eq(parkInvestmentPlans.parkId, id), eq(parkInvestmentPlans.year, v.year)));
  if (plan && Number(plan.plannedWan) === v.plannedWan) return null;
  return fileRequest(
    tx,
    deps,
    actor,
    current.park,
    { kind: 'investment_plan', year: v.year, plannedWan: v.plannedWan },
    { kind: 'investment_plan', year: v.year, plannedWan: plan ? Number(plan.plannedWan) : 0 },
    reason,
  );
}

/** Approves (applies the proposal) or returns (with a note) a pending request. */
export async function decidePlanChange(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  parkId: string,
  changeId: string,
  decision: 'approve' | 'return',
  note: string,
  today: string,
) {
  const current = await q.getPark(tx, scope, parkId);
  if (!current) throw new AppError('NOT_FOUND');
  const [c] = await tx
    .select()
    .from(parkPlanChanges)
    .where(and(eq(parkPlanChanges.id, changeId), eq(parkPlanChanges.parkId, parkId)))
    .for('update');
  if (!c) throw new AppError('NOT_FOUND');
  if (c.status !== 'pending') throw new AppError('PLAN_CHANGE_STATE_INVALID');
  if (actor.userId && actor.userId === c.requestedBy)
    throw new AppError('SAME_PERSON_APPROVAL', { stepZh: '审核该变更申请', stepEn: 'decide this change request' });
  if (decision === 'approve') {
    const p = c.proposal;
    if (p.kind === 'milestones') {
      const now = await tx.select().from(parkMilestones).where(eq(parkMilestones.parkId, parkId));
      const list: MilestoneInput[] = p.milestones.map((m) => ({
        key: m.key,
        name: m.name,
        plannedOn: m.plannedOn,
        actualOn: now.find((n) => n.key === m.key)?.actualOn ?? (m as { actualOn?: string | null }).actualOn ?? null,
      }));
      await setMilestones(tx, deps, actor, scope, parkId, list, today);
    } else {
      await setInvestmentPlan(tx, deps, actor, scope, parkId, { year: p.year, plannedWan: p.plannedWan });
    }
  } else if (!note.trim()) {
    throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'body.note', message: 'required' }] });
  }
  const status = decision === 'approve' ? ('approved' as const) : ('returned' as const);
  await tx
    .update(parkPlanChanges)
    .set({ status, decidedBy: actor.userId, decidedAt: new Date(), decisionNote: note.trim() || null })
    .where(eq(parkPlanChanges.id, changeId));
  await deps.audit.write(tx, actor, {
    action: `park.plan-change.${decision}`,
    entity: 'park',
    entityId: parkId,
    regionCode: current.park.regionCode,
    summary: { changeId, kind: c.kind, note: note.trim() || null },
  });
  const recipients = await recipientsFor(tx, {
    orgIds: current.park.operatorOrgId ? [current.park.operatorOrgId] : [],
    regionAdminsOf: [],
  });
  await deps.notifications.notify(
    tx,
    recipients.map((r) => r.id),
    {
      kind: 'park.plan-change.decided',
      title: `【计划变更】${current.park.name}：${status === 'approved' ? '已批准' : '已退回'}`,
      body: note.trim() || undefined,
      link: `/parks/${parkId}`,
      entity: 'park',
      entityId: parkId,
    },
  );
  return { id: changeId, status };
}

const requester = sql<
  string | null
>`(select ${users.displayName} from ${users} where ${users.id} = ${parkPlanChanges.requestedBy})`;
const decider = sql<
  string | null
>`(select ${users.displayName} from ${users} where ${users.id} = ${parkPlanChanges.decidedBy})`;

/** Plan change requests visible to the caller: pending first, then the latest decided. */
export async function listPlanChanges(
  ex: Executor,
  scope: Scope,
  f: { parkId?: string; status?: PlanChangeRow['status']; limit?: number },
) {
  const conds: SQL[] = [q.parkScope(scope)];
  if (f.parkId) conds.push(eq(parkPlanChanges.parkId, f.parkId));
  if (f.status) conds.push(eq(parkPlanChanges.status, f.status));
  return ex
    .select({ c: parkPlanChanges, parkName: parks.name, requestedByName: requester, decidedByName: decider })
    .from(parkPlanChanges)
    .innerJoin(parks, eq(parks.id, parkPlanChanges.parkId))
    .where(and(...conds))
    .orderBy(sql`${parkPlanChanges.status} = 'pending' desc`, desc(parkPlanChanges.requestedAt))
    .limit(f.limit ?? 200);
}
