/**
 * 万人助万企 assistance module on the real database: the seeds' KPI figures from rows, rankings, scope, the
 * workflow (every illegal transition refused, version conflicts, concurrent transfers, rating 不满意 reopens,
 * extension before the deadline, stop-the-clock), idempotent intake, visit-cap warnings, pairing import.
 */

import { and, count, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../src/domain/assistance/deadlines.ts';
import { PROBLEM_ACTIONS, PROBLEM_STATES, RULES } from '../src/domain/assistance/workflow.ts';
import {
  assistanceCadres,
  assistancePairings,
  assistanceProblems,
  assistanceWorkGroups,
  enterprises,
  notifications,
  orgs,
  users,
} from '../src/server/db/schema/index.ts';
import { ASSISTANCE_SEED_FIGURES } from '../src/server/db/seed/assistance.ts';
import { escalateOverdue, todayOf } from '../src/server/modules/assistance/problems.ts';
import { type Client, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  const { db } = t.deps.database;
  const org = async (name: string) => (await db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
  ids.rsj = await org('郑州市人力资源和社会保障局');
  ids.zgj = await org('郑州市自然资源和规划局');
  ids.jrzx = await org('郑州市金融服务中心');
  ids.huijiGov = await org('惠济区人民政府');
  const entOrg = await org('郑州惠科精密制造有限公司（演示）');
  ids.ent1 = (await db.select().from(enterprises).where(eq(enterprises.orgId, entOrg)))[0]!.id;
  const ent2Org = await org('郑州智联电子信息有限公司（演示）');
  ids.ent2 = (await db.select().from(enterprises).where(eq(enterprises.orgId, ent2Org)))[0]!.id;
  ids.handler = (await db.select().from(users).where(eq(users.username, 'dept.handler')))[0]!.id;
});
afterAll(async () => t.close());

const today = () => todayOf(t.deps.clock.now());

async function act(c: Client, id: string, body: Record<string, unknown>) {
  return c.post(`/api/v1/assistance/problems/${id}/actions`, body);
}
async function detail(c: Client, id: string) {
  const res = await c.get(`/api/v1/assistance/problems/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
/** Applies an action with the current version and expects success. */
async function step(c: Client, id: string, body: Record<string, unknown>) {
  const { version } = await detail(c, id);
  const res = await act(c, id, { version, ...body });
  expect(res.statusCode, `${String(body.action)}: ${res.body}`).toBe(200);
  return res.json();
}
async function submit(c: Client, body: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/assistance/problems', {
    source: 'enterprise',
    category: 'labour',
    title: `测试诉求 ${Math.random().toString(36).slice(2, 8)}`,
    description: '测试用诉求描述',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('KPIs reproduce the seeds from rows (acceptance)', () => {
  it('郑州 to 2022-05-31: 11,449 collected, 11,423 solved, 99.7% (seed 003)', async () => {
    const city = await t.login('city.admin');
    const res = await city.get('/api/v1/assistance/kpis?region=410100&to=2022-05-31');
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json();
    expect(k.collected).toBe(11449);
    expect(k.resolved).toBe(11423);
    expect(k.resolutionRate).toBe(0.9977);
    expect(k.display.resolutionRate).toBe('99.7%');
    // the 26 not yet solved arrived in the last days of May and were within their deadline
    expect(k.openWithinDeadline).toBe(26);
    expect(k.overdue).toBe(0);
  });

  it('惠济区 to 2023-05-15: 633 collected; in 2023: 227 collected, 200 solved, 7 within their deadline (seed 001)', async () => {
    const huiji = await t.login('huiji.admin');
    const all = (await huiji.get('/api/v1/assistance/kpis?region=410108&to=2023-05-15')).json();
    expect(all.collected).toBe(633);
    const y = (await huiji.get('/api/v1/assistance/kpis?region=410108&from=2023-01-01&to=2023-05-15')).json();
    expect(y.collected).toBe(227);
    expect(y.resolved).toBe(200);
    expect(y.openWithinDeadline).toBe(7);
    // the other 20 were closed with an explanation, not solved
    expect(y.closedOtherwise).toBe(20);
    expect(y.collected - y.resolved - y.openWithinDeadline - y.overdue).toBe(20);
    // the same figures for the city admin asking about 惠济
    const city = await t.login('city.admin');
    expect(
      (await city.get('/api/v1/assistance/kpis?region=410108&from=2023-01-01&to=2023-05-15')).json().resolved,
    ).toBe(200);
  });

  it('KPIs by department (a handler sees its own) and by cadre', async () => {
    const h = await t.login('dept.handler');
    const mine = (await h.get('/api/v1/assistance/kpis?to=2022-05-31')).json();
    expect(mine.orgId).toBe(ids.rsj);
    expect(mine.collected).toBeGreaterThan(100);
    expect(mine.collected).toBeLessThan(11449);
    const city = await t.login('city.admin');
    const byOrg = (await city.get(`/api/v1/assistance/kpis?region=410100&to=2022-05-31&orgId=${ids.rsj}`)).json();
    expect(byOrg.collected).toBe(mine.collected);
    const cadreUser = (await t.deps.database.db.select().from(users).where(eq(users.username, 'cadre')))[0]!;
    const [cad] = await t.deps.database.db
      .select()
      .from(assistanceCadres)
      .where(eq(assistanceCadres.userId, cadreUser.id));
    const byCadre = (await city.get(`/api/v1/assistance/kpis?region=410100&cadreId=${cad!.id}`)).json();
    expect(byCadre.collected).toBeGreaterThanOrEqual(5);
    // the cadre itself gets the figures of its own paired firms, whatever it asks
    const cadre = await t.login('cadre');
    const own = (await cadre.get('/api/v1/assistance/kpis?cadreId=00000000-0000-4000-8000-000000000000')).json();
    expect(own.cadreId).toBe(cad!.id);
    expect(own.collected).toBe(byCadre.collected);
    expect((await (await t.login('enterprise')).get('/api/v1/assistance/kpis')).statusCode).toBe(403);
  });

  it('a district admin cannot ask for another district', async () => {
    const huiji = await t.login('huiji.admin');
    expect((await huiji.get('/api/v1/assistance/kpis?region=410103&to=2023-05-15')).statusCode).toBe(404);
  });

  it('coverage: 211 groups, 5,084 cadres, 12,327 paired firms, 24,570 visits and 9,493 symposia to May 2022', async () => {
    const city = await t.login('city.admin');
    const res = await city.get('/api/v1/assistance/coverage?region=410100&from=2021-06-01&to=2022-05-31');
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.paired).toBe(ASSISTANCE_SEED_FIGURES.city.pairedFirms);
    expect(c.cadres).toBe(5084);
    expect(c.visits).toBe(24570);
    expect(c.symposia).toBe(9493);
    expect(c.coverageRate).toBeGreaterThan(0.99);
    const [{ n }] = await t.deps.database.db
      .select({ n: count() })
      .from(assistanceWorkGroups)
      .where(sql`${assistanceWorkGroups.regionCode} like '4101%'`);
    expect(n).toBe(211);
    const groups = await city.get('/api/v1/assistance/groups');
    expect(groups.statusCode, groups.body).toBe(200);
    expect(groups.json().total).toBe(211);
  });

  it('惠济 ranks first of the six urban districts on 办结率 and 满意率 in 2023, with n shown', async () => {
    const city = await t.login('city.admin');
    for (const rankBy of ['resolutionRate', 'satisfactionRate']) {
      const res = await city.get(
        `/api/v1/assistance/rankings?by=district&from=2023-01-01&to=2023-05-15&rankBy=${rankBy}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const items = res.json().items as { code: string; rank: number | null; n: number }[];
      const six = items.filter((i) => ['410102', '410103', '410104', '410105', '410106', '410108'].includes(i.code));
      expect(six).toHaveLength(6);
      const best = [...six].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))[0]!;
      expect(best.code, rankBy).toBe('410108');
      expect(best.rank).toBe(1);
      expect(six.find((i) => i.code === '410108')!.n).toBe(227);
    }
  });

  it('a unit under the minimum sample is shown with n but not ranked', async () => {
    const city = await t.login('city.admin');
    const s = (await city.get('/api/v1/assistance/settings?region=410100')).json();
    const { region: _r, definedAt: _d, defaults: _x, ...value } = s;
    const put = await city.request('PUT', '/api/v1/assistance/settings?region=410100', {
      ...value,
      minRankingSample: 200,
    });
    expect(put.statusCode, put.body).toBe(200);
    const items = (await city.get('/api/v1/assistance/rankings?by=district&from=2023-01-01&to=2023-05-15')).json()
      .items as { code: string; rank: number | null; n: number; belowMinSample: boolean }[];
    const small = items.filter((i) => i.n < 200);
    expect(small.length).toBeGreaterThan(0);
    for (const i of small) expect([i.rank, i.belowMinSample]).toEqual([null, true]);
    expect(items.filter((i) => i.n >= 200).every((i) => i.rank !== null)).toBe(true);
    await city.request('PUT', '/api/v1/assistance/settings?region=410100', value);
  });
});

