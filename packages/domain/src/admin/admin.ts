import { and, desc, eq, gte, or, lt, sql as dsql, type SQL, type AnyColumn } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import type { z } from 'zod';
import type {
  Notification,
  adminBroadcastsQuerySchema,
  adminEmailLogsQuerySchema,
  adminNotificationsQuerySchema,
  adminSuppressionsQuerySchema,
  broadcastSchema,
  emailLogSchema,
  emailSuppressionSchema,
} from '@tidings/protocol';
import { AppError, notFound } from '@tidings/server-kit';
import { decodeCursor, encodeCursor, type Page } from '../inbox/cursor.ts';
import { iso, notificationColumns, toNotification } from '../inbox/rows.ts';
import { containing, matches } from '../inbox/text-match.ts';
import { visibleNotification } from '../inbox/visible.ts';

type Broadcast = z.infer<typeof broadcastSchema>;
type EmailLog = z.infer<typeof emailLogSchema>;
type EmailSuppression = z.infer<typeof emailSuppressionSchema>;

/** Keyset condition for "older than the cursor", newest first by (time, id); `idKind` is what the id column holds. */
function olderThan(cursor: string | undefined, time: AnyColumn, id: AnyColumn, idKind: 'uuid' | 'text'): SQL | undefined {
  if (!cursor) return undefined;
  const [at, lastId] = decodeCursor(cursor, ['timestamp', idKind]);
  const date = new Date(at);
  return or(lt(time, date), and(eq(time, date), lt(id, lastId)));
}

function page<R, T>(rows: R[], limit: number, map: (row: R) => T, key: (row: R) => [Date, string]): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  if (rows.length <= limit || last === undefined) return { items: items.map(map), next_cursor: null };
  const [at, id] = key(last);
  return { items: items.map(map), next_cursor: encodeCursor([at.toISOString(), id]) };
}

const b = schema.broadcasts;
const n = schema.notifications;
const e = schema.emailLogs;
const s = schema.emailSuppressions;

const toEmailLog = (row: typeof e.$inferSelect): EmailLog => ({
  id: row.id,
  user_id: row.userId,
  notification_id: row.notificationId,
  broadcast_id: row.broadcastId,
  kind: row.kind,
  to: row.to,
  subject: row.subject,
  template: row.template,
  status: row.status,
  attempts: row.attempts,
  provider_message_id: row.providerMessageId,
  error: row.error,
  queued_at: row.queuedAt.toISOString(),
  sent_at: iso(row.sentAt),
});

const toSuppression = (row: typeof s.$inferSelect): EmailSuppression => ({
  address: row.address,
  reason: row.reason,
  detail: row.detail,
  created_at: row.createdAt.toISOString(),
});

/** Operator views across all users. */
export class AdminQueries {
  constructor(private readonly database: Database) {}

  /**
   * Visible notifications of every user (what their inboxes show), newest first. `q`
   * is the inbox search's test (title or body, case-insensitive); `from` and `to` bound created_at
   * to [from, to).
   */
  async notifications(query: z.infer<typeof adminNotificationsQuerySchema>): Promise<Page<Notification>> {
    const rows = await this.database.db
      .select(notificationColumns)
      .from(n)
      .where(
        and(
          visibleNotification,
          query.user_id ? eq(n.userId, query.user_id) : undefined,
          query.type ? eq(n.type, query.type) : undefined,
          query.broadcast_id ? eq(n.broadcastId, query.broadcast_id) : undefined,
          query.is_read === undefined ? undefined : eq(n.isRead, query.is_read),
          query.q ? matches(n, containing(query.q)) : undefined,
          query.from ? gte(n.createdAt, new Date(query.from)) : undefined,
          query.to ? lt(n.createdAt, new Date(query.to)) : undefined,
          olderThan(query.cursor, n.createdAt, n.id, 'uuid'),
        ),
      )
      .orderBy(desc(n.createdAt), desc(n.id))
      .limit(query.limit + 1);
    return page(rows, query.limit, toNotification, (row) => [row.createdAt, row.id]);
  }

