import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** The stable name the API serves (short cache) next to the hashed one (cached for a year). */
const ALIAS = 'tidings-inbox.js';

/**
 * Copies the hashed entry to `tidings-inbox.js` once it is on disk, byte for byte (its source map
 * comment names the hashed map, which is served beside it), and writes `manifest.json` naming
 * both, so the API and embedders can pick either without listing the folder.
 */
function aliasAndManifest(): Plugin {
  return {
    name: 'tidings-inbox-alias',
    apply: 'build',
    async writeBundle(options, bundle) {
      const entry = Object.values(bundle).find((output) => output.type === 'chunk' && output.isEntry);
      if (!entry || !options.dir) throw new Error('the build produced no entry chunk');
      await copyFile(join(options.dir, entry.fileName), join(options.dir, ALIAS));
      await writeFile(join(options.dir, 'manifest.json'), `${JSON.stringify({ file: entry.fileName, alias: ALIAS }, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [aliasAndManifest()],
  // Production exports whatever NODE_ENV says (vitest sets `test`, which would pick Lit's dev build).
  resolve: { conditions: ['@tidings/source', 'module', 'browser', 'production'] },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    // One file for one <script type="module">: lit and the SDK are bundled, nothing is external.
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'tidings-inbox-[hash].js',
    },
    rolldownOptions: {
      // Lib mode keeps whitespace in ES output so that consumers can tree-shake it again; this
      // file is loaded as it is by a <script type="module">, so it is minified all the way.
      output: { minify: true },
    },
  },
});
