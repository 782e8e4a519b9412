import { useId, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useSearch } from 'wouter';
import { useApi } from '../../api/session.tsx';
import type { Broadcast, BroadcastStatus, Paged } from '../../api/types.ts';
import { useFormat, useStrings } from '../../i18n/index.tsx';
import { ConfirmDialog, LoadMore, Page, QueryState, useErrorMessage, useStatusLabel } from '../../ui/index.ts';
import { BroadcastTable } from './BroadcastTable.tsx';
import { broadcastStrings } from './strings.ts';
import { useCancelBroadcast } from './useCancelBroadcast.ts';

export const page = { path: '/broadcasts', order: 30, nav: { en: 'Broadcasts', el: 'Εκπομπές' } };

const STATUSES: BroadcastStatus[] = ['scheduled', 'sending', 'sent', 'cancelled'];
const PAGE_SIZE = 25;

export default function BroadcastsPage() {
  const t = useStrings(broadcastStrings);
  const format = useFormat();
  const errorMessage = useErrorMessage();
  const statusLabel = useStatusLabel();
  const api = useApi();
  const search = useSearch();
  const highlight = new URLSearchParams(search).get('highlight');
  const statusId = useId();
  const [status, setStatus] = useState<BroadcastStatus | ''>('');
  const { cancelling, setCancelling, outcome, cancel } = useCancelBroadcast();

  const broadcasts = useInfiniteQuery({
    queryKey: ['admin', 'broadcasts', status],
    queryFn: ({ pageParam }) => api.get<Paged<Broadcast>>('/v1/admin/broadcasts', { limit: PAGE_SIZE, cursor: pageParam, status }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
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
        {(data) => <BroadcastTable broadcasts={data.pages.flatMap((one) => one.items)} highlight={highlight} onCancel={setCancelling} />}
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
