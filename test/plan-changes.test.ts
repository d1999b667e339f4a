/**
 * Plan changes are requests (issue #16, decision 0020). The probe: park.operator re-planned its own milestone
 * deadlines and so cleared its 逾期 flag with no approval. Now the operator's change of plan is a request; the
 * approved plan stays in force (overdue judged against it) and beside the proposal until the district approves
 * or returns it; actual dates apply at once; the requester cannot decide its own request.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parkPlanChanges, parks, users } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let parkId: string;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  const { db } = t.deps.database;
  const [op] = await db.select().from(users).where(eq(users.username, 'park.operator'));
  const [park] = await db.select().from(parks).where(eq(parks.operatorOrgId, op!.orgId!)).limit(1);
  parkId = park!.id;
});
afterAll(async () => t.close());

const userId = async (username: string) =>
  (await t.deps.database.db.select().from(users).where(eq(users.username, username)))[0]!.id;

const APPROVED = [
  { key: 'filing', name: '备案', plannedOn: '2022-01-10', actualOn: '2022-01-08' },
  { key: 'ground', name: '开工', plannedOn: '2022-03-01', actualOn: null },
];

describe('milestone re-plans', () => {
  it('the probe: an operator moving an overdue deadline files a request and stays 逾期 until the district approves', async () => {
    const admin = await t.login('huiji.admin');
    const operator = await t.login('park.operator');
    // the district sets the plan directly (it is the approver): no request
    const set = await admin.request('PUT', `/api/v1/parks/${parkId}/milestones`, { milestones: APPROVED });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().changeRequest).toBeNull();
    expect((await operator.get(`/api/v1/parks/${parkId}`)).json().overdue).toBe(true);

    // the operator moves the overdue deadline and corrects an actual date in the same request
    const moved = [
      { ...APPROVED[0]!, actualOn: '2022-01-09' },
      { ...APPROVED[1]!, plannedOn: '2030-01-01' },
    ];
    const put = await operator.request('PUT', `/api/v1/parks/${parkId}/milestones`, {
      milestones: moved,
      reason: '土地手续延后',
    });
    expect(put.statusCode, put.body).toBe(202);
    const changeId = put.json().changeRequest.id as string;
    expect(put.json().changeRequest.status).toBe('pending');
    const d = (await operator.get(`/api/v1/parks/${parkId}`)).json();
    // the approved plan is still in force: still 逾期; the actual date applied at once
    expect(d.overdue).toBe(true);
    expect(d.milestones.map((m: { plannedOn: string }) => m.plannedOn)).toEqual(['2022-01-10', '2022-03-01']);
    expect(d.milestones[0].actualOn).toBe('2022-01-09');
    expect(d.milestones[1].status).toBe('red');
    // the request holds the approved plan beside the proposal
    expect(d.planChanges[0]).toMatchObject({
      id: changeId,
      kind: 'milestones',
      status: 'pending',
      reason: '土地手续延后',
      requestedByName: '粤浦科技智造谷运营专员',
    });
    expect(d.planChanges[0].original.milestones[1].plannedOn).toBe('2022-03-01');
    expect(d.planChanges[0].proposal.milestones[1].plannedOn).toBe('2030-01-01');

    // the district's queue lists it; another district does not see it and cannot decide it
    const queue = (await admin.get('/api/v1/parks/plan-changes?status=pending')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(changeId);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.get('/api/v1/parks/plan-changes?status=pending')).json().items).toEqual([]);
    const foreign = await erqi.post(`/api/v1/parks/${parkId}/plan-changes/${changeId}/decision`, {
      decision: 'approve',
    });
    expect(foreign.statusCode).toBe(404);
    // the operator cannot approve its own request (no parks:manage)
    const own = await operator.post(`/api/v1/parks/${parkId}/plan-changes/${changeId}/decision`, {
      decision: 'approve',
    });
    expect(own.statusCode).toBe(403);

    // returned with a note: nothing changes
    const noNote = await admin.post(`/api/v1/parks/${parkId}/plan-changes/${changeId}/decision`, {
      decision: 'return',
    });
    expect(noNote.statusCode).toBe(400);
    const ret = await admin.post(`/api/v1/parks/${parkId}/plan-changes/${changeId}/decision`, {
      decision: 'return',
      note: '请附国土部门证明',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json().status).toBe('returned');
    const after = (await admin.get(`/api/v1/parks/${parkId}`)).json();
    expect(after.overdue).toBe(true);
    expect(after.planChanges[0]).toMatchObject({ status: 'returned', decisionNote: '请附国土部门证明' });
    const twice = await admin.post(`/api/v1/parks/${parkId}/plan-changes/${changeId}/decision`, {
      decision: 'approve',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('PLAN_CHANGE_STATE_INVALID');

    // a new request, approved: the plan moves and the park is no longer 逾期
    const again = await operator.request('PUT', `/api/v1/parks/${parkId}/milestones`, {
      milestones: moved,
      reason: '已附证明',
    });
    expect(again.statusCode).toBe(202);
    const id2 = again.json().changeRequest.id as string;
    const ok = await admin.post(`/api/v1/parks/${parkId}/plan-changes/${id2}/decision`, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    const done = (await operator.get(`/api/v1/parks/${parkId}`)).json();
    expect(done.overdue).toBe(false);
    expect(done.milestones.map((m: { plannedOn: string }) => m.plannedOn)).toEqual(['2022-01-10', '2030-01-01']);
    expect(done.milestones[0].actualOn).toBe('2022-01-09');
    expect(done.planChanges.find((c: { id: string }) => c.id === id2).status).toBe('approved');
  });

  it('only actual dates: applied at once, no request', async () => {
    const operator = await t.login('park.operator');
    const d = (await operator.get(`/api/v1/parks/${parkId}`)).json();
    const list = d.milestones.map((m: { key: string; name: string; plannedOn: string; actualOn: string | null }) => ({
      key: m.key,
      name: m.name,
      plannedOn: m.plannedOn,
      actualOn: m.key === 'filing' ? '2022-01-07' : m.actualOn,
    }));
    const put = await operator.request('PUT', `/api/v1/parks/${parkId}/milestones`, { milestones: list });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().changeRequest).toBeNull();
    expect((await operator.get(`/api/v1/parks/${parkId}`)).json().milestones[0].actualOn).toBe('2022-01-07');
  });

  it('the requester cannot decide its own request, even holding the permission', async () => {
    const operator = await t.login('park.operator');
    const put = await operator.request('PUT', `/api/v1/parks/${parkId}/milestones`, {
      milestones: [{ key: 'filing', name: '备案', plannedOn: '2022-02-10', actualOn: '2022-01-07' }],
    });
    expect(put.statusCode).toBe(202);
    const id = put.json().changeRequest.id as string;
    await t.deps.database.db
      .update(parkPlanChanges)
      .set({ requestedBy: await userId('huiji.admin') })
      .where(eq(parkPlanChanges.id, id));
    const admin = await t.login('huiji.admin');
    const self = await admin.post(`/api/v1/parks/${parkId}/plan-changes/${id}/decision`, { decision: 'approve' });
    expect(self.statusCode).toBe(403);
    expect(self.json().error.code).toBe('SAME_PERSON_APPROVAL');
    const reviewer = await t.login('huiji.reviewer');
    const ok = await reviewer.post(`/api/v1/parks/${parkId}/plan-changes/${id}/decision`, {
      decision: 'return',
      note: '保持原计划',
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('investment plan changes', () => {
  it("an operator's yearly plan is a request; the district approves it", async () => {
    const operator = await t.login('park.operator');
    const before = (await operator.get(`/api/v1/parks/${parkId}`)).json().investment.plans;
    const put = await operator.request('PUT', `/api/v1/parks/${parkId}/plans`, {
      year: 2027,
      plannedWan: 4321,
      reason: '新增二期',
    });
    expect(put.statusCode, put.body).toBe(202);
    const id = put.json().changeRequest.id as string;
    const d = (await operator.get(`/api/v1/parks/${parkId}`)).json();
    expect(d.investment.plans).toEqual(before);
    expect(d.planChanges.find((c: { id: string }) => c.id === id)).toMatchObject({
      kind: 'investment_plan',
      status: 'pending',
      proposal: { year: 2027, plannedWan: 4321 },
      original: { year: 2027, plannedWan: 0 },
    });
    const reviewer = await t.login('huiji.reviewer');
    const ok = await reviewer.post(`/api/v1/parks/${parkId}/plan-changes/${id}/decision`, { decision: 'approve' });
    expect(ok.statusCode, ok.body).toBe(200);
    const plans = (await operator.get(`/api/v1/parks/${parkId}`)).json().investment.plans;
    expect(plans).toContainEqual({ year: 2027, plannedWan: 4321 });
    // the district sets a plan directly
    const admin = await t.login('huiji.admin');
    const direct = await admin.request('PUT', `/api/v1/parks/${parkId}/plans`, { year: 2028, plannedWan: 100 });
    expect(direct.statusCode).toBe(200);
    expect(direct.json().changeRequest).toBeNull();
  });
});
