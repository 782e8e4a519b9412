import { Worker, type Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { emailBranding, type Config } from '@tidings/config';
import type { Sql } from '@tidings/db';
import { EmailRenderer, Mailer } from '@tidings/email';
import { queueNames, type EmailJob } from '@tidings/jobs';
import { metricFactories, type Logger } from '@tidings/server-kit';
import { emailDelivery } from './email.ts';
import type { QueueConnection } from './scheduled-releases.ts';

export interface EmailWorkerDeps {
  config: Config;
  logger: Logger;
  registry: Registry;
  sql: Sql;
  emails: Queue<EmailJob>;
  queues: QueueConnection;
  /** Filled with the ids of the emails being delivered right now. */
  inHand: Set<string>;
  /** @defaultValue 15000 */
  lockMs?: number;
  /** @defaultValue 10000 */
  stalledCheckMs?: number;
}

/** The SMTP client and the worker that sends queued emails, when SMTP_URL is set; none otherwise. */
export function startEmailWorker(deps: EmailWorkerDeps): { mailer?: Mailer; worker?: Worker<EmailJob> } {
  const { config, logger, registry, emails } = deps;
  const sendDuration = metricFactories.emailSendDuration(registry);
  const outcomes = metricFactories.emailSent(registry);
  if (config.SMTP_URL === undefined) {
    logger.warn('SMTP_URL is not set: emails stay queued until a worker with SMTP_URL runs');
    return {};
  }
  const mailer = new Mailer({ url: config.SMTP_URL, from: config.EMAIL_FROM, maxConnections: Math.min(config.EMAIL_CONCURRENCY, 10), sendDuration });
  const renderer = new EmailRenderer({ branding: emailBranding(config) });
  const worker = new Worker<EmailJob>(
    queueNames.email,
    emailDelivery({ sql: deps.sql, renderer, mailer, config, logger, outcomes, inHand: deps.inHand, holdSending: (ms) => emails.rateLimit(ms) }),
    {
      connection: deps.queues.connection,
      prefix: deps.queues.prefix,
      concurrency: config.EMAIL_CONCURRENCY,
      lockDuration: deps.lockMs ?? 15_000,
      stalledInterval: deps.stalledCheckMs ?? 10_000,
      // A worker that dies mid-send leaves its job stalled; it is tried again, not failed.
      maxStalledCount: 5,
      // No limit in practice; BullMQ honours a hold (the SMTP server away) only on a limited queue.
      limiter: { max: 1_000_000, duration: 1_000 },
    },
  );
  return { mailer, worker };
}
