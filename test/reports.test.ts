/**
 * 周报/月报 (issue #21): generated from the cockpit's figures, archived, listed and downloaded in scope.
 * The Excel totals are compared with `dashboardSummary` for the same region and date; the PDF is checked for pages
 * and the embedded CJK font.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardSummary, dashboardSummary } from '../src/server/modules/dashboard/summary.ts';
import { CITY_ROW_LABEL, SHEETS, SUMMARY_HEADERS } from '../src/server/modules/reports/excel.ts';
import type { Scope } from '../src/server/platform/scope.ts';
import { type Client, createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
let city: Client;
let huiji: Client;
let erqi: Client;
const reportIds: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  city = await t.login('city.admin');
  huiji = await t.login('huiji.admin');
  erqi = await t.login('erqi.admin');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function scopeOf(code: string): Scope {
  return {
    userId: '00000000-0000-0000-0000-000000000001',
    role: 'city_admin',
    kind: 'region',
    rootRegion: code,
    regionCodes: t.deps.regions.subtree(code),
    orgId: null,
  };
}
const summary = (code: string, asOf: string): Promise<DashboardSummary> =>
  dashboardSummary(t.deps, { scope: scopeOf(code) }, { regionCode: code, asOf });

async function generate(c: Client, body: Record<string, string>) {
  const res = await c.post('/api/v1/reports', body);
  expect(res.statusCode, res.body).toBe(202);
  const job = await waitForJob(t.deps, res.json().jobId, 120_000);
  expect(job.status, job.message ?? '').toBe('succeeded');
  return { ...(res.json() as { jobId: string; periodStart: string; periodEnd: string; title: string }), job };
}

async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** 概览 rows keyed by tile key: [value, unit, asOf]. */
function summaryRows(wb: ExcelJS.Workbook) {
  const sheet = wb.getWorksheet(SHEETS.summary)!;
  let header = 0;
  sheet.eachRow((row, n) => {
    if (row.getCell(1).value === SUMMARY_HEADERS[0] && row.getCell(3).value === SUMMARY_HEADERS[2]) header = n;
  });
  expect(header).toBeGreaterThan(0);
  const rows = new Map<string, { value: unknown; asOf: unknown }>();
  for (let n = header + 1; n <= sheet.rowCount; n++) {
    const row = sheet.getRow(n);
    rows.set(String(row.getCell(2).value), { value: row.getCell(3).value, asOf: row.getCell(5).value });
  }
  return rows;
}

