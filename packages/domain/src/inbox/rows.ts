import type { Notification, WireNotification } from '@tidings/protocol';
import { schema } from '@tidings/db';

const n = schema.notifications;

/** The columns a notification is answered from: what every read of notifications selects. */
export const notificationColumns = {
  id: n.id,
  userId: n.userId,
  seq: n.seq,
  type: n.type,
  title: n.title,
  body: n.body,
  data: n.data,
  icon: n.icon,
  actionUrl: n.actionUrl,
  priority: n.priority,
  isRead: n.isRead,
  readAt: n.readAt,
  createdAt: n.createdAt,
};

/** A notification row as `notificationColumns` selects it (a whole row will do). */
export type NotificationRow = Pick<typeof n.$inferSelect, keyof typeof notificationColumns>;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

/** The one mapping of a row to what clients get: this for REST, `toWire` of it for the bus and sockets. */
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

/** A row as it travels on the bus and to sockets. */
export const wireFromRow = (row: NotificationRow): WireNotification => toWire(toNotification(row));

export { iso };
