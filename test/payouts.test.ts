/**
 * 免申即享 payouts (issue #5): blacklist exclusion, batch workflow with illegal transitions (409), publicity with an
 * objection removing a payout, consent before approval, disbursement, treasury export, scope, and the budget
 * cap under 50 concurrent approvals (exactly 10 succeed).
 */
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWorkingDay } from '../src/domain/assistance/deadlines.ts';
import { publicityEnd } from '../src/domain/payouts.ts';
import type { Rule } from '../src/domain/rules/types.ts';
import { enterprises, orgs, payouts, policies, policyBudgets, policyClauses } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => t.close());

const today = () => new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function insertPolicy(p: {
  title: string;
  regionCode: string;
  budgetCapYuan: string | null;
  eligibility: Rule;
  amountFormula: string;
  needsConsent: boolean;
  publicityDayMode?: 'calendar' | 'working';
  publicityDays?: number;
}) {
  const { db } = t.deps.database;
  const [org] = await db.select().from(orgs).where(eq(orgs.name, '郑州市人力资源和社会保障局'));
  const [row] = await db
    .insert(policies)
    .values({
      code: `P-${Math.random().toString(36).slice(2, 10)}`,
      title: p.title,
      docNo: '郑人社〔2026〕8号',
      issuerOrgId: org!.id,
      issuerName: '郑州市人力资源和社会保障局',
      level: 'municipal',
      regionCode: p.regionCode,
      channel: 'mianshen',
      budgetCapYuan: p.budgetCapYuan,
      publicityDays: p.publicityDays ?? 5,
      publicityDayMode: p.publicityDayMode ?? 'working',
      status: 'published',
      publishedOn: today(),
    })
    .returning();
  await db.insert(policyClauses).values({
    policyId: row!.id,
    ordinal: 1,
    title: '返还',
    benefitType: 'refund',
    eligibility: p.eligibility,
    amountFormula: p.amountFormula,
    needsConsent: p.needsConsent,
  });
  const c = await t.login('city.admin');
  const res = await c.post(`/api/v1/policies/${row!.id}/rematch`, {});
  expect(res.statusCode, res.body).toBe(202);
  expect((await waitForJob(t.deps, res.json().jobId)).status).toBe('succeeded');
  return row!;
}

async function advanceDays(days: number) {
  t.clock.advanceMinutes(days * 24 * 60);
}

describe('publicity in working days (decision 0016)', () => {
  it('a batch of a policy counting working days keeps the mode and its publicity ends on the 5th working day', async () => {
    const p = await insertPolicy({
      title: '测试：公示5个工作日（惠济区）',
      regionCode: '410108',
      budgetCapYuan: null,
      eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
      amountFormula: '1000',
      needsConsent: false,
      publicityDayMode: 'working',
    });
    const c = await t.login('huiji.admin');
    const gen = await c.post(`/api/v1/policies/${p.id}/payouts/generate`, {});
    expect(gen.statusCode, gen.body).toBe(201);
    const id = gen.json().id;
    expect((await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'review' })).statusCode).toBe(200);
    expect((await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'publish' })).statusCode).toBe(200);
    const b = (await c.get(`/api/v1/payout-batches/${id}?pageSize=1`)).json();
    expect([b.publicityDayMode, b.publicityDays, b.publicityStartsOn]).toEqual(['working', 5, today()]);
    expect(b.publicityEndsOn).toBe(publicityEnd(today(), 5, 'working'));
    // five working days from the start: never before the calendar end, and the end itself is a working day
    expect(b.publicityEndsOn >= publicityEnd(today(), 5, 'calendar')).toBe(true);
    expect(isWorkingDay(b.publicityEndsOn)).toBe(true);
    const list = (await c.get(`/api/v1/policies/${p.id}/payout-batches`)).json();
    expect(list.items[0].publicityDayMode).toBe('working');
  });
});

