import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSessionState } from '../api/session.tsx';
import { useStrings } from '../i18n/index.tsx';
import { useErrorMessage } from '../ui/index.ts';
import { checkAdminToken, devTokensAvailable, issueDevToken, TokenRefused } from './sign-in-check.ts';
import { appStrings } from './strings.ts';

const DEV_ROUTE_KEY = ['dev-token-route'] as const;

/**
 * The sign-in screen's state: what was typed, whether this server issues development tokens, and
 * the check of a pasted or issued token, with why it was refused in words.
 */
export function useSignIn() {
  const t = useStrings(appStrings);
  const errorMessage = useErrorMessage();
  const queryClient = useQueryClient();
  const { signIn } = useSessionState();
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

  return {
    token,
    setToken,
    stayInTab,
    setStayInTab,
    devUser,
    setDevUser,
    inputProblem,
    /** Whether this server issues development tokens; undefined until it has answered. */
    devTokens: devRoute.data,
    checking: check.isPending,
    problemText,
    onPaste,
    onDev,
  };
}

export type SignInState = ReturnType<typeof useSignIn>;
