import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildServices } from '@tidings/test-support/build';
import { benchDir, repoRoot } from './setup.ts';

/** Every child this bench started; all are killed when the bench exits, however it exits. */
const children = new Set<ChildProcess>();
/** Children the bench asked to exit: any other exit is reported. */
const stopping = new WeakSet<ChildProcess>();

process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export const profilesDir = `${benchDir}profiles`;
const gcHook = `${benchDir}gc-hook.mjs`;

export interface Service {
  name: string;
  pid: number;
  alive(): boolean;
  /** Forces a full GC (the gc hook answers SIGUSR2). */
  gc(): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

function track(child: ChildProcess, name: string, onLine?: (line: string) => void): Service {
  children.add(child);
  const exited = once(child, 'exit').then(([code, signal]) => {
    children.delete(child);
    // A child that dies on its own may have had no chance to log why: at least say how it ended.
    if (!stopping.has(child)) console.log(`    [${name}] exited by itself (code ${code}, signal ${signal})`);
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      console.log(`    [${name}] ${line.slice(0, 400)}`);
      onLine?.(line);
    });
  }
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid!,
    alive,
    gc: () => {
      if (alive()) child.kill('SIGUSR2');
    },
    stop: async (graceMs = 15_000) => {
      if (!alive()) return;
      stopping.add(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Runs `node --expose-gc --import gc-hook <script>` from the repo root: a service's built `.js` as it
 * ships (built first), or a `.ts` script of the bench under tsx.
 */
export function startNodeService(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { cpuProf?: boolean; onLine?: (line: string) => void } = {},
): Service {
  if (script.endsWith('.js')) buildServices();
  const args = [
    '--expose-gc',
    '--import',
    gcHook,
    ...(script.endsWith('.ts') ? ['--conditions=@tidings/source', '--import', 'tsx'] : ['--enable-source-maps']),
  ];
  if (options.cpuProf) {
    // One folder per process: Node writes one profile per thread (tsx's loader thread too), named
    // CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile; the main thread's has thread id 0.
    const dir = `${profilesDir}/${name}-${Date.now()}`;
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  args.push(script);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return track(child, name, options.onLine);
}

/** A load worker: a forked process (IPC channel) running `script` under tsx. */
export function forkWorker(name: string, script: string): { child: ChildProcess; service: Service } {
  const child = fork(script, [], {
    cwd: repoRoot,
    execArgv: ['--conditions=@tidings/source', '--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  return { child, service: track(child, name) };
}

export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    stopping.add(child);
    child.kill('SIGKILL');
  }
}

/** User + system CPU seconds a process has used so far (from /proc), or undefined if it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted from after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Pids of processes on this machine whose command name is `comm` (postgres, redis-server), read-only. */
export function pidsNamed(comm: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
