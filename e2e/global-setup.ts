/**
 * Seeds the demo once per browser-test run: starts the real server on a fresh data directory (and, with
 * DATABASE_URL, a fresh PostgreSQL database) with the job workers off, stops it gracefully, and hands the data
 * directory and database to every test file as the template its own server copies (e2e/helpers/server.ts). Each
 * copy runs the start-up daily jobs itself, as a freshly installed server does.
 */
import { rm } from 'node:fs/promises';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startServer } from './helpers/server.ts';

export default async function setup(project: TestProject) {
  const started = Date.now();
  const server = await startServer({ fresh: true, keep: true, env: { JOBS: 'off' } });
  await server.stop();
  console.log(`e2e template seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('e2eTemplate', { dataDir: server.dataDir, database: server.databaseName });
  return async () => {
    await rm(server.dataDir, { recursive: true, force: true });
    const adminUrl = process.env.DATABASE_URL;
    if (adminUrl && server.databaseName) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${server.databaseName}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }
  };
}