describe('scope', () => {
  it('an enterprise user sees only its own problems', async () => {
    const firm = await t.login('enterprise');
    const list = (await firm.get('/api/v1/assistance/problems?pageSize=200')).json();
    expect(list.total).toBeGreaterThanOrEqual(5);
    for (const p of list.items) expect(p.enterpriseId).toBe(ids.ent1);
    const [other] = await t.deps.database.db
      .select()
      .from(assistanceProblems)
      .where(eq(assistanceProblems.regionCode, '410108'))
      .limit(1);
    expect((await firm.get(`/api/v1/assistance/problems/${other!.id}`)).statusCode).toBe(404);
  });

  it('a department handler sees only problems assigned to its department', async () => {
    const h = await t.login('dept.handler');
    const list = (await h.get('/api/v1/assistance/problems?pageSize=200')).json();
    expect(list.total).toBeGreaterThan(100);
    for (const p of list.items) expect(p.orgId).toBe(ids.rsj);
    const [other] = await t.deps.database.db
      .select()
      .from(assistanceProblems)
      .where(eq(assistanceProblems.orgId, ids.zgj))
      .limit(1);
    expect((await h.get(`/api/v1/assistance/problems/${other!.id}`)).statusCode).toBe(404);
  });

  it('a cadre sees only the problems of its paired enterprises', async () => {
    const cadre = await t.login('cadre');
    const { db } = t.deps.database;
    const cadreUser = (await db.select().from(users).where(eq(users.username, 'cadre')))[0]!;
    const mine = await db
      .select({ e: assistancePairings.enterpriseId })
      .from(assistancePairings)
      .innerJoin(assistanceCadres, eq(assistanceCadres.id, assistancePairings.cadreId))
      .where(eq(assistanceCadres.userId, cadreUser.id));
    const paired = new Set(mine.map((m) => m.e));
    expect(paired.has(ids.ent1)).toBe(true);
    const list = (await cadre.get('/api/v1/assistance/problems?pageSize=200')).json();
    expect(list.total).toBeGreaterThanOrEqual(5);
    for (const p of list.items) expect(paired.has(p.enterpriseId)).toBe(true);
    // a problem of a firm in 惠济 that is not paired with this cadre
    const [other] = await db
      .select()
      .from(assistanceProblems)
      .where(and(eq(assistanceProblems.regionCode, '410108'), sql`${assistanceProblems.enterpriseId} is null`))
      .limit(1);
    expect((await cadre.get(`/api/v1/assistance/problems/${other!.id}`)).statusCode).toBe(404);
  });

  it('a district admin does not see another district', async () => {
    const erqi = await t.login('erqi.admin');
    const list = (await erqi.get('/api/v1/assistance/problems?pageSize=50')).json();
    expect(list.total).toBeGreaterThan(0);
    for (const p of list.items) expect(p.regionCode.startsWith('410103')).toBe(true);
    const [huijiProblem] = await t.deps.database.db
      .select()
      .from(assistanceProblems)
      .where(eq(assistanceProblems.enterpriseId, ids.ent1))
      .limit(1);
    expect((await erqi.get(`/api/v1/assistance/problems/${huijiProblem!.id}`)).statusCode).toBe(404);
    expect((await act(erqi, huijiProblem!.id, { action: 'escalate', version: 1, note: 'x' })).statusCode).toBe(404);
  });
});

