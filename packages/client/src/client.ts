import type { ClientFrame, ServerFrame } from '@tidings/protocol';
import { limits } from '@tidings/protocol/constants';
import { GatewayConnection, type GatewayLink } from './connection.ts';
import { Emitter, type Listener } from './emitter.ts';
import { clientErrorCodes, TidingsError } from './errors.ts';
import type { ConnectionState, TidingsEvents } from './events.ts';
import { checkedFrame, chunk } from './frames.ts';
import { createInboxApi, createPreferencesApi, type InboxApi, type PreferencesApi } from './inbox.ts';
import { resolveOptions, type TidingsClientOptions } from './options.ts';
import { RestClient } from './rest.ts';
import { Sequencer, type SequencerStep } from './sequencer.ts';
import { SharedConnection, type SharedConnectionHooks } from './shared-connection.ts';
import { TokenSource } from './token.ts';
import { UnreadCounter } from './unread-counter.ts';
import type { TransportKind } from './transport.ts';

/** REST calls made at once when `markRead` falls back to REST (one request per id). */
const REST_CONCURRENCY = 6;
/** Most types in one subscribe/unsubscribe frame (the protocol's limit). */
const TYPES_PER_FRAME = 100;

/**
 * The Tidings client: one logical connection to the gateways (WebSocket, or SSE as a fallback)
 * that reconnects and resumes by itself and hands the app every notification exactly once, in
 * seq order; plus REST helpers for the inbox and preferences. In a browser, the tabs of one user
 * share a single connection (see `shareConnection`).
 *
 * @example
 * const client = new TidingsClient({ url: 'https://tidings.example.com', getToken: () => fetchJwt() });
 * client.on('notification', (n) => showToast(n.title));
 * client.connect();
 */
export class TidingsClient {
  /** The user's inbox over REST. */
  readonly inbox: InboxApi;
  /** The user's preferences over REST. */
  readonly preferences: PreferencesApi;

  private readonly events: Emitter<TidingsEvents>;
  private readonly sequencer: Sequencer;
  private readonly unread = new UnreadCounter();
  private readonly connection: GatewayLink;
  private readonly maxGapResumes: number;
  /** Types the app subscribed to; empty means all (the gateway's rule too). */
  private readonly types = new Set<string>();
  private closing: Promise<void> | undefined;

  /** Validates the options; throws a `TidingsError` (`invalid_argument`) for a bad one. Does not connect. */
  constructor(options: TidingsClientOptions) {
    const resolved = resolveOptions(options);
    this.maxGapResumes = resolved.maxGapResumes;
    this.events = new Emitter<TidingsEvents>((event, error) => {
      // An error listener that throws is not reported again: that could loop forever.
      if (event === 'error') return;
      const message = `a '${String(event)}' listener threw: ${(error as Error)?.message ?? String(error)}`;
      this.events.emit('error', new TidingsError(clientErrorCodes.listenerFailed, message, undefined, { cause: error }));
    });
    const tokens = new TokenSource(resolved.getToken, resolved.refreshBeforeMs);
    this.sequencer = new Sequencer(resolved.since, resolved.maxGapResumes);
    const hooks: SharedConnectionHooks = {
      beforeConnect: () => this.sequencer.startConnection(),
      frame: (frame) => this.onFrame(frame),
      state: (change) => this.events.emit('state', change),
      error: (error) => this.events.emit('error', error),
      disconnectedByAdmin: (info) => this.events.emit('disconnected_by_admin', info),
      lastSeq: () => this.sequencer.lastSeq,
      unreadCount: () => this.unread.value,
      joined: ({ lastSeq, unreadCount }) => this.onJoined(lastSeq, unreadCount),
    };
    this.connection = resolved.tabs ? new SharedConnection(resolved, tokens, hooks, resolved.tabs) : new GatewayConnection(resolved, tokens, hooks);
    const rest = new RestClient({ apiUrl: resolved.apiUrl, fetch: resolved.fetch, tokens, timeoutMs: resolved.requestTimeoutMs });
    this.inbox = createInboxApi(rest);
    this.preferences = createPreferencesApi(rest);
  }

  /** The newest seq delivered or confirmed gone: save it and pass it back as `since`. Undefined before the first connection. */
  get lastSeq(): number | undefined {
    return this.sequencer.lastSeq;
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.connection.state.state;
  }

  /** The transport in use, or about to be tried. */
  get transport(): TransportKind | undefined {
    return this.connection.state.transport;
  }

  /** Adds a listener; answers a function that removes it. */
  on<K extends keyof TidingsEvents>(event: K, listener: Listener<TidingsEvents[K]>): () => void {
    return this.events.on(event, listener);
  }

  /** Adds a listener that runs once; answers a function that removes it. */
  once<K extends keyof TidingsEvents>(event: K, listener: Listener<TidingsEvents[K]>): () => void {
    return this.events.once(event, listener);
  }

  /** Removes a listener. */
  off<K extends keyof TidingsEvents>(event: K, listener: Listener<TidingsEvents[K]>): void {
    this.events.off(event, listener);
  }

  /**
   * Starts connecting, and keeps reconnecting (resuming from `lastSeq`) until `close()` or a
   * terminal close. Watch the `state` event for progress. Does nothing while already started.
   */
  connect(): void {
    this.closing = undefined;
    this.connection.start();
  }

