import { useId, useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useSearch } from 'wouter';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import type { Broadcast, BroadcastStatus, Paged } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { ConfirmDialog, LoadMore, Page, QueryState, TableWrap, useErrorMessage, useStatusLabel } from '../../ui/index.ts';
import { BroadcastRow } from './BroadcastRow.tsx';
import { broadcastStrings } from './strings.ts';

export const page = { path: '/broadcasts', order: 30, nav: { en: 'Broadcasts', el: 'Εκπομπές' } };

const STATUSES: BroadcastStatus[] = ['scheduled', 'sending', 'sent', 'cancelled'];
const PAGE_SIZE = 25;

type BroadcastPages = InfiniteData<Paged<Broadcast>, string | undefined>;

export default function BroadcastsPage() {
  const t = useStrings(broadcastStrings);
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const statusLabel = useStatusLabel();
  const api = useApi();
  const queryClient = useQueryClient();
  const search = useSearch();
  const highlight = new URLSearchParams(search).get('highlight');
  const statusId = useId();
  const [status, setStatus] = useState<BroadcastStatus | ''>('');
  const [cancelling, setCancelling] = useState<Broadcast | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'cancelled' | 'notScheduled' | 'cancelFailed'; title: string; error?: unknown } | null>(null);

  const broadcasts = useInfiniteQuery({
    queryKey: ['admin', 'broadcasts', status],
    queryFn: ({ pageParam }) => api.get<Paged<Broadcast>>('/v1/admin/broadcasts', { limit: PAGE_SIZE, cursor: pageParam, status }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

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

  return (
    <Page title={t('title')}>
      <div className="toolbar">
        <div className="field">
          <label htmlFor={statusId}>{t('status')}</label>
          <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as BroadcastStatus | '')}>
            <option value="">{t('allStatuses')}</option>
            {STATUSES.map((option) => (
              <option key={option} value={option}>
                {statusLabel(option)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div role="status" className={outcome ? `notice ${outcome.kind === 'cancelled' ? 'notice-success' : 'notice-error'}` : undefined}>
        {outcome ? t(outcome.kind, { title: outcome.title, message: errorMessage(outcome.error) }) : null}
      </div>
      <QueryState query={broadcasts} empty={<p>{status ? t('emptyFiltered') : t('empty')}</p>}>
        {(data) => (
          <TableWrap label={t('tableLabel')}>
            <table className="table">
              <caption className="sr-only">{t('tableLabel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('colTitle')}</th>
                  <th scope="col">{t('colStatus')}</th>
                  <th scope="col" className="num">
                    {t('colRecipients')}
                  </th>
                  <th scope="col">{t('colCreatedBy')}</th>
                  <th scope="col">{t('colSendAt')}</th>
                  <th scope="col">{t('colCreated')}</th>
                  <th scope="col">
                    <span className="sr-only">{t('colActions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.pages
                  .flatMap((one) => one.items)
                  .map((broadcast) => (
                    <BroadcastRow key={broadcast.id} broadcast={broadcast} highlighted={broadcast.id === highlight} onCancel={setCancelling} />
                  ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </QueryState>
      <LoadMore query={broadcasts} />
      <ConfirmDialog
        open={cancelling !== null}
        title={t('confirmTitle')}
        confirmLabel={t('confirmCancel')}
        danger
        busy={cancel.isPending}
        onConfirm={() => cancelling && cancel.mutate(cancelling)}
        onCancel={() => setCancelling(null)}
      >
        {cancelling ? (
          <p>{t('confirmText', { title: cancelling.title, count: cancelling.recipient_count, time: format.dateTime(cancelling.send_at) })}</p>
        ) : null}
      </ConfirmDialog>
    </Page>
  );
}
