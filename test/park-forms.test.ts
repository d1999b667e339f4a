/**
 * The API behind the park forms (issue #18): the body the 新建园区 form sends, the refusals it shows on its fields
 * (schema, duplicate code, foreign district), 编辑 and 认定 with the record's version, 推进阶段 forwards only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const zh = { 'accept-language': 'zh-CN' };

/** What ParkFormModal sends for a new park with only the required fields filled. */
const formBody = (code: string, name: string, regionCode = '410108') => ({
  code,
  name,
  regionCode,
  address: '',
  lng: null,
  lat: null,
  category: 'manufacturing',
  developmentMode: 'government',
  operatorOrgId: null,
  landAreaMu: 86.5,
  floorAreaM2: 120000,
  plannedInvestmentWan: 35000,
  industryCodes: [],
  positioning: '',
  monitoredFrom: null,
  monitoredUntil: null,
});

describe('park forms API', () => {
  let id = '';

  it('creates a park from the form body; refusals name the field the form marks', async () => {
    const c = await t.login('huiji.admin');
    const res = await c.post('/api/v1/parks', formBody('API-FORM-001', '接口表单测试园（演示）'), {
      'idempotency-key': 'park-forms-test-0001',
    });
    expect(res.statusCode, res.body).toBe(201);
    const park = res.json();
    expect(park).toMatchObject({ code: 'API-FORM-001', regionName: '惠济区', stage: 'planned', version: 1 });
    id = park.id;

    const short = await c.post('/api/v1/parks', formBody('API-FORM-002', '园'), zh);
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('VALIDATION_FAILED');
    expect(short.json().error.details.fields).toEqual(
      expect.arrayContaining([{ field: 'body.name', message: '长度或数值不能小于 2' }]),
    );

    const dupe = await c.post('/api/v1/parks', formBody('API-FORM-001', '重复编号测试园（演示）'), zh);
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().error.code).toBe('DUPLICATE');

    // 二七区 is not huiji.admin's district
    const foreign = await c.post('/api/v1/parks', formBody('API-FORM-003', '越权测试园（演示）', '410103'));
    expect(foreign.statusCode).toBe(403);
  });

  it('edits and records recognition with the record’s version; a stale version is a conflict', async () => {
    const c = await t.login('huiji.admin');
    const edit = await c.request('PATCH', `/api/v1/parks/${id}`, {
      ...formBody('API-FORM-001', '接口表单测试园二期（演示）'),
      version: 1,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().version).toBe(2);

    const rec = await c.request('PATCH', `/api/v1/parks/${id}`, {
      recognitionLevel: 'county',
      recognitionBatch: '2026年第一批',
      recognizedOn: '2026-03-01',
      version: 2,
    });
    expect(rec.statusCode, rec.body).toBe(200);
    const stale = await c.request('PATCH', `/api/v1/parks/${id}`, { recognitionLevel: 'municipal', version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');

    const got = (await c.get(`/api/v1/parks/${id}`)).json();
    expect(got).toMatchObject({
      name: '接口表单测试园二期（演示）',
      recognitionLevel: 'county',
      recognitionBatch: '2026年第一批',
      recognizedOn: '2026-03-01',
      version: 3,
    });

    // another district's admin does not see the park at all
    const erqi = await t.login('erqi.admin');
    const other = await erqi.request('PATCH', `/api/v1/parks/${id}`, { recognitionLevel: null, version: 3 });
    expect(other.statusCode).toBe(404);
  });

  it('moves the stage forwards (skipping steps), never back, never to a future day', async () => {
    const c = await t.login('huiji.admin');
    const move = await c.post(`/api/v1/parks/${id}/stage`, { stage: 'under_construction', on: '2026-04-01' });
    expect(move.statusCode, move.body).toBe(200);
    expect(move.json().stage).toBe('under_construction');
    const back = await c.post(`/api/v1/parks/${id}/stage`, { stage: 'filed', on: '2026-04-02' });
    expect(back.statusCode).toBe(409);
    const future = await c.post(`/api/v1/parks/${id}/stage`, { stage: 'completed', on: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.code).toBe('DATE_IN_FUTURE');
    const got = (await c.get(`/api/v1/parks/${id}`)).json();
    expect(got.stage).toBe('under_construction');
    expect(got.timeline.filter((e: { kind: string }) => e.kind === 'stage').length).toBe(2);
  });
});
