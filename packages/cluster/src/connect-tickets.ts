import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Who a ticket lets connect: the user of the token it was issued for, until that token expires. */
export interface TicketHolder {
  user_id: string;
  roles: readonly string[];
  /** The issuing token's `exp` (seconds since the epoch): a stream opened with the ticket ends then (4001). */
  expires_at: number | undefined;
}

/** How long a ticket may wait to be used, in seconds. */
export const TICKET_TTL_S = 30;

/**
 * One-time connect tickets, so a long-lived token never has to travel in a URL (EventSource cannot
 * send headers; URLs end up in access logs). Guarantee: a ticket lets exactly one connection in,
 * within `TICKET_TTL_S` of its issue, on any gateway; used, expired or unknown, it lets none in.
 */
export interface ConnectTickets {
  issue(holder: TicketHolder): Promise<string>;
  /** Answers the holder and deletes the ticket in one step, or undefined when it is used, expired or unknown. */
  redeem(ticket: string): Promise<TicketHolder | undefined>;
}

/** A ticket: 32 random bytes, base64url. */
const ticketShape = /^[A-Za-z0-9_-]{43}$/;

/**
 * Tickets in Redis under `{prefix}ticket:{sha256 of the ticket}` (a copy of Redis holds no usable
 * ticket), with a TTL; GETDEL makes redeeming atomic, so two gateways never both accept one.
 */
export class RedisConnectTickets implements ConnectTickets {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(ticket: string): string {
    return `${this.prefix}ticket:${createHash('sha256').update(ticket).digest('base64url')}`;
  }

  async issue(holder: TicketHolder): Promise<string> {
    const ticket = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(ticket), JSON.stringify(holder), 'EX', TICKET_TTL_S);
    return ticket;
  }

  async redeem(ticket: string): Promise<TicketHolder | undefined> {
    if (!ticketShape.test(ticket)) return undefined;
    const raw = await this.redis.getdel(this.key(ticket));
    if (raw === null) return undefined;
    return JSON.parse(raw) as TicketHolder;
  }
}
