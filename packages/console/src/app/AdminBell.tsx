import { useCallback, useMemo } from 'react';
import { TidingsInbox, TidingsProvider } from '@tidings/react';
import { useLocale } from '../i18n/index.tsx';
import { useTheme } from './theme.tsx';

/** The gateway this page load connects to, as the API wrote it into the page (empty when served otherwise). */
function pageGatewayUrl(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="tidings-gateway-url"]')?.content ?? '';
}

/**
 * The signed-in admin's own notification center (`<tidings-inbox>`): an admin is a user too, and
 * whatever is sent to them (or to the admin role) arrives here live, as in any app's header.
 */
export default function AdminBell({ token }: { token: string }) {
  const { locale } = useLocale();
  const { resolved } = useTheme();
  const gatewayUrl = useMemo(pageGatewayUrl, []);
  const getToken = useCallback(() => Promise.resolve(token), [token]);
  if (gatewayUrl === '') return null;
  return (
    <TidingsProvider apiUrl={window.location.origin} gatewayUrl={gatewayUrl} getToken={getToken} locale={locale} theme={resolved}>
      <TidingsInbox />
    </TidingsProvider>
  );
}
