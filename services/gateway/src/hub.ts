import type { Broker, Channels } from '@tidings/cluster';
import type { BroadcastRecipient } from '@tidings/domain';
import type { BroadcastEvent, WireNotification } from '@tidings/protocol';
import { closeCodes, serverFrames } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import { decodeBusEvent, type BusEventRejection } from './bus-events.ts';
import type { Connection } from './connection.ts';
import { inSlices } from './slices.ts';

export interface HubMetrics {
  framesWritten(count: number): void;
  delivered(createdAt: string): void;
}

/** The ids and seqs a broadcast gave those of `userIds` it reached (the gateway asks Postgres). */
export type BroadcastLookup = (broadcastId: string, userIds: readonly string[]) => Promise<readonly BroadcastRecipient[]>;

/** How many local recipients one broadcast lookup asks about at a time. */
const BROADCAST_LOOKUP_CHUNK = 5_000;

/** The log line of each way a bus message can be unusable. */
const rejectionMessages: Record<BusEventRejection['reason'], string> = {
  unparsable: 'unparsable bus message dropped',
  unknown_kind: 'unknown bus event dropped',
  invalid: 'invalid bus event dropped',
};

/**
 * The gateway's local connections, by user, and the routing of bus events to them. A user's
 * channel is subscribed while the user has at least one connection here, so a gateway receives
 * only what its own users need (plus the broadcast channel). Every message is checked against the
 * bus event schema as it arrives; one that fails is logged and dropped, and the next is delivered.
 */
export class Hub {
  private readonly users = new Map<string, Set<Connection>>();
  /** Subscribe/unsubscribe in flight per user, so quick reconnects do not race each other. */
  private readonly pending = new Map<string, Promise<void>>();
  private connectionCount = 0;

  constructor(
    private readonly broker: Broker,
    private readonly channels: Channels,
    private readonly lookupBroadcast: BroadcastLookup,
    private readonly logger: Logger,
    private readonly metrics: HubMetrics,
  ) {}

  get size(): number {
    return this.connectionCount;
  }

  get userCount(): number {
    return this.users.size;
  }

  connectionsOf(userId: string): ReadonlySet<Connection> | undefined {
    return this.users.get(userId);
  }

  *all(): IterableIterator<Connection> {
    for (const set of this.users.values()) yield* set;
  }

  async start(): Promise<void> {
    await this.broker.subscribe(this.channels.broadcast, this.onBroadcastMessage);
  }

  /** Registers a connection; resolves once its user's channel is subscribed. */
  async add(connection: Connection): Promise<void> {
    let set = this.users.get(connection.userId);
    const first = set === undefined;
    if (!set) {
      set = new Set();
      this.users.set(connection.userId, set);
    }
    set.add(connection);
    this.connectionCount++;
    if (first) await this.chain(connection.userId, () => this.broker.subscribe(this.channels.user(connection.userId), this.onUserMessage));
    else await this.pending.get(connection.userId);
  }

  remove(connection: Connection): void {
    const set = this.users.get(connection.userId);
    if (!set?.delete(connection)) return;
    this.connectionCount--;
    if (set.size > 0) return;
    this.users.delete(connection.userId);
    void this.chain(connection.userId, async () => {
      if (!this.users.has(connection.userId)) await this.broker.unsubscribe(this.channels.user(connection.userId));
    }).catch((error: unknown) => this.logger.warn({ err: (error as Error).message, user: connection.userId }, 'unsubscribe failed'));
  }

  private chain(userId: string, step: () => Promise<void>): Promise<void> {
    const next = (this.pending.get(userId) ?? Promise.resolve()).then(step, step);
    this.pending.set(userId, next);
    void next
      .finally(() => {
        if (this.pending.get(userId) === next) this.pending.delete(userId);
      })
      .catch(() => {});
    return next;
  }

  private readonly onUserMessage = (payload: string, channel: string): void => {
    const decoded = decodeBusEvent(payload);
    if (!decoded.ok) return this.dropRejected(channel, decoded.rejection);
    const event = decoded.event;
    if (event.kind === 'broadcast') return this.dropMisrouted(channel, event.kind);
    const targets = this.users.get(event.user_id);
    if (!targets) return;
    switch (event.kind) {
      case 'notification':
        this.deliverNotification(targets, event.notification);
        break;
      case 'read_state':
        this.sendAll(targets, [serverFrames.readState(event.change, event.ids), serverFrames.unreadCount(event.unread_count)]);
        break;
      case 'all_read':
        this.sendAll(targets, [serverFrames.allRead(event.type_filter), serverFrames.unreadCount(event.unread_count)]);
        break;
      case 'disconnect':
        for (const connection of [...targets]) connection.sink.close(closeCodes.forcedDisconnect, 'disconnected by an admin');
        this.logger.info({ user: event.user_id, connections: targets.size }, 'user disconnected by admin');
        break;
    }
  };

  private readonly onBroadcastMessage = (payload: string, channel: string): void => {
    const decoded = decodeBusEvent(payload);
    if (!decoded.ok) return this.dropRejected(channel, decoded.rejection);
    if (decoded.event.kind !== 'broadcast') return this.dropMisrouted(channel, decoded.event.kind);
    void this.onBroadcast(decoded.event);
  };

  /** Logs where the message went wrong, never its content (titles, bodies and data are users' data). */
  private dropRejected(channel: string, rejection: BusEventRejection): void {
    this.logger.warn({ channel, kind: rejection.kind, problems: rejection.problems }, rejectionMessages[rejection.reason]);
  }

  private dropMisrouted(channel: string, kind: string): void {
    this.logger.warn({ channel, kind }, 'bus event on the wrong channel dropped');
  }

  private deliverNotification(targets: ReadonlySet<Connection>, notification: WireNotification): void {
    const written = this.writeNotification(targets, notification);
    if (written > 0) {
      this.metrics.framesWritten(written);
      this.metrics.delivered(notification.created_at);
    }
  }

  /** Serialises the frame once and writes it to each of the user's connections. */
  private writeNotification(targets: ReadonlySet<Connection>, notification: WireNotification): number {
    const frame = serverFrames.notification(notification);
    let written = 0;
    for (const connection of targets) if (connection.deliver(notification.seq, notification.type, frame)) written++;
    return written;
  }

  private sendAll(targets: ReadonlySet<Connection>, list: string[]): void {
    for (const connection of targets) for (const frame of list) connection.send(frame);
    this.metrics.framesWritten(targets.size * list.length);
  }

  /**
   * A send to many users arrives once; this gateway looks up the ids and seqs of its own local
   * recipients and writes each their frame.
   */
  private async onBroadcast(event: BroadcastEvent): Promise<void> {
    const local = [...this.users.keys()];
    let written = 0;
    try {
      for (let i = 0; i < local.length; i += BROADCAST_LOOKUP_CHUNK) {
        const chunk = local.slice(i, i + BROADCAST_LOOKUP_CHUNK);
        const rows = await this.lookupBroadcast(event.broadcast_id, chunk);
        // Written in slices, so live frames of other users are not held up behind a big send.
        await inSlices(rows, (row) => {
          const targets = this.users.get(row.userId);
          if (targets) written += this.writeNotification(targets, { ...event.notification, id: row.id, seq: row.seq });
        });
      }
      if (written > 0) {
        this.metrics.framesWritten(written);
        this.metrics.delivered(event.notification.created_at);
      }
    } catch (error) {
      // Clients see the seq gap on their next notification or reconnect and ask for a resume.
      this.logger.error({ err: (error as Error).message, broadcast: event.broadcast_id }, 'broadcast lookup failed');
    }
  }
}
