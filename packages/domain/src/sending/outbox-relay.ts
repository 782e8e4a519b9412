import { and, asc, isNull, lt, sql as dsql } from 'drizzle-orm';
import { schema, type Database } from '@tidings/db';
import type { BusEvent } from '@tidings/protocol';
import { notificationColumns, wireFromRow } from '../inbox/rows.ts';
import { visibleNotification } from '../inbox/visible.ts';
import type { EventPublisher } from './event-publisher.ts';

const n = schema.notifications;

/**
 * The outbox relay: republishes visible notifications whose `published_at` is still empty after a
 * grace period (the API died between commit and publish, or Redis was down). Each goes to its
 * user's channel; clients drop what they already have by seq. Answers how many it republished.
 */
export async function relayUnpublished(database: Database, publisher: EventPublisher, graceMs: number, limit = 1_000): Promise<number> {
  const rows = await database.db
    .select(notificationColumns)
    .from(n)
    .where(and(isNull(n.publishedAt), visibleNotification, lt(n.createdAt, dsql`now() - make_interval(secs => ${graceMs / 1000})`)))
    .orderBy(asc(n.createdAt))
    .limit(limit);
  if (rows.length === 0) return 0;
  const events: BusEvent[] = rows.map((row) => ({ kind: 'notification', user_id: row.userId, notification: wireFromRow(row) }));
  const published = await publisher.publishNotifications(events, { ids: rows.map((row) => row.id) });
  if (!published) return 0;
  await publisher.flush();
  return rows.length;
}
