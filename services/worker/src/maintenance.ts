import type { Job, Queue } from 'bullmq';
import type { Counter } from 'prom-client';
import type { Config } from '@tidings/config';
import type { Database } from '@tidings/db';
import { dueScheduled, openDigests, relayUnpublished, rollUpMinutes, unenqueuedEmails, type CreateDeps } from '@tidings/domain';
import { maintenanceJobs, type BullEmailOutbox } from '@tidings/jobs';
import type { Logger } from '@tidings/server-kit';
import { releaseScheduledSend } from './scheduled-releases.ts';

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

type ScheduleConfig = Pick<Config, 'DIGEST_DAILY_CRON' | 'DIGEST_WEEKLY_CRON' | 'DIGEST_TZ'>;

/** The sweeps and digests, as job schedulers (idempotent: also run again when Redis lost them). */
export async function installSchedulers(maintenance: Queue, config: ScheduleConfig): Promise<void> {
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

export interface MaintenanceDeps {
  database: Database;
  /** What a scheduled send is released with. */
  create: CreateDeps;
  emailOutbox: BullEmailOutbox;
  config: Pick<Config, 'OUTBOX_GRACE_MS'>;
  logger: Logger;
  /** `tidings_outbox_republished_total`. */
  republished: Counter;
  /** Emails this process is sending right now: a recovery must not queue them a second time. */
  inHand: ReadonlySet<string>;
  /** A queued email whose job has not finished after this long is checked against the queue. */
  staleEmailMs: number;
}

/** Runs one job of the maintenance queue: a sweep, a relay, the stats rollup or a digest. */
export function maintenanceJob(deps: MaintenanceDeps): (job: Job) => Promise<void> {
  const { database, emailOutbox, config, logger } = deps;
  return async (job: Job) => {
    if (job.name === maintenanceJobs.releaseDue) {
      for (const id of await dueScheduled(database.sql)) await releaseScheduledSend(deps.create, id);
    } else if (job.name === maintenanceJobs.outboxRelay) {
      const count = await relayUnpublished(database, deps.create.publisher, config.OUTBOX_GRACE_MS);
      if (count > 0) {
        deps.republished.inc(count);
        logger.info({ count }, 'outbox relay republished notifications');
      }
    } else if (job.name === maintenanceJobs.emailRelay) {
      const ids = await unenqueuedEmails(database.sql, config.OUTBOX_GRACE_MS);
      await emailOutbox.enqueue(ids);
      if (ids.length > 0) logger.info({ count: ids.length }, 'email relay enqueued queued emails');
      const { lost } = await emailOutbox.recoverStale(new Date(Date.now() - deps.staleEmailMs), deps.inHand);
      if (lost > 0) logger.warn({ count: lost }, 'email relay enqueued again queued emails whose jobs were lost');
    } else if (job.name === maintenanceJobs.statsRollup) {
      // A failure is logged by the worker's 'failed' handler; the next tick takes up where this one stopped.
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
  };
}

/**
 * What runs when Redis lost its data. Scheduled sends whose release job was lost are released by
 * the release sweep once due; lost email jobs are found here at once rather than by the relay's
 * stale check minutes later.
 */
export function restoreLostJobs(
  maintenance: Queue,
  config: ScheduleConfig,
  deps: Pick<MaintenanceDeps, 'emailOutbox' | 'logger' | 'inHand'>,
): () => Promise<void> {
  return async () => {
    await installSchedulers(maintenance, config);
    const lost = await deps.emailOutbox.recoverAll(new Date(), deps.inHand);
    if (lost > 0) deps.logger.warn({ emails: lost }, 'job schedulers restored; queued emails whose jobs were lost enqueued again');
    else deps.logger.info('job schedulers in place; no email job was lost');
  };
}
