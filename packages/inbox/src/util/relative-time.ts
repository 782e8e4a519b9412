const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const fullFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(map: Map<string, T>, locale: string, make: () => T): T {
  let value = map.get(locale);
  if (!value) map.set(locale, (value = make()));
  return value;
}

/**
 * "now", "5 minutes ago", "yesterday" for the last week, then a short date: what inboxes show.
 * A time slightly in the future (a clock ahead of the server's) reads as "now".
 */
export function relativeTime(iso: string, now: number, locale: string): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  const elapsed = Math.max(0, now - at);
  const rtf = cached(relativeFormats, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'long' }));
  if (elapsed < 45 * SECOND) return rtf.format(0, 'second');
  if (elapsed < 45 * MINUTE) return rtf.format(-Math.max(1, Math.round(elapsed / MINUTE)), 'minute');
  if (elapsed < 22 * HOUR) return rtf.format(-Math.round(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return rtf.format(-Math.max(1, Math.round(elapsed / DAY)), 'day');
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  const key = `${locale}|${sameYear}`;
  const format = cached(
    dateFormats,
    key,
    () => new Intl.DateTimeFormat(locale, sameYear ? { month: 'short', day: 'numeric' } : { year: 'numeric', month: 'short', day: 'numeric' }),
  );
  return format.format(at);
}

/** The full date and time, for a tooltip next to the relative one. */
export function fullTime(iso: string, locale: string): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  return cached(fullFormats, locale, () => new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' })).format(at);
}
