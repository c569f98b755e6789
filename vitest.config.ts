import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The embedded Postgres runs every query of every connection one after another, so test files
// sharing it gain nothing from running side by side and would only wait on each other's
// transactions; a real server takes them in parallel.
const realServer = Boolean(process.env.DATABASE_URL);

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    globalSetup: 'tests/setup/database.ts',
    fileParallelism: realServer,
    // Starting PGlite (a fresh data directory) takes seconds on a slow machine.
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
});
