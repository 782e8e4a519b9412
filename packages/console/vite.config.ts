import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console is a static single-page app under `/console/`: `index.html` (served by the API for
 * every `/console/*` path, never cached) and content-hashed assets (cached for a year).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  resolve: { conditions: ['@tidings/source', 'module', 'browser', 'production'] },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Scripts and styles only as files (the page's policy has no 'unsafe-inline' for scripts).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      // TanStack Query marks its modules "use client" for server components; a client-only bundle has nothing to keep.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
