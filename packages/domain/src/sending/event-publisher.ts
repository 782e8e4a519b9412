import type { Broker, Channels, OfflineQueue, OutgoingMessage } from '@tidings/cluster';
import type { Sql } from '@tidings/db';
import { serverFrames, type BusEvent } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';

/** How often, at most, the published marks of delivered notifications are written. */
const MARK_INTERVAL_MS = 20;
const MARK_BATCH = 1_000;

/**
 * Publishes bus events after commit and records which notifications reached Redis.
 *
 * A publish failure is logged, never thrown: the data is committed, and the outbox relay
 * republishes every row whose `published_at` stayed empty. The marks are batched into one UPDATE
 * per interval rather than one per request, which keeps a commit off the hot path; a crash before
 * a batch is written only means a duplicate that clients drop by seq.
 */
export class EventPublisher {
  private pendingIds: string[] = [];
  private pendingBroadcasts: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly broker: Broker,
    private readonly channels: Channels,
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly offlineQueue?: OfflineQueue,
  ) {}

  channelFor(event: BusEvent): string {
    return event.kind === 'broadcast' ? this.channels.broadcast : this.channels.user(event.user_id);
  }

  /** Publishes events, each serialised once; rejects when Redis does not take them. */
  async send(events: readonly BusEvent[]): Promise<void> {
    const messages: OutgoingMessage[] = events.map((event) => ({ channel: this.channelFor(event), payload: JSON.stringify(event) }));
    await this.broker.publish(messages);
  }

  /** Publishes events after a commit; true when Redis accepted them all, false (logged) when not. */
  async publish(events: readonly BusEvent[]): Promise<boolean> {
    try {
      await this.send(events);
      return true;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, events: events.length }, 'publish failed; the outbox relay will retry');
      return false;
    }
  }

  /**
   * Publishes notification events and marks their rows published once Redis has them. Per-user
   * notifications also go to the user's offline queue, which reconnecting clients replay from.
   */
  async publishNotifications(events: readonly BusEvent[], rows: { ids?: readonly string[]; broadcastId?: string }): Promise<boolean> {
    const [published] = await Promise.all([this.publish(events), this.enqueueOffline(events)]);
    if (published) {
      if (rows.ids) this.pendingIds.push(...rows.ids);
      if (rows.broadcastId) this.pendingBroadcasts.push(rows.broadcastId);
      this.scheduleMark();
    }
    return published;
  }

  /**
   * Drops notifications whose state changed (read, unread, deleted) from the user's offline queue,
   * or the whole queue, so a replay never serves a stale copy. Failures only cost a database read.
   */
  async forget(userId: string, seqs?: readonly number[]): Promise<void> {
    try {
      await this.offlineQueue?.forget(userId, seqs);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, user: userId }, 'could not update the offline queue');
    }
  }

  private async enqueueOffline(events: readonly BusEvent[]): Promise<void> {
    if (!this.offlineQueue) return;
    const queue = this.offlineQueue;
    try {
      await Promise.all(
        events.flatMap((event) =>
          event.kind === 'notification'
            ? [queue.append(event.user_id, [{ seq: event.notification.seq, frame: serverFrames.notification(event.notification) }])]
            : [],
        ),
      );
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'could not write the offline queue; replays read Postgres');
    }
  }

  /** Writes every pending mark now. Safe to call at any time, and on shutdown. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.writeMarks());
    await this.flushing;
  }

  private scheduleMark(): void {
    if (this.pendingIds.length >= MARK_BATCH) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), MARK_INTERVAL_MS).unref();
  }

  private async writeMarks(): Promise<void> {
    const ids = this.pendingIds;
    const broadcasts = this.pendingBroadcasts;
    this.pendingIds = [];
    this.pendingBroadcasts = [];
    try {
      if (ids.length > 0) {
        await this.sql`update notifications set published_at = now() where id = any(${ids}::uuid[]) and published_at is null`;
      }
      if (broadcasts.length > 0) {
        await this
          .sql`update notifications set published_at = now() where broadcast_id = any(${broadcasts}::uuid[]) and published_at is null and seq is not null`;
      }
    } catch (error) {
      // The rows stay unmarked: the relay republishes them and clients dedupe by seq.
      this.logger.warn({ err: (error as Error).message, rows: ids.length, broadcasts: broadcasts.length }, 'could not mark notifications published');
    }
  }
}
