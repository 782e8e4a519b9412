// pnpm 12 for the bootstrap scripts. Node built-ins only: these run before any install.
import fs from 'node:fs';
import path from 'node:path';
import { capture, isWindows, majorOf, run, say } from './process.mjs';

const PNPM_VERSION = '12.21.0';
const PNPM_MAJOR = 12;

function pnpmMajor(prefix) {
  const { status, stdout } = capture(prefix[0], [...prefix.slice(1), '--version'], { timeout: 120_000 });
  return status === 0 ? majorOf(stdout.trim()) : undefined;
}

/**
 * Returns the command prefix that runs pnpm 12, e.g. ['pnpm'] or ['npx', '--yes', 'pnpm@12.21.0'].
 * Installs it globally with npm when missing (no corepack: its signature check fails for pnpm 12).
 */
export async function ensurePnpm() {
  if (pnpmMajor(['pnpm']) === PNPM_MAJOR) return ['pnpm'];

  say(`pnpm: installing pnpm@${PNPM_VERSION} with npm install -g`);
  const code = await run('npm', ['install', '-g', `pnpm@${PNPM_VERSION}`, '--no-fund', '--no-audit']);
  if (code === 0) {
    if (pnpmMajor(['pnpm']) === PNPM_MAJOR) return ['pnpm'];
    // Installed, but another pnpm comes first on PATH: use the one npm just installed.
    const prefix = capture('npm', ['prefix', '-g']).stdout.trim();
    if (prefix) {
      const bin = isWindows ? path.join(prefix, 'pnpm.cmd') : path.join(prefix, 'bin', 'pnpm');
      if (fs.existsSync(bin) && pnpmMajor([bin]) === PNPM_MAJOR) return [bin];
    }
  }

  say(`pnpm: global install not possible, using npx --yes pnpm@${PNPM_VERSION}`);
  const npx = ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
  if (pnpmMajor(npx) === PNPM_MAJOR) return npx;
  console.error(`pnpm ${PNPM_MAJOR} is needed and could not be installed: run \`npm install -g pnpm@${PNPM_VERSION}\` and try again.`);
  process.exit(1);
}

/** Runs one pnpm command; a failure ends the bootstrap with pnpm's exit code, saying what failed. */
async function pnpmOrExit(pnpm, args, what, env = process.env) {
  const code = await run(pnpm[0], [...pnpm.slice(1), ...args], { env });
  if (code !== 0) {
    console.error(`${what} failed (exit ${code})`);
    process.exit(code);
  }
}

/** `pnpm install --frozen-lockfile`: the lockfile is the truth, locally as in CI. */
export async function install(pnpm) {
  await pnpmOrExit(pnpm, ['install', '--frozen-lockfile'], 'pnpm install');
}

/** Compiles every package and service to JavaScript (`tsc -b`: only what changed since the last build). */
export async function build(pnpm, env = process.env) {
  await pnpmOrExit(pnpm, ['run', 'build'], 'building the services', env);
}

/** Builds what the API serves to browsers (the `<tidings-inbox>` bundle and the console); exits when a build fails. */
export async function buildWeb(pnpm, env = process.env) {
  await pnpmOrExit(pnpm, ['--filter', '@tidings/inbox', 'run', 'build'], 'building the inbox element', env);
  await pnpmOrExit(pnpm, ['--filter', '@tidings/console', 'run', 'build'], 'building the console', env);
}
