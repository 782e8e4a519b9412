import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { Field, LoadMore, QueryState, ScrollTable, StatusBadge, Time } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { uiStrings } from '../../ui/strings.ts';
import { pageSize, type PageOf } from '../notifications/model.ts';
import { allItems } from '../notifications/queries.ts';
import { emailStatuses, isEmailStatus, shortError, type EmailLog, type EmailStatus } from './model.ts';
import { strings } from './strings.ts';

interface LogFilters {
  status: EmailStatus | '';
  user_id: string;
}

function LogFilterBar({ initial, onApply }: { initial: LogFilters; onApply: (filters: LogFilters) => void }) {
  const t = useStrings(strings);
  // The status words the badges use (an <option> holds text only).
  const statusLabel = useStrings(uiStrings);
  const [draft, setDraft] = useState(initial);
  function submit(event: FormEvent) {
    event.preventDefault();
    onApply({ ...draft, user_id: draft.user_id.trim() });
  }
  return (
    <form className="toolbar" role="search" aria-label={t('logs.filters')} onSubmit={submit}>
      <Field label={t('logs.status')}>
        {(props) => (
          <select {...props} value={draft.status} onChange={(e) => setDraft({ ...draft, status: isEmailStatus(e.target.value) ? e.target.value : '' })}>
            <option value="">{t('logs.status.all')}</option>
            {emailStatuses.map((status) => (
              <option key={status} value={status}>
                {statusLabel(`status.${status}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('logs.userId')}>
        {(props) => <input {...props} value={draft.user_id} onChange={(e) => setDraft({ ...draft, user_id: e.target.value })} autoComplete="off" />}
      </Field>
      <div className="toolbar-actions">
        <button type="submit" className="btn btn-primary">
          {t('apply')}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setDraft({ status: '', user_id: '' });
            onApply({ status: '', user_id: '' });
          }}
        >
          {t('clear')}
        </button>
      </div>
    </form>
  );
}

/** The "Delivery logs" tab: filters by status and user id (in the URL), the logs, "Load more". */
export function DeliveryLogs() {
  const t = useStrings(strings);
  const api = useApi();
  const [searchParams, setSearchParams] = useSearchParams();
  const rawStatus = searchParams.get('status');
  const filters: LogFilters = { status: isEmailStatus(rawStatus) ? rawStatus : '', user_id: searchParams.get('user_id')?.trim() ?? '' };
  const query = useInfiniteQuery({
    queryKey: ['admin-email-logs', filters.status, filters.user_id],
    queryFn: ({ pageParam }) =>
      api.get<PageOf<EmailLog>>('/v1/admin/email-logs', { status: filters.status, user_id: filters.user_id, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const filtered = filters.status !== '' || filters.user_id !== '';

  function apply(next: LogFilters) {
    const params = new URLSearchParams();
    if (next.status !== '') params.set('status', next.status);
    if (next.user_id !== '') params.set('user_id', next.user_id);
    setSearchParams(params);
  }

  return (
    <div className="stack">
      <LogFilterBar key={`${filters.status}|${filters.user_id}`} initial={filters} onApply={apply} />
      <QueryState query={query} empty={<p>{filtered ? t('logs.empty') : t('logs.emptyNone')}</p>}>
        {(data) => (
          <ScrollTable
            caption={t('logs.caption')}
            head={
              <>
                <th scope="col">{t('logs.to')}</th>
                <th scope="col">{t('logs.subject')}</th>
                <th scope="col">{t('logs.statusCol')}</th>
                <th scope="col" className="num">
                  {t('logs.attempts')}
                </th>
                <th scope="col">{t('logs.queued')}</th>
                <th scope="col">{t('logs.sent')}</th>
                <th scope="col">{t('logs.error')}</th>
              </>
            }
          >
            {allItems(data).map((log) => (
              <tr key={log.id}>
                <td className="nowrap">{log.to}</td>
                <td>
                  <Link href={`/logs/${log.id}`}>{log.subject === '' ? t('logs.noSubject') : log.subject}</Link>
                </td>
                <td>
                  <StatusBadge status={log.status} />
                </td>
                <td className="num">{log.attempts}</td>
                <td>
                  <Time iso={log.queued_at} />
                </td>
                <td>
                  <Time iso={log.sent_at} />
                </td>
                <td className="clip" title={log.error ?? undefined}>
                  {log.error === null ? t('none') : shortError(log.error)}
                </td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </QueryState>
      <LoadMore query={query} />
    </div>
  );
}
