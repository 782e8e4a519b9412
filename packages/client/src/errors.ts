/**
 * Stable codes of the errors the SDK raises or emits. REST failures that carry a server error body
 * use the server's own code instead (see {@link TidingsApiError}).
 */
export const clientErrorCodes = {
  /** The server sent a frame that is not JSON or does not match the protocol. The client carries on. */
  invalidFrame: 'invalid_frame',
  /** The server sent an `error` frame; `details.code` holds its code (`rate_limited`, …). */
  serverError: 'server_error',
  /** The gateway refused the token (close 1008) and a fresh one from `getToken` was refused too. Terminal. */
  unauthorized: 'unauthorized',
  /** `getToken` threw, rejected or returned something other than a non-empty string. */
  tokenProviderFailed: 'token_provider_failed',
  /** Neither a WebSocket nor an EventSource implementation is available. Terminal. */
  noTransport: 'no_transport',
  /** A seq gap stayed open after several resumes; the held notifications were delivered past it. */
  gapUnrepaired: 'gap_unrepaired',
  /** The server's newest seq is behind the client's `lastSeq` (a `since` from another user or database). */
  seqReset: 'seq_reset',
  /** An event listener threw; the client carries on. */
  listenerFailed: 'listener_failed',
  /** A method was called with arguments the protocol would reject. */
  invalidArgument: 'invalid_argument',
  /** A REST request could not reach the API (DNS, refused, reset). */
  networkError: 'network_error',
  /** A REST request took longer than `requestTimeoutMs`. */
  timeout: 'timeout',
  /** The API answered with something other than the documented shape (no JSON error body, bad JSON). */
  unexpectedResponse: 'unexpected_response',
} as const;

export type ClientErrorCode = (typeof clientErrorCodes)[keyof typeof clientErrorCodes];

/** Every error the SDK throws or emits: a stable `code`, a message, and optional details. */
export class TidingsError extends Error {
  override name = 'TidingsError';

  constructor(
    /** A {@link ClientErrorCode}, or the server's code for a {@link TidingsApiError}. */
    readonly code: string,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A REST call answered with an error status. `code`, `message` and `details` come from the server's error body. */
export class TidingsApiError extends TidingsError {
  override name = 'TidingsApiError';

  constructor(
    /** The HTTP status, e.g. 404. */
    readonly status: number,
    code: string,
    message: string,
    details?: unknown,
  ) {
    super(code, message, details);
  }
}
