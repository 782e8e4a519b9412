import type { UseInfiniteQueryResult } from '@tanstack/react-query';
import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

/** A "Load more" button while the keyset query has another page. */
export function LoadMore({ query }: { query: Pick<UseInfiniteQueryResult, 'hasNextPage' | 'isFetchingNextPage' | 'fetchNextPage'> }) {
  const t = useStrings(uiStrings);
  if (!query.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" className="btn" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage} aria-busy={query.isFetchingNextPage}>
        {t('loadMore')}
      </button>
      {query.isFetchingNextPage ? (
        <span role="status" className="muted">
          {t('loadingMore')}
        </span>
      ) : null}
    </div>
  );
}
