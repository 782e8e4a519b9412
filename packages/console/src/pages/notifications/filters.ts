/**
 * The notification list's filters, kept in the URL query (so a link or a reload keeps them) and
 * turned into the admin API's query. Dates are `datetime-local` values in the browser's time zone.
 */

export type ReadState = 'all' | 'unread' | 'read';

export interface NotificationFilters {
  user_id: string;
  type: string;
  q: string;
  read: ReadState;
  from: string;
  to: string;
  broadcast_id: string;
}

export const emptyFilters: NotificationFilters = { user_id: '', type: '', q: '', read: 'all', from: '', to: '', broadcast_id: '' };

const textKeys = ['user_id', 'type', 'q', 'from', 'to', 'broadcast_id'] as const;

function readState(value: string | null): ReadState {
  return value === 'unread' || value === 'read' ? value : 'all';
}

export function filtersFromSearch(params: URLSearchParams): NotificationFilters {
  const filters: NotificationFilters = { ...emptyFilters, read: readState(params.get('read')) };
  for (const key of textKeys) filters[key] = params.get(key)?.trim() ?? '';
  return filters;
}

/** The URL query for these filters, empty ones left out (`read=all` too). */
export function filtersToSearch(filters: NotificationFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of textKeys) {
    const value = filters[key].trim();
    if (value !== '') params.set(key, value);
  }
  if (filters.read !== 'all') params.set('read', filters.read);
  return params;
}

/** A `datetime-local` value (`2025-03-01T09:30`, local time) as an ISO instant; undefined when blank or not a date. */
export function localToIso(local: string): string | undefined {
  if (local.trim() === '') return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** True when both ends are set and the range ends before it starts. */
export function rangeIsBackwards(filters: Pick<NotificationFilters, 'from' | 'to'>): boolean {
  const from = localToIso(filters.from);
  const to = localToIso(filters.to);
  return from !== undefined && to !== undefined && from > to;
}

export type NotificationQuery = Record<string, string | boolean | undefined>;

/** The query of `GET /v1/admin/notifications` (without limit and cursor). */
export function filtersToQuery(filters: NotificationFilters): NotificationQuery {
  return {
    user_id: filters.user_id || undefined,
    type: filters.type || undefined,
    q: filters.q || undefined,
    broadcast_id: filters.broadcast_id || undefined,
    is_read: filters.read === 'all' ? undefined : filters.read === 'read',
    from: localToIso(filters.from),
    to: localToIso(filters.to),
  };
}

export function hasFilters(filters: NotificationFilters): boolean {
  return filtersToSearch(filters).size > 0;
}
