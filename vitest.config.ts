import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    pool: 'forks',
    // A ceiling, not a measure: every wait inside a test has its own bound, and a loaded CI machine
    // may be several times slower than a laptop.
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
