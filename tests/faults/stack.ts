import { expect } from 'vitest';
import WebSocket from 'ws';
import { TidingsClient } from '@tidings/client';
import { createDatabase, type Database } from '@tidings/db';
import {
  createTestEnvironment,
  eventually,
  RedisServer,
  serviceEntries,
  spawnService,
  TcpFailover,
  TcpProxy,
  uniqueId,
  type SpawnedService,
  type TestEnvironment,
} from '@tidings/test-support';
import { freePort } from '@tidings/test-support/bench';
import { SmtpSink } from '../../services/worker/tests/smtp-sink.ts';

/**
 * The whole system for a fault test, each service its own process as `npm start` runs it, so a test
 * can kill, freeze or cut any part: the API, two gateways behind a TCP front (as a load balancer),
 * the worker, an SMTP server, and SDK clients, one per user, counting what they receive. Postgres
 * and Redis are the machine's unless the test asks for ones it may break: a Redis of its own, a
 * TCP proxy in front of Postgres. Nothing here ever stops the machine's services.
 */
export interface StackOptions {
  /** A Redis of the stack's own (to kill, freeze, restart empty). */
  ownRedis?: boolean;
  /** Services reach Postgres through a proxy the test can cut. */
  cuttablePostgres?: boolean;
  /** SDK clients reach the gateways through a proxy the test can cut (forcing reconnects and replays). */
  cuttableClients?: boolean;
  /** SDK clients (one user each). @defaultValue 20 */
  users?: number;
  /** More configuration for every service. */
  env?: Record<string, string>;
}

export type ServiceName = 'api' | 'gateway-1' | 'gateway-2' | 'worker';

export class Stack {
  readonly services = new Map<ServiceName, SpawnedService>();
  readonly clients: TidingsClient[] = [];
  /** Per user, every seq the SDK delivered, in delivery order. */
  readonly seen = new Map<string, number[]>();
  readonly users: string[];
  /** Direct to Postgres, never through the proxy: the truth the counts are checked against. */
  truth!: Database;
  private front: TcpFailover | undefined;

