/**
 * The answers the 三个一批 project form (src/web/features/projects/ProjectForm.tsx, issue #18) puts on its fields: a
 * schema refusal names `body.<field>` with a message in the caller's language, a taken code answers DUPLICATE, a
 * region outside the caller's scope FORBIDDEN, a stale version CONFLICT; an edit sends only the changed fields with the
 * record's version, and the audit row names exactly those.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../src/server/db/schema/index.ts';
import { createTestApp, type TestApp } from './helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ jobs: false });
});
afterAll(async () => t.close());

const base = {
  code: 'PF-0001',
  name: '表单测试项目',
  ownerName: '表单测试企业有限公司',
  regionCode: '410108',
  industryClass: 'manufacturing',
  totalInvestmentWan: 40_000,
  responsibleUnit: '惠济区人民政府',
  responsiblePerson: '',
  industryCode: null,
  signedOn: '2026-01-10',
  plannedPerformanceOn: null,
  plannedStartOn: '2026-06-01',
  plannedProductionOn: null,
  plannedEffectiveOn: null,
};

interface ErrorBody {
  error: { code: string; message: string; details: { fields?: { field: string; message: string }[] } | null };
}

describe('project form answers', () => {
  it('names the refused field as body.<field>, in Chinese by default and in English on request', async () => {
    const c = await t.login('huiji.admin');
    const bad = { ...base, code: 'PF-BAD', name: '短', totalInvestmentWan: 0 };
    const zh = await c.post('/api/v1/projects', bad);
    expect(zh.statusCode).toBe(400);
    const zhBody = zh.json() as ErrorBody;
    expect(zhBody.error.code).toBe('VALIDATION_FAILED');
    const zhFields = Object.fromEntries((zhBody.error.details?.fields ?? []).map((f) => [f.field, f.message]));
    expect(Object.keys(zhFields).sort()).toEqual(['body.name', 'body.totalInvestmentWan']);
    expect(zhFields['body.name']).toMatch(/[\u4e00-\u9fff]/);

    const en = await c.post('/api/v1/projects', bad, { 'accept-language': 'en' });
    const enFields = (en.json() as ErrorBody).error.details?.fields ?? [];
    expect(enFields.map((f) => f.field).sort()).toEqual(['body.name', 'body.totalInvestmentWan']);
    for (const f of enFields) expect(f.message).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('answers DUPLICATE for a taken code and FORBIDDEN for another district, writing nothing', async () => {
    const c = await t.login('huiji.admin');
    const created = await c.post('/api/v1/projects', base);
    expect(created.statusCode, created.body).toBe(201);
    const again = await c.post('/api/v1/projects', { ...base, name: '另一个表单测试项目' });
    expect(again.statusCode).toBe(409);
    expect((again.json() as ErrorBody).error.code).toBe('DUPLICATE');
    const foreign = await c.post('/api/v1/projects', { ...base, code: 'PF-0002', regionCode: '410103' });
    expect(foreign.statusCode).toBe(403);
    expect((foreign.json() as ErrorBody).error.code).toBe('FORBIDDEN');
    const list = (await c.get('/api/v1/projects?q=PF-000')).json() as { total: number };
    expect(list.total).toBe(1);
  });

  it('saves an edit of the changed fields with the version, audits them, and refuses the stale version after', async () => {
    const c = await t.login('huiji.admin');
    const [found] = ((await c.get('/api/v1/projects?q=PF-0001')).json() as { items: { id: string; version: number }[] })
      .items;
    const edit = await c.request('PATCH', `/api/v1/projects/${found!.id}`, {
      version: found!.version,
      name: '表单测试项目二期',
      plannedStartOn: null,
    });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json()).toEqual({ id: found!.id, version: found!.version + 1 });
    const after = (await c.get(`/api/v1/projects/${found!.id}`)).json() as Record<string, unknown>;
    expect(after).toMatchObject({ name: '表单测试项目二期', plannedStartOn: null, signedOn: '2026-01-10' });

    const [audit] = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, found!.id), eq(auditLog.action, 'project.update')))
      .orderBy(desc(auditLog.id))
      .limit(1);
    const summary = audit!.summary as { before: Record<string, unknown>; after: Record<string, unknown> };
    expect(Object.keys(summary.after).sort()).toEqual(['name', 'plannedStartOn']);
    expect(summary.before).toEqual({ name: '表单测试项目', plannedStartOn: '2026-06-01' });

    const stale = await c.request('PATCH', `/api/v1/projects/${found!.id}`, {
      version: found!.version,
      name: '又改名',
    });
    expect(stale.statusCode).toBe(409);
    expect((stale.json() as ErrorBody).error.code).toBe('CONFLICT');
  });
});
