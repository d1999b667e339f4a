import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../src/domain/uscc.ts';
import { auditLog, enterpriseContacts, enterprises } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => t.close());

const uscc = (division: string, body: string) => {
  const first17 = `91${division}${body}`;
  return first17 + usccCheckChar(first17);
};

async function waitJob(c: Awaited<ReturnType<TestApp['login']>>, id: string) {
  for (let i = 0; i < 300; i++) {
    const j = (await c.get(`/api/v1/jobs/${id}`)).json();
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

async function uploadXlsx(c: Awaited<ReturnType<TestApp['login']>>, bytes: Buffer, key?: string) {
  await c.get('/api/v1/auth/csrf');
  const boundary = '----e';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="e.xlsx"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/enterprises/import',
    payload,
    cookies: c.cookies,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-csrf-token': c.cookies.miaopu_csrf!,
      ...(key ? { 'idempotency-key': key } : {}),
    },
  });
}

async function workbook(rows: (string | number | null)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业');
  ws.addRow([
    '统一社会信用代码',
    '企业名称',
    '所属区县(市)',
    '行业代码',
    '成立日期',
    '注册资本(万元)',
    '法定代表人',
    '地址',
  ]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('registry', () => {
  it('refuses an invalid USCC with a clear field error, accepts a valid one and reports warnings', async () => {
    const c = await t.login('huiji.admin');
    const bad = await c.post('/api/v1/enterprises', {
      uscc: '914403001922038217',
      name: '校验位错误企业',
      regionCode: '410108',
      industryCode: 'C3411',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0]).toMatchObject({ field: 'body.uscc' });
    expect(bad.json().error.details.fields[0].message).toContain('校验位应为 6');
    const good = await c.post('/api/v1/enterprises', {
      uscc: ' ９１４１０１０８MA4000001X'.replace('X', usccCheckChar('91410108MA4000001')!),
      name: '郑州测试装备制造有限公司',
      regionCode: '410108',
      industryCode: '3411',
      legalRepresentative: '王测试',
    });
    expect(good.statusCode, good.body).toBe(201);
    expect(good.json().uscc).toBe(uscc('410108', 'MA4000001'));
    const dupe = await c.post('/api/v1/enterprises', {
      uscc: uscc('410108', 'MA4000001'),
      name: '重复',
      regionCode: '410108',
      industryCode: 'C3411',
    });
    expect(dupe.statusCode).toBe(409);
  });

  it('searches by Chinese substring, pinyin initials, USCC and legal representative', async () => {
    const c = await t.login('huiji.admin');
    const byName = (await c.get(`/api/v1/enterprises?q=${encodeURIComponent('测试装备')}`)).json();
    expect(byName.total).toBe(1);
    const byInitials = (await c.get('/api/v1/enterprises?q=zzcszb')).json();
    expect(byInitials.items.map((e: { name: string }) => e.name)).toContain('郑州测试装备制造有限公司');
    const byUscc = (await c.get(`/api/v1/enterprises?q=${uscc('410108', 'MA4000001')}`)).json();
    expect(byUscc.total).toBe(1);
    const byRep = (await c.get(`/api/v1/enterprises?q=${encodeURIComponent('王测试')}`)).json();
    expect(byRep.total).toBe(1);
  });
});

describe('indicators, facts, size', () => {
  it('derives the size class and 规上 from indicators with provenance; ratios are derived', async () => {
    const c = await t.login('huiji.admin');
    const id = (await c.get('/api/v1/enterprises?q=zzcszb')).json().items[0].id;
    const put = (key: string, value: number, source = 'statistics_bureau') =>
      c.request('PUT', `/api/v1/enterprises/${id}/indicators`, { year: 2025, key, value, source });
    expect((await put('employees_year_end', 1500)).statusCode).toBe(200);
    expect((await put('main_business_revenue', 1000)).statusCode).toBe(200);
    await put('operating_revenue', 1000);
    await put('rd_expense', 50, 'self_reported');
    const d = (await c.get(`/api/v1/enterprises/${id}`)).json();
    const f2025 = d.facts.find((f: { year: number }) => f.year === 2025);
    expect(f2025.size).toBe('small');
    expect(f2025.aboveScale).toBe(false);
    expect(f2025.facts.rd_intensity).toBeCloseTo(0.05, 10);
    const ind = d.indicators.find(
      (i: { key: string; year: number }) => i.key === 'employees_year_end' && i.year === 2025,
    );
    expect(ind).toMatchObject({ source: 'statistics_bureau', value: 1500 });
    expect(ind.enteredBy).toBeTruthy();
    await put('main_business_revenue', 2500);
    const again = (await c.get(`/api/v1/enterprises/${id}`)).json();
    const g = again.facts.find((f: { year: number }) => f.year === 2025);
    expect(g.size).toBe('medium');
    expect(g.aboveScale).toBe(true);
    expect((await c.get('/api/v1/enterprises?aboveScale=true&year=2025&q=zzcszb')).json().total).toBe(1);
  });

  it('an enterprise user may only self-report its own figures', async () => {
    const ent = await t.login('enterprise');
    const list = (await ent.get('/api/v1/enterprises')).json();
    expect(list.total).toBe(1);
    const id = list.items[0].id;
    const self = await ent.request('PUT', `/api/v1/enterprises/${id}/indicators`, {
      year: 2025,
      key: 'employees_year_end',
      value: 40,
      source: 'self_reported',
    });
    expect(self.statusCode).toBe(200);
    const monthly = await ent.request('PUT', `/api/v1/enterprises/${id}/monthly`, {
      year: 2025,
      month: 3,
      key: 'electricity',
      value: 12_000,
      source: 'self_reported',
    });
    expect(monthly.statusCode, monthly.body).toBe(200);
    const d = (await ent.get(`/api/v1/enterprises/${id}`)).json();
    expect(d.monthly).toEqual([
      expect.objectContaining({ year: 2025, month: 3, key: 'electricity', value: 12_000, source: 'self_reported' }),
    ]);
    const claim = await ent.request('PUT', `/api/v1/enterprises/${id}/indicators`, {
      year: 2025,
      key: 'tax_paid',
      value: 40,
      source: 'tax_bureau',
    });
    expect(claim.statusCode).toBe(403);
  });
});

describe('scope and personal data', () => {
  it('a park operator sees only its parks’ tenants; an enterprise user only itself', async () => {
    const op = await t.login('park.operator');
    const list = (await op.get('/api/v1/enterprises?pageSize=200')).json();
    expect(list.total).toBeGreaterThan(0);
    const opParks = new Set((await op.get('/api/v1/parks')).json().items.map((p: { id: string }) => p.id));
    for (const e of list.items) {
      const d = (await op.get(`/api/v1/enterprises/${e.id}`)).json();
      expect(
        d.tenancies.some((x: { parkId: string; status: string }) => opParks.has(x.parkId) && x.status === 'active'),
      ).toBe(true);
    }
    const huiji = await t.login('huiji.admin');
    const all = (await huiji.get('/api/v1/enterprises?pageSize=200')).json();
    expect(all.total).toBeGreaterThan(list.total);
    const outsider = all.items.find((e: { id: string }) => !list.items.some((x: { id: string }) => x.id === e.id));
    expect((await op.get(`/api/v1/enterprises/${outsider.id}`)).statusCode).toBe(404);
  });

  it('phones are encrypted at rest and masked; a reveal needs the permission and is audited', async () => {
    const city = await t.login('city.admin');
    const id = (await city.get(`/api/v1/enterprises?q=${uscc('410108', 'MA4000001')}`)).json().items[0].id;
    const add = await city.post(`/api/v1/enterprises/${id}/contacts`, {
      name: '李联系',
      role: '财务',
      mobile: '13812345678',
      idNo: '11010519491231002X',
    });
    expect(add.statusCode, add.body).toBe(201);
    expect(add.json()).toMatchObject({ mobile: '138****5678', idNo: '110105********002X' });
    const badId = await city.post(`/api/v1/enterprises/${id}/contacts`, { name: '错号', idNo: '110105194912310021' });
    expect(badId.statusCode).toBe(400);
    const [row] = await t.deps.database.db
      .select()
      .from(enterpriseContacts)
      .where(eq(enterpriseContacts.id, add.json().id));
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(JSON.stringify(row)).not.toContain('11010519491231002X');
    const detail = (await city.get(`/api/v1/enterprises/${id}`)).json();
    expect(JSON.stringify(detail)).not.toMatch(/1[3-9]\d{9}/);
    const contactId = add.json().id;
    const op = await t.login('park.operator');
    expect(
      (await op.post(`/api/v1/enterprises/${id}/contacts/${contactId}/reveal`, { reason: '核实联系方式' })).statusCode,
    ).toBe(403);
    const reveal = await city.post(`/api/v1/enterprises/${id}/contacts/${contactId}/reveal`, {
      reason: '核实联系方式',
    });
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json()).toEqual({ mobile: '13812345678', idNo: '11010519491231002X' });
    const audits = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'pii.reveal'), eq(auditLog.entityId, contactId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.summary).toMatchObject({ reason: '核实联系方式' });
    expect(JSON.stringify(audits[0])).not.toContain('13812345678');
  });
});

