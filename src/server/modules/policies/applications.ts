/**
 * 快申 applications (issue #5 "Applications"; rules.md §8.1 快申快享): the enterprise applies from its portal with
 * its facts prefilled (snapshot of the facts year the clauses read), may add a note and attachments; the
 * department decides (approved / rejected / returned) with reasons and, when approved, an amount.
 */
import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { decideApplication } from '../../../domain/payouts.ts';
import { applicationOpen } from '../../../domain/policies.ts';
import { chooseFactsYear } from '../../../domain/rules/index.ts';
import type { Executor, Tx } from '../../db/client.ts';
import {
  enterpriseFacts,
  enterprises,
  files,
  policies,
  policyApplications,
  policyClauses,
  policyMatches,
} from '../../db/schema/index.ts';
import type { Actor } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { Scope } from '../../platform/scope.ts';
import { recipientsFor } from '../identity/service.ts';
import { contextOf, evaluateClause, recordVisible, recordWhere } from './matching.ts';

const NOT_ALLOWED: Record<string, [string, string]> = {
  not_enterprise: ['只有企业用户可以申请', 'only enterprise users can apply'],
  mianshen: [
    '该政策为“免申即享”，无需申请，符合条件的企业将自动列入拨付名单',
    'this is a 免申即享 policy: no application, eligible firms are listed automatically',
  ],
  not_published: ['政策未发布或已失效', 'the policy is not published or has expired'],
  window_closed: ['不在申报期内', 'the application window is closed'],
  already_submitted: ['已有一份待审核的申请', 'an application is already under review'],
  bad_attachment: ['附件不存在或不是您上传的', 'an attachment does not exist or was not uploaded by you'],
};

function notAllowed(reason: string) {
  const [zh, en] = NOT_ALLOWED[reason] ?? [reason, reason];
  return new AppError('APPLICATION_NOT_ALLOWED', { reasonZh: zh, reasonEn: en }, { reason });
}

export async function enterpriseOfScope(ex: Executor, scope: Scope) {
  if (scope.kind !== 'org' || !scope.orgId) return null;
  const [e] = await ex.select().from(enterprises).where(eq(enterprises.orgId, scope.orgId)).limit(1);
  return e ?? null;
}

/** The facts the enterprise's application is prefilled with: the previous year's row (H1's facts-year rule). */
export async function prefilledFacts(ex: Executor, enterpriseId: string, asOf: string) {
  const years = await ex
    .select({ year: enterpriseFacts.year })
    .from(enterpriseFacts)
    .where(eq(enterpriseFacts.enterpriseId, enterpriseId));
  const year = chooseFactsYear(
    years.map((y) => y.year),
    asOf,
    1,
  );
  if (year === null) return { year: null, row: null };
  const [row] = await ex
    .select()
    .from(enterpriseFacts)
    .where(and(eq(enterpriseFacts.enterpriseId, enterpriseId), eq(enterpriseFacts.year, year)));
  return { year, row: row ?? null };
}

export async function apply(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  policyId: string,
  body: { note?: string; attachmentIds?: string[] },
  asOf: string,
) {
  const ent = await enterpriseOfScope(tx, scope);
  if (!ent) throw notAllowed('not_enterprise');
  const [policy] = await tx.select().from(policies).where(eq(policies.id, policyId));
  if (!policy || policy.status === 'draft' || policy.status === 'review' || policy.status === 'approved')
    throw new AppError('NOT_FOUND');
  if (policy.status !== 'published') throw notAllowed('not_published');
  if (policy.channel === 'mianshen') throw notAllowed('mianshen');
  if (!applicationOpen(policy.applyFrom, policy.applyTo, asOf)) throw notAllowed('window_closed');
  const [open] = await tx
    .select({ n: count() })
    .from(policyApplications)
    .where(
      and(
        eq(policyApplications.policyId, policyId),
        eq(policyApplications.enterpriseId, ent.id),
        eq(policyApplications.status, 'submitted'),
      ),
    );
  if ((open?.n ?? 0) > 0) throw notAllowed('already_submitted');
  const ids = [...new Set(body.attachmentIds ?? [])];
  if (ids.length) {
    const owned = await tx
      .select({ id: files.id })
      .from(files)
      .where(and(inArray(files.id, ids), eq(files.ownerId, actor.userId ?? '')));
    if (owned.length !== ids.length) throw notAllowed('bad_attachment');
  }
  const { year, row } = await prefilledFacts(tx, ent.id, asOf);
  const ctx = contextOf(row, asOf);
  const clauses = await tx.select().from(policyClauses).where(eq(policyClauses.policyId, policyId));
  const evaluated = clauses.map((c) => {
    const ev = evaluateClause(c, row, asOf);
    return { clauseId: c.id, title: c.title, eligible: ev.result, missing: ev.missing };
  });
  const amounts = await tx
    .select({ amount: policyMatches.amountYuan })
    .from(policyMatches)
    .where(
      and(
        eq(policyMatches.policyId, policyId),
        eq(policyMatches.enterpriseId, ent.id),
        eq(policyMatches.result, 'eligible'),
      ),
    );
  const suggested = amounts.reduce((s, a) => s + (a.amount === null ? 0 : Math.round(Number(a.amount) * 100)), 0);
  const [app] = await tx
    .insert(policyApplications)
    .values({
      policyId,
      enterpriseId: ent.id,
      regionCode: ent.regionCode,
      orgId: ent.orgId,
      facts: ctx.facts,
      factsYear: year,
      note: body.note ?? '',
      attachmentIds: ids,
      submittedBy: actor.userId,
      amountYuan: amounts.length ? (suggested / 100).toFixed(2) : null,
    })
    .returning();
  // the reviewing side: the policy's issuing org
  const reviewers = await recipientsFor(tx, { orgIds: [policy.issuerOrgId], regionAdminsOf: [] });
  await deps.notifications.notify(
    tx,
    reviewers.map((u) => u.id),
    {
      kind: 'policy.application',
      title: `新的政策申请：${ent.name} 申请「${policy.title}」`,
      link: `/policies/applications/${app!.id}`,
      entity: 'policy_application',
      entityId: app!.id,
    },
  );
  await deps.audit.write(tx, actor, {
    action: 'policies.application.submit',
    entity: 'policy_application',
    entityId: app!.id,
    regionCode: ent.regionCode,
    summary: { policyId, factsYear: year },
  });
  return { application: app!, clauses: evaluated };
}

