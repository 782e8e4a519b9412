import { Queue, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { Sql } from '@tidings/db';
import { markEnqueued, staleEmails, type EmailOutbox } from '@tidings/domain';

/** Every BullMQ queue of Tidings, named in one place. */
export const queueNames = {
  /** One delayed job per scheduled send, due at its `send_at`. */
  scheduled: 'scheduled',
  /** Periodic upkeep: releasing overdue scheduled sends, the outbox and email relays, digests, the stats rollup. */
  maintenance: 'maintenance',
  /** One job per email (`email_logs` row): render, send over SMTP, record the outcome. */
  email: 'email',
} as const;

export const maintenanceJobs = {
  releaseDue: 'release-due',
  outboxRelay: 'outbox-relay',
  emailRelay: 'email-relay',
  digestDaily: 'digest-daily',
  digestWeekly: 'digest-weekly',
  /** Per-minute notification counts of the closed minutes, for the admin charts (`rollUpMinutes`). */
  statsRollup: 'stats-rollup',
} as const;

export const emailJobSchema = z.object({ log_id: z.uuid() });
export type EmailJob = z.infer<typeof emailJobSchema>;

/** The job id of an email: its log row is unique per send and recipient, so a retried request or a relay never queues it twice. */
export const emailJobId = (logId: string) => `email-${logId}`;

/** How temporary SMTP failures are retried: exponential backoff from `backoffMs`, with ±50% jitter. */
export interface EmailRetry {
  attempts: number;
  backoffMs: number;
}

export const releaseJobSchema = z.object({ broadcast_id: z.uuid() });
export type ReleaseJob = z.infer<typeof releaseJobSchema>;

/** BullMQ keys live under the deployment's Redis prefix too, so test runs never share queues. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

/** A key the worker keeps in Redis: when it is gone, Redis has lost its data and with it every job (see the worker). */
export function queueMarkerKey(redisPrefix: string): string {
  return `${bullPrefix(redisPrefix)}:marker`;
}

/** The job id of a scheduled send's release: one job per send, however often it is enqueued. */
export const releaseJobId = (broadcastId: string) => `release-${broadcastId}`;

export function scheduledQueue(connection: ConnectionOptions, redisPrefix: string): Queue<ReleaseJob> {
  return new Queue<ReleaseJob>(queueNames.scheduled, { connection, prefix: bullPrefix(redisPrefix) });
}

/** Enqueues the release of a scheduled send at its time. */
export async function enqueueRelease(queue: Queue<ReleaseJob>, broadcastId: string, sendAt: Date): Promise<void> {
  await queue.add(
    'release',
    { broadcast_id: broadcastId },
    {
      jobId: releaseJobId(broadcastId),
      delay: Math.max(0, sendAt.getTime() - Date.now()),
      removeOnComplete: 1_000,
      removeOnFail: 5_000,
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
    },
  );
}

export function emailQueue(connection: ConnectionOptions, redisPrefix: string): Queue<EmailJob> {
  return new Queue<EmailJob>(queueNames.email, { connection, prefix: bullPrefix(redisPrefix) });
}

/** Hands queued emails to the queue, one job each. */
export async function enqueueEmails(queue: Queue<EmailJob>, logIds: readonly string[], retry: EmailRetry): Promise<void> {
  const opts = {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs, jitter: 0.5 },
    removeOnComplete: { count: 10_000 },
    removeOnFail: { count: 10_000 },
  };
  for (let start = 0; start < logIds.length; start += 1_000) {
    const slice = logIds.slice(start, start + 1_000);
    await queue.addBulk(slice.map((id) => ({ name: 'send', data: { log_id: id }, opts: { ...opts, jobId: emailJobId(id) } })));
  }
}

/** The email outbox over BullMQ, with the recovery of jobs Redis lost. */
export interface BullEmailOutbox extends EmailOutbox {
  /**
   * Queued emails enqueued before `enqueuedBefore` whose job is gone (Redis lost it) or ended
   * without the log moving on (Postgres was down when it failed) are enqueued afresh; those whose
   * job is still waiting, delayed or running are left alone. Every email looked at is marked
   * enqueued now, so it is looked at again only after the next cutoff passes it. Emails in
   * `inHand` (being sent by this process right now) are skipped. Looks at one batch; answers how
   * many emails it looked at and how many it enqueued again.
   */
  recoverStale(enqueuedBefore: Date, inHand?: ReadonlySet<string>): Promise<{ checked: number; lost: number }>;
  /** Every queued email enqueued before `enqueuedBefore`, batch after batch (after Redis lost its data). */
  recoverAll(enqueuedBefore: Date, inHand?: ReadonlySet<string>): Promise<number>;
}

/**
 * The email outbox on the email queue: queued emails go to the queue, one job each, then are
 * marked enqueued. Dying between the two only means the relay enqueues them again, which the job
 * id makes harmless.
 */
export function bullEmailOutbox(sql: Sql, queue: Queue<EmailJob>, retry: EmailRetry): BullEmailOutbox {
  const enqueue = async (logIds: readonly string[]) => {
    if (logIds.length === 0) return;
    await enqueueEmails(queue, logIds, retry);
    await markEnqueued(sql, logIds);
  };
  const recoverStale = async (enqueuedBefore: Date, inHand: ReadonlySet<string> = new Set()): Promise<{ checked: number; lost: number }> => {
    const ids = (await staleEmails(sql, enqueuedBefore)).filter((id) => !inHand.has(id));
    const lost: string[] = [];
    for (const id of ids) {
      const job = await queue.getJob(emailJobId(id));
      const state = job === undefined ? 'missing' : await job.getState();
      if (state === 'missing' || state === 'unknown' || state === 'failed' || state === 'completed') {
        await job?.remove();
        lost.push(id);
      }
    }
    if (lost.length > 0) await enqueueEmails(queue, lost, retry);
    await markEnqueued(sql, ids);
    return { checked: ids.length, lost: lost.length };
  };
  const recoverAll = async (enqueuedBefore: Date, inHand?: ReadonlySet<string>): Promise<number> => {
    let lost = 0;
    for (;;) {
      const batch = await recoverStale(enqueuedBefore, inHand);
      lost += batch.lost;
      if (batch.checked === 0) return lost;
    }
  };
  return { enqueue, recoverStale, recoverAll };
}
