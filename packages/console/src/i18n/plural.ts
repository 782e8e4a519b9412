/** Pure pieces of the string lookup, kept apart from React so they can be tested alone. */

export type Locale = 'en' | 'el';
export const LOCALES: readonly Locale[] = ['en', 'el'];

export type Vars = Record<string, string | number>;

const pluralRules = new Map<Locale, Intl.PluralRules>();

function rulesFor(locale: Locale): Intl.PluralRules {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules;
}

/** `{name}` placeholders filled from `vars` (numbers formatted for the locale); unknown ones stay. */
export function fill(template: string, vars: Vars | undefined, locale: Locale): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

/**
 * The text of `key`: the key itself when it exists, else, with a numeric `count`, `key.one` or
 * `key.other` as Intl.PluralRules picks (falling back to `.other`); the key when nothing matches.
 */
export function lookup(strings: Record<string, string>, key: string, vars: Vars | undefined, locale: Locale): string {
  const direct = strings[key];
  if (direct !== undefined) return fill(direct, vars, locale);
  const count = vars?.count;
  if (typeof count === 'number') {
    const form = rulesFor(locale).select(count);
    const plural = strings[`${key}.${form}`] ?? strings[`${key}.other`];
    if (plural !== undefined) return fill(plural, vars, locale);
  }
  return key;
}

/** The locale a browser language list prefers: Greek for any `el*`, else English. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split('-')[0];
    if (base === 'el') return 'el';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** "UTC+02:00" for an offset in minutes east of UTC. */
export function formatUtcOffset(minutesEast: number): string {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  const minutes = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hours}:${minutes}`;
}
