/** Process entry: config, data-directory lock, database, app, listen, graceful shutdown (REL-05). */
import { buildApp } from './app.ts';
import { createDeps } from './bootstrap.ts';
import { ConfigError, loadConfig } from './config.ts';
import { acquireDataDirLock, DataDirLockedError } from './db/lock.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './db/seed/index.ts';
import { SYSTEM_ACTOR } from './platform/audit.ts';

async function main() {
  const started = Date.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  let release = () => {};
  try {
    // PGlite does not lock its directory; files and keys live there in both modes, so lock always.
    release = acquireDataDirLock(config.dataDir);
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(e.message);
      process.exit(3);
    }
    throw e;
  }
  const deps = await createDeps(config, { log: (m) => console.log(m) });
  const app = await buildApp(deps);
  await deps.jobs.start({ work: config.jobs });
  if (config.jobs) {
    deps.jobs.startDailySchedule(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), SYSTEM_ACTOR);
    deps.notifications.startChannels();
  }
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;

  const lines = [
    '',
    `苗圃 Miaopu is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: http://localhost:${port}`,
    `  database: ${deps.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}; profile: ${config.profile}`,
    `  API docs: http://localhost:${port}/api/docs`,
  ];
  if (config.profile !== 'production') {
    lines.push(`  demo logins (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => u.username).join(', ')}`);
  }
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.draining = true;
    app.log.info({ signal }, 'draining: readiness now 503, finishing in-flight requests');
    const force = setTimeout(() => {
      app.log.error('shutdown grace period over; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    force.unref();
    const t0 = Date.now();
    const took: Record<string, number> = {};
    const step = async (name: string, f: () => Promise<unknown>) => {
      const s = Date.now();
      await f();
      took[name] = Date.now() - s;
    };
    try {
      await step('http', () => app.close());
      await step('channels', () => deps.notifications.stopChannels());
      await step('jobs', () => deps.jobs.stop());
      await step('database', () => deps.database.close());
      app.log.info({ ms: Date.now() - t0, took }, 'stopped');
    } finally {
      release();
      clearTimeout(force);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