export async function decide(
  tx: Tx,
  deps: AppDeps,
  actor: Actor,
  scope: Scope,
  id: string,
  body: { decision: 'approved' | 'rejected' | 'returned'; reasons: string; amountYuan?: number },
) {
  const [row] = await tx
    .select({ app: policyApplications, issuerOrgId: policies.issuerOrgId })
    .from(policyApplications)
    .innerJoin(policies, eq(policies.id, policyApplications.policyId))
    .where(eq(policyApplications.id, id))
    .for('update', { of: policyApplications });
  const app = row?.app;
  if (!app || !recordVisible(scope, app.regionCode, [row.issuerOrgId])) throw new AppError('NOT_FOUND');
  // maker–checker (decision 0020): whoever filed the application cannot decide it
  if (actor.userId && actor.userId === app.submittedBy)
    throw new AppError('SAME_PERSON_APPROVAL', { stepZh: '审核该申请', stepEn: 'decide it' });
  const v = decideApplication(app.status, body.decision);
  if (!v.ok)
    throw new AppError('PAYOUT_STATE_INVALID', {
      reasonZh: '该申请已处理',
      reasonEn: 'the application was already decided',
    });
  const amount =
    body.decision === 'approved' ? (body.amountYuan ?? (app.amountYuan ? Number(app.amountYuan) : null)) : null;
  const [updated] = await tx
    .update(policyApplications)
    .set({
      status: v.value,
      reasons: body.reasons,
      amountYuan: amount === null ? null : amount.toFixed(2),
      decidedBy: actor.userId,
      decidedAt: new Date(),
    })
    .where(eq(policyApplications.id, id))
    .returning();
  const [policy] = await tx.select({ title: policies.title }).from(policies).where(eq(policies.id, app.policyId));
  if (app.orgId) {
    const users = await recipientsFor(tx, { orgIds: [app.orgId], regionAdminsOf: [] });
    const verb = { approved: '已通过', rejected: '未通过', returned: '被退回补正' }[body.decision];
    await deps.notifications.notify(
      tx,
      users.map((u) => u.id),
      {
        kind: 'policy.application-decided',
        title: `您申请的「${policy?.title ?? ''}」${verb}`,
        body: body.reasons,
        link: '/my/applications',
        entity: 'policy_application',
        entityId: id,
      },
    );
  }
  await deps.audit.write(tx, actor, {
    action: 'policies.application.decide',
    entity: 'policy_application',
    entityId: id,
    regionCode: app.regionCode,
    summary: { decision: body.decision, amountYuan: amount },
  });
  return updated!;
}

export async function listApplications(
  ex: Executor,
  scope: Scope,
  q: { policyId?: string; status?: 'submitted' | 'approved' | 'rejected' | 'returned'; page: number; pageSize: number },
) {
  const conds: SQL[] = [
    recordWhere(scope, {
      region: policyApplications.regionCode,
      enterpriseOrg: policyApplications.orgId,
      policyId: policyApplications.policyId,
    }),
  ];
  if (q.policyId) conds.push(eq(policyApplications.policyId, q.policyId));
  if (q.status) conds.push(eq(policyApplications.status, q.status));
  const where = and(...conds);
  const rows = await ex
    .select({
      a: policyApplications,
      enterpriseName: enterprises.name,
      uscc: enterprises.uscc,
      policyTitle: policies.title,
      docNo: policies.docNo,
    })
    .from(policyApplications)
    .innerJoin(enterprises, eq(enterprises.id, policyApplications.enterpriseId))
    .innerJoin(policies, eq(policies.id, policyApplications.policyId))
    .where(where)
    .orderBy(desc(policyApplications.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const [t] = await ex.select({ n: count() }).from(policyApplications).where(where);
  return { rows, total: t?.n ?? 0 };
}
