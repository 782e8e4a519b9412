import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'wouter';
import { LoadMore, Page, QueryState } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { filtersFromSearch, filtersToQuery, filtersToSearch, hasFilters, type NotificationFilters } from './filters.ts';
import { NotificationFilterBar } from './NotificationFilters.tsx';
import { NotificationTable } from './NotificationTable.tsx';
import { allItems, useNotificationPages } from './queries.ts';
import { strings } from './strings.ts';

/** All notifications, newest first, filtered by what the URL query says. */
export function NotificationList({ flash, onSearch, onLeave }: { flash: string | null; onSearch: (search: string) => void; onLeave: () => void }) {
  const t = useStrings(strings);
  const [searchParams, setSearchParams] = useSearchParams();
  const search = searchParams.toString();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search)), [search]);
  const query = useNotificationPages(useMemo(() => filtersToQuery(filters), [filters]));

  useEffect(() => onSearch(search), [search, onSearch]);
  useEffect(() => onLeave, [onLeave]);

  function apply(next: NotificationFilters) {
    setSearchParams(filtersToSearch(next));
  }

  return (
    <Page title={t('title')}>
      <p role="status" className="flash">
        {flash}
      </p>
      <NotificationFilterBar key={search} initial={filters} onApply={apply} />
      <QueryState query={query} empty={<p>{hasFilters(filters) ? t('empty') : t('empty.none')}</p>}>
        {(data) => <NotificationTable items={allItems(data)} caption={t('table.caption')} />}
      </QueryState>
      <LoadMore query={query} />
    </Page>
  );
}
