import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delayWarning } from '../src/domain/projects.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => t.close());

describe('三个一批 KPIs from the demo rows (seed 003)', () => {
  it('GET /api/v1/projects/kpis?batch=4&region=410100 gives the published figures', async () => {
    const c = await t.login('city.admin');
    const res = await c.get('/api/v1/projects/kpis?batch=4&region=410100');
    expect(res.statusCode, res.body).toBe(200);
    const k = res.json();
    expect(k.asOf).toBe('2022-05-31');
    expect(k.total.count).toBe(403);
    expect(Math.abs(k.total.investment - 3965)).toBeLessThanOrEqual(0.5);
    expect(k.signed.count).toBe(37);
    expect(Math.abs(k.signed.investment - 434)).toBeLessThanOrEqual(0.5);
    expect(k.signed.performanceRate).toBe(100);
    expect(Math.abs(k.signed.startRate - 84)).toBeLessThanOrEqual(0.1);
    expect(k.started.count).toBe(206);
    expect(Math.abs(k.started.investment - 2349)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(k.started.yearInvestment - 406)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(k.started.yearCompletionRate - 53.5)).toBeLessThanOrEqual(0.1);
    expect(k.producing.count).toBe(160);
    expect(Math.abs(k.producing.investment - 1182.5)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(k.producing.completedInvestment - 844)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(k.producing.completionRate - 71.4)).toBeLessThanOrEqual(0.1);
    expect(k.producing.effectiveCount).toBe(136);
    expect(k.producing.effectiveRate).toBe(85);
  });

  it('follows the data: a new month of investment moves yearInvestment and asOf', async () => {
    const c = await t.login('city.admin');
    const list = (await c.get('/api/v1/projects?batch=4&kind=start&pageSize=1')).json();
    const id = list.items[0].id;
    const put = await c.request('PUT', `/api/v1/projects/${id}/investments`, {
      year: 2022,
      month: 6,
      amountWan: 10_000,
    });
    expect(put.statusCode, put.body).toBe(200);
    const k = (await c.get('/api/v1/projects/kpis?batch=4&region=410100')).json();
    expect(k.asOf).toBe('2022-06-30');
    expect(Math.abs(k.started.yearInvestment - 407)).toBeLessThanOrEqual(0.01);
    const pinned = (await c.get('/api/v1/projects/kpis?batch=4&region=410100&asOf=2022-05-31')).json();
    expect(Math.abs(pinned.started.yearInvestment - 406)).toBeLessThanOrEqual(0.5);
  });

  it('scopes KPIs and lists to the caller: a district sees only its own projects', async () => {
    const city = await t.login('city.admin');
    const huiji = await t.login('huiji.admin');
    const cityHuiji = (await city.get('/api/v1/projects/kpis?batch=4&region=410108&asOf=2022-05-31')).json();
    const own = (await huiji.get('/api/v1/projects/kpis?batch=4&asOf=2022-05-31')).json();
    expect(own.total.count).toBe(cityHuiji.total.count);
    expect(own.total.count).toBeLessThan(403);
    const wide = (await huiji.get('/api/v1/projects/kpis?batch=4&region=410100&asOf=2022-05-31')).json();
    expect(wide.total.count).toBe(own.total.count);
    const list = (await huiji.get('/api/v1/projects?pageSize=200')).json();
    expect(list.items.every((p: { regionCode: string }) => p.regionCode === '410108')).toBe(true);
    const fuyang = await t.login('fuyang.admin');
    expect((await fuyang.get('/api/v1/projects/kpis?batch=4')).json().total.count).toBe(0);
    const enterprise = await t.login('enterprise');
    expect((await enterprise.get('/api/v1/projects')).statusCode).toBe(403);
  });

  it('shows a project signed in an earlier batch in a later start batch', async () => {
    const c = await t.login('city.admin');
    const list = (await c.get('/api/v1/projects?batch=4&kind=start&pageSize=200')).json();
    const multi = list.items.find((p: { batches: { kind: string; number: number }[] }) =>
      p.batches.some((b) => b.kind === 'sign' && b.number < 4),
    );
    expect(multi).toBeTruthy();
    const named = (await c.get(`/api/v1/projects?q=${encodeURIComponent('安图生物')}`)).json();
    expect(named.total).toBe(1);
    expect(named.items[0].batches.some((b: { kind: string }) => b.kind === 'start')).toBe(true);
  });
});

