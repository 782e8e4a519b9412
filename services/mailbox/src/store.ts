import type { AddressObject, ParsedMail } from 'mailparser';

/** One received email, as the pages and the JSON API show it. */
export interface StoredMessage {
  id: string;
  receivedAt: Date;
  /** The SMTP envelope: who the client said it was from and to (Bcc recipients show only here). */
  envelope: { from: string | null; to: string[] };
  from: string;
  to: string;
  subject: string;
  date: Date;
  /** Every header as sent, unfolded, lower-case names; repeated headers joined by a newline. */
  headers: Record<string, string>;
  html: string | null;
  text: string | null;
  size: number;
}

export interface MessageInput {
  envelope: StoredMessage['envelope'];
  parsed: ParsedMail;
  size: number;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value]).map((address) => address.text).join(', ');
}

/**
 * Every header as one string: mailparser's decoded text where it has one (a MIME-encoded subject,
 * an address list), otherwise the line as sent, unfolded per RFC 5322 §2.2.3 (mailparser turns
 * some, such as List-* and Content-Type, into objects that would lose their exact wording).
 */
function headerStrings(parsed: ParsedMail): Record<string, string> {
  const raw: Record<string, string[]> = {};
  for (const { key, line } of parsed.headerLines) {
    (raw[key] ??= []).push(
      line
        .slice(line.indexOf(':') + 1)
        .replace(/\r?\n(?=[ \t])/g, '')
        .trim(),
    );
  }
  const headers: Record<string, string> = {};
  for (const [key, lines] of Object.entries(raw)) {
    const decoded = parsed.headers.get(key);
    if (lines.length === 1 && typeof decoded === 'string') headers[key] = decoded;
    else if (lines.length === 1 && isAddressObject(decoded)) headers[key] = decoded.text;
    else headers[key] = lines.join('\n');
  }
  return headers;
}

function isAddressObject(value: unknown): value is AddressObject {
  return typeof value === 'object' && value !== null && 'value' in value && 'text' in value && typeof value.text === 'string';
}

/**
 * The last `limit` messages, in memory only: a dev mailbox forgets everything on restart, and the
 * oldest message goes when a new one would pass the limit.
 */
export class MessageStore {
  readonly #messages: StoredMessage[] = [];
  #lastId = 0;

  constructor(readonly limit: number) {}

  add({ envelope, parsed, size }: MessageInput): StoredMessage {
    const receivedAt = new Date();
    const message: StoredMessage = {
      id: String(++this.#lastId),
      receivedAt,
      envelope,
      from: addressText(parsed.from),
      to: addressText(parsed.to),
      subject: parsed.subject ?? '',
      date: parsed.date ?? receivedAt,
      headers: headerStrings(parsed),
      html: typeof parsed.html === 'string' ? parsed.html : null,
      text: parsed.text ?? null,
      size,
    };
    this.#messages.push(message);
    if (this.#messages.length > this.limit) this.#messages.splice(0, this.#messages.length - this.limit);
    return message;
  }

  /** Newest first. */
  list(): StoredMessage[] {
    return this.#messages.toReversed();
  }

  get(id: string): StoredMessage | undefined {
    return this.#messages.find((message) => message.id === id);
  }

  clear(): void {
    this.#messages.length = 0;
  }
}