describe('monthly report of 郑州 (city)', () => {
  it('is generated on request as a job and listed', async () => {
    const started = Date.now();
    const r = await generate(city, { periodType: 'monthly', date: '2022-06-09', region: '410100' });
    expect(r.periodStart).toBe('2022-06-01');
    expect(r.periodEnd).toBe('2022-06-30');
    expect(r.title).toBe('郑州市工作月报（2022年6月）');
    console.log(`city monthly report in ${Date.now() - started} ms`);
    const list = await city.get('/api/v1/reports?periodType=monthly&region=410100');
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().items.find((i: { periodStart: string }) => i.periodStart === '2022-06-01');
    expect(item).toMatchObject({
      regionCode: '410100',
      regionName: '郑州市',
      periodEnd: '2022-06-30',
      scheduled: false,
    });
    expect(item.pdfSize).toBeGreaterThan(10_000);
    reportIds.city = item.id;
  }, 180_000);

  it('has the cockpit’s figures in its Excel file (summary, each district, and the city total)', async () => {
    const res = await city.get(`/api/v1/reports/${reportIds.city}/file?format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('郑州市工作月报'));
    const wb = await workbook(res.rawPayload);
    const cockpit = await summary('410100', '2022-06-30');
    expect(cockpit.tiles.length).toBeGreaterThanOrEqual(11);
    const rows = summaryRows(wb);
    for (const tile of cockpit.tiles) {
      expect(rows.get(tile.key), `tile ${tile.key}`).toEqual({ value: tile.value, asOf: tile.asOf });
    }
    // the acceptance figures of seed 003 for 郑州 (the cockpit's own test reads them on 2022-06-09)
    expect(rows.get('parks.monitored')!.value).toBe(cockpit.tiles.find((x) => x.key === 'parks.monitored')!.value);
    const districts = wb.getWorksheet(SHEETS.districts)!;
    const header = districts.getRow(1).values as unknown[];
    const byCode = new Map<string, ExcelJS.Row>();
    districts.eachRow((row, n) => {
      if (n > 1) byCode.set(`${row.getCell(1).value}|${row.getCell(2).value}`, row);
    });
    const totalRow = byCode.get(`410100|${CITY_ROW_LABEL}`)!;
    expect(totalRow?.getCell(1).value).toBe('410100');
    cockpit.tiles.forEach((tile, i) => {
      expect(totalRow.getCell(i + 3).value ?? null, `total ${tile.key}`).toEqual(tile.value);
    });
    // every district row is that district's cockpit
    const children = t.deps.regions.all().filter((r) => r.parentCode === '410100' && r.level === 'district');
    expect(children.length).toBeGreaterThanOrEqual(12);
    for (const d of children.slice(0, 3)) {
      const own = await summary(d.code, '2022-06-30');
      const row = byCode.get(`${d.code}|${d.name}`)!;
      own.tiles.forEach((tile, i) => {
        expect(row.getCell(i + 3).value ?? null, `${d.name} ${tile.key}`).toEqual(tile.value);
      });
    }
    expect(header.length).toBeGreaterThan(cockpit.tiles.length);
    // the ranking sheet states n for each figure
    const ranking = wb.getWorksheet(SHEETS.ranking)!;
    const texts: string[] = [];
    ranking.eachRow((row) => {
      texts.push(String(row.getCell(2).value));
    });
    expect(texts).toContain(`n = ${children.length}`);
  }, 120_000);

  it('is a PDF with pages and the CJK font embedded', async () => {
    const res = await city.get(`/api/v1/reports/${reportIds.city}/file?format=pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdf.toString('latin1');
    const pages = text.match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    // a subset of Noto Sans Hans (CID-keyed CFF) is embedded, not merely named
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(text).toMatch(/\/FontFile3 \d+ 0 R/);
    expect(text).toContain('/Encoding /Identity-H');
    // kept for a look (pdftoppm -png test-results/reports/zhengzhou-2022-06.pdf …)
    fs.mkdirSync('test-results/reports', { recursive: true });
    fs.writeFileSync('test-results/reports/zhengzhou-2022-06.pdf', pdf);
  });

  it('writes an audit row for every download', async () => {
    const before = await t.deps.database.raw(
      `select count(*)::int as n from audit_log where action = 'report.download' and entity_id = $1`,
      [reportIds.city],
    );
    await city.get(`/api/v1/reports/${reportIds.city}/file?format=xlsx`);
    await city.get(`/api/v1/reports/${reportIds.city}/file`);
    const after = await t.deps.database.raw(
      `select count(*)::int as n, array_agg(summary->>'format' order by id desc) as formats from audit_log
       where action = 'report.download' and entity_id = $1`,
      [reportIds.city],
    );
    const b = before.rows[0] as { n: number };
    const a = after.rows[0] as { n: number; formats: string[] };
    expect(a.n - b.n).toBe(2);
    expect(a.formats.slice(0, 2)).toEqual(['pdf', 'xlsx']);
  });
});

describe('monthly report of 惠济区 (district)', () => {
  it('is generated by the district admin and carries the district’s cockpit figures', async () => {
    const r = await generate(huiji, { periodType: 'monthly', date: '2022-06-30', region: '410108' });
    expect(r.title).toBe('惠济区工作月报（2022年6月）');
    const list = await huiji.get('/api/v1/reports');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; regionCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.regionCode === '410108')).toBe(true);
    reportIds.huiji = items[0]!.id;
    const res = await huiji.get(`/api/v1/reports/${reportIds.huiji}/file?format=xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = await workbook(res.rawPayload);
    const rows = summaryRows(wb);
    const cockpit = await summary('410108', '2022-06-30');
    for (const tile of cockpit.tiles)
      expect(rows.get(tile.key), tile.key).toEqual({ value: tile.value, asOf: tile.asOf });
    expect(wb.getWorksheet(SHEETS.districts)).toBeUndefined();
    const pdf = await huiji.get(`/api/v1/reports/${reportIds.huiji}/file?format=pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    fs.mkdirSync('test-results/reports', { recursive: true });
    fs.writeFileSync('test-results/reports/huiji-2022-06.pdf', pdf.rawPayload);
  }, 180_000);

  it('keeps other districts’ and the city’s reports from the district admin', async () => {
    // the city's report: not listed, not downloadable (404, ids are not probed), region filter refused (403)
    const list = (await huiji.get('/api/v1/reports?pageSize=200')).json();
    expect(list.items.some((i: { id: string }) => i.id === reportIds.city)).toBe(false);
    const city404 = await huiji.get(`/api/v1/reports/${reportIds.city}/file?format=pdf`);
    expect(city404.statusCode).toBe(404);
    expect(city404.json().error.code).toBe('NOT_FOUND');
    expect(city404.json().error.message).toBe('未找到该记录，或您无权查看。');
    const filtered = await huiji.get('/api/v1/reports?region=410100', { 'accept-language': 'en' });
    expect(filtered.statusCode).toBe(403);
    expect(filtered.json().error.message).toBe('You do not have permission to do this.');
    // another district's admin cannot fetch 惠济区's report
    const foreign = await erqi.get(`/api/v1/reports/${reportIds.huiji}/file?format=xlsx`);
    expect(foreign.statusCode).toBe(404);
    expect((await erqi.get('/api/v1/reports')).json().items).toEqual([]);
    const gen = await huiji.post('/api/v1/reports', { periodType: 'weekly', date: '2022-06-06', region: '410103' });
    expect(gen.statusCode).toBe(403);
    // the city admin sees both
    const all = (await city.get('/api/v1/reports?pageSize=200')).json().items.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining([reportIds.city, reportIds.huiji]));
    // roles without the permission: 403 (the enterprise user)
    const firm = await t.login('enterprise');
    expect((await firm.get('/api/v1/reports')).statusCode).toBe(403);
  });
});

