/** Policy library (issue #5): CRUD, validation, versions, workflow, scope, sanitising, search, evaluate, public pages. */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, orgs, policies } from '../src/server/db/schema/index.ts';
import { safeHref, sanitizeHtml } from '../src/server/modules/policies/sanitize.ts';
import { documentTokens, queryTokens } from '../src/server/modules/policies/search.ts';
import { expirePastDue, JOB_EXPIRE } from '../src/server/modules/policies/service.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const orgId = async (name: string) => (await t.deps.database.db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
const policyId = async (code: string) =>
  (await t.deps.database.db.select().from(policies).where(eq(policies.code, code)))[0]!.id;

async function draftBody(extra: Record<string, unknown> = {}) {
  return {
    title: '惠济区测试政策（草稿）',
    docNo: '惠政〔2026〕99号',
    issuerOrgId: await orgId('惠济区人民政府'),
    level: 'district',
    channel: 'kuaishen',
    summary: '测试摘要',
    bodyHtml:
      '<p onclick="alert(1)">正文<script>alert(1)</script><img src=x onerror=alert(2)></p><a href="javascript:alert(3)">链接</a>',
    tags: ['测试'],
    budgetCapYuan: '100000',
    clauses: [
      {
        title: '测试条款',
        benefitType: 'subsidy',
        eligibility: { all: [{ fact: 'employees_year_end', op: 'gte', value: 10 }] },
        amountFormula: 'min(50000, employees_year_end * 1000)',
        examples: [
          {
            name: '20人',
            facts: { employees_year_end: 20 },
            asOf: '2026-01-01',
            expected: { eligible: true, amount: '20000.00' },
          },
        ],
      },
    ],
    ...extra,
  };
}

