// One lint for the whole workspace: `pnpm lint` (ESLint with typescript-eslint's type-aware rules,
// then Prettier's check). TypeScript files are linted with the types of the project they belong to.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/db/drizzle/**', 'docs/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // An async method without await is how an in-memory implementation meets an async interface.
      '@typescript-eslint/require-await': 'off',
      // Sanitising text means matching control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Every file stays a room a reader can take in: up to 300 lines (blank lines and comments not counted).
    files: ['**/*.{ts,tsx,js,mjs}'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    // In production code, functions up to 80 lines too.
    files: ['packages/*/src/**/*.{ts,tsx}', 'services/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'packages/client/src/testing/**'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Lit calls an event listener bound in a template with the element as `this`.
    files: ['packages/inbox/src/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Tests, benches and tools read JSON answers and fixtures as they come; what they assert is the
    // check. Production code gets every unsafe-any rule.
    files: ['**/tests/**', '**/*.test.ts', '**/*.test.tsx', '**/bench/**', '**/scripts/**', 'test-support/**', 'k6/**', 'packages/client/src/testing/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }] },
  },
  { files: ['services/api/web/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  {
    // k6 scripts run in k6's own JavaScript runtime, not in Node.
    files: ['k6/**/*.js'],
    languageOptions: { globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly' } },
  },
);
