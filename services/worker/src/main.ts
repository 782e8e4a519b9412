import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { RedisBroker, RedisOfflineQueue, channelsFor } from '@tidings/cluster';
import { emailBranding, type Config } from '@tidings/config';
import { createDatabase, prepareDatabase } from '@tidings/db';
import {
  EventPublisher,
  dueScheduled,
  openDigests,
  relayUnpublished,
  releaseScheduled,
  rollUpMinutes,
  unenqueuedEmails,
  type CreateDeps,
} from '@tidings/domain';
import { EmailRenderer, Mailer } from '@tidings/email';
import {
  bullEmailOutbox,
  bullPrefix,
  emailQueue,
  maintenanceJobs,
  queueMarkerKey,
  queueNames,
  releaseJobSchema,
  type EmailJob,
  type ReleaseJob,
} from '@tidings/jobs';
import {
  AppError,
  createLogger,
  createOpsHandler,
  createRedis,
  createRegistry,
  guardHttpServer,
  httpServerOptions,
  metricFactories,
  readinessChecks,
  runService,
  sendError,
  type Logger,
} from '@tidings/server-kit';
import { emailDelivery } from './email.ts';
import { RedisDataLossWatch } from './redis-data-loss.ts';

export interface RunningWorker {
  url: string;
  /** Idempotent graceful shutdown: finishes the jobs in hand, then closes clients. */
  close(): Promise<void>;
}

/**
 * How often overdue scheduled sends are swept up, unpublished notifications relayed, queued emails
 * that never reached the queue enqueued, and closed minutes rolled up for the admin charts (a
 * minute closes 5 minutes after its end, so the open tail a chart counts from the rows stays under
 * about 6 minutes).
 */
