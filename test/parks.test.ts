import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: true });
});
afterAll(async () => t.close());

async function upload(c: Awaited<ReturnType<TestApp['login']>>, url: string, bytes: Buffer, name = 'f.xlsx') {
  await c.get('/api/v1/auth/csrf');
  const boundary = '----p';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url,
    payload,
    cookies: c.cookies,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': c.cookies.miaopu_csrf! },
  });
}

describe('park statistics from the demo rows (seeds 000 and 003)', () => {
  it('GET /api/v1/parks/stats?region=410100&asOf=2022-06-09 → 142 parks, 2.6万亩, 3,500万m², 5,100 firms', async () => {
    const c = await t.login('city.admin');
    const res = await c.get('/api/v1/parks/stats?region=410100&asOf=2022-06-09');
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.monitoredParks).toBe(142);
    expect(Math.abs(s.landAreaMu - 26_000) / 26_000).toBeLessThan(0.005);
    expect(Math.abs(s.floorAreaM2 - 35_000_000) / 35_000_000).toBeLessThan(0.005);
    const april = (await c.get('/api/v1/parks/stats?region=410100&asOf=2022-04-14')).json();
    expect(april.monitoredParks).toBe(131);
    const sum = s.byRegion.reduce((a: number, r: { parks: number }) => a + r.parks, 0);
    expect(sum).toBe(142);
    // 已集聚入园企业5100家: counted from tenancy rows running on that day, per district too
    expect(s.firms).toBe(5100);
    expect(s.byRegion.reduce((a: number, r: { firms: number }) => a + r.firms, 0)).toBe(5100);
    const row = await t.deps.database.db.execute(sql`select count(distinct t.enterprise_id)::int as n
      from tenancies t join parks p on p.id = t.park_id
     where p.code like 'ZZ-%' and t.start_on <= '2022-06-09' and (t.end_on is null or t.end_on > '2022-06-09')`);
    expect(Number((row as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(5100);
    // firms move in over time: fewer on the April conference day
    expect(april.firms).toBeGreaterThan(0);
    expect(april.firms).toBeLessThan(5100);
  });

  it('14 parks broke ground on 2022-04-14; 110亿元 planned for 2022', async () => {
    const c = await t.login('city.admin');
    const list = (await c.get('/api/v1/parks?region=410100&pageSize=200')).json();
    let started = 0;
    for (const p of list.items) {
      const d = (await c.get(`/api/v1/parks/${p.id}`)).json();
      if (
        d.milestones.some(
          (m: { key: string; actualOn: string }) => m.key === 'groundbreaking' && m.actualOn === '2022-04-14',
        )
      )
        started++;
    }
    expect(started).toBe(14);
    const inv = (await c.get('/api/v1/parks/investment?year=2022&asOf=2022-05-31')).json();
    expect(inv.total.targetWan).toBe(1_100_000);
    expect(inv.regions.reduce((a: number, r: { plannedWan: number }) => a + r.plannedWan, 0)).toBe(1_100_000);
    expect(inv.total.gapPp).toBeCloseTo(inv.total.completionRate - (5 / 12) * 100, 1);
    // a past year defaults to the last month with reported data (May 2022 here)
    expect((await c.get('/api/v1/parks/investment?year=2022')).json().asOf).toBe('2022-05-31');
  });

  it('the named parks of the seeds are there with their facts', async () => {
    const c = await t.login('city.admin');
    const huiji = (await c.get('/api/v1/parks?region=410108&pageSize=50')).json();
    const fund = huiji.items.find((p: { name: string }) => p.name.includes('电子信息智能制造基金小镇'));
    const yuepu = huiji.items.find((p: { name: string }) => p.name.includes('粤浦科技智造谷'));
    expect(fund.landAreaMu + yuepu.landAreaMu).toBe(280);
    expect(fund.floorAreaM2 + yuepu.floorAreaM2).toBe(400_000);
    expect(fund.plannedInvestmentWan + yuepu.plannedInvestmentWan).toBe(250_000);
    const fundDetail = (await c.get(`/api/v1/parks/${fund.id}`)).json();
    const done = fundDetail.milestones
      .filter((m: { actualOn: string | null }) => m.actualOn)
      .map((m: { key: string }) => m.key);
    expect(done).toEqual(['filing', 'land_listing', 'property_certificate', 'planning_permit']);
    for (const name of ['芝麻街1958双创园', '鲁庄镇铝精深加工小微企业园', '巩义市产业孵化园']) {
      expect((await c.get(`/api/v1/parks?q=${encodeURIComponent(name)}`)).json().total).toBe(1);
    }
    const fy = (await (await t.login('fuyang.admin')).get('/api/v1/parks?pageSize=50')).json();
    expect(fy.total).toBe(11);
    expect(fy.items.filter((p: { recognitionLevel: string }) => p.recognitionLevel === 'provincial')).toHaveLength(7);
  });
});

describe('scope', () => {
  it('a district admin sees only its parks in lists, map, stats and exports; an operator only its parks', async () => {
    const huiji = await t.login('huiji.admin');
    const list = (await huiji.get('/api/v1/parks?pageSize=200')).json();
    expect(list.total).toBeGreaterThan(1);
    expect(list.items.every((p: { regionCode: string }) => p.regionCode === '410108')).toBe(true);
    const map = (await huiji.get('/api/v1/parks/map')).json();
    expect(map.items.length).toBe(list.total);
    expect(map.items.every((p: { regionCode: string }) => p.regionCode === '410108')).toBe(true);
    const stats = (await huiji.get('/api/v1/parks/stats?region=410100')).json();
    expect(stats.monitoredParks).toBe(list.total);
    const exp = await huiji.get('/api/v1/parks/export');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount - 1).toBe(list.total);
    const op = await t.login('park.operator');
    const mine = (await op.get('/api/v1/parks')).json();
    // the demo operator runs 粤浦科技智造谷 and one operating park in 惠济区
    expect(mine.total).toBe(2);
    expect(mine.items.some((p: { name: string }) => p.name.includes('粤浦'))).toBe(true);
    const mineIds = new Set(mine.items.map((p: { id: string }) => p.id));
    const other = list.items.find((p: { id: string }) => !mineIds.has(p.id));
    expect((await op.get(`/api/v1/parks/${other.id}`)).statusCode).toBe(404);
    expect((await op.get('/api/v1/geo/410103')).statusCode).toBe(404);
    expect((await op.get('/api/v1/geo/410108')).json().features).toHaveLength(1);
    expect((await huiji.get('/api/v1/geo/410103')).statusCode).toBe(404);
    const geo = (await huiji.get('/api/v1/geo/410100')).json();
    expect(geo.features).toHaveLength(12);
    expect(geo.features.every((f: { properties: { code: string } }) => /^4101\d\d$/.test(f.properties.code))).toBe(
      true,
    );
  });
});

describe('milestones and reports', () => {
  it('marks overdue parks, filters them, and notifies the operator and the district once', async () => {
    const city = await t.login('city.admin');
    const overdue = (await city.get('/api/v1/parks?overdue=true&pageSize=200')).json();
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.items.every((p: { overdue: boolean }) => p.overdue)).toBe(true);
    const op = await t.login('park.operator');
    const before = (await op.get('/api/v1/notifications/unread-count')).json().count;
    const actor = { userId: null, username: 'system', role: 'system', ip: null, requestId: null };
    const jobId = await t.deps.jobs.runDailyOnce('parks.overdue-scan', '2026-11-22', actor);
    expect(jobId).toBeTruthy();
    expect((await waitForJob(t.deps, jobId!)).status).toBe('succeeded');
    const after = (await op.get('/api/v1/notifications/unread-count')).json().count;
    expect(after).toBeGreaterThan(before);
    const again = await t.deps.jobs.runDailyOnce('parks.overdue-scan', '2026-11-23', actor);
    expect((await waitForJob(t.deps, again!)).status).toBe('succeeded');
    expect((await op.get('/api/v1/notifications/unread-count')).json().count).toBe(after);
  });

  it('the operator reports weekly; late and missing reports show in the district summary', async () => {
    const op = await t.login('park.operator');
    const park = (await op.get('/api/v1/parks?q=粤浦')).json().items[0];
    const res = await op.post(`/api/v1/parks/${park.id}/reports`, {
      period: 'week',
      periodStart: new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10),
      investmentWan: 120,
      progress: '完成土地摘牌前置手续材料报送',
      replace: true, // the demo may already hold last week's report (a replacement keeps its first submission day)
    });
    expect(res.statusCode, res.body).toBe(201);
    const huiji = await t.login('huiji.admin');
    const summary = (await huiji.get('/api/v1/parks/reports?period=week')).json();
    expect(summary.districts).toHaveLength(1);
    const d = summary.districts[0];
    expect(d.expected).toBe(d.submitted + d.late + d.missing + d.open);
    const detail = (await huiji.get(`/api/v1/parks/${park.id}`)).json();
    const states = detail.reports.map((r: { state: string }) => r.state);
    expect(states).toContain('late');
    expect(detail.timeline.some((e: { kind: string }) => e.kind === 'report')).toBe(true);
    expect(detail.timeline.some((e: { kind: string }) => e.kind === 'stage')).toBe(true);
  });

  it('a second report for a submitted period is refused (409) unless it says it replaces the first', async () => {
    const op = await t.login('park.operator');
    const park = (await op.get('/api/v1/parks?q=粤浦')).json().items[0];
    // a month the demo holds no report for
    const body = { period: 'month', periodStart: '2021-03-01', investmentWan: 80, progress: '第一次填报' };
    const first = await op.post(`/api/v1/parks/${park.id}/reports`, body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await op.post(`/api/v1/parks/${park.id}/reports`, { ...body, investmentWan: 95, progress: '第二次' });
    expect(again.statusCode, again.body).toBe(409);
    expect(again.json().error.code).toBe('REPORT_ALREADY_SUBMITTED');
    expect(again.json().error.message).toContain(first.json().submittedOn);
    expect(again.json().error.message).not.toMatch(/REPORT_|periodStart/);
    const stored = () =>
      op
        .get(`/api/v1/parks/${park.id}`)
        .then((r) => r.json().reports.find((x: { id: string }) => x.id === first.json().id));
    expect(await stored()).toMatchObject({ investmentWan: 80 });
    const replaced = await op.post(`/api/v1/parks/${park.id}/reports`, {
      ...body,
      investmentWan: 95,
      progress: '更正',
      replace: true,
    });
    expect(replaced.statusCode, replaced.body).toBe(201);
    expect(replaced.json().id).toBe(first.json().id);
    expect(await stored()).toMatchObject({ investmentWan: 95 });
  });

  it('edits the schedule with validation; stages only move forward', async () => {
    const huiji = await t.login('huiji.admin');
    const park = (await huiji.get('/api/v1/parks?q=粤浦')).json().items[0];
    const d = (await huiji.get(`/api/v1/parks/${park.id}`)).json();
    const future = await huiji.request('PUT', `/api/v1/parks/${park.id}/milestones`, {
      milestones: d.milestones.map((m: { key: string; name: string; plannedOn: string }) => ({
        key: m.key,
        name: m.name,
        plannedOn: m.plannedOn,
        actualOn: m.key === 'land_listing' ? '2099-01-01' : null,
      })),
    });
    expect(future.statusCode).toBe(400);
    const ok = await huiji.request('PUT', `/api/v1/parks/${park.id}/milestones`, {
      milestones: d.milestones.map((m: { key: string; name: string; plannedOn: string; actualOn: string | null }) => ({
        key: m.key,
        name: m.name,
        plannedOn: m.plannedOn,
        actualOn: m.key === 'land_listing' ? '2026-11-01' : m.actualOn,
      })),
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = (await huiji.get(`/api/v1/parks/${park.id}`)).json();
    expect(after.milestones.find((m: { key: string }) => m.key === 'land_listing').status).toBe('yellow');
    const back = await huiji.post(`/api/v1/parks/${park.id}/stage`, { stage: 'planned', on: '2026-11-01' });
    expect(back.statusCode).toBe(409);
    const fwd = await huiji.post(`/api/v1/parks/${park.id}/stage`, { stage: 'land_acquired', on: '2026-11-01' });
    expect(fwd.statusCode, fwd.body).toBe(200);
  });

  it('buildings and units give the occupancy', async () => {
    const op = await t.login('park.operator');
    const park = (await op.get('/api/v1/parks?q=粤浦')).json().items[0];
    const b = await op.post(`/api/v1/parks/${park.id}/buildings`, { name: 'A栋', floors: 3 });
    expect(b.statusCode, b.body).toBe(201);
    const u = await op.post(`/api/v1/parks/${park.id}/units`, {
      buildingId: b.json().id,
      floor: 2,
      code: 'A201',
      areaM2: 800,
      use: 'production',
    });
    expect(u.statusCode, u.body).toBe(201);
    const bad = await op.post(`/api/v1/parks/${park.id}/units`, {
      buildingId: b.json().id,
      floor: 9,
      code: 'A901',
      areaM2: 800,
      use: 'production',
    });
    expect(bad.statusCode).toBe(400);
    const d = (await op.get(`/api/v1/parks/${park.id}`)).json();
    expect(d.occupancy).toEqual({ leasableM2: 800, leasedM2: 0, rate: 0 });
  });
});

describe('Excel', () => {
  const fixture = (f: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', f));

  it('the template has Chinese headers and drop-down lists', async () => {
    const c = await t.login('city.admin');
    const res = await c.get('/api/v1/parks/import-template');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('园区')!.getCell('A1').value).toBe('园区编号');
    expect(wb.getWorksheet('园区')!.getCell('C2').dataValidation?.type).toBe('list');
    expect(wb.getWorksheet('节点计划')!.getCell('B2').dataValidation?.type).toBe('list');
  });

  it('a file filled in by LibreOffice imports; three bad rows give three row errors and write nothing', async () => {
    const c = await t.login('city.admin');
    const bad = await upload(c, '/api/v1/parks/import', fixture('parks-libreoffice-bad.xlsx'));
    expect(bad.statusCode).toBe(400);
    const rows = bad.json().error.details.rows as { row: number; column: string; message: string }[];
    expect(rows.map((r) => [r.row, r.column])).toEqual([
      [3, '所属区县(市)'],
      [4, '占地面积(亩)'],
      [5, '建设阶段'],
    ]);
    expect((await c.get('/api/v1/parks?q=LO-01')).json().total).toBe(0);
    const ok = await upload(c, '/api/v1/parks/import', fixture('parks-libreoffice-ok.xlsx'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().parks).toBe(2);
    const p = (await c.get('/api/v1/parks?q=LO-0001')).json().items[0];
    expect(p).toMatchObject({ regionCode: '410108', landAreaMu: 85.5, stage: 'filed', monitoredFrom: '2026-03-01' });
    expect(p.name).toBe('LibreOffice导入测试园一');
  });

  it('imports milestone plans from the second sheet of our template', async () => {
    const c = await t.login('huiji.admin');
    const tpl = await c.get('/api/v1/parks/import-template');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('园区')!;
    ws.getRow(2).values = [
      'T-PK-1',
      '模板导入园',
      '惠济区',
      '',
      '',
      '',
      '生产制造类',
      '政府主导',
      '',
      30,
      40000,
      9000,
      'C34',
      '',
      '谋划',
      '',
    ];
    const nodes = wb.getWorksheet('节点计划')!;
    nodes.getRow(2).values = ['T-PK-1', '备案', new Date('2027-01-15'), null];
    nodes.getRow(3).values = ['T-PK-1', '开工', '2027-09-01', null];
    const res = await upload(c, '/api/v1/parks/import', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ parks: 1, milestones: 2 });
    const p = (await c.get('/api/v1/parks?q=T-PK-1')).json().items[0];
    const d = (await c.get(`/api/v1/parks/${p.id}`)).json();
    expect(d.milestones.find((m: { key: string }) => m.key === 'groundbreaking').plannedOn).toBe('2027-09-01');
  });
});