describe('intake', () => {
  it('creation honours Idempotency-Key (one row, the same answer replayed) and suggests duplicates', async () => {
    const firm = await t.login('enterprise');
    const { db } = t.deps.database;
    const before = (await db.select({ n: count() }).from(assistanceProblems))[0]!.n;
    const body = {
      source: 'enterprise',
      category: 'labour',
      title: '数控技工招聘困难，缺口约 20 人',
      description: '新产线投产后数控车工缺口约 20 人',
      enterpriseId: ids.ent2, // ignored: an enterprise user files for its own firm
    };
    const a = await firm.post('/api/v1/assistance/problems', body, { 'idempotency-key': 'assist-key-000001' });
    const b = await firm.post('/api/v1/assistance/problems', body, { 'idempotency-key': 'assist-key-000001' });
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.json().id).toBe(a.json().id);
    expect((await db.select({ n: count() }).from(assistanceProblems))[0]!.n).toBe(before + 1);
    const p = a.json();
    expect(p.enterpriseId).toBe(ids.ent1);
    expect(p.status).toBe('collected');
    expect(p.deadlines.dueOn).toBe(addCalendarDays(today(), 7));
    expect(p.deadlines.assignBy).toBe(addCalendarDays(today(), 1));
    // the seeded problem with the same title is suggested
    expect(p.duplicates.length).toBeGreaterThan(0);
    expect(p.duplicates[0].title).toContain('数控技工');
    const dup = await firm.get(
      `/api/v1/assistance/problems/duplicates?category=labour&text=${encodeURIComponent('数控技工招聘困难')}`,
    );
    expect(dup.json().length).toBeGreaterThanOrEqual(2);
    // a cadre may submit for a paired firm but not for an unpaired one
    const cadre = await t.login('cadre');
    const [unpaired] = await db
      .select()
      .from(enterprises)
      .where(and(eq(enterprises.regionCode, '410103')))
      .limit(1);
    const refused = await cadre.post('/api/v1/assistance/problems', {
      ...body,
      source: 'cadre',
      enterpriseId: unpaired!.id,
    });
    expect(refused.statusCode).toBe(404);
    const ok = await cadre.post('/api/v1/assistance/problems', { ...body, source: 'cadre', enterpriseId: ids.ent2 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().enterpriseId).toBe(ids.ent2);
  });
});

describe('attachments', () => {
  it("a firm attaches its own photo; another user's file is refused", async () => {
    const firm = await t.login('enterprise');
    await firm.get('/api/v1/auth/csrf');
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const upload = async (c: Client) => {
      const boundary = '----h5-photo';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/files',
        payload: body,
        cookies: c.cookies,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'x-csrf-token': c.cookies.miaopu_csrf ?? '',
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const fileId = await upload(firm);
    const p = await submit(firm, { attachmentFileIds: [fileId] });
    expect(p.attachments.map((a: { id: string }) => a.id)).toEqual([fileId]);
    expect(p.attachments[0].originalName).toBe('photo.png');
    const cadre = await t.login('cadre');
    await cadre.get('/api/v1/auth/csrf');
    const foreignFile = await upload(cadre);
    const refused = await firm.post('/api/v1/assistance/problems', {
      source: 'enterprise',
      category: 'other',
      title: '别人的附件',
      attachmentFileIds: [foreignFile],
    });
    expect(refused.statusCode).toBe(400);
    // the handling department sees the photo through the problem; the files API alone would not show it
    const huiji = await t.login('huiji.admin');
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj, handlerUserId: ids.handler });
    const handler = await t.login('dept.handler');
    const url = `/api/v1/assistance/problems/${p.id}/attachments/${fileId}`;
    expect((await handler.get(`/api/v1/files/${fileId}/content`)).statusCode).toBe(404);
    const photo = await handler.get(url);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(photo.rawPayload, png)).toBe(0);
    // a file that is not this problem's attachment, and a caller who may not see the problem: 404
    expect((await handler.get(`/api/v1/assistance/problems/${p.id}/attachments/${foreignFile}`)).statusCode).toBe(404);
    expect((await (await t.login('erqi.admin')).get(url)).statusCode).toBe(404);
  });
});

