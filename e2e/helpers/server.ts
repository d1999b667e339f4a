/**
 * Starts THE REAL SERVER (src/server/main.ts) as a child process for browser tests: a fresh PGlite data directory,
 * or — with DATABASE_URL set — a fresh database created on that PostgreSQL server and dropped afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_TIMEOUT_MS = 240_000; // a fresh server seeds the whole demo (policies, 万人助万企) first
const STOP_TIMEOUT_MS = 20_000;

export interface TestServer {
  baseUrl: string;
  dataDir: string;
  /** The PostgreSQL database's name (null on PGlite). */
  databaseName: string | null;
  /** The last lines the server printed (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A fresh database on the DATABASE_URL server (a copy of `template` when given); returns its URL and a function
 * that drops it.
 */
export async function createDatabase(
  adminUrl: string,
  template?: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `miaopu_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** The seeded demo data directory (and PostgreSQL template database) that e2e/global-setup.ts prepared once. */
export interface E2eTemplate {
  dataDir: string;
  database: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2eTemplate: E2eTemplate | null;
  }
}

/**
 * Starts the real server. Each call gets its own data directory and database: a copy of the run's seeded template
 * (e2e/global-setup.ts: the demo seeded once, daily jobs not yet run) or, without one, a fresh seed.
 */
export async function startServer(
  opts: { env?: NodeJS.ProcessEnv; fresh?: boolean; keep?: boolean } = {},
): Promise<TestServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'miaopu-e2e-'));
  const adminUrl = process.env.DATABASE_URL;
  let template: E2eTemplate | null = null;
  try {
    template = opts.fresh ? null : (inject('e2eTemplate') ?? null);
  } catch {
    template = null; // outside a vitest run (the global setup itself)
  }
  if (template) await cp(template.dataDir, dataDir, { recursive: true });
  const database = adminUrl ? await createDatabase(adminUrl, template?.database ?? undefined) : null;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    MIAOPU_PROFILE: 'demo',
    LOG_LEVEL: 'warn',
    // on Mondays and the 1st every fresh server would build ~19 PDF reports at start-up, beside the tests
    REPORTS_SCHEDULE: 'off',
    ...opts.env,
  };
  if (database) env.DATABASE_URL = database.url;
  else delete env.DATABASE_URL;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    if (opts.keep) return; // the caller keeps the data directory and database (the template)
    await rm(dataDir, { recursive: true, force: true });
    await database?.drop();
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`server exited before it was ready (code ${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`server not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return { baseUrl, dataDir, databaseName: database?.name ?? null, logs: () => output, stop };
}