  private constructor(
    readonly env: TestEnvironment,
    readonly values: Record<string, string>,
    readonly ports: Record<ServiceName, number>,
    readonly sink: SmtpSink,
    readonly redis: RedisServer | undefined,
    readonly postgresProxy: TcpProxy | undefined,
    readonly clientProxy: TcpProxy | undefined,
    users: number,
  ) {
    this.users = Array.from({ length: users }, () => uniqueId('fault'));
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const redis = options.ownRedis ? await RedisServer.start() : undefined;
    const sink = await new SmtpSink({ countOnly: true }).start();
    const env = await createTestEnvironment({ ...(redis ? { REDIS_URL: redis.url } : {}) });
    let postgresProxy: TcpProxy | undefined;
    let databaseUrl = env.env.DATABASE_URL!;
    if (options.cuttablePostgres) {
      const target = new URL(databaseUrl);
      postgresProxy = new TcpProxy(target.hostname, Number(target.port || 5432));
      await postgresProxy.start();
      databaseUrl = postgresProxy.urlFor(databaseUrl);
    }
    const ports = { api: await freePort(), 'gateway-1': await freePort(), 'gateway-2': await freePort(), worker: await freePort() };
    const values = {
      ...env.env,
      DATABASE_URL: databaseUrl,
      SMTP_URL: sink.url,
      LOG_LEVEL: 'info',
      RATE_LIMIT_SERVICE_PER_MINUTE: '1000000',
      OUTBOX_GRACE_MS: '500',
      EMAIL_RETRY_BASE_MS: '200',
      HEARTBEAT_MS: '5000',
      ...options.env,
    };
    const stack = new Stack(env, values, ports, sink, redis, postgresProxy, undefined, options.users ?? 20);
    stack.truth = createDatabase(env.env.DATABASE_URL!, { max: 4, applicationName: 'fault-truth' });
    await Promise.all((['api', 'gateway-1', 'gateway-2', 'worker'] as const).map((name) => stack.launch(name)));
    await stack.prepareRecipients();
    await stack.connectClients(options.cuttableClients ?? false);
    return stack;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  /** Starts (or starts again, on the same port) one service. */
  async launch(name: ServiceName): Promise<SpawnedService> {
    const port = String(this.ports[name]);
    const own: Record<ServiceName, [string, Record<string, string>]> = {
      api: [serviceEntries.api, { API_PORT: port }],
      'gateway-1': [serviceEntries.gateway, { GATEWAY_PORT: port, GATEWAY_ID: 'gateway-1' }],
      'gateway-2': [serviceEntries.gateway, { GATEWAY_PORT: port, GATEWAY_ID: 'gateway-2' }],
      worker: [serviceEntries.worker, { WORKER_PORT: port }],
    };
    const [entry, values] = own[name];
    const service = await spawnService(name, entry, { ...this.values, ...values });
    this.services.set(name, service);
    return service;
  }

  /** SIGKILL: no goodbye, no flush, as when a machine dies. */
  async kill(name: ServiceName): Promise<void> {
    await this.services.get(name)?.stop('SIGKILL');
  }

  /** Every recipient has an address and the `fault` type goes out by email: each create is one email. */
  private async prepareRecipients(): Promise<void> {
    const { sql } = this.truth;
    await sql`insert into recipients (id, email) select id, id || '@example.com' from unnest(${this.users}::text[]) as u(id)`;
    const admin = this.env.sign({ sub: 'root', roles: ['admin'] });
    const response = await fetch(`${this.apiUrl}/v1/notification-types/fault`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ default_email: true }),
    });
    expect(response.status).toBe(200);
  }

  private async connectClients(cuttable: boolean): Promise<void> {
    this.front = new TcpFailover([
      { host: '127.0.0.1', port: this.ports['gateway-1'] },
      { host: '127.0.0.1', port: this.ports['gateway-2'] },
    ]);
    await this.front.start();
    let port = this.front.port;
    if (cuttable) {
      const proxy = new TcpProxy('127.0.0.1', this.front.port);
      await proxy.start();
      (this as { clientProxy: TcpProxy | undefined }).clientProxy = proxy;
      port = proxy.port;
    }
    for (const user of this.users) {
      this.seen.set(user, []);
      const client = new TidingsClient({
        url: `http://127.0.0.1:${port}`,
        apiUrl: this.apiUrl,
        getToken: () => this.env.sign({ sub: user }),
        WebSocket,
        transport: 'ws',
        backoff: { baseMs: 50, capMs: 500 },
      });
      client.on('notification', (notification) => this.seen.get(user)!.push(notification.seq));
      client.connect();
      this.clients.push(client);
    }
    await this.expectPresence();
  }

  /** Waits until the admin view lists one live connection per user. */
  async expectPresence(): Promise<void> {
    const admin = this.env.sign({ sub: 'root', roles: ['admin'] });
    await eventually(async () => {
      const response = await fetch(`${this.apiUrl}/v1/admin/connections`, { headers: { authorization: `Bearer ${admin}` } });
      const items = ((await response.json()) as { items: { user_id: string }[] }).items;
      expect(new Set(items.map((item) => item.user_id)).size).toBe(this.users.length);
    }, 20_000);
  }

  /** Each user's seqs in Postgres: what the SDK must have delivered, each once, in order. */
  async committedSeqs(): Promise<Map<string, number[]>> {
    const rows = await this.truth.sql<{ user_id: string; seqs: string[] }[]>`
      select user_id, array_agg(seq order by seq)::text[] as seqs from notifications
      where user_id = any(${this.users}::text[]) and seq is not null and deleted_at is null group by user_id`;
    const committed = new Map<string, number[]>(this.users.map((user) => [user, []]));
    for (const row of rows) committed.set(row.user_id, row.seqs.map(Number));
    return committed;
  }

  /** The emails of the stack's users, by status, and what the SMTP server received of them. */
  async emailCounts(): Promise<{ logs: number; byStatus: Record<string, number>; received: number; distinct: number; duplicates: number }> {
    const logs = await this.truth.sql<{ id: string; status: string }[]>`select id, status from email_logs where user_id = any(${this.users}::text[])`;
    const ids = new Set(logs.map((log) => log.id));
    const byStatus: Record<string, number> = {};
    for (const log of logs) byStatus[log.status] = (byStatus[log.status] ?? 0) + 1;
    const arrived = this.sink.messages.map((message) => /^<([0-9a-f-]+)@/.exec(message.messageId)?.[1] ?? '').filter((id) => ids.has(id));
    const distinct = new Set(arrived).size;
    return { logs: logs.length, byStatus, received: arrived.length, distinct, duplicates: arrived.length - distinct };
  }

  /**
   * Waits until every committed notification reached its user's SDK client and every email was
   * sent, then asserts the counts: nothing lost, nothing shown twice, no email twice (beyond
   * `duplicateEmailsAllowed`). Answers how long it took to converge, and the counts.
   */
  async expectConverged(
    options: { timeoutMs?: number; duplicateEmailsAllowed?: number } = {},
  ): Promise<{ ms: number; notifications: number; emails: number; duplicateEmails: number }> {
    const started = Date.now();
    let committed = new Map<string, number[]>();
    await eventually(
      async () => {
        committed = await this.committedSeqs();
        for (const user of this.users) expect(this.seen.get(user)!.length, user).toBeGreaterThanOrEqual(committed.get(user)!.length);
        const emails = await this.emailCounts();
        expect(emails.byStatus).toEqual(emails.logs === 0 ? {} : { sent: emails.logs });
        expect(emails.distinct).toBe(emails.logs);
      },
      options.timeoutMs ?? 60_000,
      200,
    );
    const ms = Date.now() - started;
    for (const user of this.users) expect(this.seen.get(user), `${user}: every seq exactly once, in order`).toEqual(committed.get(user));
    const emails = await this.emailCounts();
    expect(emails.duplicates).toBeLessThanOrEqual(options.duplicateEmailsAllowed ?? 0);
    const notifications = [...committed.values()].reduce((sum, seqs) => sum + seqs.length, 0);
    return { ms, notifications, emails: emails.logs, duplicateEmails: emails.duplicates };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
    await this.front?.stop();
    await this.clientProxy?.cut();
    await Promise.all([...this.services.values()].map((service) => service.stop('SIGKILL')));
    await this.truth?.close();
    await this.postgresProxy?.cut();
    await this.sink.close();
    await this.redis?.stop();
    await this.env.dispose();
  }
}

