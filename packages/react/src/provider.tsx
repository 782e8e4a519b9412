import { createContext, useContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { TidingsClient, type TokenProvider } from '@tidings/client';
import type { InboxTheme } from '@tidings/inbox';

/** `theme` of `<tidings-inbox>`: `light`, `dark` or `auto`. */
export type TidingsTheme = InboxTheme;

interface TidingsContextValue {
  client: TidingsClient;
  locale: string | undefined;
  theme: TidingsTheme | undefined;
}

const TidingsContext = createContext<TidingsContextValue | null>(null);

interface SharedProps {
  /** Default `locale` of every `<TidingsInbox>` inside (bundled: `en`, `el`). */
  locale?: string;
  /** Default `theme` of every `<TidingsInbox>` inside. */
  theme?: TidingsTheme;
  children?: ReactNode;
}

/** The provider creates the client from these (and connects it on mount, closes it on unmount). */
interface OwnClientProps extends SharedProps {
  /** API base URL for REST calls. */
  apiUrl: string;
  /** Gateway base URL. */
  gatewayUrl: string;
  /** Supplies the user's JWT; called on every (re)connect and before the token expires. Its identity may change between renders. */
  getToken: TokenProvider;
  client?: undefined;
}

/** The app's own client: the provider shares it and leaves connecting and closing to the app. */
interface SharedClientProps extends SharedProps {
  client: TidingsClient;
  apiUrl?: string;
  gatewayUrl?: string;
  getToken?: TokenProvider;
}

export type TidingsProviderProps = OwnClientProps | SharedClientProps;

/** Closes scheduled by a provider's cleanup; a mount that follows at once (StrictMode, a remount) cancels its own. */
const pendingClose = new WeakMap<TidingsClient, ReturnType<typeof setTimeout>>();

/** Connects `client` (a no-op when it already is) and answers the cleanup that closes it, one task later. */
function retain(client: TidingsClient): () => void {
  clearTimeout(pendingClose.get(client));
  pendingClose.delete(client);
  client.connect();
  return () => {
    const timer = setTimeout(() => {
      pendingClose.delete(client);
      client.close().catch(() => undefined);
    }, 0);
    pendingClose.set(client, timer);
  };
}

/**
 * Gives the components inside one `TidingsClient`: created from `apiUrl`, `gatewayUrl` and
 * `getToken` (connected on mount, closed on unmount; a new one when a URL changes), or the `client`
 * passed in. StrictMode's mount, unmount and mount again keeps the one connection.
 */
export function TidingsProvider(props: TidingsProviderProps): ReactNode {
  const { apiUrl, gatewayUrl, getToken, client: given, locale, theme, children } = props;
  const token = useRef(getToken);
  // Declared before the effect that connects, so it has run by the first token request.
  useEffect(() => {
    token.current = getToken;
  });
  // Constructing a client has no side effects (it connects only in the effect below), so the
  // second call StrictMode makes here costs nothing.
  const client = useMemo(() => given ?? new TidingsClient({ url: gatewayUrl, apiUrl, getToken: () => token.current!() }), [given, apiUrl, gatewayUrl]);
  useEffect(() => (given ? undefined : retain(client)), [client, given]);
  const value = useMemo(() => ({ client, locale, theme }), [client, locale, theme]);
  return <TidingsContext.Provider value={value}>{children}</TidingsContext.Provider>;
}

/** @internal The provider's value, for the components of this package. */
export function useTidingsContext(): TidingsContextValue {
  const value = useContext(TidingsContext);
  if (value === null) throw new Error('Tidings hooks and <TidingsInbox> must be used inside <TidingsProvider>');
  return value;
}

/** The provider's `TidingsClient`, for anything the hooks do not cover (`subscribe`, `lastSeq`, `on`, …). */
export function useTidingsClient(): TidingsClient {
  return useTidingsContext().client;
}
