import type { ClientFrame, ServerFrame } from '@tidings/protocol';
import { closeCodes } from '@tidings/protocol/constants';
import { Backoff } from './backoff.ts';
import { closeActionFor } from './close-policy.ts';
import { clientErrorCodes, TidingsError } from './errors.ts';
import type { ConnectionState, StateChange } from './events.ts';
import { parseServerFrame } from './frames.ts';
import type { ResolvedOptions } from './options.ts';
import type { TokenSource } from './token.ts';
import { ABNORMAL_CLOSURE, endpointUrl, unrefTimer, type Transport, type TransportClose, type TransportKind } from './transport.ts';
import { openEventSource } from './transport-sse.ts';
import { openWebSocket } from './transport-ws.ts';
import { Watchdog } from './watchdog.ts';

/** What the connection tells its owner. Called from socket callbacks: none of them may throw. */
export interface ConnectionHooks {
  /** A connection is about to open: answers the `since` to send (undefined: start at "now"). */
  beforeConnect(): number | undefined;
  /** A valid frame arrived (`connection_established` included, after the connection took note of it). */
  frame(frame: ServerFrame): void;
  state(change: StateChange): void;
  error(error: TidingsError): void;
  /** Close 4003: the connection has stopped for good. */
  disconnectedByAdmin(info: { code: number; reason: string }): void;
}

/**
 * What {@link TidingsClient} drives: a connection of its own ({@link GatewayConnection}), or one
 * that the tabs of a browser share (`SharedConnection`).
 */
export interface GatewayLink {
  readonly state: StateChange;
  /** Whether other tabs receive this connection's frames too (then it must not be narrowed by type). */
  readonly shared: boolean;
  start(): void;
  stop(): Promise<void>;
  send(frames: readonly ClientFrame[]): boolean;
  resume(since: number): void;
}

/**
 * One logical connection to the gateways: picks the transport (WebSocket, SSE after repeated
 * WebSocket failures), fetches a token for every attempt, refreshes it before expiry, watches
 * heartbeats, and applies the close-code policy with full-jitter backoff. It knows nothing of
 * notifications: frames go to the owner, which asks for replays through `resume`.
 */
export class GatewayConnection implements GatewayLink {
  readonly shared = false;
  private readonly backoff: Backoff;
  private readonly watchdog = new Watchdog(() => this.onSilent());
  private current: StateChange = { state: 'closed', transport: undefined };
  private kind: TransportKind | undefined;
  private transport: Transport | undefined;
  private opened = false;
  private established = false;
  private establishedAt = 0;
  /** The token the current connection was opened or last refreshed with. */
  private token: string | undefined;
  /** The token the gateway refused (1008) since the last successful connection. */
  private refusedToken: string | undefined;
  private wsEverOpened = false;
  private wsFailures = 0;
  private wanted = false;
  /** Bumped by every attempt and by close, so a late async step of an older one does nothing. */
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly tokens: TokenSource,
    private readonly hooks: ConnectionHooks,
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  get state(): StateChange {
    return this.current;
  }

  /** True once the gateway greeted the current WebSocket, so client frames can be sent. */
  get canSend(): boolean {
    return this.established && (this.transport?.canSend ?? false);
  }

