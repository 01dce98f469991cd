import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The real-runtime test has its own config and script (npm run test:tt-metal-mock).
    exclude: ['**/node_modules/**', 'test/tt-metal-mock*.test.ts'],
    // forks: every test file runs in its own process, so the process-wide tracker starts fresh.
    pool: 'forks',
    testTimeout: 60_000,
  },
});
