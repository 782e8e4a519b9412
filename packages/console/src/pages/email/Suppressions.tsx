import { useState } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { ConfirmDialog, Field, LoadMore, QueryState, useErrorMessage } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { pageSize, type PageOf } from '../notifications/model.ts';
import { allItems } from '../notifications/queries.ts';
import { AddSuppression, suppressionsKey } from './AddSuppression.tsx';
import { isSuppressionReason, suppressionReasons, type Suppression } from './model.ts';
import { strings } from './strings.ts';
import { SuppressionTable } from './SuppressionTable.tsx';

/** The "Suppressions" tab: the list (filtered by reason, in the URL), "Lift" per row, and "Add". */
export function Suppressions() {
  const t = useStrings(strings);
  const api = useApi();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const [searchParams, setSearchParams] = useSearchParams();
  const rawReason = searchParams.get('reason');
  const reason = isSuppressionReason(rawReason) ? rawReason : '';
  const [lifting, setLifting] = useState<string | null>(null);
  const [outcome, setOutcome] = useState('');
  const query = useInfiniteQuery({
    queryKey: [suppressionsKey, reason],
    queryFn: ({ pageParam }) => api.get<PageOf<Suppression>>('/v1/admin/email-suppressions', { reason, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const lift = useMutation({
    mutationFn: (address: string) => api.delete(`/v1/admin/email-suppressions/${encodeURIComponent(address)}`),
    onSuccess: (_, address) => {
      setOutcome(t('lift.done', { address }));
      void queryClient.invalidateQueries({ queryKey: [suppressionsKey] });
    },
    onError: (error) => setOutcome(t('lift.failed', { message: errorMessage(error) })),
    onSettled: () => setLifting(null),
  });

  function setReason(next: string) {
    setSearchParams((params) => {
      const updated = new URLSearchParams(params);
      if (next === '') updated.delete('reason');
      else updated.set('reason', next);
      return updated;
    });
  }

  return (
    <div className="stack">
      <p role="status" className="flash">
        {outcome}
      </p>
      <AddSuppression onAdded={setOutcome} />
      <div className="toolbar" role="search" aria-label={t('supp.filters')}>
        <Field label={t('supp.reason')}>
          {(props) => (
            <select {...props} value={reason} onChange={(e) => setReason(e.target.value)}>
              <option value="">{t('supp.reason.all')}</option>
              {suppressionReasons.map((r) => (
                <option key={r} value={r}>
                  {t(`reason.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <QueryState query={query} empty={<p>{t('supp.empty')}</p>}>
        {(data) => <SuppressionTable suppressions={allItems(data)} onLift={setLifting} />}
      </QueryState>
      <LoadMore query={query} />
      <ConfirmDialog
        open={lifting !== null}
        title={t('lift.title', { address: lifting ?? '' })}
        confirmLabel={t('lift.confirm')}
        danger
        busy={lift.isPending}
        onConfirm={() => {
          if (lifting !== null) lift.mutate(lifting);
        }}
        onCancel={() => setLifting(null)}
      >
        <p>{t('lift.body')}</p>
      </ConfirmDialog>
    </div>
  );
}
