import { createTransport, type Mail, type SMTPPoolOptions, type SMTPSentMessageInfo, type SMTPTransportOptions } from 'nodemailer';

/**
 * A failed send. `temporary` tells the queue what to do: retry with backoff (4xx replies, the
 * server unreachable or slow) or fail the email at once (5xx replies, a message that cannot be
 * built). `reason` is the server's own words when it answered.
 */
export abstract class EmailError extends Error {
  abstract readonly temporary: boolean;
  /** nodemailer's or Node's error code (`ECONNECTION`, `EENVELOPE`, `ECONNREFUSED`…), when there is one. */
  readonly code: string | undefined;
  /** The SMTP reply code, when the server answered. */
  readonly responseCode: number | undefined;
  /** The SMTP reply text, when the server answered. */
  readonly reason: string | undefined;
  /** The SMTP command that was answered (`RCPT TO`, `DATA`…). */
  readonly command: string | undefined;

  constructor(
    message: string,
    details: { code?: string | undefined; responseCode?: number | undefined; reason?: string | undefined; command?: string | undefined; cause?: unknown },
  ) {
    super(message, { cause: details.cause });
    this.code = details.code;
    this.responseCode = details.responseCode;
    this.reason = details.reason;
    this.command = details.command;
  }
}

/** Worth retrying later: a 4xx reply, a refused or reset connection, a timeout. */
export class TemporaryEmailError extends EmailError {
  readonly temporary = true;
  override readonly name = 'TemporaryEmailError';

  /**
   * The server never answered (refused, reset, timed out, not found): nothing about this email is
   * wrong, the server is away, and every other email would fail the same way now.
   */
  get unreachable(): boolean {
    return this.responseCode === undefined;
  }
}

/** Retrying will not help: a 5xx reply (unknown mailbox, rejected content…) or a message that cannot be built. */
export class PermanentEmailError extends EmailError {
  readonly temporary = false;
  override readonly name = 'PermanentEmailError';
}

/** Codes without an SMTP reply that mean the message itself (or the configuration) is wrong, not the network. */
const permanentCodes = new Set(['EMESSAGE', 'EENVELOPE', 'ENOAUTH', 'EAUTH', 'ECONFIG', 'EMAXRECIPIENTS', 'EREQUIRETLS', 'EFILEACCESS', 'EURLACCESS']);

/**
 * Sorts any error from a send into temporary or permanent. A reply code decides when the server
 * gave one (4xx temporary, 5xx permanent); otherwise network trouble (refused, reset, timeout,
 * DNS, TLS) is temporary, a known message or configuration fault permanent, and anything
 * unknown temporary, so the queue's bounded retries decide rather than one surprise.
 */
export function classifySmtpError(error: unknown): TemporaryEmailError | PermanentEmailError {
  if (error instanceof TemporaryEmailError || error instanceof PermanentEmailError) return error;
  const raw = (error ?? {}) as { code?: unknown; responseCode?: unknown; response?: unknown; command?: unknown; message?: unknown };
  const code = typeof raw.code === 'string' ? raw.code : undefined;
  const responseCode = typeof raw.responseCode === 'number' ? raw.responseCode : undefined;
  const reason = typeof raw.response === 'string' ? raw.response : undefined;
  const command = typeof raw.command === 'string' ? raw.command : undefined;
  const message = typeof raw.message === 'string' ? raw.message : String(error);
  const details = { code, responseCode, reason, command, cause: error };
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 600) {
    const text = `SMTP ${responseCode}${command ? ` on ${command}` : ''}: ${reason ?? message}`;
    return responseCode < 500 ? new TemporaryEmailError(text, details) : new PermanentEmailError(text, details);
  }
  if (code !== undefined && permanentCodes.has(code)) return new PermanentEmailError(message, details);
  return new TemporaryEmailError(message, details);
}

export interface OutgoingEmail {
  to: string;
  /** @defaultValue the Mailer's `from` */
  from?: string | undefined;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, such as those from `unsubscribeHeaders()`. */
  headers?: Record<string, string> | undefined;
  /** `<id@domain>`: a stable one lets receivers drop a copy sent again after a crash. @defaultValue nodemailer makes one */
  messageId?: string | undefined;
}

export interface SentEmail {
  /** The Message-ID header, for `email_logs.provider_message_id`. */
  messageId: string;
  /** The server's final reply, such as `250 OK: queued as 1234`. */
  response: string;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; query options such as `?pool=true` are nodemailer's. */
  url: string;
  /** Sender when a message names none (EMAIL_FROM). */
  from: string;
  /** Keep connections open and reuse them. @defaultValue true */
  pool?: boolean;
  /** Open connections in the pool. @defaultValue 5 */
  maxConnections?: number;
  /** @defaultValue 10000 */
  connectionTimeoutMs?: number;
  /** @defaultValue 10000 */
  greetingTimeoutMs?: number;
  /** Inactivity on an open connection. @defaultValue 30000 */
  socketTimeoutMs?: number;
  /** Observes each send's duration in seconds, failed ones included (`tidings_email_send_duration_seconds`). */
  sendDuration?: { observe(seconds: number): void };
}

/** Sends one email over SMTP and reports failures as TemporaryEmailError or PermanentEmailError. */
export class Mailer {
  readonly #transport: Mail<SMTPSentMessageInfo, SMTPTransportOptions>;
  readonly #from: string;
  readonly #sendDuration: MailerOptions['sendDuration'];

  constructor(options: MailerOptions) {
    this.#from = options.from;
    this.#sendDuration = options.sendDuration;
    const settings: SMTPPoolOptions = {
      url: options.url,
      maxConnections: options.maxConnections ?? 5,
      maxMessages: 1_000,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
    };
    // Each overload of createTransport names the transport `pool` picks.
    this.#transport = (options.pool ?? true) ? createTransport({ ...settings, pool: true }) : createTransport({ ...settings, pool: false });
  }

  /** Resolves once the server accepted the message; rejects with a TemporaryEmailError or PermanentEmailError. */
  async send(email: OutgoingEmail): Promise<SentEmail> {
    const started = performance.now();
    try {
      const info = await this.#transport.sendMail({
        from: email.from ?? this.#from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        headers: email.headers,
        messageId: email.messageId,
        // Our parts are mostly ASCII with long lines: quoted-printable is what nodemailer would pick,
        // and naming it skips its scan of every part, twice, to choose (a fifth of a worker's CPU).
        textEncoding: 'quoted-printable',
        // A message is built from strings only: never let it fetch a URL or read a file.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return { messageId: info.messageId, response: info.response };
    } catch (error) {
      throw classifySmtpError(error);
    } finally {
      this.#sendDuration?.observe((performance.now() - started) / 1000);
    }
  }

  /** Connects and greets the server: for a readiness check. */
  async verify(): Promise<void> {
    try {
      await this.#transport.verify();
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  /** Closes pooled connections. Safe to call more than once. */
  close(): void {
    this.#transport.close();
  }
}
