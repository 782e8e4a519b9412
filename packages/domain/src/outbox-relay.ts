import type { Sql } from '@tidings/db';
import type { BusEvent } from '@tidings/protocol';
import type { EventPublisher } from './event-publisher.ts';

interface Unpublished {
  id: string;
  user_id: string;
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
 * The outbox relay: republishes notifications whose `published_at` is still empty after a grace
 * period (the API died between commit and publish, or Redis was down). Each goes to its user's
 * channel; clients drop what they already have by seq. Answers how many it republished.
 */
export async function relayUnpublished(sql: Sql, publisher: EventPublisher, graceMs: number, limit = 1_000): Promise<number> {
  const rows = await sql<Unpublished[]>`
    select id, user_id, seq, type, title, body, data::text as data, icon, action_url, priority, is_read,
           to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
    from notifications
    where published_at is null and seq is not null and deleted_at is null
      and created_at < now() - make_interval(secs => ${graceMs / 1000})
    order by created_at limit ${limit}`;
  if (rows.length === 0) return 0;
  const events: BusEvent[] = rows.map((row) => ({
    kind: 'notification',
    user_id: row.user_id,
    notification: {
      id: row.id,
      seq: Number(row.seq),
      type: row.type,
      title: row.title,
      body: row.body,
      data: JSON.parse(row.data) as Record<string, unknown>,
      icon: row.icon,
      action_url: row.action_url,
      priority: row.priority,
      created_at: row.created_at,
      is_read: row.is_read,
    },
  }));
  const published = await publisher.publishNotifications(events, { ids: rows.map((row) => row.id) });
  if (!published) return 0;
  await publisher.flush();
  return rows.length;
}
