import { useState } from 'react';
import { useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import type { Broadcast, Paged } from '../../api/types.ts';

type BroadcastPages = InfiniteData<Paged<Broadcast>, string | undefined>;

/** What the last cancel came to: the key of its message, and the error of a failed one. */
export interface CancelOutcome {
  kind: 'cancelled' | 'notScheduled' | 'cancelFailed';
  title: string;
  error?: unknown;
}

/**
 * Cancelling a scheduled broadcast: the one awaiting confirmation, the request, and its outcome. A
 * cancelled broadcast shows as such in every cached list at once; a 409 means it was no longer
 * scheduled.
 */
export function useCancelBroadcast() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState<Broadcast | null>(null);
  const [outcome, setOutcome] = useState<CancelOutcome | null>(null);

  const markCancelled = (id: string) => {
    queryClient.setQueriesData<BroadcastPages>({ queryKey: ['admin', 'broadcasts'] }, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((one) => ({ ...one, items: one.items.map((item) => (item.id === id ? { ...item, status: 'cancelled' as const } : item)) })),
          }
        : data,
    );
  };

  const cancel = useMutation({
    mutationFn: (broadcast: Broadcast) => api.post<void>(`/v1/admin/broadcasts/${encodeURIComponent(broadcast.id)}/cancel`),
    onSuccess: (_nothing, broadcast) => {
      markCancelled(broadcast.id);
      setOutcome({ kind: 'cancelled', title: broadcast.title });
    },
    onError: (error, broadcast) => {
      const kind = error instanceof ApiError && error.status === 409 ? 'notScheduled' : 'cancelFailed';
      setOutcome({ kind, title: broadcast.title, error });
    },
    onSettled: () => {
      setCancelling(null);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'broadcasts'] });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'stats'] });
    },
  });

  return { cancelling, setCancelling, outcome, cancel };
}
