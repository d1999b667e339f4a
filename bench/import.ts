/**
 * `npm run bench:import`: enterprise import throughput (rows/s) on the embedded PGlite (or DATABASE_URL), and
 * its ratio to a bare ExcelJS streaming read of the same file (and to our own streaming row reader).
 * BENCH_ROWS (default 100,000).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { usccCheckChar } from '../src/domain/uscc.ts';
import { buildApp } from '../src/server/app.ts';
import { createDeps } from '../src/server/bootstrap.ts';
import { loadConfig } from '../src/server/config.ts';
import { openDatabase } from '../src/server/db/client.ts';
import { jobRuns } from '../src/server/db/schema/index.ts';
import { DEMO_PASSWORD } from '../src/server/db/seed/index.ts';
import { readXlsxRows } from '../src/server/platform/xlsx-rows.ts';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function uscc(n: number) {
  let s = '';
  for (let i = 0, v = n; i < 6; i++, v = Math.floor(v / 31)) s = CHARS[v % 31] + s;
  const first17 = `91410108MB9${s}`;
  return first17 + usccCheckChar(first17);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'miaopu-bench-import-'));
  const file = path.join(dir, 'rows.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('企业');
  ws.addRow([
    '统一社会信用代码',
    '企业名称',
    '所属区县(市)',
    '行业代码',
    '成立日期',
    '注册资本(万元)',
    '法定代表人',
    '地址',
  ]).commit();
  for (let i = 0; i < ROWS; i++)
    ws.addRow([uscc(i), `基准测试企业${i}号`, '惠济区', 'C3411', '2019-06-01', 100, '张三', '']).commit();
  ws.commit();
  await wb.commit();
  const bytes = fs.readFileSync(file);

  let t = performance.now();
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(bytes), {
    worksheets: 'emit',
    sharedStrings: 'cache',
  });
  for await (const sheet of reader) {
    for await (const _row of sheet as AsyncIterable<unknown>) n++;
    break;
  }
  const exceljsMs = performance.now() - t;
  t = performance.now();
  let m = 0;
  for await (const _ of readXlsxRows(bytes)) m++;
  const ownMs = performance.now() - t;

  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const name = `miaopu_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    drop = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const config = loadConfig({
    MIAOPU_PROFILE: 'demo',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    MIAOPU_MASTER_KEY: 'c3'.repeat(32),
  });
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: 'memory://' });
  const deps = await createDeps(config, { database });
  const app = await buildApp(deps, { logger: false });
  await deps.jobs.start({ work: true });
  await app.ready();
  const cookies: Record<string, string> = {};
  for (const c of (await app.inject({ url: '/api/v1/auth/csrf' })).cookies) cookies[c.name] = c.value;
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'city.admin', password: DEMO_PASSWORD },
    cookies,
    headers: { 'x-csrf-token': cookies.miaopu_csrf! },
  });
  for (const c of login.cookies) cookies[c.name] = c.value;
  const boundary = '----bench';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rows.xlsx"\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  t = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/enterprises/import',
    payload,
    cookies,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'x-csrf-token': cookies.miaopu_csrf!,
      'x-row-count': String(ROWS),
    },
  });
  const jobId = (res.json() as { jobId: string }).jobId;
  let status = 'queued';
  while (status === 'queued' || status === 'running') {
    await new Promise((r) => setTimeout(r, 200));
    status = (await database.db.select({ s: jobRuns.status }).from(jobRuns).where(eq(jobRuns.id, jobId)))[0]!.s;
  }
  const importMs = performance.now() - t;
  if (status !== 'succeeded') throw new Error(`import ${status}`);
  const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000));
  console.log(`\n${ROWS} rows; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; database ${database.kind}\n`);
  console.log('| step | seconds | rows/s |');
  console.log('|---|---|---|');
  console.log(`| ExcelJS streaming read only (${n} rows) | ${(exceljsMs / 1000).toFixed(2)} | ${rate(n, exceljsMs)} |`);
  console.log(`| our streaming row reader only (${m} rows) | ${(ownMs / 1000).toFixed(2)} | ${rate(m, ownMs)} |`);
  console.log(
    `| full import job (upload → validated → written → published) | ${(importMs / 1000).toFixed(2)} | ${rate(ROWS, importMs)} |`,
  );
  console.log(`\nimport throughput / bare ExcelJS read = ${(exceljsMs / importMs).toFixed(2)}`);
  fs.writeFileSync(
    path.join(import.meta.dirname, `import-${database.kind}.json`),
    `${JSON.stringify({ at: new Date().toISOString(), rows: ROWS, exceljsMs, ownMs, importMs }, null, 2)}\n`,
  );
  await app.close();
  await deps.jobs.stop();
  await database.close();
  await drop?.();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
