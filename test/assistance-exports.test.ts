/**
 * Excel exports of the 万人助万企 lists (issue #18): `GET /api/v1/assistance/{problems,visits,pairings,kpis}/export`
 * answer the list's rows for the list's filters and order, in the caller's scope (403 where the list is refused),
 * with Chinese labels, date cells, names and phone numbers masked, formulas escaped, one audit row with the row count,
 * and a step-up before a bulk export of personal data.
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATE_LABELS } from '../src/domain/assistance/workflow.ts';
import { maskName } from '../src/domain/personal-data.ts';
import { orgs, users } from '../src/server/db/schema/index.ts';
import { type Client, createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const raw = async (q: string, params: unknown[] = []) => (await t.deps.database.raw(q, params)).rows;

const auditRows = async (action: string) =>
  (await raw(`select actor_username, region_code, summary from audit_log where action = $1 order by id`, [action])).map(
    (r) => ({ ...r, summary: typeof r.summary === 'string' ? JSON.parse(r.summary as string) : r.summary }),
  ) as {
    actor_username: string | null;
    region_code: string | null;
    summary: Record<string, unknown>;
  }[];

interface Sheet {
  name: string;
  header: string[];
  rows: unknown[][];
  /** The rows as objects keyed by header. */
  records: Record<string, unknown>[];
}

async function sheetsOf(res: LightMyRequestResponse): Promise<Sheet[]> {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    let header: string[] = [];
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      const values = (row.values as unknown[]).slice(1);
      if (n === 1) header = values.map((v) => String(v ?? ''));
      else rows.push(values);
    });
    const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
    return { name: ws.name, header, rows, records };
  });
}

