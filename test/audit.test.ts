import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { TEST_MASTER_KEY } from './helpers/constants.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const root = path.resolve(import.meta.dirname, '..');

async function waitForJob(c: Awaited<ReturnType<TestApp['login']>>, id: string) {
  for (let i = 0; i < 100; i++) {
    const j = (await c.get(`/api/v1/jobs/${id}`)).json();
    if (j.status === 'succeeded' || j.status === 'failed') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('job did not finish');
}

describe('audit log', () => {
  it('is visible to the auditor only', async () => {
    const auditor = await t.login('auditor');
    const res = await auditor.get('/api/v1/audit?action=auth.login&pageSize=5');
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBeGreaterThan(0);
    expect(res.json().items[0]).toMatchObject({ action: 'auth.login', result: 'success' });
    for (const u of ['city.admin', 'system.admin', 'security.admin']) {
      expect((await (await t.login(u)).get('/api/v1/audit')).statusCode).toBe(403);
    }
  });

  it('records who did what, in the transaction of the change', async () => {
    const sec = await t.login('security.admin');
    const before = (await sec.get('/api/v1/settings/security')).json();
    const res = await sec.request('PUT', '/api/v1/settings/security', { ...before, lockoutThreshold: 6 });
    expect(res.statusCode).toBe(200);
    expect(res.json().lockoutThreshold).toBe(6);
    const auditor = await t.login('auditor');
    const rows = (await auditor.get('/api/v1/audit?action=settings.security.update')).json().items;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorUsername: 'security.admin', actorRole: 'security_admin' });
    expect(rows[0].summary.before.lockoutThreshold).toBe(5);
    expect(rows[0].summary.after.lockoutThreshold).toBe(6);
    await sec.request('PUT', '/api/v1/settings/security', before);
  });

  it('refuses UPDATE and DELETE on audit rows', async () => {
    const { db } = t.deps.database;
    await expect(db.execute(sql`update audit_log set action = 'x' where id = 1`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where id = 1`)).rejects.toThrow();
  });

  it('verifies as a job with progress, for the auditor', async () => {
    const auditor = await t.login('auditor');
    const start = await auditor.post('/api/v1/jobs/audit-verify');
    expect(start.statusCode).toBe(202);
    const job = await waitForJob(auditor, start.json().id);
    expect(job.status).toBe('succeeded');
    expect(job.progress).toBe(100);
    expect(job.result.ok).toBe(true);
    expect(job.result.checked).toBeGreaterThan(5);
  });

  it('detects a row edited directly in SQL and names it', async () => {
    const { db } = t.deps.database;
    expect((await t.deps.audit.verify(db)).ok).toBe(true);
    const [target] = (
      (await db.execute(sql`select id from audit_log where action = 'auth.login' order by id limit 1`)) as unknown as {
        rows: { id: string }[];
      }
    ).rows;
    const id = Number(target!.id);
    await db.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
    await db.execute(sql`update audit_log set actor_username = 'someone.else' where id = ${id}`);
    await db.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    const r = await t.deps.audit.verify(db);
    expect(r.ok).toBe(false);
    expect(r.brokenId).toBe(id);
  });
});

describe('npm run audit:verify', () => {
  it('exits 0 on an intact chain and 1 naming the row after an edit in SQL', async () => {
    const { openDatabase } = await import('../src/server/db/client.ts');
    const { createDeps } = await import('../src/server/bootstrap.ts');
    const { loadConfig } = await import('../src/server/config.ts');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-cli-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      MIAOPU_MASTER_KEY: TEST_MASTER_KEY,
      MIAOPU_PROFILE: 'test',
    };
    // PostgreSQL mode: the CLI reads the same per-file database as this test's app.
    const url = process.env.DATABASE_URL
      ? (t.deps.database.pool as unknown as { options: { connectionString: string } }).options.connectionString
      : undefined;
    if (url) env.DATABASE_URL = url;
    else {
      delete env.DATABASE_URL;
      const config = loadConfig({
        DATA_DIR: dataDir,
        MIAOPU_MASTER_KEY: TEST_MASTER_KEY,
        MIAOPU_PROFILE: 'test',
        LOG_LEVEL: 'silent',
      });
      const deps = await createDeps(config, {
        database: await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') }),
      });
      await deps.database.close();
    }
    const run = () =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/miaopu.ts', 'audit:verify'], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
    if (!url) {
      const ok = run();
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('audit chain OK');
      const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pgdata') });
      await database.exec(
        'alter table audit_log disable trigger audit_log_no_update; update audit_log set summary = \'{"forged":true}\' where id = 2; alter table audit_log enable trigger audit_log_no_update;',
      );
      await database.close();
    }
    const bad = run();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/row id \d+/);
    if (!url) expect(bad.stderr).toContain('row id 2');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000); // seeds a full demo database and spawns the CLI twice
});