describe('tenancy and qualifications', () => {
  it('a tenancy fills the park occupancy; a qualification expiring within 90 days is announced', async () => {
    const huiji = await t.login('huiji.admin');
    const id = (await huiji.get('/api/v1/enterprises?q=zzcszb')).json().items[0].id;
    const park = (await huiji.get('/api/v1/parks?stage=operating&pageSize=50'))
      .json()
      .items.find((p: { id: string }) => p);
    const detail = (await huiji.get(`/api/v1/parks/${park.id}`)).json();
    const free = detail.buildings
      .flatMap((b: { units: { id: string; leasedM2: number; areaM2: number }[] }) => b.units)
      .find((u: { leasedM2: number }) => u.leasedM2 === 0);
    if (free) {
      const before = detail.occupancy.leasedM2;
      const ten = await huiji.post(`/api/v1/enterprises/${id}/tenancies`, {
        parkId: park.id,
        unitId: free.id,
        areaM2: free.areaM2,
        startOn: '2026-01-01',
      });
      expect(ten.statusCode, ten.body).toBe(201);
      const after = (await huiji.get(`/api/v1/parks/${park.id}`)).json();
      expect(after.occupancy.leasedM2).toBe(before + free.areaM2);
      const over = await huiji.post(`/api/v1/enterprises/${id}/tenancies`, {
        parkId: park.id,
        unitId: free.id,
        areaM2: 1,
        startOn: '2026-01-01',
      });
      expect(over.statusCode).toBe(409);
    }
    const soon = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const q = await huiji.post(`/api/v1/enterprises/${id}/qualifications`, {
      type: 'srdi_sme',
      level: 'municipal',
      certificateNo: 'ZZ-2023-001',
      issuedOn: '2023-01-01',
      validUntil: soon,
    });
    expect(q.statusCode, q.body).toBe(201);
    const d = (await huiji.get(`/api/v1/enterprises/${id}`)).json();
    expect(d.qualifications.find((x: { certificateNo: string }) => x.certificateNo === 'ZZ-2023-001').state).toBe(
      'expiring',
    );
    const before = (await huiji.get('/api/v1/notifications/unread-count')).json().count;
    const actor = { userId: null, username: 'system', role: 'system', ip: null, requestId: null };
    const jobId = await t.deps.jobs.runDailyOnce(
      'enterprises.qualification-expiry',
      new Date().toISOString().slice(0, 10),
      actor,
    );
    expect((await waitForJob(t.deps, jobId!)).status).toBe('succeeded');
    expect((await huiji.get('/api/v1/notifications/unread-count')).json().count).toBeGreaterThan(before);
  });
});

