import type { ClientFrame, ServerFrame } from '@tidings/protocol';
import { Backoff } from './backoff.ts';
import { GatewayConnection, isNews, type ConnectionHooks, type GatewayLink } from './connection.ts';
import { TidingsError } from './errors.ts';
import type { StateChange } from './events.ts';
import type { ResolvedOptions, Tabs } from './options.ts';
import { readTabMessage, type BroadcastChannelLike, type TabMessage } from './tab-channel.ts';
import { TabElection } from './tab-election.ts';
import { jwtSubject, type TokenSource } from './token.ts';
import { ABNORMAL_CLOSURE } from './transport.ts';

/** What a shared connection needs from its owner beyond a connection's hooks. */
export interface SharedConnectionHooks extends ConnectionHooks {
  /** The tab's own lastSeq, to tell whether a replay covers what it misses. */
  lastSeq(): number | undefined;
  /** The tab's unread count, for a tab that joins later. */
  unreadCount(): number | undefined;
  /** The tab joined a leader that was already running: its lastSeq and unread count. */
  joined(snapshot: { lastSeq: number | undefined; unreadCount: number | undefined }): void;
}

/** Frames about the leader's own socket (liveness, its subscription, errors its own frames earned): no use to the other tabs. */
const leaderOnly = new Set<ServerFrame['type']>(['pong', 'heartbeat', 'subscription_updated', 'error']);

/**
 * One gateway connection for all the tabs of a browser in which the same user is signed in. The
 * tab that wins the Web Lock (see {@link TabElection}) holds a {@link GatewayConnection} and
 * forwards what it receives over a BroadcastChannel of the same name; the others follow. Each
 * tab keeps its own Sequencer, so each still sees every notification exactly once and in order.
 *
 * Replays: the leader tags each `connection_established` and `resume_complete` it forwards with
 * the seq its replay started from. A tab lets a `resume_complete` settle its gaps only when that
 * replay started at or below its own lastSeq (else the replay did not carry what it misses) and
 * asks for its own replay otherwise; the leader sends a `resume` unless a replay already on its way
 * covers it. So a tab that lagged behind the leader (or took over from one) still misses nothing.
 *
 * Actions are not forwarded: a follower's `send` answers false, so its marks go over REST and the
 * server fans the change out to every connection, the leader's too.
 */
