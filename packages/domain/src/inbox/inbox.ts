import { and, desc, eq, isNotNull, lt, or, sql as dsql, type SQL } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import { limits, type BulkDelete, type BusEvent, type ListNotificationsQuery, type Notification } from '@tidings/protocol';
import { notFound } from '@tidings/server-kit';
import type { EventPublisher } from '../sending/event-publisher.ts';
import { decodeCursor, encodeCursor, type Page } from './cursor.ts';
import { notificationColumns, toNotification, type NotificationRow } from './rows.ts';
import { containing, matches } from './text-match.ts';
import { visibleNotification } from './visible.ts';

const n = schema.notifications;

type ReadStateEvent = Extract<BusEvent, { kind: 'read_state' }>;

/** What a user can see: their visible notifications. */
const visible = (userId: string): SQL => and(eq(n.userId, userId), visibleNotification)!;

/**
 * `id = any($1::uuid[])`: one statement text whatever the number of ids, where `in (…)` would
 * prepare one per list length on every connection.
 */
const idIn = (ids: readonly string[]): SQL => dsql`${n.id} = any(${dsql.param([...ids])}::uuid[])`;

/** How many of the newest candidate rows a search reads in order before it may ask the trigram index (see `search`). */
const SEARCH_WINDOW = 500;

/** Most ids in one published state change, so a change to thousands of rows is several bounded frames. */
const IDS_PER_EVENT = limits.idsPerBulkRequest;

/**
 * A user's inbox: listing, counts and read state. Every change is published after commit, with the
 * new unread count, so each of the user's connections on every gateway can follow.
 */
export class Inbox {
  constructor(
    private readonly database: Database,
    private readonly publisher: EventPublisher,
  ) {}

  /** Newest first, by seq (a user's seqs follow creation order), keyset-paginated; `q` finds text in the title or body. */
  async list(userId: string, query: ListNotificationsQuery): Promise<Page<Notification>> {
    const conditions = [visible(userId)];
    if (query.unread_only) conditions.push(eq(n.isRead, false));
    if (query.type) conditions.push(eq(n.type, query.type));
    if (query.cursor) conditions.push(lt(n.seq, decodeCursor(query.cursor, ['seq'])[0]));
    const wanted = query.limit + 1;
    const rows = query.q
      ? await this.search(conditions, containing(query.q), wanted)
      : await this.database.db
          .select(notificationColumns)
          .from(n)
          .where(and(...conditions))
          .orderBy(desc(n.seq))
          .limit(wanted);
    const items = rows.slice(0, query.limit).map(toNotification);
    const last = items.at(-1);
    return { items, next_cursor: rows.length > query.limit && last ? encodeCursor([last.seq]) : null };
  }

  /**
   * The newest `wanted` rows among `conditions` whose title or body matches `pattern`, in one or two
   * statements, because no single plan is fast for every term and the planner cannot tell which
   * one a term needs: its estimate of how often a term occurs is for the whole table, not for this
   * inbox. A common term fills the page from the newest rows read in order, so the first statement
   * reads at most SEARCH_WINDOW of them, and it also answers whether there are more than that (the
   * last of them comes back as a marker, matching or not). Only when there are more, and the window
   * held too few matches (the term is rare here), does the second statement gather every match
   * through the trigram index on (user_id, title, body) and sort them: its order is an expression no
   * index provides, so the planner cannot go back to reading the whole inbox in order in the hope
   * of an early match. That index holds rows once they are marked published (see the schema), so
   * the second statement asks for those and the first one's matches are kept beside its own: a row
   * whose mark is still pending (the newest, for a few milliseconds) is found while it is among the
   * newest SEARCH_WINDOW.
   */
  private async search(conditions: SQL[], pattern: string, wanted: number): Promise<NotificationRow[]> {
    const { db } = this.database;
    const newest = db
      .select({
        ...notificationColumns,
        place: dsql<number>`(row_number() over (order by ${n.seq} desc))::int`.as('place'),
        hit: dsql<boolean>`${matches(n, pattern)}`.as('hit'),
      })
      .from(n)
      .where(and(...conditions))
      .orderBy(desc(n.seq))
      .limit(SEARCH_WINDOW)
      .as('newest');
    const read = await db
      .select()
      .from(newest)
      .where(or(dsql`${newest.hit}`, eq(newest.place, SEARCH_WINDOW)))
      .orderBy(desc(newest.seq))
      .limit(wanted);
    const recent: NotificationRow[] = read.filter((row) => row.hit).map(({ place: _place, hit: _hit, ...row }) => row);
    const older = read.some((row) => row.place === SEARCH_WINDOW);
    if (recent.length === wanted || !older) return recent;
    const indexed = await db
      .select(notificationColumns)
      .from(n)
      .where(and(...conditions, isNotNull(n.publishedAt), matches(n, pattern)))
      .orderBy(desc(dsql`${n.seq} + 0`))
      .limit(wanted);
    const byId = new Map([...recent, ...indexed].map((row) => [row.id, row]));
    return [...byId.values()].sort((a, b) => b.seq! - a.seq!).slice(0, wanted);
  }

