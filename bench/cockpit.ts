/**
 * `npx tsx bench/cockpit.ts` (issues #19 B2 and #21): response time of the cockpit, `GET /api/v1/dashboard/summary`,
 * per scope — the city (city.admin, 郑州), a district (huiji.admin, 惠济区) and the province (province.admin, 河南省,
 * created by the generator at province scale) — on generated data:
 *   1. in process: the SQL statements one summary request runs are recorded and replayed directly on the database
 *      (a bare pg client, or PGlite's own query), sequentially: the floor the endpoint could reach;
 *   2. the real server process (JOBS=off) on loopback: N sequential requests per scope (p50/p99), then autocannon
 *      with 10 and 50 connections for BENCH_SECONDS each.
 * Data: PGlite (a temporary DATA_DIR) at the city scale by default; with DATABASE_URL a fresh PostgreSQL database at
 * the province scale, dropped afterwards. BENCH_COCKPIT_SCALE overrides the scale; BENCH_COCKPIT_DATABASE_URL (an
 * already generated PostgreSQL database) or BENCH_COCKPIT_DATA_DIR (a generated PGlite DATA_DIR) skip generation
 * and are left as they are. Prints a Markdown block for bench/RESULTS.md and writes bench/results-cockpit-<db>.json.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { createDeps } from '../src/server/bootstrap.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { generate, parseScale } from '../src/server/db/generate/index.ts';
import { DEMO_PASSWORD } from '../src/server/db/seed/index.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_COCKPIT_ROUNDS ?? 30);
const MASTER_KEY = 'c3'.repeat(32);
const ROOT = path.resolve(import.meta.dirname, '..');

interface ScopeCase {
  label: string;
  user: string;
  region: string;
}
const SCOPES: ScopeCase[] = [
  { label: '河南省 (province.admin)', user: 'province.admin', region: '410000' },
  { label: '郑州市 (city.admin)', user: 'city.admin', region: '410100' },
  { label: '惠济区 (huiji.admin)', user: 'huiji.admin', region: '410108' },
];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const quantile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};

async function session(base: string, username: string) {
  const c = await fetch(`${base}/api/v1/auth/csrf`);
  const csrf = /miaopu_csrf=([^;]+)/.exec(c.headers.get('set-cookie') ?? '')![1]!;
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `miaopu_csrf=${csrf}` },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  const sid = /miaopu_sid=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')?.[1];
  if (!sid) return null;
  return `miaopu_csrf=${csrf}; miaopu_sid=${sid}`;
}

function cannon(opts: autocannon.Options) {
  return new Promise<autocannon.Result & { statuses: Record<string, number> }>((resolve, reject) => {
    const statuses: Record<string, number> = {};
    const inst = autocannon(opts, (err, res) => (err ? reject(err) : resolve(Object.assign(res, { statuses }))));
    inst.on('response', (_c, code) => {
      statuses[code] = (statuses[code] ?? 0) + 1;
    });
    inst.on('reqError', () => {
      statuses.error = (statuses.error ?? 0) + 1;
    });
  });
}

type Recorded = { text: string; values?: unknown[] };

/** Records the statements of one summary request per scope in process, then replays them directly. */
async function directSql(env: Record<string, string>, databaseUrl: string | undefined, dataDir: string) {
  const config = loadConfig({ ...env, DATA_DIR: dataDir, MIAOPU_PROFILE: 'demo', LOG_LEVEL: 'silent' });
  const database = await openDatabase(
    databaseUrl ? { databaseUrl, poolSize: 4 } : { pgliteDir: path.join(dataDir, 'pgdata') },
  );
  const deps = await createDeps(config, { database, seed: false });
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  let recording: Recorded[] | null = null;
  // drizzle (node-postgres) sends through pool.query; PGlite through its query()
  const target = (database.pool ?? database.pglite) as unknown as {
    query: (...a: unknown[]) => Promise<unknown>;
  };
  const original = target.query.bind(target);
  target.query = (...a: unknown[]) => {
    if (recording) {
      const q = a[0] as string | { text: string; values?: unknown[] };
      recording.push(
        typeof q === 'string'
          ? { text: q, values: a[1] as unknown[] }
          : { text: q.text, values: q.values ?? (a[1] as unknown[]) },
      );
    }
    return original(...a);
  };
  const out: Record<
    string,
    { statements: number; p50: number; p99: number; inject50: number; heaviest: { sql: string; ms: number }[] }
  > = {};
  const counts = (
    await database.raw(
      'select (select count(*) from enterprises)::int as firms, (select count(*) from parks)::int as parks, (select count(*) from assistance_problems)::int as problems',
    )
  ).rows[0] as { firms: number; parks: number; problems: number };
  for (const s of SCOPES) {
    const cookies: Record<string, string> = {};
    const csrf = await app.inject({ url: '/api/v1/auth/csrf' });
    for (const c of csrf.cookies) cookies[c.name] = c.value;
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: s.user, password: DEMO_PASSWORD },
      cookies,
      headers: { 'x-csrf-token': cookies.miaopu_csrf! },
    });
    if (login.statusCode !== 200) continue;
    for (const c of login.cookies) cookies[c.name] = c.value;
    const url = `/api/v1/dashboard/summary?region=${s.region}`;
    await app.inject({ url, cookies }); // warm-up
    const injects: number[] = [];
    for (let i = 0; i < Math.min(ROUNDS, 10); i++) {
      const t0 = performance.now();
      const r = await app.inject({ url, cookies });
      if (r.statusCode !== 200) throw new Error(`${s.user}: ${r.statusCode} ${r.body.slice(0, 300)}`);
      injects.push(performance.now() - t0);
    }
    recording = [];
    await app.inject({ url, cookies });
    const stmts = recording;
    recording = null;
    // replay: the same statements and parameters, one after another, on a connection of our own
    const times: number[] = [];
    const perStatement = stmts.map(() => 0);
    const client = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : null;
    await client?.connect();
    for (let round = 0; round < Math.min(ROUNDS, 10) + 1; round++) {
      const t0 = performance.now();
      for (const [i, q] of stmts.entries()) {
        const s0 = performance.now();
        if (client) await client.query(q.text, q.values as unknown[]);
        else await original(q.text, q.values);
        if (round > 0) perStatement[i]! += performance.now() - s0;
      }
      if (round > 0) times.push(performance.now() - t0);
    }
    await client?.end();
    console.error(
      `${s.user}: in process p50 ${quantile(injects, 0.5).toFixed(0)} ms; ${stmts.length} statements replayed p50 ${quantile(times, 0.5).toFixed(0)} ms`,
    );
    const rounds = Math.max(1, times.length);
    const heaviest = stmts
      .map((q, i) => ({ sql: q.text.replace(/\s+/g, ' ').slice(0, 160), ms: perStatement[i]! / rounds }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3);
    out[s.user] = {
      heaviest,
      statements: stmts.length,
      p50: quantile(times, 0.5),
      p99: quantile(times, 0.99),
      inject50: quantile(injects, 0.5),
    };
  }
  target.query = original;
  await app.close();
  await database.close();
  return { ...out, counts } as typeof out & { counts: typeof counts };
}

