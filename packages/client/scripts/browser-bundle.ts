import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The client package's folder. */
const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface OutputChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  code?: string;
}

export interface BrowserBundle {
  /** The minified ES module, as one string. */
  code: string;
  /** Where it was written, when `outDir` was given. */
  file: string | undefined;
}

/**
 * Bundles the SDK's public entry for browsers (one minified ES module, every dependency inlined),
 * as an app's bundler would; with `outDir` it is also written there as `tidings-client.js`.
 */
export async function bundleForBrowser(outDir?: string): Promise<BrowserBundle> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: packageDir,
    resolve: { conditions: ['@tidings/source', 'module', 'browser', 'production'] },
    build: {
      lib: { entry: path.join(packageDir, 'src/index.ts'), formats: ['es'], fileName: () => 'tidings-client.js' },
      target: 'es2022',
      minify: true,
      write: outDir !== undefined,
      outDir: outDir ?? path.join(packageDir, 'dist/browser'),
      emptyOutDir: true,
      copyPublicDir: false,
      // Library mode keeps whitespace for the app's bundler to strip; strip it here, as that bundler would.
      rolldownOptions: { output: { minify: true } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: OutputChunk[] }>;
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk' && o.code !== undefined);
  if (!chunk?.code) throw new Error('vite produced no chunk');
  return { code: chunk.code, file: outDir === undefined ? undefined : path.join(outDir, chunk.fileName) };
}