  /**
   * Disconnects and stops reconnecting. Idempotent: every call until the next `connect()` answers
   * the same promise, which resolves once the socket is closed. In a tab that holds the connection
   * other tabs share, another tab then takes it over; in a tab that follows, it stops listening.
   */
  close(): Promise<void> {
    this.closing ??= this.connection.stop();
    return this.closing;
  }

  /**
   * Marks notifications read: over the WebSocket when open (batched by the protocol's limit of ids
   * per frame), otherwise over REST (always, in a tab that follows another's connection). Every
   * device and tab of the user then receives a `read` event.
   * @throws TidingsError `invalid_argument` for an id that is not a UUID; REST errors as `TidingsApiError`.
   */
  async markRead(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const frames = chunk(ids, limits.idsPerReadRequest).map((batch) => checkedFrame({ type: 'mark_read', ids: batch }));
    if (this.connection.send(frames)) return;
    for (const batch of chunk(ids, REST_CONCURRENCY)) await Promise.all(batch.map((id) => this.inbox.markRead(id)));
  }

  /** Marks everything (or everything of one type) read: over the WebSocket when open, else REST. */
  async markAllRead(type?: string): Promise<void> {
    const frame = checkedFrame(type === undefined ? { type: 'mark_all_read' } : { type: 'mark_all_read', type_filter: type });
    if (this.connection.send([frame])) return;
    await this.inbox.markAllRead(type);
  }

  /**
   * Receives only notifications of these types (added to earlier ones; none means all). The client
   * applies the filter itself on both transports, and over a WebSocket of its own also tells the
   * gateway, to save bandwidth (a connection shared by tabs is never narrowed: the other tabs may
   * want other types); it survives reconnects. Filtered-out notifications still advance `lastSeq`.
   * @throws TidingsError `invalid_argument` for a type key the protocol rejects.
   */
  subscribe(types: readonly string[]): void {
    const frames = chunk(types, TYPES_PER_FRAME).map((batch) => checkedFrame({ type: 'subscribe', types: batch }));
    for (const type of types) this.types.add(type);
    this.narrow(frames);
  }

  /** Stops receiving these types. Unsubscribing from every subscribed type means all types again. */
  unsubscribe(types: readonly string[]): void {
    const frames = chunk(types, TYPES_PER_FRAME).map((batch) => checkedFrame({ type: 'unsubscribe', types: batch }));
    for (const type of types) this.types.delete(type);
    this.narrow(frames);
  }

  /** Tells the gateway about the type filter, on a connection of this client's own only. */
  private narrow(frames: ClientFrame[]): void {
    if (!this.connection.shared) this.connection.send(frames);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'connection_established':
        return this.onEstablished(frame);
      case 'notification':
        return this.apply(this.sequencer.notification(frame.notification));
      case 'resume_complete':
        return this.apply(this.sequencer.resumeComplete(frame.last_seq));
      case 'notification_read':
        return this.events.emit('read', frame.ids);
      case 'notification_unread':
        return this.events.emit('unread', frame.ids);
      case 'notification_deleted':
        return this.events.emit('deleted', frame.ids);
      case 'all_read':
        return this.events.emit('all_read', frame.type_filter === undefined ? {} : { type_filter: frame.type_filter });
      case 'unread_count':
        return this.events.emit('unread_count', this.unread.set(frame.count, this.sequencer.lastSeq));
      case 'error':
        return this.events.emit('error', new TidingsError(clientErrorCodes.serverError, frame.message, { code: frame.code }));
      case 'pong':
      case 'heartbeat':
      case 'subscription_updated':
        // Liveness only (the connection noted it); the client keeps the subscription set itself.
        return;
    }
  }

  private onEstablished(frame: Extract<ServerFrame, { type: 'connection_established' }>): void {
    this.reportReset(this.sequencer.established(frame.last_seq).resetFrom, frame.last_seq);
    if (this.types.size > 0) this.narrow(chunk([...this.types], TYPES_PER_FRAME).map((types) => ({ type: 'subscribe', types })));
    this.events.emit('unread_count', this.unread.set(frame.unread_count, frame.last_seq));
  }

  /** This tab joined the connection another tab holds, which is at `lastSeq`. */
  private onJoined(lastSeq: number | undefined, unreadCount: number | undefined): void {
    const { resetFrom, resumeSince } = this.sequencer.join(lastSeq);
    this.reportReset(resetFrom, lastSeq);
    if (unreadCount !== undefined) this.events.emit('unread_count', this.unread.set(unreadCount, lastSeq));
    if (resumeSince !== undefined) this.connection.resume(resumeSince);
  }

  private reportReset(from: number | undefined, to: number | undefined): void {
    if (from === undefined) return;
    const message = `the server's newest seq ${to} is behind lastSeq ${from}; starting over from ${to}`;
    this.events.emit('error', new TidingsError(clientErrorCodes.seqReset, message, { from, to }));
  }

  private apply(step: SequencerStep): void {
    for (const notification of step.deliver) {
      if (this.types.size === 0 || this.types.has(notification.type)) this.events.emit('notification', notification);
      const count = this.unread.delivered(notification);
      if (count !== undefined) this.events.emit('unread_count', count);
    }
    if (step.skipped) {
      const message = `seq ${step.skipped.from}–${step.skipped.to} never arrived after ${this.maxGapResumes} resumes; delivered past the gap`;
      this.events.emit('error', new TidingsError(clientErrorCodes.gapUnrepaired, message, step.skipped));
    }
    if (step.resumeSince !== undefined) this.connection.resume(step.resumeSince);
  }
}
