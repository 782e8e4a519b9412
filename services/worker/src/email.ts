import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Counter } from 'prom-client';
import type { Config } from '@tidings/config';
import type { Sql } from '@tidings/db';
import { digestEntries, loadEmail, markFinal, markRetrying, markSent, startAttempt, type EmailToSend } from '@tidings/domain';
import {
  TemplateError,
  TemporaryEmailError,
  classifySmtpError,
  emailComposer,
  unsubscribeHeaders,
  type EmailRenderer,
  type Mailer,
  type RenderedEmail,
  type SentEmail,
} from '@tidings/email';
import { emailJobSchema, type EmailJob } from '@tidings/jobs';
import { isDatabaseUnavailable, type Logger } from '@tidings/server-kit';

export interface EmailDeliveryDeps {
  sql: Sql;
  renderer: EmailRenderer;
  mailer: Mailer;
  config: Pick<Config, 'PUBLIC_URL' | 'UNSUBSCRIBE_SECRET' | 'UNSUBSCRIBE_MAILTO' | 'EMAIL_FROM'>;
  logger: Logger;
  /** `tidings_email_sent_total{status}`: sent, failed, suppressed, or retried (a temporary failure that will be tried again). */
  outcomes: Counter<'status'>;
  /** Filled with the ids of the emails being delivered right now. */
  inHand: Set<string>;
  /** Holds back every email job (all workers) for `ms`: the SMTP server is unreachable. */
  holdSending(ms: number): Promise<void>;
}

/**
 * While the SMTP server cannot be reached, emails wait in the queue and the server is tried again
 * this often: an outage spends no email's attempts (so a long one fails none), and sending resumes
 * within this long of the server's return rather than after a backoff grown to minutes.
 */
export const UNREACHABLE_RETRY_MS = 2_000;

/** The domain of EMAIL_FROM (`Name <a@example.com>` or `a@example.com`), for Message-IDs. */
export function messageIdDomain(from: string, publicUrl: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? new URL(publicUrl).hostname;
}

type OutcomeDeps = Pick<EmailDeliveryDeps, 'sql' | 'logger' | 'outcomes'>;

/** Writes an email's last status (with what was rendered, if anything), counts it and logs it. */
async function finish(deps: OutcomeDeps, email: EmailToSend, status: 'failed' | 'suppressed', reason: string, rendered?: RenderedEmail): Promise<void> {
  await markFinal(deps.sql, email.id, status, reason, rendered);
  deps.outcomes.inc({ status });
  deps.logger.info({ email: email.id, user: email.userId, status, reason }, `email ${status}`);
}

interface SmtpOutage {
  /** Records the attempt, holds back every email job and throws to put this one back to waiting, spending no attempt. */
  unreachable(id: string, message: string): Promise<never>;
  /** Sending works: ends the outage, if there was one. */
  reachable(): void;
}

function smtpOutage(deps: Pick<EmailDeliveryDeps, 'sql' | 'logger' | 'holdSending'>): SmtpOutage {
  const { sql, logger } = deps;
  /** When the SMTP server was last found unreachable, while it stays so: one log line per outage. */
  let unreachableSince: number | undefined;

  return {
    async unreachable(id, message) {
      if (unreachableSince === undefined) {
        unreachableSince = Date.now();
        logger.warn({ err: message, retry_ms: UNREACHABLE_RETRY_MS }, 'SMTP server unreachable: emails wait in the queue until it answers');
      }
      await markRetrying(sql, id, `SMTP server unreachable: ${message}`);
      await deps.holdSending(UNREACHABLE_RETRY_MS);
      // Back to waiting without spending an attempt.
      throw Worker.RateLimitError();
    },
    reachable() {
      if (unreachableSince === undefined) return;
      logger.info({ down_ms: Date.now() - unreachableSince }, 'SMTP server reachable again; sending resumed');
      unreachableSince = undefined;
    },
  };
}

/**
 * A send the SMTP server refused or never took: an unreachable server holds every email; a
 * permanent failure, or a temporary one on the last attempt, fails the email; any other temporary
 * failure is recorded and thrown so BullMQ retries it.
 */
