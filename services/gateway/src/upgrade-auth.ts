import type { IncomingMessage } from 'node:http';
import { TokenError, type Principal } from '@tidings/auth';

export const BEARER_PROTOCOL_PREFIX = 'bearer.';

export type Authenticated = { ok: true; principal: Principal; since: number | undefined } | { ok: false; reason: string; status: number };

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

/**
 * Authenticates a WebSocket upgrade or SSE request before any connection is registered: the
 * token, the origin allowlist and the `since` parameter.
 */
export function authenticate(
  req: IncomingMessage,
  query: URLSearchParams,
  verify: (token: string | undefined) => Principal,
  allowedOrigins: readonly string[],
): Authenticated {
  const origin = req.headers.origin;
  if (origin && allowedOrigins.length > 0 && !allowedOrigins.includes(origin)) {
    return { ok: false, reason: 'origin not allowed', status: 403 };
  }
  // A browser's EventSource resends the original URL on reconnect, so Last-Event-ID wins over `since`.
  const since = parseSince((req.headers['last-event-id'] as string | undefined) ?? query.get('since'));
  if (since === 'invalid') return { ok: false, reason: 'since must be a non-negative integer', status: 400 };
  let principal: Principal;
  try {
    principal = verify(tokenOf(req, query));
  } catch (error) {
    return { ok: false, reason: error instanceof TokenError ? error.message : 'invalid token', status: 401 };
  }
  if (principal.isService) return { ok: false, reason: 'a service token has no inbox to stream', status: 403 };
  return { ok: true, principal, since };
}
