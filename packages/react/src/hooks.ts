import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ConnectionState, PreferencesUpdate, Preferences, WireNotification } from '@tidings/client';
import { NotificationListStore } from './notification-list.ts';
import { preferencesStore, type UserNotificationType } from './preferences.ts';
import { useTidingsClient } from './provider.tsx';
import { unreadCountStore } from './unread-count.ts';

export interface UseNotificationsOptions {
  /** Only unread notifications; one that gets read leaves the list. */
  unreadOnly?: boolean;
  /** Only notifications of this type. */
  type?: string;
  /** Only notifications whose title or body contains this text (case-insensitive). */
  q?: string;
  /** Notifications per page, 1 to 100. @defaultValue the API's (20) */
  pageSize?: number;
}

export interface NotificationsResult {
  /** Newest first: the pages loaded so far, with live arrivals that match the filter on top. */
  items: WireNotification[];
  /** The first page has not arrived yet, or a page is loading. */
  loading: boolean;
  /** Why the last page failed to load; cleared by the next one that loads. */
  error: Error | undefined;
  /** There are older notifications to load. */
  hasMore: boolean;
  /** Loads the next page by cursor; does nothing while a page is loading or when there is none. Never rejects (see `error`). */
  loadMore(): Promise<void>;
  /** Loads the first page again, replacing the list. Never rejects (see `error`). */
  refresh(): Promise<void>;
  /** Over the WebSocket when open, otherwise REST. Rejects when the server refused it. */
  markRead(id: string): Promise<void>;
  markUnread(id: string): Promise<void>;
  /** Deletes one notification. */
  remove(id: string): Promise<void>;
  /** Marks everything read, or everything of `type` when the list has one. */
  markAllRead(): Promise<void>;
  /** Deletes every read notification. */
  clearRead(): Promise<void>;
}

/**
 * A list of the user's notifications: the first page over REST, then live. New notifications that
 * match the filter appear on top; reads, unreads, deletes and "mark all read" from any tab or
 * device apply at once. Changing an option starts a new list.
 */
export function useNotifications(options: UseNotificationsOptions = {}): NotificationsResult {
  const client = useTidingsClient();
  const unreadOnly = options.unreadOnly ?? false;
  const { type, pageSize } = options;
  const q = options.q?.trim() || undefined;
  const store = useMemo(() => new NotificationListStore(client, { unreadOnly, type, q }, pageSize), [client, unreadOnly, type, q, pageSize]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return useMemo(
    () => ({
      ...snapshot,
      loadMore: store.loadMore,
      refresh: store.refresh,
      markRead: store.markRead,
      markUnread: store.markUnread,
      remove: store.remove,
      markAllRead: store.markAllRead,
      clearRead: store.clearRead,
    }),
    [snapshot, store],
  );
}

/** The server's unread count (undefined until it is known); every `unread_count` event updates it. */
export function useUnreadCount(): number | undefined {
  const store = unreadCountStore(useTidingsClient());
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

export interface PreferencesResult {
  /** The full document; undefined until loaded. */
  preferences: Preferences | undefined;
  /** Every type the user may set preferences for (critical ones cannot be turned off). */
  types: UserNotificationType[];
  /** Nothing has loaded yet, or a load is in flight. */
  loading: boolean;
  error: Error | undefined;
  /** Saves any part of the document (`types` merge per type; `null` drops a type's override); answers the full document. Rejects on failure. */
  update(change: PreferencesUpdate): Promise<Preferences>;
}

/** The user's preferences and the notification types, shared by every component that reads them. */
export function usePreferences(): PreferencesResult {
  const store = preferencesStore(useTidingsClient());
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  return useMemo(() => ({ ...snapshot, update: store.update }), [snapshot, store]);
}

/** The client's connection state: `connecting`, `open`, `reconnecting` or `closed`. */
export function useConnectionState(): ConnectionState {
  const client = useTidingsClient();
  const subscribe = useCallback((listener: () => void) => client.on('state', listener), [client]);
  const state = useCallback(() => client.state, [client]);
  return useSyncExternalStore(subscribe, state, state);
}
