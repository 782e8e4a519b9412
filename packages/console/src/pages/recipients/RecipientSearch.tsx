import { useState, type FormEvent } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { useApi } from '../../api/session.tsx';
import { Field, LoadMore, Page, QueryState, ScrollTable } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { pageSize, type PageOf } from '../notifications/model.ts';
import { allItems } from '../notifications/queries.ts';
import type { Recipient } from './model.ts';
import { strings } from './strings.ts';

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const t = useStrings(strings);
  const [q, setQ] = useState(initial);
  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(q.trim());
  }
  return (
    <form className="toolbar filters" role="search" aria-label={t('search.label')} onSubmit={submit}>
      <Field label={t('search.field')} hint={t('search.hint')}>
        {(props) => <input {...props} type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />}
      </Field>
      <div className="toolbar-actions">
        <button type="submit" className="btn btn-primary">
          {t('search.submit')}
        </button>
      </div>
    </form>
  );
}

/** `/recipients`: a search box (the URL's `?q=`) and the recipients it finds. */
export function RecipientSearch() {
  const t = useStrings(strings);
  const api = useApi();
  const [searchParams, setSearchParams] = useSearchParams();
  const q = searchParams.get('q')?.trim() ?? '';
  const query = useInfiniteQuery({
    queryKey: ['admin-recipients', q],
    queryFn: ({ pageParam }) => api.get<PageOf<Recipient>>('/v1/admin/recipients', { q, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return (
    <Page title={t('title')}>
      <SearchForm key={q} initial={q} onSearch={(next) => setSearchParams(next === '' ? {} : { q: next })} />
      <QueryState query={query} empty={<p>{q === '' ? t('empty.none') : t('empty', { q })}</p>}>
        {(data) => (
          <ScrollTable
            caption={t('table.caption')}
            head={
              <>
                <th scope="col">{t('table.id')}</th>
                <th scope="col">{t('table.name')}</th>
                <th scope="col">{t('table.email')}</th>
                <th scope="col">{t('table.roles')}</th>
              </>
            }
          >
            {allItems(data).map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/${encodeURIComponent(r.id)}`} className="mono">
                    {r.id}
                  </Link>
                </td>
                <td>{r.name ?? t('none')}</td>
                <td className="nowrap">{r.email ?? t('none')}</td>
                <td>{r.roles.length === 0 ? t('none') : r.roles.join(', ')}</td>
              </tr>
            ))}
          </ScrollTable>
        )}
      </QueryState>
      <LoadMore query={query} />
    </Page>
  );
}