  /** Starts connecting; does nothing if already started. */
  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.refusedToken = undefined;
    this.wsFailures = 0;
    this.backoff.reset();
    this.kind = this.pickTransport();
    if (this.kind === undefined) {
      this.wanted = false;
      this.hooks.error(
        new TidingsError(clientErrorCodes.noTransport, 'no WebSocket or EventSource implementation: pass options.WebSocket (the `ws` package in Node)'),
      );
      return;
    }
    this.setState('connecting');
    void this.attempt();
  }

  /** Stops for good (until `start`); resolves once the socket is closed. */
  stop(): Promise<void> {
    const transport = this.halt();
    this.setState('closed');
    return transport ? transport.close(1000, 'client closed') : Promise.resolve();
  }

  /** Sends frames over an open WebSocket; answers false (nothing sent) when that is not possible. */
  send(frames: readonly ClientFrame[]): boolean {
    const transport = this.transport;
    if (!transport || !this.canSend) return false;
    return frames.every((frame) => transport.send(frame));
  }

  /**
   * Asks for a replay of everything after `since`: answers true when a `resume` frame went out.
   * Otherwise the replay comes with the next connection, from the owner's `since`: over SSE a new
   * stream opens at once for it; between connections the next attempt is already on its way.
   */
  resume(since: number): boolean {
    if (!this.transport) return false;
    if (this.transport.canSend) return this.transport.send({ type: 'resume', since });
    this.reopen();
    return false;
  }

  private pickTransport(): TransportKind | undefined {
    const { transport, WebSocket, EventSource } = this.options;
    if (transport !== 'sse' && WebSocket) return 'ws';
    if (transport !== 'ws' && EventSource) return 'sse';
    return undefined;
  }

  /** Opens a transport with a fresh token (or `token`, just fetched) and the owner's `since`. */
  private async attempt(token?: string): Promise<void> {
    const generation = ++this.generation;
    try {
      token ??= await this.tokens.fresh();
    } catch (error) {
      if (generation !== this.generation) return;
      this.hooks.error(error as TidingsError);
      return this.scheduleReconnect(this.backoff.next(), { code: ABNORMAL_CLOSURE, reason: 'no token' });
    }
    if (generation !== this.generation) return;
    if (token === this.refusedToken) return this.stopUnauthorized('getToken answered the token the gateway just refused');
    this.token = token;
    let ticket = '';
    if (this.kind === 'sse') {
      const issued = await this.connectTicket(token);
      if (generation !== this.generation) return;
      if (typeof issued !== 'string') return this.onDrop({ ...issued, opened: false });
      ticket = issued;
    }
    this.established = false;
    this.opened = false;
    const since = this.hooks.beforeConnect();
    const { url: baseUrl, WebSocket, EventSource, tokenIn } = this.options;
    const handlers = {
      onOpen: () => {
        if (this.transport !== transport) return;
        this.opened = true;
        if (this.kind === 'ws') {
          this.wsEverOpened = true;
          this.wsFailures = 0;
        }
      },
      onFrame: (data: unknown) => {
        if (this.transport === transport) this.onFrame(data);
      },
      onClose: (close: TransportClose) => {
        if (this.transport !== transport) return;
        this.transport = undefined;
        this.onDrop(close);
      },
    };
    const transport =
      this.kind === 'ws'
        ? openWebSocket({ baseUrl, token, since, WebSocket: WebSocket!, tokenIn }, handlers)
        : openEventSource({ baseUrl, ticket, since, EventSource: EventSource! }, handlers);
    this.transport = transport;
    this.watchdog.start(this.options.connectTimeoutMs);
  }

  /**
   * A one-time ticket for an SSE stream, from the API with `token`; or, when there is none, how the
   * attempt ended: a refused token (401/403) as the gateway's 1008, anything else as a drop.
   */
  private async connectTicket(token: string): Promise<string | Omit<TransportClose, 'opened'>> {
    const url = endpointUrl(this.options.apiUrl, '/v1/connect-tickets', 'http', {});
    try {
      const response = await this.options.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const body = (await response.json().catch(() => undefined)) as { ticket?: unknown } | undefined;
      if (response.status === 401 || response.status === 403) return { code: closeCodes.badToken, reason: `connect ticket refused: HTTP ${response.status}` };
      if (response.status !== 201 || typeof body?.ticket !== 'string') return { code: ABNORMAL_CLOSURE, reason: `no connect ticket: HTTP ${response.status}` };
      return body.ticket;
    } catch (error) {
      return { code: ABNORMAL_CLOSURE, reason: `no connect ticket: ${(error as Error).message}` };
    }
  }

  private onFrame(data: unknown): void {
    this.watchdog.touch();
    const frame = parseServerFrame(data);
    if (frame instanceof TidingsError) return this.hooks.error(frame);
    if (frame.type === 'connection_established') this.onEstablished(frame.heartbeat_ms);
    this.hooks.frame(frame);
  }

  private onEstablished(heartbeatMs: number): void {
    this.established = true;
    this.establishedAt = Date.now();
    this.refusedToken = undefined;
    const interval = heartbeatMs > 0 ? heartbeatMs : 30_000;
    const timeoutMs = this.options.heartbeatTimeoutMs ?? 2 * interval;
    // Our own pings keep frames coming even from a gateway with nothing to say, so silence means a dead link.
    const ping = this.transport?.canSend ? { everyMs: Math.min(interval, timeoutMs / 2), send: () => void this.transport?.send({ type: 'ping' }) } : undefined;
    this.watchdog.start(timeoutMs, ping);
    this.scheduleRefresh();
    this.setState('open');
  }

  /** The connection ended by itself (or the watchdog gave up on it): decide whether and when to retry. */
  private onDrop(close: TransportClose): void {
    this.watchdog.stop();
    clearTimeout(this.refreshTimer);
    if (!this.wanted) return;
    if (this.established && Date.now() - this.establishedAt >= this.options.backoff.stableAfterMs) this.backoff.reset();
    if (this.kind === 'ws' && !close.opened && ++this.wsFailures >= this.options.wsFailuresBeforeFallback) {
      // Only while no WebSocket ever opened: then a proxy blocks them. After one did, failures are an outage.
      if (this.options.transport === 'auto' && !this.wsEverOpened && this.options.EventSource) {
        this.kind = 'sse';
        this.backoff.reset();
        return this.scheduleReconnect(0, close);
      }
    }
    switch (closeActionFor(close.code)) {
      case 'stop':
        this.halt();
        this.setState('closed', { code: close.code, reason: close.reason });
        return this.hooks.disconnectedByAdmin({ code: close.code, reason: close.reason });
      case 'reauthenticate':
        if (this.refusedToken !== undefined) return this.stopUnauthorized(`the gateway refused a fresh token too (${close.code} ${close.reason})`, close);
        this.refusedToken = this.token;
        return this.scheduleReconnect(0, close);
      case 'at_once':
        return this.scheduleReconnect(this.backoff.immediate(), close);
      case 'backoff':
        return this.scheduleReconnect(this.backoff.next(), close);
    }
  }

  private onSilent(): void {
    const transport = this.transport;
    if (!transport) return;
    this.transport = undefined;
    const reason = this.established ? 'no frame within the heartbeat timeout' : 'no connection_established within connectTimeoutMs';
    void transport.close(1000, reason);
    this.onDrop({ code: ABNORMAL_CLOSURE, reason, opened: this.opened });
  }

  private scheduleReconnect(delayMs: number, close: Pick<TransportClose, 'code' | 'reason'>): void {
    clearTimeout(this.retryTimer);
    this.setState('reconnecting', { code: close.code, reason: close.reason, retryInMs: delayMs });
    // Not unref'd: in Node the wait between attempts must keep the process alive, as the socket did.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.attempt();
    }, delayMs);
  }

  /** Replaces the current connection at once (SSE: to ask for a replay, or to use a refreshed token). */
  private reopen(token?: string): void {
    const transport = this.transport;
    this.transport = undefined;
    this.watchdog.stop();
    clearTimeout(this.refreshTimer);
    void transport?.close(1000, 'reopening');
    this.setState('reconnecting', { retryInMs: 0 });
    void this.attempt(token);
  }

  /** Refreshes the token `refreshBeforeMs` before it expires. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    const delay = this.token === undefined ? undefined : this.tokens.refreshDelay(this.token);
    if (delay !== undefined) this.refreshTimer = unrefTimer(setTimeout(() => void this.refresh(), delay));
  }

  /** Over WebSocket an `auth` frame carries the new token; SSE cannot send, so a new stream does. */
  private async refresh(): Promise<void> {
    const { generation, transport } = this;
    let token: string;
    try {
      token = await this.tokens.fresh();
    } catch (error) {
      if (generation !== this.generation) return;
      this.hooks.error(error as TidingsError);
      // Try again within the token's remaining life; once it is gone the gateway closes 4001.
      return this.scheduleRefresh();
    }
    if (generation !== this.generation || !transport || this.transport !== transport) return;
    if (token === this.token) return this.scheduleRefresh();
    if (!transport.canSend) return this.reopen(token);
    transport.send({ type: 'auth', token });
    this.token = token;
    this.scheduleRefresh();
  }

  /** Stops every timer and forgets the transport; answers it so the caller can close it. */
  private halt(): Transport | undefined {
    this.wanted = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.refreshTimer);
    this.watchdog.stop();
    const transport = this.transport;
    this.transport = undefined;
    return transport;
  }

  private stopUnauthorized(message: string, close?: Pick<TransportClose, 'code' | 'reason'>): void {
    void this.halt()?.close(1000, 'unauthorized');
    this.setState('closed', close ? { code: close.code, reason: close.reason } : {});
    this.hooks.error(new TidingsError(clientErrorCodes.unauthorized, message, close));
  }

  private setState(state: ConnectionState, extra: Omit<StateChange, 'state' | 'transport'> = {}): void {
    const previous = this.current;
    this.current = { state, transport: this.kind, ...extra };
    if (isNews(previous, this.current)) this.hooks.state(this.current);
  }
}

/** Whether a state change is reported: every retry is (with its delay), other states only when something changed. */
export function isNews(previous: StateChange, next: StateChange): boolean {
  return next.state === 'reconnecting' || previous.state !== next.state || previous.transport !== next.transport;
}
