/**
 * Issue #15 "Trusted facts" through the API, on PGlite or PostgreSQL (DATABASE_URL): one value per source, the
 * effective value by precedence, who may report what, the tolerance flag, verification (核实) with its queue,
 * history and audit, rules that demand official data (免申即享 rent subsidy), data quality, the ranking setting.
 */
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  enterpriseIndicators,
  enterprises,
  notifications,
  policies,
  policyMatches,
  users,
} from '../src/server/db/schema/index.ts';
import { todayShanghai } from '../src/server/modules/projects/service.ts';
import { type Client, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let firmId: string;
let otherFirmId: string;
const year = () => Number(todayShanghai(new Date()).slice(0, 4)) - 1;

beforeAll(async () => {
  t = await createTestApp({ jobs: true });
  const { db } = t.deps.database;
  const [firm] = await db.select().from(enterprises).where(eq(enterprises.name, '郑州惠科精密制造有限公司（演示）'));
  firmId = firm!.id;
  // another 惠济区 firm (not the demo login's): for tests that must not disturb the demo firm's figures
  const [other] = await db
    .select()
    .from(enterprises)
    .where(and(eq(enterprises.regionCode, '410108'), sql`${enterprises.id} <> ${firmId}`))
    .limit(1);
  otherFirmId = other!.id;
});
afterAll(async () => t.close());

const put = (c: Client, id: string, body: Record<string, unknown>) =>
  c.request('PUT', `/api/v1/enterprises/${id}/indicators`, body);

async function effective(id: string, y: number, key: string) {
  const [row] = await t.deps.database.db
    .select()
    .from(enterpriseIndicators)
    .where(
      and(
        eq(enterpriseIndicators.enterpriseId, id),
        eq(enterpriseIndicators.year, y),
        eq(enterpriseIndicators.key, key),
      ),
    );
  return row ?? null;
}

async function matchOf(policyTitle: string, enterpriseId: string) {
  const { db } = t.deps.database;
  const [p] = await db.select().from(policies).where(eq(policies.title, policyTitle));
  const [m] = await db
    .select()
    .from(policyMatches)
    .where(and(eq(policyMatches.policyId, p!.id), eq(policyMatches.enterpriseId, enterpriseId)));
  return { policyId: p!.id, match: m ?? null };
}

/** Waits for the rematch job the facts change queued (it runs after the commit). */
async function waitForMatch(
  policyTitle: string,
  enterpriseId: string,
  ok: (m: typeof policyMatches.$inferSelect | null) => boolean,
) {
  const until = Date.now() + 120_000;
  let last: typeof policyMatches.$inferSelect | null = null;
  while (Date.now() < until) {
    last = (await matchOf(policyTitle, enterpriseId)).match;
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`match did not change: ${JSON.stringify(last)}`);
}

const RENT_POLICY = '惠济区小微企业园入园企业租金补贴实施细则';

describe('one value per source, effective by precedence', () => {
  it('a self-report never replaces the statistics bureau’s figure; it is flagged 待核实 beyond the tolerance', async () => {
    const ent = await t.login('enterprise');
    const y = year();
    const before = await effective(firmId, y, 'employees_year_end');
    expect(before!.source).toBe('statistics_bureau');
    const official = before!.value;
    const claim = Math.round(official * 1.5);
    const res = await put(ent, firmId, { year: y, key: 'employees_year_end', value: claim, source: 'self_reported' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      ok: true,
      effective: { value: official, source: 'statistics_bureau' },
      review: { status: 'pending', flag: 'deviation' },
    });
    const after = await effective(firmId, y, 'employees_year_end');
    expect(after).toMatchObject({ value: official, source: 'statistics_bureau' });
    // the facts row (what rules read) keeps the official figure and names its source
    const detail = (await ent.get(`/api/v1/enterprises/${firmId}`)).json();
    const facts = detail.facts.find((f: { year: number }) => f.year === y).facts;
    expect(facts.employees_year_end).toBe(official);
    expect(facts._src.employees_year_end).toBe('statistics_bureau');
    // the firm sees both figures, each with its source
    const both = detail.indicatorValues.filter(
      (v: { year: number; key: string }) => v.year === y && v.key === 'employees_year_end',
    );
    expect(both.map((v: { source: string }) => v.source).sort()).toEqual(['self_reported', 'statistics_bureau']);
    expect(both.find((v: { source: string }) => v.source === 'self_reported')).toMatchObject({
      value: claim,
      reviewStatus: 'pending',
      reviewFlag: 'deviation',
      enteredByName: expect.any(String),
    });
  });

  it('a self-report within the tolerance needs no check; one with no official value is used, marked self-reported', async () => {
    const ent = await t.login('enterprise');
    const y = year();
    const official = (await effective(firmId, y, 'operating_revenue'))!.value;
    const near = await put(ent, firmId, {
      year: y,
      key: 'operating_revenue',
      value: Math.round(official * 1.05 * 100) / 100,
      source: 'self_reported',
    });
    expect(near.json().review).toEqual({ status: 'not_required', flag: null });
    expect((await effective(firmId, y, 'operating_revenue'))!.source).toBe('statistics_bureau');
    // no official value for value_added: the self-report is the effective one, queued as 无官方数据
    const none = await put(ent, firmId, { year: y, key: 'value_added', value: 800, source: 'self_reported' });
    expect(none.json()).toMatchObject({
      effective: { value: 800, source: 'self_reported' },
      review: { status: 'pending', flag: 'no_official' },
    });
  });

  it('an enterprise user may not send a bureau source (403); a park operator only its own; bounds are enforced', async () => {
    const ent = await t.login('enterprise');
    const y = year();
    for (const source of ['statistics_bureau', 'tax_bureau', 'verified_on_site', 'park_operator']) {
      const res = await put(ent, firmId, { year: y, key: 'tax_paid', value: 1, source });
      expect(res.statusCode, source).toBe(403);
    }
    const bad = await put(ent, firmId, { year: y, key: 'tax_paid', value: -5, source: 'self_reported' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('body.value');
    const frac = await put(ent, firmId, { year: y, key: 'employees_year_end', value: 10.5, source: 'self_reported' });
    expect(frac.statusCode).toBe(400);
    const op = await t.login('park.operator');
    expect(
      (await put(op, firmId, { year: y, key: 'rent_area_m2', value: 1, source: 'self_reported' })).statusCode,
    ).toBe(403);
    // the operator may not report for a firm that is not its tenant
    const notTenant = await put(op, otherFirmId, { year: y, key: 'rent_area_m2', value: 1, source: 'park_operator' });
    expect([403, 404]).toContain(notTenant.statusCode);
  });

  it('an official value that arrives later outranks the self-report and re-judges its flag', async () => {
    const ent = await t.login('enterprise');
    const admin = await t.login('huiji.admin');
    const y = year() - 1;
    await put(ent, otherFirmId, { year: y, key: 'industrial_output', value: 1000, source: 'self_reported' }).then(
      (r) => expect(r.statusCode).toBe(404), // not its own firm: invisible
    );
    const self = await put(admin, otherFirmId, {
      year: y,
      key: 'industrial_output',
      value: 1000,
      source: 'self_reported',
    });
    expect(self.json()).toMatchObject({ effective: { source: 'self_reported' }, review: { flag: 'no_official' } });
    const stat = await put(admin, otherFirmId, {
      year: y,
      key: 'industrial_output',
      value: 1020,
      source: 'statistics_bureau',
    });
    expect(stat.json().effective).toEqual({ value: 1020, source: 'statistics_bureau' });
    const q = (
      await admin.get(`/api/v1/indicator-reviews?status=all&key=industrial_output&year=${y}&q=${otherFirmId}`)
    ).json();
    expect(q.total).toBe(0); // q is a name or USCC, not an id
    const all = (await admin.get(`/api/v1/indicator-reviews?status=all&key=industrial_output&year=${y}`)).json();
    const item = all.items.find((i: { enterpriseId: string }) => i.enterpriseId === otherFirmId);
    expect(item).toMatchObject({
      status: 'not_required',
      flag: null,
      officialValue: 1020,
      officialSource: 'statistics_bureau',
    });
  });
});

describe('verification and rules that demand official data', () => {
  it('the rent subsidy (免申即享, official data only) is UNKNOWN on self-reports and eligible once the district verifies them', {
    timeout: 300_000,
  }, async () => {
    const ent = await t.login('enterprise');
    const admin = await t.login('huiji.admin');
    const y = year();
    // the demo firm has no rent figures: unknown, missing data (not "needs verification")
    const start = await matchOf(RENT_POLICY, firmId);
    expect(start.match?.result).toBe('unknown');
    expect(start.match?.missing).toContain('rent_area_m2');
    for (const [key, value] of [
      ['rent_area_m2', 1200],
      ['rent_paid', 432000],
    ] as const) {
      const r = await put(ent, firmId, { year: y, key, value, source: 'self_reported', note: '租赁合同' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().effective).toEqual({ value, source: 'self_reported' });
    }
    const self = await waitForMatch(
      RENT_POLICY,
      firmId,
      (m) => (m?.missing as string[] | undefined)?.includes('verify:rent_area_m2') === true,
    );
    expect(self!.result).toBe('unknown');
    expect(self!.amountYuan).toBeNull();
    // the explanation names the fact that needs verification and shows each fact's value and source
    const detail = (await admin.get(`/api/v1/policies/${start.policyId}/matches/${firmId}`)).json();
    const clause = detail.clauses[0];
    expect(clause.minSource).toBe('official');
    expect(clause.missing).toContainEqual(expect.objectContaining({ fact: 'rent_area_m2', needsVerification: true }));
    expect(clause.facts).toContainEqual(
      expect.objectContaining({ fact: 'rent_area_m2', value: 1200, source: 'self_reported', trust: 0 }),
    );
    expect(clause.facts).toContainEqual(expect.objectContaining({ fact: 'size', source: 'derived', trust: 1 }));
    expect(clause.reasons.join('')).toContain('需核实');
    // the firm's portal says the same
    const mine = (await ent.get('/api/v1/my/policies')).json();
    const maybe = mine.maybe.find((p: { title: string }) => p.title === RENT_POLICY);
    expect(maybe.missing).toContainEqual(expect.objectContaining({ fact: 'rent_area_m2', needsVerification: true }));

    // the district's queue lists both; the district confirms them
    const queue = (await admin.get('/api/v1/indicator-reviews?key=rent_area_m2')).json();
    const area = queue.items.find((i: { enterpriseId: string }) => i.enterpriseId === firmId);
    expect(area).toMatchObject({ status: 'pending', flag: 'no_official', value: 1200, note: '租赁合同' });
    const paid = (await admin.get('/api/v1/indicator-reviews?key=rent_paid'))
      .json()
      .items.find((i: { enterpriseId: string }) => i.enterpriseId === firmId);
    // the firm cannot verify its own figures, nor can another district
    expect((await ent.post(`/api/v1/indicator-reviews/${area.id}/confirm`, { note: 'x' })).statusCode).toBe(403);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.post(`/api/v1/indicator-reviews/${area.id}/confirm`, { note: 'x' })).statusCode).toBe(404);
    expect((await admin.post(`/api/v1/indicator-reviews/${area.id}/confirm`, { note: '' })).statusCode).toBe(400);
    for (const id of [area.id, paid.id]) {
      const ok = await admin.post(`/api/v1/indicator-reviews/${id}/confirm`, { note: '已查验租赁合同和付款凭证' });
      expect(ok.statusCode, ok.body).toBe(200);
    }
    expect((await admin.post(`/api/v1/indicator-reviews/${area.id}/reject`, { note: '重复' })).statusCode).toBe(409);
    expect(await effective(firmId, y, 'rent_area_m2')).toMatchObject({ value: 1200, source: 'verified_on_site' });
    // (after the first confirmation the clause holds but the amount still waits for the rent paid: eligible, amount
    // unknown; after the second the amount is known)
    const eligible = await waitForMatch(RENT_POLICY, firmId, (m) => m?.result === 'eligible' && m.amountYuan !== null);
    // min(1200 × 120, 432000 × 0.5) = 144000 (the policy's own formula; the firm is small or micro)
    expect(eligible!.amountYuan).toBe('144000.00');
    const after = (await ent.get('/api/v1/my/policies')).json();
    expect(after.eligible.map((p: { title: string }) => p.title)).toContain(RENT_POLICY);

    // the firm was notified; history lists every version with source, user and time; the audit has the rows
    const { db } = t.deps.database;
    const [entUser] = await db.select().from(users).where(eq(users.username, 'enterprise'));
    const notes = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, entUser!.id), eq(notifications.kind, 'enterprise.indicator.review')));
    expect(notes.length).toBeGreaterThanOrEqual(2);
    const hist = (await ent.get(`/api/v1/enterprises/${firmId}/indicators/history?year=${y}&key=rent_area_m2`)).json();
    expect(hist.items.map((h: { source: string }) => h.source)).toEqual(['verified_on_site', 'self_reported']);
    expect(hist.items[1]).toMatchObject({
      reviewStatus: 'confirmed',
      reviewNote: '已查验租赁合同和付款凭证',
      reviewedByName: expect.any(String),
      enteredByName: expect.any(String),
    });
    const audits = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, firmId));
    const actions = audits.map((a) => a.action);
    expect(actions.filter((a) => a === 'enterprise.indicator.verify').length).toBeGreaterThanOrEqual(2);
    expect(actions.filter((a) => a === 'enterprise.indicator.set').length).toBeGreaterThanOrEqual(2);
  });

  it('a rejected self-report stays in the history and is never used; a new report supersedes the reviewed one', async () => {
    const ent = await t.login('enterprise');
    const admin = await t.login('huiji.admin');
    const y = year();
    await put(ent, firmId, { year: y, key: 'equity_financing', value: 300, source: 'self_reported' });
    expect((await effective(firmId, y, 'equity_financing'))!.value).toBe(300);
    const item = (await admin.get('/api/v1/indicator-reviews?key=equity_financing')).json().items[0];
    expect((await admin.post(`/api/v1/indicator-reviews/${item.id}/reject`, {})).statusCode).toBe(400);
    const rej = await admin.post(`/api/v1/indicator-reviews/${item.id}/reject`, { note: '无融资凭证' });
    expect(rej.statusCode, rej.body).toBe(200);
    expect(await effective(firmId, y, 'equity_financing')).toBeNull();
    const hist = (await ent.get(`/api/v1/enterprises/${firmId}/indicators/history?key=equity_financing`)).json();
    expect(hist.items[0]).toMatchObject({ value: 300, reviewStatus: 'rejected', reviewNote: '无融资凭证' });
    // reported again: version 2, pending; the old id can no longer be decided
    await put(ent, firmId, { year: y, key: 'equity_financing', value: 280, source: 'self_reported' });
    expect((await admin.post(`/api/v1/indicator-reviews/${item.id}/confirm`, { note: 'ok' })).statusCode).toBe(409);
    const v2 = (await ent.get(`/api/v1/enterprises/${firmId}/indicators/history?key=equity_financing`)).json().items[0];
    expect(v2).toMatchObject({ version: 2, current: true, reviewStatus: 'pending', value: 280 });
  });

  it('nobody verifies a figure they entered themselves', async () => {
    const admin = await t.login('huiji.admin');
    const y = year();
    await put(admin, otherFirmId, { year: y, key: 'ip_class2', value: 3, source: 'self_reported' });
    const item = (await admin.get('/api/v1/indicator-reviews?key=ip_class2'))
      .json()
      .items.find((i: { enterpriseId: string }) => i.enterpriseId === otherFirmId);
    const res = await admin.post(`/api/v1/indicator-reviews/${item.id}/confirm`, { note: 'ok' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN_SELF_REVIEW');
    const city = await t.login('city.admin');
    expect((await city.post(`/api/v1/indicator-reviews/${item.id}/confirm`, { note: 'ok' })).statusCode).toBe(200);
  });

  it('the queue is scoped, filtered and exported to Excel (audited)', async () => {
    const admin = await t.login('huiji.admin');
    const fuyang = await t.login('fuyang.admin');
    expect((await fuyang.get('/api/v1/indicator-reviews?status=all')).json().items).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ regionCode: '410108' })]),
    );
    const ent = await t.login('enterprise');
    expect((await ent.get('/api/v1/indicator-reviews')).statusCode).toBe(403);
    const flagged = (await admin.get('/api/v1/indicator-reviews?flag=deviation')).json();
    expect(flagged.items.every((i: { flag: string }) => i.flag === 'deviation')).toBe(true);
    expect(flagged.total).toBeGreaterThan(0);
    const xlsx = await admin.get('/api/v1/indicator-reviews/export?status=all');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('统一社会信用代码');
    const all = (await admin.get('/api/v1/indicator-reviews?status=all&pageSize=200')).json();
    expect(ws.rowCount - 1).toBe(all.total);
    const [a] = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'enterprise.indicator.review.export'));
    expect(a).toBeDefined();
  });
});

