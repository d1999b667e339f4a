/** The server as a process: production refusal, the data-directory lock, restart persistence, SIGTERM. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from './helpers/constants.ts';
import { freshDatabase, type TestDatabase } from './helpers/db.ts';
import { freePort, HttpClient, repoRoot, startServer, stopAllServers, waitReady } from './helpers/process.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-proc-'));
  dirs.push(d);
  return d;
};
let pgdb: TestDatabase | undefined;
afterAll(async () => {
  await stopAllServers();
  await pgdb?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('MIAOPU_PROFILE=production', () => {
  it('without DATABASE_URL exits with a clear message', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MIAOPU_PROFILE: 'production', DATA_DIR: tmp(), PORT: '0' };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: repoRoot,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stderr).toContain('MIAOPU_PROFILE=production');
  });
});

describe('server process', () => {
  it('refuses a second process on the same data directory, keeps data across a restart, drains on SIGTERM', async () => {
    const dataDir = tmp();
    const env: Record<string, string | undefined> = { DATA_DIR: dataDir, MIAOPU_PROFILE: 'demo' };
    if (process.env.DATABASE_URL) {
      // the per-file fresh database on the PostgreSQL server; the template holds the seed already
      pgdb = await freshDatabase();
      await pgdb.database.close();
      env.DATABASE_URL = pgdb.url;
    } else {
      env.DATABASE_URL = '';
    }
    const a = startServer(env, await freePort());
    await waitReady(a);
    expect(a.output()).toContain('city.admin');

    const b = startServer(env, await freePort());
    const code = await b.exited;
    expect(code).toBe(3);
    expect(b.output()).toContain('in use by another Miaopu process');

    const admin = new HttpClient(a.url);
    const login = await admin.request('POST', '/api/v1/auth/login', {
      username: 'system.admin',
      password: DEMO_PASSWORD,
    });
    expect(login.status).toBe(200);
    const created = await admin.request('POST', '/api/v1/users', {
      username: 'persist.user',
      displayName: '重启后仍在',
    });
    expect(created.status).toBe(201);

    const started = Date.now();
    expect(await a.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(27_000);

    const c = startServer(env, await freePort());
    await waitReady(c);
    const again = new HttpClient(c.url);
    await again.request('POST', '/api/v1/auth/login', { username: 'system.admin', password: DEMO_PASSWORD });
    const list = await (await again.request('GET', '/api/v1/users?q=persist.user')).json();
    expect(list.total).toBe(1);
    const orgs = await (await again.request('GET', '/api/v1/orgs?pageSize=1')).json();
    expect(orgs.total).toBeGreaterThan(20);
    const orgsCount = orgs.total;
    expect(await c.stop()).toBe(0);
    // not seeded twice
    const d = startServer(env, await freePort());
    await waitReady(d);
    const third = new HttpClient(d.url);
    await third.request('POST', '/api/v1/auth/login', { username: 'system.admin', password: DEMO_PASSWORD });
    expect((await (await third.request('GET', '/api/v1/orgs?pageSize=1')).json()).total).toBe(orgsCount);
    expect(await d.stop()).toBe(0);
  }, 240_000);
});
