/**
 * `npx tsx bench/abuse.ts` (issue #16, decision 0021): a bounded loopback load test against the real server
 * process. Starts `src/server/main.ts` on a free port (PGlite in a temporary DATA_DIR, or a fresh PostgreSQL
 * database when DATABASE_URL is set), then
 *   1. a login flood (wrong passwords, one address) → counts 401 and 429 (with Retry-After);
 *   2. overload: many connections on the enterprise export (database and CPU heavy) with load shedding at a low
 *      event-loop threshold → counts 200 / 503 (with Retry-After), while /healthz is probed every 100 ms.
 * Prints a Markdown block for bench/RESULTS.md. Bounded: ~10 s per phase, loopback only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUp(base: string, child: ChildProcess) {
  const until = Date.now() + 300_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('server did not become ready');
}

async function session(base: string, username: string) {
  const c = await fetch(`${base}/api/v1/auth/csrf`);
  const csrf = /miaopu_csrf=([^;]+)/.exec(c.headers.get('set-cookie') ?? '')![1]!;
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `miaopu_csrf=${csrf}` },
    body: JSON.stringify({ username, password: 'Miaopu#2026demo' }),
  });
  const sid = /miaopu_sid=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  if (!sid) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  return { csrf, cookie: `miaopu_csrf=${csrf}; miaopu_sid=${sid}` };
}

function run(opts: autocannon.Options): Promise<autocannon.Result & { statuses: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const statuses: Record<string, number> = {};
    const inst = autocannon(opts, (err, res) => {
      if (err) reject(err);
      else resolve(Object.assign(res, { statuses }));
    });
    inst.on('response', (_client, statusCode, _bytes, _time) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
    inst.on('reqError', () => {
      statuses.error = (statuses.error ?? 0) + 1;
    });
    // autocannon hands no headers to 'response': Retry-After is read from one request after each phase.
  });
}

async function probeHealth(base: string, stop: () => boolean) {
  const lat: number[] = [];
  while (!stop()) {
    const s = performance.now();
    try {
      const r = await fetch(`${base}/healthz`);
      await r.text();
      lat.push(performance.now() - s);
    } catch {
      lat.push(Number.POSITIVE_INFINITY);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return lat.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? Number.NaN;

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-abuse-bench-'));
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `miaopu_abuse_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', 'src/server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? '',
      MIAOPU_PROFILE: 'demo',
      LOG_LEVEL: 'silent',
      JOBS: 'off',
      // Phase 2 measures shedding, not the per-user limit: a low event-loop threshold, a high API limit.
      PRESSURE_MAX_EVENT_LOOP_DELAY_MS: process.env.PRESSURE_MAX_EVENT_LOOP_DELAY_MS ?? '100',
      RATE_LIMIT_API_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUp(base, child);
    const db = databaseUrl ? 'PostgreSQL 15' : 'PGlite (worker thread)';

    // The overload phase's session first: after the flood this address is rate limited for logins (as it should be).
    const s = await session(base, 'city.admin');

    // 1. Login flood: one address, wrong passwords.
    const c = await fetch(`${base}/api/v1/auth/csrf`);
    const csrf = /miaopu_csrf=([^;]+)/.exec(c.headers.get('set-cookie') ?? '')![1]!;
    const flood = await run({
      url: `${base}/api/v1/auth/login`,
      method: 'POST',
      connections: 10,
      duration: 5,
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `miaopu_csrf=${csrf}` },
      body: JSON.stringify({ username: 'city.admin', password: 'wrong-password' }),
    });
    const after = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `miaopu_csrf=${csrf}` },
      body: JSON.stringify({ username: 'city.admin', password: 'wrong-password' }),
    });

    // 2. Overload on the export while /healthz is probed.
    let done = false;
    const health = probeHealth(base, () => done);
    const overload = await run({
      url: `${base}/api/v1/enterprises/export`,
      connections: CONNECTIONS,
      duration: SECONDS,
      timeout: 30,
      headers: { cookie: s.cookie },
    });
    const shed = await fetch(`${base}/api/v1/enterprises/export`, { headers: { cookie: s.cookie } });
    done = true;
    const lat = await health;

    const lines = [
      `### ${new Date().toISOString().slice(0, 10)} — abuse load test (bench/abuse.ts), ${db}`,
      '',
      `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} at the end (shared machine).`,
      '',
      `- Login flood (10 connections, 5 s, wrong password, one address): ${JSON.stringify(flood.statuses)}; next attempt ${after.status}, Retry-After ${after.headers.get('retry-after')}`,
      `- Overload (${CONNECTIONS} connections, ${SECONDS} s, GET /api/v1/enterprises/export as city.admin, shedding at ${process.env.PRESSURE_MAX_EVENT_LOOP_DELAY_MS ?? '100'} ms event-loop delay): ${JSON.stringify(overload.statuses)}, ${overload.requests.average.toFixed(1)} req/s, latency p50 ${overload.latency.p50} ms / p99 ${overload.latency.p99} ms; a request right after: ${shed.status}, Retry-After ${shed.headers.get('retry-after')}`,
      `- /healthz during the overload (${lat.length} probes every 100 ms): p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms, max ${pct(lat, 100).toFixed(1)} ms`,
      '',
    ];
    console.log(lines.join('\n'));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
