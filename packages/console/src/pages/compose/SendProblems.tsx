import { ApiError } from '../../api/client.ts';
import { useStrings } from '../../i18n/index.tsx';
import { useErrorMessage } from '../../ui/index.ts';
import { composeStrings } from './strings.ts';

interface SendProblemsProps {
  /** The last send failed with `error`. */
  failed: boolean;
  error: Error | null;
  /** The form's objections, by field (empty until a send was tried). */
  summary: Array<[string, string | undefined]>;
}

/** Why nothing was sent: the API's problems by path, or else the form's objections. */
export function SendProblems({ failed, error, summary }: SendProblemsProps) {
  const t = useStrings(composeStrings);
  const errorMessage = useErrorMessage();
  const apiError = error instanceof ApiError ? error : null;
  return (
    <div role="alert" className={failed || summary.length > 0 ? 'notice notice-error' : undefined}>
      {failed || summary.length > 0 ? (
        <div>
          <p>
            <strong>{t('problemsTitle')}</strong> {error && !apiError?.details?.length ? errorMessage(error) : null}
          </p>
          {apiError?.details?.length ? (
            <ul>
              {apiError.details.map((detail, index) => (
                <li key={index}>
                  {detail.path ? <span className="mono">{detail.path}</span> : null} {detail.message}
                </li>
              ))}
            </ul>
          ) : summary.length > 0 && !failed ? (
            <ul>
              {summary.map(([field, message]) => (
                <li key={field}>{message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
