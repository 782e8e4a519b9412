import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createLogger, createOpsHandler, createRegistry, runService, type Logger } from '@tidings/server-kit';
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

function listen(
  server: { listen(port: number, host: string, callback: () => void): unknown; once(event: 'error', listener: (error: Error) => void): unknown },
  port: number,
  host: string,
): Promise<void> {
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
  // No dependency to be ready for: `/readyz` answers like `/healthz`, `/metrics` the process metrics.
  const http: Server = createHttpServer(store, logger, createOpsHandler({ registry: createRegistry('mailbox') }));

  await listen(smtp, options.smtpPort ?? 1025, host);
  try {
    await listen(http, options.httpPort ?? 8025, host);
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    throw error;
  }
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;

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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runService({
    name: 'mailbox',
    start: async (config, logger) => {
      const host = config.MAILBOX_HOST;
      const mailbox = await startMailbox({ smtpPort: config.MAILBOX_SMTP_PORT, httpPort: config.MAILBOX_HTTP_PORT, host, limit: config.MAILBOX_LIMIT, logger });
      const url = `http://${host}:${mailbox.httpPort}`;
      return { url, addresses: { smtp: `smtp://${host}:${mailbox.smtpPort}`, http: url }, close: () => mailbox.close() };
    },
  });
}
