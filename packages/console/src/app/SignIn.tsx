import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSessionState } from '../api/session.tsx';
import { useStrings } from '../i18n/index.tsx';
import { Field, Page, Section, useErrorMessage } from '../ui/index.ts';
import { checkAdminToken, devTokensAvailable, issueDevToken, TokenRefused } from './sign-in-check.ts';
import { appStrings } from './strings.ts';

const DEV_ROUTE_KEY = ['dev-token-route'] as const;

/** The signed-out screen: paste an admin token, or in development get one for a user id. */
export function SignIn() {
  const t = useStrings(appStrings);
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const { signIn, reason } = useSessionState();
  const [token, setToken] = useState('');
  const [stayInTab, setStayInTab] = useState(false);
  const [devUser, setDevUser] = useState('admin');
  const [inputProblem, setInputProblem] = useState<'tokenRequired' | 'devUserRequired' | null>(null);

  const devRoute = useQuery({ queryKey: DEV_ROUTE_KEY, queryFn: devTokensAvailable, staleTime: Number.POSITIVE_INFINITY, retry: false });

  const check = useMutation({
    mutationFn: async (source: { token: string } | { devUser: string }) => {
      let candidate: string;
      if ('token' in source) candidate = source.token;
      else {
        const issued = await issueDevToken(source.devUser);
        if (issued === null) {
          queryClient.setQueryData(DEV_ROUTE_KEY, false);
          return null;
        }
        candidate = issued;
      }
      await checkAdminToken(candidate);
      return candidate;
    },
    onSuccess: (accepted) => {
      if (accepted !== null) signIn(accepted, stayInTab);
    },
  });

  useEffect(() => setInputProblem(null), [token, devUser]);

  const onPaste = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === '') return setInputProblem('tokenRequired');
    check.mutate({ token: trimmed });
  };

  const onDev = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = devUser.trim();
    if (trimmed === '') return setInputProblem('devUserRequired');
    check.mutate({ devUser: trimmed });
  };

  const problem = check.error instanceof TokenRefused ? check.error.problem : check.error ? { kind: 'other' as const, error: check.error } : null;
  let problemText: string | null = null;
  if (problem?.kind === 'not-admin') {
    problemText = t('notAdmin', { sub: problem.sub || t('unknownSub'), roles: problem.roles.length ? problem.roles.join(', ') : t('noRoles') });
  } else if (problem?.kind === 'invalid') problemText = t('invalidToken');
  else if (problem?.kind === 'other') problemText = errorMessage(problem.error);

  return (
    <div className="sign-in">
      <Page title={t('signInTitle')}>
        {reason ? (
          <p role="status" className={reason === 'expired' ? 'notice notice-error' : 'notice notice-info'}>
            {reason === 'expired' ? t('expired') : t('signedOut')}
          </p>
        ) : null}
        <div role="alert" className={problemText ? 'notice notice-error' : undefined}>
          {problemText}
        </div>
        <form className="card stack" onSubmit={onPaste} noValidate>
          <p>{t('signInIntro')}</p>
          <Field label={t('tokenLabel')} hint={t('tokenHint')} error={inputProblem === 'tokenRequired' ? t('tokenRequired') : undefined}>
            {(props) => (
              <textarea
                {...props}
                className="mono"
                rows={4}
                value={token}
                onChange={(event) => setToken(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          <div className="stack-tight">
            <label className="choice">
              <input type="checkbox" checked={stayInTab} onChange={(event) => setStayInTab(event.target.checked)} aria-describedby="stay-hint" />
              {t('stayInTab')}
            </label>
            <p id="stay-hint" className="muted field-hint">
              {t('stayInTabHint')}
            </p>
          </div>
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={check.isPending}>
              {t('signIn')}
            </button>
            <span role="status" className="muted">
              {check.isPending ? t('checking') : ''}
            </span>
          </div>
        </form>
        {devRoute.data === true ? (
          <Section title={t('devTitle')} className="card">
            <form className="stack" onSubmit={onDev} noValidate>
              <p>{t('devIntro')}</p>
              <Field label={t('devUserLabel')} error={inputProblem === 'devUserRequired' ? t('devUserRequired') : undefined}>
                {(props) => <input {...props} value={devUser} onChange={(event) => setDevUser(event.target.value)} autoComplete="off" />}
              </Field>
              <div>
                <button type="submit" className="btn" disabled={check.isPending}>
                  {t('devSignIn')}
                </button>
              </div>
            </form>
          </Section>
        ) : devRoute.data === false ? (
          <p className="muted">
            {t('productionHint')} <code className="mono">{t('productionCommand')}</code> {t('productionHintEnd')}
          </p>
        ) : null}
      </Page>
    </div>
  );
}
