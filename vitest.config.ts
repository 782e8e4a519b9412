import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts', 'services/*/tests/**/*.test.ts', 'packages/*/tests/**/*.test.ts', 'scripts/tests/**/*.test.mjs', 'tests/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
