import { useInfiniteQuery, useQuery, type InfiniteData } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import type { NotificationQuery } from './filters.ts';
import { pageSize, type AdminNotification, type PageOf } from './model.ts';

/** Every list of admin notifications is cached under this first key part. */
export const notificationListKey = 'admin-notifications';

/** `GET /v1/admin/notifications` by keyset pages. */
export function useNotificationPages(query: NotificationQuery) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: [notificationListKey, query],
    queryFn: ({ pageParam }) => api.get<PageOf<AdminNotification>>('/v1/admin/notifications', { ...query, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useNotification(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: ['admin-notification', id],
    queryFn: () => api.get<AdminNotification>(`/v1/admin/notifications/${encodeURIComponent(id)}`),
  });
}

export function allItems<T>(data: InfiniteData<PageOf<T>>): T[] {
  return data.pages.flatMap((page) => page.items);
}

/** The cached pages without one notification (after it is deleted). */
export function withoutNotification(data: InfiniteData<PageOf<AdminNotification>> | undefined, id: string) {
  if (!data) return data;
  return { ...data, pages: data.pages.map((page) => ({ ...page, items: page.items.filter((item) => item.id !== id) })) };
}
