import type { Notification, WireNotification } from '@tidings/protocol';
import type { schema } from '@tidings/db';

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