describe('bulk import', () => {
  it('imports all rows or none, with row errors, and a repeated Idempotency-Key creates nothing new', async () => {
    const c = await t.login('city.admin');
    const rows = Array.from({ length: 5 }, (_, i) => [
      uscc('410102', `MA500000${i}`),
      `导入测试企业${i}（演示）`,
      '中原区',
      'C3411',
      '2020-05-01',
      100,
      '赵导入',
      '',
    ]);
    const bad = await uploadXlsx(
      c,
      await workbook([...rows, ['91410102MA5000099Z', '坏企业', '火星区', 'Z99', 'x', -1, '', '']]),
      'import-bad-0001',
    );
    expect(bad.statusCode, bad.body).toBe(202);
    const badJob = await waitJob(c, bad.json().jobId);
    expect(badJob.status).toBe('failed');
    expect(badJob.result.errorCount).toBe(5);
    expect(badJob.result.errors.map((e: { column: string }) => e.column)).toEqual([
      '统一社会信用代码',
      '所属区县(市)',
      '行业代码',
      '成立日期',
      '注册资本(万元)',
    ]);
    expect((await c.get(`/api/v1/enterprises?q=${encodeURIComponent('导入测试企业')}`)).json().total).toBe(0);
    const [left] = await t.deps.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(enterprises)
      .where(eq(enterprises.importJobId, bad.json().jobId));
    expect(left!.n).toBe(0);

    const file = await workbook(rows);
    const ok = await uploadXlsx(c, file, 'import-ok-0001');
    const job = await waitJob(c, ok.json().jobId);
    expect(job.status, JSON.stringify(job)).toBe('succeeded');
    expect(job.result).toMatchObject({ rows: 5, created: 5 });
    const again = await uploadXlsx(c, file, 'import-ok-0001');
    expect(again.json().jobId).toBe(ok.json().jobId);
    expect((await c.get(`/api/v1/enterprises?q=${encodeURIComponent('导入测试企业')}`)).json().total).toBe(5);
    // the succeeded import queues a policy rematch, which matches the new firms against the published policies
    const until = Date.now() + 60_000;
    let rematch: { id: string; status: string } | undefined;
    while (Date.now() < until) {
      const res = await t.deps.database.db.execute(
        sql`select id, status from job_runs where type = 'policies.match-all' and payload->>'importJobId' = ${ok.json().jobId}`,
      );
      rematch = (res as unknown as { rows: { id: string; status: string }[] }).rows[0];
      if (rematch && ['succeeded', 'failed'].includes(rematch.status)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(rematch?.status).toBe('succeeded');
    const matched = await t.deps.database.db.execute(
      sql`select count(distinct m.enterprise_id)::int as n from policy_matches m join enterprises e on e.id = m.enterprise_id
           where e.import_job_id = ${ok.json().jobId}`,
    );
    expect((matched as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(5);
  });
});
