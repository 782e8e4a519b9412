import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDatabase, dropDatabase } from '@tidings/db';
import { freePort, lockBenchRun as lockRun, recreateDatabase } from '@tidings/test-support/bench';
import { buildServices } from '@tidings/test-support/build';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const benchDir = fileURLToPath(new URL('./', import.meta.url));
export const profilesDir = `${benchDir}profiles`;

export const BENCH_DB = 'tidings_emailbench';
/** A notification type that sends email by default: every bench recipient gets one per send. */
export const BENCH_TYPE = 'bench-email';
/** Held by the recipients of the backlog broadcast, and of the warm-up broadcast before it. */
export const BULK_ROLE = 'email-bench-bulk';
export const WARM_ROLE = 'email-bench-warm';

export const steadyUser = (n: number) => `steady-${n}`;
export const addressOf = (userId: string) => `${userId}@bench.test`;

/** The local Postgres server (or DATABASE_URL's) with the bench database in it. */
export function benchDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings');
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

/** Keys of this run only: a unique prefix, so a crashed earlier run can never feed this one. */
export function uniqueRedisPrefix(): string {
  return `tidings_emailbench:${process.pid}-${Date.now().toString(36)}:`;
}

/** One run at a time per Postgres server, since a run drops and recreates the bench database. */
export const lockBenchRun = (url: string) => lockRun(url, BENCH_DB);

export { recreateDatabase };

export { dropDatabase };

/**
 * The email type, `warm` and `bulk` recipients with their roles and `steady` single-send
 * recipients, each with its own address and no preferences (so the type's default, email on, applies).
 */
export async function seedRecipients(url: string, counts: { warm: number; bulk: number; steady: number }): Promise<void> {
  const database = createDatabase(url, { max: 1, applicationName: 'tidings-emailbench-seed' });
  const { sql } = database;
  try {
    await sql`insert into notification_types (key, description, default_email) values (${BENCH_TYPE}, 'email benchmark', true)`;
    for (const [kind, role, count] of [
      ['warm', WARM_ROLE, counts.warm],
      ['bulk', BULK_ROLE, counts.bulk],
      ['steady', null, counts.steady],
    ] as const) {
      await sql`
        insert into recipients (id, email, name, roles)
        select ${kind} || '-' || n, ${kind} || '-' || n || '@bench.test', 'Bench User ' || n, ${role === null ? [] : [role]}::text[]
        from generate_series(1, ${count}) n`;
    }
    await sql`analyze recipients`;
  } finally {
    await database.close();
  }
}

export interface WorkerChild {
  pid: number;
  /** The health server, for /readyz and /metrics. */
  url: string;
  alive(): boolean;
  /** Log lines below warn it wrote (not printed). */
  quietLines(): number;
  /** SIGTERM (a graceful close), then SIGKILL after 15 s. Safe to call more than once. */
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/**
 * Runs the worker as its own process (`node services/worker/dist/main.js`, built first), so that it
 * does not share an event loop (or, mostly, a core) with the sink and the load driver. The health
 * port is picked here rather than 0, so readiness and metrics can be read.
 */
export async function startWorkerChild(env: Record<string, string>, options: { cpuProfile: boolean }): Promise<WorkerChild> {
  const port = await freePort();
  buildServices();
  const args = ['--enable-source-maps'];
  if (options.cpuProfile) {
    mkdirSync(profilesDir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${profilesDir}`);
  }
  args.push('services/worker/dist/main.js');
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'development', ...env, WORKER_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let quietLines = 0;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      // Below-warn pino lines (`--log-level=info`: one per email) are counted, not printed.
      if (/^\{"level":[0-3]\d,/.test(line)) quietLines += 1;
      else console.log(`  [worker] ${line.slice(0, 500)}`);
    });
  }
  const exited = once(child, 'exit').then(([code, signal]) => {
    children.delete(child);
    return { code: code as number | null, signal: signal as string | null };
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive()) {
      const { code, signal } = await exited;
      throw new Error(`the worker exited before it was ready (code ${code}, signal ${signal})`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the worker did not answer /readyz 200 within 60 s');
    }
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { pid: child.pid!, url, alive, quietLines: () => quietLines, stop };
}

export async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}
