/**
 * Demo data for matching and payouts (issue #5): after the demo policies are seeded, every published policy with
 * clauses is matched (so the demo has results, pushes and funnels from rows), one 免申即享 payout batch is left in
 * publicity and one is disbursed, and the demo enterprises file a couple of 快申 applications.
 * Everything goes through the same service functions as the API, in the seed transaction.
 */
import { and, asc, eq, exists, inArray, sql } from 'drizzle-orm';
import { fenToYuan, yuanToFen } from '../../../domain/payouts.ts';
import { apply, decide } from '../../modules/policies/applications.ts';
import { matchPolicy } from '../../modules/policies/matching.ts';
import {
  approvePayout,
  budgetOf,
  confirmPayout,
  disburseBatch,
  generateBatch,
  removePayout,
  transitionBatch,
} from '../../modules/policies/payouts.ts';
import { type Actor, type AuditService, SYSTEM_ACTOR } from '../../platform/audit.ts';
import type { AppDeps } from '../../platform/context.ts';
import { NotificationService } from '../../platform/notifications.ts';
import type { Scope } from '../../platform/scope.ts';
import type { Database, Tx } from '../client.ts';
import { enterprises, payoutBatches, payouts, policies, policyClauses, policyMatches } from '../schema/index.ts';

const ALL: Scope = {
  userId: 'seed',
  role: 'system_admin',
  kind: 'all',
  rootRegion: null,
  regionCodes: [],
  orgId: null,
};

