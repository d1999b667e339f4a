/** Wires the app's dependencies: database (migrated, seeded), keys, audit, regions, jobs, files. */
import path from 'node:path';
import type { Config } from './config.ts';
import { type Database, openDatabase } from './db/client.ts';
import { seed } from './db/seed/index.ts';
import { AuditService } from './platform/audit.ts';
import { type AppDeps, type Clock, systemClock } from './platform/context.ts';
import { FieldCipher } from './platform/field-cipher.ts';
import { FileStore } from './platform/files.ts';
import { JobService } from './platform/jobs.ts';
import { type KeyProvider, loadKeyProvider } from './platform/keys.ts';
import { NotificationService } from './platform/notifications.ts';
import { RegionIndex } from './platform/region-index.ts';
import { SettingsService } from './platform/settings.ts';

export interface BootstrapOptions {
  database?: Database;
  keys?: KeyProvider;
  clock?: Clock;
  /** Seed on an empty database (default true). */
  seed?: boolean;
  log?: (msg: string) => void;
}

export async function createDeps(config: Config, opts: BootstrapOptions = {}): Promise<AppDeps> {
  const log = opts.log ?? (() => {});
  const database =
    opts.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      pgliteDir: path.join(config.dataDir, 'pgdata'),
    }));
  await database.migrate();
  if (config.profile === 'production' && database.kind === 'postgres') {
    const r = await database.raw('show fsync');
    if (r.rows[0]?.fsync !== 'on') throw new Error('MIAOPU_PROFILE=production requires PostgreSQL with fsync=on');
  }
  const keys = opts.keys ?? loadKeyProvider({ masterKey: config.masterKey, dataDir: config.dataDir });
  const audit = new AuditService(keys);
  const cipher = new FieldCipher(keys);
  if (opts.seed !== false) {
    const result = await seed(database, audit, config.profile, cipher);
    if (result.seeded) log(`seeded: ${JSON.stringify(result)}`);
  }
  const regions = new RegionIndex();
  await regions.load(database.db);
  return {
    config,
    database,
    keys,
    cipher,
    audit,
    regions,
    settings: new SettingsService(),
    notifications: new NotificationService(),
    files: new FileStore(path.join(config.dataDir, 'files')),
    jobs: new JobService(database, (msg, err) => console.error(msg, err)),
    clock: opts.clock ?? systemClock,
    draining: false,
  };
}
