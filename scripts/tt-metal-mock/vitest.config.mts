import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Only the real-runtime test (npm run test:tt-metal-mock): the default config leaves it out.
export default defineConfig({
  root: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
  test: {
    include: ['test/tt-metal-mock*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
  },
});
