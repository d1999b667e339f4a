/**
 * Route inventory (security.md AC-01): every route declares its access; unauthenticated calls get 401 with
 * the error envelope; a district user probing another district's records gets 404 on every route taking an id.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { eq } from 'drizzle-orm';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, type Permission } from '../src/domain/access.ts';
import { INFRA_ROUTE_PREFIXES, UndeclaredRouteError } from '../src/server/app.ts';
import {
  enterpriseIndicatorValues,
  enterprises,
  notificationRobots,
  notifications,
  orgs,
  parks,
  payoutBatches,
  payoutObjections,
  payouts,
  policies,
  policyApplications,
  projects,
  users,
} from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const apiRoutes = () => t.app.routeInventory.filter((r) => r.url.startsWith('/api/v1/'));
const fill = (url: string, id: string) =>
  url.replace(/:(id|code)\b/, id).replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function multipart(bytes: Buffer, filename: string) {
  const boundary = '----miaopu-test-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('route inventory', () => {
  it('has routes, and every /api/v1 route declares access and a schema', () => {
    expect(apiRoutes().length).toBeGreaterThan(15);
    for (const r of apiRoutes()) {
      expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
      expect(r.hasSchema, `${r.method} ${r.url}`).toBe(true);
    }
  });

  it('lists every other route as public infrastructure', () => {
    for (const r of t.app.routeInventory.filter((x) => !x.url.startsWith('/api/v1/'))) {
      expect(
        INFRA_ROUTE_PREFIXES.some((p) => r.url === p || (p !== '/' && r.url.startsWith(p))),
        `${r.method} ${r.url}`,
      ).toBe(true);
    }
  });

  it('refuses to register a route without an access declaration', async () => {
    const app = Fastify();
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/v1/') && !route.config?.access) throw new UndeclaredRouteError('undeclared');
    });
    expect(() => app.get('/api/v1/oops', async () => 'x')).toThrow(UndeclaredRouteError);
    await app.close();
  });

  it('the real app applies the same guard', async () => {
    expect(() => t.app.get('/api/v1/late-route', async () => 'x')).toThrow();
  });
});

describe('without a session', () => {
  it('every non-public /api/v1 route answers 401 with the error envelope', async () => {
    const anon = t.anonymous();
    const probed: string[] = [];
    for (const r of apiRoutes().filter((x) => x.access !== 'public')) {
      const url = fill(r.url, '00000000-0000-4000-8000-000000000000');
      const res = await anon.request(r.method as 'GET', url, r.method === 'GET' ? undefined : {});
      expect(res.statusCode, `${r.method} ${url}`).toBe(401);
      const body = res.json();
      expect(body.error.code, `${r.method} ${url}`).toBe('UNAUTHENTICATED');
      expect(typeof body.error.message).toBe('string');
      expect(body.error).toHaveProperty('details');
      probed.push(`${r.method} ${r.url}`);
    }
    expect(probed.length).toBeGreaterThan(10);
  });
});

/** A valid body for each id route that takes one, so the probe reaches the scope check (not validation). */
const SAMPLE_BODIES: Record<string, unknown> = {
  'PATCH /api/v1/users/:id': { status: 'disabled' },
  'POST /api/v1/users/:id/reset-password': {},
  'PUT /api/v1/users/:id/grant': { role: 'pending' },
  'POST /api/v1/users/:id/totp-reset': {},
  'PATCH /api/v1/projects/:id': { version: 1, name: '越权修改' },
  'POST /api/v1/projects/:id/advance': {
    stage: 'performed',
    date: '2022-01-01',
    evidence: { company_registered: true },
  },
  'PUT /api/v1/projects/:id/investments': { year: 2022, month: 1, amountWan: 1 },
  'PUT /api/v1/projects/:id/plans': { year: 2022, plannedWan: 1 },
  'PATCH /api/v1/parks/:id': { version: 1, name: '越权修改' },
  'PUT /api/v1/enterprises/:id/indicators': { year: 2025, key: 'tax_paid', value: 1, source: 'self_reported' },
  'PUT /api/v1/enterprises/:id/monthly': { year: 2025, month: 1, key: 'tax', value: 1, source: 'self_reported' },
  'POST /api/v1/enterprises/:id/qualifications': { type: 'tech_sme', issuedOn: '2025-01-01' },
  'POST /api/v1/enterprises/:id/tenancies': {
    parkId: '00000000-0000-4000-8000-000000000000',
    areaM2: 1,
    startOn: '2025-01-01',
  },
  'POST /api/v1/enterprises/:id/contacts': { name: '越权' },
  'POST /api/v1/enterprises/:id/contacts/:contactId/reveal': { reason: '越权查看' },
  'POST /api/v1/assistance/cadres/:id/no-visit-reason': { from: '2023-01-01', to: '2023-01-31', reason: '越权填写' },
  'PUT /api/v1/assistance/enterprises/:id/preferences': { preferOnline: true },
  'POST /api/v1/assistance/problems/:id/actions': { action: 'escalate', version: 1, note: '越权督办' },
  'POST /api/v1/assistance/common-issues/:id/batch': { action: 'feedback', note: '越权批处理' },
  'POST /api/v1/parks/:id/stage': { stage: 'operating', on: '2022-01-01' },
  'POST /api/v1/parks/:id/plan-changes/:changeId/decision': { decision: 'approve' },
  'PUT /api/v1/parks/:id/plans': { year: 2022, plannedWan: 1 },
  'PUT /api/v1/parks/:id/milestones': { milestones: [] },
  'PUT /api/v1/parks/:id/investments': { year: 2022, month: 1, amountWan: 1 },
  'POST /api/v1/parks/:id/reports': { period: 'week', periodStart: '2022-01-03', investmentWan: 1, progress: '越权' },
  'POST /api/v1/parks/:id/buildings': { name: '越权楼', floors: 1 },
  'PUT /api/v1/policies/:id': {
    version: 1,
    title: '越权修改',
    issuerOrgId: '00000000-0000-4000-8000-000000000000',
    level: 'district',
    channel: 'ordinary',
  },
  'POST /api/v1/policies/:id/transition': { action: 'submit' },
  'POST /api/v1/policies/:id/evaluate': { facts: {} },
  'POST /api/v1/payout-batches/:id/transition': { action: 'review' },
  'POST /api/v1/payout-batches/:id/disburse': { reference: '越权拨付' },
  'POST /api/v1/payouts/:id/objections': { reason: '越权异议' },
  'POST /api/v1/payout-objections/:id/decide': { upheld: true, note: '越权' },
  'POST /api/v1/payouts/:id/confirm': { accept: true },
  'POST /api/v1/payouts/:id/remove': { reason: '越权移出' },
  'PATCH /api/v1/targets/:id': { version: 1, value: 1 },
  'POST /api/v1/applications/:id/decide': { decision: 'rejected', reasons: '越权处理' },
  'PUT /api/v1/notifications/robots/:id': { name: '越权修改', platform: 'wecom' },
  'POST /api/v1/indicator-reviews/:id/confirm': { note: '核实' },
  'POST /api/v1/indicator-reviews/:id/reject': { note: '驳回' },
  'POST /api/v1/parks/:id/units': {
    buildingId: '00000000-0000-4000-8000-000000000000',
    floor: 1,
    code: 'X1',
    areaM2: 1,
    use: 'production',
  },
};

