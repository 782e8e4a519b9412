import { QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Route, Router, Switch } from 'wouter';
import { createQueryClient } from '../api/query-client.ts';
import { SessionProvider, useSessionState } from '../api/session.tsx';
import { LocaleProvider, useStrings } from '../i18n/index.tsx';
import { CONSOLE_BASE, Page } from '../ui/index.ts';
import { Header } from './Header.tsx';
import { pages } from './registry.ts';
import { SignIn } from './SignIn.tsx';
import { appStrings } from './strings.ts';
import { ThemeProvider } from './theme.tsx';

function NotFound() {
  const t = useStrings(appStrings);
  return (
    <Page title={t('notFoundTitle')}>
      <p>{t('notFoundText')}</p>
      <p>
        <Link href="/">{t('notFoundLink')}</Link>
      </p>
    </Page>
  );
}

/** Every registered page at its path ('/' exactly, the others with their sub-paths). */
function Pages() {
  return (
    <Switch>
      {pages.map((page) =>
        page.path === '/' ? (
          <Route key={page.name} path="/" component={page.Component} />
        ) : (
          <Route key={page.name} path={page.path} nest>
            <page.Component />
          </Route>
        ),
      )}
      <Route component={NotFound} />
    </Switch>
  );
}

function Shell() {
  const t = useStrings(appStrings);
  const { current } = useSessionState();
  return (
    <>
      <a href="#main" className="skip-link">
        {t('skipToMain')}
      </a>
      <Header />
      <main id="main" className="app-main" tabIndex={-1}>
        {current ? <Pages key={current.token} /> : <SignIn />}
      </main>
    </>
  );
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <LocaleProvider>
        <ThemeProvider>
          <SessionProvider>
            <Router base={CONSOLE_BASE}>
              <Shell />
            </Router>
          </SessionProvider>
        </ThemeProvider>
      </LocaleProvider>
    </QueryClientProvider>
  );
}