async function importValues(c: Client, rows: (string | number)[][]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('指标数据');
  ws.addRow(['统一社会信用代码', '年度', '指标', '数值', '来源', '说明']);
  for (const r of rows) ws.addRow(r);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  await c.get('/api/v1/auth/csrf');
  const boundary = '----v';
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/enterprises/indicators/import',
    payload: Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="v.xlsx"\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    cookies: c.cookies,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': c.cookies.miaopu_csrf! },
  });
  expect(res.statusCode, res.body).toBe(202);
  const { jobId } = res.json();
  for (let i = 0; i < 300; i++) {
    const j = (await c.get(`/api/v1/jobs/${jobId}`)).json();
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import job did not finish');
}

describe('imports that name the source', () => {
  it('reports every bad row at once (scope included) and writes nothing; a clean file lands as its sources’ versions', async () => {
    const admin = await t.login('huiji.admin');
    const { db } = t.deps.database;
    const [mine] = await db.select().from(enterprises).where(eq(enterprises.id, otherFirmId));
    const [foreign] = await db.select().from(enterprises).where(eq(enterprises.regionCode, '410103')).limit(1);
    const y = year();
    const before = await effective(otherFirmId, y, 'electricity_kwh');
    const bad = await importValues(admin, [
      [mine!.uscc, y, '用电量（千瓦时）', 123456, '供电公司', ''],
      [foreign!.uscc, y, 'operating_revenue', 100, '统计局', ''],
      [mine!.uscc, y, '不存在的指标', 1, '统计局', ''],
      [mine!.uscc, y, 'tax_paid', -3, '税务局', ''],
      [mine!.uscc, y, 'tax_paid', 3, '邻居', ''],
    ]);
    expect(bad.status).toBe('failed');
    const errs = bad.result.errors as { row: number; column: string; message: string }[];
    expect(errs.map((e) => e.row).sort()).toEqual([3, 4, 5, 6]);
    expect(errs.find((e) => e.row === 3)!.message).toContain('不在您的管辖范围内');
    expect(await effective(otherFirmId, y, 'electricity_kwh')).toEqual(before);

    const ok = await importValues(admin, [
      [mine!.uscc, y, '用电量', 123456, '供电公司', '2025年度供电台账'],
      [mine!.uscc, y, 'rd_expense', 88, 'statistics_bureau', ''],
    ]);
    expect(ok.status, JSON.stringify(ok.result)).toBe('succeeded');
    expect(ok.result).toMatchObject({ rows: 2, enterprises: 1 });
    expect(await effective(otherFirmId, y, 'electricity_kwh')).toMatchObject({
      value: 123456,
      source: 'power_company',
    });
    const hist = (
      await admin.get(`/api/v1/enterprises/${otherFirmId}/indicators/history?key=electricity_kwh&year=${y}`)
    ).json();
    expect(hist.items[0]).toMatchObject({
      source: 'power_company',
      value: 123456,
      note: '2025年度供电台账',
      current: true,
    });
    const [a] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'enterprise.indicator.import'), eq(auditLog.entityId, otherFirmId)));
    expect(a).toBeDefined();
    // an enterprise user cannot import
    const ent = await t.login('enterprise');
    expect((await ent.get('/api/v1/enterprises/indicators/import-template')).statusCode).toBe(200);
    const res = await ent.request('POST', '/api/v1/enterprises/indicators/import', {});
    expect(res.statusCode).toBe(403);
  });
});

