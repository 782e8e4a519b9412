import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatUtcOffset, lookup, preferredLocale, type Locale, type Vars } from './plural.ts';

export type { Locale } from './plural.ts';
export { LOCALES } from './plural.ts';

/** Strings of one part of the console in every locale. Build with `defineStrings`. */
export interface Catalog<E> {
  readonly en: E;
  readonly el: { [K in keyof E]: string };
}

/** `foo` for a catalog that has `foo.one` / `foo.other`. */
type PluralStem<K> = K extends `${infer Stem}.other` ? Stem : never;

/** A key of the catalog, or the stem of a plural pair (used with `{ count }`). */
export type StringKey<E> = (keyof E & string) | PluralStem<keyof E & string>;

export type Translate<E> = (key: StringKey<E>, vars?: Record<string, string | number>) => string;

/** A catalog: English strings and their Greek counterparts, key for key (checked by the compiler). */
export function defineStrings<const E extends Record<string, string>>(en: E, el: { [K in keyof E]: string }): Catalog<E> {
  return { en, el };
}

const LOCALE_STORAGE_KEY = 'tidings-console.locale';

interface LocaleContextValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
}

const LocaleContext = createContext<LocaleContextValue | null>(null);

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem(LOCALE_STORAGE_KEY);
    if (saved === 'en' || saved === 'el') return saved;
  } catch {
    // Storage may be unavailable; the browser's language decides.
  }
  return preferredLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** Holds the chosen locale (remembered in localStorage) and keeps `<html lang>` in step. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(LOCALE_STORAGE_KEY, next);
    } catch {
      // Not remembered; still switched.
    }
  }, []);
  const value = useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleContextValue {
  const value = useContext(LocaleContext);
  if (!value) throw new Error('useLocale needs a <LocaleProvider>');
  return value;
}

/** `t(key, vars)` over a catalog in the current locale; see `lookup` for plurals. */
export function useStrings<E>(catalog: Catalog<E>): Translate<E> {
  const { locale } = useLocale();
  return useCallback((key: StringKey<E>, vars?: Vars) => lookup(catalog[locale] as Record<string, string>, key, vars, locale), [catalog, locale]);
}

export interface Format {
  locale: Locale;
  /** Date and time in the browser's time zone; an em dash for none. */
  dateTime(iso: string | null | undefined): string;
  number(n: number): string;
  /** "3 minutes ago", "in 2 hours". */
  relative(iso: string): string;
  /** The browser's IANA time zone, e.g. "Europe/Athens". */
  timeZone: string;
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function relativeParts(deltaSeconds: number): [number, Intl.RelativeTimeFormatUnit] {
  let value = deltaSeconds;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return [Math.round(value), unit];
    value /= size;
  }
  return [Math.round(value), 'year'];
}

export function useFormat(): Format {
  const { locale } = useLocale();
  return useMemo(() => {
    const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const numberFormat = new Intl.NumberFormat(locale);
    const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return {
      locale,
      timeZone,
      dateTime(iso) {
        if (!iso) return '—';
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
      },
      number: (n) => numberFormat.format(n),
      relative(iso) {
        const date = new Date(iso);
        if (Number.isNaN(date.getTime())) return iso;
        const [value, unit] = relativeParts((date.getTime() - Date.now()) / 1000);
        return relativeFormat.format(value, unit);
      },
    };
  }, [locale]);
}

/** "Europe/Athens, UTC+02:00" for the browser's zone at `at` (now by default). */
export function describeTimeZone(timeZone: string, at: Date = new Date()): string {
  return `${timeZone}, ${formatUtcOffset(-at.getTimezoneOffset())}`;
}
