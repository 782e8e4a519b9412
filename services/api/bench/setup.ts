import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { freePort, lockBenchRun as lockRun, recreateDatabase } from '@tidings/test-support/bench';
import { buildServices } from '@tidings/test-support/build';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const benchDir = fileURLToPath(new URL('./', import.meta.url));

export const BENCH_DB = 'tidings_bench';
export const REDIS_PREFIX = 'tidings_bench:';
export const USERS = 10_000;
export const ROWS_PER_USER = 100;
/** Rows with a seq up to this are read; the newest `ROWS_PER_USER - READ_UP_TO` of each user are unread. */
export const READ_UP_TO = 70;
export const BROADCAST_RECIPIENTS = 100_000;
export const BROADCAST_ROLE = 'all-hands';

export const userId = (n: number) => `bench-user-${n}`;

/** DATABASE_URL's server (default the local one) with the bench database in it. */
export function benchDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tidings');
  url.pathname = `/${BENCH_DB}`;
  return url.toString();
}

/** One run at a time per Postgres server, since a run drops and recreates the bench database. */
export const lockBenchRun = (url: string) => lockRun(url, BENCH_DB);

export { recreateDatabase };

export async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * 10,000 recipients with 100 notifications each (seq 1..100, last_seq 100, published, the oldest
 * 70 read). Rows are inserted seq-major, so one user's rows lie spread over the whole table as they
 * would after months of traffic, not packed on one page. GIN indexes (search) are rebuilt after.
 */
export async function seedInbox(sql: postgres.Sql): Promise<void> {
  // A GIN index is far cheaper built once after a bulk load than kept up row by row during it.
  const ginIndexes = await sql<{ indexname: string; indexdef: string }[]>`
    select indexname, indexdef from pg_indexes where tablename = 'notifications' and indexdef like '% USING gin %'`;
  for (const { indexname } of ginIndexes) await sql`drop index ${sql(indexname)}`;
  await sql`
    insert into recipients (id, roles, last_seq, created_at, updated_at)
    select 'bench-user-' || u, '{}'::text[], ${ROWS_PER_USER}, now() - interval '120 days', now()
    from generate_series(1, ${USERS}) u`;
  const chunk = 20;
  for (let from = 1; from <= ROWS_PER_USER; from += chunk) {
    const to = Math.min(ROWS_PER_USER, from + chunk - 1);
    await sql.begin(async (tx) => {
      await tx`set local synchronous_commit = off`;
      await tx`
        insert into notifications (user_id, seq, type, title, body, data, action_url, priority, is_read, read_at, created_at, published_at)
        select 'bench-user-' || u, s,
               case when s % 3 = 0 then 'comment' else 'mention' end,
               'New comment on "Quarterly planning ' || s || '"',
               'Alex Example replied to your comment: looks good to me, let us ship it on Thursday after the review.',
               jsonb_build_object('post_id', s * 100000 + u, 'comment_id', u, 'author', 'alex'),
               'https://example.com/posts/' || (s * 100000 + u),
               'normal',
               s <= ${READ_UP_TO},
               case when s <= ${READ_UP_TO} then t.created + interval '1 hour' end,
               t.created,
               t.created + interval '5 milliseconds'
        from generate_series(${from}::int, ${to}::int) s
        cross join generate_series(1, ${USERS}) u
        cross join lateral (select now() - (${ROWS_PER_USER} - s) * interval '1 hour' - u * interval '1 millisecond' as created) t
        order by s, u`;
    });
    process.stdout.write(`    seeded seq ${from}..${to} (${((to * USERS) / 1e6).toFixed(1)}M rows)\n`);
  }
  for (const { indexdef } of ginIndexes) await sql.unsafe(indexdef);
  await sql`vacuum (analyze) recipients, notifications`;
  await checkpoint(sql);
}

/**
 * Flushes the seed's ~1 GB of WAL before measuring: otherwise the load starts inside the checkpoints
 * the seed triggered, and every first write to a page after each one costs a full-page image.
 */
export async function checkpoint(sql: postgres.Sql): Promise<void> {
  try {
    await sql`checkpoint`;
  } catch (error) {
    console.log(`  (no CHECKPOINT: ${(error as Error).message}; the first runs may pay for the seed's WAL)`);
  }
}

/** Makes exactly BROADCAST_RECIPIENTS recipients carry the broadcast role (all of them). */
export async function seedBroadcastAudience(sql: postgres.Sql): Promise<number> {
  await sql`update recipients set roles = array_append(roles, ${BROADCAST_ROLE}) where not (${BROADCAST_ROLE} = any(roles))`;
  const [{ count } = { count: 0 }] = await sql<{ count: number }[]>`select count(*)::int as count from recipients`;
  const missing = BROADCAST_RECIPIENTS - count;
  if (missing > 0) {
    await sql`
      insert into recipients (id, roles, created_at, updated_at)
      select 'bench-bc-' || n, array[${BROADCAST_ROLE}]::text[], now(), now() from generate_series(1, ${missing}) n`;
  }
  await sql`vacuum (analyze) recipients`;
  await checkpoint(sql);
  const [row] = await sql<{ count: number }[]>`select count(*)::int as count from recipients where roles && array[${BROADCAST_ROLE}]::text[]`;
  return row?.count ?? 0;
}

export interface ApiChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs the API as its own process (`node services/api/dist/main.js`, built first) so that the load
 * generator and the server compete for the 2 cores as separate processes, as in production.
 */
export async function startApiChild(databaseUrl: string, options: { cpuProfile: boolean }): Promise<ApiChild> {
  const port = await freePort();
  buildServices();
  const args = ['--enable-source-maps'];
  if (options.cpuProfile) {
    const dir = `${benchDir}profiles`;
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
  }
  args.push('services/api/dist/main.js');
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      REDIS_PREFIX,
      API_PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_SERVICE_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`  [api] ${line.slice(0, 500)}`));
  }
  let exited = false;
  const exit = once(child, 'exit').then(([code, signal]) => {
    exited = true;
    return { code: code as number | null, signal: signal as string | null };
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const { code, signal } = await exit;
      throw new Error(`the API exited before it was ready (code ${code}, signal ${signal})`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the API did not answer /readyz 200 within 60 s');
    }
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