describe('delay warnings', () => {
  it('the SQL filter agrees with the domain rule on every project', async () => {
    const c = await t.login('city.admin');
    const asOf = '2022-09-15';
    const all = (await c.get(`/api/v1/projects?pageSize=200&asOf=${asOf}&kind=sign`)).json();
    expect(all.total).toBeGreaterThan(0);
    for (const p of all.items) expect(p.warning).toBe(delayWarning(p.plannedStartOn, p.startedOn, asOf));
    for (const level of ['yellow', 'orange', 'red'] as const) {
      const filtered = (await c.get(`/api/v1/projects?pageSize=200&asOf=${asOf}&warning=${level}`)).json();
      for (const p of filtered.items) expect(p.warning).toBe(level);
    }
    const any = (await c.get(`/api/v1/projects?pageSize=200&asOf=${asOf}&warning=any`)).json();
    expect(any.total).toBeGreaterThan(0);
  });

  it('a scan notifies the responsible unit and the district once per level', async () => {
    t.deps.database.db.execute(sql`select 1`);
    const admin = await t.login('huiji.admin');
    const before = (await admin.get('/api/v1/notifications/unread-count')).json().count;
    const c = await t.login('city.admin');
    const start = await c.post('/api/v1/projects/delay-scan');
    expect(start.statusCode).toBe(202);
    let job: { status: string; result: { raised: number } } | undefined;
    for (let i = 0; i < 100; i++) {
      job = (await c.get(`/api/v1/jobs/${start.json().id}`)).json();
      if (job!.status === 'succeeded' || job!.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job!.status).toBe('succeeded');
    expect(job!.result.raised).toBeGreaterThan(0);
    const after = (await admin.get('/api/v1/notifications/unread-count')).json().count;
    const huijiOverdue = (await admin.get('/api/v1/projects?warning=any&pageSize=1')).json().total;
    expect(after - before).toBe(huijiOverdue);
    const again = await c.post('/api/v1/projects/delay-scan');
    for (let i = 0; i < 100; i++) {
      job = (await c.get(`/api/v1/jobs/${again.json().id}`)).json();
      if (job!.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job!.result.raised).toBe(0);
  });
});

describe('pipeline', () => {
  it('creates, advances step by step, refuses skips and stale versions', async () => {
    const c = await t.login('huiji.admin');
    const created = await c.post('/api/v1/projects', {
      code: 'T-0001',
      name: '测试智能制造项目',
      ownerName: '测试企业有限公司',
      regionCode: '410108',
      industryClass: 'manufacturing',
      totalInvestmentWan: 20_000,
      responsibleUnit: '惠济区人民政府',
      signedOn: '2026-01-10',
      plannedStartOn: '2026-03-01',
    });
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json();
    expect(p.warnings).toContain('below_inclusion_threshold');
    const skip = await c.post(`/api/v1/projects/${p.id}/advance`, { stage: 'started', date: '2026-03-02' });
    expect(skip.statusCode).toBe(409);
    const noEvidence = await c.post(`/api/v1/projects/${p.id}/advance`, { stage: 'performed', date: '2026-02-01' });
    expect(noEvidence.statusCode).toBe(409);
    const perf = await c.post(`/api/v1/projects/${p.id}/advance`, {
      stage: 'performed',
      date: '2026-02-01',
      evidence: { company_registered: true },
    });
    expect(perf.statusCode, perf.body).toBe(200);
    const early = await c.post(`/api/v1/projects/${p.id}/advance`, { stage: 'started', date: '2026-01-01' });
    expect(early.statusCode).toBe(409);
    const st = await c.post(`/api/v1/projects/${p.id}/advance`, { stage: 'started', date: '2026-03-05' });
    expect(st.json().stage).toBe('started');
    const stale = await c.request('PATCH', `/api/v1/projects/${p.id}`, { version: 1, name: '改名' });
    expect(stale.statusCode).toBe(409);
    const ok = await c.request('PATCH', `/api/v1/projects/${p.id}`, { version: st.json().version, name: '改名项目' });
    expect(ok.statusCode, ok.body).toBe(200);
    const other = await t.login('erqi.admin');
    expect((await other.get(`/api/v1/projects/${p.id}`)).statusCode).toBe(404);
    const outside = await c.post('/api/v1/projects', { ...(created.json() as object), code: 'T-0002' });
    expect(outside.statusCode).toBe(400);
    const foreign = await c.post('/api/v1/projects', {
      code: 'T-0003',
      name: '越权项目',
      ownerName: '某企业',
      regionCode: '410103',
      industryClass: 'manufacturing',
      totalInvestmentWan: 50_000,
      responsibleUnit: '二七区人民政府',
    });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('Excel', () => {
  async function upload(c: Awaited<ReturnType<TestApp['login']>>, bytes: Buffer) {
    const boundary = '----x';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.xlsx"\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: '/api/v1/projects/import',
      payload,
      cookies: c.cookies,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': c.cookies.miaopu_csrf! },
    });
  }

  async function filled(rows: (string | number | Date)[][]) {
    const c = await t.login('city.admin');
    const tpl = await c.get('/api/v1/projects/import-template');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A1').value).toBe('项目编号');
    expect(ws.getCell('D2').dataValidation?.type).toBe('list');
    rows.forEach((r, i) => {
      r.forEach((v, j) => {
        ws.getCell(i + 2, j + 1).value = v;
      });
    });
    return { c, bytes: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  it('imports a filled template; three bad rows give three row errors and write nothing', async () => {
    const good = [
      'X-0001',
      '导入测试项目一',
      '导入企业',
      '惠济区',
      '制造业',
      50_000,
      '惠济区人民政府',
      '张三',
      new Date('2026-04-01'),
      '2026-05-01',
      '2027-06-30',
      4,
      '签约一批',
    ];
    const { c, bytes } = await filled([
      good,
      ['X-0002', '导入测试项目二', '导入企业', '火星区', '制造业', 50_000, '单位', '', '', '', '', 4, '签约一批'],
      ['X-0003', '导入测试项目三', '导入企业', '二七区', '制造业', -5, '单位', '', '', '', '', 4, '签约一批'],
      ['X-0004', '导入测试项目四', '导入企业', '二七区', '制造业', 50_000, '单位', '', '', '', '', 4, '已完工一批'],
    ]);
    const bad = await upload(c, bytes);
    expect(bad.statusCode).toBe(400);
    const errors = bad.json().error.details.rows as { row: number; column: string; message: string }[];
    expect(errors).toHaveLength(3);
    expect(errors.map((e) => e.row)).toEqual([3, 4, 5]);
    expect(errors.map((e) => e.column)).toEqual(['所属区县(市)', '总投资(万元)', '列入类型']);
    expect((await c.get('/api/v1/projects?q=X-000')).json().total).toBe(0);

    const ok = await filled([good]);
    const res = await upload(ok.c, ok.bytes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().created).toBe(1);
    const found = (await c.get('/api/v1/projects?q=X-0001')).json();
    expect(found.items[0]).toMatchObject({
      regionCode: '410108',
      signedOn: '2026-04-01',
      plannedStartOn: '2026-05-01',
    });
  });

  it('exports the filtered list with formula-looking text kept as text', async () => {
    const c = await t.login('city.admin');
    const created = await c.post('/api/v1/projects', {
      code: 'F-0001',
      name: '=HYPERLINK("http://x","y")',
      ownerName: '公式企业',
      regionCode: '410102',
      industryClass: 'manufacturing',
      totalInvestmentWan: 40_000,
      responsibleUnit: '中原区人民政府',
    });
    expect(created.statusCode).toBe(201);
    const res = await c.get('/api/v1/projects/export?region=410102');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const names: unknown[] = [];
    ws.eachRow((row, i) => i > 1 && names.push(row.getCell(2).value));
    expect(names).toContain('\'=HYPERLINK("http://x","y")');
    const list = (await c.get('/api/v1/projects?region=410102&pageSize=1')).json();
    expect(ws.rowCount - 1).toBe(list.total);
  });
});

describe('daily scheduling', () => {
  it('queues a daily job once per day, however often it is asked', async () => {
    const actor = { userId: null, username: 'system', role: 'system', ip: null, requestId: null };
    const first = await t.deps.jobs.runDailyOnce('projects.delay-scan', '2030-01-01', actor);
    const second = await t.deps.jobs.runDailyOnce('projects.delay-scan', '2030-01-01', actor);
    const next = await t.deps.jobs.runDailyOnce('projects.delay-scan', '2030-01-02', actor);
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    expect(next).toBeTruthy();
  });
});