async function main() {
  const kind = process.env.DATABASE_URL || process.env.BENCH_COCKPIT_DATABASE_URL ? 'postgres' : 'pglite';
  const scale = parseScale(process.env.BENCH_COCKPIT_SCALE ?? (kind === 'postgres' ? 'province' : 'city'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    MIAOPU_MASTER_KEY: process.env.MIAOPU_MASTER_KEY ?? MASTER_KEY,
    LOG_LEVEL: 'silent',
    JOBS: 'off',
    MIAOPU_PROFILE: 'demo',
  };
  let databaseUrl = process.env.BENCH_COCKPIT_DATABASE_URL;
  let dataDir = process.env.BENCH_COCKPIT_DATA_DIR;
  const reuse = Boolean(databaseUrl || dataDir);
  let dropDb: (() => Promise<void>) | undefined;
  if (!dataDir) dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-cockpit-'));
  let generated: { seconds: number; rows: number } | null = null;
  if (!databaseUrl && process.env.DATABASE_URL) {
    const name = `miaopu_bench_cockpit_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  try {
    if (!reuse) {
      const config = loadConfig({ ...env, DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
      const deps = await createDeps(config);
      console.error(`generating ${scale.name} on ${kind} …`);
      const t0 = Date.now();
      const r = await generate(deps.database, {
        scale,
        seed: 1,
        asOf: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        digest: false,
        log: (m) => console.error(m),
      });
      generated = { seconds: (Date.now() - t0) / 1000, rows: Object.values(r.counts).reduce((a, b) => a + b, 0) };
      await deps.database.close();
    }
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    env.DATA_DIR = dataDir;

    const direct = await directSql(env, databaseUrl, dataDir);

    const port = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      const until = Date.now() + 300_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
        if (Date.now() > until) throw new Error('server did not become ready');
        const ok = await fetch(`${base}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const counts = direct.counts;
      const rows: string[] = [];
      const json: Record<string, unknown>[] = [];
      for (const s of SCOPES) {
        const cookie = await session(base, s.user);
        if (!cookie) {
          rows.push(`| ${s.label} | no such login at this scale | | | | | | | |`);
          continue;
        }
        const url = `${base}/api/v1/dashboard/summary?region=${s.region}`;
        const first = await fetch(url, { headers: { cookie } });
        if (first.status !== 200) throw new Error(`${s.user}: ${first.status} ${(await first.text()).slice(0, 300)}`);
        const summary = (await first.json()) as { tiles: { key: string; value: number | null }[] };
        const firms = summary.tiles.find((t) => t.key === 'parks.firms')?.value;
        const seq: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const t0 = performance.now();
          const r = await fetch(url, { headers: { cookie } });
          await r.arrayBuffer();
          if (r.status !== 200) throw new Error(`${s.user}: ${r.status}`);
          seq.push(performance.now() - t0);
        }
        // where the connections' requests, one after another, would take longer than BENCH_SECONDS, one wave (one
        // request per connection) instead of a timed run: in BENCH_SECONDS hardly any response would come back
        const load: Record<number, Awaited<ReturnType<typeof cannon>> & { wave: boolean; wallMs: number }> = {};
        for (const connections of [10, 50]) {
          const wave = quantile(seq, 0.5) * connections > SECONDS * 1000;
          const t0 = performance.now();
          const r = await cannon({
            url,
            connections,
            ...(wave ? { amount: connections, timeout: 600 } : { duration: SECONDS, timeout: 60 }),
            headers: { cookie },
          });
          load[connections] = Object.assign(r, { wave, wallMs: performance.now() - t0 });
        }
        const d = direct[s.user] as (typeof direct)[string] | undefined;
        const fmt = (r: (typeof load)[number]) => {
          const ok = r.statuses[200] ?? 0;
          const other = Object.entries(r.statuses)
            .filter(([k]) => k !== '200')
            .map(([k, v]) => `${k}×${v}`)
            .join(' ');
          const rate = r.wave ? (ok / (r.wallMs / 1000)).toFixed(2) : r.requests.average.toFixed(1);
          return `${r.wave ? `one wave of ${ok}: ` : ''}${rate} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${other || r.timeouts ? ` (${ok} ok; ${other}${r.timeouts ? ` timeouts ${r.timeouts}` : ''})` : ''}`;
        };
        rows.push(
          `| ${s.label} | ${firms ?? '–'} | ${quantile(seq, 0.5).toFixed(0)} | ${quantile(seq, 0.99).toFixed(0)} | ${fmt(load[10]!)} | ${fmt(load[50]!)} | ${d ? `${d.statements}` : '–'} | ${d ? `${d.p50.toFixed(0)} / ${d.p99.toFixed(0)}` : '–'} | ${d ? (quantile(seq, 0.5) / Math.max(0.1, d.p50)).toFixed(1) : '–'} |`,
        );
        json.push({
          scope: s,
          firmsInParks: firms,
          sequential: { p50: quantile(seq, 0.5), p99: quantile(seq, 0.99) },
          load,
          direct: d,
        });
      }
      const cpu = os.cpus();
      const header = [
        `### Cockpit B2 — ${new Date().toISOString().slice(0, 10)}, ${kind === 'postgres' ? 'PostgreSQL 15 (loopback)' : 'PGlite (worker thread)'}, scale ${scale.name}${reuse ? ' (reused database)' : ''}`,
        '',
        `Machine: ${cpu.length} cores (${cpu[0]?.model}), ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}; shared with other work while measured.` +
          (counts
            ? ` Database: ${counts.firms.toLocaleString('en')} firms, ${counts.parks.toLocaleString('en')} parks, ${counts.problems.toLocaleString('en')} problems.`
            : '') +
          (generated
            ? ` Generated in ${generated.seconds.toFixed(0)} s (${generated.rows.toLocaleString('en')} rows).`
            : ''),
        `\`GET /api/v1/dashboard/summary?region=…\`, server process with JOBS=off; ${ROUNDS} sequential requests; autocannon ${SECONDS} s per cell (one wave of one request per connection where p50 × connections exceeds that); direct = the statements one request runs (recorded in process), replayed one after another on a connection of our own.`,
        '',
        '| scope | parks.firms | seq p50 ms | seq p99 ms | 10 connections | 50 connections | statements | direct p50 / p99 ms | endpoint ÷ direct |',
        '|---|---|---|---|---|---|---|---|---|',
      ];
      const heavy = SCOPES.flatMap((s) => {
        const d = direct[s.user] as (typeof direct)[string] | undefined;
        return d
          ? [
              `- ${s.label}, heaviest statements (mean ms of the replay): ${d.heaviest.map((h) => `${h.ms.toFixed(0)} ms \`${h.sql.slice(0, 110)}…\``).join('; ')}`,
            ]
          : [];
      });
      console.log(`\n${[...header, ...rows, '', ...heavy].join('\n')}\n`);
      fs.writeFileSync(
        path.join(import.meta.dirname, `results-cockpit-${kind}.json`),
        `${JSON.stringify({ at: new Date().toISOString(), kind, scale: scale.name, generated, counts, results: json }, null, 2)}\n`,
      );
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    if (!reuse) fs.rmSync(dataDir, { recursive: true, force: true });
    await dropDb?.();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