describe('workflow', () => {
  it('the whole path: submit, assign, accept, feedback, resolve; 不满意 reopens with a new deadline; then 满意 and close', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const p = await submit(firm);
    expect(p.actions).toEqual(['withdraw']);
    const office = await detail(huiji, p.id);
    expect(office.actions).toContain('assign');
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj, handlerUserId: ids.handler });
    const h = await detail(handler, p.id);
    expect(h.status).toBe('assigned');
    expect(h.handlerName).toBe('市人社局办理人');
    expect(h.actions).toEqual(
      expect.arrayContaining(['accept', 'transfer', 'return', 'request_extension', 'stop_clock']),
    );
    await step(handler, p.id, { action: 'accept' });
    await step(handler, p.id, { action: 'feedback', note: '已联系企业了解岗位需求' });
    await step(handler, p.id, { action: 'resolve', answer: '已安排专场招聘会', closureCode: 'resolved' });
    const resolved = await detail(firm, p.id);
    expect(resolved.status).toBe('resolved');
    expect(resolved.actions).toEqual(['rate']);
    const reopened = await step(firm, p.id, { action: 'rate', rating: 'unsatisfied', comment: '招聘会没有对口岗位' });
    expect(reopened.status).toBe('in_progress');
    expect(reopened.reopenCount).toBe(1);
    expect(reopened.resolvedAt).toBeNull();
    expect(reopened.deadlines.dueOn).toBe(addCalendarDays(today(), 7));
    expect(reopened.events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'assign',
      'accept',
      'feedback',
      'resolve',
      'rate',
    ]);
    // the handler is notified of the reopening
    const notes = await t.deps.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ids.handler), eq(notifications.entityId, p.id)));
    expect(notes.some((n) => n.kind === 'assistance.problem.rate')).toBe(true);
    await step(handler, p.id, { action: 'resolve', answer: '已对接职业院校定向培养', closureCode: 'resolved' });
    const rated = await step(firm, p.id, { action: 'rate', rating: 'basically_satisfied' });
    expect(rated.status).toBe('rated');
    expect(rated.confirmedByFirm).toBe(true);
    const closed = await step(huiji, p.id, { action: 'close' });
    expect(closed.status).toBe('closed');
    expect(closed.actions).toEqual([]);
  });

  it('every illegal transition is refused with 409 naming the state and the action (all states × actions)', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const byState: Record<string, string> = {};
    const mk = async () => (await submit(firm)).id as string;
    byState.collected = await mk();
    byState.assigned = await mk();
    await step(huiji, byState.assigned, { action: 'assign', orgId: ids.rsj });
    byState.in_progress = await mk();
    await step(huiji, byState.in_progress, { action: 'assign', orgId: ids.rsj });
    await step(handler, byState.in_progress, { action: 'accept' });
    byState.resolved = await mk();
    await step(huiji, byState.resolved, { action: 'assign', orgId: ids.rsj });
    await step(handler, byState.resolved, { action: 'accept' });
    await step(handler, byState.resolved, { action: 'resolve', answer: '已答复', closureCode: 'resolved' });
    byState.rated = await mk();
    await step(huiji, byState.rated, { action: 'assign', orgId: ids.rsj });
    await step(handler, byState.rated, { action: 'accept' });
    await step(handler, byState.rated, { action: 'resolve', answer: '已答复', closureCode: 'resolved' });
    await step(firm, byState.rated, { action: 'rate', rating: 'satisfied' });
    byState.closed = await mk();
    await step(firm, byState.closed, { action: 'withdraw', reason: '已自行解决' });
    const payload: Record<string, Record<string, unknown>> = {
      assign: { orgId: ids.rsj },
      accept: {},
      feedback: { note: '进展' },
      resolve: { answer: '答复内容', closureCode: 'resolved' },
      rate: { rating: 'satisfied' },
      close: {},
      transfer: { orgId: ids.zgj, reason: '不属于本部门' },
      return: { reason: '不属于本部门' },
      request_extension: { days: 5, reason: '需要现场核实' },
      approve_extension: {},
      reject_extension: { reason: '理由不充分' },
      stop_clock: { reason: 'awaiting_firm_materials', note: '等材料' },
      resume_clock: {},
      escalate: { note: '督办' },
      withdraw: {},
    };
    const zh: Record<string, string> = {
      collected: '已收集',
      assigned: '已交办',
      in_progress: '办理中',
      resolved: '已办结',
      rated: '已评价',
      closed: '已销号',
    };
    let refused = 0;
    for (const state of PROBLEM_STATES) {
      const id = byState[state]!;
      expect((await detail(huiji, id)).status).toBe(state);
      for (const action of PROBLEM_ACTIONS) {
        if (RULES[action].from.includes(state)) continue;
        // the most powerful callers for the action: the firm for its own actions, the city admin otherwise
        for (const c of [huiji, firm]) {
          const { version } = await detail(c, id);
          const res = await act(c, id, { action, version, ...payload[action] });
          expect(res.statusCode, `${state} × ${action}: ${res.body}`).toBe(409);
          const err = res.json().error;
          expect(err.code).toBe('ASSISTANCE_ACTION_INVALID');
          expect(err.message).toContain(zh[state]);
          refused++;
        }
      }
      // nothing changed
      expect((await detail(huiji, id)).status).toBe(state);
    }
    expect(refused).toBeGreaterThan(100);
    // English
    const en = await act(huiji, byState.closed!, {
      action: 'accept',
      version: (await detail(huiji, byState.closed!)).version,
    });
    expect(en.statusCode).toBe(409);
    const enRes = await huiji.request(
      'POST',
      `/api/v1/assistance/problems/${byState.closed}/actions`,
      { action: 'accept', version: 1 },
      { 'accept-language': 'en' },
    );
    expect(enRes.json().error.message).toContain('"closed"');
    // right state, wrong party: the handler cannot rate, the firm cannot assign
    const wrong = await act(handler, byState.resolved!, {
      action: 'rate',
      rating: 'satisfied',
      version: (await detail(handler, byState.resolved!)).version,
    });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.message).toContain('有权');
  });

  it('a stale version is refused with VERSION_CONFLICT', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const p = await submit(firm);
    const first = await act(huiji, p.id, { action: 'assign', orgId: ids.rsj, version: p.version });
    expect(first.statusCode).toBe(200);
    const stale = await act(huiji, p.id, { action: 'escalate', note: '督办', version: p.version });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('VERSION_CONFLICT');
  });

  it('two concurrent transfers of one problem: exactly one 200 and one 409', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const p = await submit(firm);
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
    const { version } = await detail(huiji, p.id);
    const [a, b] = await Promise.all([
      act(huiji, p.id, { action: 'transfer', orgId: ids.zgj, reason: '属于用地问题', version }),
      act(huiji, p.id, { action: 'transfer', orgId: ids.jrzx, reason: '属于融资问题', version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().error.code).toBe('VERSION_CONFLICT');
    const after = await detail(huiji, p.id);
    expect(after.version).toBe(version + 1);
    expect(after.events.filter((e: { action: string }) => e.action === 'transfer')).toHaveLength(1);
  });

  it('the firm does not see internal events (return), and sees the stop-the-clock reason', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const p = await submit(firm);
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
    await step(handler, p.id, { action: 'return', reason: '属于区级事权' });
    const back = await detail(huiji, p.id);
    expect(back.status).toBe('collected');
    expect(back.orgId).toBeNull();
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
    await step(handler, p.id, { action: 'stop_clock', reason: 'awaiting_firm_materials', note: '请补充社保明细' });
    const seen = await detail(firm, p.id);
    expect(seen.events.map((e: { action: string }) => e.action)).not.toContain('return');
    expect(seen.events.map((e: { action: string }) => e.action)).toContain('stop_clock');
    expect(seen.stopped.reason).toBe('awaiting_firm_materials');
    expect((await detail(huiji, p.id)).events.map((e: { action: string }) => e.action)).toContain('return');
  });

  it('批处理: a common issue resolves all its open problems in one transaction', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const a = await submit(firm, { title: '园区通勤班车不足 A' });
    const b = await submit(firm, { title: '园区通勤班车不足 B' });
    for (const p of [a, b]) {
      await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
      await step(handler, p.id, { action: 'accept' });
    }
    const ci = await huiji.post('/api/v1/assistance/common-issues', {
      title: '园区通勤班车不足',
      ownerOrgId: ids.rsj,
      problemIds: [a.id, b.id],
      regionCode: '410108',
    });
    expect(ci.statusCode, ci.body).toBe(201);
    const batch = await handler.post(`/api/v1/assistance/common-issues/${ci.json().id}/batch`, {
      action: 'resolve',
      answer: '已协调公交公司增开通勤班车',
      closureCode: 'resolved',
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json().applied).toBe(2);
    expect((await detail(firm, a.id)).status).toBe('resolved');
    expect((await detail(firm, b.id)).status).toBe('resolved');
    const list = (await huiji.get('/api/v1/assistance/common-issues')).json();
    expect(list.find((x: { id: string }) => x.id === ci.json().id).problems).toBe(2);
  });
});

