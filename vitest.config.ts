import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    pool: 'forks',
    // Most test time is waiting (on child processes, polls, the database), not computing: on a
    // 2-core machine vitest's default of one worker ran the files one after another.
    maxWorkers: 3,
    // A ceiling, not a measure: every wait inside a test has its own bound, and a loaded CI machine
    // may be several times slower than a laptop.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