  async broadcasts(query: z.infer<typeof adminBroadcastsQuerySchema>): Promise<Page<Broadcast>> {
    const rows = await this.database.db
      .select()
      .from(b)
      .where(and(query.status ? eq(b.status, query.status) : undefined, olderThan(query.cursor, b.createdAt, b.id, 'uuid')))
      .orderBy(desc(b.createdAt), desc(b.id))
      .limit(query.limit + 1);
    return page(
      rows,
      query.limit,
      (row) => ({
        id: row.id,
        created_by: row.createdBy,
        target: row.target as Record<string, unknown>,
        type: row.type,
        title: row.title,
        body: row.body,
        recipient_count: row.recipientCount,
        send_at: iso(row.sendAt),
        status: row.status,
        created_at: row.createdAt.toISOString(),
      }),
      (row) => [row.createdAt, row.id],
    );
  }

  /** Stops a scheduled broadcast before its time; its held rows are never released. */
  async cancelBroadcast(id: string): Promise<void> {
    await this.database.db.transaction(async (tx) => {
      const [row] = await tx.select({ status: b.status }).from(b).where(eq(b.id, id)).for('update');
      if (!row) throw notFound('broadcast');
      if (row.status !== 'scheduled') throw new AppError('conflict', `only a scheduled broadcast can be cancelled; this one is ${row.status}`);
      await tx
        .update(b)
        .set({ status: 'cancelled', updatedAt: dsql`now()` })
        .where(eq(b.id, id));
      await tx
        .update(n)
        .set({ deletedAt: dsql`now()` })
        .where(and(eq(n.broadcastId, id), dsql`${n.seq} is null`));
    });
  }

  /** Suppressed addresses, newest first. */
  async suppressions(query: z.infer<typeof adminSuppressionsQuerySchema>): Promise<Page<EmailSuppression>> {
    const rows = await this.database.db
      .select()
      .from(s)
      .where(and(query.reason ? eq(s.reason, query.reason) : undefined, olderThan(query.cursor, s.createdAt, s.address, 'text')))
      .orderBy(desc(s.createdAt), desc(s.address))
      .limit(query.limit + 1);
    return page(rows, query.limit, toSuppression, (row) => [row.createdAt, row.address]);
  }

  /** Blocks an address by hand; one already suppressed keeps its entry (and its reason). */
  async suppress(address: string, detail: string | undefined): Promise<{ suppression: EmailSuppression; created: boolean }> {
    const key = address.toLowerCase();
    const [created] = await this.database.db
      .insert(s)
      .values({ address: key, reason: 'manual', detail: detail ?? null })
      .onConflictDoNothing()
      .returning();
    if (created) return { suppression: toSuppression(created), created: true };
    const [existing] = await this.database.db.select().from(s).where(eq(s.address, key));
    return { suppression: toSuppression(existing!), created: false };
  }

  /** Lets email go to the address again (after a bounce was fixed, say). */
  async unsuppress(address: string): Promise<void> {
    const removed = await this.database.db.delete(s).where(eq(s.address, address.toLowerCase())).returning({ address: s.address });
    if (removed.length === 0) throw notFound('suppression');
  }

  async emailLogs(query: z.infer<typeof adminEmailLogsQuerySchema>): Promise<Page<EmailLog>> {
    const rows = await this.database.db
      .select()
      .from(e)
      .where(
        and(
          query.user_id ? eq(e.userId, query.user_id) : undefined,
          query.status ? eq(e.status, query.status) : undefined,
          olderThan(query.cursor, e.queuedAt, e.id, 'uuid'),
        ),
      )
      .orderBy(desc(e.queuedAt), desc(e.id))
      .limit(query.limit + 1);
    return page(rows, query.limit, toEmailLog, (row) => [row.queuedAt, row.id]);
  }

  async emailLog(id: string): Promise<EmailLog> {
    const [row] = await this.database.db.select().from(e).where(eq(e.id, id));
    if (!row) throw notFound('email log');
    return toEmailLog(row);
  }
}