describe('cross-district sweep', () => {
  /** For each entity kind, a record of 二七区 (foreign to huiji.admin) and one of 惠济区 (own). */
  async function fixtures() {
    const { db } = t.deps.database;
    const erqi = await t.login('erqi.admin');
    const huiji = await t.login('huiji.admin');
    const orgOf = async (name: string) => (await db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
    const userOf = async (name: string) => (await db.select().from(users).where(eq(users.username, name)))[0]!.id;
    const noticeOf = async (userId: string) =>
      (await db.select().from(notifications).where(eq(notifications.userId, userId)))[0]!.id;
    const upload = async (c: typeof erqi) => {
      const m = multipart(PNG, 'a.png');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/files',
        payload: m.body,
        cookies: c.cookies,
        headers: { 'content-type': m.contentType, 'x-csrf-token': c.cookies.miaopu_csrf ?? '' },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    await erqi.get('/api/v1/auth/csrf');
    await huiji.get('/api/v1/auth/csrf');
    const job = async (username: string, region: string) => {
      const uid = await userOf(username);
      return t.deps.jobs.record(
        db,
        { userId: uid, username, role: 'district_admin', ip: null, requestId: null },
        'audit.verify',
        {},
        region,
      );
    };
    const projectIn = async (region: string) =>
      (await db.select().from(projects).where(eq(projects.regionCode, region)).limit(1))[0]!.id;
    const parkIn = async (region: string) =>
      (await db.select().from(parks).where(eq(parks.regionCode, region)).limit(1))[0]!.id;
    // policies: 二七区's draft is foreign to huiji.admin (published ones are visible to every business role)
    const policyOf = async (code: string) => (await db.select().from(policies).where(eq(policies.code, code)))[0]!.id;
    const enterpriseIn = async (region: string) =>
      (await db.select().from(enterprises).where(eq(enterprises.regionCode, region)).limit(1))[0]!.id;
    const foreign: Record<string, string> = {
      enterprise: await enterpriseIn('410103'),
      policy: await policyOf('EQ-GOV-2026-DRAFT'),
      project: await projectIn('410103'),
      park: await parkIn('410103'),
      org: await orgOf('二七区人民政府'),
      user: await userOf('erqi.admin'),
      notification: await noticeOf(await userOf('erqi.admin')),
      file: await upload(erqi),
      job: await job('erqi.admin', '410103'),
      region: '410103',
    };
    const own: Record<string, string> = {
      enterprise: await enterpriseIn('410108'),
      policy: await policyOf('HJ-GOV-2025-RENT'),
      project: await projectIn('410108'),
      park: await parkIn('410108'),
      org: await orgOf('惠济区人民政府'),
      user: await userOf('huiji.admin'),
      notification: await noticeOf(await userOf('huiji.admin')),
      file: await upload(huiji),
      job: await job('huiji.admin', '410108'),
      region: '410108',
    };
    // policy matching and payouts (H3): a batch, payout, objection and application per district
    const payoutFixtures = async (policyCode: string, region: string, number: number) => {
      const policyId = await policyOf(policyCode);
      const enterpriseId = await enterpriseIn(region);
      const [b] = await db.insert(payoutBatches).values({ policyId, number, regionCode: region }).returning();
      const [p] = await db
        .insert(payouts)
        .values({
          batchId: b!.id,
          policyId,
          clauseId: policyId,
          enterpriseId,
          regionCode: region,
          amountYuan: '1.00',
          consent: 'not_needed',
        })
        .returning();
      const [o] = await db.insert(payoutObjections).values({ payoutId: p!.id, reason: '测试异议' }).returning();
      const [a] = await db
        .insert(policyApplications)
        .values({ policyId, enterpriseId, regionCode: region })
        .returning();
      return { payout_batch: b!.id, payout: p!.id, payout_objection: o!.id, policy_application: a!.id };
    };
    Object.assign(foreign, await payoutFixtures('EQ-GOV-2026-DRAFT', '410103', 901));
    Object.assign(own, await payoutFixtures('HJ-GOV-2025-RENT', '410108', 902));
    // 万人助万企 (H5): a work group, cadre, pairing, problem and common issue per district
    const assistanceIn = async (region: string) => {
      const one = async (q: string) => String((await t.deps.database.raw(q, [region])).rows[0]!.id);
      return {
        assistance_group: await one('select id from assistance_work_groups where region_code = $1 limit 1'),
        assistance_cadre: await one('select id from assistance_cadres where region_code = $1 limit 1'),
        assistance_pairing: await one('select id from assistance_pairings where region_code = $1 limit 1'),
        assistance_problem: await one('select id from assistance_problems where region_code = $1 limit 1'),
        assistance_common_issue: await one('select id from assistance_common_issues where region_code = $1 limit 1'),
      };
    };
    // trusted facts (#15): a pending self-reported value per district
    const selfReportIn = async (region: string) => {
      const [v] = await db
        .insert(enterpriseIndicatorValues)
        .values({
          enterpriseId: await enterpriseIn(region),
          year: 2020,
          key: 'value_added',
          source: 'self_reported',
          value: 1,
          reviewStatus: 'pending',
          reviewFlag: 'no_official',
        })
        .returning();
      return { indicator_value: v!.id };
    };
    // notification channels (#21): a group robot of each district government
    const robotOf = async (orgName: string, region: string) => {
      const [r] = await db
        .insert(notificationRobots)
        .values({
          orgId: await orgOf(orgName),
          regionCode: region,
          name: '测试群',
          platform: 'wecom',
          urlEnc: t.deps.cipher.encrypt('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x'),
          urlMasked: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x****',
        })
        .returning();
      return { notification_robot: r!.id };
    };
    Object.assign(foreign, await robotOf('二七区人民政府', '410103'));
    Object.assign(own, await robotOf('惠济区人民政府', '410108'));
    Object.assign(foreign, await selfReportIn('410103'));
    Object.assign(own, await selfReportIn('410108'));
    Object.assign(foreign, await assistanceIn('410103'));
    Object.assign(own, await assistanceIn('410108'));
    // 目标任务 (#21): a seeded target of each district (its 2022 park investment)
    const targetIn = async (region: string) => {
      const rows = await t.deps.database.raw('select id from targets where region_code = $1 limit 1', [region]);
      return { target: String(rows.rows[0]!.id) };
    };
    Object.assign(foreign, await targetIn('410103'));
    Object.assign(own, await targetIn('410108'));
    // 周报/月报 (#21): an archived report per district (a tiny PDF and workbook stand in for the generated files)
    const reportIn = async (region: string) => {
      const pdf = await t.deps.files.put(Buffer.from(`%PDF-1.4\n% report ${region}\ntrailer<<>>\n%%EOF\n`));
      const rows = await t.deps.database.raw(
        `insert into reports (period_type, period_start, period_end, region_code, title, figures, pdf_sha256, pdf_size,
           xlsx_sha256, xlsx_size) values ('monthly', '2022-06-01', '2022-06-30', $1, $2, '{}', $3, $4, $3, $4)
         returning id`,
        [region, `测试月报 ${region}`, pdf.sha256, pdf.size],
      );
      return { report: String(rows.rows[0]!.id) };
    };
    Object.assign(foreign, await reportIn('410103'));
    Object.assign(own, await reportIn('410108'));
    // the own problem carries the own upload as its photo (attachment route)
    await t.deps.database.raw(
      `update assistance_problems set attachment_file_ids = jsonb_build_array($1::text) where id = $2`,
      [own.file, own.assistance_problem],
    );
    return { huiji, foreign, own };
  }

  it('every route that takes an id answers 404 for a record of another district (and works for its own)', async () => {
    const { huiji, foreign, own } = await fixtures();
    const idRoutes = apiRoutes().filter((r) => /:(id|code)/.test(r.url));
    expect(idRoutes.length).toBeGreaterThan(5);
    for (const r of idRoutes) {
      expect(r.entity, `${r.method} ${r.url} must declare its entity`).toBeTruthy();
      expect(foreign[r.entity!], `no fixture for entity ${r.entity}`).toBeTruthy();
      const permitted = r.access === 'authenticated' || can('district_admin', r.access as Permission);
      const body = r.method === 'GET' ? undefined : (SAMPLE_BODIES[`${r.method} ${r.url}`] ?? {});
      const res = await huiji.request(r.method as 'GET', fill(r.url, foreign[r.entity!]!), body);
      expect(res.statusCode, `${r.method} ${r.url} on a foreign ${r.entity}: ${res.body}`).toBe(permitted ? 404 : 403);
      if (permitted && r.method === 'GET') {
        const url = r.url.replace(':enterpriseId', own.enterprise!).replace(':fileId', own.file!);
        const mine = await huiji.request('GET', fill(url, own[r.entity!]!));
        expect(mine.statusCode, `${r.method} ${r.url} on an own ${r.entity}`).toBe(200);
      }
    }
  });

  it('lists only show records in scope', async () => {
    const huiji = await t.login('huiji.admin');
    const orgsRes = (await huiji.get('/api/v1/orgs?pageSize=200')).json();
    expect(orgsRes.total).toBeGreaterThan(0);
    for (const o of orgsRes.items) expect(o.regionCode.startsWith('410108')).toBe(true);
    const regions = (await huiji.get('/api/v1/regions')).json().items as { code: string; inScope: boolean }[];
    expect(regions.filter((r) => r.inScope).every((r) => r.code.startsWith('410108'))).toBe(true);
    expect(regions.some((r) => r.code === '410103')).toBe(false);
    const city = (await (await t.login('city.admin')).get('/api/v1/orgs?pageSize=200')).json();
    expect(city.total).toBeGreaterThan(orgsRes.total);
    expect(city.items.some((o: { regionCode: string }) => o.regionCode === '330111')).toBe(false);
  });
});

describe('OpenAPI', () => {
  it('/api/openapi.json passes an independent validator', async () => {
    const res = await t.anonymous().get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    const validated = await SwaggerParser.validate(structuredClone(doc));
    expect((validated as { openapi?: string }).openapi).toMatch(/^3\./);
  });

  it('serves the docs UI', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});

describe('health', () => {
  it('/healthz and /readyz answer; readiness turns 503 while draining', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    t.deps.draining = true;
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(503);
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    t.deps.draining = false;
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await t.anonymous().get('/api/v1/system/public-info');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