describe('common issues route their members and say why a batch cannot run (issue #18)', () => {
  it('merging unrouted problems assigns them to the owner; the detail counts them open; a batch with nothing to do is refused with the reason', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const a = await submit(firm, { title: '园区污水管网堵塞 A' });
    const b = await submit(firm, { title: '园区污水管网堵塞 B' });
    expect([a.status, b.status]).toEqual(['collected', 'collected']);
    const ci = await huiji.post('/api/v1/assistance/common-issues', {
      title: '园区污水管网堵塞',
      ownerOrgId: ids.rsj,
      problemIds: [a.id, b.id],
      regionCode: '410108',
    });
    expect(ci.statusCode, ci.body).toBe(201);
    expect(ci.json().routed).toBe(2);
    for (const p of [a, b]) {
      const d = await detail(huiji, p.id);
      expect(d.status).toBe('assigned');
      expect(d.orgId).toBe(ids.rsj);
    }
    const d = (await huiji.get(`/api/v1/assistance/common-issues/${ci.json().id}`)).json();
    expect({ total: d.total, open: d.open, unrouted: d.unrouted }).toEqual({ total: 2, open: 2, unrouted: 0 });
    // assigned but not accepted: 办结 cannot run on any member; the answer says why (was { applied: 0 })
    const none = await handler.request(
      'POST',
      `/api/v1/assistance/common-issues/${ci.json().id}/batch`,
      { action: 'resolve', answer: '已疏通', closureCode: 'resolved' },
      { 'accept-language': 'zh-CN' },
    );
    expect(none.statusCode, none.body).toBe(409);
    expect(none.json().error.code).toBe('COMMON_ISSUE_NOTHING_TO_DO');
    expect(none.json().error.message).toContain('2 个已交办未签收');
    // progress feedback does run on assigned members
    const fb = await handler.post(`/api/v1/assistance/common-issues/${ci.json().id}/batch`, {
      action: 'feedback',
      note: '已联系市政部门现场查看',
    });
    expect(fb.statusCode, fb.body).toBe(200);
    expect(fb.json().applied).toBe(2);
  });
});

describe('the firm hears of each step (issue #18)', () => {
  it('assignment, acceptance, feedback and stop-the-clock reach the firm with the note it may read', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const [me] = await t.deps.database.db.select().from(users).where(eq(users.username, 'enterprise'));
    const p = await submit(firm, { title: '厂区变压器增容报装进度慢' });
    const kindsFor = async () =>
      (
        await t.deps.database.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, me!.id), eq(notifications.entityId, p.id)))
      ).map((n) => n.title);
    expect(await kindsFor()).toEqual([]);
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
    await step(handler, p.id, { action: 'accept' });
    await step(handler, p.id, { action: 'feedback', note: '已与供电公司对接，正在排期' });
    await step(handler, p.id, { action: 'stop_clock', reason: 'awaiting_firm_materials', note: '请补充用电负荷清单' });
    const titles = await kindsFor();
    expect(titles).toHaveLength(4);
    for (const word of ['已交办承办单位', '承办单位已签收', '有新的办理进展', '暂停计时'])
      expect(
        titles.some((x) => x.includes(word)),
        word,
      ).toBe(true);
    // the notice carries what the firm may read: the stop note asks for the materials
    const [stop] = await t.deps.database.db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, me!.id),
          eq(notifications.entityId, p.id),
          sql`${notifications.title} like '%暂停计时%'`,
        ),
      );
    expect(stop!.body).toContain('请补充用电负荷清单');
  });
});

