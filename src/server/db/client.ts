/**
 * The database: embedded PGlite (default) or a PostgreSQL server through a node-postgres pool (DATABASE_URL).
 * One Drizzle schema and one migrations folder serve both (DESIGN.md §7).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { type PgliteLike, WorkerPglite } from './pglite-worker-client.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Anything queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Rows of a raw parameterised query (used by the job queue adapter and the health check). */
export type RawQuery = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  raw: RawQuery;
  /** Runs parameterless, possibly multi-statement SQL. */
  exec: (text: string) => Promise<{ rows: Record<string, unknown>[] }>;
  migrate: () => Promise<void>;
  /** True when every migration in the folder is recorded as applied. */
  migrationsApplied: () => Promise<boolean>;
  close: () => Promise<void>;
  /** PGlite in a worker thread (default) or in process; both answer the same calls. */
  pglite?: PgliteLike;
  pool?: pg.Pool;
}

export interface OpenOptions {
  /** PostgreSQL server URL; when absent, PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; `memory://` for an in-memory database. */
  pgliteDir?: string;
  /** A PGlite data-directory dump to start from (tests clone a migrated template). */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /** Run PGlite on the main thread instead of a worker thread (the worker keeps HTTP responsive, decision 0021). */
  pgliteInProcess?: boolean;
}

function migrationCount(): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

async function countApplied(raw: RawQuery): Promise<number> {
  try {
    const r = await raw('select count(*)::int as n from drizzle.__drizzle_migrations');
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      /* idle client errors surface on the next query */
    });
    const db = drizzleNodePg(pool, { schema }) as unknown as Db;
    const raw: RawQuery = async (text, values) => {
      const r = await pool.query(text, values as unknown[] | undefined);
      return { rows: r.rows };
    };
    const database: Database = {
      kind: 'postgres',
      db,
      raw,
      exec: async (text) => {
        const r = await pool.query(text);
        const last = Array.isArray(r) ? r[r.length - 1] : r;
        return { rows: last?.rows ?? [] };
      },
      migrate: async () => {
        await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await migrateNodePg(drizzleNodePg(pool), { migrationsFolder });
      },
      migrationsApplied: async () => (await countApplied(raw)) >= migrationCount(),
      close: async () => {
        await pool.end();
      },
      pool,
    };
    return database;
  }

  const dir = opts.pgliteDir ?? 'memory://';
  const dataDir = dir === 'memory://' ? undefined : dir;
  let pglite: PgliteLike;
  if (opts.pgliteInProcess ?? process.env.MIAOPU_PGLITE_WORKER === 'off') {
    const inProcess = new PGlite({
      ...(dataDir ? { dataDir } : {}),
      extensions: { pg_trgm },
      loadDataDir: opts.loadDataDir,
    });
    await inProcess.waitReady;
    pglite = inProcess as unknown as PgliteLike;
  } else {
    pglite = await WorkerPglite.open({ dataDir, loadDataDir: opts.loadDataDir });
  }
  // drizzle-orm/pglite needs only query, exec and transaction of its client, which the worker proxy provides.
  const asPglite = pglite as unknown as PGlite;
  const db = drizzlePglite(asPglite, { schema }) as unknown as Db;
  const raw: RawQuery = async (text, values) => {
    const r = await pglite.query<Record<string, unknown>>(text, values as unknown[] | undefined);
    return { rows: r.rows };
  };
  return {
    kind: 'pglite',
    db,
    raw,
    exec: async (text) => {
      const results = await pglite.exec(text);
      return { rows: (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[] };
    },
    migrate: async () => {
      await pglite.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await migratePglite(drizzlePglite(asPglite), { migrationsFolder });
    },
    migrationsApplied: async () => (await countApplied(raw)) >= migrationCount(),
    close: async () => {
      if (!pglite.closed) await pglite.close();
    },
    pglite,
  };
}
