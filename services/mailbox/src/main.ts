import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createLogger, exitOnFatal, type Logger } from '@tidings/server-kit';
import { createHttpServer } from './http.ts';
import { createSmtpServer } from './smtp.ts';
import { MessageStore } from './store.ts';

export interface MailboxOptions {
  /** 0 picks a free port. @defaultValue 1025 */
  smtpPort?: number;
  /** 0 picks a free port. @defaultValue 8025 */
  httpPort?: number;
  /** Where both servers listen. @defaultValue '127.0.0.1' */
  host?: string;
  /** Messages kept; the oldest go first. @defaultValue 500 */
  limit?: number;
  /** @defaultValue a silent logger */
  logger?: Logger;
}

export interface Mailbox {
  smtpPort: number;
  httpPort: number;
  store: MessageStore;
  /** Stops both servers; safe to call more than once. */
  close(): Promise<void>;
}

function listen(server: { listen(port: number, host: string, callback: () => void): unknown; once(event: 'error', listener: (error: Error) => void): unknown }, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

/** Starts the dev mailbox: an SMTP server that keeps every message, and a page to read them. */
export async function startMailbox(options: MailboxOptions = {}): Promise<Mailbox> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createLogger('mailbox', 'silent');
  const store = new MessageStore(options.limit ?? 500);
  const smtp = createSmtpServer(store, logger);
  const http: Server = createHttpServer(store, logger);

  await listen(smtp, options.smtpPort ?? 1025, host);
  try {
    await listen(http, options.httpPort ?? 8025, host);
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  logger.info({ smtp: `smtp://${host}:${smtpPort}`, http: `http://${host}:${httpPort}` }, 'dev mailbox listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= Promise.all([
      new Promise<void>((resolve) => smtp.close(() => resolve())),
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeIdleConnections();
      }),
    ]).then(() => logger.info('dev mailbox closed')));

  return { smtpPort, httpPort, store, close };
}

const envSchema = z.object({
  MAILBOX_SMTP_PORT: z.coerce.number().int().min(0).max(65_535).default(1025),
  MAILBOX_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(8025),
  MAILBOX_HOST: z.string().min(1).default('127.0.0.1'),
  MAILBOX_LIMIT: z.coerce.number().int().positive().default(500),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`${issue.path.join('.')}: ${issue.message}`);
    process.exit(1);
  }
  const env = parsed.data;
  const logger = createLogger('mailbox', env.LOG_LEVEL);
  exitOnFatal(logger, 'mailbox');
  const mailbox = await startMailbox({ smtpPort: env.MAILBOX_SMTP_PORT, httpPort: env.MAILBOX_HTTP_PORT, host: env.MAILBOX_HOST, limit: env.MAILBOX_LIMIT, logger });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void mailbox.close().then(() => process.exit(0));
    });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
