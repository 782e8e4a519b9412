// Helpers the benchmarks share: one run at a time, a fresh database, a free port for a child
// service, and cleaning a run's Redis keys.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { dropDatabase, ensureDatabase, maintenanceUrl, migrateDatabase } from '@tidings/db';

/** A TCP port nothing listens on right now, for a child service that must be told its port. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Deletes every key under `prefix` (queues, offline caches, presence, rate-limit counters). Takes a client or a URL. */
export async function clearRedisPrefix(redis: Redis | string, prefix: string): Promise<number> {
  const client = typeof redis === 'string' ? new Redis(redis, { lazyConnect: true, maxRetriesPerRequest: 1 }) : redis;
  if (typeof redis === 'string') await client.connect();
  let removed = 0;
  try {
    const stream = client.scanStream({ match: `${prefix}*`, count: 1_000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length > 0) removed += await client.unlink(...keys);
    }
  } finally {
    if (typeof redis === 'string') client.disconnect();
  }
  return removed;
}

/**
 * Two runs at once would drop each other's database: each run holds a session advisory lock on
 * the server's maintenance database, and a second run stops at once instead. Every run also holds
 * the lock `bench` shared; an `exclusive` run (a soak, whose figures any other load distorts, and
 * that would distort theirs) holds it alone, so it never runs beside another benchmark. Answers
 * the unlock.
 */
export async function lockBenchRun(url: string, database: string, options: { exclusive?: boolean } = {}): Promise<() => Promise<void>> {
  const admin = postgres(maintenanceUrl(url), { max: 1, idle_timeout: 0, onnotice: () => {} });
  const [own] = await admin<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtext(${`bench:${database}`})) as locked`;
  if (!own?.locked) {
    await admin.end();
    throw new Error(`another benchmark run is using ${database} on this server; wait for it to finish`);
  }
  const [all] = options.exclusive
    ? await admin<{ locked: boolean }[]>`select pg_try_advisory_lock(hashtext('bench')) as locked`
    : await admin<{ locked: boolean }[]>`select pg_try_advisory_lock_shared(hashtext('bench')) as locked`;
  if (!all?.locked) {
    await admin.end();
    throw new Error(
      options.exclusive
        ? 'another benchmark is running on this server; wait for it to finish'
        : 'a soak benchmark is running on this server; wait for it to finish',
    );
  }
  return () => admin.end({ timeout: 5 });
}

/** Drops the bench database if it exists, creates it and migrates it. */
export async function recreateDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrateDatabase(url);
}
