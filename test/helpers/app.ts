/** Builds the real app on a fresh database for one test file, and signed-in clients for the demo users. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/bootstrap.ts';
import { loadConfig } from '../../src/server/config.ts';
import type { AppDeps, Clock } from '../../src/server/platform/context.ts';
import { SoftwareKeyProvider } from '../../src/server/platform/keys.ts';
import { DEMO_PASSWORD, TEST_MASTER_KEY } from './constants.ts';
import { freshDatabase } from './db.ts';

export class FakeClock implements Clock {
  private offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
  advanceMinutes(m: number) {
    this.offsetMs += m * 60_000;
  }
}

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  clock: FakeClock;
  dataDir: string;
  close: () => Promise<void>;
  login: (username: string, password?: string) => Promise<Client>;
  anonymous: () => Client;
}

export interface Client {
  cookies: Record<string, string>;
  request: (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<LightMyRequestResponse>;
  get: (url: string, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: unknown, headers?: Record<string, string>) => Promise<LightMyRequestResponse>;
}

function makeClient(app: FastifyInstance): Client {
  const cookies: Record<string, string> = {};
  const absorb = (res: LightMyRequestResponse) => {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && new Date(c.expires).getTime() < Date.now())) delete cookies[c.name];
      else cookies[c.name] = c.value;
    }
  };
  const client: Client = {
    cookies,
    request: async (method, url, body, headers = {}) => {
      const unsafe = method !== 'GET';
      if (unsafe && !cookies.miaopu_csrf) absorb(await app.inject({ method: 'GET', url: '/api/v1/auth/csrf' }));
      const res = await app.inject({
        method,
        url,
        payload: body === undefined ? undefined : (body as object),
        cookies,
        headers: { ...(unsafe ? { 'x-csrf-token': cookies.miaopu_csrf ?? '' } : {}), ...headers },
      });
      absorb(res);
      return res;
    },
    get: (url, headers) => client.request('GET', url, undefined, headers),
    post: (url, body, headers) => client.request('POST', url, body ?? {}, headers),
  };
  return client;
}

export async function createTestApp(opts: { jobs?: boolean } = {}): Promise<TestApp> {
  const { database, drop } = await freshDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-test-'));
  const config = loadConfig({
    MIAOPU_PROFILE: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MIAOPU_MASTER_KEY: TEST_MASTER_KEY,
  });
  const clock = new FakeClock();
  const deps = await createDeps(config, {
    database,
    keys: new SoftwareKeyProvider(TEST_MASTER_KEY),
    clock,
  });
  const app = await buildApp(deps, { logger: false });
  if (opts.jobs !== false) await deps.jobs.start({ work: true });
  await app.ready();
  return {
    app,
    deps,
    clock,
    dataDir,
    close: async () => {
      await app.close();
      await deps.jobs.stop();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    anonymous: () => makeClient(app),
    login: async (username, password = DEMO_PASSWORD) => {
      const c = makeClient(app);
      const res = await c.post('/api/v1/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return c;
    },
  };
}

/** Waits for a job to finish by reading job_runs directly (jobs of the system actor are not in any user's scope). */
export async function waitForJob(deps: AppDeps, id: string, timeoutMs = 60_000) {
  const { jobRuns } = await import('../../src/server/db/schema/index.ts');
  const { eq } = await import('drizzle-orm');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [row] = await deps.database.db.select().from(jobRuns).where(eq(jobRuns.id, id));
    if (row && (row.status === 'succeeded' || row.status === 'failed')) return row;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}
