import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  messageId: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** Lower-case names, raw values as sent (unfolded). */
  headers: Record<string, string>;
  acceptedAt: number;
}

export interface SmtpSinkOptions {
  /** Recipients refused at RCPT TO with 550 (a permanent failure). */
  reject?: (address: string) => boolean;
  /** Recipients refused at RCPT TO with 451 (try again later) while this answers true, as greylisting does. */
  defer?: (address: string) => boolean;
  /** Keep only Message-IDs and arrival times (for the benchmark: no parsing cost). */
  countOnly?: boolean;
}

/**
 * A real SMTP server for tests: accepts (or refuses) over a socket and keeps what arrived. It can be
 * closed and started again on the same port (a new server each time: a closed smtp-server only
 * answers 421), keeping the messages.
 */
export class SmtpSink {
  readonly messages: SinkMessage[] = [];
  port = 0;
  #server: SMTPServer | undefined;

  constructor(private readonly options: SmtpSinkOptions = {}) {}

  #create(): SMTPServer {
    const { options } = this;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (options.reject?.(address.address)) {
          return callback(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        }
        if (options.defer?.(address.address)) {
          return callback(Object.assign(new Error(`4.7.1 <${address.address}>: greylisted, try again later`), { responseCode: 451 }));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (options.countOnly) {
          let head = '';
          stream.on('data', (chunk: Buffer) => {
            if (head.length < 4_096) head += chunk.toString('latin1');
          });
          stream.on('end', () => {
            const messageId = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '';
            this.messages.push({ messageId, to, subject: '', html: '', text: '', headers: {}, acceptedAt: Date.now() });
            callback(null);
          });
          return;
        }
        simpleParser(stream).then(
          (parsed) => {
            const headers: Record<string, string> = {};
            for (const { key, line } of parsed.headerLines)
              headers[key] = line
                .slice(line.indexOf(':') + 1)
                .replace(/\r?\n(?=[ \t])/g, '')
                .trim();
            this.messages.push({
              messageId: parsed.messageId ?? '',
              to,
              subject: parsed.subject ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              text: parsed.text ?? '',
              headers,
              acceptedAt: Date.now(),
            });
            callback(null);
          },
          (error: Error) => callback(error),
        );
      },
    });
    server.on('error', () => {});
    return server;
  }

  async start(): Promise<this> {
    const server = this.#create();
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): SinkMessage[] {
    return this.messages.filter((message) => message.to.includes(address));
  }

  /** Stops listening; connections in progress are ended. */
  close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
