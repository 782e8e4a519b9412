import { lazy, Suspense, useEffect, useId, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSessionState } from '../api/session.tsx';
import { LOCALES, useLocale, useStrings, type Locale } from '../i18n/index.tsx';
import { isWithin, pages } from './registry.ts';
import { appStrings } from './strings.ts';
import { useTheme, type ThemeChoice } from './theme.tsx';

/** The admin's own bell: its element and SDK load after sign-in, in a chunk of their own. */
const AdminBell = lazy(() => import('./AdminBell.tsx'));

const LOCALE_NAMES: Record<Locale, string> = { en: 'English', el: 'Ελληνικά' };
const THEMES: ThemeChoice[] = ['auto', 'light', 'dark'];

function LocaleSwitch() {
  const t = useStrings(appStrings);
  const { locale, setLocale } = useLocale();
  const id = useId();
  return (
    <span className="row">
      <label htmlFor={id} className="sr-only">
        {t('language')}
      </label>
      <select id={id} value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </span>
  );
}

function ThemeSwitch() {
  const t = useStrings(appStrings);
  const { choice, setChoice } = useTheme();
  const id = useId();
  return (
    <span className="row">
      <label htmlFor={id} className="sr-only">
        {t('theme')}
      </label>
      <select id={id} value={choice} onChange={(event) => setChoice(event.target.value as ThemeChoice)}>
        {THEMES.map((theme) => (
          <option key={theme} value={theme}>
            {t(`theme.${theme}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The header: product name, navigation (a menu button on a phone), who is signed in, locale, theme, sign out. */
export function Header() {
  const t = useStrings(appStrings);
  const { locale } = useLocale();
  const { current, signOut } = useSessionState();
  const [location] = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navId = useId();

  useEffect(() => setMenuOpen(false), [location]);

  const headerClass = ['app-header', current ? 'signed-in-header' : '', menuOpen ? 'menu-open' : ''].filter(Boolean).join(' ');
  return (
    <header className={headerClass}>
      <div className="app-header-bar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          {t('productConsole')}
        </Link>
        {current ? (
          <button
            type="button"
            className="btn btn-quiet menu-button"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            {t('menu')}
          </button>
        ) : null}
        <div className="header-tools">
          {current ? (
            <span className="signed-in muted" title={current.sub}>
              {t('signedInAs', { sub: current.sub })}
            </span>
          ) : null}
          <LocaleSwitch />
          <ThemeSwitch />
          {current ? (
            <button type="button" className="btn btn-small" onClick={() => signOut()}>
              {t('signOut')}
            </button>
          ) : null}
        </div>
        {current ? (
          <Suspense fallback={null}>
            <AdminBell key={current.token} token={current.token} />
          </Suspense>
        ) : null}
      </div>
      {current ? (
        <nav id={navId} className={menuOpen ? 'app-nav open' : 'app-nav'} aria-label={t('navLabel')}>
          <ul>
            {pages.map((page) => (
              <li key={page.name}>
                <Link href={page.path} aria-current={isWithin(page.path, location) ? 'page' : undefined}>
                  {page.nav[locale]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}
