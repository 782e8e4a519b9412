import { closeCodes } from '@tidings/protocol/constants';
import { ABNORMAL_CLOSURE, endpointUrl, type EventSourceConstructor, type Transport, type TransportHandlers } from './transport.ts';

export interface EventSourceTransportOptions {
  /** Gateway base URL (`https://…`, with an optional path prefix). */
  baseUrl: string;
  /** A one-time ticket from `POST /v1/connect-tickets`: EventSource cannot send headers, and a token must not travel in a URL. */
  ticket: string;
  since: number | undefined;
  EventSource: EventSourceConstructor;
}

/**
 * HTTP statuses the gateway's SSE endpoint answers where its WebSocket endpoint closes, mapped back
 * to those close codes so the same close policy applies: 401 and 403 for 1008 (bad token, origin
 * not allowed or service token), 429 for 4008 (too many connections: wait and retry).
 */
const refusedStatuses: Readonly<Record<number, number>> = { 401: closeCodes.badToken, 403: closeCodes.badToken, 429: closeCodes.tooManyConnections };

/**
 * Server-Sent Events from `{baseUrl}/v1/sse?ticket=…&since=…`: each message's `data` is the same JSON
 * frame as on the WebSocket. Receive-only; the client sends its actions over REST.
 *
 * The SDK reconnects the stream itself rather than letting EventSource retry on its own: the
 * browser would retry with the URL it started with, whose ticket is used up by then, and it cannot
 * tell a refused ticket from a network drop. A new stream gets a new ticket (for a fresh token) and
 * `since=<lastSeq>`, which resumes just as `Last-Event-ID` would.
 *
 * The gateway ends a stream with an `event: close` message whose data is `{ code, reason }`, the
 * same codes as WebSocket closes, so one close policy serves both transports.
 */
export function openEventSource(options: EventSourceTransportOptions, handlers: TransportHandlers): Transport {
  const url = endpointUrl(options.baseUrl, '/v1/sse', 'http', { ticket: options.ticket, since: options.since?.toString() });
  let opened = false;
  let finished = false;

  let source: InstanceType<EventSourceConstructor>;
  const finish = (code: number, reason: string) => {
    if (finished) return;
    finished = true;
    source?.close();
    handlers.onClose({ code, reason, opened });
  };

  try {
    source = new options.EventSource(url);
  } catch (error) {
    queueMicrotask(() => finish(ABNORMAL_CLOSURE, (error as Error).message));
    return { kind: 'sse', canSend: false, send: () => false, close: async () => void (finished = true) };
  }

  source.onopen = () => {
    opened = true;
    if (!finished) handlers.onOpen();
  };
  source.onmessage = (event) => {
    if (!finished) handlers.onFrame(event.data);
  };
  source.addEventListener('close', (event) => {
    const { code, reason } = parseClose(event.data);
    finish(code, reason);
  });
  // The `eventsource` package adds the HTTP status and a message; browsers give neither, so there
  // a refused token looks like any failed stream and is retried with backoff (and a fresh token).
  source.onerror = (event) => {
    const detail = event as { code?: unknown; message?: unknown } | null;
    const status = typeof detail?.code === 'number' ? detail.code : undefined;
    const message = typeof detail?.message === 'string' ? detail.message : '';
    const reason = [status === undefined ? '' : `HTTP ${status}`, message].filter(Boolean).join(': ') || 'event stream failed';
    finish((status !== undefined && refusedStatuses[status]) || ABNORMAL_CLOSURE, reason);
  };

  return {
    kind: 'sse',
    canSend: false,
    send: () => false,
    async close(): Promise<void> {
      finished = true;
      source.close();
    },
  };
}

/** The `{ code, reason }` of the gateway's `close` event; a malformed one counts as a drop. */
function parseClose(data: unknown): { code: number; reason: string } {
  try {
    const parsed = JSON.parse(String(data)) as { code?: unknown; reason?: unknown };
    if (typeof parsed.code === 'number') return { code: parsed.code, reason: typeof parsed.reason === 'string' ? parsed.reason : '' };
  } catch {
    // not JSON: treated as a drop below
  }
  return { code: ABNORMAL_CLOSURE, reason: 'malformed close event' };
}
