import { defineConfig } from 'vitest/config';

/** Heavy tests that measure latency under load: one file at a time, nothing else running beside them. */
export default defineConfig({
  test: {
    include: ['test/enterprise-import.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
