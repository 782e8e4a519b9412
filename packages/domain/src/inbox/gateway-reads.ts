import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { schema, type Database, type Sql } from '@tidings/db';
import type { WireNotification } from '@tidings/protocol';
import { notificationColumns, wireFromRow } from './rows.ts';
import { visibleNotification, visibleNotificationSql } from './visible.ts';

const n = schema.notifications;

/**
 * What a gateway reads from Postgres: the state a connection starts from, the notifications a
 * replay writes, and the seqs of a broadcast's local recipients. Each a single round trip, because
 * they sit on the connect and broadcast paths.
 */

/** A user's newest seq and unread count, in one statement (0 and 0 for a user with no recipient row). */
export async function inboxSnapshot(sql: Sql, userId: string): Promise<{ lastSeq: number; unread: number }> {
  const [row] = await sql<{ last_seq: string; unread: number }[]>`
    select r.last_seq,
           (select count(*)::int from notifications n
             where n.user_id = r.id and not n.is_read and ${visibleNotificationSql(sql, 'n')}) as unread
    from recipients r where r.id = ${userId}`;
  return { lastSeq: Number(row?.last_seq ?? 0), unread: row?.unread ?? 0 };
}

/** A user's newest seq (0 for a user with no recipient row). */
export async function lastSeqOf(sql: Sql, userId: string): Promise<number> {
  const [row] = await sql<{ last_seq: string }[]>`select last_seq from recipients where id = ${userId}`;
  return Number(row?.last_seq ?? 0);
}

/** Up to `limit` of a user's visible notifications with `after < seq <= upTo`, in seq order. */
export async function notificationsAfter(database: Database, userId: string, after: number, upTo: number, limit: number): Promise<WireNotification[]> {
  const rows = await database.db
    .select(notificationColumns)
    .from(n)
    .where(and(eq(n.userId, userId), gt(n.seq, after), lte(n.seq, upTo), visibleNotification))
    .orderBy(asc(n.seq))
    .limit(limit);
  return rows.map(wireFromRow);
}

/** One recipient's row of a broadcast. */
export interface BroadcastRecipient {
  userId: string;
  id: string;
  seq: number;
}

/** The ids and seqs a broadcast gave those of `userIds` it reached (rows not yet released have no seq and are left out). */
export async function broadcastRecipients(sql: Sql, broadcastId: string, userIds: readonly string[]): Promise<BroadcastRecipient[]> {
  const rows = await sql<{ user_id: string; id: string; seq: string }[]>`
    select user_id, id, seq from notifications
    where broadcast_id = ${broadcastId} and user_id = any(${userIds as string[]}::text[]) and seq is not null`;
  return rows.map((row) => ({ userId: row.user_id, id: row.id, seq: Number(row.seq) }));
}
