import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { inject } from 'vitest';
import { createSigner, type TokenRequest } from '@tidings/auth';
import { loadConfig, type Config } from '@tidings/config';
import { dropDatabase, ensureDatabase, type Sql } from '@tidings/db';

export const uniqueId = (label = 'u') => `${label}-${randomBytes(4).toString('hex')}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export { rawExchange, type RawAnswer } from './raw-http.ts';
export { RedisServer } from './redis-server.ts';
export { serviceEntries, serviceEnv, spawnService, type SpawnedService } from './spawn.ts';

export interface TestEnvironment {
  config: Config;
  /** The variables `config` was loaded from: what a service spawned for this test is given (and nothing else). */
  env: Readonly<Record<string, string>>;
  sign: (request: TokenRequest) => string;
  /** Drops this file's database. */
  dispose(): Promise<void>;
}

/**
 * A fresh database (a copy of the run's migrated template) and a Redis prefix of its own, so test
 * files never see each other's rows, keys or pub/sub messages.
 */
export async function createTestEnvironment(overrides: Record<string, string> = {}, options: { databasePort?: number } = {}): Promise<TestEnvironment> {
  const template = inject('templateDatabaseUrl');
  const name = `${inject('runId')}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = withDatabase(template, name);
  await ensureDatabase(databaseUrl, new URL(template).pathname.slice(1));
  const serviceUrl = new URL(databaseUrl);
  if (options.databasePort !== undefined) serviceUrl.port = String(options.databasePort);
  // Only where Postgres and Redis listen comes from the caller (npm test found or started them there).
  const env: Record<string, string> = {
    DATABASE_URL: serviceUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `${name}:`,
    LOG_LEVEL: 'silent',
    DB_POOL_SIZE: '10',
    ...overrides,
  };
  const config = loadConfig(env);
  return { config, env: Object.freeze(env), sign: createSigner(config), dispose: () => dropDatabase(databaseUrl) };
}

/**
 * A TCP proxy in front of Postgres or Redis that a test can cut and restore, to see how a service
 * behaves while its dependency is down and whether it recovers by itself.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Refuses new connections and cuts the open ones, as if the server died. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = undefined;
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    await this.start();
  }

  urlFor(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }
}

/** Waits until `check` passes (no throw), polling; fails with the last error after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/**
 * A TCP front for several servers, like a load balancer: each new connection goes to the first
 * backend that accepts it, so when one dies, reconnecting clients land on the next.
 */
export class TcpFailover {
  private server: net.Server | undefined;
  port = 0;

  constructor(private readonly backends: readonly { host: string; port: number }[]) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      client.pause();
      const tryBackend = (index: number) => {
        const backend = this.backends[index];
        if (!backend) {
          client.destroy();
          return;
        }
        const upstream = net.connect(backend.port, backend.host);
        // Only errors before 'connect' reach this listener: it is replaced once connected.
        upstream.once('error', () => {
          upstream.destroy();
          tryBackend(index + 1);
        });
        upstream.once('connect', () => {
          upstream.removeAllListeners('error');
          upstream.on('error', () => client.destroy());
          client.on('error', () => upstream.destroy());
          client.on('close', () => upstream.destroy());
          upstream.on('close', () => client.destroy());
          client.pipe(upstream).pipe(client);
          client.resume();
        });
      };
      tryBackend(0);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/**
 * A digest of every row of every table of the test's database: equal before and after a request
 * means the request wrote nothing (cheap on a test's small tables). `ignore` leaves out columns
 * written after an answer by design (`notifications.published_at`, marked in batches).
 */
export async function databaseFingerprint(sql: Sql, ignore: Record<string, readonly string[]> = {}): Promise<string> {
  const tables = await sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`;
  const parts = await Promise.all(
    tables.map(async ({ name }) => {
      const skipped = (ignore[name] ?? []).map((column) => `'${column.replace(/'/g, "''")}'`);
      const rowText = skipped.length === 0 ? 't::text' : `(to_jsonb(t) - array[${skipped.join(', ')}]::text[])::text`;
      const [row] = await sql.unsafe<{ digest: string | null }[]>(`select md5(string_agg(${rowText}, ',' order by ${rowText})) as digest from "${name}" t`);
      return `${name}:${row?.digest ?? 'empty'}`;
    }),
  );
  return parts.join(' ');
}
