// `npm test`: pnpm 12 → install → Postgres and Redis → lint → typecheck (which builds) → vitest.
// Extra arguments go to vitest: `npm test -- packages/auth` runs only those files.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, buildWeb, ensureChromium, ensurePnpm, ensureServices, install, run } from './lib/bootstrap.mjs';

// Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to this process
// alone is passed on. Either way, wait for the child and stop after it.
let interrupted = false;
process.on('SIGINT', () => {
  interrupted = true;
});
process.on('SIGTERM', () => {
  interrupted = true;
  run.current?.kill('SIGTERM');
});

const pnpm = await ensurePnpm();
await install(pnpm);
await buildWeb(pnpm);
const { databaseUrl, redisUrl } = await ensureServices();
const chromium = await ensureChromium();
const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, CHROMIUM_PATH: chromium };
const pnpmRun = (script, args = []) => run(pnpm[0], [...pnpm.slice(1), 'run', script, ...args], { env });

// Every step runs even when one before it fails (a lint finding should not hide the test
// results); the exit code is the first non-zero one.
const results = [];
for (const [step, args] of [
  ['lint', []],
  ['typecheck', []],
  ['vitest', process.argv.slice(2)],
]) {
  if (interrupted) break;
  console.log(`\n── ${step} ──`);
  results.push({ step, code: await pnpmRun(step, args) });
}

// One plain closing line with the counts, whatever the runner printed above it.
try {
  const report = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/.cache/vitest-results.json'), 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  // No report: vitest did not run to the end; the exit code below says so.
}

const failed = results.filter((result) => result.code !== 0);
console.log(
  `\n${results.map(({ step, code }) => `${step}: ${code === 0 ? 'passed' : `failed (exit ${code})`}`).join(', ')}${interrupted ? ' (interrupted)' : ''}`,
);
process.exit(failed[0]?.code ?? (interrupted ? 130 : 0));
