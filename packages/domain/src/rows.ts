import type { Notification, WireNotification } from '@tidings/protocol';
import type { schema, Sql } from '@tidings/db';

type NotificationRow = typeof schema.notifications.$inferSelect;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    user_id: row.userId,
    seq: row.seq ?? 0,
    type: row.type,
    title: row.title,
    body: row.body,
    data: row.data,
    icon: row.icon,
    action_url: row.actionUrl,
    priority: row.priority,
    is_read: row.isRead,
    read_at: iso(row.readAt),
    created_at: row.createdAt.toISOString(),
  };
}

export function toWire(notification: Notification): WireNotification {
  const { user_id: _user, read_at: _readAt, ...wire } = notification;
  return wire;
}

export { iso };

/** A notification row as raw queries select it with `wireColumns`. */
export interface WireRow {
  id: string;
  seq: string;
  type: string;
  title: string;
  body: string;
  /** jsonb as text: drizzle replaces postgres.js's json parser on the shared client. */
  data: string;
  icon: string | null;
  action_url: string | null;
  priority: WireNotification['priority'];
  is_read: boolean;
  created_at: string;
}

/** The columns of `WireRow`, with `created_at` already in the ISO form clients get. */
export const wireColumns = (sql: Sql) => sql`
  id, seq, type, title, body, data::text as data, icon, action_url, priority, is_read,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at`;

export function wireFromRow(row: WireRow): WireNotification {
  return {
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
  };
}
