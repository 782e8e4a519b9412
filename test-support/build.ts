import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** Whether this process has built already: a bench that starts several services builds once. */
let built = false;

/**
 * Compiles what changed since the last build (`tsc -b tsconfig.build.json`: every package and
 * service into its `dist/`), so that spawned services run the JavaScript that ships, never a stale
 * copy of it. A no-op build takes well under a second.
 */
export function buildServices(): void {
  if (built) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc -b tsconfig.build.json failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  built = true;
}
