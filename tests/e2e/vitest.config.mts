import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: real Chromium (Debian's /usr/bin/chromium) → preview host → real core, one file at a time. */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Temporary folders go into one folder per run, removed at its end.
    globalSetup: ['tests/temp-root.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // The UI animates and the machine may be busy: give every expect.poll room.
    expect: { poll: { timeout: 15_000, interval: 100 } },
  },
});
