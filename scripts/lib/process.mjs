// Process helpers for the bootstrap scripts. Node built-ins only: these run before any install.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DATA_DIR = path.join(ROOT, '.data');
export const isWindows = process.platform === 'win32';

/** Spawns `cmd args` with inherited stdio; resolves its exit code (128 + signal when killed, 127 when missing). */
export function run(cmd, args = [], opts = {}) {
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', shell: isWindows, ...opts });
    } catch (error) {
      console.error(`could not run ${cmd}: ${error.message}`);
      resolve(127);
      return;
    }
    run.current = child;
    child.on('error', (error) => {
      console.error(`could not run ${cmd}: ${error.message}`);
    });
    child.on('close', (code, signal) => {
      if (run.current === child) run.current = undefined;
      resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1));
    });
  });
}
/** The child `run` is currently waiting for, so callers can forward signals to it. */
run.current = undefined;

function signalNumber(signal) {
  const numbers = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal];
}

/** Runs a command quietly; returns { status, stdout, stderr } (status null when missing or timed out). */
export function capture(cmd, args = [], opts = {}) {
  const result = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 30_000, shell: isWindows, ...opts });
  return { status: result.error ? null : result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function majorOf(text) {
  const match = /(\d+)\.\d+/.exec(text);
  return match ? Number(match[1]) : undefined;
}

export function say(line) {
  console.log(line);
}