describe('visits and pairings', () => {
  it('warns (does not refuse) when a visit exceeds the monthly cap or the firm prefers online', async () => {
    const cadre = await t.login('cadre');
    const day = today();
    const cal = (
      await cadre.get(`/api/v1/assistance/enterprises/${ids.ent1}/calendar?from=${day.slice(0, 8)}01&to=${day}`)
    ).json();
    const cap = cal.visitCapPerMonth as number;
    let already = cal.visits.length as number;
    let last: { warnings: { code: string }[] } | null = null;
    while (already <= cap) {
      const res = await cadre.post('/api/v1/assistance/visits', {
        kind: 'visit',
        date: day,
        enterpriseIds: [ids.ent1],
        participants: ['助企干部'],
        notes: '回访',
        location: { lat: 34.85, lng: 113.6, accuracy: 12, consent: true },
      });
      expect(res.statusCode, res.body).toBe(201);
      last = res.json();
      already++;
      if (already <= cap) expect(last!.warnings).toEqual([]);
    }
    expect(last!.warnings.map((w) => w.code)).toEqual(['VISIT_CAP_EXCEEDED']);
    const online = await cadre.post('/api/v1/assistance/visits', {
      kind: 'visit',
      date: day,
      enterpriseIds: [ids.ent2],
    });
    expect(online.statusCode).toBe(201);
    expect(online.json().warnings.map((w: { code: string }) => w.code)).toContain('PREFERS_ONLINE');
    // a location without consent is refused by validation
    const noConsent = await cadre.post('/api/v1/assistance/visits', {
      kind: 'visit',
      date: day,
      enterpriseIds: [ids.ent1],
      location: { lat: 34.85, lng: 113.6, accuracy: 12, consent: false },
    });
    expect(noConsent.statusCode).toBe(400);
    // the firm sees its calendar across departments, and may set its own preference
    const firm = await t.login('enterprise');
    const mine = (
      await firm.get(`/api/v1/assistance/enterprises/${ids.ent1}/calendar?from=${day.slice(0, 8)}01&to=${day}`)
    ).json();
    expect(mine.visits.length).toBeGreaterThan(cap);
    expect(new Set(mine.visits.map((v: { orgName: string }) => v.orgName)).size).toBeGreaterThan(1);
    const pref = await firm.request('PUT', `/api/v1/assistance/enterprises/${ids.ent1}/preferences`, {
      preferOnline: true,
    });
    expect(pref.statusCode, pref.body).toBe(200);
    expect(
      (await firm.request('PUT', `/api/v1/assistance/enterprises/${ids.ent2}/preferences`, { preferOnline: true }))
        .statusCode,
    ).toBe(404);
  });

  it('pairing import: row errors refuse the whole file and nothing is written; a clean file imports', async () => {
    const huiji = await t.login('huiji.admin');
    const { db } = t.deps.database;
    const cadreUser = (await db.select().from(users).where(eq(users.username, 'cadre')))[0]!;
    const [cad] = await db.select().from(assistanceCadres).where(eq(assistanceCadres.userId, cadreUser.id));
    const [e] = await db
      .select()
      .from(enterprises)
      .where(
        and(
          eq(enterprises.regionCode, '410108'),
          sql`${enterprises.id} not in (${ids.ent1}, ${ids.ent2})`,
          // a firm this cadre is not paired with yet
          sql`not exists (select 1 from assistance_pairings p where p.cadre_id = ${cad!.id} and p.firm_uscc = ${enterprises.uscc})`,
        ),
      )
      .limit(1);
    const header = [
      '干部姓名',
      '干部单位',
      '工作组',
      '企业统一社会信用代码',
      '企业名称',
      '包联开始日期',
      '包联结束日期',
    ];
    const build = async (rows: (string | null)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('包联名单');
      ws.addRow(header);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const upload = async (bytes: Buffer) => {
      const boundary = '----h5-boundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/assistance/pairings/import',
        payload: body,
        cookies: huiji.cookies,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'x-csrf-token': huiji.cookies.miaopu_csrf ?? '',
        },
      });
    };
    await huiji.get('/api/v1/auth/csrf');
    const before = (await db.select({ n: count() }).from(assistancePairings))[0]!.n;
    const bad = await upload(
      await build([
        [cad!.name, cad!.org, null, e!.uscc, null, '2024-01-01', null],
        ['查无此人', null, null, e!.uscc, null, '2024-01-01', null],
        [cad!.name, cad!.org, null, '91410108MA0000000X', '某公司', '2024-13-45', null],
      ]),
    );
    expect(bad.statusCode, bad.body).toBe(400);
    const err = bad.json().error;
    expect(err.code).toBe('IMPORT_ROWS_INVALID');
    const rows = new Set(err.details.errors.map((x: { row: number }) => x.row));
    expect([...rows].sort()).toEqual([3, 4]);
    expect(err.details.errors.map((x: { column: string }) => x.column)).toEqual(
      expect.arrayContaining(['干部姓名', '企业统一社会信用代码', '包联开始日期']),
    );
    expect((await db.select({ n: count() }).from(assistancePairings))[0]!.n).toBe(before);
    const good = await upload(await build([[cad!.name, cad!.org, null, e!.uscc, null, '2024-01-01', null]]));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().imported).toBe(1);
    expect((await db.select({ n: count() }).from(assistancePairings))[0]!.n).toBe(before + 1);
    // the same file again changes nothing (issue #18: it doubled the pairings)
    const again = await upload(await build([[cad!.name, cad!.org, null, e!.uscc, null, '2024-01-01', null]]));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ imported: 0, unchanged: 1 });
    expect((await db.select({ n: count() }).from(assistancePairings))[0]!.n).toBe(before + 1);
    // an overlapping period of the same cadre and firm is a row error with its row number, as in the API
    const overlap = await upload(await build([[cad!.name, cad!.org, null, e!.uscc, null, '2024-06-01', '2024-12-31']]));
    expect(overlap.statusCode, overlap.body).toBe(400);
    expect(overlap.json().error.details.errors.map((x: { row: number }) => x.row)).toEqual([2]);
    expect(overlap.json().error.details.errors[0].message).toContain('已有包联关系');
    expect((await db.select({ n: count() }).from(assistancePairings))[0]!.n).toBe(before + 1);
    const tpl = await huiji.get('/api/v1/assistance/pairings/template.xlsx');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});

