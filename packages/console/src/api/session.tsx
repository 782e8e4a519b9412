import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { createApiClient, type ApiClient } from './client.ts';
import { readTokenClaims } from './token.ts';

/**
 * The signed-in admin. The token lives in memory; with "stay signed in in this tab" it is also kept
 * in sessionStorage (never localStorage, a URL or a log), so a reload of the tab keeps the session.
 */

const TOKEN_STORAGE_KEY = 'tidings-console.token';

/** Why the admin was signed out, for the sign-in screen to say. */
export type SignOutReason = 'expired' | 'signed-out';

interface SignedIn {
  token: string;
  sub: string;
  roles: string[];
}

interface SessionContextValue {
  current: SignedIn | null;
  api: ApiClient | null;
  reason: SignOutReason | null;
  signIn: (token: string, stayInTab: boolean) => void;
  signOut: (reason?: SignOutReason) => void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function fromToken(token: string): SignedIn {
  const claims = readTokenClaims(token);
  return { token, sub: claims?.sub ?? '', roles: claims?.roles ?? [] };
}

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeToken(token: string | null): void {
  try {
    if (token === null) sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    else sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Without storage the token stays in memory only.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState<SignedIn | null>(() => {
    const token = storedToken();
    return token ? fromToken(token) : null;
  });
  const [reason, setReason] = useState<SignOutReason | null>(null);

  const signOut = useCallback(
    (why: SignOutReason = 'signed-out') => {
      storeToken(null);
      setCurrent(null);
      setReason(why);
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback((token: string, stayInTab: boolean) => {
    storeToken(stayInTab ? token : null);
    setReason(null);
    setCurrent(fromToken(token));
  }, []);

  const api = useMemo(() => (current ? createApiClient({ token: current.token, onUnauthorized: () => signOut('expired') }) : null), [current, signOut]);

  const value = useMemo(() => ({ current, api, reason, signIn, signOut }), [current, api, reason, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** Sign-in state for the shell (the sign-in screen and the header). */
export function useSessionState(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionState needs a <SessionProvider>');
  return value;
}

/** The API client bound to the signed-in admin's token; a 401 from it signs the admin out. */
export function useApi(): ApiClient {
  const { api } = useSessionState();
  if (!api) throw new Error('useApi is for pages shown only when signed in');
  return api;
}

/** The signed-in admin. */
export function useSession(): { sub: string; roles: string[]; signOut: () => void } {
  const { current, signOut } = useSessionState();
  if (!current) throw new Error('useSession is for pages shown only when signed in');
  return useMemo(() => ({ sub: current.sub, roles: current.roles, signOut: () => signOut() }), [current, signOut]);
}
