import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../api/session.tsx';
import { ConfirmDialog, QueryState, Section, useErrorMessage } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { ConnectionTable } from './ConnectionTable.tsx';
import { connectionsRefreshMs, type Connection } from './model.ts';
import { strings } from './strings.ts';

const afterDisconnectMs = 1_000;

/** A user's open connections (asked for every 5 s) and "Force disconnect". */
export function LiveConnections({ userId }: { userId: string }) {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState('');
  const queryKey = ['admin-connections', userId];
  const query = useQuery({
    queryKey,
    queryFn: () => api.get<{ items: Connection[] }>('/v1/admin/connections', { user_id: userId }),
    refetchInterval: connectionsRefreshMs,
  });
  const count = query.data?.items.length ?? 0;
  const disconnect = useMutation({
    mutationFn: () => api.post<{ connections: number }>(`/v1/admin/users/${encodeURIComponent(userId)}/disconnect`),
    onSuccess: (result) => {
      setConfirming(false);
      setOutcome(t('disconnect.done', { count: result.connections }));
      // The gateways close the connections a moment after the answer: ask now and once more shortly.
      void queryClient.invalidateQueries({ queryKey });
      setTimeout(() => void queryClient.invalidateQueries({ queryKey }), afterDisconnectMs);
    },
    onError: (error) => {
      setConfirming(false);
      setOutcome(t('disconnect.failed', { message: errorMessage(error) }));
    },
  });
  return (
    <Section
      title={t('connections')}
      actions={
        <button
          type="button"
          className="btn btn-danger"
          disabled={count === 0 || disconnect.isPending}
          onClick={() => {
            setOutcome('');
            setConfirming(true);
          }}
        >
          {t('disconnect')}
        </button>
      }
    >
      <p role="status" className="flash">
        {outcome}
      </p>
      <QueryState query={query} empty={<p>{t('connections.none')}</p>}>
        {(data) => <ConnectionTable connections={data.items} />}
      </QueryState>
      <ConfirmDialog
        open={confirming}
        title={t('disconnect.title', { id: userId })}
        confirmLabel={t('disconnect.confirm')}
        danger
        busy={disconnect.isPending}
        onConfirm={() => disconnect.mutate()}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('disconnect.body', { count, id: userId })}</p>
      </ConfirmDialog>
    </Section>
  );
}