const RELEASE_SWEEP_MS = 1_000;
const RELAY_EVERY_MS = 2_000;
const EMAIL_RELAY_EVERY_MS = 5_000;
const STATS_ROLLUP_EVERY_MS = 30_000;

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
  const database = createDatabase(config.DATABASE_URL, { max: 5, applicationName: 'tidings-worker' });
  const redis = createRedis(config.REDIS_URL, logger, { name: 'worker', failFast: true });
  // BullMQ workers block on Redis and must retry for ever while it is away.
  const bullConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, connectionName: 'worker-bull' });
  bullConnection.on('error', () => {});
  const broker = new RedisBroker(redis, () => createRedis(config.REDIS_URL, logger, { name: 'worker-sub' }), logger);
  const publisher = new EventPublisher(
    broker,
    channelsFor(config.REDIS_PREFIX),
    database.sql,
    logger,
    new RedisOfflineQueue(redis, config.REDIS_PREFIX, config.OFFLINE_QUEUE_SIZE),
  );
  const registry = createRegistry('worker');
  const republished = metricFactories.outboxRepublished(registry);
  const created = metricFactories.notificationsCreated(registry);
  const depth = metricFactories.queueDepth(registry);
  const prefix = bullPrefix(config.REDIS_PREFIX);
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
  /** The sweeps and digests, as job schedulers (idempotent: also run again when Redis lost them). */
  async function installSchedulers(): Promise<void> {
    const sweepOpts = { removeOnComplete: true, removeOnFail: 100 };
    await maintenance.upsertJobScheduler(maintenanceJobs.releaseDue, { every: RELEASE_SWEEP_MS }, { name: maintenanceJobs.releaseDue, opts: sweepOpts });
    await maintenance.upsertJobScheduler(maintenanceJobs.outboxRelay, { every: RELAY_EVERY_MS }, { name: maintenanceJobs.outboxRelay, opts: sweepOpts });
    await maintenance.upsertJobScheduler(maintenanceJobs.emailRelay, { every: EMAIL_RELAY_EVERY_MS }, { name: maintenanceJobs.emailRelay, opts: sweepOpts });
    await maintenance.upsertJobScheduler(maintenanceJobs.statsRollup, { every: STATS_ROLLUP_EVERY_MS }, { name: maintenanceJobs.statsRollup, opts: sweepOpts });
    const digestOpts = { removeOnComplete: 100, removeOnFail: 100, attempts: 5, backoff: { type: 'exponential', delay: 10_000 } };
    await maintenance.upsertJobScheduler(
      maintenanceJobs.digestDaily,
      { pattern: config.DIGEST_DAILY_CRON, tz: config.DIGEST_TZ },
      { name: maintenanceJobs.digestDaily, opts: digestOpts },
    );
    await maintenance.upsertJobScheduler(
      maintenanceJobs.digestWeekly,
      { pattern: config.DIGEST_WEEKLY_CRON, tz: config.DIGEST_TZ },
      { name: maintenanceJobs.digestWeekly, opts: digestOpts },
    );
  }
  await installSchedulers();
  /** Emails this process is sending right now: a recovery must not queue them a second time. */
  const inHand = new Set<string>();
  const maintenanceWorker = new Worker(
    queueNames.maintenance,
    async (job: Job) => {
      if (job.name === maintenanceJobs.releaseDue) {
        for (const id of await dueScheduled(database.sql)) await release(id);
      } else if (job.name === maintenanceJobs.outboxRelay) {
        const count = await relayUnpublished(database, publisher, config.OUTBOX_GRACE_MS);
        if (count > 0) {
          republished.inc(count);
          logger.info({ count }, 'outbox relay republished notifications');
        }
      } else if (job.name === maintenanceJobs.emailRelay) {
        const ids = await unenqueuedEmails(database.sql, config.OUTBOX_GRACE_MS);
        await emailOutbox.enqueue(ids);
        if (ids.length > 0) logger.info({ count: ids.length }, 'email relay enqueued queued emails');
        const { lost } = await emailOutbox.recoverStale(new Date(Date.now() - (options.staleEmailMs ?? 600_000)), inHand);
        if (lost > 0) logger.warn({ count: lost }, 'email relay enqueued again queued emails whose jobs were lost');
      } else if (job.name === maintenanceJobs.statsRollup) {
        // A failure is logged by the 'failed' handler below; the next tick takes up where this one stopped.
        const rolled = await rollUpMinutes(database.sql);
        // Each tick counts the minute or so that closed since the last; only a catch-up is news.
        const level = rolled.minutes > 2 ? 'info' : 'debug';
        logger[level](
          { minutes: rolled.minutes, rows: rolled.rows, pruned: rolled.pruned, until: rolled.rolledUntil },
          'stats rollup: closed minutes counted for the admin charts',
        );
      } else if (job.name === maintenanceJobs.digestDaily || job.name === maintenanceJobs.digestWeekly) {
        const period = job.name === maintenanceJobs.digestDaily ? 'daily' : 'weekly';
        const ids = await openDigests(database.sql, period, new Date());
        await emailOutbox.enqueue(ids);
        logger.info({ period, count: ids.length }, 'digests opened');
      }
    },
    { connection: bullConnection, prefix, concurrency: 1 },
  );
  const sendDuration = metricFactories.emailSendDuration(registry);
  const outcomes = metricFactories.emailSent(registry);
  let mailer: Mailer | undefined;
  let emailWorker: Worker<EmailJob> | undefined;
  if (config.SMTP_URL === undefined) {
    logger.warn('SMTP_URL is not set: emails stay queued until a worker with SMTP_URL runs');
  } else {
    mailer = new Mailer({ url: config.SMTP_URL, from: config.EMAIL_FROM, maxConnections: Math.min(config.EMAIL_CONCURRENCY, 10), sendDuration });
    const renderer = new EmailRenderer({ branding: emailBranding(config) });
    emailWorker = new Worker<EmailJob>(
      queueNames.email,
      emailDelivery({ sql: database.sql, renderer, mailer, config, logger, outcomes, inHand, holdSending: (ms) => emails.rateLimit(ms) }),
      {
        connection: bullConnection,
        prefix,
        concurrency: config.EMAIL_CONCURRENCY,
        lockDuration: options.emailLockMs ?? 15_000,
        stalledInterval: options.stalledCheckMs ?? 10_000,
        // A worker that dies mid-send leaves its job stalled; it is tried again, not failed.
        maxStalledCount: 5,
        // No limit in practice; BullMQ honours a hold (the SMTP server away) only on a limited queue.
        limiter: { max: 1_000_000, duration: 1_000 },
      },
    );
  }
  for (const worker of [scheduledWorker, maintenanceWorker, ...(emailWorker ? [emailWorker] : [])]) {
    worker.on('failed', (job, error) => logger.warn({ job: job?.name, id: job?.id, err: error.message }, 'job failed'));
    worker.on('error', (error) => logger.warn({ err: error.message }, 'worker error'));
  }
  const scheduled = new Queue(queueNames.scheduled, { connection: bullConnection, prefix });
  // Scheduled sends whose release job was lost are released by the release sweep once due; lost
  // email jobs are found here at once rather than by the relay's stale check minutes later.
  const dataLoss = new RedisDataLossWatch(
    redis,
    queueMarkerKey(config.REDIS_PREFIX),
    async () => {
      await installSchedulers();
      const lost = await emailOutbox.recoverAll(new Date(), inHand);
      if (lost > 0) logger.warn({ emails: lost }, 'job schedulers restored; queued emails whose jobs were lost enqueued again');
      else logger.info('job schedulers in place; no email job was lost');
    },
    logger,
  );
  await dataLoss.start();

  const ops = createOpsHandler({
    registry,
    checks: { postgres: readinessChecks.postgres(database.sql), redis: readinessChecks.redis(redis) },
    // The queues' connection waits for Redis rather than failing: while it is away, a scrape
    // answers with the depths from before.
    beforeMetrics: async () => {
      for (const queue of [scheduled, maintenance, emails]) {
        const counts = await queue.getJobCounts('waiting', 'delayed', 'active').catch(() => undefined);
        if (counts) depth.set({ queue: queue.name }, (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0));
      }
    },
  });
  const server: Server = guardHttpServer(
    createServer(httpServerOptions, (req, res) => {
      if (ops(req, res)) return;
      sendError(res, new AppError('not_found', 'no such route'));
    }),
    logger,
  );
  server.listen(port);
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

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