export class SharedConnection implements GatewayLink {
  readonly shared = true;
  private role: 'stopped' | 'starting' | 'follower' | 'leader' = 'stopped';
  private current: StateChange = { state: 'closed', transport: undefined };
  private readonly backoff: Backoff;
  private channel: BroadcastChannelLike | undefined;
  private election: TabElection | undefined;
  private connection: GatewayConnection | undefined;
  /** Bumped by every start and stop, so a late step of an older start does nothing. */
  private generation = 0;
  private setupTimer: ReturnType<typeof setTimeout> | undefined;
  /** Follower: a baseline arrived (a snapshot or a `connection_established`), so frames count. */
  private joined = false;
  /** Leader: the user's unread count, for the snapshots. */
  /** Leader: where the current connection's replay started. */
  private connectSince: number | undefined;
  /** Leader: where each replay asked on the current connection started, oldest first, until its `resume_complete`. */
  private replays: number[] = [];
  /** Leader: a replay asked while no `resume` frame could go out; the next connection starts at or below it. */
  private replayFloor: number | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly tokens: TokenSource,
    private readonly hooks: SharedConnectionHooks,
    private readonly tabs: Tabs,
  ) {
    this.backoff = new Backoff(options.backoff);
  }

  get state(): StateChange {
    return this.current;
  }

  /** Joins (or, when no tab leads, becomes) the tabs' connection; restarts a leader's stopped one. */
  start(): void {
    if (this.role === 'leader') return this.connection?.start();
    if (this.role === 'follower' && this.current.state === 'closed') return this.post({ kind: 'connect' });
    if (this.role !== 'stopped') return;
    this.role = 'starting';
    this.backoff.reset();
    this.setState({ state: 'connecting', transport: undefined });
    void this.setup(++this.generation);
  }

  /** Leaves: a leader closes its socket and then releases the lock, so the next tab takes over. */
  stop(): Promise<void> {
    this.generation++;
    clearTimeout(this.setupTimer);
    const { connection, election } = this;
    this.channel?.close();
    this.channel = this.connection = this.election = undefined;
    this.role = 'stopped';
    this.joined = false;
    this.setState({ state: 'closed', transport: this.current.transport });
    // Released only once the socket is closed, so the next leader's connection never overlaps this one.
    return (connection?.stop() ?? Promise.resolve()).finally(() => election?.resign());
  }

  /** A leader sends over its socket; a follower cannot, so the client falls back to REST. */
  send(frames: readonly ClientFrame[]): boolean {
    return this.connection?.send(frames) ?? false;
  }

  /** The tab needs every notification after `since`. */
  resume(since: number): void {
    if (this.role === 'leader') this.replay(since);
    else this.post({ kind: 'replay', since });
  }

  /** The user's token names the lock and the channel: tabs of different users never share. */
  private async setup(generation: number): Promise<void> {
    let user: string | undefined;
    try {
      user = jwtSubject(await this.tokens.current());
    } catch (error) {
      if (generation !== this.generation) return;
      this.hooks.error(error as TidingsError);
      const retryInMs = this.backoff.next();
      this.setState({ state: 'reconnecting', transport: undefined, code: ABNORMAL_CLOSURE, reason: 'no token', retryInMs });
      this.setupTimer = setTimeout(() => void this.setup(generation), retryInMs);
      return;
    }
    if (generation !== this.generation) return;
    // Without a `sub` there is no telling whose tabs these are: this tab keeps a connection of its own.
    if (user === undefined) return this.lead();
    // Keyed by the API, which names the deployment: tabs that a load balancer (or a page) sent to
    // different gateways of it still share one connection.
    const name = `tidings:1:${this.options.apiUrl}:${user}`;
    try {
      this.channel = new this.tabs.BroadcastChannel(name);
    } catch {
      // No channel in this context (an opaque origin): nothing to share through.
      return this.lead();
    }
    this.role = 'follower';
    this.channel.onmessage = (event) => this.onMessage(event.data);
    this.post({ kind: 'hello' });
    this.election = new TabElection(this.tabs.locks, name, () => {
      if (generation === this.generation) this.lead();
    });
  }

  /** Runs inside socket callbacks, which must not throw: a message that cannot go is one the other tabs do without. */
  private post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // The other tabs repair what they missed: a seq gap asks for a replay, the next connection resends the state.
    }
  }

  private lead(): void {
    this.role = 'leader';
    this.replays = [];
    this.replayFloor = undefined;
    const connection: GatewayConnection = new GatewayConnection(this.options, this.tokens, {
      beforeConnect: () => this.beforeConnect(),
      frame: (frame) => this.connection === connection && this.onLeaderFrame(frame),
      state: (change) => {
        if (this.connection !== connection) return;
        this.post({ kind: 'state', change });
        this.setState(change);
      },
      error: (error) => {
        if (this.connection !== connection) return;
        this.post({ kind: 'error', code: error.code, message: error.message, details: error.details });
        this.hooks.error(error);
      },
      disconnectedByAdmin: (info) => {
        if (this.connection !== connection) return;
        this.post({ kind: 'admin', ...info });
        this.hooks.disconnectedByAdmin(info);
      },
    });
    this.connection = connection;
    connection.start();
  }

  /** The tab's own since, lowered to any replay a follower asked for in between. */
  private beforeConnect(): number | undefined {
    const own = this.hooks.beforeConnect();
    const floor = this.replayFloor;
    this.replayFloor = undefined;
    this.connectSince = floor !== undefined && (own === undefined || floor < own) ? floor : own;
    this.replays = this.connectSince === undefined ? [] : [this.connectSince];
    return this.connectSince;
  }

  private onLeaderFrame(frame: ServerFrame): void {
    let since: number | undefined;
    if (frame.type === 'connection_established') since = this.connectSince;
    if (frame.type === 'resume_complete') since = this.replays.shift();
    if (!leaderOnly.has(frame.type)) this.post({ kind: 'frame', frame, since });
    this.deliver(frame, since);
  }

  /** Asks the gateway for a replay after `since`, unless one on its way already starts at or below it. */
  private replay(since: number): void {
    if (this.replays.some((start) => start <= since)) return;
    const floor = this.replayFloor;
    this.replayFloor = Math.min(floor ?? since, since);
    if (this.connection?.resume(since)) {
      this.replayFloor = floor;
      this.replays.push(since);
    }
  }

  private onMessage(data: unknown): void {
    const message = readTabMessage(data);
    if (!message) return;
    if (this.role === 'leader') this.onFollowerMessage(message);
    else if (this.role === 'follower') this.onLeaderMessage(message);
  }

  private onFollowerMessage(message: TabMessage): void {
    switch (message.kind) {
      case 'hello':
        return this.post({ kind: 'snapshot', state: this.current, lastSeq: this.hooks.lastSeq(), unreadCount: this.hooks.unreadCount() });
      case 'replay':
        return this.replay(message.since);
      case 'connect':
        return this.connection?.start();
    }
  }

  private onLeaderMessage(message: TabMessage): void {
    switch (message.kind) {
      case 'snapshot':
        // Every tab's hello is answered to all of them: only the first counts, and only before frames did.
        if (this.joined) return;
        this.joined = true;
        this.setState(message.state);
        return this.hooks.joined({ lastSeq: message.lastSeq, unreadCount: message.unreadCount });
      case 'frame':
        return this.follow(message.frame, message.since);
      case 'state':
        return this.setState(message.change);
      case 'error':
        return this.hooks.error(new TidingsError(message.code, message.message, message.details));
      case 'admin':
        return this.hooks.disconnectedByAdmin({ code: message.code, reason: message.reason });
    }
  }

  private follow(frame: ServerFrame, since: number | undefined): void {
    if (frame.type !== 'connection_established') {
      if (this.joined) this.deliver(frame, since);
      return;
    }
    // The leader (re)connected: this tab starts over on that connection, as if it were its own.
    this.joined = true;
    const own = this.hooks.beforeConnect();
    this.hooks.frame(frame);
    const last = this.hooks.lastSeq();
    if (own !== undefined && last !== undefined && (since === undefined || since > last)) this.resume(last);
  }

  private deliver(frame: ServerFrame, since: number | undefined): void {
    if (frame.type === 'resume_complete' && since !== undefined) {
      const last = this.hooks.lastSeq();
      // That replay started past what this tab misses, so it must not close this tab's gaps.
      if (last !== undefined && since > last) return this.resume(last);
    }
    this.hooks.frame(frame);
  }

  private setState(change: StateChange): void {
    const previous = this.current;
    this.current = change;
    if (isNews(previous, change)) this.hooks.state(change);
  }
}