/** Every item of a list, page by page (pageSize 200 is the API's maximum). */
async function listAll<T>(c: Client, path: string, query: string) {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const res = await c.get(`${path}?${query}${query ? '&' : ''}page=${page}&pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: T[]; total: number };
    items.push(...body.items);
    if (items.length >= body.total || body.items.length === 0) {
      expect(items.length).toBe(body.total);
      return items;
    }
  }
}

const dayOf = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : `not a date: ${String(v)}`);

describe('GET /api/v1/assistance/problems/export (the problem ledger)', () => {
  it('has the list’s rows for the list’s filter and sort, in order, with Chinese labels and date cells', async () => {
    const huiji = await t.login('huiji.admin');
    for (const query of [
      'status=closed&sort=code&order=asc',
      'category=labour&sort=dueOn',
      'q=补贴&sort=priority',
      '',
    ]) {
      const items = await listAll<{ code: string; status: string; dueOn: string }>(
        huiji,
        '/api/v1/assistance/problems',
        query,
      );
      expect(items.length, query).toBeGreaterThan(0);
      const [sheet] = await sheetsOf(await huiji.get(`/api/v1/assistance/problems/export?${query}`));
      expect(
        sheet!.records.map((r) => r.诉求编号),
        query,
      ).toEqual(items.map((i) => i.code));
      expect(
        sheet!.records.map((r) => r.状态),
        query,
      ).toEqual(items.map((i) => STATE_LABELS[i.status as keyof typeof STATE_LABELS]['zh-CN']));
      expect(sheet!.records.map((r) => dayOf(r.办结时限))).toEqual(items.map((i) => i.dueOn));
      expect(sheet!.records.every((r) => r.受理日期 instanceof Date)).toBe(true);
    }
    // the labels, not the codes
    const [closed] = await sheetsOf(await huiji.get('/api/v1/assistance/problems/export?status=closed'));
    expect(closed!.records.length).toBeGreaterThan(0);
    expect(closed!.records.every((r) => r.状态 === '已销号')).toBe(true);
    expect(closed!.header).toContain('督办级别(级)');
  });

  it("scope: a district user exports only its district; a user without the list's permission gets 403", async () => {
    const huiji = await t.login('huiji.admin');
    const erqi = await t.login('erqi.admin');
    const [own] = await sheetsOf(await huiji.get('/api/v1/assistance/problems/export?status=in_progress'));
    const [other] = await sheetsOf(await erqi.get('/api/v1/assistance/problems/export?status=in_progress'));
    expect(own!.records.length).toBeGreaterThan(0);
    expect(other!.records.length).toBeGreaterThan(0);
    expect(new Set(own!.records.map((r) => r['所属区县(市)']))).toEqual(new Set(['惠济区']));
    expect(new Set(other!.records.map((r) => r['所属区县(市)']))).toEqual(new Set(['二七区']));
    const ownCodes = new Set(own!.records.map((r) => r.诉求编号));
    expect(other!.records.some((r) => ownCodes.has(r.诉求编号))).toBe(false);
    // the filter cannot widen the scope: 惠济 asking for 二七's region gets nothing of it
    const [probe] = await sheetsOf(await huiji.get('/api/v1/assistance/problems/export?region=410103'));
    expect(probe!.records).toHaveLength(0);
    const operator = await t.login('park.operator');
    for (const path of ['problems', 'visits', 'pairings', 'kpis']) {
      expect((await operator.get(`/api/v1/assistance/${path}`)).statusCode, path).toBe(403);
      expect((await operator.get(`/api/v1/assistance/${path}/export`)).statusCode, path).toBe(403);
    }
  });

  it('a firm exports its own problems only, as its list shows them', async () => {
    const firm = await t.login('enterprise');
    const items = await listAll<{ code: string; enterpriseName: string }>(firm, '/api/v1/assistance/problems', '');
    expect(items.length).toBeGreaterThan(0);
    const [sheet] = await sheetsOf(await firm.get('/api/v1/assistance/problems/export'));
    expect(sheet!.records.map((r) => r.诉求编号)).toEqual(items.map((i) => i.code));
    expect(new Set(sheet!.records.map((r) => r.企业名称))).toEqual(new Set([items[0]!.enterpriseName]));
  });

  it('masks names and phone numbers, escapes formulas, and writes one audit row with the row count', async () => {
    const firm = await t.login('enterprise');
    const huiji = await t.login('huiji.admin');
    const created = await firm.post('/api/v1/assistance/problems', {
      source: 'enterprise',
      category: 'labour',
      title: '=HYPERLINK("http://evil","点我")',
      description: '@SUM(1) 联系人王小明，手机13912345678，身份证410108199001011234',
    });
    expect(created.statusCode, created.body).toBe(201);
    const p = created.json() as { id: string; code: string; version: number; enterpriseId: string };
    const [rsj] = await t.deps.database.db.select().from(orgs).where(eq(orgs.name, '郑州市人力资源和社会保障局'));
    const [handler] = await t.deps.database.db.select().from(users).where(eq(users.username, 'dept.handler'));
    const assigned = await huiji.post(`/api/v1/assistance/problems/${p.id}/actions`, {
      action: 'assign',
      version: p.version,
      orgId: rsj!.id,
      handlerUserId: handler!.id,
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(handler!.displayName.length).toBeGreaterThan(1);

    const before = (await auditRows('assistance.problem.export')).length;
    const [sheet] = await sheetsOf(
      await huiji.get(`/api/v1/assistance/problems/export?enterpriseId=${p.enterpriseId}&sort=code&order=desc`),
    );
    const row = sheet!.records.find((r) => r.诉求编号 === p.code)!;
    expect(row).toBeDefined();
    expect(row.诉求标题).toBe('\'=HYPERLINK("http://evil","点我")');
    expect(String(row.诉求内容).startsWith("'@SUM(1)")).toBe(true);
    expect(row.诉求内容).toContain('139****5678');
    expect(row.诉求内容).toContain('410108********1234');
    expect(row.办理人).toBe(maskName(handler!.displayName));
    expect(row.状态).toBe('已交办');
    expect(row.承办单位).toBe('郑州市人力资源和社会保障局');
    const everything = JSON.stringify(sheet!.rows);
    expect(everything).not.toContain('13912345678');
    expect(everything).not.toContain('410108199001011234');
    expect(everything).not.toContain(handler!.displayName);

    const rows = await auditRows('assistance.problem.export');
    expect(rows).toHaveLength(before + 1);
    const last = rows[rows.length - 1]!;
    expect(last).toMatchObject({ actor_username: 'huiji.admin', region_code: '410108' });
    expect(last.summary.rows).toBe(sheet!.records.length);
    expect(last.summary.filters).toMatchObject({ enterpriseId: p.enterpriseId, sort: 'code', order: 'desc' });
  });

  it('asks a user with TOTP for a fresh code before the export, and writes no audit row then', async () => {
    const erqi = await t.login('erqi.admin');
    const before = (await auditRows('assistance.problem.export')).length;
    await raw(`update users set totp_enabled_at = now() where username = 'erqi.admin'`);
    try {
      for (const path of ['problems', 'visits', 'pairings']) {
        const res = await erqi.get(`/api/v1/assistance/${path}/export`);
        expect(res.statusCode, path).toBe(403);
        expect(res.json().error.code, path).toBe('STEP_UP_REQUIRED');
      }
    } finally {
      await raw(`update users set totp_enabled_at = null where username = 'erqi.admin'`);
    }
    expect(await auditRows('assistance.problem.export')).toHaveLength(before);
  });
});

describe('GET /api/v1/assistance/visits/export', () => {
  type Visit = {
    date: string;
    kind: string;
    orgName: string;
    regionCode: string;
    firmCount: number;
    notes: string;
    participants: string[];
  };
  const key = (v: Visit) => [v.date, v.kind === 'visit' ? '走访' : '座谈', v.orgName, v.firmCount, v.notes].join('|');
  const keyOf = (r: Record<string, unknown>) =>
    [dayOf(r.日期), r.类型, r.走访单位 ?? '', r['企业数(家)'], r.走访情况 ?? ''].join('|');

  it('has the list’s rows for the list’s filters, in order, masked participants, one audit row', async () => {
    const huiji = await t.login('huiji.admin');
    const queries = ['from=2022-03-01&to=2022-04-30', 'kind=symposium&from=2021-06-01&to=2021-12-31'];
    for (const query of queries) {
      const items = await listAll<Visit>(huiji, '/api/v1/assistance/visits', query);
      expect(items.length, query).toBeGreaterThan(0);
      const [sheet] = await sheetsOf(await huiji.get(`/api/v1/assistance/visits/export?${query}`));
      expect(sheet!.records.map(keyOf), query).toEqual(items.map(key));
      expect(sheet!.records.every((r) => r['所属区县(市)'] === '惠济区')).toBe(true);
    }
    const [sym] = await sheetsOf(await huiji.get('/api/v1/assistance/visits/export?kind=symposium'));
    expect(sym!.records.length).toBeGreaterThan(0);
    expect(sym!.records.every((r) => r.类型 === '座谈')).toBe(true);

    // the demo visits of the last days name their participants: masked in the export
    const recent = await listAll<Visit>(huiji, '/api/v1/assistance/visits', 'kind=visit&from=2026-01-01');
    const named = recent.find((v) => v.participants.length > 0);
    expect(named).toBeDefined();
    const before = (await auditRows('assistance.visit.export')).length;
    const [sheet] = await sheetsOf(await huiji.get('/api/v1/assistance/visits/export?kind=visit&from=2026-01-01'));
    expect(sheet!.records.map(keyOf)).toEqual(recent.map(key));
    const row = sheet!.records[recent.indexOf(named!)]!;
    expect(row.参加人员).toBe(named!.participants.map((n) => maskName(n)).join('、'));
    for (const n of named!.participants) expect(JSON.stringify(sheet!.rows)).not.toContain(n);
    const rows = await auditRows('assistance.visit.export');
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]!.summary.rows).toBe(recent.length);
  });

  it('scope: 二七区 gets none of 惠济区’s visits; a firm only visits to itself', async () => {
    const erqi = await t.login('erqi.admin');
    const [sheet] = await sheetsOf(await erqi.get('/api/v1/assistance/visits/export?from=2022-03-01&to=2022-04-30'));
    expect(sheet!.records.length).toBeGreaterThan(0);
    expect(new Set(sheet!.records.map((r) => r['所属区县(市)']))).toEqual(new Set(['二七区']));
    const firm = await t.login('enterprise');
    const items = await listAll<Visit>(firm, '/api/v1/assistance/visits', '');
    expect(items.length).toBeGreaterThan(0);
    const [own] = await sheetsOf(await firm.get('/api/v1/assistance/visits/export'));
    expect(own!.records.map(keyOf)).toEqual(items.map(key));
  });
});

describe('GET /api/v1/assistance/pairings/export', () => {
  type Pairing = { firmUscc: string; firmName: string; cadreName: string; fromOn: string; regionCode: string };

  it('has the list’s rows for the list’s filter, in order, cadre names masked, one audit row', async () => {
    const huiji = await t.login('huiji.admin');
    for (const query of ['q=科技', '']) {
      const items = await listAll<Pairing>(huiji, '/api/v1/assistance/pairings', query);
      expect(items.length, query).toBeGreaterThan(0);
      const before = (await auditRows('assistance.pairing.export')).length;
      const [sheet] = await sheetsOf(await huiji.get(`/api/v1/assistance/pairings/export?${query}`));
      expect(
        sheet!.records.map((r) => r.统一社会信用代码),
        query,
      ).toEqual(items.map((i) => i.firmUscc));
      expect(sheet!.records.map((r) => r.包联干部)).toEqual(items.map((i) => maskName(i.cadreName)));
      expect(sheet!.records.map((r) => dayOf(r.包联开始日期))).toEqual(items.map((i) => i.fromOn.slice(0, 10)));
      expect(sheet!.records.every((r) => r['所属区县(市)'] === '惠济区')).toBe(true);
      const names = new Set(items.map((i) => i.cadreName));
      expect(sheet!.rows.flat().some((v) => typeof v === 'string' && names.has(v))).toBe(false);
      const rows = await auditRows('assistance.pairing.export');
      expect(rows).toHaveLength(before + 1);
      expect(rows[rows.length - 1]!.summary.rows).toBe(items.length);
    }
  });

  it('scope: a cadre exports its own pairings; another district none of these', async () => {
    const cadre = await t.login('cadre');
    const items = await listAll<Pairing>(cadre, '/api/v1/assistance/pairings', '');
    expect(items.length).toBeGreaterThan(0);
    const [sheet] = await sheetsOf(await cadre.get('/api/v1/assistance/pairings/export'));
    expect(sheet!.records.map((r) => r.统一社会信用代码)).toEqual(items.map((i) => i.firmUscc));
    const erqi = await t.login('erqi.admin');
    const [other] = await sheetsOf(await erqi.get('/api/v1/assistance/pairings/export'));
    expect(other!.records.length).toBeGreaterThan(0);
    const mine = new Set(items.map((i) => i.firmUscc));
    expect(other!.records.some((r) => mine.has(String(r.统一社会信用代码)))).toBe(false);
  });
});

describe('GET /api/v1/assistance/kpis/export', () => {
  const rate = (r: number | null) => (r === null ? null : Math.floor(r * 1000 + 1e-9) / 10);

  it('has the figures of GET /kpis for the same query, and the rankings of the same period', async () => {
    const city = await t.login('city.admin');
    const query = 'region=410100&from=2022-01-01&to=2022-05-31';
    const k = (await city.get(`/api/v1/assistance/kpis?${query}`)).json();
    expect(k.collected).toBeGreaterThan(0);
    const before = (await auditRows('assistance.kpi.export')).length;
    const [figures, ranking] = await sheetsOf(await city.get(`/api/v1/assistance/kpis/export?${query}`));
    expect(figures!.name).toBe('成效指标');
    expect(figures!.records).toHaveLength(1);
    const f = figures!.records[0]!;
    expect(f.统计区域).toBe('郑州市');
    expect(dayOf(f.起始日期)).toBe('2022-01-01');
    expect(dayOf(f.截止日期)).toBe('2022-05-31');
    expect(f['收集诉求(件)']).toBe(k.collected);
    expect(f['已解决(件)']).toBe(k.resolved);
    expect(f['按期解决(件)']).toBe(k.resolvedOnTime);
    expect(f['超期未办结(件)']).toBe(k.overdue);
    expect(f['时限内办理中(件)']).toBe(k.openWithinDeadline);
    expect(f['解决率(%)']).toBe(rate(k.resolutionRate));
    expect(`${f['解决率(%)']}%`).toBe(k.display.resolutionRate);
    expect(f['按期办结率(%)']).toBe(rate(k.onTimeRate));
    expect(f['满意率(%)']).toBe(rate(k.satisfactionRate));
    expect(f['基本满意(件)']).toBe(k.ratings.basicallySatisfied);

    const r = (await city.get(`/api/v1/assistance/rankings?${query}`)).json();
    expect(r.items.length).toBeGreaterThan(1);
    expect(ranking!.name).toBe('排名');
    expect(ranking!.records.map((x) => x['区县(市)'])).toEqual(r.items.map((i: { name: string }) => i.name));
    expect(ranking!.records.map((x) => x['诉求数(件)'])).toEqual(r.items.map((i: { n: number }) => i.n));
    expect(ranking!.records.map((x) => x.名次)).toEqual(
      r.items.map((i: { rank: number | null; belowMinSample: boolean }) =>
        i.belowMinSample || i.rank === null ? `样本不足(少于${r.minSample}件)` : i.rank,
      ),
    );
    const rows = await auditRows('assistance.kpi.export');
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1]).toMatchObject({ actor_username: 'city.admin', region_code: '410100' });
    expect(rows[rows.length - 1]!.summary.rows).toBe(1 + r.items.length);
  });

  it('scope as the list: a district its own region (404 for another), a department its own figures, a firm 403', async () => {
    const huiji = await t.login('huiji.admin');
    const query = 'from=2023-01-01&to=2023-05-15';
    const k = (await huiji.get(`/api/v1/assistance/kpis?${query}`)).json();
    const [own] = await sheetsOf(await huiji.get(`/api/v1/assistance/kpis/export?${query}`));
    expect(own!.records[0]!.统计区域).toBe('惠济区');
    expect(own!.records[0]!['收集诉求(件)']).toBe(227);
    expect(own!.records[0]!['收集诉求(件)']).toBe(k.collected);
    expect((await huiji.get(`/api/v1/assistance/kpis/export?region=410103&${query}`)).statusCode).toBe(404);

    const handler = await t.login('dept.handler');
    const hk = (await handler.get('/api/v1/assistance/kpis?to=2022-05-31')).json();
    const sheets = await sheetsOf(await handler.get('/api/v1/assistance/kpis/export?to=2022-05-31'));
    expect(sheets).toHaveLength(1); // no rankings for a department (the rankings list refuses it)
    expect(sheets[0]!.records[0]!.承办单位).toBe('郑州市人力资源和社会保障局');
    expect(sheets[0]!.records[0]!['收集诉求(件)']).toBe(hk.collected);

    const firm = await t.login('enterprise');
    expect((await firm.get('/api/v1/assistance/kpis')).statusCode).toBe(403);
    expect((await firm.get('/api/v1/assistance/kpis/export')).statusCode).toBe(403);
  });
});
