import { Queue, Worker } from 'bullmq';
import type { Config } from '@tidings/config';
import { prepareDatabase } from '@tidings/db';
import type { CreateDeps } from '@tidings/domain';
import { bullEmailOutbox, bullPrefix, emailQueue, queueMarkerKey, queueNames } from '@tidings/jobs';
import { createLogger, createRegistry, metricFactories, runService, type Logger } from '@tidings/server-kit';
import { connectClients } from './clients.ts';
import { startEmailWorker } from './email-worker.ts';
import { startOpsServer } from './http-server.ts';
import { installSchedulers, maintenanceJob, restoreLostJobs } from './maintenance.ts';
import { RedisDataLossWatch } from './redis-data-loss.ts';
import { scheduledReleaseWorker, type QueueConnection } from './scheduled-releases.ts';

export interface RunningWorker {
  url: string;
  /** Idempotent graceful shutdown: finishes the jobs in hand, then closes clients. */
  close(): Promise<void>;
}

export interface WorkerOptions {
  port?: number;
  /**
   * How long an email job's lock lives without renewal, and how often stalled jobs (their worker
   * died) are looked for: a killed worker's emails are taken up again within about the sum.
   * @defaultValue 15000 and 10000
   */
  emailLockMs?: number;
  stalledCheckMs?: number;
  /** A queued email whose job has not finished after this long is checked against the queue (and enqueued again if its job is lost). @defaultValue 600000 */
  staleEmailMs?: number;
}

/** Wires config → clients → queues and workers → health server. Used by `main` and the tests. */
export async function startWorker(
  config: Config,
  logger: Logger = createLogger('worker', config.LOG_LEVEL),
  options: WorkerOptions = {},
): Promise<RunningWorker> {
  const port = options.port ?? config.WORKER_PORT;
  const { database, redis, bullConnection, broker, publisher } = connectClients(config, logger);
  const registry = createRegistry('worker');
  const republished = metricFactories.outboxRepublished(registry);
  const created = metricFactories.notificationsCreated(registry);
  const depth = metricFactories.queueDepth(registry);
  const queues: QueueConnection = { connection: bullConnection, prefix: bullPrefix(config.REDIS_PREFIX) };
  const emails = emailQueue(bullConnection, config.REDIS_PREFIX);
  const emailOutbox = bullEmailOutbox(database.sql, emails, { attempts: config.EMAIL_MAX_ATTEMPTS, backoffMs: config.EMAIL_RETRY_BASE_MS });
  const deps: CreateDeps = {
    sql: database.sql,
    publisher,
    emailOutbox,
    logger,
    broadcastThreshold: config.BROADCAST_THRESHOLD,
    onCreated: (type, count) => created.inc({ type }, count),
  };

  const scheduledWorker = scheduledReleaseWorker(deps, queues);
  const maintenance = new Queue(queueNames.maintenance, { ...queues });
  await installSchedulers(maintenance, config);
  /** Emails this process is sending right now: a recovery must not queue them a second time. */
  const inHand = new Set<string>();
  const staleEmailMs = options.staleEmailMs ?? 600_000;
  const maintenanceWorker = new Worker(
    queueNames.maintenance,
    maintenanceJob({ database, create: deps, emailOutbox, config, logger, republished, inHand, staleEmailMs }),
    { ...queues, concurrency: 1 },
  );
  const { mailer, worker: emailWorker } = startEmailWorker({
    config,
    logger,
    registry,
    sql: database.sql,
    emails,
    queues,
    inHand,
    lockMs: options.emailLockMs,
    stalledCheckMs: options.stalledCheckMs,
  });
  for (const worker of [scheduledWorker, maintenanceWorker, ...(emailWorker ? [emailWorker] : [])]) {
    worker.on('failed', (job, error) => logger.warn({ job: job?.name, id: job?.id, err: error.message }, 'job failed'));
    worker.on('error', (error) => logger.warn({ err: error.message }, 'worker error'));
  }
  const scheduled = new Queue(queueNames.scheduled, { ...queues });
  const dataLoss = new RedisDataLossWatch(
    redis,
    queueMarkerKey(config.REDIS_PREFIX),
    restoreLostJobs(maintenance, config, { emailOutbox, logger, inHand }),
    logger,
  );
  await dataLoss.start();

  const { server, url } = await startOpsServer({ port, logger, registry, sql: database.sql, redis, queues: [scheduled, maintenance, emails], depth });

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= (async () => {
        server.close();
        dataLoss.stop();
        await Promise.all([scheduledWorker.close(), maintenanceWorker.close(), emailWorker?.close()]);
        await Promise.all([scheduled.close(), maintenance.close(), emails.close()]);
        mailer?.close();
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
