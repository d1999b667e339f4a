/**
 * Builds one migrated and seeded template database per test run (STYLE.md item 7): a PGlite data-directory
 * dump, or with DATABASE_URL a PostgreSQL template database that each test file clones and drops.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/server/db/client.ts';
import { seed } from '../src/server/db/seed/index.ts';
import { AuditService } from '../src/server/platform/audit.ts';
import { FieldCipher } from '../src/server/platform/field-cipher.ts';
import { SoftwareKeyProvider } from '../src/server/platform/keys.ts';
import { TEST_MASTER_KEY } from './helpers/constants.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const keys = new SoftwareKeyProvider(TEST_MASTER_KEY);
  const audit = new AuditService(keys);
  const cipher = new FieldCipher(keys);
  const url = process.env.DATABASE_URL;
  if (url) {
    const name = `miaopu_tpl_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 2 });
    await database.migrate();
    await seed(database, audit, 'test', cipher);
    await database.close();
    project.provide('pgTemplate', name);
    project.provide('pgliteTemplate', '');
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const database = await openDatabase({ pgliteDir: 'memory://' });
  await database.migrate();
  await seed(database, audit, 'test', cipher);
  const dump = await database.pglite!.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `miaopu-template-${process.pid}-${Date.now()}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  project.provide('pgliteTemplate', file);
  project.provide('pgTemplate', '');
  return () => fs.rmSync(file, { force: true });
}
