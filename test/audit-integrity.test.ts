/**
 * Audit integrity (issue #16, security.md AU-03, decision 0022): signed checkpoints of the chain head, kept in
 * `audit_checkpoints` and in DATA_DIR/audit/checkpoints.jsonl, let the verifier find rows deleted from the middle
 * and cut off the tail — which the hash chain alone cannot (decision 0005).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../src/domain/uscc.ts';
import { buildApp, UndeclaredRouteError } from '../src/server/app.ts';
import { checkpointFile } from '../src/server/platform/audit.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const raw = async (q: string, params: unknown[] = []) => (await t.deps.database.raw(q, params)).rows;
const asSuperuser = async (q: string, params: unknown[] = []) => {
  await raw('alter table audit_log disable trigger audit_log_no_update');
  try {
    await raw(q, params);
  } finally {
    await raw('alter table audit_log enable trigger audit_log_no_update');
  }
};
const headId = async () => Number((await raw('select max(id) as id from audit_log'))[0]!.id);
const file = () => checkpointFile(t.dataDir);
const verify = () => t.deps.audit.verify(t.deps.database.db, undefined, { checkpointFile: file() });

describe('checkpoints', () => {
  it('the auditor anchors the head, sees the latest checkpoint, and nobody else may', async () => {
    const auditor = await t.login('auditor');
    const made = await auditor.post('/api/v1/audit/checkpoints');
    expect(made.statusCode, made.body).toBe(201);
    const c = made.json();
    expect(c.headId).toBe(await headId());
    expect(c.signature).toMatch(/^(sm3|sha256):[0-9a-f]{64}$/);
    // written outside the audit table: a row in audit_checkpoints and a line in the file under DATA_DIR
    const rows = await raw('select head_id, head_hash, signature from audit_checkpoints where head_id = $1', [
      c.headId,
    ]);
    expect(rows).toHaveLength(1);
    const lines = fs.readFileSync(file(), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ headId: c.headId, headHash: c.headHash });
    const list = (await auditor.get('/api/v1/audit/checkpoints')).json();
    expect(list.latest.headId).toBeGreaterThanOrEqual(c.headId);
    expect(list.items.every((x: { valid: boolean }) => x.valid)).toBe(true);
    expect(list.items.some((x: { source: string }) => x.source === 'file')).toBe(true);
    for (const u of ['city.admin', 'system.admin', 'security.admin']) {
      const other = await t.login(u);
      expect((await other.get('/api/v1/audit/checkpoints')).statusCode).toBe(403);
      expect((await other.post('/api/v1/audit/checkpoints')).statusCode).toBe(403);
    }
  });

  it('a verification job anchors the head it verified', async () => {
    const before = Number((await raw('select count(*)::int as n from audit_checkpoints'))[0]!.n);
    const r = await verify();
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(r.anchors).toBeGreaterThan(0);
    await t.deps.audit.checkpoint(t.deps.database.db, file());
    const after = Number((await raw('select count(*)::int as n from audit_checkpoints'))[0]!.n);
    expect(after).toBe(before + 1);
  });

  it('a forged checkpoint line in the file is reported', async () => {
    const good = await t.deps.audit.checkpoint(t.deps.database.db, file());
    const forged = { ...good!, rows: good!.rows - 1 };
    const original = fs.readFileSync(file(), 'utf8');
    fs.appendFileSync(file(), `${JSON.stringify(forged)}\n`);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/checkpoint signature invalid \(file\)/);
    fs.writeFileSync(file(), original);
    expect((await verify()).ok).toBe(true);
  });
});

const auditRows = async (action: string) =>
  (
    await raw(
      `select actor_username, entity, entity_id, region_code, result, summary from audit_log where action = $1 order by id`,
      [action],
    )
  ).map((r) => ({ ...r, summary: typeof r.summary === 'string' ? JSON.parse(r.summary as string) : r.summary })) as {
    actor_username: string | null;
    entity: string | null;
    entity_id: string | null;
    region_code: string | null;
    result: string;
    summary: Record<string, unknown>;
  }[];

describe('audit completeness', () => {
  it('a file download writes one audit row (who, which file, size, scope)', async () => {
    const huiji = await t.login('huiji.admin');
    await huiji.get('/api/v1/auth/csrf');
    const boundary = '----miaopu-audit-dl';
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="图.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      cookies: huiji.cookies,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'x-csrf-token': huiji.cookies.miaopu_csrf!,
      },
    });
    expect(up.statusCode, up.body).toBe(201);
    const id = up.json().id as string;
    expect(await auditRows('file.download')).toHaveLength(0);
    const dl = await huiji.get(`/api/v1/files/${id}/content`);
    expect(dl.statusCode).toBe(200);
    const rows = await auditRows('file.download');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_username: 'huiji.admin',
      entity: 'file',
      entity_id: id,
      region_code: '410108',
    });
    expect(rows[0]!.summary).toMatchObject({
      name: '图.png',
      size: png.length,
      scope: { kind: 'region', region: '410108' },
    });
  });

  it("GET /api/v1/enterprises/export: the caller's scope only, one audit row with the row count, names masked, formulas escaped", async () => {
    const huiji = await t.login('huiji.admin');
    const first17 = '91410108MA9F00001';
    const created = await huiji.post('/api/v1/enterprises', {
      uscc: first17 + usccCheckChar(first17),
      name: '=HYPERLINK("http://evil","点我")',
      regionCode: '410108',
      industryCode: 'C3411',
      legalRepresentative: '王小明',
    });
    expect(created.statusCode, created.body).toBe(201);
    const before = (await auditRows('enterprise.export')).length;
    const res = await huiji.get('/api/v1/enterprises/export');
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const data: string[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) data.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    expect(data.length).toBeGreaterThan(1);
    // scope: every row is a 惠济区 firm
    expect(data.every((r) => r[2] === '惠济区')).toBe(true);
    const evil = data.find((r) => r[1]!.includes('HYPERLINK'))!;
    expect(evil[1]!.startsWith("'=")).toBe(true);
    expect(evil[4]).toBe('王**');
    expect(data.some((r) => r.includes('王小明'))).toBe(false);
    const rows = await auditRows('enterprise.export');
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ actor_username: 'huiji.admin', region_code: '410108' });
    expect(rows[rows.length - 1]!.summary.rows).toBe(data.length);
  });

  it('GET /api/v1/enterprises/export keeps the list’s filter and order, with size and 规上 from the year’s facts', async () => {
    const city = await t.login('city.admin');
    const query = 'region=410108&aboveScale=true&year=2025&sort=uscc&order=desc';
    const list = await city.get(`/api/v1/enterprises?${query}&pageSize=200`);
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items as { uscc: string; size: string | null; aboveScale: boolean | null }[];
    expect(items.length).toBeGreaterThan(1);
    expect(list.json().total).toBe(items.length); // one page holds them all, so the two can be compared whole
    const res = await city.get(`/api/v1/enterprises/export?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const data: string[][] = [];
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n > 1) data.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    expect(data.map((r) => r[0])).toEqual(items.map((i) => i.uscc));
    const sizeLabel: Record<string, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };
    expect(data.map((r) => r[5])).toEqual(items.map((i) => (i.size ? (sizeLabel[i.size] ?? '未知') : '')));
    expect(data.every((r) => r[6] === '是')).toBe(true);
  });

  it('the treasury payout export writes one audit row with the row count', async () => {
    const [batch] = await raw(`select id from payout_batches order by number limit 1`);
    expect(batch?.id).toMatch(/^[0-9a-f-]{36}$/);
    const city = await t.login('city.admin');
    const res = await city.get(`/api/v1/payout-batches/${batch!.id}/export.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = await auditRows('payout.export');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_username: 'city.admin',
      entity: 'payout_batch',
      entity_id: String(batch!.id),
    });
    const listed = await raw(
      `select count(*)::int as n from payouts where batch_id = $1 and status in ('approved', 'paid')`,
      [batch!.id],
    );
    expect(rows[0]!.summary.rows).toBe(Number(listed[0]!.n));
  });

  it('refused authorizations are audited, one row per user and route per minute with the count of the rest', async () => {
    const city = await t.login('city.admin');
    for (let i = 0; i < 5; i++) expect((await city.get('/api/v1/audit')).statusCode).toBe(403);
    let rows = (await auditRows('access.denied')).filter((r) => r.summary.route === '/api/v1/audit');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_username: 'city.admin', result: 'failure' });
    expect(rows[0]!.summary).toMatchObject({
      code: 'FORBIDDEN',
      method: 'GET',
      permission: 'audit:read',
      suppressed: 0,
    });
    t.clock.advanceMinutes(2);
    expect((await city.get('/api/v1/audit')).statusCode).toBe(403);
    rows = (await auditRows('access.denied')).filter((r) => r.summary.route === '/api/v1/audit');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.summary.suppressed).toBe(4);
  });

  it('CSRF failures are audited (throttled the same way)', async () => {
    const city = await t.login('city.admin');
    const before = (await auditRows('security.csrf_failed')).length;
    for (let i = 0; i < 3; i++) {
      const res = await city.request('POST', '/api/v1/notifications/read-all', {}, { 'x-csrf-token': 'forged' });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_FAILED');
    }
    const rows = await auditRows('security.csrf_failed');
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]!.summary).toMatchObject({ code: 'CSRF_FAILED', method: 'POST' });
  });
});

describe('route guards of the real app', () => {
  it('CSRF is refused on every unsafe route of the inventory', async () => {
    const city = await t.login('city.admin');
    const unsafe = t.app.routeInventory.filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'GET');
    expect(unsafe.length).toBeGreaterThan(50);
    for (const r of unsafe) {
      const url = r.url.replace(/:code\b/, '410108').replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
      for (const headers of [{}, { 'x-csrf-token': 'forged' }]) {
        const res = await t.app.inject({
          method: r.method as 'POST',
          url,
          payload: {},
          cookies: city.cookies,
          headers,
        });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(res.json().error.code, `${r.method} ${r.url}`).toBe('CSRF_FAILED');
      }
    }
  });

  it('buildApp refuses a plugin that registers a route without config.access', async () => {
    let app: FastifyInstance | undefined;
    try {
      app = await buildApp(t.deps, { logger: false });
      const built = app;
      const err = await (async () => {
        await built.register(async (child) => {
          child.get('/api/v1/undeclared', async () => ({ leaked: true }));
        });
        await built.ready();
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UndeclaredRouteError);
      expect(String(err)).toContain('GET /api/v1/undeclared declares no access');
      // and the route was never served
      expect(built.routeInventory.some((r) => r.url === '/api/v1/undeclared' && r.access)).toBe(false);
    } finally {
      await app?.close().catch(() => undefined);
    }
  });
});

describe('deletion as superuser', () => {
  it('rows cut off the tail after a checkpoint are detected (the chain alone still verifies)', async () => {
    const city = await t.login('city.admin');
    await city.get('/api/v1/enterprises?pageSize=1');
    const c = await t.deps.audit.checkpoint(t.deps.database.db, file());
    expect(c!.headId).toBe(await headId());
    // the tail: the checkpointed head and the row before it
    const tail = (await raw('select id from audit_log order by id desc limit 2')).map((r) => Number(r.id));
    await asSuperuser(`delete from audit_log where id = any($1::bigint[])`, [tail]);
    // the table's checkpoint alone sees it
    const tableOnly = await t.deps.audit.verify(t.deps.database.db, undefined, { checkpointFile: null });
    expect(tableOnly.ok).toBe(false);
    expect(tableOnly.reason).toMatch(/rows deleted \(table/);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.brokenId).toBe(c!.headId);
    expect(r.reason).toMatch(/checkpoint head row missing: rows deleted/);
    // the superuser who also empties audit_checkpoints is still caught by the file under DATA_DIR
    await raw('delete from audit_checkpoints');
    const fileOnly = await verify();
    expect(fileOnly.ok).toBe(false);
    expect(fileOnly.reason).toMatch(/rows deleted \(file/);
    // …and with neither table nor file, the truncated chain verifies: the anchor is what makes the difference
    expect((await t.deps.audit.verify(t.deps.database.db, undefined, { checkpointFile: null })).ok).toBe(true);
  });

  it('a row deleted from the middle is detected, and named', async () => {
    // anchor the (already truncated) chain anew, in a file of its own
    const fresh = `${t.dataDir}/audit/middle.jsonl`;
    await t.deps.audit.checkpoint(t.deps.database.db, fresh);
    const ids = (await raw('select id from audit_log order by id')).map((r) => Number(r.id));
    const victim = ids[Math.floor(ids.length / 2)]!;
    const next = ids[ids.indexOf(victim) + 1]!;
    await asSuperuser('delete from audit_log where id = $1', [victim]);
    const r = await t.deps.audit.verify(t.deps.database.db, undefined, { checkpointFile: fresh });
    expect(r.ok).toBe(false);
    expect(r.brokenId).toBe(next);
    expect(r.reason).toBe('prev_hash mismatch');
  });

  it('the whole chain from the first row deleted (an emptied table) is detected by the anchors', async () => {
    await asSuperuser('delete from audit_log');
    const r = await t.deps.audit.verify(t.deps.database.db, undefined, { checkpointFile: file() });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/checkpoint head row missing/);
  });
});