/** What a load run did. */
export interface LoadResult {
  /** Creates asked for (each with an idempotency key of its own). */
  sent: number;
  /** Answered 201 in the end (at first, or on a retry). */
  created: number;
  /** Tries that got 503 or no answer at all (the API died mid-request) and were sent again. */
  retried: number;
  /** Creates that ended with another status. */
  refused: Record<number, number>;
}

/**
 * Creates notifications (each for one random user of the stack) at `perSecond` until `stop()`, as
 * a well-behaved producer does: a 503 or a lost answer is sent again, with the same Idempotency-Key
 * and body, until it is answered. So every create lands exactly once, whatever failed in between.
 */
export function startLoad(stack: Stack, perSecond: number): { result: LoadResult; createdAtLeast(count: number): Promise<void>; stop(): Promise<LoadResult> } {
  const token = stack.env.sign({ sub: 'load', scope: 'notifications:publish' });
  const result: LoadResult = { sent: 0, created: 0, retried: 0, refused: {} };
  const inFlight = new Set<Promise<void>>();
  let running = true;

  async function create(key: string, body: string): Promise<void> {
    for (;;) {
      const status = await fetch(`${stack.apiUrl}/v1/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
        body,
        signal: AbortSignal.timeout(20_000),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status === 201) {
        result.created++;
        return;
      }
      if (status !== 0 && status !== 503) {
        result.refused[status] = (result.refused[status] ?? 0) + 1;
        return;
      }
      result.retried++;
      await sleep(250);
    }
  }

  const tick = 50;
  const perTick = Math.max(1, Math.round((perSecond * tick) / 1000));
  const timer = setInterval(() => {
    if (!running) return;
    for (let i = 0; i < perTick; i++) {
      const user = stack.users[Math.floor(Math.random() * stack.users.length)]!;
      result.sent++;
      const request = create(uniqueId('load'), JSON.stringify({ to: { user_ids: [user] }, type: 'fault', title: `load ${result.sent}` }));
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
  }, tick);
  return {
    result,
    /** Resolves once `count` more creates than now were answered 201 (a point in the load, not a time). */
    async createdAtLeast(count: number) {
      const target = result.created + count;
      await eventually(() => expect(result.created).toBeGreaterThanOrEqual(target), 60_000, 20);
    },
    async stop() {
      running = false;
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.all(inFlight);
      return result;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
