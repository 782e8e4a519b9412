import type { ClientFrame } from '@tidings/protocol';

/** The two ways to reach a gateway. */
export type TransportKind = 'ws' | 'sse';

/** How a transport ended, from the client's side. */
export interface TransportClose {
  /** A WebSocket close code, the code of an SSE `close` event, or 1006 for a dropped connection. */
  code: number;
  reason: string;
  /** Whether the transport ever opened (WebSocket handshake done, SSE stream started). */
  opened: boolean;
}

/** What a transport reports. Never called after the client closed the transport itself. */
export interface TransportHandlers {
  onOpen(): void;
  /** One frame as received: a string for text frames, anything else is a protocol violation. */
  onFrame(data: unknown): void;
  /** Called exactly once, when the connection ends without the client asking. */
  onClose(close: TransportClose): void;
}

/** One connection to a gateway. */
export interface Transport {
  readonly kind: TransportKind;
  /** Whether the transport carries client frames (WebSocket) or is receive-only (SSE). */
  readonly canSend: boolean;
  /** Sends a frame; answers false when it could not (not open, or receive-only). */
  send(frame: ClientFrame): boolean;
  /**
   * Closes the connection; no handler is called afterwards. Resolves once the socket is closed,
   * or after a short grace period when the peer does not answer the closing handshake.
   */
  close(code: number, reason: string): Promise<void>;
}

/**
 * Handler slots typed with method syntax, which TypeScript checks bivariantly: this is what lets
 * both the browser's WebSocket and the `ws` package (whose event classes carry more fields than
 * these) be passed where a {@link WebSocketLike} is expected.
 */
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/** The part of the standard WebSocket interface the SDK uses; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket constructor: `globalThis.WebSocket` in browsers, the `ws` package's in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The part of the standard EventSource interface the SDK uses. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onerror: Handler<unknown> | null;
  addEventListener(type: string, listener: Handler<{ data: unknown }>): void;
  close(): void;
}

/** An EventSource constructor: `globalThis.EventSource` in browsers, the `eventsource` package's in Node. */
export type EventSourceConstructor = new (url: string) => EventSourceLike;

/** The WebSocket readyState of an open socket (the same constant in every implementation). */
export const OPEN = 1;

/** Close code for a connection that ended without a close frame (network drop, refused upgrade). */
export const ABNORMAL_CLOSURE = 1006;

/**
 * `{base}{path}` with the scheme switched for the transport: `ws(s)` for WebSocket, `http(s)` for
 * SSE and REST. Keeps any path prefix of the base (a gateway behind `/realtime`).
 */
export function endpointUrl(base: string, path: string, scheme: 'ws' | 'http', query: Record<string, string | undefined> = {}): string {
  const url = new URL(base);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  url.protocol = scheme === 'ws' ? (secure ? 'wss:' : 'ws:') : secure ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  url.search = '';
  url.hash = '';
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** Attaches `unref` where it exists (Node) so a pending SDK timer never keeps a process alive. */
export function unrefTimer<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
