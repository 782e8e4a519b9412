import { and, desc, eq, inArray, isNotNull, isNull, lt, sql as dsql, type SQL } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import type { ListNotificationsQuery, Notification } from '@tidings/protocol';
import { notFound } from '@tidings/server-kit';
import { decodeCursor, encodeCursor } from './cursor.ts';
import type { EventPublisher } from './event-publisher.ts';
import { toNotification } from './rows.ts';

const n = schema.notifications;

/** What a user can see: released (has a seq) and not deleted. */
const visible = (userId: string): SQL => and(eq(n.userId, userId), isNotNull(n.seq), isNull(n.deletedAt))!;

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * A user's inbox: listing, counts and read state. Every change is published after commit, with the
 * new unread count, so each of the user's connections on every gateway can follow.
 */
export class Inbox {
  constructor(
    private readonly database: Database,
    private readonly publisher: EventPublisher,
  ) {}

  /** Newest first, by seq (a user's seqs follow creation order), keyset-paginated. */
  async list(userId: string, query: ListNotificationsQuery): Promise<Page<Notification>> {
    const conditions = [visible(userId)];
    if (query.unread_only) conditions.push(eq(n.isRead, false));
    if (query.type) conditions.push(eq(n.type, query.type));
    if (query.cursor) conditions.push(lt(n.seq, decodeCursor(query.cursor, ['seq'])[0]));
    const rows = await this.database.db
      .select()
      .from(n)
      .where(and(...conditions))
      .orderBy(desc(n.seq))
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit).map(toNotification);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null };
  }

  async get(userId: string, id: string): Promise<Notification> {
    const [row] = await this.database.db.select().from(n).where(and(visible(userId), eq(n.id, id)));
    if (!row) throw notFound('notification');
    return toNotification(row);
  }

  async unreadCount(userId: string): Promise<number> {
    const [row] = await this.database.db
      .select({ count: dsql<number>`count(*)::int` })
      .from(n)
      .where(and(visible(userId), eq(n.isRead, false)));
    return row?.count ?? 0;
  }

  /**
   * Marks notifications read (or unread). Answers the ids whose state changed; ids the user cannot
   * see are ignored here, and the REST route turns "none of them exists" into a 404.
   */
  async setRead(userId: string, ids: readonly string[], read: boolean): Promise<string[]> {
    if (ids.length === 0) return [];
    const changed = await this.database.db
      .update(n)
      .set({ isRead: read, readAt: read ? dsql`now()` : null })
      .where(and(visible(userId), inArray(n.id, [...ids]), eq(n.isRead, !read)))
      .returning({ id: n.id, seq: n.seq });
    const changedIds = changed.map((row) => row.id);
    if (changedIds.length > 0) {
      await this.publisher.forget(userId, changed.map((row) => row.seq!));
      await this.publisher.publish([
        {
          kind: 'read_state',
          user_id: userId,
          change: read ? 'notification_read' : 'notification_unread',
          ids: changedIds,
          unread_count: await this.unreadCount(userId),
        },
      ]);
    }
    return changedIds;
  }

  /** Sets one notification's read state; 404 when the user cannot see it. */
  async setOneRead(userId: string, id: string, read: boolean): Promise<void> {
    const changed = await this.setRead(userId, [id], read);
    if (changed.length === 0) await this.get(userId, id); // throws 404 unless it exists already in that state
  }

  async markAllRead(userId: string, type?: string): Promise<number> {
    const conditions = [visible(userId), eq(n.isRead, false)];
    if (type) conditions.push(eq(n.type, type));
    const updated = await this.database.db
      .update(n)
      .set({ isRead: true, readAt: dsql`now()` })
      .where(and(...conditions))
      .returning({ id: n.id });
    if (updated.length > 0) {
      await this.publisher.forget(userId);
      await this.publisher.publish([
        { kind: 'all_read', user_id: userId, type_filter: type ?? null, unread_count: await this.unreadCount(userId) },
      ]);
    }
    return updated.length;
  }

  /** Soft delete: the row stays for audit but no listing, count or resume shows it again. */
  async delete(userId: string, id: string): Promise<void> {
    const deleted = await this.database.db
      .update(n)
      .set({ deletedAt: dsql`now()` })
      .where(and(visible(userId), eq(n.id, id)))
      .returning({ id: n.id, seq: n.seq });
    if (deleted.length === 0) throw notFound('notification');
    await this.publisher.forget(userId, [deleted[0]!.seq!]);
    await this.publisher.publish([
      { kind: 'read_state', user_id: userId, change: 'notification_deleted', ids: [id], unread_count: await this.unreadCount(userId) },
    ]);
  }
}
