import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file starts its own server on a free port and works in its own tenants, so files
    // run in parallel against the one database that global setup creates for the run.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
