/**
 * 梯度培育 (issue #20) on the real app: the public tier calculator's exact contract, the KPIs of seed 001 from
 * certification rows, scoped near-miss lists with the audited export, the pool, certifications feeding the
 * qualifications, targets and the population job.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS_RATE_LIMIT_PER_MINUTE } from '../src/server/modules/tools/routes.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
let csrf = '';
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/csrf' });
  csrf = res.cookies.find((c) => c.name === 'miaopu_csrf')!.value;
});
afterAll(async () => t.close());

async function countOf(q: ReturnType<typeof sql>) {
  const r = (await t.deps.database.db.execute(q)) as unknown as { rows: { n: number }[] };
  return Number(r.rows[0]!.n);
}

function calc(body: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/tools/tier-assessment',
    cookies: { miaopu_csrf: csrf },
    headers: { 'x-csrf-token': csrf, 'x-forwarded-for': '10.9.9.9', ...headers },
    payload: body as object,
  });
}

const INNOV = {
  ipClass: 'i',
  revenue: 1000,
  rdExpense: 30,
  mainBusinessRevenue: 700,
  mainBusinessGrowth: 0.1,
  debtRatio: 0.5,
  strategicEmerging: false,
  stAward: null,
  validHonour: false,
  rdInstitution: 'municipal',
  equityFinancing3y: 0,
};

describe('POST /api/v1/tools/tier-assessment (public)', () => {
  it('answers the exact contract without a login', async () => {
    const res = await calc({ tier: 'innovative_sme', facts: INNOV });
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b).toMatchObject({ eligible: true, route: 'score', score: 75, missing: [] });
    expect(b.categories.innovation).toMatchObject({ points: 25, max: 40, min: 20, met: true });
    expect(b.items).toContainEqual({ id: 'rd_intensity', points: 15, max: 20 });
    expect(Object.keys(b.items[0]).sort()).toEqual(['id', 'max', 'points']);
  });

  it('direct route, missing facts → null with the facts listed, 小巨人 bands', async () => {
    const d = (
      await calc({ tier: 'innovative_sme', facts: { ...INNOV, ipClass: 'none', rdExpense: 0, validHonour: true } })
    ).json();
    expect(d).toMatchObject({ eligible: true, route: 'direct' });
    const m = (await calc({ tier: 'srdi_sme', facts: { revenue: 2000, rdExpense: 150 } })).json();
    expect(m.eligible).toBeNull();
    expect(m.route).toBeNull();
    expect(m.missing).toContain('nicheYears');
    expect(m.missing).toContain('localScore');
    const lg = (
      await calc({
        tier: 'little_giant',
        facts: {
          nicheYears: 5,
          revenue: 8000,
          revenuePrev: 7000,
          mainBusinessRevenue: 7000,
          mainBusinessGrowth2y: 0.06,
          coreBusinessInfoSystem: true,
          certification: true,
          debtRatio: 0.4,
          marketShare: 0.12,
          ownBrand: true,
          rdExpense: 470, // 5.9% < 6%
          rdExpensePrev: 450,
          rdInstitution: 'provincial',
          classIIpCount: 3,
          stAward: null,
          makerChinaTop: null,
          keyChainRole: true,
          priorityField: true,
        },
      })
    ).json();
    expect(lg.eligible).toBe(false);
    expect(lg.categories.innovation.met).toBe(false);
    expect(lg.conditions.find((c: { id: string }) => c.id === 'rd_intensity_middle')).toMatchObject({
      met: false,
      required: 0.06,
    });
  });

  it('bad input → localized 400, never 500; CSRF required', async () => {
    const bad = await calc({ tier: 'giant', facts: {} }, { 'accept-language': 'en' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const neg = await calc({ tier: 'srdi_sme', facts: { revenue: -5 } });
    expect(neg.statusCode).toBe(400);
    const unknown = await calc({ tier: 'srdi_sme', facts: { revenu: 5 } });
    expect(unknown.statusCode).toBe(400);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tools/tier-assessment',
      payload: { tier: 'srdi_sme', facts: {} },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it(`is limited per client IP in the app's shared store: ${TOOLS_RATE_LIMIT_PER_MINUTE} a minute, then 429 + Retry-After`, async () => {
    const from = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/tools/tier-assessment',
        remoteAddress,
        cookies: { miaopu_csrf: csrf },
        headers: { 'x-csrf-token': csrf },
        payload: { tier: 'innovative_sme', facts: INNOV },
      });
    for (let i = 0; i < TOOLS_RATE_LIMIT_PER_MINUTE; i++) expect((await from('10.77.0.1')).statusCode).toBe(200);
    const limited = await from('10.77.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // one counter, in the database (not a second in-memory limiter beside it)
    const keys = await t.deps.database.raw(`select key from rate_limit_counters where key like '%10.77.0.1%'`);
    expect(keys.rows.length).toBe(1);
    // another address keeps its budget
    expect((await from('10.77.0.2')).statusCode).toBe(200);
  });

  it('is documented in OpenAPI with every fact described', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/v1/tools/tier-assessment'].post;
    const facts = op.requestBody.content['application/json'].schema.properties.facts;
    for (const k of ['ipClass', 'classIIpCount', 'revenue', 'stAward', 'makerChinaTop', 'priorityField'])
      expect(facts.properties[k].description ?? facts.properties[k].anyOf, k).not.toBeUndefined();
  });
});

describe('KPIs, lists and writes', () => {
  it('KPIs of 惠济区 2022 reproduce seed 001 from certification rows', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.get('/api/v1/cultivation/kpis?region=410108&year=2022');
    expect(res.statusCode).toBe(200);
    const k = res.json();
    expect(k.innovativeSme).toEqual({ total: 42, new: 42 });
    expect(k.srdi.municipal).toEqual({ total: 29, new: 13 });
    expect(k.srdi.provincial).toEqual({ total: 4, new: 2 });
    expect(k.srdi.new).toBe(15);
    expect(k.srdi.target).toBe(8);
    expect(k.srdi.completionRate).toBe(187.5);
    expect(k.littleGiant).toEqual({ total: 0, new: 0 });
    // 2021: 16 municipal and 2 provincial were recognised before 2022
    const k21 = (await c.get('/api/v1/cultivation/kpis?region=410108&year=2021')).json();
    expect(k21.srdi.municipal.total).toBe(16);
    expect(k21.innovativeSme.total).toBe(0);
    // another district's region is not visible
    const erqi = await t.login('erqi.admin');
    expect((await erqi.get('/api/v1/cultivation/kpis?region=410108&year=2022')).statusCode).toBe(404);
    expect((await c.get('/api/v1/cultivation/kpis?region=999999&year=2022')).statusCode).toBe(400);
  });

  it('the population assessment wrote results; near-misses are scoped, ranked and exported (audited)', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.get('/api/v1/cultivation/near-misses?tier=srdi_sme');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { regionCode: string; gap: number; shortfalls: unknown[] }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.regionCode === '410108')).toBe(true);
    for (let i = 1; i < items.length; i++) expect(items[i]!.gap).toBeGreaterThanOrEqual(items[i - 1]!.gap);
    expect(items[0]!.shortfalls.length).toBeGreaterThan(0);
    const city = await t.login('city.admin');
    const all = (await city.get('/api/v1/cultivation/near-misses?tier=srdi_sme&limit=500')).json().items;
    expect(all.some((i: { regionCode: string }) => i.regionCode !== '410108')).toBe(true);
    const x = await c.get('/api/v1/cultivation/near-misses/export?tier=srdi_sme');
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
    expect(
      await countOf(sql`select count(*)::int as n from audit_log where action = 'cultivation.near_miss.export'`),
    ).toBe(1);
  });

  it('a near-miss firm enters the pool once; notes and status change; another district cannot see it', async () => {
    const c = await t.login('huiji.admin');
    const [first] = (await c.get('/api/v1/cultivation/near-misses?tier=srdi_sme')).json().items;
    const add = await c.post('/api/v1/cultivation/pool', {
      enterpriseId: first.enterpriseId,
      targetTier: 'srdi_sme',
      source: 'near_miss',
      plan: [{ title: '研发费用归集辅导', due: '2027-03-31' }],
    });
    expect(add.statusCode).toBe(201);
    const again = await c.post('/api/v1/cultivation/pool', {
      enterpriseId: first.enterpriseId,
      targetTier: 'srdi_sme',
      source: 'near_miss',
    });
    expect(again.statusCode).toBe(409);
    const upd = await c.post('/api/v1/cultivation/pool/update', {
      id: add.json().id,
      note: '一对一走访：研发投入计划已定',
    });
    expect(upd.json().notes).toBe(1);
    const pool = (await c.get('/api/v1/cultivation/pool')).json().items;
    expect(pool.map((p: { id: string }) => p.id)).toContain(add.json().id);
    const erqi = await t.login('erqi.admin');
    expect((await erqi.get('/api/v1/cultivation/pool')).json().items.map((p: { id: string }) => p.id)).not.toContain(
      add.json().id,
    );
    expect((await erqi.post('/api/v1/cultivation/pool/update', { id: add.json().id, note: 'x' })).statusCode).toBe(404);
    const card = await c.get(`/api/v1/cultivation/enterprises/${first.enterpriseId}`);
    expect(card.statusCode).toBe(200);
    expect(card.json().tiers).toHaveLength(3);
    expect(card.json().pool).toHaveLength(1);
  });

  it('a certification feeds the qualifications, carries the 复核 date, and can be revoked', async () => {
    const c = await t.login('huiji.admin');
    const [, first] = (await c.get('/api/v1/cultivation/near-misses?tier=srdi_sme')).json().items;
    const stamp = sql`select extract(epoch from max(assessed_at))::float as n from cultivation_assessments
      where enterprise_id = ${first.enterpriseId}`;
    const before = await countOf(stamp);
    const cert = await c.post('/api/v1/cultivation/certifications', {
      enterpriseId: first.enterpriseId,
      tier: 'srdi_sme',
      level: 'national',
      batchNo: '第五批',
      recognisedOn: '2025-07-01',
    });
    expect(cert.statusCode).toBe(201);
    expect(cert.json()).toMatchObject({ validUntil: '2028-06-30', reviewDueOn: '2028-04-01' });
    // the facts were recomputed in the write's transaction and the firm re-assessed with them (second listener)
    expect(await countOf(stamp)).toBeGreaterThan(before);
    expect(
      await countOf(sql`select count(*)::int as n from enterprise_qualifications
        where enterprise_id = ${first.enterpriseId} and type = 'srdi_sme' and level = 'national'`),
    ).toBe(1);
    const rev = await c.post('/api/v1/cultivation/certifications/revoke', {
      id: cert.json().id,
      on: '2026-01-10',
      reason: '提供虚假材料',
    });
    expect(rev.statusCode).toBe(200);
    expect(
      (await c.post('/api/v1/cultivation/certifications/revoke', { id: cert.json().id, on: '2026-01-10', reason: 'x' }))
        .statusCode,
    ).toBe(409);
    const future = await c.post('/api/v1/cultivation/certifications', {
      enterpriseId: first.enterpriseId,
      tier: 'srdi_sme',
      level: 'municipal',
      recognisedOn: '2099-01-01',
    });
    expect(future.statusCode).toBe(400);
  });

  it('targets are data per region and year; the scale-up KPI reads them', async () => {
    const c = await t.login('huiji.admin');
    const put = await c.request('PUT', '/api/v1/cultivation/targets', {
      region: '410108',
      year: 2025,
      metric: 'scale_up_new',
      target: 4,
    });
    expect(put.statusCode).toBe(200);
    const k = (await c.get('/api/v1/cultivation/kpis?region=410108&year=2025')).json();
    expect(k.scaleUp.target).toBe(4);
    expect(typeof k.scaleUp.new).toBe('number');
    const erqi = await t.login('erqi.admin');
    expect(
      (
        await erqi.request('PUT', '/api/v1/cultivation/targets', {
          region: '410108',
          year: 2025,
          metric: 'srdi_new',
          target: 1,
        })
      ).statusCode,
    ).toBe(404);
    const ent = await t.login('enterprise');
    expect(
      (
        await ent.request('PUT', '/api/v1/cultivation/targets', {
          region: '410108',
          year: 2025,
          metric: 'srdi_new',
          target: 1,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('小升规 candidates: below-scale firms near their threshold, in scope, closest first', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.get('/api/v1/cultivation/scale-up-candidates?share=0.5');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { share: number; threshold: number; revenue: number; regionCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.regionCode).toBe('410108');
      expect(i.share).toBeGreaterThanOrEqual(0.5);
      expect(i.revenue).toBeLessThan(i.threshold);
    }
    for (let i = 1; i < items.length; i++) expect(items[i]!.share).toBeLessThanOrEqual(items[i - 1]!.share);
    expect((await c.get('/api/v1/cultivation/scale-up-candidates?share=2')).statusCode).toBe(400);
  });
});
