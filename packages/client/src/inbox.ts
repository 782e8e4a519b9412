import type { z } from 'zod';
import {
  bulkDeleteResultSchema,
  bulkReadResultSchema,
  notificationPageSchema,
  notificationSchema,
  preferencesSchema,
  readAllResultSchema,
  unreadCountSchema,
  userNotificationTypeListSchema,
  type BulkDelete,
  type Notification,
  type Preferences,
  type PreferencesUpdate,
  type UserNotificationType,
} from '@tidings/protocol';
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

const byId = (id: string, suffix = '') => `/v1/notifications/${encodeURIComponent(id)}${suffix}`;

export function createInboxApi(rest: RestClient): InboxApi {
  return {
    list: (options = {}) => rest.json('GET', '/v1/notifications', notificationPageSchema, { query: { ...options } }),
    get: (id) => rest.json('GET', byId(id), notificationSchema),
    unreadCount: async () => (await rest.json('GET', '/v1/notifications/unread-count', unreadCountSchema)).count,
    markRead: (id) => rest.empty('POST', byId(id, '/read')),
    markUnread: (id) => rest.empty('POST', byId(id, '/unread')),
    markAllRead: async (type) => (await rest.json('POST', '/v1/notifications/read-all', readAllResultSchema, { body: type === undefined ? {} : { type } })).updated,
    markManyRead: async (ids) => (await rest.json('POST', '/v1/notifications/read', bulkReadResultSchema, { body: { ids } })).updated,
    delete: (id) => rest.empty('DELETE', byId(id)),
    deleteMany: async (selection) => (await rest.json('POST', '/v1/notifications/delete', bulkDeleteResultSchema, { body: selection })).deleted,
    types: async () => (await rest.json('GET', '/v1/notification-types', userNotificationTypeListSchema)).items,
  };
}

export function createPreferencesApi(rest: RestClient): PreferencesApi {
  return {
    get: () => rest.json('GET', '/v1/preferences', preferencesSchema),
    update: (change) => rest.json('PUT', '/v1/preferences', preferencesSchema, { body: change }),
  };
}
