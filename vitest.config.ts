import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // forks: every test file runs in its own process, so the process-wide tracker starts fresh.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
