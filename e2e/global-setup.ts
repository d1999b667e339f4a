/**
 * Seeds the demo once per browser-test run: starts the real server on a fresh data directory (and, with
 * DATABASE_URL, a fresh PostgreSQL database), waits until the start-up batch of daily jobs has finished (matching,
 * cultivation, checks, digests …), stops it gracefully, and hands the data directory and database to every test
 * file as the template its own server copies (e2e/helpers/server.ts). The copies find today's daily runs done, so
 * no test races the start-up batch (on PGlite the one connection is shared with it; CI saw a sign-out wait 30 s).
 */
import { rm } from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { DEMO_PASSWORD } from './helpers/browser.ts';
import { startServer } from './helpers/server.ts';

/** Signs in through the API (CSRF cookie + header) and returns the cookie header of the session. */
async function signIn(baseUrl: string, username: string): Promise<string> {
  const c = await fetch(`${baseUrl}/api/v1/auth/csrf`);
  const csrf = /miaopu_csrf=([^;]+)/.exec(c.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `miaopu_csrf=${csrf}` },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`e2e template: login ${username} answered ${res.status}`);
  const sid = /miaopu_sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return `miaopu_sid=${sid}; miaopu_csrf=${csrf}`;
}

/** Waits until no job is queued or running (three quiet polls in a row) after at least one has succeeded. */
async function jobsSettled(baseUrl: string, cookie: string, timeoutMs = 300_000) {
  const until = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < until) {
    const count = async (status: string) => {
      const r = await fetch(`${baseUrl}/api/v1/jobs?status=${status}&pageSize=1`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`e2e template: GET /api/v1/jobs answered ${r.status}`);
      return ((await r.json()) as { total: number }).total;
    };
    const [queued, running, succeeded] = [await count('queued'), await count('running'), await count('succeeded')];
    quiet = queued + running === 0 && succeeded > 0 ? quiet + 1 : 0;
    if (quiet >= 3) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('e2e template: the start-up jobs did not finish in time');
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  const server = await startServer({ fresh: true, keep: true });
  try {
    await jobsSettled(server.baseUrl, await signIn(server.baseUrl, 'system.admin'));
  } finally {
    await server.stop();
  }
  console.log(`e2e template seeded and its daily jobs run in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('e2eTemplate', { dataDir: server.dataDir, database: server.databaseName });
  return async () => {
    await rm(server.dataDir, { recursive: true, force: true });
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl && server.databaseName) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${server.databaseName}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }
  };
}