async function sendFailed(
  deps: OutcomeDeps,
  outage: SmtpOutage,
  job: Job<EmailJob>,
  sending: { id: string; email: EmailToSend; rendered: RenderedEmail },
  error: unknown,
): Promise<never> {
  const { sql, logger, outcomes } = deps;
  const { id, email, rendered } = sending;
  const failure = classifySmtpError(error);
  if (failure instanceof TemporaryEmailError && failure.unreachable) return outage.unreachable(id, failure.message);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  if (!failure.temporary || lastAttempt) {
    const reason = lastAttempt && failure.temporary ? `gave up after ${job.attemptsMade + 1} attempts: ${failure.message}` : failure.message;
    await finish(deps, email, 'failed', reason, rendered);
    throw new UnrecoverableError(reason);
  }
  await markRetrying(sql, id, failure.message);
  outcomes.inc({ status: 'retried' });
  logger.warn({ email: id, user: email.userId, attempt: job.attemptsMade + 1, err: failure.message }, 'email send failed, will retry');
  throw failure;
}

/** Runs a write that must happen, trying again for as long as Postgres is unavailable. */
async function untilWritten(logger: Logger, write: () => Promise<void>, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      if (attempt === 1) logger.warn({ email: id, err: (error as Error).message }, 'email sent but not yet recorded: postgres unavailable; retrying the write');
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** attempt, 2_000)));
    }
  }
}

/**
 * Sends one queued email. Whatever happens is written to its `email_logs` row: `sent` with the
 * Message-ID, `suppressed` (address on the suppression list, user unsubscribed, or a digest with
 * nothing left unread), `failed` with the reason (a 5xx, a broken template, the last attempt), or
 * still `queued` with the error of a temporary failure, which is thrown so BullMQ retries it.
 */
export function emailDelivery(deps: EmailDeliveryDeps) {
  const { sql, renderer, mailer, config, logger, outcomes } = deps;
  const domain = messageIdDomain(config.EMAIL_FROM, config.PUBLIC_URL);

  const composer = emailComposer({
    renderer,
    publicUrl: config.PUBLIC_URL,
    unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    digestItems: (userId, since, until) => digestEntries(sql, userId, since, until),
  });

  const outage = smtpOutage(deps);

  return async function deliver(job: Job<EmailJob>): Promise<void> {
    const { log_id: id } = emailJobSchema.parse(job.data);
    deps.inHand.add(id);
    try {
      await deliverOne(job, id);
    } catch (error) {
      // Postgres away before the email went out: it waits like an email for an unreachable SMTP
      // server, spending no attempt.
      if (!isDatabaseUnavailable(error)) throw error;
      await deps.holdSending(UNREACHABLE_RETRY_MS);
      throw Worker.RateLimitError();
    } finally {
      deps.inHand.delete(id);
    }
  };

  async function deliverOne(job: Job<EmailJob>, id: string): Promise<void> {
    const email = await loadEmail(sql, id);
    if (email === undefined || email.status !== 'queued') return; // deleted, or already done by an earlier run
    if (email.blockedBy !== null) {
      await finish(deps, email, 'suppressed', email.blockedBy === 'suppressed' ? 'address is on the suppression list' : 'recipient unsubscribed from email');
      return;
    }
    let rendered: RenderedEmail | null;
    try {
      rendered = await composer.render(email);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      await finish(deps, email, 'failed', error.message);
      throw new UnrecoverableError(error.message);
    }
    if (rendered === null) {
      await finish(deps, email, 'suppressed', 'nothing left to send: every item was read or opted out of');
      return;
    }
    if (!(await startAttempt(sql, id))) return;
    let sent: SentEmail;
    try {
      sent = await mailer.send({
        to: email.to,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        headers: unsubscribeHeaders(composer.unsubscribeLink(email.userId), config.UNSUBSCRIBE_MAILTO),
        // The same id on every attempt: a copy sent again after a crash is recognisably the same email.
        messageId: `<${email.id}@${domain}>`,
      });
    } catch (error) {
      return sendFailed(deps, outage, job, { id, email, rendered }, error);
    }
    outage.reachable();
    // The server has the email: recording that must not fail, or a retry would send it again. While
    // Postgres is away the write is tried again here, holding the job (its lock kept alive), so only
    // a process that dies meanwhile leaves a copy to be sent (with the same Message-ID).
    await untilWritten(logger, () => markSent(sql, id, { messageId: sent.messageId, subject: rendered.subject, template: rendered.template }), id);
    outcomes.inc({ status: 'sent' });
    logger.info({ email: id, user: email.userId, to: email.to, kind: email.kind, attempt: job.attemptsMade + 1 }, 'email sent');
  }
}
