import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export { repoRoot } from '@tidings/test-support/build';

const execFileAsync = promisify(execFile);

/** Runs a command to its end; rejects with its output when it fails. */
export async function sh(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) {
  try {
    return await execFileAsync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 32 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${options.cwd}:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** The pnpm that runs this test (pnpm 12 is one executable), else the one on PATH. */
export const pnpm = process.env.npm_execpath?.includes('pnpm') ? process.env.npm_execpath : 'pnpm';
