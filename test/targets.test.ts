/**
 * 目标任务 (issue #21): targets per region, indicator and period, set by the level above (a city admin sets its
 * districts' targets; a district cannot set its own), with progress from the cockpit tiles (完成率, 时序进度), Excel
 * template / import (all rows or none) / export, audit rows; the demo targets of the seeds.
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

type Client = Awaited<ReturnType<TestApp['login']>>;
type Target = {
  id: string;
  regionCode: string;
  indicator: string;
  period: string;
  year: number;
  periodNo: number;
  value: number;
  version: number;
  editable: boolean;
  basis: string;
  progress: { asOf: string; actual: number | null; completionRate: number | null; timeProgress: number } | null;
};

async function upload(c: Client, bytes: Buffer) {
  await c.get('/api/v1/auth/csrf');
  const boundary = '----t';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="t.xlsx"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/targets/import',
    payload,
    cookies: c.cookies,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-csrf-token': c.cookies.miaopu_csrf! },
  });
}

describe('demo targets from the seeds', () => {
  it('郑州 2022 ≥110亿元 park investment; 惠济区 8 new 专精特新 (187.5% reached); Fuyang 2021 (seed 004)', async () => {
    const city = await t.login('city.admin');
    const list: Target[] = (await city.get('/api/v1/targets?year=2022&progress=true')).json().items;
    const inv = list.find((x) => x.regionCode === '410100' && x.indicator === 'parks.investmentWan')!;
    expect(inv.value).toBe(1_100_000);
    expect(inv.editable).toBe(false); // set by the province
    expect(inv.progress?.asOf).toBe('2022-12-31');
    const srdi = list.find((x) => x.regionCode === '410108' && x.indicator === 'firms.srdiNew')!;
    expect(srdi.value).toBe(8);
    expect(srdi.editable).toBe(true);
    expect(srdi.progress?.actual).toBe(15);
    expect(srdi.progress?.completionRate).toBe(187.5);
    expect(srdi.progress?.timeProgress).toBe(100);
    const fuyang = await t.login('fuyang.admin');
    const fy: Target[] = (await fuyang.get('/api/v1/targets?year=2021')).json().items;
    expect(fy.map((x) => [x.indicator, x.value]).sort()).toEqual(
      [
        ['firms.scaleUpNew', 50],
        ['firms.techSme', 120],
        ['parks.firms', 500],
        ['parks.floorAreaM2', 1_000_000],
        ['parks.monitored', 15],
      ].sort(),
    );
    // a district sees its own targets only
    const huiji = await t.login('huiji.admin');
    const mine: Target[] = (await huiji.get('/api/v1/targets')).json().items;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((x) => x.regionCode === '410108')).toBe(true);
    expect(mine.every((x) => x.editable === false)).toBe(true);
  });

  it('the cockpit shows the target of the period with 完成率 and 时序进度', async () => {
    const huiji = await t.login('huiji.admin');
    const s = (await huiji.get('/api/v1/dashboard/summary?asOf=2022-12-31')).json();
    const tile = s.tiles.find((x: { key: string }) => x.key === 'firms.srdiNew');
    expect(tile).toMatchObject({ value: 15, target: 8, completionRate: 187.5, timeProgress: 100, gapPp: 87.5 });
  });
});

describe('set by the level above', () => {
  it('a city admin sets, changes and deletes a district target (audited); the district cannot set its own', async () => {
    const city = await t.login('city.admin');
    const body = {
      regionCode: '410103',
      indicator: 'parks.firms',
      period: 'half',
      year: 2022,
      periodNo: 1,
      value: 600,
    };
    const created = await city.post('/api/v1/targets', body);
    expect(created.statusCode, created.body).toBe(201);
    const tg: Target = created.json();
    expect(tg).toMatchObject({ regionCode: '410103', value: 600, editable: true, version: 1 });
    expect((await city.post('/api/v1/targets', body)).statusCode).toBe(409); // DUPLICATE
    // 二七区 on 2022-06-09 (first half): progress from the cockpit tile
    const erqi = await t.login('erqi.admin');
    const s = (await erqi.get('/api/v1/dashboard/summary?asOf=2022-06-09')).json();
    const firms = s.tiles.find((x: { key: string }) => x.key === 'parks.firms');
    expect(firms.target).toBe(600);
    expect(firms.completionRate).toBeCloseTo((firms.value / 600) * 100, 1);
    expect(firms.timeProgress).toBeCloseTo(((5 + 9 / 30) / 6) * 100, 1);
    // the district may not set its own target, nor a neighbour's
    const own = await erqi.post('/api/v1/targets', { ...body, periodNo: 2 });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('TARGET_LEVEL_ABOVE');
    const neighbour = await erqi.post('/api/v1/targets', { ...body, regionCode: '410108' });
    expect(neighbour.statusCode).toBe(403);
    expect(neighbour.json().error.code).toBe('REGION_OUT_OF_SCOPE');
    // nor the city its own
    const cityOwn = await city.post('/api/v1/targets', { ...body, regionCode: '410100' });
    expect(cityOwn.statusCode).toBe(403);
    const changed = await city.request('PATCH', `/api/v1/targets/${tg.id}`, { version: 1, value: 650 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ value: 650, version: 2 });
    const stale = await city.request('PATCH', `/api/v1/targets/${tg.id}`, { version: 1, value: 700 });
    expect(stale.statusCode).toBe(409);
    expect((await erqi.request('PATCH', `/api/v1/targets/${tg.id}`, { version: 2, value: 1 })).statusCode).toBe(403);
    expect((await erqi.request('DELETE', `/api/v1/targets/${tg.id}`)).statusCode).toBe(403);
    const huiji = await t.login('huiji.admin');
    expect((await huiji.request('DELETE', `/api/v1/targets/${tg.id}`)).statusCode).toBe(404);
    expect((await city.request('DELETE', `/api/v1/targets/${tg.id}`)).statusCode).toBe(200);
    const rows = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.entityId, tg.id));
    expect(rows.map((r) => r.action).sort()).toEqual(['target.create', 'target.delete', 'target.update']);
  });

  it('validates input (400, localized), never 500', async () => {
    const city = await t.login('city.admin');
    for (const bad of [
      { regionCode: '410103', indicator: 'nope', period: 'year', year: 2022, value: 1 },
      { regionCode: '410103', indicator: 'parks.firms', period: 'quarter', year: 2022, periodNo: 5, value: 1 },
      { regionCode: '410103', indicator: 'parks.firms', period: 'year', year: 2022, periodNo: 2, value: 1 },
      { regionCode: '410103', indicator: 'parks.firms', period: 'year', year: 2022, value: -1 },
      { regionCode: 'x', indicator: 'parks.firms', period: 'year', year: 2022, value: 1 },
    ]) {
      const res = await city.post('/api/v1/targets', bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await city.get('/api/v1/targets?year=abc')).statusCode).toBe(400);
    const cadre = await t.login('cadre');
    expect((await cadre.get('/api/v1/targets')).statusCode).toBe(403);
  });
});

describe('Excel', () => {
  it('template with drop-downs; an import with a bad row writes nothing; a good one creates and replaces; export', async () => {
    const city = await t.login('city.admin');
    const tpl = await city.get('/api/v1/targets/template.xlsx');
    expect(tpl.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('区域');
    expect(ws.getCell(2, 2).dataValidation?.type).toBe('list');
    const lists = wb.getWorksheet('选项')!;
    const regionNames: string[] = [];
    lists.getColumn(1).eachCell((c) => regionNames.push(String(c.value)));
    expect(regionNames).toContain('惠济区');
    expect(regionNames).not.toContain('郑州市');

    const fill = async (rows: (string | number)[][]) => {
      const out = new ExcelJS.Workbook();
      const s = out.addWorksheet('目标任务');
      s.addRow(['区域', '指标', '年度', '周期', '期次（半年1-2，季度1-4，年度填1）', '目标值', '依据']);
      for (const r of rows) s.addRow(r);
      return Buffer.from(await out.xlsx.writeBuffer());
    };
    const bad = await upload(
      city,
      await fill([
        ['中原区', '入园企业数（家）', 2023, '年度', 1, 900, '测试'],
        ['郑州市', '入园企业数（家）', 2023, '年度', 1, 900, ''],
        ['二七区', '不存在的指标', 2023, '季度', 5, -3, ''],
      ]),
    );
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.code).toBe('IMPORT_ROWS_INVALID');
    const errs = bad.json().error.details.rows as { row: number; column: string }[];
    expect(errs.map((e) => `${e.row}:${e.column}`)).toEqual(
      expect.arrayContaining(['3:区域', '4:指标', '4:期次（半年1-2，季度1-4，年度填1）', '4:目标值']),
    );
    const before: Target[] = (await city.get('/api/v1/targets?year=2023')).json().items;
    expect(before).toHaveLength(0);

    const good = await upload(
      city,
      await fill([
        ['中原区', '入园企业数（家）', 2023, '年度', 1, 900, '测试'],
        ['惠济区', 'firms.srdiNew', 2023, '季度', 2, 3, ''],
      ]),
    );
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toEqual({ created: 2, updated: 0 });
    const again = await upload(city, await fill([['中原区', '入园企业数（家）', 2023, '年度', 1, 950, '调整']]));
    expect(again.json()).toEqual({ created: 0, updated: 1 });
    const after: Target[] = (await city.get('/api/v1/targets?year=2023')).json().items;
    expect(after.map((x) => [x.regionCode, x.indicator, x.period, x.periodNo, x.value])).toEqual([
      ['410102', 'parks.firms', 'year', 1, 950],
      ['410108', 'firms.srdiNew', 'quarter', 2, 3],
    ]);
    const huiji = await t.login('huiji.admin');
    expect((await upload(huiji, await fill([['惠济区', '入园企业数（家）', 2023, '年度', 1, 1, '']]))).statusCode).toBe(
      400,
    );
    expect((await upload(city, Buffer.from('not a spreadsheet'))).statusCode).toBe(400);

    const exp = await city.get('/api/v1/targets/export.xlsx?year=2023');
    expect(exp.statusCode).toBe(200);
    const x = new ExcelJS.Workbook();
    await x.xlsx.load(exp.rawPayload as unknown as ArrayBuffer);
    const data: unknown[][] = [];
    x.worksheets[0]!.eachRow((r, i) => {
      if (i > 1) data.push((r.values as unknown[]).slice(1, 7));
    });
    expect(data).toEqual([
      ['中原区', '入园企业数（家）', 2023, '年度', 1, 950],
      ['惠济区', '新增专精特新中小企业数（家）', 2023, '季度', 2, 3],
    ]);
  });
});
