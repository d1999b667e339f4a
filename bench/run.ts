/**
 * `npm run bench`: latency of the main read endpoints, in process (app.inject, no network), on the demo data
 * multiplied by BENCH_SCALE (default 10: ≈4,000 projects and ≈1,500 parks). PGlite by default; the PostgreSQL
 * server when DATABASE_URL is set (a fresh database, dropped afterwards). Prints a Markdown table and writes
 * bench/results-<db>.json. Targets (security.md REL-08, as a reference): list p99 < 300 ms, detail p99 < 100 ms.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { createDeps } from '../src/server/bootstrap.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { DEMO_PASSWORD } from '../src/server/db/seed/index.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

async function main() {
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const name = `miaopu_bench_${crypto.randomBytes(4).toString('hex')}`;
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-bench-'));
  const config = loadConfig({
    MIAOPU_PROFILE: 'demo',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    MIAOPU_MASTER_KEY: 'b2'.repeat(32),
  });
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: 'memory://' });
  const t0 = Date.now();
  const deps = await createDeps(config, { database });
  const seedMs = Date.now() - t0;
  const { db } = database;
  // scale up by copying projects and parks with new codes
  for (let k = 1; k < SCALE; k++) {
    await db.execute(sql`insert into projects (code, name, owner_name, owner_org_id, region_code, industry_class, industry_code,
        total_investment_wan, responsible_org_id, responsible_unit, responsible_person, stage, signed_on, performed_on,
        planned_start_on, started_on, planned_production_on, production_on, planned_effective_on, effective_on, performance_evidence)
      select code || '-x' || ${k}, name, owner_name, owner_org_id, region_code, industry_class, industry_code, total_investment_wan,
        responsible_org_id, responsible_unit, responsible_person, stage, signed_on, performed_on, planned_start_on, started_on,
        planned_production_on, production_on, planned_effective_on, effective_on, performance_evidence
      from projects where code not like '%-x%'`);
    await db.execute(sql`insert into parks (code, name, region_code, address, lng, lat, category, development_mode, land_area_mu,
        floor_area_m2, planned_investment_wan, industry_codes, positioning, stage, monitored_from)
      select code || '-x' || ${k}, name || ' ' || ${k}, region_code, address, lng, lat, category, development_mode, land_area_mu,
        floor_area_m2, planned_investment_wan, industry_codes, positioning, stage, monitored_from
      from parks where code not like '%-x%'`);
  }
  await db.execute(sql`analyze`);
  const counts = (await db.execute(
    sql`select (select count(*) from projects)::int as projects, (select count(*) from parks)::int as parks`,
  )) as unknown as { rows: { projects: number; parks: number }[] };
  const app = await buildApp(deps, { logger: false });
  await app.ready();
  const cookies: Record<string, string> = {};
  const csrf = await app.inject({ url: '/api/v1/auth/csrf' });
  for (const c of csrf.cookies) cookies[c.name] = c.value;
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'city.admin', password: DEMO_PASSWORD },
    cookies,
    headers: { 'x-csrf-token': cookies.miaopu_csrf! },
  });
  for (const c of login.cookies) cookies[c.name] = c.value;
  const projectId = (
    (await app.inject({ url: '/api/v1/projects?pageSize=1', cookies })).json() as { items: { id: string }[] }
  ).items[0]!.id;
  const parkId = (
    (await app.inject({ url: '/api/v1/parks?pageSize=1', cookies })).json() as { items: { id: string }[] }
  ).items[0]!.id;
  const cases: [string, string][] = [
    [
      'project list (20, sorted, filtered by batch)',
      '/api/v1/projects?batch=4&kind=start&pageSize=20&sort=totalInvestment&order=desc',
    ],
    ['project list warning=red', '/api/v1/projects?warning=red&pageSize=20'],
    ['project detail', `/api/v1/projects/${projectId}`],
    ['project KPIs batch 4, 郑州', '/api/v1/projects/kpis?batch=4&region=410100'],
    ['park list (20, overdue filter)', '/api/v1/parks?overdue=true&pageSize=20'],
    ['park detail (timeline)', `/api/v1/parks/${parkId}`],
    ['park stats 郑州 2022-06-09', '/api/v1/parks/stats?region=410100&asOf=2022-06-09'],
    ['park map points', '/api/v1/parks/map'],
  ];
  const results: { name: string; p50: number; p95: number; p99: number; perSecond: number }[] = [];
  for (const [name, url] of cases) {
    for (let i = 0; i < 5; i++) await app.inject({ url, cookies }); // warm-up
    const times: number[] = [];
    const start = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) {
      const s = process.hrtime.bigint();
      const r = await app.inject({ url, cookies });
      if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    const total = Number(process.hrtime.bigint() - start) / 1e9;
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    results.push({ name, p50: q(0.5), p95: q(0.95), p99: q(0.99), perSecond: ROUNDS / total });
  }
  const kind = databaseUrl ? 'postgres' : 'pglite';
  const header = `| endpoint (${kind}, ${counts.rows[0]!.projects} projects, ${counts.rows[0]!.parks} parks) | p50 ms | p95 ms | p99 ms | req/s |`;
  console.log(
    `\nseed ${seedMs} ms; ${ROUNDS} sequential requests per endpoint; ${os.cpus().length} cores, ${os.cpus()[0]?.model}\n`,
  );
  console.log(header);
  console.log('|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.perSecond.toFixed(0)} |`,
    );
  fs.writeFileSync(
    path.join(import.meta.dirname, `results-${kind}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), kind, scale: SCALE, rounds: ROUNDS, counts: counts.rows[0], seedMs, results }, null, 2)}\n`,
  );
  await app.close();
  await database.close();
  await dropDb?.();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
