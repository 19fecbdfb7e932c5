import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Playwright end-to-end specs run under Playwright, not vitest.
    exclude: ['tests/e2e/**', '**/node_modules/**', 'dist/**', 'release/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // better-sqlite3 is a native addon: child processes, not worker threads.
    pool: 'forks',
    // Two files at a time: most test time is spent waiting on child processes (the CLI, servers, PostgreSQL,
    // OCR workers), and on a 2-core machine vitest's default (cores − 1) ran the files one after another.
    maxWorkers: 2,
    // Integration tests run the built `slipvault` CLI; build it once, fresh, before any test. Temporary
    // folders go into one folder per run, removed at its end.
    globalSetup: ['tests/global-setup.ts', 'tests/temp-root.ts'],
  },
});