describe('settings, pairings and coverage', () => {
  it('解决率 counts only firm-confirmed resolutions when the region says so; 基本满意 counts as a setting', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const handler = await t.login('dept.handler');
    const p = await submit(firm);
    await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
    await step(handler, p.id, { action: 'accept' });
    await step(handler, p.id, { action: 'resolve', answer: '已答复', closureCode: 'resolved' });
    const url = `/api/v1/assistance/kpis?region=410108&from=${today()}&to=${today()}`;
    const loose = (await huiji.get(url)).json();
    const put = await huiji.request('PUT', '/api/v1/assistance/settings?region=410108', {
      resolutionRequiresConfirmation: true,
      countBasicallySatisfied: false,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().resolutionRequiresConfirmation).toBe(true);
    expect(put.json().definedAt).toBe('410108');
    const strict = (await huiji.get(url)).json();
    // every unconfirmed resolution of the day drops out, this one included
    expect(strict.resolved).toBeLessThan(loose.resolved);
    await step(firm, p.id, { action: 'rate', rating: 'basically_satisfied' });
    const confirmed = (await huiji.get(url)).json();
    expect(confirmed.resolved).toBe(strict.resolved + 1);
    // 基本满意 no longer counts as satisfied
    expect(confirmed.ratings.basicallySatisfied).toBeGreaterThanOrEqual(1);
    expect(confirmed.satisfactionRate).toBeLessThan(1);
    await huiji.request('PUT', '/api/v1/assistance/settings?region=410108', {
      resolutionRequiresConfirmation: false,
      countBasicallySatisfied: true,
    });
    expect((await huiji.get(url)).json().satisfactionRate).toBe(1);
    // a district admin cannot change another district's settings; a cadre cannot change any
    expect(
      (await huiji.request('PUT', '/api/v1/assistance/settings?region=410103', { visitCapPerMonth: 3 })).statusCode,
    ).toBe(404);
    const cadre = await t.login('cadre');
    expect(
      (await cadre.request('PUT', '/api/v1/assistance/settings?region=410108', { visitCapPerMonth: 3 })).statusCode,
    ).toBe(403);
  });

  it('pairs, lists and removes a pairing; coverage lists cadres without a visit with their reason', async () => {
    const huiji = await t.login('huiji.admin');
    const { db } = t.deps.database;
    const [cad] = await db
      .select()
      .from(assistanceCadres)
      .where(and(eq(assistanceCadres.regionCode, '410108'), sql`${assistanceCadres.userId} is null`))
      .limit(1);
    const created = await huiji.post('/api/v1/assistance/pairings', {
      cadreId: cad!.id,
      enterpriseId: ids.ent2,
      fromOn: '2025-01-01',
    });
    expect(created.statusCode, created.body).toBe(201);
    const again = await huiji.post('/api/v1/assistance/pairings', {
      cadreId: cad!.id,
      enterpriseId: ids.ent2,
      fromOn: '2025-02-01',
    });
    expect(again.statusCode).toBe(409);
    const list = (await huiji.get(`/api/v1/assistance/pairings?cadreId=${cad!.id}`)).json();
    expect(list.items.some((x: { enterpriseId: string }) => x.enterpriseId === ids.ent2)).toBe(true);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.request('DELETE', `/api/v1/assistance/pairings/${created.json().id}`)).statusCode).toBe(404);
    expect((await huiji.request('DELETE', `/api/v1/assistance/pairings/${created.json().id}`)).statusCode).toBe(200);
    expect(
      (await huiji.get(`/api/v1/assistance/pairings?cadreId=${cad!.id}`))
        .json()
        .items.some((x: { enterpriseId: string }) => x.enterpriseId === ids.ent2),
    ).toBe(false);
    // coverage of a quiet period: the cadre made no visit and gave a reason
    const reason = await huiji.post(`/api/v1/assistance/cadres/${cad!.id}/no-visit-reason`, {
      from: '2024-01-01',
      to: '2024-01-31',
      reason: '借调至防汛指挥部',
    });
    expect(reason.statusCode, reason.body).toBe(201);
    const cov = (await huiji.get('/api/v1/assistance/coverage?from=2024-01-01&to=2024-01-31')).json();
    expect(cov.cadres).toBeGreaterThan(0);
    const row = cov.cadresWithoutVisit.find((x: { cadreId: string }) => x.cadreId === cad!.id);
    if (row) expect(row.reason).toBe('借调至防汛指挥部');
    else expect(cov.cadresWithoutVisit).toHaveLength(200); // listed beyond the first 200
    // a new work group with members; phones are masked
    const g = await huiji.post('/api/v1/assistance/groups', {
      regionCode: '410108',
      name: '惠济区万人助万企测试工作组',
      leaderName: '测试组长',
      members: [{ name: '测试干部', org: '惠济区科技和工业信息化局', phone: '13912345678' }],
    });
    expect(g.statusCode, g.body).toBe(201);
    const gd = (await huiji.get(`/api/v1/assistance/groups/${g.json().id}`)).json();
    expect(gd.members).toHaveLength(1);
    expect(gd.members[0].phoneMasked).toBe('139****5678');
    expect(JSON.stringify(gd)).not.toContain('13912345678');
  });
});

