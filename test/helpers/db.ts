/** A fresh database for one test file: a clone of the run's template (PGlite dump or PostgreSQL template). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/server/db/client.ts';

export interface TestDatabase {
  database: Database;
  /** PostgreSQL URL of this file's database (PostgreSQL mode only). */
  url?: string;
  drop: () => Promise<void>;
}

export async function freshDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  const pgTemplate = inject('pgTemplate');
  if (base && pgTemplate) {
    const name = `miaopu_t_${crypto.randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${pgTemplate}`);
    } finally {
      await admin.end();
    }
    const u = new URL(base);
    u.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: u.toString(), poolSize: 8 });
    return {
      database,
      url: u.toString(),
      drop: async () => {
        await database.close().catch(() => {});
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
        await c.end();
      },
    };
  }
  const tar = fs.readFileSync(inject('pgliteTemplate'));
  const database = await openDatabase({ pgliteDir: 'memory://', loadDataDir: new Blob([tar]) });
  return { database, drop: () => database.close() };
}
