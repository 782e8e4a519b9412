import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Every service a test file spawned; killed when the file's process exits, however it exits. */
const spawned = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * The services a test can run as their own process, by name: their built JavaScript, as `npm start`
 * and the image run them (the global setup builds what changed first).
 */
export const serviceEntries = {
  api: fileURLToPath(new URL('../services/api/dist/main.js', import.meta.url)),
  gateway: fileURLToPath(new URL('../services/gateway/dist/main.js', import.meta.url)),
  worker: fileURLToPath(new URL('../services/worker/dist/main.js', import.meta.url)),
  mailbox: fileURLToPath(new URL('../services/mailbox/dist/main.js', import.meta.url)),
} as const;

/** Variables of the caller a child needs to run at all; none of them configures Tidings. */
const PASSED_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'] as const;

/**
 * The environment a spawned service gets: exactly the configuration the test means, and of the
 * caller's environment only what any process needs to run. Whatever the shell running `npm test`
 * exported (a JWT_SECRET, a REDIS_PREFIX, NODE_ENV=production…) never reaches a service under test.
 */
export function serviceEnv(values: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...values };
}

export interface SpawnedService {
  name: string;
  child: ChildProcess;
  /** The `… listening` log line of the service (its `url`, for the mailbox `smtp` and `http`). */
  listening: Record<string, unknown>;
  /** The port of `listening.url` (or `listening.http`). */
  port: number;
  /** Lines the service logged, newest last (at most 2,000), for assertions and failure messages. */
  lines: string[];
  alive(): boolean;
  /** Sends `signal` (SIGTERM by default) and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a service as its own process, as `npm start` does, with `serviceEnv(values)`: for tests that
 * kill a service, restart it, or must see whether bad input takes a whole process down. Resolves
 * once it logs that it is listening; rejects if it exits first or takes longer than `timeoutMs`.
 */
export async function spawnService(
  name: string,
  entry: string,
  values: Readonly<Record<string, string>>,
  options: { timeoutMs?: number; echo?: boolean; uid?: number; gid?: number } = {},
): Promise<SpawnedService> {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env: serviceEnv(values),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  spawned.add(child);
  const exited = once(child, 'exit').then(() => spawned.delete(child));
  const lines: string[] = [];
  const alive = () => child.exitCode === null && child.signalCode === null;
  const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      // A service that never said it listens must not outlive the test that gave up on it.
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 30_000} ms:\n${lines.slice(-20).join('\n')}`));
    }, options.timeoutMs ?? 30_000);
    const onLine = (line: string) => {
      lines.push(line);
      if (lines.length > 2_000) lines.shift();
      if (options.echo) console.log(`[${name}] ${line}`);
      const entry = parseLine(line);
      if (entry && typeof entry.msg === 'string' && entry.msg.endsWith('listening')) {
        clearTimeout(timer);
        resolve(entry);
      }
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before listening:\n${lines.slice(-20).join('\n')}`));
    });
  });
  const logged = listening.url ?? listening.http;
  const address = typeof logged === 'string' ? logged : '';
  return {
    name,
    child,
    listening,
    port: address ? Number(new URL(address).port) : 0,
    lines,
    alive,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!alive()) return;
      child.kill(signal);
      await exited;
    },
  };
}

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