describe('deadlines that move with time (the clock advances; these run last)', () => {
  it('an extension only before the deadline; stop-the-clock moves the due date; overdue problems escalate', async () => {
    let firm = await t.login('enterprise');
    let huiji = await t.login('huiji.admin');
    let handler = await t.login('dept.handler');
    const ext = await submit(firm);
    const paused = await submit(firm);
    const late = await submit(firm);
    const unrated = await submit(firm);
    for (const p of [ext, paused, late, unrated]) {
      await step(huiji, p.id, { action: 'assign', orgId: ids.rsj });
      await step(handler, p.id, { action: 'accept' });
    }
    // resolved but not yet confirmed by the firm: the office cannot close it during the confirmation window
    await step(handler, unrated.id, { action: 'resolve', answer: '已答复', closureCode: 'resolved' });
    const early = await act(huiji, unrated.id, { action: 'close', version: (await detail(huiji, unrated.id)).version });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('CONFIRM_WINDOW_OPEN');
    // and the page does not offer it: the actions come from the same rule (issue #18)
    expect((await detail(huiji, unrated.id)).actions).not.toContain('close');
    // in time: requested, then rejected by the supervisor
    await step(handler, ext.id, { action: 'request_extension', days: 5, reason: '需要跨部门会商' });
    await step(huiji, ext.id, { action: 'reject_extension', reason: '请按期办结' });
    await step(handler, paused.id, {
      action: 'stop_clock',
      reason: 'awaiting_other_department',
      note: '等待自然资源局意见',
    });
    const due0 = (await detail(handler, paused.id)).deadlines.dueOn as string;
    // three days later
    t.clock.advanceMinutes(3 * 24 * 60);
    huiji = await t.login('huiji.admin');
    handler = await t.login('dept.handler');
    const resumed = await step(handler, paused.id, { action: 'resume_clock' });
    expect(resumed.deadlines.dueOn).toBe(addCalendarDays(due0, 3));
    // ten days after submission the deadline has passed: too late to ask for an extension
    t.clock.advanceMinutes(7 * 24 * 60);
    firm = await t.login('enterprise');
    huiji = await t.login('huiji.admin');
    handler = await t.login('dept.handler');
    const { version } = await detail(handler, ext.id);
    const tooLate = await act(handler, ext.id, { action: 'request_extension', version, days: 5, reason: '补充申请' });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().error.code).toBe('EXTENSION_TOO_LATE');
    // ten days after assignment the dispute window (1 working day) is closed
    const v2 = (await detail(handler, late.id)).version;
    const transfer = await act(handler, late.id, {
      action: 'transfer',
      version: v2,
      orgId: ids.zgj,
      reason: '不属于本部门',
    });
    expect(transfer.statusCode).toBe(409);
    expect(transfer.json().error.code).toBe('DISPUTE_WINDOW_CLOSED');
    // after the confirmation window the office closes the unrated resolution (now offered)
    expect((await detail(huiji, unrated.id)).actions).toContain('close');
    expect((await step(huiji, unrated.id, { action: 'close' })).status).toBe('closed');
    // approved extension moves the due date
    const fresh = await submit(firm);
    await step(huiji, fresh.id, { action: 'assign', orgId: ids.rsj });
    await step(handler, fresh.id, { action: 'request_extension', days: 10, reason: '复杂问题' });
    const approved = await step(huiji, fresh.id, { action: 'approve_extension' });
    expect(approved.deadlines.dueOn).toBe(addCalendarDays(today(), 17));
    expect(approved.extension.status).toBe('approved');
    // 督办: the daily job escalates the overdue problem up the ladder and notifies
    const out = await escalateOverdue(t.deps, today());
    expect(out.escalated).toBeGreaterThan(0);
    const after = await detail(huiji, late.id);
    expect(after.overdue).toBe(true);
    expect(after.escalationLevel).toBe(1);
    expect(after.events.some((e: { action: string }) => e.action === 'escalate')).toBe(true);
    const admin = (await t.deps.database.db.select().from(users).where(eq(users.username, 'huiji.admin')))[0]!;
    const notes = await t.deps.database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, admin.id), eq(notifications.kind, 'assistance.problem.overdue')));
    expect(notes.some((n) => n.entityId === late.id)).toBe(true);
    const overdueList = (await huiji.get('/api/v1/assistance/problems?overdue=true&pageSize=200')).json();
    expect(overdueList.items.some((p: { id: string }) => p.id === late.id)).toBe(true);
    // a week later the ladder's second rung (7 days late) is reached
    await escalateOverdue(t.deps, addCalendarDays(today(), 7));
    expect((await detail(huiji, late.id)).escalationLevel).toBe(2);
  });
});

describe('handlers for the assign form', () => {
  it('lists the active department handlers of an org the caller may assign to, and refuses others', async () => {
    const huiji = await t.login('huiji.admin');
    const res = await huiji.get(`/api/v1/assistance/handlers?orgId=${ids.rsj}`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; displayName: string }[];
    expect(items.map((u) => u.id)).toContain(ids.handler);
    expect(items.find((u) => u.id === ids.handler)?.displayName).toBe('市人社局办理人');
    // the handler sees its own org, not another department
    const h = await t.login('dept.handler');
    expect((await h.get(`/api/v1/assistance/handlers?orgId=${ids.rsj}`)).statusCode).toBe(200);
    expect((await h.get(`/api/v1/assistance/handlers?orgId=${ids.zgj}`)).statusCode).toBe(404);
    const firm = await t.login('enterprise');
    expect((await firm.get(`/api/v1/assistance/handlers?orgId=${ids.rsj}`)).statusCode).toBe(403);
  });
});
