import { defaultBackoff, type BackoffOptions } from './backoff.ts';
import { clientErrorCodes, TidingsError } from './errors.ts';
import { DEFAULT_MAX_GAP_RESUMES } from './sequencer.ts';
import type { BroadcastChannelConstructor } from './tab-channel.ts';
import type { LockManagerLike } from './tab-election.ts';
import type { TokenProvider } from './token.ts';
import type { EventSourceConstructor, WebSocketConstructor } from './transport.ts';
import type { WsTokenPlacement } from './transport-ws.ts';

/** What the tabs of one browser share a connection through. */
export interface Tabs {
  locks: LockManagerLike;
  BroadcastChannel: BroadcastChannelConstructor;
}

/** Options of {@link TidingsClient}. Only `url` and `getToken` are required. */
export interface TidingsClientOptions {
  /** Gateway base URL, e.g. `https://realtime.example.com` or `ws://localhost:3001` (a path prefix is kept). */
  url: string;
  /**
   * API base URL for REST calls (inbox, preferences, and actions while on SSE or offline).
   * @defaultValue `url` (one host in front of both, as in the bundled nginx setup)
   */
  apiUrl?: string;
  /**
   * Supplies the JWT. Called on every (re)connect and again `refreshBeforeMs` before the current
   * token's `exp`; a token the gateway refused is never reused.
   */
  getToken: TokenProvider;
  /**
   * The newest seq the app has already seen (e.g. `client.lastSeq` saved in storage): the first
   * connection replays everything after it. Without it, the client starts at "now" and the app
   * reads history with `inbox.list()`.
   */
  since?: number;
  /**
   * WebSocket constructor. Node 20 has none: pass the `ws` package's `WebSocket`.
   * @defaultValue globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /**
   * EventSource constructor, for the SSE fallback. In Node, the `eventsource` package's.
   * @defaultValue globalThis.EventSource
   */
  EventSource?: EventSourceConstructor;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /**
   * `auto` tries WebSocket and falls back to SSE; `ws` or `sse` pins one.
   * @defaultValue 'auto'
   */
  transport?: 'auto' | 'ws' | 'sse';
  /**
   * In `auto`, switch to SSE after this many WebSocket attempts in a row that never opened, as long
   * as no WebSocket ever opened for this client (a proxy that blocks WebSockets, not a gateway outage).
   * @defaultValue 3
   */
  wsFailuresBeforeFallback?: number;
  /**
   * Where the WebSocket carries the token: the `bearer.<jwt>` subprotocol keeps it out of URLs and logs.
   * @defaultValue 'protocol'
   */
  tokenIn?: WsTokenPlacement;
  /**
   * Refresh the token this long (ms) before its `exp`: over WebSocket an `auth` frame, over SSE a
   * new stream that resumes from lastSeq.
   * @defaultValue 30000
   */
  refreshBeforeMs?: number;
  /** Reconnect delays (exponential, full jitter). */
  backoff?: Partial<BackoffOptions>;
  /**
   * Drop and reconnect when no frame (heartbeat, pong, anything) arrived for this long, in ms.
   * @defaultValue twice the gateway's `heartbeat_ms`
   */
  heartbeatTimeoutMs?: number;
  /**
   * Give up on an attempt that has not received `connection_established` after this long, in ms.
   * @defaultValue 10000
   */
  connectTimeoutMs?: number;
  /**
   * Abort a REST request after this long, in ms.
   * @defaultValue 15000
   */
  requestTimeoutMs?: number;
  /**
   * Resumes asked for one seq gap before delivering past it (see the README's guarantees).
   * @defaultValue 3
   */
  maxGapResumes?: number;
  /**
   * Share one gateway connection between all the tabs of the browser in which this user is signed
   * in (see the README's "Tabs"). Needs Web Locks and BroadcastChannel; without either, or when
   * false, each client holds a connection of its own.
   * @defaultValue true
   */
  shareConnection?: boolean;
  /**
   * Web Locks implementation that elects the tab holding the shared connection.
   * @defaultValue globalThis.navigator.locks
   */
  locks?: LockManagerLike;
  /**
   * BroadcastChannel constructor the tabs talk over.
   * @defaultValue globalThis.BroadcastChannel
   */
  BroadcastChannel?: BroadcastChannelConstructor;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  url: string;
  apiUrl: string;
  getToken: TokenProvider;
  since: number | undefined;
  WebSocket: WebSocketConstructor | undefined;
  EventSource: EventSourceConstructor | undefined;
  fetch: typeof globalThis.fetch;
  transport: 'auto' | 'ws' | 'sse';
  wsFailuresBeforeFallback: number;
  tokenIn: WsTokenPlacement;
  refreshBeforeMs: number;
  backoff: BackoffOptions;
  heartbeatTimeoutMs: number | undefined;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  maxGapResumes: number;
  /** What the tabs share a connection through; undefined: a connection of this client's own. */
  tabs: Tabs | undefined;
}

const invalid = (message: string) => new TidingsError(clientErrorCodes.invalidArgument, message);

function checkUrl(name: string, value: unknown): string {
  try {
    // `new URL` rather than URL.canParse, which older browsers (Safari < 17) lack.
    if (typeof value === 'string' && new URL(value)) return value;
  } catch {
    // not a URL: reported below
  }
  throw invalid(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
}

/** Validates the options once and fills in defaults; throws `invalid_argument` for a bad one. */
export function resolveOptions(options: TidingsClientOptions): ResolvedOptions {
  if (typeof options.getToken !== 'function') throw invalid('getToken must be a function');
  if (options.since !== undefined && !(Number.isSafeInteger(options.since) && options.since >= 0)) {
    throw invalid(`since must be a non-negative integer, got ${String(options.since)}`);
  }
  const globals = globalThis as {
    WebSocket?: WebSocketConstructor;
    EventSource?: EventSourceConstructor;
    fetch?: typeof globalThis.fetch;
    navigator?: { locks?: LockManagerLike };
    BroadcastChannel?: BroadcastChannelConstructor;
  };
  const fetchImpl = options.fetch ?? globals.fetch?.bind(globalThis);
  const locks = options.locks ?? globals.navigator?.locks;
  const BroadcastChannel = options.BroadcastChannel ?? globals.BroadcastChannel;
  return {
    url: checkUrl('url', options.url),
    apiUrl: checkUrl('apiUrl', options.apiUrl ?? options.url),
    getToken: options.getToken,
    since: options.since,
    WebSocket: options.WebSocket ?? globals.WebSocket,
    EventSource: options.EventSource ?? globals.EventSource,
    fetch: fetchImpl ?? (() => Promise.reject(new TidingsError(clientErrorCodes.networkError, 'no fetch implementation: pass options.fetch'))),
    transport: options.transport ?? 'auto',
    wsFailuresBeforeFallback: Math.max(1, options.wsFailuresBeforeFallback ?? 3),
    tokenIn: options.tokenIn ?? 'protocol',
    refreshBeforeMs: options.refreshBeforeMs ?? 30_000,
    backoff: { ...defaultBackoff, ...options.backoff },
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
    maxGapResumes: options.maxGapResumes ?? DEFAULT_MAX_GAP_RESUMES,
    tabs: options.shareConnection !== false && locks && BroadcastChannel ? { locks, BroadcastChannel } : undefined,
  };
}