describe('schedule', () => {
  it('the daily job makes the weekly reports on a Monday (every city and district, once) and nothing on a Tuesday', async () => {
    const { SYSTEM_ACTOR } = await import('../src/server/platform/audit.ts');
    const tuesday = await t.deps.jobs.runDailyOnce('reports.scheduled', '2022-06-07', SYSTEM_ACTOR);
    const quiet = await waitForJob(t.deps, tuesday!, 60_000);
    expect(quiet.status).toBe('succeeded');
    expect(quiet.result).toMatchObject({ day: '2022-06-07', due: [], generated: 0 });
    const monday = await t.deps.jobs.runDailyOnce('reports.scheduled', '2022-06-06', SYSTEM_ACTOR);
    const run = await waitForJob(t.deps, monday!, 300_000);
    expect(run.status, run.message ?? '').toBe('succeeded');
    const regions = t.deps.regions.all().filter((r) => r.level === 'city' || r.level === 'district');
    expect(run.result).toMatchObject({
      due: [{ type: 'weekly', start: '2022-05-30', end: '2022-06-05' }],
      generated: regions.length,
    });
    // once a day: the same day does not queue again
    expect(await t.deps.jobs.runDailyOnce('reports.scheduled', '2022-06-06', SYSTEM_ACTOR)).toBeNull();
    const weekly = (
      await city.get('/api/v1/reports?periodType=weekly&from=2022-05-30&to=2022-05-30&pageSize=200')
    ).json();
    const codes = weekly.items.map((i: { regionCode: string }) => i.regionCode);
    expect(codes).toContain('410100');
    expect(codes).toContain('410108');
    expect(weekly.items.every((i: { scheduled: boolean }) => i.scheduled)).toBe(true);
    // 郑州's scope holds 郑州 and its districts, not 富阳
    expect(codes).not.toContain('330111');
    expect(weekly.total).toBe(regions.filter((r) => r.code.startsWith('4101')).length);
  }, 400_000);
});

