import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '@tidings/server-kit';
import type { MessageStore } from './store.ts';

/** Largest message accepted, in bytes; a bigger one is refused with 552. */
export const maxMessageBytes = 10 * 1024 * 1024;

/**
 * An SMTP server that accepts every message for every address and keeps it in the store. No TLS
 * and no required login: it only ever listens for the local stack. A client that logs in anyway
 * (an SMTP_URL with credentials) is let in with any password.
 */
export function createSmtpServer(store: MessageStore, logger: Logger): SMTPServer {
  const server = new SMTPServer({
    name: 'tidings-mailbox',
    banner: 'Tidings dev mailbox: messages are kept, never delivered',
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: maxMessageBytes,
    rejectOversized: true,
    logger: false,
    closeTimeout: 2_000,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          if (stream.sizeExceeded) return callback(null);
          const message = store.add({
            envelope: {
              from: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
            },
            parsed,
            size: stream.byteLength,
          });
          logger.info({ id: message.id, from: message.from, to: message.envelope.to, subject: message.subject }, 'message received');
          callback(null, `Message ${message.id} kept`);
        },
        (error: Error) => {
          logger.warn({ err: error }, 'unparseable message refused');
          callback(Object.assign(new Error(`cannot parse message: ${error.message}`), { responseCode: 554 }));
        },
      );
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'smtp connection error'));
  return server;
}
