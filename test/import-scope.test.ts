/**
 * Scope on every import and reference (issue #16, security.md AC-05/AC-06, decision 0022): an imported row filed
 * outside the importer's scope is a row error; an org named in a body must be one the caller may name.
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckChar } from '../src/domain/uscc.ts';
import { enterprises, orgs } from '../src/server/db/schema/index.ts';
import { type Client, createTestApp, type TestApp, waitForJob } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

function uscc(seq: string) {
  const first17 = `91410108MA${seq.padStart(7, '0')}`;
  return first17 + usccCheckChar(first17);
}

async function workbook(rows: [string, string, string][]) {
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
  for (const [code, name, region] of rows) ws.addRow([code, name, region, 'C3411', '2019-06-01', 100, '张三', '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function importAs(c: Client, bytes: Buffer, key: string) {
  const boundary = '----miaopu-import-scope';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="e.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  if (!c.cookies.miaopu_csrf) await c.get('/api/v1/auth/csrf');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/enterprises/import',
    payload: body,
    cookies: c.cookies,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-csrf-token': c.cookies.miaopu_csrf ?? '',
      'idempotency-key': key,
    },
  });
  expect(res.statusCode, res.body).toBe(202);
  return waitForJob(t.deps, res.json().jobId);
}

const orgId = async (name: string) => (await t.deps.database.db.select().from(orgs).where(eq(orgs.name, name)))[0]!.id;
const count = async (code: string) =>
  (await t.deps.database.db.select().from(enterprises).where(eq(enterprises.uscc, code))).length;

describe('enterprise import', () => {
  it("huiji.admin's row filed under 二七区 is a row error, and nothing of the file is written", async () => {
    const huiji = await t.login('huiji.admin');
    // the same row through the API is refused
    const direct = await huiji.post('/api/v1/enterprises', {
      uscc: uscc('0000001'),
      name: '越界企业（演示）',
      regionCode: '410103',
      industryCode: 'C3411',
    });
    expect(direct.statusCode).toBe(403);
    const own = uscc('0000002');
    const foreign = uscc('0000003');
    const job = await importAs(
      huiji,
      await workbook([
        [own, '本区企业（演示）', '惠济区'],
        [foreign, '越界企业（演示）', '二七区'],
      ]),
      'import-scope-1',
    );
    expect(job.status).toBe('failed');
    const result = job.result as { errors: { row: number; column: string; message: string }[]; errorCount: number };
    expect(result.errorCount).toBe(1);
    expect(result.errors[0]).toMatchObject({ row: 3, column: '所属区县(市)' });
    expect(result.errors[0]!.message).toContain('不在您的管辖范围内');
    expect(await count(own)).toBe(0);
    expect(await count(foreign)).toBe(0);
  });

  it('the city official imports both rows (二七区 lies in 郑州市)', async () => {
    const city = await t.login('city.admin');
    const a = uscc('0000004');
    const b = uscc('0000005');
    const job = await importAs(
      city,
      await workbook([
        [a, '市级导入甲（演示）', '惠济区'],
        [b, '市级导入乙（演示）', '二七区'],
      ]),
      'import-scope-2',
    );
    expect(job.status, JSON.stringify(job.result)).toBe('succeeded');
    expect(await count(a)).toBe(1);
    expect(await count(b)).toBe(1);
  });

  it('富阳区 is outside even the city official', async () => {
    const city = await t.login('city.admin');
    const job = await importAs(
      city,
      await workbook([[uscc('0000006'), '外市企业（演示）', '富阳区']]),
      'import-scope-3',
    );
    expect(job.status).toBe('failed');
    expect(JSON.stringify(job.result)).toContain('不在您的管辖范围内');
  });
});

describe('org references in bodies', () => {
  const project = (code: string, responsibleOrgId: string) => ({
    code,
    name: `引用检查项目${code}（演示）`,
    ownerName: '演示业主',
    regionCode: '410108',
    industryClass: 'manufacturing',
    totalInvestmentWan: 10000,
    responsibleUnit: '惠济区',
    responsibleOrgId,
  });

  it("a project's responsibleOrgId of another district is refused (422); its own district's and the city's are taken", async () => {
    const huiji = await t.login('huiji.admin');
    const foreign = await huiji.post('/api/v1/projects', project('REF-001', await orgId('二七区人民政府')));
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.code).toBe('REFERENCE_OUT_OF_SCOPE');
    expect(foreign.json().error.message).toContain('responsibleOrgId');
    const own = await huiji.post('/api/v1/projects', project('REF-002', await orgId('惠济区人民政府')));
    expect(own.statusCode, own.body).toBe(201);
    const city = await huiji.post('/api/v1/projects', project('REF-003', await orgId('郑州市工业和信息化局')));
    expect(city.statusCode, city.body).toBe(201);
    // and an update may not move it to another district's org either
    const moved = await huiji.request('PATCH', `/api/v1/projects/${own.json().id}`, {
      version: own.json().version,
      responsibleOrgId: await orgId('二七区人民政府'),
    });
    expect(moved.statusCode, moved.body).toBe(422);
  });

  it("a common issue's ownerOrgId of another district is refused (422)", async () => {
    const huiji = await t.login('huiji.admin');
    const rows = (await t.deps.database.raw(`select id from assistance_problems where region_code = '410108' limit 1`))
      .rows;
    const problemId = String(rows[0]!.id);
    const foreign = await huiji.post('/api/v1/assistance/common-issues', {
      title: '越界共性问题',
      ownerOrgId: await orgId('二七区人民政府'),
      problemIds: [problemId],
    });
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.code).toBe('REFERENCE_OUT_OF_SCOPE');
    const own = await huiji.post('/api/v1/assistance/common-issues', {
      title: '本区共性问题',
      ownerOrgId: await orgId('惠济区人民政府'),
      problemIds: [problemId],
    });
    expect(own.statusCode, own.body).toBe(201);
  });

  it("a park's operator of another district is refused (422) on create and on update; its own district's is taken", async () => {
    const huiji = await t.login('huiji.admin');
    const park = (code: string, operatorOrgId: string) => ({
      code,
      name: `引用检查园区${code}（演示）`,
      regionCode: '410108',
      category: 'manufacturing',
      developmentMode: 'third_party',
      operatorOrgId,
      landAreaMu: 50,
      floorAreaM2: 40000,
      plannedInvestmentWan: 20000,
    });
    const foreignOperator = await orgId('登封市新材料小微企业园运营有限公司（演示）');
    const ownOperator = await orgId('粤浦科技智造谷运营管理有限公司（演示）');
    const foreign = await huiji.post('/api/v1/parks', park('REF-P01', foreignOperator));
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.code).toBe('REFERENCE_OUT_OF_SCOPE');
    expect(foreign.json().error.message).toContain('operatorOrgId');
    const own = await huiji.post('/api/v1/parks', park('REF-P02', ownOperator));
    expect(own.statusCode, own.body).toBe(201);
    const moved = await huiji.request('PATCH', `/api/v1/parks/${own.json().id}`, {
      version: own.json().version,
      operatorOrgId: foreignOperator,
    });
    expect(moved.statusCode, moved.body).toBe(422);
    expect(moved.json().error.code).toBe('REFERENCE_OUT_OF_SCOPE');
    // the city official may name either (both lie in 郑州市)
    const city = await t.login('city.admin');
    const cityMove = await city.request('PATCH', `/api/v1/parks/${own.json().id}`, {
      version: own.json().version,
      operatorOrgId: foreignOperator,
    });
    expect(cityMove.statusCode, cityMove.body).toBe(200);
  });

  it("the 万人助万企 settings may not name another district's org as escalation recipient or default department", async () => {
    const huiji = await t.login('huiji.admin');
    const before = (await huiji.get('/api/v1/assistance/settings')).json();
    const ladder = await huiji.request('PUT', '/api/v1/assistance/settings', {
      escalationLadder: [{ afterDays: 2, level: 1, notifyOrgId: await orgId('二七区人民政府') }],
    });
    expect(ladder.statusCode, ladder.body).toBe(422);
    expect(ladder.json().error.code).toBe('REFERENCE_OUT_OF_SCOPE');
    const category = await huiji.request('PUT', '/api/v1/assistance/settings', {
      categoryOrgs: { financing: await orgId('二七区人民政府') },
    });
    expect(category.statusCode, category.body).toBe(422);
    // nothing of the refused settings was saved
    expect((await huiji.get('/api/v1/assistance/settings')).json().escalationLadder).toEqual(before.escalationLadder);
    const own = await huiji.request('PUT', '/api/v1/assistance/settings', {
      escalationLadder: [{ afterDays: 2, level: 1, notifyOrgId: await orgId('惠济区人民政府') }],
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().escalationLadder[0].notifyOrgId).toBe(await orgId('惠济区人民政府'));
  });

  it("a park import row naming another district's operator is a row error, and nothing of the file is written", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('园区');
    const headers = ['园区编号', '园区名称', '所属区县(市)', '园区类别', '开发模式', '运营主体'];
    ws.addRow([...headers, '占地面积(亩)', '建筑面积(m²)', '计划总投资(万元)', '建设阶段']);
    const row = (code: string, operator: string) => [
      code,
      `导入引用园区${code}（演示）`,
      '惠济区',
      '生产制造类',
      '第三方专业机构',
      operator,
      60,
      50000,
      30000,
      '谋划',
    ];
    ws.addRow(row('REF-I01', '粤浦科技智造谷运营管理有限公司（演示）'));
    ws.addRow(row('REF-I02', '登封市新材料小微企业园运营有限公司（演示）'));
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const huiji = await t.login('huiji.admin');
    const boundary = '----miaopu-park-import-scope';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    if (!huiji.cookies.miaopu_csrf) await huiji.get('/api/v1/auth/csrf');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/parks/import',
      payload: body,
      cookies: huiji.cookies,
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'x-csrf-token': huiji.cookies.miaopu_csrf ?? '',
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    const rows = res.json().error.details.rows as { row: number; column: string; message: string }[];
    expect(rows.map((r) => [r.row, r.column])).toEqual([[3, '运营主体']]);
    expect(rows[0]!.message).toContain('管辖范围');
    expect((await huiji.get('/api/v1/parks?q=REF-I0')).json().total).toBe(0);
  });
});
