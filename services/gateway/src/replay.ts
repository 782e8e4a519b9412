import type { OfflineQueue, QueuedFrame } from '@tidings/cluster';
import type { Sql } from '@tidings/db';
import type { Logger } from '@tidings/server-kit';
import type { Connection } from './connection.ts';
import { frames } from './frames.ts';

/** Rows read from Postgres per page while replaying. */
const PAGE = 500;

interface Row {
  id: string;
  seq: string;
  type: string;
  title: string;
  body: string;
  data: string;
  icon: string | null;
  action_url: string | null;
  priority: 'low' | 'normal' | 'high' | 'critical';
  created_at: string;
  is_read: boolean;
}

/**
 * Replays what a client missed: every non-deleted notification after `since`, in seq order, then
 * `resume_complete`. Recent ones come from the offline queue when it holds the whole range without
 * a hole (deleted or changed notifications leave holes on purpose); otherwise from Postgres, page
 * by page, so an overflowing queue loses nothing. Live frames are held during the replay and
 * written after it, minus those the replay already covered.
 */
export class Replayer {
  constructor(
    private readonly sql: Sql,
    private readonly queue: OfflineQueue,
    private readonly logger: Logger,
  ) {}

  /** The user's newest seq and unread count, for `connection_established`. */
  async snapshot(userId: string): Promise<{ lastSeq: number; unread: number }> {
    const [row] = await this.sql<{ last_seq: string; unread: number }[]>`
      select r.last_seq,
             (select count(*)::int from notifications n
               where n.user_id = r.id and not n.is_read and n.deleted_at is null and n.seq is not null) as unread
      from recipients r where r.id = ${userId}`;
    return { lastSeq: Number(row?.last_seq ?? 0), unread: row?.unread ?? 0 };
  }

  async lastSeq(userId: string): Promise<number> {
    const [row] = await this.sql<{ last_seq: string }[]>`select last_seq from recipients where id = ${userId}`;
    return Number(row?.last_seq ?? 0);
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
    void run.finally(() => {
      if (connection.replayQueue === run) connection.replayQueue = undefined;
    }).catch(() => {});
    return run;
  }

  private async run(connection: Connection, since: number, knownLastSeq?: number): Promise<number> {
    connection.beginReplay();
    let covered = since;
    let count = 0;
    try {
      const lastSeq = knownLastSeq ?? (await this.lastSeq(connection.userId));
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
      connection.send(frames.resumeComplete(count, lastSeq));
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
      const rows = await this.sql<Row[]>`
        select id, seq, type, title, body, data::text as data, icon, action_url, priority,
               to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at, is_read
        from notifications
        where user_id = ${connection.userId} and seq > ${after} and seq <= ${lastSeq} and deleted_at is null
        order by seq limit ${PAGE}`;
      for (const row of rows) {
        const seq = Number(row.seq);
        const frame = frames.notification({
          id: row.id,
          seq,
          type: row.type,
          title: row.title,
          body: row.body,
          data: JSON.parse(row.data) as Record<string, unknown>,
          icon: row.icon,
          action_url: row.action_url,
          priority: row.priority,
          created_at: row.created_at,
          is_read: row.is_read,
        });
        if (connection.replayed(seq, row.type, frame)) count++;
        after = seq;
      }
      if (rows.length < PAGE || connection.closed) return count;
    }
  }
}

/** True when `queued` holds exactly the seqs since+1 … lastSeq. */
function isWhole(queued: readonly QueuedFrame[], since: number, lastSeq: number): boolean {
  return queued.length === lastSeq - since && queued[0]?.seq === since + 1 && queued.at(-1)?.seq === lastSeq;
}
