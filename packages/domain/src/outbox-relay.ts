import type { Sql } from '@tidings/db';
import type { BusEvent } from '@tidings/protocol';
import type { EventPublisher } from './event-publisher.ts';
import { wireColumns, wireFromRow, type WireRow } from './rows.ts';

/**
 * The outbox relay: republishes notifications whose `published_at` is still empty after a grace
 * period (the API died between commit and publish, or Redis was down). Each goes to its user's
 * channel; clients drop what they already have by seq. Answers how many it republished.
 */
export async function relayUnpublished(sql: Sql, publisher: EventPublisher, graceMs: number, limit = 1_000): Promise<number> {
  const rows = await sql<(WireRow & { user_id: string })[]>`
    select user_id, ${wireColumns(sql)}
    from notifications
    where published_at is null and seq is not null and deleted_at is null
      and created_at < now() - make_interval(secs => ${graceMs / 1000})
    order by created_at limit ${limit}`;
  if (rows.length === 0) return 0;
  const events: BusEvent[] = rows.map((row) => ({ kind: 'notification', user_id: row.user_id, notification: wireFromRow(row) }));
  const published = await publisher.publishNotifications(events, { ids: rows.map((row) => row.id) });
  if (!published) return 0;
  await publisher.flush();
  return rows.length;
}
