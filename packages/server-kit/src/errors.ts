/**
 * Every error a client can see, with its HTTP status and a hint on how to fix it. The README's
 * error table mirrors this list; a test keeps the two in step.
 */
export const errorCodes = {
  validation_failed: { status: 400, hint: 'Fix the fields named in `details` and send again.' },
  bad_request: {
    status: 400,
    hint: 'The request could not be read: malformed HTTP, a Content-Encoding the body does not match, or a URL escape that is not UTF-8. Fix the client.',
  },
  invalid_json: { status: 400, hint: 'Send a well-formed JSON body with Content-Type: application/json.' },
  invalid_token: { status: 400, hint: 'The unsubscribe link is incomplete or altered; open the whole link from the email again.' },
  unauthorized: { status: 401, hint: 'Send a valid JWT as `Authorization: Bearer <token>`.' },
  token_expired: { status: 401, hint: 'Fetch a fresh token and send again.' },
  invalid_signature: { status: 401, hint: 'Sign `<t>.<raw body>` with EMAIL_WEBHOOK_SECRET in X-Tidings-Signature, with t within 300 s of now.' },
  forbidden: { status: 403, hint: 'Use a token with the role or scope the route needs.' },
  not_found: { status: 404, hint: "Check the id; another user's notification also answers 404." },
  request_timeout: { status: 408, hint: 'Send the request line and headers promptly, then the body.' },
  conflict: { status: 409, hint: 'The resource changed under you; read it again and retry.' },
  no_content: { status: 409, hint: 'The email has nothing left to render: its send is gone, or every item of its digest was read or deleted. Nothing to fix.' },
  payload_too_large: { status: 413, hint: 'Send a smaller body (see the limits table).' },
  unsupported_media_type: { status: 415, hint: 'Send the body as application/json.' },
  idempotency_key_reused: { status: 422, hint: 'Use a new Idempotency-Key for a different request body.' },
  rate_limited: { status: 429, hint: 'Wait for the seconds in Retry-After, then retry.' },
  headers_too_large: {
    status: 431,
    hint: 'Send fewer or smaller headers (at most 16 KB with the request line); a token belongs in Authorization, not in a cookie or the URL.',
  },
  internal_error: { status: 500, hint: 'A bug: the service logs the cause at level error with the method, path and user.' },
  database_unavailable: { status: 503, hint: 'Postgres is unreachable; retry shortly (the service reconnects by itself).' },
  redis_unavailable: { status: 503, hint: 'Redis is unreachable; retry shortly (the service reconnects by itself).' },
  draining: { status: 503, hint: 'The gateway is shutting down; connect again (any gateway) with `since`.' },
  not_configured: { status: 503, hint: 'The feature needs the setting the message names (e.g. EMAIL_WEBHOOK_SECRET); set it and restart.' },
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** The one error type services throw for anything a client should see. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = errorCodes[code].status;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

const databaseDownCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

/** True when a postgres.js error means the database cannot be reached (as opposed to a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && databaseDownCodes.has(code)) return true;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error && isDatabaseUnavailable(cause);
}

/** True when an ioredis error means Redis cannot be reached. */
export function isRedisUnavailable(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return (
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|ECONNREFUSED|Reached the max retries|connect ETIMEDOUT|Command timed out/.test(message) ||
    (error as { name?: string } | null)?.name === 'MaxRetriesPerRequestError'
  );
}
