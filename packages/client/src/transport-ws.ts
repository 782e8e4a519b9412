import type { ClientFrame } from '@tidings/protocol';
import {
  ABNORMAL_CLOSURE,
  endpointUrl,
  OPEN,
  unrefTimer,
  type Transport,
  type TransportHandlers,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport.ts';

/** Where the WebSocket carries the token. */
export type WsTokenPlacement = 'protocol' | 'query';

export interface WebSocketTransportOptions {
  /** Gateway base URL (`https://…`, `wss://…`, with an optional path prefix). */
  baseUrl: string;
  token: string;
  since: number | undefined;
  WebSocket: WebSocketConstructor;
  tokenIn: WsTokenPlacement;
}

const BEARER_PROTOCOL_PREFIX = 'bearer.';
const CLOSED = 3;
/** How long `close()` waits for the closing handshake before it gives up waiting. */
const CLOSE_GRACE_MS = 1_000;
const noop = () => {};

/**
 * A WebSocket to `{baseUrl}/v1/ws?since=…`. By default the token travels as the subprotocol
 * `bearer.<jwt>`, which keeps it out of URLs (and so out of proxy and access logs); `tokenIn:
 * 'query'` sends `?token=` for gateways behind proxies that strip subprotocols.
 */
export function openWebSocket(options: WebSocketTransportOptions, handlers: TransportHandlers): Transport {
  const query = { since: options.since?.toString(), token: options.tokenIn === 'query' ? options.token : undefined };
  const url = endpointUrl(options.baseUrl, '/v1/ws', 'ws', query);
  let opened = false;
  let finished = false;
  let lastError = '';
  let socket: WebSocketLike;

  const finish = (code: number, reason: string) => {
    if (finished) return;
    finished = true;
    handlers.onClose({ code, reason: reason || lastError, opened });
  };

  try {
    socket = options.tokenIn === 'protocol' ? new options.WebSocket(url, [BEARER_PROTOCOL_PREFIX + options.token]) : new options.WebSocket(url);
  } catch (error) {
    // A constructor that throws (bad URL, a protocol the browser rejects) is reported like a failed
    // connection, asynchronously, so the caller never sees a handler run before this returns.
    queueMicrotask(() => finish(ABNORMAL_CLOSURE, (error as Error).message));
    return { kind: 'ws', canSend: true, send: () => false, close: async () => void (finished = true) };
  }

  socket.onopen = () => {
    opened = true;
    if (!finished) handlers.onOpen();
  };
  socket.onmessage = (event) => {
    if (!finished) handlers.onFrame(event.data);
  };
  // Browsers give no detail on errors; `ws` does (e.g. "Unexpected server response: 404"), and it is
  // kept for the close that always follows.
  socket.onerror = (event) => {
    const message = (event as { message?: unknown } | null)?.message;
    if (typeof message === 'string') lastError = message;
  };
  socket.onclose = (event) => finish(event.code, event.reason);

  return {
    kind: 'ws',
    canSend: true,
    send(frame: ClientFrame): boolean {
      if (finished || socket.readyState !== OPEN) return false;
      try {
        socket.send(JSON.stringify(frame));
        return true;
      } catch {
        return false;
      }
    },
    close(code: number, reason: string): Promise<void> {
      finished = true;
      return new Promise<void>((resolve) => {
        if (socket.readyState === CLOSED) return resolve();
        const timer = unrefTimer(setTimeout(resolve, CLOSE_GRACE_MS));
        // Handlers become no-ops rather than null: with `ws`, removing the error listener would turn
        // a late socket error into an unhandled 'error' event that crashes the process.
        socket.onopen = noop;
        socket.onmessage = noop;
        socket.onerror = noop;
        socket.onclose = () => {
          clearTimeout(timer);
          resolve();
        };
        try {
          socket.close(code, reason);
        } catch {
          clearTimeout(timer);
          resolve();
        }
      });
    },
  };
}
