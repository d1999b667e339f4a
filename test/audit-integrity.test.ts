/**
 * Audit integrity (issue #16, security.md AU-03, decision 0022): signed checkpoints of the chain head, kept in
 * `audit_checkpoints` and in DATA_DIR/audit/checkpoints.jsonl, let the verifier find rows deleted from the middle
 * and cut off the tail — which the hash chain alone cannot (decision 0005).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