describe('payout workflow', () => {
  let policyId: string;
  let batchId: string;
  let huikeId: string;
  let blacklistedId: string;

  beforeAll(async () => {
    const { db } = t.deps.database;
    const [huike] = await db.select().from(enterprises).where(eq(enterprises.name, '郑州惠科精密制造有限公司（演示）'));
    huikeId = huike!.id;
    const [other] = await db
      .select()
      .from(enterprises)
      .where(and(eq(enterprises.regionCode, '410108'), sql`${enterprises.id} <> ${huikeId}`))
      .limit(1);
    blacklistedId = other!.id;
    // the credit bureau's blacklist flag on the facts year the clause reads
    const c = await t.login('city.admin');
    const year = Number(today().slice(0, 4)) - 1;
    const put = await c.request('PUT', `/api/v1/enterprises/${blacklistedId}/indicators`, {
      year,
      key: 'credit_blacklisted',
      value: 1,
      source: 'verified_on_site',
    });
    expect(put.statusCode, put.body).toBe(200);
    const p = await insertPolicy({
      title: '测试：稳岗返还（惠济区，需意愿确认）',
      regionCode: '410108',
      budgetCapYuan: null,
      eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
      amountFormula: 'round(operating_revenue * 10, 2)',
      needsConsent: true,
    });
    policyId = p.id;
  });

  it('generates a draft batch from eligible matches and excludes a blacklisted firm with the reason', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.post(`/api/v1/policies/${policyId}/payouts/generate`, {});
    expect(res.statusCode, res.body).toBe(201);
    batchId = res.json().id;
    const b = (await c.get(`/api/v1/payout-batches/${batchId}?pageSize=200`)).json();
    expect(b.status).toBe('draft');
    expect(b.excluded).toContainEqual(
      expect.objectContaining({ enterpriseId: blacklistedId, reason: 'credit_blacklisted' }),
    );
    // every exclusion is a firm flagged on the credit blacklist in the facts year read
    const { db } = t.deps.database;
    for (const x of b.excluded) {
      expect(x.reason).toBe('credit_blacklisted');
      const res = await db.execute(
        sql`select f.facts->>'credit_blacklisted' as flag from enterprise_facts f where f.enterprise_id = ${x.enterpriseId} and f.year = ${Number(today().slice(0, 4)) - 1}`,
      );
      expect((res as unknown as { rows: { flag: string }[] }).rows[0]!.flag).toBe('true');
    }
    expect(b.items.items.some((p: { enterpriseId: string }) => p.enterpriseId === blacklistedId)).toBe(false);
    const huike = b.items.items.find((p: { enterpriseId: string }) => p.enterpriseId === huikeId);
    expect(huike.consent).toBe('pending');
    expect(b.payouts).toBe(b.items.total);
    // a second generation does not list the same firms again
    const again = (await c.post(`/api/v1/policies/${policyId}/payouts/generate`, {})).json();
    expect(again.payouts).toBe(0);
  });

  it('refuses illegal transitions with 409 and a localized reason', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'publish' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('PAYOUT_STATE_INVALID');
    expect(res.json().error.message).toContain('草稿');
    const b = (await c.get(`/api/v1/payout-batches/${batchId}?pageSize=1`)).json();
    const approve = await c.post(`/api/v1/payouts/${b.items.items[0].id}/approve`, {});
    expect(approve.statusCode).toBe(409);
    expect(approve.json().error.details.reason).toBe('batch_not_approving');
  });

  it('publicity: an objection blocks closing; upheld, it removes the payout; consent comes before approval', async () => {
    const c = await t.login('huiji.admin');
    expect((await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'review' })).statusCode).toBe(200);
    const pub = await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'publish' });
    expect(pub.statusCode, pub.body).toBe(200);
    const b = (await c.get(`/api/v1/payout-batches/${batchId}?pageSize=200`)).json();
    expect(b.publicityStartsOn).toBe(today());
    const early = await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'close_publicity' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details.reason).toBe('publicity_running');

    const target = b.items.items.find((p: { enterpriseId: string }) => p.enterpriseId !== huikeId);
    // another district may not see (nor object to) 惠济's payouts
    const erqi = await t.login('erqi.admin');
    expect((await erqi.post(`/api/v1/payouts/${target.id}/objections`, { reason: '越权异议' })).statusCode).toBe(404);
    const obj = await c.post(`/api/v1/payouts/${target.id}/objections`, { reason: '群众反映该企业已停产' });
    expect(obj.statusCode, obj.body).toBe(201);
    // a second objection, against another firm, is dismissed: that payout stays
    const kept = b.items.items.find(
      (p: { id: string; enterpriseId: string }) => p.enterpriseId !== huikeId && p.id !== target.id,
    );
    const obj2 = await c.post(`/api/v1/payouts/${kept.id}/objections`, { reason: '怀疑不符合条件' });
    expect(obj2.statusCode, obj2.body).toBe(201);
    // the batch lists each payout's objections with id and status (and still counts the open ones)
    const withObj = (await c.get(`/api/v1/payout-batches/${batchId}?pageSize=200`)).json();
    const tRow = withObj.items.items.find((p: { id: string }) => p.id === target.id);
    expect(tRow.openObjections).toBe(1);
    expect(tRow.objections).toEqual([
      expect.objectContaining({ id: obj.json().id, reason: '群众反映该企业已停产', status: 'open', decidedAt: null }),
    ]);
    expect(Number.isNaN(Date.parse(tRow.objections[0].filedAt))).toBe(false);
    expect(withObj.items.items.find((p: { id: string }) => p.id === kept.id).objections[0].id).toBe(obj2.json().id);
    const huikeRow = withObj.items.items.find((p: { enterpriseId: string }) => p.enterpriseId === huikeId);
    expect(huikeRow.objections).toEqual([]);
    expect(huikeRow.openObjections).toBe(0);
    // another district can neither read the batch nor decide its objections
    expect((await erqi.get(`/api/v1/payout-batches/${batchId}`)).statusCode).toBe(404);
    expect((await erqi.post(`/api/v1/payout-objections/${obj2.json().id}/decide`, { upheld: true })).statusCode).toBe(
      404,
    );
    const dismissed = await c.post(`/api/v1/payout-objections/${obj2.json().id}/decide`, {
      upheld: false,
      note: '经核实符合条件',
    });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', payoutStatus: 'pending' });
    const twice = await c.post(`/api/v1/payout-objections/${obj2.json().id}/decide`, { upheld: true });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.reason).toBe('objection_decided');

    await advanceDays(5);
    const c2 = await t.login('huiji.admin');
    const blocked = await c2.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'close_publicity' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.reason).toBe('objections_open');
    const d = await c2.post(`/api/v1/payout-objections/${obj.json().id}/decide`, { upheld: true, note: '核实属实' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json().payoutStatus).toBe('removed');
    const closed = await c2.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'close_publicity' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('approving');
    const decided = (await c2.get(`/api/v1/payout-batches/${batchId}?pageSize=200`)).json();
    const upheldRow = decided.items.items.find((p: { id: string }) => p.id === target.id);
    expect(upheldRow.status).toBe('removed');
    expect(upheldRow.openObjections).toBe(0);
    expect(upheldRow.objections).toEqual([
      expect.objectContaining({ id: obj.json().id, status: 'upheld', decision: '核实属实' }),
    ]);
    expect(upheldRow.objections[0].decidedAt).not.toBeNull();
    const keptRow = decided.items.items.find((p: { id: string }) => p.id === kept.id);
    expect(keptRow.status).toBe('pending');
    expect(keptRow.objections[0]).toMatchObject({ status: 'dismissed', decision: '经核实符合条件' });
    // uncapped policy: no cap, nothing committed yet, no remaining figure
    expect(decided).toMatchObject({ budgetCapYuan: null, committedYuan: '0.00', remainingYuan: null });

    const removed = await c2.post(`/api/v1/payouts/${target.id}/approve`, {});
    expect(removed.statusCode).toBe(409);

    const huike = b.items.items.find((p: { enterpriseId: string }) => p.enterpriseId === huikeId);
    const noConsent = await c2.post(`/api/v1/payouts/${huike.id}/approve`, {});
    expect(noConsent.statusCode).toBe(409);
    expect(noConsent.json().error.code).toBe('CONSENT_REQUIRED');
    const ent = await t.login('enterprise');
    const mine = (await ent.get('/api/v1/my/payouts?pageSize=200')).json();
    expect(
      mine.items.filter((p: { batchId: string }) => p.batchId === batchId).map((p: { id: string }) => p.id),
    ).toEqual([huike.id]);
    expect(mine.items.every((p: { enterpriseId: string }) => p.enterpriseId === huikeId)).toBe(true);
    // the enterprise cannot confirm someone else's payout
    expect((await ent.post(`/api/v1/payouts/${target.id}/confirm`, { accept: true })).statusCode).toBe(404);
    const ok = await ent.post(`/api/v1/payouts/${huike.id}/confirm`, { accept: true, bankAccountLast4: '6789' });
    expect(ok.statusCode, ok.body).toBe(200);
    // maker–checker (decision 0020): huiji.admin generated and reviewed the batch, so a second official approves
    const self = await c2.post(`/api/v1/payouts/${huike.id}/approve`, {});
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('SAME_PERSON_APPROVAL');
    const checker = await t.login('huiji.reviewer');
    const approved = await checker.post(`/api/v1/payouts/${huike.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    const afterApprove = (await c2.get(`/api/v1/payout-batches/${batchId}?pageSize=1`)).json();
    expect(Math.round(Number(afterApprove.committedYuan) * 100)).toBe(Math.round(huike.amountYuan * 100));
    expect(Math.round(Number(afterApprove.committedYuan) * 100)).toBeGreaterThan(0);
    expect(afterApprove.remainingYuan).toBeNull();
  });

  it('disburses (paid / failed), releases failed amounts, and exports a treasury list that sums right', async () => {
    const { db } = t.deps.database;
    const c = await t.login('huiji.admin');
    const checker = await t.login('huiji.reviewer');
    // one more firm accepts and is approved, then fails at the bank
    const b = (await c.get(`/api/v1/payout-batches/${batchId}?status=pending&pageSize=200`)).json();
    const second = b.items.items[0];
    await db.update(payouts).set({ consent: 'accepted' }).where(eq(payouts.id, second.id));
    expect((await checker.post(`/api/v1/payouts/${second.id}/approve`, {})).statusCode).toBe(200);
    const [budget] = await db.select().from(policyBudgets).where(eq(policyBudgets.policyId, policyId));
    const approvedRows = await db
      .select()
      .from(payouts)
      .where(and(eq(payouts.batchId, batchId), eq(payouts.status, 'approved')));
    expect(approvedRows.length).toBe(2);
    const fen = (y: string) => Math.round(Number(y) * 100);
    expect(fen(budget!.committedYuan)).toBe(approvedRows.reduce((s, r) => s + fen(r.amountYuan), 0));

    const xl = await c.get(`/api/v1/payout-batches/${batchId}/export.xlsx`);
    expect(xl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(2).values).toEqual([
      undefined,
      '序号',
      '企业名称',
      '统一社会信用代码',
      '开户行/账号',
      '金额(元)',
      '政策文号',
      '批次',
    ]);
    const data: ExcelJS.Row[] = [];
    ws.eachRow((row, n) => {
      if (n > 2 && row.getCell(1).value !== '合计') data.push(row);
    });
    expect(data.length).toBe(2);
    const sumFen = data.reduce((s, r) => s + Math.round(Number(r.getCell(5).value) * 100), 0);
    expect(sumFen).toBe(approvedRows.reduce((s, r) => s + fen(r.amountYuan), 0));
    const total = ws.getRow(ws.rowCount);
    expect(total.getCell(1).value).toBe('合计');
    expect(Math.round(Number(total.getCell(5).value) * 100)).toBe(sumFen);
    const accounts = data.map((r) => String(r.getCell(4).value));
    expect(accounts.some((a) => a.includes('****6789'))).toBe(true);
    expect(accounts.every((a) => !/\d{5,}/.test(a))).toBe(true);

    // Every payout is decided before the disbursement (issue #18): the pending ones block it until removed.
    const blocked = await checker.post(`/api/v1/payout-batches/${batchId}/disburse`, { reference: 'GK-2026-000' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.details.reason).toBe('payouts_undecided');
    expect(blocked.json().error.message).toContain('移出清单');
    const pending = (await c.get(`/api/v1/payout-batches/${batchId}?status=pending&pageSize=200`)).json().items.items;
    expect(pending.length).toBeGreaterThan(0);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.post(`/api/v1/payouts/${pending[0].id}/remove`, { reason: '越权移出' })).statusCode).toBe(404);
    expect((await c.post(`/api/v1/payouts/${pending[0].id}/remove`, {})).statusCode).toBe(400); // a reason is required
    for (const p of pending) {
      const r = await c.post(`/api/v1/payouts/${p.id}/remove`, { reason: '企业未确认意愿，本批次不予拨付' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ status: 'removed', reason: '企业未确认意愿，本批次不予拨付' });
    }
    const [removedRow] = await db.select().from(payouts).where(eq(payouts.id, pending[0].id));
    expect([removedRow!.status, removedRow!.removedReason]).toEqual(['removed', '企业未确认意愿，本批次不予拨付']);
    const removeAudit = await t.deps.database.raw(
      `select count(*)::int as n from audit_log where action = 'policies.payout.remove' and entity_id = '${pending[0].id}'`,
    );
    expect(removeAudit.rows[0]!.n).toBe(1);
    // a removed payout cannot be removed or approved again
    expect((await c.post(`/api/v1/payouts/${pending[0].id}/remove`, { reason: '再次移出' })).statusCode).toBe(409);
    const dis = await checker.post(`/api/v1/payout-batches/${batchId}/disburse`, {
      reference: 'GK-2026-001',
      failed: [{ payoutId: second.id, reason: '账户已销户' }],
    });
    expect(dis.statusCode, dis.body).toBe(200);
    expect(dis.json()).toMatchObject({ status: 'disbursed', paid: 1, failed: 1 });
    const [after] = await db.select().from(policyBudgets).where(eq(policyBudgets.policyId, policyId));
    const paid = approvedRows.find((r) => r.id !== second.id)!;
    expect(fen(after!.committedYuan)).toBe(fen(paid.amountYuan));
    // the batch shows the released figure too
    expect(fen((await c.get(`/api/v1/payout-batches/${batchId}?pageSize=1`)).json().committedYuan)).toBe(
      fen(paid.amountYuan),
    );
    const f = (await c.get(`/api/v1/policies/${policyId}/funnel`)).json();
    expect(f.paid).toBe(1);
    expect(Math.round(f.paidAmount * 100)).toBe(fen(paid.amountYuan));
    const ent = await t.login('enterprise');
    const mine = (await ent.get('/api/v1/my/payouts?pageSize=200')).json();
    const paidMine = mine.items.find((p: { batchId: string }) => p.batchId === batchId);
    expect(paidMine.status).toBe('paid');
    expect(paidMine.bankAccount).toBe('****6789');
    // disbursed is final
    const again = await checker.post(`/api/v1/payout-batches/${batchId}/disburse`, { reference: 'GK-2026-002' });
    expect(again.statusCode).toBe(409);
  });
});

describe('budget cap under concurrent approvals', () => {
  it('50 concurrent approvals against a budget for 10 payouts: exactly 10 succeed, the rest get 409 BUDGET_EXCEEDED', async () => {
    const p = await insertPolicy({
      title: '测试：预算上限并发审批',
      regionCode: '410100',
      budgetCapYuan: '10000000.00', // the list fits when it is publicised …
      eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
      amountFormula: '1000',
      needsConsent: false,
    });
    let c = await t.login('city.admin');
    const gen = await c.post(`/api/v1/policies/${p.id}/payouts/generate`, {});
    expect(gen.statusCode, gen.body).toBe(201);
    expect(gen.json().payouts).toBeGreaterThanOrEqual(50);
    const batchId = gen.json().id;
    for (const action of ['review', 'publish']) {
      const r = await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action });
      expect(r.statusCode, r.body).toBe(200);
    }
    // … then the finance bureau cuts the budget to 10 payouts' worth during publicity
    await t.deps.database.db.update(policies).set({ budgetCapYuan: '10000.00' }).where(eq(policies.id, p.id));
    await advanceDays(8);
    c = await t.login('city.admin');
    expect(
      (await c.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'close_publicity' })).statusCode,
    ).toBe(200);
    const list = (await c.get(`/api/v1/payout-batches/${batchId}?pageSize=50`)).json();
    expect(list.items.items.length).toBe(50);
    expect(list).toMatchObject({ budgetCapYuan: '10000.00', committedYuan: '0.00', remainingYuan: '10000.00' });
    const checker = await t.login('city.reviewer');
    const results = await Promise.all(
      list.items.items.map((x: { id: string }) => checker.post(`/api/v1/payouts/${x.id}/approve`, {})),
    );
    const ok = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(ok.length).toBe(10);
    expect(refused.length).toBe(40);
    for (const r of refused) expect(r.json().error.code).toBe('BUDGET_EXCEEDED');
    expect(refused[0]!.json().error.message).toContain('预算');
    const { db } = t.deps.database;
    const [b] = await db.select().from(policyBudgets).where(eq(policyBudgets.policyId, p.id));
    expect(Number(b!.committedYuan)).toBe(10000);
    const [s] = await db
      .select({ total: sql<string>`coalesce(sum(${payouts.amountYuan}), 0)::text`, n: sql<number>`count(*)::int` })
      .from(payouts)
      .where(and(eq(payouts.policyId, p.id), eq(payouts.status, 'approved')));
    expect(s!.n).toBe(10);
    expect(Number(s!.total)).toBeLessThanOrEqual(10000);
    expect((await c.get(`/api/v1/payout-batches/${batchId}?pageSize=1`)).json()).toMatchObject({
      committedYuan: '10000.00',
      remainingYuan: '0.00',
    });
  });
});

describe('publicity and budget before a list goes public (issue #18)', () => {
  it('refuses a publicity shorter than the minimum, and the city administrator sets the minimum', async () => {
    const p = await insertPolicy({
      title: '测试：公示期过短（惠济区）',
      regionCode: '410108',
      budgetCapYuan: null,
      eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
      amountFormula: '500',
      needsConsent: false,
      publicityDays: 0,
    });
    const c = await t.login('huiji.admin');
    const id = (await c.post(`/api/v1/policies/${p.id}/payouts/generate`, {})).json().id;
    expect((await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'review' })).statusCode).toBe(200);
    const short = await c.request('POST', `/api/v1/payout-batches/${id}/transition`, { action: 'publish' });
    expect(short.statusCode).toBe(409);
    expect(short.json().error.code).toBe('PUBLICITY_TOO_SHORT');
    expect(short.json().error.message).toContain('5 个工作日');
    expect((await c.get(`/api/v1/payout-batches/${id}?pageSize=1`)).json().status).toBe('reviewed');
    // the setting: read by officials, set by the city administrator only (audited)
    expect((await c.get('/api/v1/policies/settings/payouts')).json()).toEqual({ minPublicityWorkingDays: 5 });
    expect(
      (await c.request('PUT', '/api/v1/policies/settings/payouts', { minPublicityWorkingDays: 0 })).statusCode,
    ).toBe(403);
    const city = await t.login('city.admin');
    expect(
      (await city.request('PUT', '/api/v1/policies/settings/payouts', { minPublicityWorkingDays: -1 })).statusCode,
    ).toBe(400);
    const set = await city.request('PUT', '/api/v1/policies/settings/payouts', { minPublicityWorkingDays: 0 });
    expect(set.statusCode, set.body).toBe(200);
    const en = await c.request('POST', `/api/v1/payout-batches/${id}/transition`, { action: 'publish' });
    expect(en.statusCode, en.body).toBe(200);
    const restored = await city.request('PUT', '/api/v1/policies/settings/payouts', { minPublicityWorkingDays: 5 });
    expect(restored.statusCode).toBe(200);
    const audit = await t.deps.database.raw(
      `select count(*)::int as n from audit_log where action = 'policies.payout.settings'`,
    );
    expect(audit.rows[0]!.n).toBe(2);
  });

  it('refuses to publicise a list over the remaining budget; removing payouts makes it fit; a draft can be cancelled', async () => {
    const p = await insertPolicy({
      title: '测试：清单超预算（惠济区）',
      regionCode: '410108',
      budgetCapYuan: '2000.00',
      eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
      amountFormula: '1000',
      needsConsent: false,
    });
    const c = await t.login('huiji.admin');
    const gen = await c.post(`/api/v1/policies/${p.id}/payouts/generate`, {});
    expect(gen.statusCode, gen.body).toBe(201);
    const id = gen.json().id;
    expect(gen.json().payouts).toBeGreaterThan(2);
    expect((await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'review' })).statusCode).toBe(200);
    const over = await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'publish' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('BATCH_OVER_BUDGET');
    expect(over.json().error.message).toContain('2000.00');
    const items = (await c.get(`/api/v1/payout-batches/${id}?pageSize=200`)).json().items.items as { id: string }[];
    for (const x of items.slice(2)) {
      const r = await c.post(`/api/v1/payouts/${x.id}/remove`, { reason: '超出预算，移至下一批次' });
      expect(r.statusCode, r.body).toBe(200);
    }
    const fits = await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'publish' });
    expect(fits.statusCode, fits.body).toBe(200);
    // during publicity a payout leaves the list only by an upheld objection
    const during = await c.post(`/api/v1/payouts/${items[0]!.id}/remove`, { reason: '公示期内移出' });
    expect(during.statusCode).toBe(409);
    expect(during.json().error.details.reason).toBe('not_removable');
    // and a published batch can no longer be cancelled; a fresh draft can, and then takes no further step
    expect((await c.post(`/api/v1/payout-batches/${id}/transition`, { action: 'cancel' })).statusCode).toBe(409);
    const second = await c.post(`/api/v1/policies/${p.id}/payouts/generate`, {});
    expect(second.statusCode, second.body).toBe(201);
    const cancelled = await c.post(`/api/v1/payout-batches/${second.json().id}/transition`, { action: 'cancel' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    for (const action of ['review', 'publish', 'close_publicity', 'cancel']) {
      const r = await c.post(`/api/v1/payout-batches/${second.json().id}/transition`, { action });
      expect(r.statusCode, action).toBe(409);
    }
  });
});
