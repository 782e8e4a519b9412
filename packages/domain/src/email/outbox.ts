import type { Sql } from '@tidings/db';
import type { Logger } from '@tidings/server-kit';
import { pendingEmails } from './email.ts';

/**
 * The email queue, as the domain hands emails to it: queued `email_logs` rows go in once the
 * transaction that wrote them has committed. `@tidings/jobs` implements it over BullMQ.
 */
export interface EmailOutbox {
  /**
   * Hands these queued emails (`email_logs` ids) to the queue, then marks them enqueued.
   * Guarantee: one job per email however often it is handed over (the job id is its log id), and
   * an email is marked only once the queue holds its job. Rejects when the queue or Postgres is
   * away; the worker's email relay then hands the emails over after a grace period.
   */
  enqueue(logIds: readonly string[]): Promise<void>;
}

/**
 * After a send with emails commits: hands its queued emails to the outbox. A failure is logged,
 * never thrown, as the send is committed: the worker's email relay enqueues them after a grace
 * period anyway.
 */
export async function enqueueSendEmails(deps: { sql: Sql; emailOutbox: EmailOutbox; logger: Logger }, broadcastId: string): Promise<void> {
  try {
    await deps.emailOutbox.enqueue(await pendingEmails(deps.sql, broadcastId));
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message, broadcast: broadcastId }, 'could not enqueue emails; the worker email relay will');
  }
}
