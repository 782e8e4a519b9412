import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import type { CreateNotificationBody } from '../../api/types.ts';

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** How many recipients `dryRun` would reach now (a debounced dry run); idle while there is none. */
export function useRecipientCount(dryRun: CreateNotificationBody | null) {
  const api = useApi();
  const key = dryRun === null ? null : JSON.stringify(dryRun);
  const settledKey = useDebounced(key, 400);
  return useQuery({
    queryKey: ['compose', 'dry-run', settledKey],
    queryFn: () => api.post<{ recipient_count: number }>('/v1/notifications', JSON.parse(settledKey ?? 'null')),
    enabled: settledKey !== null,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
}
