import type { z } from 'zod';
import type { BulkDelete, Notification, notificationPageSchema, Preferences, PreferencesUpdate, UserNotificationType } from '@tidings/protocol';
import { typeKey, wireNotificationFields } from './frames.ts';
import { arrayOf, boolean, integer, matching, nullable, object, oneOf, optional, recordOf, string, type Guard } from './guards.ts';
import type { RestClient } from './rest.ts';

/** A page of the inbox, newest first. */
export type NotificationPage = z.infer<typeof notificationPageSchema>;

/** Query of {@link InboxApi.list}; the names are the API's query parameters. */
export interface ListNotificationsOptions {
  /** Page size, 1 to 100. @defaultValue 20 (the API's default) */
  limit?: number;
  /** `next_cursor` of the previous page. */
  cursor?: string;
  /** Only unread notifications. */
  unread_only?: boolean;
  /** Only notifications of this type. */
  type?: string;
  /** Only notifications whose title or body contains this text (case-insensitive). */
  q?: string;
}

/** The user's inbox over REST. Every method throws a `TidingsApiError` for an error status. */
export interface InboxApi {
  /** `GET /v1/notifications`: one page, newest first; pass `next_cursor` back as `cursor` for the next. */
  list(options?: ListNotificationsOptions): Promise<NotificationPage>;
  /** `GET /v1/notifications/:id`; another user's notification is a 404. */
  get(id: string): Promise<Notification>;
  /** `GET /v1/notifications/unread-count`. */
  unreadCount(): Promise<number>;
  /** `POST /v1/notifications/:id/read`. */
  markRead(id: string): Promise<void>;
  /** `POST /v1/notifications/:id/unread`. */
  markUnread(id: string): Promise<void>;
  /** `POST /v1/notifications/read-all`, optionally for one type; answers how many changed. */
  markAllRead(type?: string): Promise<number>;
  /** `POST /v1/notifications/read {ids}` (at most 500); answers how many changed. */
  markManyRead(ids: readonly string[]): Promise<number>;
  /** `DELETE /v1/notifications/:id` (a soft delete: it also leaves every replay). */
  delete(id: string): Promise<void>;
  /** `POST /v1/notifications/delete`: these ids (at most 500), or `{ all_read: true }` for every read one; answers how many went. */
  deleteMany(selection: BulkDelete): Promise<number>;
  /** `GET /v1/notification-types`: every type the user may set preferences for. */
  types(): Promise<UserNotificationType[]>;
}

/** The user's preferences over REST. */
export interface PreferencesApi {
  /** `GET /v1/preferences`: the full document. */
  get(): Promise<Preferences>;
  /**
   * `PUT /v1/preferences` with any part of the document; answers the full document after the
   * change. In `types`, a type set to `null` drops its override.
   */
  update(change: PreferencesUpdate): Promise<Preferences>;
}

const notification: Guard<Notification> = object({
  ...wireNotificationFields,
  type: typeKey,
  user_id: matching(/^[^\u0000-\u001f\u007f]{1,255}$/, 'a user id'),
  read_at: nullable(string),
});
const notificationPage: Guard<NotificationPage> = object({ items: arrayOf(notification), next_cursor: nullable(string) });
const count = integer(0);
const unreadCount = object({ count });
const updated = object({ updated: count });
const deleted = object({ deleted: count });
const userNotificationTypes: Guard<{ items: UserNotificationType[] }> = object({
  items: arrayOf(object({ key: typeKey, description: nullable(string), default_in_app: boolean, default_email: boolean, critical: boolean })),
});
const preferences: Guard<Preferences> = object({
  in_app_enabled: boolean,
  email_enabled: boolean,
  digest: oneOf(['off', 'daily', 'weekly']),
  types: recordOf(object({ in_app: optional(boolean), email: optional(boolean) })),
});

const byId = (id: string, suffix = '') => `/v1/notifications/${encodeURIComponent(id)}${suffix}`;

export function createInboxApi(rest: RestClient): InboxApi {
  return {
    list: (options = {}) => rest.json('GET', '/v1/notifications', notificationPage, { query: { ...options } }),
    get: (id) => rest.json('GET', byId(id), notification),
    unreadCount: async () => (await rest.json('GET', '/v1/notifications/unread-count', unreadCount)).count,
    markRead: (id) => rest.empty('POST', byId(id, '/read')),
    markUnread: (id) => rest.empty('POST', byId(id, '/unread')),
    markAllRead: async (type) => (await rest.json('POST', '/v1/notifications/read-all', updated, { body: type === undefined ? {} : { type } })).updated,
    markManyRead: async (ids) => (await rest.json('POST', '/v1/notifications/read', updated, { body: { ids } })).updated,
    delete: (id) => rest.empty('DELETE', byId(id)),
    deleteMany: async (selection) => (await rest.json('POST', '/v1/notifications/delete', deleted, { body: selection })).deleted,
    types: async () => (await rest.json('GET', '/v1/notification-types', userNotificationTypes)).items,
  };
}

export function createPreferencesApi(rest: RestClient): PreferencesApi {
  return {
    get: () => rest.json('GET', '/v1/preferences', preferences),
    update: (change) => rest.json('PUT', '/v1/preferences', preferences, { body: change }),
  };
}
