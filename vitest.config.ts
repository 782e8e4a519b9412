import { defineConfig } from 'vitest/config';

/** Tests import every workspace package from its TypeScript source, not from its build. */
const source = '@tidings/source';
/** Vite's default conditions, which `conditions` replaces rather than extends. */
const clientDefaults = ['module', 'browser', 'development|production'];
const serverDefaults = ['module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions: [source, ...clientDefaults] },
  ssr: { resolve: { conditions: [source, ...serverDefaults] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'services/*/tests/**/*.test.ts',
      'packages/*/tests/**/*.test.ts',
      'scripts/tests/**/*.test.mjs',
      'tests/**/*.test.ts',
    ],
    globalSetup: ['./test-support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