  async get(userId: string, id: string): Promise<Notification> {
    const [row] = await this.database.db
      .select(notificationColumns)
      .from(n)
      .where(and(visible(userId), eq(n.id, id)));
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
   * Marks notifications read (or unread) in one statement. Answers the ids whose state changed; ids
   * the user cannot see (unknown, another user's, deleted) are ignored.
   */
  async setRead(userId: string, ids: readonly string[], read: boolean): Promise<string[]> {
    if (ids.length === 0) return [];
    const changed = await this.database.db
      .update(n)
      .set({ isRead: read, readAt: read ? dsql`now()` : null })
      .where(and(visible(userId), idIn(ids), eq(n.isRead, !read)))
      .returning({ id: n.id, seq: n.seq });
    await this.announce(userId, read ? 'notification_read' : 'notification_unread', changed);
    return changed.map((row) => row.id);
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
      await this.publisher.publish([{ kind: 'all_read', user_id: userId, type_filter: type ?? null, unread_count: await this.unreadCount(userId) }]);
    }
    return updated.length;
  }

  /** Soft delete: the row stays for audit but no listing, count or resume shows it again. 404 when the user cannot see it. */
  async delete(userId: string, id: string): Promise<void> {
    if ((await this.deleteMany(userId, { ids: [id] })) === 0) throw notFound('notification');
  }

  /**
   * Soft-deletes the given notifications, or every read one, in one statement; answers how many
   * were deleted. Ids the user cannot see are ignored.
   */
  async deleteMany(userId: string, selection: BulkDelete): Promise<number> {
    const which = 'ids' in selection ? idIn(selection.ids) : eq(n.isRead, true);
    const deleted = await this.database.db
      .update(n)
      .set({ deletedAt: dsql`now()` })
      .where(and(visible(userId), which))
      .returning({ id: n.id, seq: n.seq });
    await this.announce(userId, 'notification_deleted', deleted);
    return deleted.length;
  }

  /**
   * After a commit that changed these rows: drops them from the user's offline queue (the whole
   * queue when there are more than one event holds) and publishes the change with the new unread
   * count, so every connection of the user on every gateway follows.
   */
  private async announce(userId: string, change: ReadStateEvent['change'], rows: readonly { id: string; seq: number | null }[]): Promise<void> {
    if (rows.length === 0) return;
    await this.publisher.forget(userId, rows.length > IDS_PER_EVENT ? undefined : rows.map((row) => row.seq!));
    const unreadCount = await this.unreadCount(userId);
    const events: ReadStateEvent[] = [];
    for (let start = 0; start < rows.length; start += IDS_PER_EVENT) {
      const ids = rows.slice(start, start + IDS_PER_EVENT).map((row) => row.id);
      events.push({ kind: 'read_state', user_id: userId, change, ids, unread_count: unreadCount });
    }
    await this.publisher.publish(events);
  }
}
