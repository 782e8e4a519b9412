import type { IncomingMessage } from 'node:http';
import { principalFromClaims, TokenError, type Principal } from '@tidings/auth';
import type { ConnectTickets } from '@tidings/cluster';
import { AppError } from '@tidings/server-kit';

export const BEARER_PROTOCOL_PREFIX = 'bearer.';

/** A refusal carries the error the SSE endpoint answers; WebSockets close 1011 for a 5xx, 1008 for the rest. */
export type Authenticated = { ok: true; principal: Principal; since: number | undefined } | { ok: false; error: AppError };

const refused = (code: 'validation_failed' | 'unauthorized' | 'forbidden' | 'redis_unavailable', reason: string) => ({
  ok: false as const,
  error: new AppError(code, reason),
});

/** What a gateway checks credentials with. */
export interface Credentials {
  verify: (token: string | undefined) => Principal;
  tickets: ConnectTickets;
}

/** The token from `?token=`, the `bearer.<jwt>` subprotocol, or an Authorization header. */
export function tokenOf(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const protocols = req.headers['sec-websocket-protocol'];
  if (protocols) {
    const bearer = protocols
      .split(',')
      .map((p) => p.trim())
      .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX));
    if (bearer) return bearer.slice(BEARER_PROTOCOL_PREFIX.length);
  }
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

/** A seq from `since` or `Last-Event-ID`: absent, or a non-negative integer. */
export function parseSince(value: string | null | undefined): number | undefined | 'invalid' {
  if (value === null || value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value)) return 'invalid';
  return Number(value);
}

/** A one-time ticket from `POST /v1/connect-tickets`, redeemed (so never usable again). */
async function redeem(tickets: ConnectTickets, ticket: string): Promise<Authenticated | Principal> {
  let holder;
  try {
    holder = await tickets.redeem(ticket);
  } catch {
    return refused('redis_unavailable', 'tickets cannot be checked right now (redis unavailable); retry shortly');
  }
  if (holder === undefined) return refused('unauthorized', 'the ticket is unknown, already used or expired; get a new one');
  if (holder.expires_at !== undefined && holder.expires_at <= Date.now() / 1000) {
    return refused('unauthorized', 'the token the ticket was issued for has expired');
  }
  return principalFromClaims({ sub: holder.user_id, roles: [...holder.roles], ...(holder.expires_at === undefined ? {} : { exp: holder.expires_at }) });
}

/**
 * Authenticates a WebSocket upgrade or SSE request before any connection is registered: the
 * origin allowlist, the `since` parameter, and a token or a one-time ticket (not both: a request
 * carrying two credentials is refused rather than guessed at).
 */
export async function authenticate(
  req: IncomingMessage,
  query: URLSearchParams,
  credentials: Credentials,
  allowedOrigins: readonly string[],
): Promise<Authenticated> {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.length > 0 && !allowedOrigins.includes(origin)) {
    return refused('forbidden', 'origin not allowed');
  }
  // A browser's EventSource resends the original URL on reconnect, so Last-Event-ID wins over `since`.
  const since = parseSince((req.headers['last-event-id'] as string | undefined) ?? query.get('since'));
  if (since === 'invalid') return refused('validation_failed', 'since must be a non-negative integer');
  const ticket = query.get('ticket');
  const token = tokenOf(req, query);
  let principal: Principal;
  if (ticket !== null) {
    if (token !== undefined) return refused('validation_failed', 'send a ticket or a token, not both');
    const redeemed = await redeem(credentials.tickets, ticket);
    if ('ok' in redeemed) return redeemed;
    principal = redeemed;
  } else {
    try {
      principal = credentials.verify(token);
    } catch (error) {
      return refused('unauthorized', error instanceof TokenError ? error.message : 'invalid token');
    }
  }
  if (principal.isService) return refused('forbidden', 'a service token has no inbox to stream');
  return { ok: true, principal, since };
}