describe('data quality and settings', () => {
  it('flags a year-on-year jump; the enterprise list counts and filters firms with issues', async () => {
    const admin = await t.login('huiji.admin');
    const y = year();
    const prev = (await effective(otherFirmId, y - 1, 'tax_paid'))!.value;
    const jump = Math.round(prev * 40);
    const res = await put(admin, otherFirmId, { year: y, key: 'tax_paid', value: jump, source: 'tax_bureau' });
    expect(res.statusCode, res.body).toBe(200);
    const dq = (await admin.get(`/api/v1/enterprises/data-quality?kind=yoy_jump&year=${y}`)).json();
    const issue = dq.items.find(
      (i: { enterpriseId: string; key: string }) => i.enterpriseId === otherFirmId && i.key === 'tax_paid',
    );
    expect(issue).toMatchObject({ kind: 'yoy_jump', detail: { value: jump, prev } });
    expect(dq.counts.yoy_jump).toBeGreaterThanOrEqual(1);
    const list = (await admin.get('/api/v1/enterprises?dataIssues=true&pageSize=100')).json();
    expect(list.items.every((i: { dataIssues: number }) => i.dataIssues > 0)).toBe(true);
    expect(list.items.map((i: { id: string }) => i.id)).toContain(otherFirmId);
    // another district sees none of it
    const erqi = await t.login('erqi.admin');
    const other = (await erqi.get('/api/v1/enterprises/data-quality?kind=yoy_jump')).json();
    expect(other.items.some((i: { enterpriseId: string }) => i.enterpriseId === otherFirmId)).toBe(false);
  });

  it('the source ranking is a setting per indicator (city only, audited)', async () => {
    const city = await t.login('city.admin');
    const admin = await t.login('huiji.admin');
    const y = year();
    const s = (await city.get('/api/v1/enterprises/settings/provenance')).json();
    expect(s.tolerance).toBe(0.1);
    expect(s.ranking.tax_paid.slice(0, 2)).toEqual(['verified_on_site', 'tax_bureau']);
    expect(s.ranking.tax_paid.at(-1)).toBe('self_reported');
    // the statistics bureau reports a tax figure too: the tax bureau's stays effective
    const taxBefore = (await effective(firmId, y, 'tax_paid'))!;
    await put(admin, firmId, { year: y, key: 'tax_paid', value: taxBefore.value + 1, source: 'statistics_bureau' });
    expect((await effective(firmId, y, 'tax_paid'))!.source).toBe('tax_bureau');
    const body = { tolerance: 0.1, yoyFactor: 5, precedence: { tax_paid: ['statistics_bureau', 'tax_bureau'] } };
    expect((await admin.request('PUT', '/api/v1/enterprises/settings/provenance', body)).statusCode).toBe(403);
    const ok = await city.request('PUT', '/api/v1/enterprises/settings/provenance', body);
    expect(ok.statusCode, ok.body).toBe(200);
    const ranked = (await city.get('/api/v1/enterprises/settings/provenance')).json().ranking.tax_paid;
    expect(ranked.slice(0, 2)).toEqual(['statistics_bureau', 'tax_bureau']);
    // the next report of that indicator is resolved by the new ranking
    await put(admin, firmId, { year: y, key: 'tax_paid', value: taxBefore.value + 2, source: 'statistics_bureau' });
    expect(await effective(firmId, y, 'tax_paid')).toMatchObject({
      source: 'statistics_bureau',
      value: taxBefore.value + 2,
    });
    const dupe = await city.request('PUT', '/api/v1/enterprises/settings/provenance', {
      ...body,
      precedence: { tax_paid: ['tax_bureau', 'tax_bureau'] },
    });
    expect(dupe.statusCode).toBe(400);
    const [a] = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'enterprise.provenance.settings'));
    expect(a).toBeDefined();
    await city.request('PUT', '/api/v1/enterprises/settings/provenance', {
      tolerance: 0.1,
      yoyFactor: 5,
      precedence: {},
    });
  });
});