describe('CRUD and validation', () => {
  it('creates a draft with clauses, sanitises the body, and shows example results', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.post('/api/v1/policies', await draftBody());
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p.status).toBe('draft');
    expect(p.regionCode).toBe('410108');
    expect(p.bodyHtml).not.toMatch(/script|onclick|onerror|javascript:|<img/i);
    expect(p.bodyHtml).toContain('正文');
    expect(p.clauses[0].examples[0].passed).toBe(true);
    expect(p.clauses[0].description.length).toBeGreaterThan(0);
    expect(p.actions).toEqual(['submit']);
  });

  it('keeps how publicity days count (working days by default, calendar days on request; decisions 0016, issue #18)', async () => {
    const c = await t.login('huiji.admin');
    const plain = await c.post('/api/v1/policies', await draftBody({ title: '公示工作日测试（草稿）' }));
    expect(plain.statusCode, plain.body).toBe(201);
    expect([plain.json().publicityDays, plain.json().publicityDayMode]).toEqual([5, 'working']);
    const calendar = await c.post(
      '/api/v1/policies',
      await draftBody({ title: '公示自然日测试（草稿）', publicityDays: 7, publicityDayMode: 'calendar' }),
    );
    expect(calendar.statusCode, calendar.body).toBe(201);
    const got = (await c.get(`/api/v1/policies/${calendar.json().id}`)).json();
    expect([got.publicityDays, got.publicityDayMode]).toEqual([7, 'calendar']);
    const bad = await c.post('/api/v1/policies', await draftBody({ publicityDayMode: 'lunar' }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('publicityDayMode');
  });

  it('rejects a bad rule naming the path, an unknown fact and a bad formula', async () => {
    const c = await t.login('huiji.admin');
    const bad = await draftBody({
      clauses: [
        {
          title: 'x',
          benefitType: 'subsidy',
          eligibility: {
            all: [
              { fact: 'employees_year_end', op: 'gte', value: 1 },
              { fact: 'no_such_fact', op: 'eq', value: 1 },
            ],
          },
        },
      ],
    });
    const res = await c.post('/api/v1/policies', bad);
    expect(res.statusCode).toBe(400);
    const err = res.json().error;
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(err.details)).toContain('clauses.0.eligibility');
    expect(JSON.stringify(err.details)).toContain('no_such_fact');

    const badType = await draftBody({
      clauses: [
        { title: 'x', benefitType: 'subsidy', eligibility: { fact: 'employees_year_end', op: 'gte', value: 'many' } },
      ],
    });
    expect((await c.post('/api/v1/policies', badType)).statusCode).toBe(400);

    const badFormula = await draftBody({
      clauses: [
        {
          title: 'x',
          benefitType: 'subsidy',
          eligibility: { fact: 'employees_year_end', op: 'gte', value: 1 },
          amountFormula: 'min(1, ',
        },
      ],
    });
    const r3 = await c.post('/api/v1/policies', badFormula);
    expect(r3.statusCode).toBe(400);
    expect(r3.json().error.details.fields[0].field).toBe('body.clauses.0.amountFormula');
  });

  it('updates with the version, 409 on a stale version, and deletes drafts only', async () => {
    const c = await t.login('huiji.admin');
    const created = (await c.post('/api/v1/policies', await draftBody({ title: '版本测试政策' }))).json();
    const body = await draftBody({ title: '版本测试政策（修改）', version: created.version });
    const ok = await c.request('PUT', `/api/v1/policies/${created.id}`, body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().version).toBe(created.version + 1);
    expect(ok.json().title).toBe('版本测试政策（修改）');
    const stale = await c.request('PUT', `/api/v1/policies/${created.id}`, body);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('POLICY_VERSION_CONFLICT');
    expect(stale.json().error.message).toContain('已被他人修改');
    const del = await c.request('DELETE', `/api/v1/policies/${created.id}`);
    expect(del.statusCode).toBe(200);
    expect((await c.get(`/api/v1/policies/${created.id}`)).statusCode).toBe(404);
    // a published policy cannot be deleted
    const pub = await policyId('HJ-GOV-2025-RENT');
    const r = await c.request('DELETE', `/api/v1/policies/${pub}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('POLICY_NOT_EDITABLE');
  });
});

describe('audit, idempotency, languages', () => {
  it('writes audit rows in the transaction of each write; a repeated Idempotency-Key replays the draft', async () => {
    const c = await t.login('huiji.admin');
    const body = await draftBody({ title: '幂等测试政策' });
    const first = await c.post('/api/v1/policies', body, { 'idempotency-key': 'h2-policy-key-1' });
    const again = await c.post('/api/v1/policies', body, { 'idempotency-key': 'h2-policy-key-1' });
    expect(first.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const id = first.json().id;
    await c.post(`/api/v1/policies/${id}/transition`, { action: 'submit' });
    const rows = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(rows.map((r) => r.action).sort()).toEqual(['policy.create', 'policy.transition']);
    const tr = rows.find((r) => r.action === 'policy.transition')!;
    expect(tr.summary).toMatchObject({ action: 'submit', from: 'draft', to: 'review' });
    // a failed transition leaves no audit row and no change
    await c.post(`/api/v1/policies/${id}/transition`, { action: 'expire' });
    const after = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    expect(after.length).toBe(2);
  });

  it('errors are localized: Chinese by default, English on request', async () => {
    const c = await t.login('huiji.admin');
    const id = await policyId('HJ-GOV-2025-RENT');
    const zh = await c.post(`/api/v1/policies/${id}/transition`, { action: 'submit' });
    expect(zh.statusCode).toBe(409);
    expect(zh.json().error.message).toBe('政策当前状态为「已发布」，不能执行「提交审核」操作。');
    const en = await c.post(`/api/v1/policies/${id}/transition`, { action: 'submit' }, { 'accept-language': 'en' });
    expect(en.json().error.message).toContain('is not allowed');
  });
});

describe('workflow', () => {
  it('draft → review → approved → published, illegal steps answer 409, reject needs a reason', async () => {
    const c = await t.login('huiji.admin');
    // maker–checker (decision 0020): a second 惠济区 official approves and publishes
    const checker = await t.login('huiji.reviewer');
    const p = (await c.post('/api/v1/policies', await draftBody({ title: '流程测试政策' }))).json();
    const tr = (action: string, reason?: string) =>
      (['approve', 'publish'].includes(action) ? checker : c).post(
        `/api/v1/policies/${p.id}/transition`,
        reason ? { action, reason } : { action },
      );
    const illegal = await tr('publish');
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.code).toBe('POLICY_TRANSITION_INVALID');
    expect((await tr('submit')).json().status).toBe('review');
    expect((await tr('reject')).statusCode).toBe(400);
    expect((await tr('reject', '标准不明确')).json().status).toBe('draft');
    expect((await tr('submit')).json().status).toBe('review');
    expect((await tr('approve')).json().status).toBe('approved');
    const pub = await tr('publish');
    expect(pub.json().status).toBe('published');
    const detail = (await c.get(`/api/v1/policies/${p.id}`)).json();
    expect(detail.publishedOn).toBeTruthy();
    expect((await tr('submit')).statusCode).toBe(409);
    // the enterprise now sees it; the public page shows it
    const ent = await t.login('enterprise');
    expect((await ent.get(`/api/v1/policies/${p.id}`)).statusCode).toBe(200);
    expect((await t.anonymous().get(`/api/public/policies/${p.id}`)).statusCode).toBe(200);
  });

  it('the issuing department reviews; other roles may not', async () => {
    const id = await policyId('ZZ-GXJ-2026-REVIEW');
    const dept = await t.login('dept.handler'); // 市人社局: not the issuer
    expect((await dept.get(`/api/v1/policies/${id}`)).statusCode).toBe(404);
    const ent = await t.login('enterprise');
    expect((await ent.post(`/api/v1/policies/${id}/transition`, { action: 'approve' })).statusCode).toBe(403);
    const wg = await policyId('ZZ-RSJ-2025-WG');
    const r = await dept.post(`/api/v1/policies/${wg}/transition`, { action: 'expire' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('expired');
  });
});

describe('scope', () => {
  it('a district admin does not see another district’s drafts; parent-region policies are visible', async () => {
    const draft = await policyId('EQ-GOV-2026-DRAFT');
    const review = await policyId('ZZ-GXJ-2026-REVIEW');
    const huiji = await t.login('huiji.admin');
    expect((await huiji.get(`/api/v1/policies/${draft}`)).statusCode).toBe(404);
    expect((await huiji.get(`/api/v1/policies/${review}`)).statusCode).toBe(200);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.get(`/api/v1/policies/${draft}`)).statusCode).toBe(200);
    const list = (await huiji.get('/api/v1/policies?status=draft&pageSize=200')).json();
    expect(list.items.some((p: { id: string }) => p.id === draft)).toBe(false);
  });

  it('an enterprise sees only published and expired policies', async () => {
    const ent = await t.login('enterprise');
    const r = (await ent.get('/api/v1/policies?pageSize=200&status=draft')).json();
    expect(r.total).toBe(0);
    const all = (await ent.get('/api/v1/policies?pageSize=200')).json();
    expect(all.total).toBeGreaterThan(800);
    for (const p of all.items) expect(['published', 'expired']).toContain(p.status);
  });

  it('the library holds 882 policies from 28 issuing departments (city admin, from rows)', async () => {
    const city = await t.login('city.admin');
    const list = (await city.get('/api/v1/policies?pageSize=1')).json();
    expect(list.total).toBeGreaterThanOrEqual(882);
    const issuers = (await city.get('/api/v1/policies/issuers')).json().items;
    expect(issuers.length).toBe(28);
    expect(issuers.reduce((s: number, i: { policies: number }) => s + i.policies, 0)).toBe(list.total);
  });
});

describe('sanitising', () => {
  it('strips scripts, handlers, styles and javascript: URLs, keeps the allow-list', () => {
    const out = sanitizeHtml(
      '<h2 style="color:red">标题</h2><p>段落<b>加粗</b><iframe src="x"></iframe></p><table><tr><td colspan="2" onmouseover="x()">格</td></tr></table>' +
        '<a href="https://www.zhengzhou.gov.cn/a?b=1&amp;c=2">官网</a><a href="JaVa&#x09;Script:alert(1)">坏</a><svg><script>alert(1)</script></svg><!-- c -->',
    );
    expect(out).toContain('<h2>标题</h2>');
    expect(out).toContain('<b>加粗</b>');
    expect(out).toContain('<td colspan="2">格</td>');
    expect(out).toContain('href="https://www.zhengzhou.gov.cn/a?b=1&amp;c=2"');
    expect(out).not.toMatch(/style|iframe|onmouseover|script|svg|alert|<!--/i);
    expect(out).toContain('<a>坏</a>');
    expect(sanitizeHtml(out)).toBe(out);
    expect(sanitizeHtml('<p>a < b & "c"</p>')).toBe('<p>a &lt; b &amp; &quot;c&quot;</p>');
    expect(safeHref('/files/1')).toBe('/files/1');
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('//evil.example')).toBeNull();
  });
});

describe('search', () => {
  it('tokenises Chinese into unigrams and bigrams, queries into bigrams', () => {
    expect(documentTokens('稳岗返还')).toEqual(['稳', '稳岗', '岗', '岗返', '返', '返还', '还']);
    expect(queryTokens('稳岗 2025')).toEqual(['稳岗', '2025']);
  });

  it('"稳岗" finds the 稳岗返还 policy first', async () => {
    const c = await t.login('city.admin');
    const r = (await c.get(`/api/v1/policies?q=${encodeURIComponent('稳岗')}`)).json();
    expect(r.total).toBeGreaterThan(1);
    expect(r.items[0].code).toBe('ZZ-RSJ-2025-WG');
    expect(r.items[0].highlight).toContain('<mark>稳岗</mark>');
  });

  it('a 文号 finds its policy first; title hits rank above body hits', async () => {
    const c = await t.login('city.admin');
    const r = (await c.get(`/api/v1/policies?q=${encodeURIComponent('郑科〔2025〕21号')}`)).json();
    expect(r.items[0].code).toBe('ZZ-KJJ-2025-RD');
    const s = (await c.get(`/api/v1/policies?q=${encodeURIComponent('小升规')}&pageSize=50`)).json();
    expect(s.items[0].code).toBe('HJ-GOV-2025-XSG');
  });

  it('ranks title hits above issuer, summary and body hits even when those are newer', async () => {
    const c = await t.login('huiji.admin');
    const make = async (title: string, summary: string, body: string, publishedOn: string) => {
      const r = await c.post(
        '/api/v1/policies',
        await draftBody({ title, summary, bodyHtml: body, publishedOn, clauses: [] }),
      );
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    const bodyHit = await make(
      '惠济区算力产业扶持办法',
      '支持算力产业',
      '<p>量子通信量子通信量子通信量子通信</p>',
      '2026-06-01',
    );
    const summaryHit = await make('惠济区前沿产业扶持办法', '重点支持量子通信企业', '<p>正文</p>', '2025-06-01');
    const titleHit = await make('惠济区量子通信企业扶持办法', '摘要', '<p>正文</p>', '2019-06-01');
    const r = (await c.get(`/api/v1/policies?q=${encodeURIComponent('量子通信')}`)).json();
    expect(r.items.map((p: { id: string }) => p.id)).toEqual([titleHit, summaryHit, bodyHit]);
  });

  it('an issuer filters', async () => {
    const c = await t.login('city.admin');
    const kjj = await orgId('郑州市科学技术局');
    const r = (await c.get(`/api/v1/policies?issuer=${kjj}&pageSize=200`)).json();
    expect(r.total).toBeGreaterThan(10);
    for (const p of r.items) expect(p.issuerOrgId).toBe(kjj);
    const none = (await c.get(`/api/v1/policies?issuer=${kjj}&q=${encodeURIComponent('稳岗返还')}`)).json();
    expect(none.total).toBe(0);
  });
});

describe('evaluate', () => {
  it('answers per clause with amount, and unknown naming the missing fact', async () => {
    const c = await t.login('enterprise');
    const id = await policyId('HJ-GOV-2025-RENT');
    const ok = await c.post(`/api/v1/policies/${id}/evaluate`, {
      facts: { rent_area_m2: 1000, rent_paid: 400000, size: 'small' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().clauses[0]).toMatchObject({ eligible: true, amount: '120000.00' });
    const unknown = await c.post(`/api/v1/policies/${id}/evaluate`, {
      facts: { rent_area_m2: 1000, rent_paid: 400000 },
    });
    expect(unknown.json().clauses[0].eligible).toBeNull();
    expect(unknown.json().clauses[0].missing).toContain('size');
    const badFact = await c.post(`/api/v1/policies/${id}/evaluate`, { facts: { nope: 1 } });
    expect(badFact.statusCode).toBe(400);
  });

  it('applies 从高不重复 across clauses of one stacking group', async () => {
    const c = await t.login('city.admin');
    const id = await policyId('ZZ-GXJ-2025-ZJTX');
    const r = await c.post(`/api/v1/policies/${id}/evaluate`, {
      facts: {},
      asOf: '2026-01-10',
      qualifications: [
        { type: 'srdi_sme', level: 'provincial', issuedOn: '2024-12-01', validUntil: '2027-11-30' },
        { type: 'little_giant', level: 'national', issuedOn: '2025-07-01', validUntil: '2028-06-30' },
      ],
    });
    const [srdi, giant] = r.json().clauses;
    expect(giant).toMatchObject({ eligible: true, amount: '500000.00', stackedOut: false });
    expect(srdi).toMatchObject({ eligible: true, amount: '0.00', stackedOut: true });
  });

  it('public calculator and page: published only, 404 for drafts, no budget internals', async () => {
    const anon = t.anonymous();
    const pub = await policyId('HJ-GOV-2025-XSG');
    const page = await anon.get(`/api/public/policies/${pub}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).not.toHaveProperty('budgetCapYuan');
    expect(page.json().clauses.length).toBe(2);
    const calc = await anon.post(`/api/public/policies/${pub}/evaluate`, {
      facts: { above_scale: true, first_above_scale_year: 2024, industry_code: 'C3963', strategic_emerging: true },
    });
    expect(calc.statusCode, calc.body).toBe(200);
    expect(calc.json().clauses[0].amount).toBe('300000.00');
    const draft = await policyId('EQ-GOV-2026-DRAFT');
    expect((await anon.get(`/api/public/policies/${draft}`)).statusCode).toBe(404);
    expect((await anon.post(`/api/public/policies/${draft}/evaluate`, { facts: {} })).statusCode).toBe(404);
    const list = (await anon.get(`/api/public/policies?q=${encodeURIComponent('租金补贴')}`)).json();
    expect(list.items[0].code).toBe('HJ-GOV-2025-RENT');
  });

  it('OpenAPI documents the evaluate body with the catalogue facts', async () => {
    const doc = (await t.anonymous().get('/api/openapi.json')).json();
    const op = doc.paths['/api/v1/policies/{id}/evaluate'].post;
    const schema = op.requestBody.content['application/json'].schema;
    expect(Object.keys(schema.properties.facts.properties)).toEqual(
      expect.arrayContaining(['ui_months_paid', 'layoff_rate', 'rd_expense', 'size']),
    );
    expect(schema.properties.facts.properties.ui_paid_last_year.description).toContain('元');
    const cat = (await (await t.login('city.admin')).get('/api/v1/policies/facts-catalogue')).json();
    expect(cat.items.some((f: { key: string }) => f.key === 'insured_avg')).toBe(true);
  });
});

