import type { ReactNode } from 'react';
import type { UseInfiniteQueryResult, UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api/client.ts';
import { useStrings } from '../i18n/index.tsx';
import { uiStrings } from './strings.ts';

function hasNoItems(data: unknown): boolean {
  if (Array.isArray(data)) return data.length === 0;
  if (typeof data !== 'object' || data === null) return false;
  const record = data as { items?: unknown; pages?: unknown };
  if (Array.isArray(record.items)) return record.items.length === 0;
  if (Array.isArray(record.pages)) return record.pages.every((page) => hasNoItems(page));
  return false;
}

interface QueryStateProps<T> {
  query: Pick<UseQueryResult<T> | UseInfiniteQueryResult<T>, 'data' | 'error' | 'isPending' | 'isError' | 'refetch' | 'isRefetching'>;
  /** Shown instead of `children` when the data has no items (an empty array, `items` or every page's `items`). */
  empty?: ReactNode;
  /** Decides emptiness when the default guess does not fit. */
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

/** Loading (role=status), error (role=alert with the message and Retry), empty, or the data. */
export function QueryState<T>({ query, empty, isEmpty, children }: QueryStateProps<T>) {
  const t = useStrings(uiStrings);
  if (query.isPending) {
    return (
      <p role="status" className="muted query-loading">
        {t('loading')}
      </p>
    );
  }
  if (query.isError || query.data === undefined) {
    return <ErrorNotice error={query.error} onRetry={() => void query.refetch()} retrying={query.isRefetching} />;
  }
  const data = query.data;
  if (empty !== undefined && (isEmpty ? isEmpty(data) : hasNoItems(data))) {
    return <div className="empty muted">{empty}</div>;
  }
  return <>{children(data)}</>;
}

/** The message an error shows a person. */
export function useErrorMessage(): (error: unknown) => string {
  const t = useStrings(uiStrings);
  return (error) => {
    if (error instanceof ApiError && error.status === 0) return t('networkError');
    if (error instanceof Error && error.message) return error.message;
    return t('errorTitle');
  };
}

export function ErrorNotice({ error, onRetry, retrying }: { error: unknown; onRetry?: () => void; retrying?: boolean }) {
  const t = useStrings(uiStrings);
  const message = useErrorMessage();
  return (
    <div role="alert" className="notice notice-error">
      <p>{message(error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry} disabled={retrying}>
          {t('retry')}
        </button>
      ) : null}
    </div>
  );
}
