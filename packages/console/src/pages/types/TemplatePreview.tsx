import { useQuery, keepPreviousData } from '@tanstack/react-query';
import { ApiError } from '../../api/client.ts';
import { useApi } from '../../api/session.tsx';
import { ErrorNotice, Section } from '../../ui/index.ts';
import { useStrings } from '../../i18n/index.tsx';
import { EmailView } from '../email/EmailView.tsx';
import type { RenderedEmail } from '../email/model.ts';
import type { PreviewRequest } from './model.ts';
import { strings } from './strings.ts';
import { useDebounced } from './useDebounced.ts';

const previewDelayMs = 400;

/**
 * The messages an answer names for the template: a 422 (the preview's "does not compile") or a
 * `validation_failed` (a save's) whose details point at `template`; undefined for other errors.
 */
export function templateProblems(error: unknown): string[] | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const problems = (error.details ?? []).filter((d) => d.path === 'template' || d.path.endsWith('.template')).map((d) => d.message);
  if (problems.length > 0 && (error.status === 422 || error.code === 'validation_failed')) return problems;
  return error.status === 422 ? [error.message] : undefined;
}

/**
 * A live preview: the request (the unsaved template and sample values), once it has not changed for
 * a moment, goes to `POST …/preview`; the last good rendering stays while the next one comes.
 */
export function usePreview(key: string | undefined, request: PreviewRequest) {
  const api = useApi();
  // Compared as text, so a request built anew on every render does not restart the wait.
  const settledText = useDebounced(JSON.stringify(request), previewDelayMs);
  const settled = JSON.parse(settledText) as PreviewRequest;
  return useQuery({
    queryKey: ['type-preview', key, settledText],
    queryFn: () => api.post<RenderedEmail>(`/v1/admin/notification-types/${encodeURIComponent(key ?? '')}/preview`, settled),
    enabled: key !== undefined,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    retry: false,
  });
}

export function TemplatePreview({ preview, keyMissing }: { preview: ReturnType<typeof usePreview>; keyMissing: boolean }) {
  const t = useStrings(strings);
  const problems = templateProblems(preview.error);
  return (
    <Section title={t('preview')}>
      <p className="muted">{t('preview.hint')}</p>
      <p role="status" className="flash muted">
        {preview.isFetching ? t('preview.updating') : ''}
      </p>
      {keyMissing ? (
        <p className="muted">{t('preview.needKey')}</p>
      ) : problems ? (
        <div role="alert" className="notice notice-error">
          <p>{t('preview.invalid')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem} className="pre-wrap">
                {problem}
              </li>
            ))}
          </ul>
        </div>
      ) : preview.isError ? (
        <ErrorNotice error={preview.error} onRetry={() => void preview.refetch()} />
      ) : preview.data ? (
        <EmailView email={preview.data} />
      ) : null}
    </Section>
  );
}