describe('input', () => {
  it('refuses a period that has not ended, unknown formats and regions (localized)', async () => {
    const future = await city.post(
      '/api/v1/reports',
      { periodType: 'monthly', date: '2099-01-15', region: '410100' },
      { 'accept-language': 'en' },
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('REPORT_PERIOD_NOT_ENDED');
    expect(future.json().error.message).toContain('2099-01-01 to 2099-01-31');
    const zh = await city.post('/api/v1/reports', { periodType: 'monthly', date: '2099-01-15', region: '410100' });
    expect(zh.json().error.message).toContain('尚未结束');
    const badFormat = await city.get(`/api/v1/reports/${reportIds.city}/file?format=doc`);
    expect(badFormat.statusCode).toBe(400);
    const badType = await city.post('/api/v1/reports', { periodType: 'daily', date: '2022-06-01', region: '410100' });
    expect(badType.statusCode).toBe(400);
    const town = t.deps.regions.all().find((r) => r.level === 'town' && r.code.startsWith('4101'))!;
    const notReport = await city.post('/api/v1/reports', {
      periodType: 'monthly',
      date: '2022-06-01',
      region: town.code,
    });
    expect(notReport.statusCode).toBe(400);
    const missing = await city.get('/api/v1/reports/00000000-0000-4000-8000-000000000000/file');
    expect(missing.statusCode).toBe(404);
  });
});

describe('paging', () => {
  it('pages the archive newest period first without repeats', async () => {
    const [src] = (await t.deps.database.raw(`select * from reports where id = $1`, [reportIds.huiji])).rows as Record<
      string,
      unknown
    >[];
    // 24 archived weekly reports of 惠济区 (rows only; they share the monthly report's files)
    for (let i = 0; i < 24; i++) {
      const start = new Date(Date.UTC(2021, 0, 4 + 7 * i)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2021, 0, 10 + 7 * i)).toISOString().slice(0, 10);
      await t.deps.database.raw(
        `insert into reports (period_type, period_start, period_end, region_code, title, figures, pdf_sha256, pdf_size,
           xlsx_sha256, xlsx_size) values ('weekly', $1, $2, '410108', $3, '{}', $4, $5, $6, $7)`,
        [start, end, `惠济区工作周报 ${start}`, src!.pdf_sha256, src!.pdf_size, src!.xlsx_sha256, src!.xlsx_size],
      );
    }
    const seen: string[] = [];
    const starts: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = (
        await huiji.get(`/api/v1/reports?periodType=weekly&from=2021-01-01&to=2021-12-31&pageSize=10&page=${page}`)
      ).json();
      expect(res.total).toBe(24);
      expect(res.items.length).toBe(page < 3 ? 10 : 4);
      for (const i of res.items) {
        seen.push(i.id);
        starts.push(i.periodStart);
      }
    }
    expect(new Set(seen).size).toBe(24);
    expect([...starts].sort().reverse()).toEqual(starts);
    const monthly = (await huiji.get('/api/v1/reports?periodType=monthly')).json();
    expect(monthly.total).toBe(1);
    const ranged = (await huiji.get('/api/v1/reports?periodType=weekly&from=2021-03-01&to=2021-03-31')).json();
    expect(ranged.items.map((i: { periodStart: string }) => i.periodStart)).toEqual([
      '2021-03-29',
      '2021-03-22',
      '2021-03-15',
      '2021-03-08',
      '2021-03-01',
    ]);
  });
});
