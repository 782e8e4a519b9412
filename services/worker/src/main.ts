import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisBroker, RedisOfflineQueue, channelsFor } from '@tidings/cluster';
import type { Config } from '@tidings/config';
import { createDatabase, prepareDatabase } from '@tidings/db';
import { EventPublisher, dueScheduled, relayUnpublished, releaseScheduled, type CreateDeps } from '@tidings/domain';
import { bullPrefix, maintenanceJobs, queueNames, releaseJobSchema, type ReleaseJob } from '@tidings/jobs';
import { createLogger, createRedis, createRegistry, metricFactories, runService, type Logger } from '@tidings/server-kit';

export interface RunningWorker {
  url: string;
  /** Idempotent graceful shutdown: finishes the jobs in hand, then closes clients. */
  close(): Promise<void>;
}

/** How often overdue scheduled sends are swept up and unpublished notifications relayed. */
const RELEASE_SWEEP_MS = 1_000;
const RELAY_EVERY_MS = 2_000;

/** Wires config → clients → queues and workers → health server. Used by `main` and the tests. */
export async function startWorker(config: Config, logger: Logger = createLogger('worker', config.LOG_LEVEL), port = config.WORKER_PORT): Promise<RunningWorker> {
  const database = createDatabase(config.DATABASE_URL, { max: 5, applicationName: 'tidings-worker' });
  const redis = createRedis(config.REDIS_URL, logger, { name: 'worker', failFast: true });
  // BullMQ workers block on Redis and must retry for ever while it is away.
  const bullConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'worker-bull' });
  bullConnection.on('error', () => {});
  const broker = new RedisBroker(redis, () => createRedis(config.REDIS_URL, logger, { name: 'worker-sub' }), logger);
  const publisher = new EventPublisher(broker, channelsFor(config.REDIS_PREFIX), database.sql, logger, new RedisOfflineQueue(redis, config.REDIS_PREFIX, config.OFFLINE_QUEUE_SIZE));
  const registry = createRegistry('worker');
  const republished = metricFactories.outboxRepublished(registry);
  const created = metricFactories.notificationsCreated(registry);
  const depth = metricFactories.queueDepth(registry);
  const deps: CreateDeps = {
    sql: database.sql,
    publisher,
    broadcastThreshold: config.BROADCAST_THRESHOLD,
    onCreated: (type, count) => created.inc({ type }, count),
  };
  const prefix = bullPrefix(config.REDIS_PREFIX);

  async function release(broadcastId: string): Promise<void> {
    const count = await releaseScheduled(deps, broadcastId);
    if (count !== undefined) logger.info({ broadcast: broadcastId, recipients: count }, 'scheduled send released');
  }

  const scheduledWorker = new Worker<ReleaseJob>(
    queueNames.scheduled,
    async (job: Job<ReleaseJob>) => {
      const { broadcast_id } = releaseJobSchema.parse(job.data);
      await release(broadcast_id);
    },
    { connection: bullConnection, prefix, concurrency: 4 },
  );
  const maintenance = new Queue(queueNames.maintenance, { connection: bullConnection, prefix });
  await maintenance.upsertJobScheduler(maintenanceJobs.releaseDue, { every: RELEASE_SWEEP_MS }, { name: maintenanceJobs.releaseDue, opts: { removeOnComplete: true, removeOnFail: 100 } });
  await maintenance.upsertJobScheduler(maintenanceJobs.outboxRelay, { every: RELAY_EVERY_MS }, { name: maintenanceJobs.outboxRelay, opts: { removeOnComplete: true, removeOnFail: 100 } });
  const maintenanceWorker = new Worker(
    queueNames.maintenance,
    async (job: Job) => {
      if (job.name === maintenanceJobs.releaseDue) {
        for (const id of await dueScheduled(database.sql)) await release(id);
      } else if (job.name === maintenanceJobs.outboxRelay) {
        const count = await relayUnpublished(database.sql, publisher, config.OUTBOX_GRACE_MS);
        if (count > 0) {
          republished.inc(count);
          logger.info({ count }, 'outbox relay republished notifications');
        }
      }
    },
    { connection: bullConnection, prefix, concurrency: 1 },
  );
  for (const worker of [scheduledWorker, maintenanceWorker]) {
    worker.on('failed', (job, error) => logger.warn({ job: job?.name, id: job?.id, err: error.message }, 'job failed'));
    worker.on('error', (error) => logger.warn({ err: error.message }, 'worker error'));
  }
  const scheduled = new Queue(queueNames.scheduled, { connection: bullConnection, prefix });

  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return json(200, { status: 'ok' });
    if (req.url === '/readyz') {
      void Promise.all([
        database.sql`select 1`.then(() => 'ok', (error: Error) => `unavailable: ${error.message}`),
        redis.ping().then(() => 'ok', (error: Error) => `unavailable: ${error.message}`),
      ]).then(([postgres, redisCheck]) => {
        const ok = postgres === 'ok' && redisCheck === 'ok';
        json(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis: redisCheck } });
      });
      return;
    }
    if (req.url === '/metrics') {
      void (async () => {
        for (const queue of [scheduled, maintenance]) {
          const counts = await queue.getJobCounts('waiting', 'delayed', 'active').catch(() => undefined);
          if (counts) depth.set({ queue: queue.name }, (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0));
        }
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(await registry.metrics());
      })();
      return;
    }
    json(404, { error: { code: 'not_found', message: 'no such route' } });
  });
  server.listen(port);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        server.close();
        await Promise.all([scheduledWorker.close(), maintenanceWorker.close()]);
        await Promise.all([scheduled.close(), maintenance.close()]);
        await publisher.flush();
        await broker.close();
        redis.disconnect();
        bullConnection.disconnect();
        await database.close();
      })()),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runService({ name: 'worker', prepare: (config) => prepareDatabase(config.DATABASE_URL), start: startWorker });
}
