import { defineConfig } from 'vitest/config';

/** Runs the screenshot scripts (`*.shots.ts`), which the test suite leaves out, with the suite's global setup. */
export default defineConfig({
  test: {
    include: ['tests/e2e/*.shots.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    pool: 'forks',
    hookTimeout: 120_000,
  },
});