// Last in the file: the job expires every seeded listing past its date, which the tests above do not expect.
describe('automatic expiry (daily job policies.expire)', () => {
  it('expires published policies past expiresOn with the expire step’s audit row; others stay published', async () => {
    const today = '2026-12-04';
    const c = await t.login('huiji.admin');
    const checker = await t.login('huiji.reviewer');
    const publish = async (title: string, expiresOn: string | null) => {
      const p = (await c.post('/api/v1/policies', await draftBody({ title, expiresOn }))).json();
      for (const action of ['submit', 'approve', 'publish'])
        expect(
          (await (action === 'submit' ? c : checker).post(`/api/v1/policies/${p.id}/transition`, { action })).json()
            .status,
        ).toBe({ submit: 'review', approve: 'approved', publish: 'published' }[action]);
      return p.id as string;
    };
    const past = await publish('到期测试政策（已过失效日期）', '2026-11-30');
    const lastDay = await publish('到期测试政策（今日为最后一天）', today);
    const future = await publish('到期测试政策（未到失效日期）', '2027-06-30');
    const open = await publish('到期测试政策（无失效日期）', null);
    const draft = (
      await c.post('/api/v1/policies', await draftBody({ title: '到期测试草稿', expiresOn: '2026-01-31' }))
    ).json().id as string;
    expect(t.deps.jobs.types()).toContain(JOB_EXPIRE);

    const r = await expirePastDue(t.deps, today);
    expect(r.expired).toContain(past);
    for (const id of [lastDay, future, open, draft]) expect(r.expired).not.toContain(id);
    const status = async (id: string) => (await c.get(`/api/v1/policies/${id}`)).json().status;
    expect(await status(past)).toBe('expired');
    expect(await status(lastDay)).toBe('published');
    expect(await status(future)).toBe('published');
    expect(await status(open)).toBe('published');
    expect(await status(draft)).toBe('draft');
    // the seeded computable policies carry no expiry date, so the demo keeps them published
    for (const code of ['HJ-GOV-2025-XSG', 'ZZ-KJJ-2025-RD', 'ZZ-GXJ-2025-ZJTX', 'HJ-GOV-2025-RENT']) {
      const [p] = await t.deps.database.db.select().from(policies).where(eq(policies.code, code));
      expect(p!.status, code).toBe('published');
    }
    // the generated listings past their date are expired too, each through the same step
    const [stillDue] = await t.deps.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(policies)
      .where(and(eq(policies.status, 'published'), sql`${policies.expiresOn} < ${today}`));
    expect(stillDue!.n).toBe(0);

    const rows = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, past), eq(auditLog.action, 'policy.transition')));
    const auto = rows.find((a) => (a.summary as { action?: string }).action === 'expire');
    expect(auto).toBeDefined();
    expect(auto!.actorUsername).toBe('system');
    expect(auto!.summary).toMatchObject({ action: 'expire', from: 'published', to: 'expired', auto: 'expiresOn' });
    expect(auto!.summary).toMatchObject({ expiresOn: '2026-11-30' });

    // a second run finds nothing left to do
    expect((await expirePastDue(t.deps, today)).expired).toEqual([]);
  });
});
