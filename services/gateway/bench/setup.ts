import { fileURLToPath } from 'node:url';
import { DEV_JWT_SECRET } from '@tidings/config';
import { createDatabase, dropDatabase, ensureDatabase, migrateDatabase } from '@tidings/db';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const benchDir = fileURLToPath(new URL('./', import.meta.url));

export const BENCH_DB = 'tidings_gwbench';
export const REDIS_PREFIX = 'tidings_gwbench:';
/** The redis-adapter / redis-emitter key of the socket.io baseline, under the bench prefix. */
export const SOCKET_IO_KEY = `${REDIS_PREFIX}socket.io`;
export const BENCH_ROLE = 'bench';
export const REDIS_URL = 'redis://127.0.0.1:6379';

export const userId = (n: number) => `bench-${n}`;

/**
 * The bench always signs and verifies with an HS256 secret (JWT_SECRET, else the dev secret), so
 * the socket.io baseline can verify the very same tokens with jsonwebtoken.
 */
export const jwtSecret = (): string => (process.env.JWT_SECRET && process.env.JWT_SECRET.length >= 32 ? process.env.JWT_SECRET : DEV_JWT_SECRET);

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on this machine. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** The local Postgres server (or DATABASE_URL's) with the bench database (`database`) in it. Loopback only. */
export function benchDatabaseUrl(database = BENCH_DB): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`DATABASE_URL must point at this machine, not ${url.hostname}`);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function recreateDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrateDatabase(url);
}

export { dropDatabase };

/** `users` recipients `bench-0` … with the role `bench`, in one statement. */
export async function seedRecipients(url: string, users: number): Promise<void> {
  const database = createDatabase(url, { max: 1, applicationName: 'tidings-gwbench-seed' });
  const sql = database.sql;
  try {
    await sql`
      insert into recipients (id, roles, created_at, updated_at)
      select 'bench-' || n, array[${BENCH_ROLE}]::text[], now(), now() from generate_series(0, ${users - 1}) n`;
    await sql`analyze recipients`;
  } finally {
    await database.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `url` until it answers 200, the child dies, or `timeoutMs` passes. */
export async function waitForHttp(url: string, alive: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`the process serving ${url} exited before it was ready`);
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s`);
    const ok = await fetch(url).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
}