function daysBefore(iso: string, days: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/**
 * `people`: the demo officials who prepare (generate, review, publicise) and check (approve, disburse, decide) —
 * two different users, as maker–checker requires (decision 0020). Without them the system actor does both.
 */
export async function seedDemoMatching(
  tx: Tx,
  audit: AuditService,
  today: string,
  people?: { maker: { id: string; username: string }; checker: { id: string; username: string } },
) {
  const deps = { audit, notifications: new NotificationService() } as unknown as AppDeps;
  const database = { db: tx } as unknown as Database;
  const actor: Actor = { ...SYSTEM_ACTOR, username: 'seed' };
  const maker: Actor = people ? { ...actor, userId: people.maker.id, username: people.maker.username } : actor;
  const checker: Actor = people ? { ...actor, userId: people.checker.id, username: people.checker.username } : actor;
  const published = await tx
    .select({ id: policies.id, channel: policies.channel, code: policies.code })
    .from(policies)
    .where(
      and(
        eq(policies.status, 'published'),
        exists(tx.select({ one: sql`1` }).from(policyClauses).where(eq(policyClauses.policyId, policies.id))),
      ),
    )
    .orderBy(asc(policies.code));
  let matched = 0;
  for (const p of published) {
    await matchPolicy({ database, notifications: deps.notifications }, p.id, today, undefined, tx);
    matched++;
  }

  // 免申即享: the policies with the most eligible firms get one batch in publicity and one disbursed
  const withEligible = await tx
    .select({ policyId: policyMatches.policyId, n: sql<number>`count(distinct ${policyMatches.enterpriseId})::int` })
    .from(policyMatches)
    .innerJoin(policies, eq(policies.id, policyMatches.policyId))
    .where(
      and(eq(policyMatches.result, 'eligible'), eq(policies.channel, 'mianshen'), sql`${policyMatches.amountYuan} > 0`),
    )
    .groupBy(policyMatches.policyId)
    .orderBy(sql`count(distinct ${policyMatches.enterpriseId}) desc`, policyMatches.policyId);
  const batches: string[] = [];
  // The list must fit the budget before publicity (issue #18): what does not fit is removed with the reason.
  const fitToBudget = async (batchId: string, policyId: string) => {
    const budget = await budgetOf(tx, policyId);
    if (budget.remainingYuan === null) return;
    let leftFen = yuanToFen(budget.remainingYuan);
    const list = await tx
      .select()
      .from(payouts)
      .where(and(eq(payouts.batchId, batchId), eq(payouts.status, 'pending')))
      .orderBy(asc(payouts.id));
    for (const p of list) {
      const fen = yuanToFen(p.amountYuan);
      if (fen <= leftFen) leftFen -= fen;
      else
        await removePayout(
          tx,
          deps,
          maker,
          ALL,
          p.id,
          `超出政策剩余预算（剩余 ${fenToYuan(leftFen)} 元），移至下一批次`,
        );
    }
  };
  const [first, second] = withEligible;
  if (first) {
    const b = await generateBatch(tx, deps, maker, ALL, first.policyId, today);
    await fitToBudget(b.id, first.policyId);
    await transitionBatch(tx, deps, maker, ALL, b.id, 'review', today);
    await transitionBatch(tx, deps, maker, ALL, b.id, 'publish', today);
    batches.push(b.id);
  }
  if (second) {
    const b = await generateBatch(tx, deps, maker, ALL, second.policyId, today);
    await fitToBudget(b.id, second.policyId);
    const start = daysBefore(today, 20);
    await transitionBatch(tx, deps, maker, ALL, b.id, 'review', start);
    await transitionBatch(tx, deps, maker, ALL, b.id, 'publish', start);
    await transitionBatch(tx, deps, maker, ALL, b.id, 'close_publicity', today);
    const list = await tx.select().from(payouts).where(eq(payouts.batchId, b.id)).orderBy(asc(payouts.id));
    for (const [i, p] of list.entries()) {
      if (p.consent === 'pending') {
        if (!p.orgId) {
          // firms without portal users confirmed by phone (recorded by the department)
          await tx
            .update(payouts)
            .set({ consent: 'accepted', bankAccountLast4: String(1000 + ((i * 37) % 9000)) })
            .where(eq(payouts.id, p.id));
        } else {
          const scope: Scope = { ...ALL, kind: 'org', orgId: p.orgId };
          await confirmPayout(tx, deps, actor, scope, p.id, { accept: true, bankAccountLast4: '6789' });
        }
      }
      try {
        await approvePayout(tx, deps, checker, ALL, p.id);
      } catch {
        // not approvable (e.g. the firm declined): decided below
      }
    }
    // every payout is decided before the disbursement is recorded (issue #18)
    const undecided = await tx
      .select({ id: payouts.id })
      .from(payouts)
      .where(and(eq(payouts.batchId, b.id), eq(payouts.status, 'pending')));
    for (const p of undecided) await removePayout(tx, deps, checker, ALL, p.id, '企业未确认意愿，本批次不予拨付');
    await disburseBatch(tx, deps, checker, ALL, b.id, { reference: `GK-${today.slice(0, 4)}-0001` });
    batches.push(b.id);
  }

  // 快申: the demo enterprises apply to open kuaishen policies; one decided
  const kuaishen = await tx
    .select({ id: policies.id })
    .from(policies)
    .where(
      and(
        eq(policies.status, 'published'),
        inArray(policies.channel, ['kuaishen', 'ordinary']),
        exists(tx.select({ one: sql`1` }).from(policyClauses).where(eq(policyClauses.policyId, policies.id))),
      ),
    )
    .orderBy(asc(policies.code));
  const firms = await tx
    .select({ id: enterprises.id, orgId: enterprises.orgId, regionCode: enterprises.regionCode })
    .from(enterprises)
    .where(sql`${enterprises.orgId} is not null`)
    .orderBy(asc(enterprises.name));
  let applications = 0;
  for (const firm of firms) {
    for (const k of kuaishen) {
      if (applications >= 3) break;
      const scope: Scope = { ...ALL, kind: 'org', orgId: firm.orgId, regionCodes: [firm.regionCode] };
      try {
        const r = await tx.transaction((sp) =>
          apply(sp, deps, actor, scope, k.id, { note: '（演示）按平台预填数据申请' }, today),
        );
        applications++;
        if (applications === 1) {
          await decide(tx, deps, checker, ALL, r.application.id, {
            decision: 'approved',
            reasons: '数据比对一致，材料齐全（演示）',
          });
        }
        break;
      } catch {
        // window closed or not applicable: try the next policy
      }
    }
  }
  const [pub] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(payoutBatches)
    .where(inArray(payoutBatches.id, batches.length ? batches : ['00000000-0000-4000-8000-000000000000']));
  return { matchedPolicies: matched, payoutBatches: pub?.n ?? 0, applications };
}
