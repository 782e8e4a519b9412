import type { Preferences, WireNotification } from '@tidings/client';
import type { FakeGateway } from '../../client/src/testing/fake-gateway.ts';

/** Fields of a notification a test chooses; the rest gets defaults. */
export interface NotificationSeed {
  type?: string;
  title?: string;
  body?: string;
  icon?: string | null;
  action_url?: string | null;
  priority?: WireNotification['priority'];
  is_read?: boolean;
  /** ISO time; default now. */
  created_at?: string;
  data?: Record<string, unknown>;
}

export interface NotificationTypeSeed {
  key: string;
  description: string | null;
  default_in_app: boolean;
  default_email: boolean;
  critical: boolean;
}

/**
 * One user's notifications, preferences and notification types, in memory. Every change is also
 * pushed to the fake gateway's connections as the real API does (`notification_read`,
 * `unread_count`, …), and the gateway's own store holds the same notification objects, so its
 * greeting's unread count agrees.
 */
export class FakeInbox {
  types: NotificationTypeSeed[] = [
    { key: 'comment.created', description: 'Comments', default_in_app: true, default_email: false, critical: false },
    { key: 'mention', description: 'Mentions', default_in_app: true, default_email: true, critical: false },
    { key: 'security.alert', description: 'Security alerts', default_in_app: true, default_email: true, critical: true },
  ];
  preferences: Preferences = { in_app_enabled: true, email_enabled: true, digest: 'off', types: {} };
  private readonly notifications: WireNotification[] = [];
  private readonly deleted = new Set<string>();
  private readonly readAt = new Map<string, string>();

  constructor(readonly gateway: FakeGateway) {}

  /** Stores a notification without sending it (history the element reads over REST). */
  seed(seed: NotificationSeed = {}): WireNotification {
    const notification = this.gateway.add({ live: false, type: seed.type ?? 'comment.created' });
    Object.assign(notification, {
      title: seed.title ?? notification.title,
      body: seed.body ?? '',
      icon: seed.icon ?? null,
      action_url: seed.action_url ?? null,
      priority: seed.priority ?? 'normal',
      is_read: seed.is_read ?? false,
      created_at: seed.created_at ?? notification.created_at,
      data: seed.data ?? {},
    });
    if (notification.is_read) this.readAt.set(notification.id, new Date().toISOString());
    this.notifications.push(notification);
    return notification;
  }

  /** Seeds `count` notifications, oldest first, titled `Notification 1` … unless `seed` names them. */
  seedMany(count: number, seed: (index: number) => NotificationSeed = () => ({})): WireNotification[] {
    return Array.from({ length: count }, (_, index) => this.seed({ title: `Notification ${index + 1}`, ...seed(index) }));
  }

  /** Stores a notification and sends it live, with the new unread count, as the API and gateway would. */
  publish(seed: NotificationSeed = {}): WireNotification {
    const notification = this.seed(seed);
    this.gateway.broadcast({ type: 'notification', notification }, notification.seq);
    this.pushCount();
    return notification;
  }

  /** A change made on another device: applied here and pushed to every connection. */
  changeElsewhere(change: { read?: string[]; unread?: string[]; deleted?: string[]; allRead?: true }): void {
    if (change.read) this.setRead(change.read, true);
    if (change.unread) this.setRead(change.unread, false);
    if (change.deleted) this.remove(change.deleted);
    if (change.allRead) this.readAll(undefined);
  }

  get unreadCount(): number {
    return this.live().filter((n) => !n.is_read).length;
  }

  find(id: string): WireNotification | undefined {
    return this.live().find((n) => n.id === id);
  }

  isDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  /** The notifications not deleted, in the order they were stored. */
  live(): WireNotification[] {
    return this.notifications.filter((n) => !this.deleted.has(n.id));
  }

  /** A notification as the REST API shows it. */
  rest(notification: WireNotification) {
    return { ...notification, user_id: 'alice', read_at: notification.is_read ? (this.readAt.get(notification.id) ?? notification.created_at) : null };
  }

  /** Marks `ids` read or unread; returns how many changed. */
  setRead(ids: readonly string[], read: boolean): number {
    const changed = this.live().filter((n) => ids.includes(n.id) && n.is_read !== read);
    for (const n of changed) {
      n.is_read = read;
      if (read) this.readAt.set(n.id, new Date().toISOString());
      else this.readAt.delete(n.id);
    }
    if (changed.length > 0) {
      this.gateway.broadcast({ type: read ? 'notification_read' : 'notification_unread', ids: changed.map((n) => n.id) });
      this.pushCount();
    }
    return changed.length;
  }

  /** Deletes `ids`; returns how many were there. */
  remove(ids: readonly string[]): number {
    const gone = this.live().filter((n) => ids.includes(n.id));
    for (const n of gone) {
      this.deleted.add(n.id);
      // The gateway's store has no delete: a read row no longer counts in its greeting.
      n.is_read = true;
    }
    if (gone.length > 0) {
      this.gateway.broadcast({ type: 'notification_deleted', ids: gone.map((n) => n.id) });
      this.pushCount();
    }
    return gone.length;
  }

  /** Marks every unread notification (of `type`, when given) read; returns how many changed. */
  readAll(type: string | undefined): number {
    const changed = this.live().filter((n) => !n.is_read && (type === undefined || n.type === type));
    for (const n of changed) {
      n.is_read = true;
      this.readAt.set(n.id, new Date().toISOString());
    }
    this.gateway.broadcast(type === undefined ? { type: 'all_read' } : { type: 'all_read', type_filter: type });
    this.pushCount();
    return changed.length;
  }

  private pushCount(): void {
    this.gateway.broadcast({ type: 'unread_count', count: this.unreadCount });
  }
}
