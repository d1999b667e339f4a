/**
 * `npm run generate -- --scale tiny|city|province|national --seed N [--as-of YYYY-MM-DD] [--dry-run]` (issue #19):
 * adds generated data to the database the server uses (DATA_DIR for PGlite, DATABASE_URL for PostgreSQL), after
 * migrating it and seeding the demo if it is empty. Holds the data-directory lock, so it refuses to run beside a
 * live server on the same PGlite directory. Prints progress and the elapsed time. See docs/generator.md.
 */
import { parseArgs } from 'node:util';
import { createDeps } from '../server/bootstrap.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { GeneratorError, generate, parseScale, tableCounts } from '../server/db/generate/index.ts';
import { acquireDataDirLock, DataDirLockedError } from '../server/db/lock.ts';
import { todayShanghai } from '../server/modules/projects/service.ts';
import { SYSTEM_ACTOR } from '../server/platform/audit.ts';

const USAGE =
  'usage: npm run generate -- --scale tiny|city|province|national [--seed N] [--as-of YYYY-MM-DD] [--dry-run] [--digest]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'as-of': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      digest: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.scale) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const scale = parseScale(values.scale);
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new GeneratorError(`--seed must be a whole number ≥ 0`);
  const config = loadConfig();
  if (scale.postgresOnly && !config.databaseUrl && !values['dry-run'])
    throw new GeneratorError(
      `scale "${scale.name}" needs PostgreSQL: set DATABASE_URL=postgres://… (the embedded PGlite database is not meant for ${scale.firms.toLocaleString('en')} firms)`,
    );
  const release = acquireDataDirLock(config.dataDir);
  const t0 = Date.now();
  const log = (m: string) => console.log(m);
  const deps = await createDeps(config, { log });
  try {
    const where = deps.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.dataDir})`;
    const asOf = values['as-of'] ?? todayShanghai(new Date());
    console.log(
      `generating scale ${scale.name} (seed ${seed}, as of ${asOf}) into ${where}; migrated and seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    const r = await generate(deps.database, {
      scale,
      seed,
      asOf,
      dryRun: values['dry-run'],
      digest: values.digest || values['dry-run'],
      log,
    });
    if (!values['dry-run'])
      await deps.database.db.transaction((tx) =>
        deps.audit.write(tx, SYSTEM_ACTOR, {
          action: 'generate.data',
          summary: { scale: scale.name, seed, asOf, rows: r.counts, digest: r.digest },
        }),
      );
    const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
    console.log(`\nrows written (${values['dry-run'] ? 'dry run: nothing written' : where}):`);
    for (const [t, n] of Object.entries(r.counts))
      console.log(`  ${t.padEnd(32)} ${n.toLocaleString('en').padStart(12)}`);
    console.log(`  ${'total'.padEnd(32)} ${total.toLocaleString('en').padStart(12)}`);
    if (!values['dry-run']) {
      const now = await tableCounts(deps.database, ['enterprises', 'parks', 'assistance_problems']);
      console.log(`database now holds ${JSON.stringify(now)}`);
    }
    if (r.provinceUser) console.log(`province-level login: ${r.provinceUser} (the demo password)`);
    if (r.digest) console.log(`digest ${r.digest}`);
    console.log(
      `generator ${(r.ms / 1000).toFixed(1)} s, ${Math.round(total / (r.ms / 1000)).toLocaleString('en')} rows/s; total ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    return 0;
  } finally {
    await deps.database.close();
    release();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    if (e instanceof ConfigError || e instanceof DataDirLockedError || e instanceof GeneratorError)
      console.error(e.message);
    else console.error(e);
    process.exit(1);
  });
