import type { OfflineQueue, QueuedFrame } from '@tidings/cluster';
import type { Database } from '@tidings/db';
import { inboxSnapshot, lastSeqOf, notificationsAfter } from '@tidings/domain';
import { serverFrames } from '@tidings/protocol';
import type { Logger } from '@tidings/server-kit';
import type { Connection } from './connection.ts';

/** Rows read from Postgres per page while replaying. */
const PAGE = 500;

/**
 * Replays what a client missed: every visible notification after `since`, in seq order, then
 * `resume_complete`. Recent ones come from the offline queue when it holds the whole range without
 * a hole (deleted or changed notifications leave holes on purpose); otherwise from Postgres, page
 * by page, so an overflowing queue loses nothing. Live frames are held during the replay and
 * written after it, minus those the replay already covered.
 */
export class Replayer {
  constructor(
    private readonly database: Database,
    private readonly queue: OfflineQueue,
    private readonly logger: Logger,
  ) {}

  /** The user's newest seq and unread count, for `connection_established`. */
  snapshot(userId: string): Promise<{ lastSeq: number; unread: number }> {
    return inboxSnapshot(this.database.sql, userId);
  }

  /**
   * Runs a replay on `connection`; answers how many notifications it wrote. Replays of one
   * connection run one after another, so their frames never interleave.
   */
  replay(connection: Connection, since: number, knownLastSeq?: number): Promise<number> {
    connection.beginReplay();
    const run = (connection.replayQueue ?? Promise.resolve(0)).then(
      () => this.run(connection, since, knownLastSeq),
      () => this.run(connection, since, knownLastSeq),
    );
    connection.replayQueue = run;
    void run
      .finally(() => {
        if (connection.replayQueue === run) connection.replayQueue = undefined;
      })
      .catch(() => {});
    return run;
  }

  private async run(connection: Connection, since: number, knownLastSeq?: number): Promise<number> {
    connection.beginReplay();
    let covered = since;
    let count = 0;
    try {
      const lastSeq = knownLastSeq ?? (await lastSeqOf(this.database.sql, connection.userId));
      if (since < lastSeq) {
        const queued = await this.fromQueue(connection.userId, since);
        if (isWhole(queued, since, lastSeq)) {
          for (const entry of queued) {
            const type = connection.types ? (JSON.parse(entry.frame) as { notification: { type: string } }).notification.type : '';
            if (connection.replayed(entry.seq, type, entry.frame)) count++;
          }
        } else {
          count = await this.fromDatabase(connection, since, lastSeq);
        }
      }
      covered = Math.max(since, lastSeq);
      connection.send(serverFrames.resumeComplete(count, lastSeq));
    } finally {
      connection.endReplay(covered);
    }
    return count;
  }

  private async fromQueue(userId: string, since: number): Promise<QueuedFrame[]> {
    try {
      return await this.queue.after(userId, since);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message, user: userId }, 'offline queue unreadable; replaying from Postgres');
      return [];
    }
  }

  private async fromDatabase(connection: Connection, since: number, lastSeq: number): Promise<number> {
    let after = since;
    let count = 0;
    for (;;) {
      const page = await notificationsAfter(this.database, connection.userId, after, lastSeq, PAGE);
      for (const notification of page) {
        if (connection.replayed(notification.seq, notification.type, serverFrames.notification(notification))) count++;
        after = notification.seq;
      }
      if (page.length < PAGE || connection.closed) return count;
    }
  }
}

/** True when `queued` holds exactly the seqs since+1 … lastSeq. */
function isWhole(queued: readonly QueuedFrame[], since: number, lastSeq: number): boolean {
  return queued.length === lastSeq - since && queued[0]?.seq === since + 1 && queued.at(-1)?.seq === lastSeq;
}
