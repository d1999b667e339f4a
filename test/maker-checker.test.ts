/**
 * Maker–checker and issuer scope (issue #16, decision 0020): the probes of the issue as tests.
 * - huiji.admin created a policy and alone sent submit, approve and publish → approve and publish now 403
 *   SAME_PERSON_APPROVAL; huiji.reviewer approves and publishes.
 * - huiji.admin created a policy whose issuer is 二七区人民政府 → now 403 POLICY_ISSUER_OUT_OF_SCOPE.
 * - publishing with a failing example case → 409 POLICY_EXAMPLES_FAILING naming the example.
 * - payout batches generated, reviewed and approved by one person → approval and disbursement need another official.
 * - an application's decision cannot come from whoever filed it.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enterprises,
  orgs,
  payoutBatches,
  policies,
  policyApplications,
  users,
} from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => t.close());

const orgId = async (name: string) => (await t.deps.database.db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
const userId = async (username: string) =>
  (await t.deps.database.db.select().from(users).where(eq(users.username, username)))[0]!.id;

async function body(extra: Record<string, unknown> = {}, exampleAmount = '1000.00') {
  return {
    title: '惠济区稳岗奖励（双人审核测试）',
    docNo: '惠政〔2026〕88号',
    issuerOrgId: await orgId('惠济区人民政府'),
    level: 'district',
    channel: 'mianshen',
    summary: '测试',
    clauses: [
      {
        title: '稳岗奖励',
        benefitType: 'reward',
        eligibility: { fact: 'operating_revenue', op: 'gte', value: 0 },
        amountFormula: '1000',
        examples: [
          {
            name: '营收为正的企业',
            facts: { operating_revenue: 100 },
            asOf: '2026-01-01',
            expected: { eligible: true, amount: exampleAmount },
          },
        ],
      },
    ],
    ...extra,
  };
}

describe('policy publication: submit → approve → publish by two people', () => {
  it('the probe: the author alone cannot approve or publish; a second official can; who did what is recorded', async () => {
    const admin = await t.login('huiji.admin');
    const reviewer = await t.login('huiji.reviewer');
    const p = (await admin.post('/api/v1/policies', await body())).json();
    const tr = (c: typeof admin, action: string, lang?: string) =>
      c.post(`/api/v1/policies/${p.id}/transition`, { action }, lang ? { 'accept-language': lang } : {});
    expect((await tr(admin, 'submit')).json().status).toBe('review');
    const self = await tr(admin, 'approve');
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('SAME_PERSON_APPROVAL');
    expect(self.json().error.message).toContain('审批人不能是提交人或起草人');
    const en = await tr(admin, 'approve', 'en');
    expect(en.json().error.message).toContain('cannot be the submitter or the author');
    // the detail tells the author why approve is refused; the reviewer sees no refusal
    const mine = (await admin.get(`/api/v1/policies/${p.id}`)).json();
    expect(mine.refusedActions).toEqual([expect.objectContaining({ action: 'approve', code: 'SAME_PERSON_APPROVAL' })]);
    expect((await reviewer.get(`/api/v1/policies/${p.id}`)).json().refusedActions).toEqual([]);
    expect((await tr(reviewer, 'approve')).json().status).toBe('approved');
    // publish: not by the author or submitter either
    const selfPublish = await tr(admin, 'publish');
    expect(selfPublish.statusCode).toBe(403);
    expect(selfPublish.json().error.code).toBe('SAME_PERSON_APPROVAL');
    expect((await tr(reviewer, 'publish')).json().status).toBe('published');
    const [row] = await t.deps.database.db.select().from(policies).where(eq(policies.id, p.id));
    expect(row).toMatchObject({
      status: 'published',
      createdBy: await userId('huiji.admin'),
      submittedBy: await userId('huiji.admin'),
      approvedBy: await userId('huiji.reviewer'),
      publishedBy: await userId('huiji.reviewer'),
    });
  });

  it('a submitter who is not the author cannot approve; nor can whoever edited the policy under review', async () => {
    const admin = await t.login('huiji.admin');
    const reviewer = await t.login('huiji.reviewer');
    const city = await t.login('city.admin');
    const p = (await admin.post('/api/v1/policies', await body({ title: '编辑后审核测试' }))).json();
    expect((await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'submit' })).statusCode).toBe(200);
    // the reviewer submitted it: the author and the submitter are both refused
    for (const c of [admin, reviewer]) {
      const r = await c.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' });
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('SAME_PERSON_APPROVAL');
    }
    // the city admin edits it under review, and so may not approve it either
    const cur = (await city.get(`/api/v1/policies/${p.id}`)).json();
    const put = await city.request('PUT', `/api/v1/policies/${p.id}`, {
      ...(await body({ title: '编辑后审核测试（市级修改）' })),
      version: cur.version,
    });
    expect(put.statusCode, put.body).toBe(200);
    const edited = await city.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' });
    expect(edited.statusCode).toBe(403);
    expect(edited.json().error.code).toBe('SAME_PERSON_APPROVAL');
    const other = await t.login('city.reviewer');
    expect((await other.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' })).json().status).toBe(
      'approved',
    );
  });
});

describe('issuer scope', () => {
  it('the probe: huiji.admin cannot name 二七区人民政府 as the issuer (create or update); the city admin may', async () => {
    const admin = await t.login('huiji.admin');
    const erqiGov = await orgId('二七区人民政府');
    const res = await admin.post('/api/v1/policies', await body({ issuerOrgId: erqiGov }));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('POLICY_ISSUER_OUT_OF_SCOPE');
    expect(res.json().error.message).toContain('二七区人民政府');
    const n = await t.deps.database.db.select().from(policies).where(eq(policies.issuerOrgId, erqiGov));
    expect(n.every((p) => p.title !== '惠济区稳岗奖励（双人审核测试）')).toBe(true);
    // a city department is outside a district's scope too
    const cityDept = await admin.post(
      '/api/v1/policies',
      await body({ issuerOrgId: await orgId('郑州市人力资源和社会保障局') }),
    );
    expect(cityDept.statusCode).toBe(403);
    // an update cannot switch the issuer either
    const own = (await admin.post('/api/v1/policies', await body({ title: '发文单位测试' }))).json();
    const put = await admin.request('PUT', `/api/v1/policies/${own.id}`, {
      ...(await body({ title: '发文单位测试', issuerOrgId: erqiGov })),
      version: own.version,
    });
    expect(put.statusCode).toBe(403);
    expect(put.json().error.code).toBe('POLICY_ISSUER_OUT_OF_SCOPE');
    const city = await t.login('city.admin');
    const ok = await city.post('/api/v1/policies', await body({ issuerOrgId: erqiGov, regionCode: '410103' }));
    expect(ok.statusCode, ok.body).toBe(201);
  });
});

describe('publishing needs passing examples', () => {
  it('refuses publish while an example case fails, naming it; publishes once fixed', async () => {
    const admin = await t.login('huiji.admin');
    const reviewer = await t.login('huiji.reviewer');
    const p = (await admin.post('/api/v1/policies', await body({ title: '示例失败测试' }, '999.00'))).json();
    expect((await admin.post(`/api/v1/policies/${p.id}/transition`, { action: 'submit' })).statusCode).toBe(200);
    expect((await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' })).statusCode).toBe(200);
    const refused = await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'publish' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('POLICY_EXAMPLES_FAILING');
    expect(refused.json().error.message).toContain('营收为正的企业');
    expect(refused.json().error.details.failing[0].mismatches[0]).toContain('amount');
    expect((await reviewer.get(`/api/v1/policies/${p.id}`)).json()).toMatchObject({
      status: 'approved',
      refusedActions: [expect.objectContaining({ action: 'publish', code: 'POLICY_EXAMPLES_FAILING' })],
    });
    // back to draft, fix the example, through the two-person flow again
    await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'reject', reason: '示例金额有误' });
    const cur = (await admin.get(`/api/v1/policies/${p.id}`)).json();
    const fixed = await admin.request('PUT', `/api/v1/policies/${p.id}`, {
      ...(await body({ title: '示例失败测试' })),
      version: cur.version,
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    await admin.post(`/api/v1/policies/${p.id}/transition`, { action: 'submit' });
    await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' });
    expect((await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'publish' })).json().status).toBe(
      'published',
    );
  });
});

describe('payout batches: review → approve → disburse by two people', () => {
  it('the probe: who generated and reviewed a batch cannot approve its payouts or record the disbursement', async () => {
    const admin = await t.login('huiji.admin');
    const reviewer = await t.login('huiji.reviewer');
    const p = (await admin.post('/api/v1/policies', await body({ title: '拨付双人审核测试' }))).json();
    await admin.post(`/api/v1/policies/${p.id}/transition`, { action: 'submit' });
    await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'approve' });
    expect((await reviewer.post(`/api/v1/policies/${p.id}/transition`, { action: 'publish' })).statusCode).toBe(200);
    const rm = await admin.post(`/api/v1/policies/${p.id}/rematch`, {});
    expect(rm.statusCode, rm.body).toBe(202);
    expect((await waitForJob(t.deps, rm.json().jobId)).status).toBe('succeeded');
    const gen = await admin.post(`/api/v1/policies/${p.id}/payouts/generate`, {});
    expect(gen.statusCode, gen.body).toBe(201);
    expect(gen.json().payouts).toBeGreaterThan(1);
    const batchId = gen.json().id as string;
    for (const action of ['review', 'publish'])
      expect((await admin.post(`/api/v1/payout-batches/${batchId}/transition`, { action })).statusCode).toBe(200);
    t.clock.advanceMinutes(6 * 24 * 60);
    const admin2 = await t.login('huiji.admin');
    const reviewer2 = await t.login('huiji.reviewer');
    const close = await admin2.post(`/api/v1/payout-batches/${batchId}/transition`, { action: 'close_publicity' });
    expect(close.statusCode, close.body).toBe(200);
    const list = (await admin2.get(`/api/v1/payout-batches/${batchId}?pageSize=5`)).json().items.items;
    const self = await admin2.post(`/api/v1/payouts/${list[0].id}/approve`, {});
    expect(self.statusCode, self.body).toBe(403);
    expect(self.json().error.code).toBe('SAME_PERSON_APPROVAL');
    expect(self.json().error.message).toContain('审批人不能是提交人或起草人');
    const [b] = await t.deps.database.db.select().from(payoutBatches).where(eq(payoutBatches.id, batchId));
    expect(b!.createdBy).toBe(await userId('huiji.admin'));
    expect(b!.reviewedBy).toBe(await userId('huiji.admin'));
    const ok = await reviewer2.post(`/api/v1/payouts/${list[0].id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    // a reviewer of record is a maker too: with huiji.reviewer as the batch's reviewer, it may not approve
    await t.deps.database.db
      .update(payoutBatches)
      .set({ reviewedBy: await userId('huiji.reviewer') })
      .where(eq(payoutBatches.id, batchId));
    const again = await reviewer2.post(`/api/v1/payouts/${list[1].id}/approve`, {});
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('SAME_PERSON_APPROVAL');
    for (const c of [admin2, reviewer2]) {
      const selfDisburse = await c.post(`/api/v1/payout-batches/${batchId}/disburse`, { reference: 'GK-MC-1' });
      expect(selfDisburse.statusCode).toBe(403);
      expect(selfDisburse.json().error.code).toBe('SAME_PERSON_APPROVAL');
    }
    const city = await t.login('city.admin');
    // the payouts left undecided are removed with a reason first (issue #18)
    const pending = (await city.get(`/api/v1/payout-batches/${batchId}?status=pending&pageSize=200`)).json().items
      .items;
    for (const x of pending as { id: string }[])
      expect((await city.post(`/api/v1/payouts/${x.id}/remove`, { reason: '本批次不予拨付' })).statusCode).toBe(200);
    const dis = await city.post(`/api/v1/payout-batches/${batchId}/disburse`, { reference: 'GK-MC-1' });
    expect(dis.statusCode, dis.body).toBe(200);
    expect(dis.json()).toMatchObject({ status: 'disbursed', paid: 1 });
  });
});

describe('application decisions', () => {
  it('whoever filed an application cannot decide it', async () => {
    const { db } = t.deps.database;
    // an application filed by the very official who would decide it (e.g. on a firm's behalf)
    const [policy] = await db.select().from(policies).where(eq(policies.status, 'published')).limit(1);
    const [firm] = await db.select().from(enterprises).where(eq(enterprises.regionCode, '410108')).limit(1);
    const [app] = await db
      .insert(policyApplications)
      .values({
        policyId: policy!.id,
        enterpriseId: firm!.id,
        regionCode: firm!.regionCode,
        orgId: firm!.orgId,
        submittedBy: await userId('city.admin'),
      })
      .returning();
    const city = await t.login('city.admin');
    const self = await city.post(`/api/v1/applications/${app!.id}/decide`, {
      decision: 'approved',
      reasons: '自己审自己',
    });
    expect(self.statusCode, self.body).toBe(403);
    expect(self.json().error.code).toBe('SAME_PERSON_APPROVAL');
    const other = await t.login('city.reviewer');
    const ok = await other.post(`/api/v1/applications/${app!.id}/decide`, {
      decision: 'returned',
      reasons: '请补充材料',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
